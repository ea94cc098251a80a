"""Run `gwstats import --dry-run` and a real `gwstats import` on each given file, one file at a time,
through the command line (typer's CliRunner, in this process), and print one JSON line per run.

Used by test_corpus.py in a subprocess (two at once, one per core):
    python tests/corpus_driver.py WORKSPACE_DIR < list-of-files.txt

Each line: file, mode (dry|real), exit code, the JSON records printed, stderr, whether an exception
other than SystemExit escaped, seconds taken, whether the store changed, and the peak resident
memory so far of this process and of its children (the .xls reader worker) in bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")


def peak_rss() -> tuple[int, int]:
    """(this process, largest finished child) peak resident memory in bytes."""
    try:
        import resource
    except ImportError:  # Windows: psutil gives this process's peak; children are not tracked
        import psutil

        info = psutil.Process().memory_info()
        return getattr(info, "peak_wset", info.rss), 0
    scale = 1 if sys.platform == "darwin" else 1024
    own = _high_water() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    return own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale


def _high_water() -> int | None:
    """Linux: this process's own peak (VmHWM) since it started this program. ru_maxrss is not that: it
    keeps the peak of the process that spawned it (pytest, 550 MB late in a run), from before exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def store_digest(ws_dir: Path) -> str:
    """A digest of every row of the store and of the received-files folder."""
    import sqlite3

    h = hashlib.sha256()
    conn = sqlite3.connect(ws_dir / "gwstats.sqlite")
    try:
        for table in ("units", "files", "submissions", "submission_values", "submission_notes"):
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
                h.update(repr(row).encode())
    finally:
        conn.close()
    files = ws_dir / "files"
    for p in sorted(files.rglob("*")) if files.exists() else ():
        h.update(p.relative_to(ws_dir).as_posix().encode())
    return h.hexdigest()


def main():
    import typer.testing
    from typer.testing import CliRunner

    from gwstats.cli.app import app

    ws_dir = Path(sys.argv[1])
    # the command tree built once: typer's CliRunner rebuilds it from the app on every call (40 % of
    # the time here); the built click command is the same one `gwstats ...` runs
    built = typer.testing._get_command(app)
    typer.testing._get_command = lambda _app: built
    runner = CliRunner()
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        for mode in ("dry", "real"):
            args = ["import", "-q", "--format", "json", "-w", str(ws_dir), path]
            if mode == "dry":
                args.insert(1, "--dry-run")
            before = store_digest(ws_dir)
            t0 = time.perf_counter()
            result = runner.invoke(app, args, prog_name="gwstats")
            took = time.perf_counter() - t0
            after = store_digest(ws_dir)
            try:
                records = json.loads(result.stdout) if result.stdout.strip() else None
            except ValueError:
                records = "unparsable: " + result.stdout[:300]
            exc = result.exception
            escaped = None if exc is None or isinstance(exc, SystemExit) else f"{type(exc).__name__}: {exc}"
            self_rss, child_rss = peak_rss()
            print(json.dumps({
                "file": path, "mode": mode, "exit": result.exit_code, "records": records,
                "stderr": result.stderr[-2000:], "escaped": escaped, "seconds": round(took, 3),
                "store_changed": before != after, "rss": self_rss, "child_rss": child_rss,
            }, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()

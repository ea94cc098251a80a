"""Benchmark: where the import's process pool starts to pay off when its workers are *spawned* (as on
Windows, macOS and in the web UI's threaded server), beside forked workers (Linux CLI) and serial.

    .venv/bin/python bench/pool_spawn_bench.py                      # batches of 50..800 files, 3 runs each
    .venv/bin/python bench/pool_spawn_bench.py --sizes 100 200 400 --runs 5

Reading and parsing only, in this process (``import_paths(..., dry_run=True)``: no CLI start-up, no
writes), on the returns of bench/import_bench.py (generated here into --data when missing). For each
batch size the three ways run by turns, each run in a new pool: serial (GWSTATS_IMPORT_WORKERS=0),
forked (one worker besides the parent) and spawned (the same, with multiprocessing's "spawn" start
method forced on Linux). The pool starts at ``gwstats.ingest.pool.MIN_FILES`` files.

Spawn here is Linux's spawn: a fresh interpreter that imports gwstats and unpickles the catalog. On
Windows process creation and imports cost more (antivirus scanning each file opened, no fork-friendly
page cache); wine's timings say nothing about Windows either. Measure on a real Windows 10/11 machine
before moving the threshold for it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200, 400, 800])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "gwstats-import-bench")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from import_bench import generate

    from gwstats import Workspace
    from gwstats.ingest import pool as import_pool

    n = max(args.sizes)
    data = args.data / f"n{n}-w0"
    if not (data / "done").exists():
        print(f"生成 {n} 份报表到 {data} …", file=sys.stderr)
        generate(data, n, 0)
        (data / "done").write_text("ok")
    files = sorted((data / "returns").glob("*.xlsx"))
    ws = Workspace.init(Path(tempfile.mkdtemp(prefix="gwspawn-")) / "ws", name="某某市公安局关工委", year=2018)
    ws.import_units(data / "units.csv")
    real_start_method = import_pool.start_method
    modes = {"serial": ("0", real_start_method), "fork": ("1", lambda: "fork"), "spawn": ("1", lambda: "spawn")}
    ws.import_paths(files[:20], dry_run=True)  # warm: modules loaded, disk cache filled

    print(f"{'files':>6} | {'serial':>18} | {'fork pool':>18} | {'spawn pool':>18} | spawn − serial (median)")
    for size in args.sizes:
        batch = files[:size]
        times: dict[str, list[float]] = {m: [] for m in modes}
        for _ in range(args.runs):
            for mode, (workers, method) in modes.items():
                os.environ["GWSTATS_IMPORT_WORKERS"] = workers
                import_pool.start_method = method
                t = time.perf_counter()
                ws.import_paths(batch, dry_run=True)
                times[mode].append(time.perf_counter() - t)
                expected_workers = 0 if workers == "0" else 1
                assert import_pool.last_stats.get("workers") == expected_workers, import_pool.last_stats
        import_pool.start_method = real_start_method
        med = {m: statistics.median(v) for m, v in times.items()}
        cells = [f"{med[m]:.2f} (best {min(times[m]):.2f})" for m in modes]
        print(f"{size:>6} | {cells[0]:>18} | {cells[1]:>18} | {cells[2]:>18} | {med['spawn'] - med['serial']:+.2f} s",
              flush=True)
    os.environ.pop("GWSTATS_IMPORT_WORKERS", None)
    with open("/proc/loadavg") if Path("/proc/loadavg").exists() else open(os.devnull) as fh:
        load = fh.read().split()[:3]
    print(f"machine: {os.cpu_count()} CPUs, load average after: {' '.join(load)}; MIN_FILES = {import_pool.MIN_FILES}")


if __name__ == "__main__":
    main()

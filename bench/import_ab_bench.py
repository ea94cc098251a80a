"""Benchmark: whole `gwstats import` runs of two code trees by turns (before/after on a shared machine).

    git archive main | tar -x -C /tmp/main
    .venv/bin/python bench/import_ab_bench.py --a /tmp/main --b . --runs 6 --workers 1,0

Each turn imports the files of bench/import_bench.py into a fresh store with tree A's code and with
tree B's (PYTHONPATH), alternating which goes first, so both see the same load. Prints best and
median wall and CPU (user + sys of the import process and its workers) per tree and
GWSTATS_IMPORT_WORKERS value. Run bench/import_bench.py first: it generates the files.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(cmd, env) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", type=Path, required=True, help="tree A (holds gwstats/)")
    ap.add_argument("--b", type=Path, required=True, help="tree B")
    ap.add_argument("--runs", type=int, default=6)
    ap.add_argument("--workers", default="1,0", help="GWSTATS_IMPORT_WORKERS values, comma-separated")
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "gwstats-import-bench" / "n1000-w20")
    ap.add_argument("--work", type=Path, default=None, help="where the workspaces are made (default: the temporary folder)")
    args = ap.parse_args()
    gw = str(Path(sys.executable).with_name("gwstats"))
    trees = {"A": str(args.a.resolve()), "B": str(args.b.resolve())}
    for tree in trees.values():  # bytecode, as after `pip install .` (see bench/import_bench.py)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(tree) / "gwstats")], stdout=subprocess.DEVNULL, check=True)
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    made: list[Path] = []  # the runs' workspaces, removed at the end
    for k in range(args.runs):
        for mode in args.workers.split(","):
            for name in (("A", "B") if k % 2 == 0 else ("B", "A")):
                env = dict(os.environ, PYTHONPATH=trees[name], GWSTATS_IMPORT_WORKERS=mode)
                ws = Path(tempfile.mkdtemp(prefix="gwab-", dir=args.work)) / "ws"
                made.append(ws.parent)
                subprocess.run([gw, "init", str(ws), "--name", "某某市公安局关工委", "--year", "2018"], env=env,
                               stdout=subprocess.DEVNULL, check=True)
                subprocess.run([gw, "units", "import", str(args.data / "units.csv"), "-w", str(ws)], env=env,
                               stdout=subprocess.DEVNULL, check=True)
                results.setdefault((name, mode), []).append(
                    run([gw, "import", str(args.data / "returns"), "-w", str(ws), "-q", "-f", "json"], env))
    load = open("/proc/loadavg").read().split()[:3] if Path("/proc/loadavg").exists() else ["?"]
    for d in made:
        shutil.rmtree(d, ignore_errors=True)
    print(f"A = {trees['A']}, B = {trees['B']}, load average after: {' '.join(load)}")
    for (name, mode), xs in sorted(results.items()):
        walls, cpus = [w for w, _ in xs], [c for _, c in xs]
        print(f"{name} workers={mode}: wall best {min(walls):.2f} median {statistics.median(walls):.2f} "
              f"({', '.join(f'{w:.2f}' for w in walls)}); CPU best {min(cpus):.2f} median {statistics.median(cpus):.2f}")


if __name__ == "__main__":
    main()

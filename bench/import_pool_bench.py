"""Benchmark: reading + parsing of a batch, serial vs the process pool, in one process (no CLI start-up,
no writes: ``import_paths(..., dry_run=True)``), with the CPU time of the parent and of its workers.

    .venv/bin/python bench/import_pool_bench.py --runs 3          # on the files of bench/import_bench.py

Alternates serial (GWSTATS_IMPORT_WORKERS=0) and pool (GWSTATS_IMPORT_WORKERS=1: one worker besides
the parent) runs, each into a fresh workspace. Run bench/import_bench.py first: it generates the files.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "gwstats-import-bench" / "n1000-w20")
    args = ap.parse_args()
    from gwstats import Workspace
    from gwstats.ingest import pool as import_pool

    results: dict[str, list[tuple[float, float, float]]] = {"0": [], "1": []}
    for _ in range(args.runs):
        for mode in ("0", "1"):
            os.environ["GWSTATS_IMPORT_WORKERS"] = mode
            ws = Workspace.init(Path(tempfile.mkdtemp(prefix="gwpool-")) / "ws", name="某某市公安局关工委", year=2018)
            ws.import_units(args.data / "units.csv")
            r0, c0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            ws.import_paths([args.data / "returns"], dry_run=True)
            wall = time.perf_counter() - t
            r1, c1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
            parent = r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
            kids = c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime
            results[mode].append((wall, parent, kids))
            if mode == "1":
                print(f"  pool: {import_pool.last_stats}")
    with open("/proc/loadavg") if Path("/proc/loadavg").exists() else open(os.devnull) as fh:
        load = fh.read().split()[:3]
    for mode, name in (("0", "serial"), ("1", "pool (1 worker + parent)")):
        runs = results[mode]
        print(f"{name:26s} wall best {min(r[0] for r in runs):.2f} s (runs {', '.join(f'{r[0]:.2f}' for r in runs)}); "
              f"CPU parent+workers best {min(r[1] + r[2] for r in runs):.2f} s")
    print(f"machine: {os.cpu_count()} CPUs, load average after: {' '.join(load)}")


if __name__ == "__main__":
    main()

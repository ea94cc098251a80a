"""How fast does `gwstats --help` start? (target: under 0.25 s wall on the 2-core CI machine)

Run: .venv/bin/python bench/cli_startup_bench.py [--runs 15]
Prints the median and best wall time of `gwstats --help`, and of `python -c "import pandas"`
as a yardstick for what a careless top-level import would cost.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def wall(cmd: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    exe = shutil.which("gwstats", path=str(Path(sys.executable).parent)) or shutil.which("gwstats")
    cases = {
        "gwstats --help": [exe, "--help"] if exe else [sys.executable, "-m", "gwstats", "--help"],
        "gwstats import --help": [exe, "import", "--help"] if exe else [sys.executable, "-m", "gwstats", "import", "--help"],
        "gwstats ui --help": [exe, "ui", "--help"] if exe else [sys.executable, "-m", "gwstats", "ui", "--help"],
    }
    import importlib.util

    if importlib.util.find_spec("pandas") is not None:  # an optional extra now
        cases["python -c 'import pandas' (yardstick)"] = [sys.executable, "-c", "import pandas"]
    cases["python -c pass (interpreter start-up)"] = [sys.executable, "-c", "pass"]
    print(f"{'command':42} {'median s':>9} {'best s':>8}  (runs={args.runs})")
    for name, cmd in cases.items():
        t = wall(cmd, args.runs)
        print(f"{name:42} {statistics.median(t):9.3f} {min(t):8.3f}")


if __name__ == "__main__":
    main()

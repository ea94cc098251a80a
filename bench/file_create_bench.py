"""Benchmark: what making one new file costs in a folder (the import makes one copy per received file).

    .venv/bin/python bench/file_create_bench.py /tmp ~/gwstats-work      # one or more parent folders

For each folder given: 1,000 files of 12 KB (the size of a one-unit return) are made in a new
subfolder, three times, and the wall and system (kernel) time per file is printed, with a rename of
each into a second subfolder (what the import's transaction does with a staged copy). On this
project's CI machine (ext4 on a virtual disk) the cost is not steady: 0.03 ms per file while files
are being made one batch after another, 0.2-0.9 ms (all of it kernel time) after a pause of ten
seconds or more, in the same folder. See docs/benchmarks.md.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time

N = 1000
DATA = os.urandom(12 * 1024)


def one(parent: str) -> tuple[float, float, float]:
    d = tempfile.mkdtemp(prefix="gwcreate-", dir=parent)
    moved = os.path.join(d, "moved")
    os.mkdir(moved)
    try:
        c0, t0 = os.times(), time.perf_counter()
        for i in range(N):
            fd = os.open(os.path.join(d, f"{i}.part"), os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o644)
            os.write(fd, DATA)
            os.close(fd)
        c1, t1 = os.times(), time.perf_counter()
        for i in range(N):
            os.replace(os.path.join(d, f"{i}.part"), os.path.join(moved, f"{i}.xlsx"))
        t2 = time.perf_counter()
        return (t1 - t0) / N * 1000, (c1.system - c0.system) / N * 1000, (t2 - t1) / N * 1000
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    for parent in sys.argv[1:] or [tempfile.gettempdir()]:
        runs = [one(parent) for _ in range(3)]
        print(f"{parent}: new file {', '.join(f'{w:.3f}' for w, _, _ in runs)} ms wall "
              f"({', '.join(f'{s:.3f}' for _, s, _ in runs)} ms kernel), rename {min(r for _, _, r in runs):.3f} ms")


if __name__ == "__main__":
    main()

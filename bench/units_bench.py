"""How long does `units import` take for a deep chain of units? (target: 10,000 levels under 2 s)

Run: .venv/bin/python bench/units_bench.py [--levels 2000 10000 20000]
Writes a units CSV where each unit is the parent of the next (the worst case for cycle checks and
depth computation), then times Workspace.import_units on a fresh workspace (parse, check, store).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def chain_csv(path: Path, levels: int) -> Path:
    lines = ["编码,单位名称,上级编码,别名"] + [f"U{i},链{i}关工委,{f'U{i - 1}' if i else ''}," for i in range(levels)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--levels", type=int, nargs="+", default=[2000, 10000, 20000])
    args = ap.parse_args()
    from gwstats import Workspace

    print(f"{'levels':>8} {'units import s':>15}")
    for n in args.levels:
        with tempfile.TemporaryDirectory() as tmp:
            ws = Workspace.init(Path(tmp) / "ws")
            src = chain_csv(Path(tmp) / "chain.csv", n)
            t0 = time.perf_counter()
            count, _ = ws.import_units(src, force=True)
            took = time.perf_counter() - t0
            assert count == n
            depth = ws.hierarchy().depth(f"U{n - 1}")
            ws.store.close()
        print(f"{n:>8} {took:>15.3f}   (deepest unit at depth {depth})")


if __name__ == "__main__":
    main()

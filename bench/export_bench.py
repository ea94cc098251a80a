"""The way up and cross-tabs, timed: export --as-return / --format csv-long / --into, the level above
importing a `rollup -o` workbook, and import of cross-tab returns.

    .venv/bin/python bench/export_bench.py [--units-per-level 10,10,10] [--crosstabs 200] [--dir DIR]

Part 1 builds (with bench/rollup_bench.py's bulk writer) a workspace of 1 + 10 + 100 + 1,000 units
and 40 metrics, then times each export and the import of its `rollup -o` workbook by a workspace
that knows the root and its children. Part 2 makes a catalog with `catalog from-template` from a
7 × 4 cross-tab form and times the import of N filled cross-tab returns (one sheet each, rows in
reversed order). Each timing is the best of --runs, in this process (library calls, no CLI start-up).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))


def best(fn, runs: int):
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def part1(base: Path, fanout: list[int], runs: int):
    from rollup_bench import YEARS, build

    from gwstats import Workspace

    ws_dir = base / "county"
    counts = build(ws_dir, fanout)
    ws = Workspace.open(ws_dir)
    year = YEARS[-1]
    n_units = ws.tree().n
    print(f"workspace: {n_units} units, {len(ws.catalog.metrics)} metrics, {counts}")
    t, info = best(lambda: ws.export_return(year, base / "return.xlsx"), runs)
    print(f"export --as-return            {t:7.3f} s  ({info.values} metrics written)")
    t, (path, rows) = best(lambda: ws.export_long(year, base / "long.csv"), runs)
    print(f"export --format csv-long      {t:7.3f} s  ({rows} rows, {path.stat().st_size // 1024} KB)")
    from forms import city_long_form

    form = city_long_form(base / "form.xlsx", year=year)
    t, res = best(lambda: ws.fill_form(year, form, base / "filled.xlsx"), runs)
    print(f"export --into (12-row form)   {t:7.3f} s  ({len(res.filled)} cells filled)")
    from gwstats.render.workbook import write_workbook

    t0 = time.perf_counter()
    book = write_workbook(ws, ws.rollup(year, compare=None), base / "rollup.xlsx")
    print(f"(rollup -o for the hand-over  {time.perf_counter() - t0:7.3f} s, {book.stat().st_size // 1024} KB)")
    up = Workspace.init(base / "up", name="上级", year=year, force=True)
    tree = ws.tree()
    kids = [tree.codes[i] for i in range(tree.n) if tree.parent[i] == 0]
    units = base / "up-units.csv"
    units.write_text("编码,单位名称,上级编码,别名\nUP,上级关工委,,\n" + f"{tree.codes[0]},{tree.names[0]},UP,\n"
                     + "".join(f"{c},{tree.names[tree.index[c]]},{tree.codes[0]},\n" for c in kids), encoding="utf-8")
    up.import_units(units)

    def import_book():
        up.store.conn.execute("DELETE FROM submission_values")
        up.store.conn.execute("DELETE FROM submission_notes")
        up.store.conn.execute("DELETE FROM submissions")
        up.store.conn.execute("DELETE FROM files")
        up.store.conn.commit()
        return up.import_paths([book])

    t, rep = best(import_book, runs)
    f = rep.files[0]
    print(f"import of the rollup -o book  {t:7.3f} s  ({f.status}, {len(f.returns)} 汇总 returns, "
          f"{sum(r.n_values for r in f.returns)} values)")


def part2(base: Path, n: int, runs: int):
    from forms import CROSSTAB_COLS, CROSSTAB_ROWS, crosstab_form, crosstab_return

    from gwstats import Workspace
    from gwstats.model.catalog import load_default
    from gwstats.forms.from_form import derive, write_catalog

    ws = Workspace.init(base / "xt", name="某县关工委", year=2019, force=True)
    write_catalog(derive(crosstab_form(base / "xt-form.xlsx"), load_default()), ws.root / "catalog.toml")
    units = base / "xt-units.csv"
    units.write_text("编码,单位名称,上级编码,别名\nX,某县关工委,,\n" + "".join(f"T{k},第{k}乡关工委,X,\n" for k in range(n)),
                     encoding="utf-8")
    ws = Workspace.open(ws.root)
    ws.import_units(units)
    files = base / "xt-returns"
    if files.exists():
        shutil.rmtree(files)
    files.mkdir()
    for k in range(n):
        vals = {(r.replace("其中：", ""), c): k + i + j for i, r in enumerate(CROSSTAB_ROWS) for j, c in enumerate(CROSSTAB_COLS)}
        crosstab_return(files / f"t{k}.xlsx", f"第{k}乡关工委", vals, list(reversed(CROSSTAB_ROWS)), CROSSTAB_COLS)

    def do_import():
        for t in ("submission_values", "submission_notes", "submissions", "files"):
            ws.store.conn.execute(f"DELETE FROM {t}")
        ws.store.conn.commit()
        return ws.import_paths([files])

    t, rep = best(do_import, runs)
    vals = sum(r.n_values for f in rep.files for r in f.returns)
    print(f"import {n} cross-tab returns  {t:7.3f} s  ({vals} values, {t / n * 1000:.1f} ms per file)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "gwstats-export-bench")
    ap.add_argument("--units-per-level", default="10,10,10")
    ap.add_argument("--crosstabs", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    a.dir.mkdir(parents=True, exist_ok=True)
    part1(a.dir, [int(x) for x in a.units_per_level.split(",")], a.runs)
    part2(a.dir, a.crosstabs, a.runs)


if __name__ == "__main__":
    main()

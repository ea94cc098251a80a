"""Rollup at province scale: ~100,000 units over 5 levels, 40 metrics, 2 years -- the in-memory rollup only.

NOT a store a clerk has: this bench writes its store directly (no import, no submission notes, no
re-submissions), so it measures the rollup's arithmetic, not the commands. For the commands on a
store built through the CLI as clerks build it, see bench/province_bench.py (issue 23).

    .venv/bin/python bench/rollup_bench.py [--dir DIR] [--units-per-level 20,15,20,16] [--tracemalloc] [--runs 3]

Builds (once; reused when DIR already holds it) a workspace whose store is written straight with
bulk inserts (value rows and, as Store.add_submission writes them, each submission's packed values),
then measures in a fresh process: loading the hierarchy, reading each year from SQLite, the
in-memory rollup (both years, 汇总 stand-ins, indicators), records for the level-2 rows, and the
cold rollup + records alone in a fresh process with its peak memory (ru_maxrss; optionally
tracemalloc). If duckdb is importable, the same rollup is
done in DuckDB SQL (closure table join + GROUP BY) as a yardstick; without it that part is skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXTRA_METRICS = 40  # total metrics in the bench catalog (default catalog + extra ones)
YEARS = (2017, 2018)


def build(dirpath: Path, fanout: list[int], seed: int = 7):
    import numpy as np

    from gwstats import Workspace
    from gwstats.model.hierarchy import Unit

    if (dirpath / "bench.json").exists() or (dirpath / "gwstats.sqlite").exists():
        import shutil

        if not (dirpath / "bench.json").exists():
            raise SystemExit(f"{dirpath} holds a store that this bench did not build: choose another --dir")
        shutil.rmtree(dirpath)  # a previous bench store: start from an empty one
    ws = Workspace.init(dirpath, name="某某省关工委", year=YEARS[-1], force=True)
    cat_path = ws.root / "catalog.toml"
    text = cat_path.read_text(encoding="utf-8")
    base = len(ws.catalog.metrics)
    extra = []
    for k in range(EXTRA_METRICS - base):
        extra.append(f'\n[[metrics]]\ncode = "bench_{k}"\nname = "基准指标{k}"\nunit = "人"\nkind = "count"\ngroup = "其他"\n')
    # metrics go before the indicators: insert ahead of the first [[indicators]]
    pos = text.index("\n[[indicators]]") + 1
    cat_path.write_text(text[:pos] + "".join(extra) + "\n" + text[pos:], encoding="utf-8")
    ws = Workspace.open(ws.root)
    catalog = ws.catalog
    metrics = list(catalog.metrics)
    amount = {c for c, m in catalog.metrics.items() if m.kind == "amount"}

    units = [Unit("P", "某某省关工委", None, (), 1, None, None, 0)]
    level_codes = [["P"]]
    for depth, f in enumerate(fanout, start=2):
        cur = []
        for parent in level_codes[-1]:
            for k in range(f):
                code = f"{parent}.{k}"
                units.append(Unit(code, f"单位{code}", parent, (), depth, None, None, len(units)))
                cur.append(code)
        level_codes.append(cur)
    ws.store.replace_units(units)
    rng = np.random.default_rng(seed)
    conn = ws.store.conn
    conn.execute("PRAGMA synchronous = OFF")
    codes = [u.code for u in units]
    n = len(codes)
    from gwstats.store.db import packed_dtype

    dt = packed_dtype()
    with ws.store.transaction() as c:
        metric_id = ws.store.metric_ids(c, metrics)
        mids = np.array([metric_id[m] for m in metrics], dtype=np.uint32)
        # micro per metric column, for a row of base values (same numbers as the value rows below)
        scale = np.array([10_000 if m in amount else 10**6 for m in metrics], dtype=np.int64)

        def blobs(vals):
            """One packed blob per row of ``vals`` (units × metrics of base values)."""
            rec = np.empty(vals.shape, dtype=dt)
            rec["metric"] = mids[: vals.shape[1]]
            rec["micro"] = vals * scale[: vals.shape[1]]
            return [r.tobytes() for r in rec]

        c.execute("INSERT INTO files (id, sha256, name, size, stored_path, received_at) VALUES (1, 'x', '基准.xlsx', 1, 'files/x', '2019-01-01')")
        sid = 0
        for year in YEARS:
            reports = rng.random(n) < 0.97  # 3 % of units do not report
            base_vals = rng.integers(0, 500, size=(n, len(metrics)))
            sub_rows = []
            first = sid + 1
            rows = np.flatnonzero(reports)
            for i, blob in zip(rows, blobs(base_vals[rows])):
                sid += 1
                sub_rows.append((sid, 1, codes[i], year, "本级", "return", "2019-01-10", None, blob))
            c.executemany("INSERT INTO submissions (id, file_id, unit, year, scope, source, received_at, superseded_by, packed) VALUES (?,?,?,?,?,?,?,?,?)", sub_rows)

            def values(first=first, rows=np.flatnonzero(reports), base_vals=base_vals):
                for k, i in enumerate(rows):
                    s_id = first + k
                    row = base_vals[i].tolist()
                    for j, m in enumerate(metrics):
                        v = row[j]
                        if m in amount:
                            micro = v * 10_000  # 0.01 steps
                            yield (s_id, m, f"{v / 100:.2f}", micro, "Sheet1", "D5", str(v))
                        else:
                            yield (s_id, m, str(v), v * 10**6, "Sheet1", "D5", str(v))

            c.executemany("INSERT INTO submission_values (submission_id, metric, value, micro, sheet, cell, raw) VALUES (?,?,?,?,?,?,?)", values())
            # 汇总 returns of the level-3 units (counties), to be compared / stood in
            sub_rows, val_rows = [], []
            huizong = np.full((len(level_codes[2]), 5), 1000, dtype=np.int64)
            assert not amount & set(metrics[:5])
            for code, blob in zip(level_codes[2], blobs(huizong)):
                sid += 1
                sub_rows.append((sid, 1, code, year, "汇总", "return", "2019-01-12", None, blob))
                for m in metrics[:5]:
                    val_rows.append((sid, m, "1000", 1000 * 10**6, "汇总", "D5", "1000"))
            c.executemany("INSERT INTO submissions (id, file_id, unit, year, scope, source, received_at, superseded_by, packed) VALUES (?,?,?,?,?,?,?,?,?)", sub_rows)
            c.executemany("INSERT INTO submission_values (submission_id, metric, value, micro, sheet, cell, raw) VALUES (?,?,?,?,?,?,?)", val_rows)
    conn.execute("ANALYZE")
    # the bulk writer must agree with Store.add_submission: spot-check blobs against value rows
    from gwstats.store.db import unpack_values

    names = dict(conn.execute("SELECT id, code FROM metric_ids"))
    for s_id in (1, sid // 2, sid):
        blob = conn.execute("SELECT packed FROM submissions WHERE id = ?", (s_id,)).fetchone()[0]
        rows = dict(conn.execute("SELECT metric, micro FROM submission_values WHERE submission_id = ?", (s_id,)))
        assert {names[i]: v for i, v in unpack_values(blob)} == rows, s_id
    return ws.store.counts()


def measure(dirpath: Path, use_tracemalloc: bool) -> dict:
    if use_tracemalloc:
        import tracemalloc

        tracemalloc.start()
    from gwstats import Workspace
    from gwstats.analysis.rollup import compute_frame, rollup
    from gwstats.analysis.load import load_year
    from gwstats.analysis.tree import load_tree

    ws = Workspace.open(dirpath)
    out = {}
    t0 = time.perf_counter()
    tree = load_tree(ws.store)
    out["load_tree_s"] = time.perf_counter() - t0
    codes = list(ws.catalog.metrics)
    t0 = time.perf_counter()
    datas = [load_year(ws.store, tree, codes, y) for y in YEARS]
    out["load_years_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    frames = [compute_frame(tree, ws.catalog, d, "computed") for d in datas]
    out["in_memory_rollup_computed_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d in datas:
        compute_frame(tree, ws.catalog, d, "reported")
    out["in_memory_rollup_reported_s"] = time.perf_counter() - t0
    from gwstats.store.db import from_micro

    out["root_total_" + codes[0]] = str(from_micro(frames[-1].total[0, 0]))
    t0 = time.perf_counter()
    r = rollup(ws, YEARS[-1], compare=YEARS[0], prefer="reported")
    out["rollup_call_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    recs = r.records()
    out["records_level2_s"] = time.perf_counter() - t0
    out["records"] = len(recs)
    t0 = time.perf_counter()
    r3 = rollup(ws, YEARS[-1], compare=YEARS[0], level=3, tree=tree)
    recs3 = r3.records()
    out["rollup_level3_with_records_s"] = time.perf_counter() - t0
    out["records_level3"] = len(recs3)
    out["units"] = tree.n
    out["metrics"] = len(codes)
    out["indicators"] = len(ws.catalog.indicators)
    return out


def measure_memory(dirpath: Path, use_tracemalloc: bool) -> dict:
    """One rollup (comparison, 汇总 stand-ins, indicators) + its records, alone in a fresh process
    (nothing read before: the hierarchy and both years come from SQLite)."""
    if use_tracemalloc:
        import tracemalloc

        tracemalloc.start()
    from gwstats import Workspace
    from gwstats.analysis.rollup import rollup

    ws = Workspace.open(dirpath)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    r = rollup(ws, YEARS[-1], compare=YEARS[0], prefer="reported")
    r.records()
    out = {"seconds": time.perf_counter() - t0, "rss_before_mb": base,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if use_tracemalloc:
        out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    return out


def duckdb_yardstick(dirpath: Path) -> dict | None:
    try:
        import duckdb
    except ImportError:
        return None
    import sqlite3

    import pandas as pd

    out = {}
    con = sqlite3.connect(str(dirpath / "gwstats.sqlite"))
    t0 = time.perf_counter()
    units = pd.read_sql_query("SELECT code, parent FROM units", con)
    vals = pd.read_sql_query(
        "SELECT s.unit, s.year, v.metric, v.micro FROM submissions s JOIN submission_values v ON v.submission_id = s.id"
        " WHERE s.superseded_by IS NULL AND s.scope = '本级' AND v.micro IS NOT NULL",
        con,
    )
    out["duckdb_load_via_pandas_s"] = time.perf_counter() - t0
    d = duckdb.connect()
    d.register("units_df", units)
    d.register("vals_df", vals)
    t0 = time.perf_counter()
    res = d.execute(
        """
        WITH RECURSIVE anc(unit, ancestor) AS (
            SELECT code, code FROM units_df
            UNION ALL
            SELECT a.unit, u.parent FROM anc a JOIN units_df u ON u.code = a.ancestor WHERE u.parent IS NOT NULL
        )
        SELECT a.ancestor AS unit, v.year, v.metric, SUM(v.micro) AS micro, COUNT(*) AS n
        FROM vals_df v JOIN anc a ON a.unit = v.unit
        GROUP BY 1, 2, 3
        """
    ).fetchall()
    out["duckdb_sql_rollup_s"] = time.perf_counter() - t0
    out["duckdb_rows"] = len(res)
    root = sorted(r for r in res if r[0] == "P" and r[1] == YEARS[-1])
    first = "org_total"  # the first metric of the catalog, as measure() reports it
    out["duckdb_root_total_" + first] = next(str(r[3] // 10**6) for r in root if r[2] == first)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=Path("/tmp/gwstats-rollup-bench"))
    ap.add_argument("--units-per-level", default="20,15,20,16", help="fan-out below the root, per level")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--tracemalloc", action="store_true")
    ap.add_argument("--runs", type=int, default=3, help="cold rollups, each in a fresh process")
    ap.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--measure-memory", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--no-duckdb", action="store_true")
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.dir, args.tracemalloc)))
        return
    if args.measure_memory:
        print(json.dumps(measure_memory(args.dir, args.tracemalloc)))
        return
    marker = args.dir / "bench.json"
    fanout = [int(x) for x in args.units_per_level.split(",")]
    if args.rebuild or not marker.exists() or json.loads(marker.read_text())["fanout"] != fanout:
        t0 = time.perf_counter()
        counts = build(args.dir, fanout)
        marker.write_text(json.dumps({"fanout": fanout, "counts": counts}))
        print(f"built {counts} in {time.perf_counter() - t0:.1f} s")
    else:
        print(f"reusing {args.dir}: {json.loads(marker.read_text())['counts']}")
    def child(*extra):
        cmd = [sys.executable, __file__, "--dir", str(args.dir), *extra]
        return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)

    print("-- timings (one process; each step separately)")
    for k, v in child("--measure").items():
        print(f"{k:32} {v:.3f}" if isinstance(v, float) else f"{k:32} {v}")
    for k in range(args.runs):
        res = child("--measure-memory")
        print(f"-- cold rollup --compare + 汇总 stand-ins + indicators + records, fresh process (run {k + 1})")
        for key, v in res.items():
            print(f"{key:32} {v:.3f}" if isinstance(v, float) else f"{key:32} {v}")
    if args.tracemalloc:
        res = child("--measure-memory", "--tracemalloc")
        print(f"{'tracemalloc_peak_mb (cold)':32} {res['tracemalloc_peak_mb']:.1f}  (under tracemalloc, slower)")
    if not args.no_duckdb:
        yard = duckdb_yardstick(args.dir)
        if yard is None:
            print("duckdb not installed: yardstick skipped")
        else:
            for k, v in yard.items():
                print(f"{k:32} {v:.3f}" if isinstance(v, float) else f"{k:32} {v}")


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")
    main()

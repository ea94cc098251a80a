"""Benchmark: where an import's time goes, in one process, without a profiler (timers wrapped around
the writer's parts), on the files of bench/import_bench.py.

    .venv/bin/python bench/import_phases_bench.py --runs 3                 # serial (GWSTATS_IMPORT_WORKERS=0)
    PYTHONPATH=/tmp/main .venv/bin/python bench/import_phases_bench.py     # another tree's code, for before/after

Prints per run: the whole import_paths call, reading and parsing (everything before the first file
is written), the writer loop and its parts: the copy under files/ (Workspace.copy_in_bytes, or move_in of a copy staged on the pool path), BEGIN,
COMMIT, add_submission (value rows and packed blob), add_file, the decisions (_decide), the rest of
the loop (file_by_sha, year locks, building the records). Run bench/import_bench.py first: it
generates the files.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path


def one_run(data: Path) -> dict[str, float]:
    from gwstats import Workspace
    from gwstats.ingest import importer
    from gwstats.store.db import db as store_mod
    from gwstats import workspace as ws_mod

    T: collections.Counter = collections.Counter()
    undo = []

    def timed(obj, name, key):
        f = getattr(obj, name)

        def w(*a, **k):
            t = time.perf_counter()
            try:
                return f(*a, **k)
            finally:
                T[key] += time.perf_counter() - t

        undo.append((obj, name, f))
        setattr(obj, name, w)

    root = Path(tempfile.mkdtemp(prefix="gwphases-")) / "ws"
    ws = Workspace.init(root, name="某某市公安局关工委", year=2018)
    ws.import_units(data / "units.csv")
    ws = Workspace.open(root)
    timed(ws_mod.Workspace, "copy_in_bytes", "copy")
    timed(ws_mod.Workspace, "move_in", "copy")  # the pool path renames copies staged while parsing
    timed(store_mod.Store, "add_submission", "add_submission")
    timed(store_mod.Store, "add_file", "add_file")
    timed(importer, "_decide", "decide")
    timed(importer, "_write", "writer")

    @contextlib.contextmanager
    def transaction(self):
        t = time.perf_counter()
        self.conn.execute("BEGIN IMMEDIATE")
        T["begin"] += time.perf_counter() - t
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            t = time.perf_counter()
            self.conn.execute("COMMIT")
            T["commit"] += time.perf_counter() - t

    undo.append((store_mod.Store, "transaction", store_mod.Store.transaction))
    store_mod.Store.transaction = transaction
    try:
        t = time.perf_counter()
        c = time.process_time()
        ws.import_paths([data / "returns"])
        T["import"] = time.perf_counter() - t
        T["cpu"] = time.process_time() - c
    finally:
        for obj, name, f in reversed(undo):
            setattr(obj, name, f)
        ws.store.close()
        shutil.rmtree(root.parent, ignore_errors=True)
    T["read+parse"] = T["import"] - T["writer"]
    T["rest"] = T["writer"] - sum(T[k] for k in ("copy", "begin", "commit", "add_submission", "add_file", "decide"))
    return dict(T)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "gwstats-import-bench" / "n1000-w20")
    args = ap.parse_args()
    os.environ.setdefault("GWSTATS_IMPORT_WORKERS", "0")
    import gwstats

    print(f"code: {Path(gwstats.__file__).parent}, GWSTATS_IMPORT_WORKERS={os.environ['GWSTATS_IMPORT_WORKERS']}")
    keys = ["import", "cpu", "read+parse", "writer", "copy", "begin", "commit", "add_submission", "add_file", "decide", "rest"]
    for _ in range(args.runs):
        t = one_run(args.data)
        load = open("/proc/loadavg").read().split()[0] if Path("/proc/loadavg").exists() else "?"
        print("  ".join(f"{k} {t.get(k, 0):.3f}" for k in keys) + f"  (load {load})")


if __name__ == "__main__":
    main()

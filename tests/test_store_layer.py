"""All SQL lives behind the store layer (gwstats/store/db.py, queries.py, schema.py and migrate.py).

Scans the source of the gwstats package: no module outside the store layer runs a statement
(``.execute`` / ``.executemany`` / ``.executescript``), imports ``sqlite3``, holds SQL text or
reaches for the store's connection (``store.conn``). This is the seam another backend uses.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import gwstats

PACKAGE = Path(gwstats.__file__).resolve().parent
STORE_LAYER = {"store/db.py", "store/queries.py", "store/schema.py", "store/migrate.py"}
# ingest/importer.py hands the store's connection back to Store.values_in_force while it decides a file
# (import write path; the statements themselves are the store's)
CONN_ALLOWED = {"ingest/importer.py"}
RUNS_SQL = {"execute", "executemany", "executescript"}
SQL_TEXT = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|BEGIN|COMMIT|ROLLBACK|WITH RECURSIVE)\s")


def _modules(package: Path):
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        if rel not in STORE_LAYER:
            yield rel, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _store_conn(node: ast.Attribute) -> bool:
    """``store.conn`` / ``ws.store.conn`` / ``self.store.conn``."""
    v = node.value
    return node.attr == "conn" and (isinstance(v, ast.Name) and v.id == "store"
                                    or isinstance(v, ast.Attribute) and v.attr == "store")


def sql_outside_store(package: Path = PACKAGE) -> list[str]:
    found = []
    for rel, tree in _modules(package):
        for node in ast.walk(tree):
            where = f"gwstats/{rel}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RUNS_SQL:
                found.append(f"{where} .{node.func.attr}(")
            elif isinstance(node, ast.Import) and any(a.name.split(".")[0] == "sqlite3" for a in node.names):
                found.append(f"{where} import sqlite3")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlite3":
                found.append(f"{where} from sqlite3 import")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.match(node.value):
                found.append(f"{where} SQL text {node.value[:30]!r}")
            elif isinstance(node, ast.Attribute) and _store_conn(node) and rel not in CONN_ALLOWED:
                found.append(f"{where} store.conn")
    return found


def test_no_sql_outside_the_store_layer():
    found = sql_outside_store()
    assert not found, "SQL outside the store layer (move it into a method of gwstats/store/queries.py):\n" + "\n".join(found)


def test_the_scan_sees_each_kind_of_sql(tmp_path):
    """The scan itself: each forbidden form in a module outside the store layer is reported, the
    store layer's own modules are not scanned."""
    fake = tmp_path / "gwstats"
    (fake / "render").mkdir(parents=True)
    (fake / "store").mkdir()
    (fake / "store" / "db.py").write_text("import sqlite3\nconn.execute('SELECT 1')\n", encoding="utf-8")
    (fake / "render" / "x.py").write_text(
        "import sqlite3\nfrom sqlite3 import Error\n"
        "def f(ws, c, m):\n"
        "    ws.store.conn.execute('SELECT 1')\n"
        "    c.executemany(q, rows)\n"
        "    c.executescript(s)\n"
        "    q = f\"DELETE FROM t WHERE x IN ({m})\"\n"
        "    return '选择 SELECT 的说明', ws.store.units()\n", encoding="utf-8")
    found = sorted(f.split(" ", 1)[1] for f in sql_outside_store(fake))
    assert found == sorted([
        "import sqlite3", "from sqlite3 import", "store.conn", ".execute(", "SQL text 'SELECT 1'",
        ".executemany(", ".executescript(", "SQL text 'DELETE FROM t WHERE x IN ('",
    ])
    assert all(f.startswith("gwstats/render/x.py:") for f in sql_outside_store(fake))


def test_store_queries_return_plain_python(tmp_path):
    """The read methods give plain Python values on a real workspace (the jian-an sample, both
    years): lists of tuples, dicts, ints, bytes; never a cursor, Row or connection."""
    from gwstats import Workspace

    sample = Path(__file__).resolve().parent.parent / "sample_data" / "jian-an"
    ws = Workspace.init(tmp_path / "ws", name="集安市关工委", year=2020)
    ws.import_units(sample / "units.csv")
    ws.import_paths([sample / "2019", sample / "2020"])
    s = ws.store
    units = [r[0] for r in s.unit_tree_rows()]
    subs = s.packed_in_force(2020)
    metrics = [code for _, code in s.metric_id_codes()]
    sid = subs[0][0]
    cells = s.metric_versions(2020, metrics)
    sources = s.values_with_sources(2020, units, 10)
    keys = [(u, sc, m) for u, sc, _, m, *_ in sources[0]]
    results = {
        "unit_tree_rows": s.unit_tree_rows(), "merged_units": s.merged_units(), "metric_id_codes": s.metric_id_codes(),
        "packed_in_force": subs, "numeric_values_of": s.numeric_values_of([sid]), "approx_in_force": s.approx_in_force(2020),
        "units_with_note": s.units_with_note(2020, "row-scope-assumed", "本级"),
        "units_reporting_any": s.units_reporting_any(2020, metrics), "cells_in_force": s.cells_in_force(2020, keys),
        "values_with_sources": sources, "metric_versions": cells,
        "written_rates": s.written_rates(2020, list(ws.catalog.indicators)),
        "values_of_returns_with": s.values_of_returns_with(2020, metrics[:3]),
        "submissions_of_year": s.submissions_of_year(2020), "contacts_before": s.contacts_before(2020, units),
    }
    plain = (str, int, float, bytes, type(None))

    def check(name, v):
        assert isinstance(v, (list, tuple, dict, *plain)), f"{name}: {type(v)}"
        for x in (v.items() if isinstance(v, dict) else v if isinstance(v, (list, tuple)) else []):
            check(name, x)

    for name, v in results.items():
        check(name, v)
    assert subs and isinstance(subs[0][4], bytes) and results["numeric_values_of"] and cells
    assert results["units_reporting_any"] > 0 and results["contacts_before"] and results["submissions_of_year"]
    rows, total = sources
    assert len(rows) == 10 and total > 10
    assert set(results["cells_in_force"]) == set(keys)  # each value listed has its cell

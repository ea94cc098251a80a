"""Put units and submissions straight into a workspace store, independent of the importer."""

from __future__ import annotations

import hashlib
import itertools
from decimal import Decimal

from gwstats import Workspace
from gwstats.model.hierarchy import Unit
from gwstats.store.db import SubmissionRecord, ValueRecord

_counter = itertools.count(1)

# A small county-style tree: 市 → 2 县 (each with 2 站) + 1 直属单位.
SMALL_UNITS = [
    ("C", "测试市关工委", None),
    ("A", "甲县关工委", "C"),
    ("A1", "甲县一站", "A"),
    ("A2", "甲县二站", "A"),
    ("B", "乙县关工委", "C"),
    ("B1", "乙县一站", "B"),
    ("B2", "乙县二站", "B"),
    ("D", "市直单位", "C"),
]

# A county of three towns (the error-gate and ※-mark tests)
TOWNS_UNITS = [
    ("C", "测试县关工委", None),
    ("A", "石门镇关工委", "C"),
    ("B", "城关镇关工委", "C"),
    ("D", "白沙镇关工委", "C"),
]


def make_ws(tmp_path, units=SMALL_UNITS, *, name="测试市关工委", year=2018, config_extra: str = "") -> Workspace:
    ws = Workspace.init(tmp_path / "ws", name=name, year=year)
    if config_extra:
        with open(ws.config_path, "a", encoding="utf-8") as fh:
            fh.write(config_extra)
    set_units(ws, units)
    return ws


def set_units(ws, units):
    """units: tuples (code, name, parent[, active_from, active_to]) or Unit objects."""
    out = []
    for k, u in enumerate(units):
        if isinstance(u, Unit):
            out.append(u)
            continue
        code, name, parent, *rest = u
        af = rest[0] if len(rest) > 0 else None
        at = rest[1] if len(rest) > 1 else None
        out.append(Unit(code, name, parent, (), None, af, at, k))
    ws.store.replace_units(out)


def add_file(ws, name: str | None = None, received_at: str = "2019-01-10T09:00:00") -> int:
    n = next(_counter)
    name = name or f"报表{n}.xlsx"
    sha = hashlib.sha256(f"{name}-{n}".encode()).hexdigest()
    with ws.store.transaction() as c:
        return ws.store.add_file(c, sha256=sha, name=name, size=100, stored_path=f"files/{sha[:8]}-{name}",
                                 received_at=received_at, imported_by="test")


def add_submission(ws, unit: str, year: int, values: dict, *, scope: str = "本级", source: str = "return",
                   received_at: str = "2019-01-10T09:00:00", filled_by: str | None = None,
                   phone: str | None = None, file_name: str | None = None, sheet: str = "Sheet1",
                   raws: dict | None = None, approx: tuple = (), arrived: bool = True) -> int:
    """values: metric -> number / text / None (None = not applicable, 'na'); ``approx``: metrics written
    approximately (800多); ``arrived``: the file arrived on ``received_at`` (as with import --received).
    Returns the submission id."""
    fid = add_file(ws, file_name, received_at)
    vals = []
    for k, (metric, v) in enumerate(values.items()):
        cell = f"D{5 + k}"
        raw = (raws or {}).get(metric)
        if v is None:
            vals.append(ValueRecord(metric, None, "na", False, sheet, cell, raw or "—"))
        else:
            d = Decimal(str(v))
            vals.append(ValueRecord(metric, d, "value", metric in approx, sheet, cell, raw if raw is not None else str(v)))
    sub = SubmissionRecord(unit, year, scope, vals, source=source, sheet=sheet, filled_by=filled_by, phone=phone)
    with ws.store.transaction() as c:
        sid, _ = ws.store.add_submission(c, fid, sub, received_at=received_at, imported_by="test",
                                         arrived_at=received_at[:10] if arrived else None)
    return sid

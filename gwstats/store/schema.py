"""The store's tables, and how values are kept in them: exact decimals as micro integers, packed
per submission for fast reading; the records the importer writes."""

from __future__ import annotations

import json
import operator
import sqlite3
import struct
from dataclasses import dataclass, field
from decimal import Decimal

from gwstats.parse.parsed import RowValue

SCHEMA_VERSION = 4  # 4: plain cells written short, the sheet once per submission; 3: a submission's values are
# one row of submission_cells (2: a row per value)


MICRO = 10**6


# ``submissions.packed``: the submission's numeric values (those with a micro) as fixed-width
# little-endian records (metric id uint32, micro int64; no padding), so a year is read with one
# numpy.frombuffer instead of millions of rows. Written with ``struct`` so that importing the store
# does not import numpy; read with :func:`packed_dtype`.
PACKED_RECORD = "<Iq"


PACKED_SIZE = struct.calcsize(PACKED_RECORD)


SCOPES = ("本级", "汇总")


_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)


SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS units (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    parent TEXT,
    aliases TEXT NOT NULL DEFAULT '',       -- separated by '|'
    level INTEGER,
    active_from INTEGER,
    active_to INTEGER,
    ord INTEGER NOT NULL DEFAULT 0,
    merged_into TEXT                        -- code of the unit it was merged into (前身 / 并入)
);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,                     -- file name as received
    size INTEGER NOT NULL,
    stored_path TEXT NOT NULL,              -- copy inside the workspace, relative to it
    received_at TEXT NOT NULL,
    imported_by TEXT
);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id),
    unit TEXT NOT NULL,
    year INTEGER NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('本级', '汇总')),
    source TEXT NOT NULL DEFAULT 'return',  -- return | row (one row of a summary sheet) | total_row (合计)
    sheet TEXT,
    received_at TEXT NOT NULL,
    imported_by TEXT,
    filled_by TEXT,                         -- 填报人
    phone TEXT,                             -- 联系电话
    fill_date TEXT,                         -- 填报日期 as written
    arrived_at TEXT,                        -- when the file arrived (import --received), YYYY-MM-DD
    superseded_by INTEGER REFERENCES submissions(id),
    packed BLOB                             -- numeric values as PACKED_DTYPE records (metric id, micro)
);
CREATE TABLE IF NOT EXISTS unit_moves (code TEXT NOT NULL, old_parent TEXT, new_parent TEXT, moved_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS metric_ids (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);
CREATE INDEX IF NOT EXISTS submissions_key ON submissions(year, unit, scope);
-- A submission's values as one row (schema 3: a province's form export writes 96,000 rows, not 2.9
-- million): ``cells`` is a JSON object, metric -> entry, in the order written (encode_cells); read
-- through the view submission_values (VALUES_VIEW). An entry is [value, micro, state, approx, sheet,
-- raw, cell], or (schema 4) for a plain value (state value, not a 约数, in the submission's ``sheet``)
-- one of [value, cell] (an integer: micro = value * 10**6; raw = value), [value, micro, cell]
-- (raw = value), [value, micro, raw, cell]: a form export's cell is ~30 bytes, not ~75.
-- ``approx`` is 1 when any value is a 约数 (800多): the rollup finds those few by the partial index.
CREATE TABLE IF NOT EXISTS submission_cells (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
    cells TEXT NOT NULL,
    approx INTEGER NOT NULL DEFAULT 0,
    sheet TEXT                              -- the sheet of the short entries (schema 4)
);
CREATE INDEX IF NOT EXISTS submission_cells_approx ON submission_cells(submission_id) WHERE approx = 1;
-- 年度封账: a locked year refuses imports, reverts and unit changes that touch it
CREATE TABLE IF NOT EXISTS year_locks (
    year INTEGER PRIMARY KEY,
    locked_by TEXT,
    computer TEXT,
    locked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submission_notes (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    severity TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    sheet TEXT,
    cell TEXT
);
-- the notes of one submission (units_with_note joins on it once per year): without it every
-- rollup scans the whole notes table once per submission
CREATE INDEX IF NOT EXISTS submission_notes_submission ON submission_notes(submission_id);
-- units_with_note asks for one rare code (row-scope-assumed, scope-missing) four times a rollup:
-- by code it reads those few notes, not every submission of the year
CREATE INDEX IF NOT EXISTS submission_notes_code ON submission_notes(code);
"""

# The value rows as schema 2 kept them (a row per value: submission_id, metric, value, micro, state,
# approx, sheet, cell, raw), read from submission_cells (a short entry's missing fields told by its
# length); ``ord`` orders a submission's values as written (schema 2's rowid). A store of schema 2 or
# 3 gets it when it is first opened (store/migrate.py).
# Writers other than Store.add_submission (benches, tools) may still insert or delete value rows:
# the triggers add each to (or take it from) its submission's cells.
_ENTRY = "json_array(NEW.value, NEW.micro, coalesce(NEW.state, 'value'), coalesce(NEW.approx, 0), NEW.sheet, NEW.raw, NEW.cell)"
_N = "json_array_length(j.value)"  # 2, 3, 4: a short entry; 7: a full one
VALUES_VIEW = (
    f"""CREATE VIEW IF NOT EXISTS submission_values AS SELECT c.submission_id AS submission_id, j.key AS metric,
    json_extract(j.value, '$[0]') AS value,
    CASE {_N} WHEN 2 THEN CAST(json_extract(j.value, '$[0]') AS INTEGER) * 1000000 ELSE json_extract(j.value, '$[1]') END AS micro,
    CASE {_N} WHEN 7 THEN json_extract(j.value, '$[2]') ELSE 'value' END AS state,
    CASE {_N} WHEN 7 THEN json_extract(j.value, '$[3]') ELSE 0 END AS approx,
    CASE {_N} WHEN 7 THEN json_extract(j.value, '$[4]') ELSE c.sheet END AS sheet,
    json_extract(j.value, '$[#-1]') AS cell,
    CASE {_N} WHEN 7 THEN json_extract(j.value, '$[5]') WHEN 4 THEN json_extract(j.value, '$[2]')
        ELSE json_extract(j.value, '$[0]') END AS raw,
    j.id AS ord
FROM submission_cells c, json_each(c.cells) j""",
    f"""CREATE TRIGGER IF NOT EXISTS submission_values_insert INSTEAD OF INSERT ON submission_values BEGIN
    INSERT INTO submission_cells (submission_id, cells, approx)
        VALUES (NEW.submission_id, json_object(NEW.metric, {_ENTRY}), coalesce(NEW.approx, 0) != 0)
        ON CONFLICT (submission_id) DO UPDATE SET
            cells = json_insert(cells, '$."' || NEW.metric || '"', {_ENTRY}),
            approx = max(approx, coalesce(NEW.approx, 0) != 0);
END""",
    """CREATE TRIGGER IF NOT EXISTS submission_values_delete INSTEAD OF DELETE ON submission_values BEGIN
    UPDATE submission_cells SET cells = json_remove(cells, '$."' || OLD.metric || '"') WHERE submission_id = OLD.submission_id;
    DELETE FROM submission_cells WHERE submission_id = OLD.submission_id AND cells = '{}';
END""",
)


def to_micro(value: Decimal) -> int:
    scaled = value * MICRO
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} 的小数位超过 6 位")
    return int(scaled)


def from_micro(micro: int) -> Decimal:
    return (Decimal(int(micro)) / MICRO).normalize() if micro % MICRO else Decimal(int(micro) // MICRO)


def pack_values(pairs) -> bytes:
    """(metric id, micro) pairs as the bytes of ``submissions.packed``."""
    flat = [x for pair in pairs for x in pair]
    return struct.pack("<" + "Iq" * (len(flat) // 2), *flat)


def pack_numeric(numeric: list[tuple[str, int]], ids: dict[str, int]) -> bytes:
    """``packed`` of (metric code, micro) pairs, each code looked up in ``ids`` (KeyError: not there)."""
    flat = [0] * (2 * len(numeric))
    flat[::2] = map(ids.__getitem__, map(_FIRST, numeric))
    flat[1::2] = map(_SECOND, numeric)
    return struct.pack("<" + "Iq" * len(numeric), *flat)


def unpack_values(blob: bytes) -> list[tuple[int, int]]:
    return list(struct.iter_unpack(PACKED_RECORD, blob or b""))


_quoted = json.encoder.encode_basestring  # a str as JSON text ("…", only what must be escaped)
_HEADS: dict[str, str] = {}  # metric -> '"metric":[' (a few hundred metrics)
_MIDS: dict[tuple, str] = {}  # (state, approx, sheet) -> ',"value",0,"Sheet",'


def _text(x) -> str:
    return "null" if x is None else _quoted(x)


_NO_SHEET = object()


def encode_cells(values) -> tuple[str, int, list[tuple[str, int]], str | None]:
    """``submission_cells.cells`` of a submission's values (ValueRecords or the parser's Values), in
    their order; 1 when any is a 约数; (metric, micro) of the numeric ones, for ``packed``; and the
    sheet of the short entries (``submission_cells.sheet``: that of the first plain value). A plain
    value (state value, not a 约数, in that sheet) is a short entry, any other [value, micro, state,
    approx, sheet, raw, cell] (SCHEMA). A form export's plain cell (a RowValue) is written from its
    column's ``head`` (core/values.py stored_head). A metric twice in one submission is refused, as
    schema 2's primary key (submission_id, metric) did."""
    if type(values) is list and values and type(values[0]) is RowValue:  # a form export's row: all plain, one sheet
        try:
            protos = [v.proto for v in values]
        except AttributeError:  # a Value among them
            protos = None
        if protos is not None and len({p.sheet for p in protos}) == 1:
            heads = [p.head for p in protos]
            numeric = [h[1] for h in heads]
            if len({m for m, _ in numeric}) == len(numeric):
                cells = '"],'.join([h[0] + v.row for h, v in zip(heads, values)])
                return "{" + cells + '"]}', 0, numeric, protos[0].sheet
    parts, numeric, metrics = [], [], []
    approx = 0
    sheet = _NO_SHEET
    for v in values:
        if type(v) is RowValue:  # a form export's plain cell: its column's short entry up to the row number
            proto = v.proto
            if sheet is _NO_SHEET:
                sheet = proto.sheet
            if proto.sheet == sheet:
                head = proto.head
                parts.append(head[0] + v.row + '"]')
                numeric.append(head[1])
                continue
        metrics.append(v.metric)
        head = _HEADS.get(v.metric)
        if head is None:
            head = _HEADS[v.metric] = _quoted(v.metric) + ":["
        if v.approx:
            approx = 1
        if v.value is not None:
            m = to_micro(v.value)
            numeric.append((v.metric, m))
            value = str(v.value)
            if v.state == "value" and not v.approx:
                if sheet is _NO_SHEET:
                    sheet = v.sheet
                if v.sheet == sheet:
                    if v.raw != value:
                        parts.append(f'{head}"{value}",{m},{_text(v.raw)},{_text(v.cell)}]')
                    elif len(value) <= 12 and (value[1:] if value[0] == "-" else value).isdigit():  # an integer: micro from the text
                        parts.append(f'{head}"{value}",{_text(v.cell)}]')
                    else:
                        parts.append(f'{head}"{value}",{m},{_text(v.cell)}]')
                    continue
        key = (v.state, v.approx, v.sheet)
        mid = _MIDS.get(key)
        if mid is None:
            mid = ",".join(("", _text(v.state), str(int(v.approx)), _text(v.sheet), ""))
            if len(_MIDS) < 10_000:
                _MIDS[key] = mid
        if v.value is None:
            parts.append(f"{head}null,null{mid}{_text(v.raw)},{_text(v.cell)}]")
        else:
            quoted = f'"{value}"'  # a decimal's text needs no escaping
            parts.append(f"{head}{quoted},{m}{mid}{quoted if v.raw == value else _text(v.raw)},{_text(v.cell)}]")
    if len(parts) > 1 and len(set(metrics).union([m for m, _ in numeric])) != len(parts):
        raise sqlite3.IntegrityError("UNIQUE constraint failed: submission_values.submission_id, submission_values.metric")
    return "{" + ",".join(parts) + "}", approx, numeric, (None if sheet is _NO_SHEET else sheet)


def packed_dtype():
    """The numpy dtype of one packed record (numpy imported only by readers)."""
    import numpy as np

    return np.dtype([("metric", "<u4"), ("micro", "<i8")])


@dataclass
class ValueRecord:
    metric: str
    value: Decimal | None  # None for "not applicable"
    state: str = "value"  # value | na
    approx: bool = False
    sheet: str | None = None
    cell: str | None = None
    raw: str | None = None


@dataclass
class SubmissionRecord:
    unit: str
    year: int
    scope: str
    values: list[ValueRecord]  # or any objects with its fields (the importer passes the parser's Values)
    source: str = "return"
    sheet: str | None = None
    filled_by: str | None = None
    phone: str | None = None
    fill_date: str | None = None
    notes: list[tuple[str, str, str, str | None, str | None]] = field(default_factory=list)  # severity, code, message, sheet, cell

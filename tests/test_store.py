import json
import sqlite3
from decimal import Decimal

import pytest

from gwstats import Workspace
from gwstats.store.db import PACKED_SIZE, SCHEMA_VERSION, Store, SubmissionRecord, ValueRecord, pack_values, unpack_values
from gwstats.core.values import stored_head
from gwstats.parse.parsed import RowValue, Value
from gwstats.store.schema import encode_cells
from store_builders import add_file, add_submission, make_ws


@pytest.fixture
def ws(tmp_path):
    return make_ws(tmp_path)


def decoded(conn, sid):
    """The packed blob of a submission as {metric code: micro}."""
    codes = dict(conn.execute("SELECT id, code FROM metric_ids"))
    blob = conn.execute("SELECT packed FROM submissions WHERE id = ?", (sid,)).fetchone()[0]
    assert blob is not None and len(blob) % PACKED_SIZE == 0
    pairs = unpack_values(blob)
    out = {codes[i]: micro for i, micro in pairs}
    assert len(out) == len(pairs)  # one record per metric
    return out


def rows_of(conn, sid):
    return dict(conn.execute("SELECT metric, micro FROM submission_values WHERE submission_id = ? AND micro IS NOT NULL", (sid,)))


def assert_blobs_match_rows(conn):
    sids = [r[0] for r in conn.execute("SELECT id FROM submissions")]
    assert sids
    for sid in sids:
        assert decoded(conn, sid) == rows_of(conn, sid), sid


def test_pack_round_trip_keeps_extreme_micros():
    pairs = [(1, 0), (70000, -5), (2**32 - 1, 2**63 - 1), (3, -(2**63))]
    blob = pack_values(pairs)
    assert len(blob) == 4 * PACKED_SIZE == 48
    assert unpack_values(blob) == pairs
    assert pack_values([]) == b"" and unpack_values(b"") == []


def test_packed_blob_decodes_to_the_value_rows_including_after_a_replace(ws):
    conn = ws.store.conn
    first = add_submission(ws, "A1", 2018, {"legal_lessons": 10, "aid_amount": "1234.567891", "schools": None,
                                            "rate_wuhao": "80.5"})  # a reported rate is packed too
    add_submission(ws, "A", 2018, {"legal_lessons": -3}, scope="汇总")
    second = add_submission(ws, "A1", 2018, {"legal_lessons": 12, "org_total": 0})  # supersedes the first
    assert conn.execute("SELECT superseded_by FROM submissions WHERE id = ?", (first,)).fetchone()[0] == second
    assert decoded(conn, first) == {"legal_lessons": 10 * 10**6, "aid_amount": 1234567891, "rate_wuhao": 80_500_000}
    assert decoded(conn, second) == {"legal_lessons": 12 * 10**6, "org_total": 0}
    assert "schools" not in decoded(conn, first)  # not applicable: a row with no micro, no record
    assert_blobs_match_rows(conn)
    # metric ids are shared across submissions
    assert conn.execute("SELECT count(*) FROM metric_ids WHERE code = 'legal_lessons'").fetchone()[0] == 1


def test_empty_submission_has_an_empty_blob(ws):
    sid = add_submission(ws, "A1", 2018, {"legal_lessons": None})
    assert ws.store.conn.execute("SELECT packed FROM submissions WHERE id = ?", (sid,)).fetchone()[0] == b""


def test_rolled_back_transaction_forgets_its_new_metric_ids(ws):
    store = ws.store
    fid = add_file(ws)
    sub = SubmissionRecord("A1", 2018, "本级", [ValueRecord("new_code_x", Decimal(7))])
    with pytest.raises(RuntimeError):
        with store.transaction() as c:
            store.add_submission(c, fid, sub, received_at="2019-01-10", imported_by="t")
            raise RuntimeError("abandon")
    assert store.conn.execute("SELECT count(*) FROM metric_ids WHERE code = 'new_code_x'").fetchone()[0] == 0
    with store.transaction() as c:
        sid, _ = store.add_submission(c, fid, sub, received_at="2019-01-10", imported_by="t")
    assert decoded(store.conn, sid) == {"new_code_x": 7 * 10**6}


# The schema of version 1 (before submissions.packed and metric_ids), as old workspaces hold it.
OLD_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE units (code TEXT PRIMARY KEY, name TEXT NOT NULL, parent TEXT, aliases TEXT NOT NULL DEFAULT '',
    level INTEGER, active_from INTEGER, active_to INTEGER, ord INTEGER NOT NULL DEFAULT 0);
CREATE TABLE files (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, name TEXT NOT NULL, size INTEGER NOT NULL,
    stored_path TEXT NOT NULL, received_at TEXT NOT NULL, imported_by TEXT);
CREATE TABLE submissions (id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL REFERENCES files(id), unit TEXT NOT NULL,
    year INTEGER NOT NULL, scope TEXT NOT NULL CHECK (scope IN ('本级', '汇总')), source TEXT NOT NULL DEFAULT 'return',
    sheet TEXT, received_at TEXT NOT NULL, imported_by TEXT, filled_by TEXT, phone TEXT, fill_date TEXT,
    superseded_by INTEGER REFERENCES submissions(id));
CREATE INDEX submissions_key ON submissions(year, unit, scope);
CREATE TABLE submission_values (submission_id INTEGER NOT NULL REFERENCES submissions(id), metric TEXT NOT NULL,
    value TEXT, micro INTEGER, state TEXT NOT NULL DEFAULT 'value', approx INTEGER NOT NULL DEFAULT 0,
    sheet TEXT, cell TEXT, raw TEXT, PRIMARY KEY (submission_id, metric));
CREATE TABLE submission_notes (submission_id INTEGER NOT NULL REFERENCES submissions(id), severity TEXT NOT NULL,
    code TEXT NOT NULL, message TEXT NOT NULL, sheet TEXT, cell TEXT);
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO files VALUES (1, 'abc', '甲.xlsx', 10, 'files/abc', '2019-01-10', NULL);
INSERT INTO submissions (id, file_id, unit, year, scope, received_at) VALUES (1, 1, 'A1', 2018, '本级', '2019-01-10');
INSERT INTO submissions (id, file_id, unit, year, scope, received_at) VALUES (2, 1, 'A1', 2018, '本级', '2019-01-11');
INSERT INTO submissions (id, file_id, unit, year, scope, received_at) VALUES (3, 1, 'A', 2018, '汇总', '2019-01-11');
INSERT INTO submissions (id, file_id, unit, year, scope, received_at) VALUES (4, 1, 'B1', 2018, '本级', '2019-01-11');
UPDATE submissions SET superseded_by = 2 WHERE id = 1;
INSERT INTO submission_values (submission_id, metric, value, micro) VALUES (1, 'legal_lessons', '5', 5000000);
INSERT INTO submission_values (submission_id, metric, value, micro) VALUES (2, 'legal_lessons', '6', 6000000);
INSERT INTO submission_values (submission_id, metric, value, micro) VALUES (2, 'aid_amount', '0.5', 500000);
INSERT INTO submission_values (submission_id, metric, value, micro, state) VALUES (2, 'schools', NULL, NULL, 'na');
INSERT INTO submission_values (submission_id, metric, value, micro) VALUES (3, 'legal_lessons', '-2', -2000000);
"""


def test_opening_an_old_store_adds_and_back_fills_the_packed_column(tmp_path):
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.executescript(OLD_SCHEMA)
    con.close()
    store = Store(path)
    conn = store.conn
    assert any(r[1] == "packed" for r in conn.execute("PRAGMA table_info(submissions)"))
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION) == "4"
    assert decoded(conn, 1) == {"legal_lessons": 5_000_000}
    assert decoded(conn, 2) == {"legal_lessons": 6_000_000, "aid_amount": 500_000}
    assert decoded(conn, 3) == {"legal_lessons": -2_000_000}
    assert decoded(conn, 4) == {}  # a submission without values: empty blob, not NULL
    assert_blobs_match_rows(conn)
    store.close()
    # opening again does not migrate twice, and new submissions are packed as usual
    store = Store(path)
    assert conn is not store.conn and decoded(store.conn, 2) == {"legal_lessons": 6_000_000, "aid_amount": 500_000}
    store.close()


def test_workspace_with_an_old_store_rolls_up_the_same(ws):
    add_submission(ws, "A1", 2018, {"legal_lessons": 10, "aid_amount": "2.5"})
    add_submission(ws, "A1", 2018, {"legal_lessons": 11, "aid_amount": "2.5"})
    add_submission(ws, "B1", 2018, {"legal_lessons": 4})
    add_submission(ws, "B", 2018, {"legal_lessons": 9, "aid_amount": 7}, scope="汇总")
    add_submission(ws, "A2", 2017, {"legal_lessons": 1})
    before = ws.rollup(2018, prefer="reported").records()
    conn = ws.store.conn
    conn.execute("ALTER TABLE submissions DROP COLUMN packed")  # back to the version-1 layout
    conn.execute("DROP TABLE metric_ids")
    ws.store.close()
    again = Workspace.open(ws.root)
    assert_blobs_match_rows(again.store.conn)
    assert again.rollup(2018, prefer="reported").records() == before


def test_rollup_reads_a_submission_without_a_blob_from_its_rows(ws):
    add_submission(ws, "A1", 2018, {"legal_lessons": 10})
    sid = add_submission(ws, "A2", 2018, {"legal_lessons": 5, "new_metric_y": 3})
    ws.store.conn.execute("UPDATE submissions SET packed = NULL WHERE id = ?", (sid,))  # as an outside writer would
    assert ws.rollup(2018, compare=None).value("C", "legal_lessons") == 15
    with ws.store.transaction() as c:
        assert ws.store.backfill_packed(c) == 1
    assert decoded(ws.store.conn, sid) == {"legal_lessons": 5_000_000, "new_metric_y": 3_000_000}


def test_opening_a_store_without_the_notes_index_adds_it(tmp_path):
    """Issue 23: submission_notes(submission_id) had no index, so every rollup scanned the notes table
    once per submission; a store made before the index gets it when it is opened."""
    path = tmp_path / "old.sqlite"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute("DROP INDEX submission_notes_submission")
    con.close()
    store = Store(path)
    plan = " ".join(str(r) for r in store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT code FROM submission_notes WHERE submission_id = 1"))
    assert "submission_notes_submission" in plan
    store.close()


def test_the_notes_of_one_kind_are_found_by_code(tmp_path):
    """Issue 23: units_with_note (four times a rollup) read every submission of the year to find a rare
    note; by code it reads only those notes, and a store made before gets the index when opened."""
    path = tmp_path / "old.sqlite"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute("DROP INDEX submission_notes_code")
    con.close()
    store = Store(path)
    plan = " ".join(str(r) for r in store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT DISTINCT s.unit FROM submissions s JOIN submission_notes n ON n.submission_id = s.id"
        " WHERE s.year = 2018 AND s.superseded_by IS NULL AND s.scope = '本级' AND n.code = 'scope-missing'"))
    assert "submission_notes_code" in plan
    store.close()


# Schema 2 (main before issue 23's form import work): a table row per value, as stores made then hold it.
SCHEMA_2_VALUES = """
DROP VIEW submission_values;
DROP TABLE submission_cells;
CREATE TABLE submission_values (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    metric TEXT NOT NULL, value TEXT, micro INTEGER, state TEXT NOT NULL DEFAULT 'value',
    approx INTEGER NOT NULL DEFAULT 0, sheet TEXT, cell TEXT, raw TEXT,
    PRIMARY KEY (submission_id, metric)
);
CREATE INDEX submission_values_approx ON submission_values(submission_id) WHERE approx = 1;
UPDATE meta SET value = '2' WHERE key = 'schema_version';
"""

SCHEMA_2_ROWS = [  # in the order written (rowid), not by metric
    (1, "schools", "12", 12_000_000, "value", 0, "表1", "D5", "12"),
    (1, "aid_amount", "2.5", 2_500_000, "value", 0, "表1", "D6", "2.5万元"),
    (1, "legal_lessons", None, None, "na", 0, "表1", "D7", "—"),
    (2, "legal_lessons", "800", 800_000_000, "value", 1, '表"2', "C3", "800多"),
    (2, "schools", "0", 0, "value", 0, None, None, None),
]


def test_a_store_of_schema_2_opens_and_reads_the_same(tmp_path):
    """Schema 3 keeps a submission's values as one row of submission_cells; a store made before (a
    row per value) is converted when it is first opened, and every query reads what it read before:
    sheet, cell and text as found, in the order written."""
    ws = make_ws(tmp_path)
    fid = add_file(ws, "甲.xlsx", "2019-01-10T09:00:00")
    conn = ws.store.conn
    for sid, unit in ((1, "A1"), (2, "A2")):
        conn.execute("INSERT INTO submissions (id, file_id, unit, year, scope, received_at, packed) VALUES (?,?,?,2018,'本级',?,?)",
                     (sid, fid, unit, "2019-01-10T09:00:00", b""))
    conn.executescript(SCHEMA_2_VALUES)
    conn.executemany("INSERT INTO submission_values VALUES (?,?,?,?,?,?,?,?,?)", SCHEMA_2_ROWS)
    ws.store.close()
    store = Store(ws.root / "gwstats.sqlite")
    c = store.conn
    assert c.execute("SELECT type FROM sqlite_master WHERE name = 'submission_values'").fetchone() == ("view",)
    assert c.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
    assert c.execute("SELECT submission_id, metric, value, micro, state, approx, sheet, cell, raw FROM submission_values"
                     " ORDER BY submission_id, ord").fetchall() == SCHEMA_2_ROWS
    assert c.execute("SELECT submission_id, approx FROM submission_cells ORDER BY 1").fetchall() == [(1, 0), (2, 1)]
    assert store.approx_in_force(2018) == [("A2", "本级", "legal_lessons")]
    assert store.cells_in_force(2018, [("A1", "本级", "aid_amount"), ("A2", "本级", "legal_lessons")]) == {
        ("A1", "本级", "aid_amount"): ("甲.xlsx", "表1", "D6", "2.5万元"),
        ("A2", "本级", "legal_lessons"): ("甲.xlsx", '表"2', "C3", "800多")}
    rows, total = store.values_with_sources(2018, ["A1", "A2"], 10)
    assert total == 5 and [(r[0], r[3], r[4], r[5], r[7], r[8], r[9]) for r in rows] == [
        ("A1", "schools", "12", "value", "表1", "D5", "12"), ("A1", "aid_amount", "2.5", "value", "表1", "D6", "2.5万元"),
        ("A1", "legal_lessons", None, "na", "表1", "D7", "—"), ("A2", "legal_lessons", "800", "value", '表"2', "C3", "800多"),
        ("A2", "schools", "0", "value", None, None, None)]
    # a copy keeps the order written; a new submission is written the new way and read the same way
    with store.transaction() as t:
        new, old = store.copy_submission(t, 1, received_at="2019-02-01T00:00:00", imported_by="t", note=("info", "x", "y"))
    assert old == 1
    assert c.execute("SELECT metric, value, micro, state, approx, sheet, cell, raw FROM submission_values"
                     " WHERE submission_id = ? ORDER BY ord", (new,)).fetchall() == [r[1:] for r in SCHEMA_2_ROWS[:3]]
    store.close()
    # opened again: nothing converted twice
    store = Store(ws.root / "gwstats.sqlite")
    assert store.conn.execute("SELECT count(*) FROM submission_values").fetchone() == (8,)
    store.close()


def test_a_metric_twice_in_one_submission_is_refused(ws):
    fid = add_file(ws, "甲.xlsx", "2019-01-10T09:00:00")
    twice = [ValueRecord("schools", Decimal(1), cell="D5", raw="1"), ValueRecord("schools", Decimal(2), cell="D6", raw="2")]
    with pytest.raises(sqlite3.IntegrityError):
        with ws.store.transaction() as c:
            ws.store.add_submission(c, fid, SubmissionRecord("A1", 2018, "本级", twice), received_at="x", imported_by=None)
    assert ws.store.counts()["submissions"] == 0


def test_value_rows_written_by_another_writer_are_read_the_same(ws):
    """A bench or tool that inserts or deletes value rows itself (as it did in schema 2) goes through
    the view's triggers into submission_cells."""
    fid = add_file(ws, "甲.xlsx", "2019-01-10T09:00:00")
    c = ws.store.conn
    c.execute("INSERT INTO submissions (id, file_id, unit, year, scope, received_at) VALUES (7, ?, 'A1', 2018, '本级', 'x')", (fid,))
    c.executemany("INSERT INTO submission_values (submission_id, metric, value, micro, sheet, cell, raw) VALUES (?,?,?,?,?,?,?)",
                  [(7, "schools", "3", 3_000_000, "S", "D5", "3"), (7, "aid_amount", "1.5", 1_500_000, "S", "D6", "1.5")])
    c.execute("INSERT INTO submission_values (submission_id, metric, value, micro, state, approx, cell, raw)"
              " VALUES (7, 'legal_lessons', '800', 800000000, 'value', 1, 'D7', '800多')")
    assert c.execute("SELECT metric, value, micro, state, approx, sheet, cell, raw FROM submission_values"
                     " WHERE submission_id = 7 ORDER BY ord").fetchall() == [
        ("schools", "3", 3_000_000, "value", 0, "S", "D5", "3"), ("aid_amount", "1.5", 1_500_000, "value", 0, "S", "D6", "1.5"),
        ("legal_lessons", "800", 800_000_000, "value", 1, None, "D7", "800多")]
    assert ws.store.approx_in_force(2018) == [("A1", "本级", "legal_lessons")]
    c.execute("DELETE FROM submission_values WHERE submission_id = 7 AND metric = 'schools'")
    assert [r[0] for r in c.execute("SELECT metric FROM submission_values WHERE submission_id = 7")] == ["aid_amount", "legal_lessons"]
    c.execute("DELETE FROM submission_values")
    assert c.execute("SELECT count(*) FROM submission_cells").fetchone() == (0,)


# Schema 3 (main before schema 4): every entry [value, micro, state, approx, sheet, raw, cell], no
# submission_cells.sheet; the view and its triggers as that code made them.
SCHEMA_3_CELLS = """
DROP VIEW submission_values;
DROP TABLE submission_cells;
CREATE TABLE submission_cells (submission_id INTEGER PRIMARY KEY REFERENCES submissions(id), cells TEXT NOT NULL,
    approx INTEGER NOT NULL DEFAULT 0);
CREATE INDEX submission_cells_approx ON submission_cells(submission_id) WHERE approx = 1;
CREATE VIEW submission_values AS SELECT c.submission_id AS submission_id, j.key AS metric,
    json_extract(j.value, '$[0]') AS value, json_extract(j.value, '$[1]') AS micro,
    json_extract(j.value, '$[2]') AS state, json_extract(j.value, '$[3]') AS approx,
    json_extract(j.value, '$[4]') AS sheet, json_extract(j.value, '$[6]') AS cell,
    json_extract(j.value, '$[5]') AS raw, j.id AS ord
FROM submission_cells c, json_each(c.cells) j;
UPDATE meta SET value = '3' WHERE key = 'schema_version';
"""


def test_a_store_of_schema_3_opens_and_reads_the_same(tmp_path):
    """Schema 4 writes plain values short and the sheet once per submission; a store of schema 3 gets
    the column and the view on its first open (one transaction) and its entries read as before, beside
    the short ones written after."""
    ws = make_ws(tmp_path)
    fid = add_file(ws, "甲.xlsx", "2019-01-10T09:00:00")
    conn = ws.store.conn
    for sid, unit in ((1, "A1"), (2, "A2")):
        conn.execute("INSERT INTO submissions (id, file_id, unit, year, scope, received_at, packed) VALUES (?,?,?,2018,'本级',?,?)",
                     (sid, fid, unit, "2019-01-10T09:00:00", b""))
    conn.executescript(SCHEMA_3_CELLS)
    for sid in (1, 2):
        rows = [r[1:] for r in SCHEMA_2_ROWS if r[0] == sid]
        cells = "{" + ",".join(f'"{m}":' + json.dumps([v, mi, st, ap, sh, raw, cell], ensure_ascii=False)
                               for m, v, mi, st, ap, sh, cell, raw in rows) + "}"
        conn.execute("INSERT INTO submission_cells VALUES (?,?,?)", (sid, cells, int(any(r[4] for r in rows))))
    ws.store.close()
    store = Store(ws.root / "gwstats.sqlite")
    c = store.conn
    assert c.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),) == ("4",)
    assert c.execute("SELECT submission_id, metric, value, micro, state, approx, sheet, cell, raw FROM submission_values"
                     " ORDER BY submission_id, ord").fetchall() == SCHEMA_2_ROWS
    assert store.approx_in_force(2018) == [("A2", "本级", "legal_lessons")]
    with store.transaction() as t:  # a copy is written the schema-4 way and read the same
        new, _ = store.copy_submission(t, 1, received_at="2019-02-01T00:00:00", imported_by="t", note=("info", "x", "y"))
    assert c.execute("SELECT sheet FROM submission_cells WHERE submission_id = ?", (new,)).fetchone() == ("表1",)
    assert c.execute("SELECT metric, value, micro, state, approx, sheet, cell, raw FROM submission_values"
                     " WHERE submission_id = ? ORDER BY ord", (new,)).fetchall() == [r[1:] for r in SCHEMA_2_ROWS[:3]]
    store.close()
    store = Store(ws.root / "gwstats.sqlite")  # opened again: nothing converted twice
    assert store.conn.execute("SELECT count(*) FROM submission_values").fetchone() == (8,)
    store.close()


WRITTEN = [  # (metric, value, state, approx, sheet, cell, raw): what the view must give back
    ("schools", "12", "value", 0, "表1", "D5", "12"),  # [value, cell]
    ("aid_amount", "2.5", "value", 0, "表1", "D6", "2.5万元"),  # [value, micro, raw, cell]
    ("donations", "1.54", "value", 0, "表1", "D7", "1.54"),  # [value, micro, cell]
    ("legal_lessons", None, "na", 0, "表1", "D8", "—"),
    ("org_total", "800", "value", 1, "表1", "D9", "800多"),
    ("units_built", "7", "value", 0, "表2", "B3", "7"),  # another sheet: a full entry
    ("care_stations", "-3", "value", 0, "表1", None, None),  # raw not given: [value, micro, raw, cell]
    ("wulao_core", "1234567890123", "value", 0, "表1", "D11", "1234567890123"),  # too long for micro from text
    ("wulao_study", "-12345678901", "value", 0, "表1", "D12", "-12345678901"),
    ("schools_with_vp", "0", "value", 0, "表1", "D13", "0"),
]


def test_plain_values_are_written_short_and_read_back_as_written(ws):
    fid = add_file(ws, "甲.xlsx", "2019-01-10T09:00:00")
    values = [ValueRecord(m, None if v is None else Decimal(v), st, bool(ap), sh, cell, raw)
              for m, v, st, ap, sh, cell, raw in WRITTEN]
    with ws.store.transaction() as c:
        sid, _ = ws.store.add_submission(c, fid, SubmissionRecord("A1", 2018, "本级", values), received_at="x", imported_by=None)
    conn = ws.store.conn
    assert conn.execute("SELECT metric, value, micro, state, approx, sheet, cell, raw, typeof(micro) FROM submission_values"
                        " WHERE submission_id = ? ORDER BY ord", (sid,)).fetchall() == [
        (m, v, None if v is None else int(Decimal(v) * 10**6), st, ap, sh, cell, raw, "null" if v is None else "integer")
        for m, v, st, ap, sh, cell, raw in WRITTEN]
    cells, sheet = conn.execute("SELECT cells, sheet FROM submission_cells WHERE submission_id = ?", (sid,)).fetchone()
    assert sheet == "表1"
    assert [len(e) for e in json.loads(cells).values()] == [2, 4, 3, 7, 7, 7, 4, 3, 2, 2]


def test_a_form_exports_cell_is_the_entry_of_its_value():
    """A RowValue is written from its column's head (core/values.py stored_head): the same text as the
    Value it reads as."""
    for text, raw in (("12", "12"), ("1.5", "1.5"), ("12", "12.0"), ("-4", "-4"), ("1234567890123", "1234567890123")):
        head = stored_head("schools", Decimal(text), raw, "AB")
        proto = Value("schools", Decimal(text), "value", False, "表1", "AB", raw, None, head)
        row, value = RowValue(proto, "17"), Value("schools", Decimal(text), "value", False, "表1", "AB17", raw)
        assert encode_cells([row]) == encode_cells([value])

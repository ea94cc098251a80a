"""The year's submissions read in rowid order: a range of ids where the year lies together, the ids from
the index where other years' rows lie between (store/queries.py ``_year_rows``)."""

from store_builders import add_submission, make_ws


def _reference(ws, year):
    conn = ws.store.conn
    packed = conn.execute("SELECT id, unit, scope, source, packed FROM submissions WHERE year = ?"
                          " AND superseded_by IS NULL ORDER BY id", (year,)).fetchall()
    subs = conn.execute("SELECT unit, arrived_at, superseded_by, filled_by, phone, fill_date FROM submissions"
                        " WHERE year = ? ORDER BY received_at, id", (year,)).fetchall()
    return packed, subs


def test_a_year_together_is_read_as_a_range_of_ids_and_a_scattered_one_by_its_ids(tmp_path):
    ws = make_ws(tmp_path)
    for unit in ("A1", "A2", "B1"):
        add_submission(ws, unit, 2018, {"legal_lessons": 3})
    add_submission(ws, "A1", 2018, {"legal_lessons": 4}, received_at="2019-01-12T09:00:00")  # supersedes the first
    for unit in ("A1", "A2", "B1", "B2", "D"):
        add_submission(ws, unit, 2019, {"legal_lessons": 5}, received_at="2019-12-20T09:00:00")
    add_submission(ws, "B2", 2018, {"legal_lessons": 6}, received_at="2019-12-21T09:00:00")  # a late 2018 return
    add_submission(ws, "D", 2017, {"legal_lessons": 1})
    for unit in ("A1", "A2", "B1", "B2", "D"):
        add_submission(ws, unit, 2016, {"legal_lessons": 2})
    add_submission(ws, "C", 2017, {"legal_lessons": 7}, received_at="2019-12-22T09:00:00")
    s = ws.store
    assert s._year_rows(2019)[0].startswith("id BETWEEN")  # 5 rows, nothing between
    assert s._year_rows(2018)[0].startswith("id BETWEEN")  # 5 of the 10 rows from its first to its last
    assert s._year_rows(2017)[0].startswith("id IN")  # 2 of 7: the ids from the index
    assert s._year_rows(2015)[0].startswith("id IN")  # no rows at all
    for year in (2015, 2016, 2017, 2018, 2019):
        packed, subs = _reference(ws, year)
        assert s.packed_in_force(year) == packed
        assert s.submissions_of_year(year) == subs
    assert [r[1] for r in s.packed_in_force(2018)] == ["A2", "B1", "A1", "B2"]

"""The rollup footnote and records on a province (issue 23): the units left out of a comparable change
are named up to a bound and counted past it, not 5,000 names in every record and in the footnote."""

from gwstats.analysis import result as result_module
from gwstats.render import rollup_table
from store_builders import add_submission, make_ws

N = 30


def _ws(tmp_path):
    ws = make_ws(tmp_path, [("C", "市", None)] + [(f"U{k}", f"单位{k:02d}", "C") for k in range(N)])
    for k in range(N):
        add_submission(ws, f"U{k}", 2017, {"legal_lessons": 1})
    add_submission(ws, "U0", 2018, {"legal_lessons": 2})
    return ws


def _root_record(res):
    return next(r for r in res.records() if r["unit"] == "C" and r["metric"] == "legal_lessons")


def test_a_few_units_left_out_are_all_named(tmp_path):
    res = _ws(tmp_path).rollup(2018)
    rec = _root_record(res)
    assert rec["comparable"] and rec["left_out_prev"].split("、") == [f"单位{k:02d}" for k in range(1, N)]
    note = rollup_table.table_notes(res)[0]
    assert all(f"单位{k:02d}" in note for k in range(1, N)) and "个单位" not in note


def test_past_the_bound_the_record_and_footnote_count(tmp_path, monkeypatch):
    monkeypatch.setattr(result_module, "_LEFT_OUT_NAMES", 5)
    res = _ws(tmp_path).rollup(2018)
    names = _root_record(res)["left_out_prev"].split("、")
    assert names[:4] == [f"单位{k:02d}" for k in range(1, 5)] and names[4] == f"单位05等 {N - 1} 个单位"
    note = rollup_table.table_notes(res)[0]
    assert f"未报：单位01、单位02、单位03、单位04、单位05等至少 {N - 1} 个单位" in note
    assert "单位06" not in note


def test_records_are_built_once_and_handed_out_as_copies(tmp_path, monkeypatch):
    res = _ws(tmp_path).rollup(2018)
    calls = []
    real = res._record
    monkeypatch.setattr(res, "_record", lambda i, m: calls.append(1) or real(i, m))
    first = res.records()
    n = len(calls)
    first[0]["value"] = "changed"
    again = res.records()
    assert len(calls) == n and again[0]["value"] != "changed"


def test_column_is_the_records_value_for_every_unit(tmp_path):
    ws = _ws(tmp_path)
    add_submission(ws, "U1", 2018, {"org_total": 4, "org_wuhao": 3, "legal_lessons": 5})
    res = ws.rollup(2018)
    for metric in ("legal_lessons", "org_total", "rate_wuhao"):
        col = res.column(metric)
        assert col == [res.record(u, metric)["value"] for u in res.tree.codes]
    assert res.column("rate_wuhao")[res.tree.index["C"]] == 75.0


def test_footnote_says_未填_for_a_unit_that_reported_without_the_item(tmp_path):
    """One meaning for 未报 (issue 20): 乙县 sent a return without 法制课场次 (未填), 丙县 sent nothing (未报)."""
    ws = make_ws(tmp_path, [("C", "市", None), ("A", "甲县", "C"), ("B", "乙县", "C"), ("D", "丙县", "C")])
    for unit in ("A", "B", "D"):
        add_submission(ws, unit, 2017, {"legal_lessons": 5, "org_total": 2})
    add_submission(ws, "A", 2018, {"legal_lessons": 6, "org_total": 2})
    add_submission(ws, "B", 2018, {"org_total": 2})
    note = rollup_table.table_notes(ws.rollup(2018))[0]
    assert "未报：丙县" in note and "未填：乙县" in note and "未报：乙县" not in note and "未报：丙县、乙县" not in note

import json
from decimal import Decimal

import pytest

from gwstats.core.errors import UsageError
from store_builders import add_submission, make_ws


@pytest.fixture
def ws(tmp_path):
    return make_ws(tmp_path)


def test_total_is_own_plus_children_and_huizong_is_not_added(ws):
    add_submission(ws, "A1", 2018, {"legal_lessons": 10})
    add_submission(ws, "A2", 2018, {"legal_lessons": 5})
    add_submission(ws, "A", 2018, {"legal_lessons": 1})  # 本级
    add_submission(ws, "A", 2018, {"legal_lessons": 16}, scope="汇总")  # already includes A1, A2
    r = ws.rollup(2018, compare=None)
    assert r.value("A", "legal_lessons") == Decimal(16)  # not 32
    assert r.value("C", "legal_lessons") == Decimal(16)
    rec = r.record("A", "legal_lessons")
    assert rec["source"] == "computed" and rec["note"] == ""


def test_huizong_difference_is_reported_in_note(ws):
    add_submission(ws, "A1", 2018, {"legal_lessons": 10})
    add_submission(ws, "A2", 2018, {"legal_lessons": 5})
    add_submission(ws, "A", 2018, {"legal_lessons": 1})  # 本级: the 汇总 is compared, never used
    add_submission(ws, "A", 2018, {"legal_lessons": 20}, scope="汇总")
    rec = ws.rollup(2018, compare=None).record("A", "legal_lessons")
    assert rec["value"] == Decimal(16)
    assert "汇总表填报 20" in rec["note"] and "计算数 16" in rec["note"]


def test_derived_own_when_only_huizong_and_all_subordinates_report(ws):
    """甲县 sends only its 汇总 (10) and both its stations report (5 + 3): its own 本级 is 10 − 8 = 2."""
    add_submission(ws, "A1", 2018, {"legal_lessons": 5})
    add_submission(ws, "A2", 2018, {"legal_lessons": 3})
    add_submission(ws, "A", 2018, {"legal_lessons": 10}, scope="汇总")
    r = ws.rollup(2018, compare=None)
    rec = r.record("A", "legal_lessons")
    assert rec["value"] == Decimal(10)  # not 8
    assert "本级数由本单位汇总表数减去下级合计得出" in rec["note"]
    assert r.value("C", "legal_lessons") == Decimal(10)


def test_derived_own_negative_is_not_used_and_is_an_error(ws):
    add_submission(ws, "A1", 2018, {"legal_lessons": 5})
    add_submission(ws, "A2", 2018, {"legal_lessons": 3})
    add_submission(ws, "A", 2018, {"legal_lessons": 6}, scope="汇总")  # less than its stations' 8
    r = ws.rollup(2018, compare=None)
    assert r.value("A", "legal_lessons") == Decimal(8)
    found = [f for f in ws.check(2018).findings if f.extra.get("unit") == "A" and f.severity == "error"]
    assert found and "小于下级合计" in found[0].message


def test_prefer_reported_stands_in_where_children_missing(ws):
    add_submission(ws, "B1", 2018, {"legal_lessons": 20})
    add_submission(ws, "B", 2018, {"legal_lessons": 40}, scope="汇总")  # B2 has not reported
    add_submission(ws, "A1", 2018, {"legal_lessons": 3})
    computed = ws.rollup(2018, compare=None)
    rec = computed.record("B", "legal_lessons")
    assert rec["value"] == Decimal(20) and rec["source"] == "computed"
    assert "已报 2/3" in rec["note"] and "乙县二站" in rec["note"]
    reported = ws.rollup(2018, compare=None, prefer="reported")
    rec = reported.record("B", "legal_lessons")
    assert rec["value"] == Decimal(40) and rec["source"] == "reported"
    assert "采用本单位汇总表数 40" in rec["note"]
    root = reported.record("C", "legal_lessons")
    assert root["value"] == Decimal(43) and "汇总表代替数" in root["note"]


def test_prefer_reported_keeps_computed_when_coverage_complete(ws):
    add_submission(ws, "B1", 2018, {"legal_lessons": 20})
    add_submission(ws, "B2", 2018, {"legal_lessons": 1})
    add_submission(ws, "B", 2018, {"legal_lessons": 0})  # 本级 given: the 汇总 is compared only
    add_submission(ws, "B", 2018, {"legal_lessons": 40}, scope="汇总")
    rec = ws.rollup(2018, compare=None, prefer="reported").record("B", "legal_lessons")
    assert rec["value"] == Decimal(21) and rec["source"] == "computed"


def test_rates_recomputed_not_averaged(ws):
    # A1: 9/10 = 90 %, A2: 50/100 = 50 %; the mean of rates is 70 %, the right answer 59/110.
    add_submission(ws, "A1", 2018, {"org_total": 10, "org_wuhao": 9})
    add_submission(ws, "A2", 2018, {"org_total": 100, "org_wuhao": 50})
    r = ws.rollup(2018, compare=None)
    rec = r.record("A", "rate_wuhao")
    assert rec["kind"] == "rate"
    assert rec["numerator"] == Decimal(59) and rec["denominator"] == Decimal(110)
    assert rec["value"] == pytest.approx(53.636364, abs=1e-6)
    assert rec["value"] != pytest.approx(70.0)


def test_rate_denominator_zero_or_missing_is_none(ws):
    add_submission(ws, "A1", 2018, {"org_total": 0, "org_wuhao": 0})
    add_submission(ws, "B1", 2018, {"org_wuhao": 3})
    r = ws.rollup(2018, compare=None)
    assert r.value("A", "rate_wuhao") is None
    assert r.value("B", "rate_wuhao") is None


def test_exact_decimal_sums(ws):
    add_submission(ws, "A1", 2018, {"aid_amount": "13.55"})
    add_submission(ws, "A2", 2018, {"aid_amount": "0.1"})
    r = ws.rollup(2018, compare=None, metrics=["aid_amount"])
    v = r.value("C", "aid_amount")
    assert v == Decimal("13.65") and str(v) == "13.65"
    from gwstats.render.table import render_records

    for fmt in ("table", "csv", "md"):
        text = render_records(r.records(), fmt)
        assert "13.65" in text and "13.650000" not in text and "13.649" not in text
    data = json.loads(render_records(r.records(), "json"))
    assert [d["value"] for d in data if d["unit"] == "C"] == [13.65]


def test_blank_is_none_and_zero_is_zero(ws):
    add_submission(ws, "A1", 2018, {"legal_lessons": 0, "aid_amount": None})
    r = ws.rollup(2018, compare=None)
    assert r.value("A", "legal_lessons") == 0
    assert r.value("A", "aid_amount") is None  # not applicable
    assert r.value("A", "mentoring_pairs") is None  # not reported
    assert r.value("B", "legal_lessons") is None  # nothing below


def test_coverage_counts_and_inactive_units(tmp_path):
    units = [
        ("C", "市", None),
        ("A", "甲", "C"),
        ("B", "乙", "C"),
        ("E", "旧单位", "C", None, 2016),  # closed before 2018: not expected
        ("F", "新单位", "C", 2019, None),
    ]
    ws = make_ws(tmp_path, units)
    add_submission(ws, "A", 2018, {"legal_lessons": 1})
    r = ws.rollup(2018, compare=None)
    assert r.units == ["A", "B"]
    rec = r.record("C", "legal_lessons")
    assert (rec["reported"], rec["expected"], rec["coverage"]) == (1, 2, "1/2")
    assert r.record("A", "legal_lessons")["coverage"] == "1/1"


def test_year_over_year(ws):
    add_submission(ws, "A1", 2017, {"wulao_volunteers": 2368, "org_total": 200, "org_wuhao": 145})
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 2503, "org_total": 218, "org_wuhao": 176})
    r = ws.rollup(2018)  # auto: 2017 has data
    assert r.compare_year == 2017
    rec = r.record("C", "wulao_volunteers")
    assert rec["prev_value"] == 2368 and rec["change"] == 135
    assert rec["change_pct"] == pytest.approx(135 / 2368 * 100, abs=1e-6)
    rate = r.record("C", "rate_wuhao")
    assert rate["value"] == pytest.approx(80.733945, abs=1e-6)
    assert rate["prev_value"] == pytest.approx(72.5)
    assert rate["change"] == pytest.approx(8.2)  # 百分点: 80.7 − 72.5, the rates as shown
    assert rate["change_pct"] is None
    assert ws.rollup(2018, compare=None).compare_year is None
    assert ws.rollup(2017).compare_year is None  # no 2016 data
    assert ws.rollup(2018, compare=2016).record("C", "wulao_volunteers")["prev_value"] is None


def test_selection_unit_level_metrics(ws):
    add_submission(ws, "A1", 2018, {"legal_lessons": 10})
    add_submission(ws, "B2", 2018, {"legal_lessons": 7})
    r = ws.rollup(2018, level=3, metrics=["法治教育", "rate_wuhao"], compare=None)
    assert r.units == ["A1", "A2", "B1", "B2"]
    assert r.metrics[0] == "legal_vp" and r.metrics[-2:] == ["rate_wuhao", "rate_vp_schools"]
    recs = r.records()
    assert recs[-1]["unit"] == "C"
    assert len(recs) == 5 * len(r.metrics)
    r2 = ws.rollup(2018, unit="乙县关工委", metrics=["法制课场次"], compare=None)
    assert r2.root == "B" and r2.units == ["B1", "B2"]
    assert r2.value("B", "legal_lessons") == 7
    with pytest.raises(UsageError):
        ws.rollup(2018, unit="不存在的县")
    with pytest.raises(UsageError):
        ws.rollup(2018, metrics=["没有这个指标"])
    with pytest.raises(UsageError):
        ws.rollup(2018, prefer="guess")


def test_record_keys_exact(ws):
    add_submission(ws, "A1", 2018, {"legal_lessons": 10})
    from gwstats.analysis.rollup import RECORD_KEYS

    rec = ws.rollup(2018).records()[0]
    assert tuple(rec) == RECORD_KEYS


def test_superseded_submission_not_counted(ws):
    add_submission(ws, "A1", 2018, {"legal_lessons": 10})
    add_submission(ws, "A1", 2018, {"legal_lessons": 12})  # corrected version
    assert ws.rollup(2018, compare=None).value("C", "legal_lessons") == 12


def test_max_aggregation(tmp_path):
    from gwstats.model.catalog import load_default

    ws = make_ws(tmp_path)
    text = (ws.root / "catalog.toml").read_text(encoding="utf-8")
    text = text.replace('code = "care_stations"\n', 'code = "care_stations"\naggregation = "max"\n')
    (ws.root / "catalog.toml").write_text(text, encoding="utf-8")
    add_submission(ws, "A1", 2018, {"care_stations": 4, "legal_lessons": 1})
    add_submission(ws, "A2", 2018, {"care_stations": 9})
    add_submission(ws, "B1", 2018, {"legal_lessons": 1})
    r = ws.rollup(2018, compare=None)
    assert ws.catalog.metrics["care_stations"].aggregation == "max"
    assert r.value("C", "care_stations") == 9
    assert r.value("B", "care_stations") is None
    assert load_default().metrics["care_stations"].aggregation == "sum"


# ---- through the command line ------------------------------------------------------------------
def _cli(*args):
    from typer.testing import CliRunner

    from gwstats.cli.app import app

    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def cli_ws(ws):
    add_submission(ws, "A1", 2017, {"aid_amount": "10", "org_total": 200, "org_wuhao": 145})
    add_submission(ws, "A1", 2018, {"aid_amount": "13.55", "org_total": 218, "org_wuhao": 176})
    add_submission(ws, "A2", 2018, {"aid_amount": "0.1"})
    add_submission(ws, "B", 2018, {"aid_amount": "3"}, scope="汇总")
    return ws


def test_cli_rollup_formats_keep_exact_decimals(cli_ws):
    w = cli_ws.root
    for fmt in ("table", "csv", "md", "json"):
        r = _cli("rollup", "-w", w, "--year", 2018, "-m", "aid_amount", "-f", fmt)
        assert r.exit_code == 0, r.output
        assert "13.65" in r.output and "13.650000" not in r.output and "13.649" not in r.output
    data = json.loads(_cli("rollup", "-w", w, "--year", 2018, "-m", "资助金额", "-f", "json").output)
    root = data[-1]
    # 乙县's 汇总 of 3 (its stations silent) stands for its subtree: 13.65 + 3 (issue 20)
    assert root["unit"] == "C" and root["value"] == 16.65 and root["prev_value"] == 10
    # 甲县二站 gave 资助金额 in 2018 only: the change is over 甲县一站, the one unit that gave it both years
    assert root["coverage"] == "3/7" and root["change"] == 3.55 and root["comparable"] is True
    assert root["prev_comparable"] == 10 and root["value_comparable"] == 13.55
    assert root["left_out_cur"] == "甲县二站、乙县" and root["left_out_prev"] == ""


def test_cli_rollup_table_rates_changes_and_parts(cli_ws):
    r = _cli("rollup", "-w", cli_ws.root, "--year", 2018, "-m", "rate_wuhao", "--show-parts")
    assert r.exit_code == 0, r.output
    assert "80.7%" in r.output and "+8.2个百分点" in r.output
    assert "五好达标率·分子" in r.output and "合计" in r.output and "已报" in r.output
    r = _cli("rollup", "-w", cli_ws.root, "--year", 2018, "-m", "aid_amount", "--no-compare", "--prefer", "reported",
             "-f", "csv")
    assert "比上年" not in r.output
    lines = r.output.strip().splitlines()
    assert lines[0] == "单位,已报,资助金额（万元）,说明"
    assert lines[-1] == "合计,3/7,16.65,"
    assert lines[2] == "乙县关工委,1/3,3,资助金额采用汇总表数"


def test_cli_rollup_workbook_and_usage_errors(cli_ws, tmp_path):
    out = tmp_path / "汇总.xlsx"
    r = _cli("rollup", "-w", cli_ws.root, "--year", 2018, "-o", out)
    assert r.exit_code == 0 and out.is_file(), r.output
    r = _cli("rollup", "-w", cli_ws.root, "--year", 2018, "--unit", "没有的单位")
    assert r.exit_code == 2 and "没有“没有的单位”" in r.output and "Traceback" not in r.output
    r = _cli("rollup", "-w", cli_ws.root, "--year", 2018, "--compare", 2017, "--no-compare")
    assert r.exit_code == 2
    r = _cli("rollup", "-w", cli_ws.root, "--year", 2018, "--all")  # --all is for the workbook
    assert r.exit_code == 2 and "-o" in r.output and "Traceback" not in r.output
    full = tmp_path / "全部.xlsx"
    r = _cli("rollup", "-w", cli_ws.root, "--year", 2018, "-o", full, "--all")
    assert r.exit_code == 0 and full.is_file(), r.output


def test_rollup_follows_new_and_corrected_submissions(ws):
    add_submission(ws, "A1", 2018, {"legal_lessons": 10})
    assert ws.rollup(2018, compare=None).value("C", "legal_lessons") == 10
    add_submission(ws, "A1", 2018, {"legal_lessons": 12})  # supersedes
    assert ws.rollup(2018, compare=None).value("C", "legal_lessons") == 12
    add_submission(ws, "B1", 2018, {"legal_lessons": 1})
    assert ws.rollup(2018, compare=None).value("C", "legal_lessons") == 13
    assert not any(p.name.startswith(".gwstats-cache") for p in ws.root.iterdir())  # nothing derived on disk
    from store_builders import set_units

    set_units(ws, [("C", "市", None), ("A", "甲", "C"), ("A1", "甲一", "A")])  # B1 no longer a unit
    assert ws.rollup(2018, compare=None).value("C", "legal_lessons") == 12


def test_sums_beyond_int64_stay_exact(ws):
    add_submission(ws, "A1", 2018, {"aid_amount": "9000000000000.5"})
    add_submission(ws, "A2", 2018, {"aid_amount": "9000000000000.25"})
    add_submission(ws, "B", 2018, {"aid_amount": "1"}, scope="汇总")  # its stations silent: it stands in
    assert ws.rollup(2018).value("C", "aid_amount") == Decimal("18000000000001.75")
    assert ws.rollup(2018, prefer="reported").value("C", "aid_amount") == Decimal("18000000000001.75")


def test_bundled_jian_an_sample_reproduces_the_published_figures(tmp_path):
    """集安 2020 (reports/jian-an-2020-summary.txt): 2503 五老 (+135), 骨干 802 — written "占29%" but
    32.0 %; 218 组织, 176 五好 = 80.7 %, 比上年提高 8 个百分点. Goes through the real importer."""
    from pathlib import Path

    from gwstats import Workspace

    sample = Path(__file__).resolve().parents[1] / "sample_data" / "jian-an"
    if not (sample / "2020").is_dir():
        pytest.skip("sample data not generated")
    ws = Workspace.init(tmp_path / "ws", name="集安市关工委", year=2020)
    ws.import_units(sample / "units.csv")
    ws.import_paths([sample / "2019", sample / "2020"])
    r = ws.rollup(2020)
    root = r.root
    vol = r.record(root, "wulao_volunteers")
    assert (vol["value"], vol["change"], vol["coverage"]) == (2503, 135, "25/25")
    assert r.value(root, "wulao_core") == 802
    wuhao = r.record(root, "rate_wuhao")
    assert (wuhao["numerator"], wuhao["denominator"]) == (176, 218)
    # 2019: a unit that gave 组织数 but left 五好 blank is left out of the 2019 rate (blank is not 0):
    # +7.7 points, which the published text rounds to 8 个百分点
    assert round(wuhao["value"], 1) == 80.7 and round(wuhao["change"]) == 8
    assert round(r.value(root, "rate_wulao_core"), 1) == 32.0
    found = [f for f in ws.check(2020).findings if f.code == "rate-mismatch"]
    assert len(found) == 1 and "29%" in found[0].message and "32.0%" in found[0].message


def test_unit_without_subordinates_sending_only_huizong_counts_it_as_own(ws):
    add_submission(ws, "A1", 2018, {"legal_lessons": 10}, scope="汇总")  # leaf, wrong scope ticked
    add_submission(ws, "A2", 2018, {"legal_lessons": 5})
    add_submission(ws, "A", 2018, {"legal_lessons": 99}, scope="汇总")  # has subordinates: compared only
    for prefer in ("computed", "reported"):
        r = ws.rollup(2018, compare=None, prefer=prefer)
        assert r.value("A1", "legal_lessons") == 10
        # every subordinate of 甲县 reported: its 汇总 holds its own 本级 as 99 − 15 (see test_derived_own_*)
        assert r.value("A", "legal_lessons") == 99
        assert "汇总表按本级计" in r.record("A1", "legal_lessons")["note"]
    assert not [f for f in ws.check(2018).findings if f.extra.get("unit") == "A1"]


def test_negative_and_small_values_decode_exactly(ws):
    add_submission(ws, "A1", 2018, {"aid_amount": "-3.000001", "legal_lessons": 0})
    add_submission(ws, "A2", 2018, {"aid_amount": "0.000001"})
    r = ws.rollup(2018, compare=None)
    assert r.value("A", "aid_amount") == Decimal("-3")
    assert r.value("A1", "legal_lessons") == 0


def test_tree_arrays_depth_first_with_contiguous_subtrees():
    import numpy as np

    from gwstats.analysis.tree import build_tree

    rows = [  # file order differs from depth-first order; X's parent is unknown -> a second root
        ("A1", "甲一", "A", None, None, None),
        ("C", "市", None, 1, None, None),
        ("B", "乙", "C", None, 2016, 2017),
        ("A", "甲", "C", None, None, None),
        ("A2", "甲二", "A", 5, None, None),
        ("X", "孤儿", "Q", None, None, None),
    ]
    t = build_tree(rows)
    assert t.codes == ["C", "B", "A", "A1", "A2", "X"]
    assert t.parent.tolist() == [-1, 0, 0, 2, 2, -1]
    assert t.size.tolist() == [5, 1, 3, 1, 1, 1]
    assert t.level.tolist() == [1, 2, 2, 3, 5, 1]
    assert t.codes[t.subtree(2)] == ["A", "A1", "A2"]
    assert t.children(0).tolist() == [1, 2]
    assert t.active(2018).tolist() == [True, False, True, True, True, True]
    assert t.expected(2018).tolist() == [False, False, True, True, True, False]
    own = np.array([[1], [2], [4], [8], [16], [32]])
    assert t.accumulate(own)[:, 0].tolist() == [31, 2, 28, 8, 16, 32]
    assert t.accumulate(own, np.maximum)[:, 0].tolist() == [16, 2, 16, 8, 16, 32]



def test_tree_leaves_out_a_cycle_of_parents_and_walks_a_code_given_twice():
    from gwstats.analysis.tree import build_tree

    rows = [
        ("P", "省", "P", None, None, None),  # its own parent: a root
        ("M", "甲", "N", None, None, None),  # M and N are each other's parent: reachable from no root
        ("N", "乙", "M", None, None, None),
        ("K2", "市二", "P", None, None, None),
        ("T", "镇", "K1", 4, None, None),
        ("K1", "市一", "P", None, None, None),
        ("V", "村", "T", None, None, None),
    ]
    t = build_tree(rows)
    assert t.codes == ["P", "K2", "K1", "T", "V"]
    assert t.parent.tolist() == [-1, 0, 0, 2, 3]
    assert t.depth.tolist() == [0, 1, 1, 2, 3]
    assert t.level.tolist() == [1, 2, 2, 4, 5]
    assert t.size.tolist() == [5, 1, 3, 2, 1]
    assert [b.tolist() for b in t.by_depth] == [[0], [1, 2], [3], [4]]
    twice = build_tree(rows + [("K2", "市二", "P", None, None, None)])
    assert twice.codes == ["P", "K2", "K1", "T", "V", "K2"]  # as listed: the check of the unit list names it

def test_prefer_reported_never_stands_in_a_total_row(ws):
    # C's 合计 row (17) sums only the rows of its sheet, not C's own 本级 (3): it must not replace 24
    add_submission(ws, "C", 2018, {"legal_lessons": 3})
    add_submission(ws, "A1", 2018, {"legal_lessons": 10})
    add_submission(ws, "A2", 2018, {"legal_lessons": 5})
    add_submission(ws, "B1", 2018, {"legal_lessons": 6})
    add_submission(ws, "C", 2018, {"legal_lessons": 17}, scope="汇总", source="total_row")
    rec = ws.rollup(2018, compare=None, prefer="reported").record("C", "legal_lessons")
    assert rec["value"] == Decimal(24) and rec["source"] == "computed"
    assert "采用本单位汇总表数" not in rec["note"]
    from gwstats.analysis.trace import trace

    t = trace(ws, 2018, "C", "legal_lessons", prefer="reported")
    assert t.value == Decimal(24) and "已含在汇总表数中" not in t.render()


def test_prefer_reported_never_mixes_a_huizong_part_with_a_computed_part(ws):
    # B's 汇总 return has only the numerator; B2 has not reported: 30 / 10 would be 300 %
    add_submission(ws, "B1", 2018, {"org_total": 10, "org_wuhao": 8})
    add_submission(ws, "B", 2018, {"org_wuhao": 30}, scope="汇总")
    r = ws.rollup(2018, compare=None, prefer="reported")
    # nor stands in for the numerator alone: 30 五好 beside a rate of 8/10 could not be checked (issue 20)
    assert r.value("B", "org_wuhao") == Decimal(8)
    assert "本单位汇总表填报 30" in r.record("B", "org_wuhao")["note"]
    for unit in ("B", "C"):
        rec = r.record(unit, "rate_wuhao")
        assert rec["value"] == pytest.approx(80.0)
        assert (rec["numerator"], rec["denominator"]) == (Decimal(8), Decimal(10))
        assert rec["source"] == "computed"


def test_prefer_reported_rate_stands_in_when_all_parts_do(ws):
    add_submission(ws, "B1", 2018, {"org_total": 10, "org_wuhao": 8})
    add_submission(ws, "B", 2018, {"org_total": 40, "org_wuhao": 30}, scope="汇总")
    add_submission(ws, "A1", 2018, {"org_total": 10, "org_wuhao": 10})
    r = ws.rollup(2018, compare=None, prefer="reported")
    rec = r.record("B", "rate_wuhao")
    assert rec["value"] == pytest.approx(75.0) and rec["source"] == "reported"
    root = r.record("C", "rate_wuhao")
    assert (root["numerator"], root["denominator"]) == (Decimal(40), Decimal(50))
    assert "汇总表代替数" in root["note"]


def test_blank_numerator_is_not_zero_in_an_aggregate_rate(ws):
    add_submission(ws, "A", 2018, {"org_total": 10, "org_wuhao": 9})
    add_submission(ws, "B", 2018, {"org_total": 10})  # org_wuhao left blank
    r = ws.rollup(2018, compare=None)
    rec = r.record("C", "rate_wuhao")
    assert rec["value"] == pytest.approx(90.0)  # not 9/20 = 45 %
    assert (rec["numerator"], rec["denominator"]) == (Decimal(9), Decimal(10))
    assert "比率未计入只填了部分数据的单位 1 个" in rec["note"]
    assert r.value("C", "org_total") == Decimal(20)  # the count itself still adds up every value
    assert r.record("A", "rate_wuhao")["note"] == "" or "部分数据" not in r.record("A", "rate_wuhao")["note"]
    assert r.value("B", "rate_wuhao") is None


def test_approximate_values_mark_every_total_they_reach(ws):
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 800, "org_total": 10, "org_wuhao": 8},
                   raws={"wulao_volunteers": "800多"}, approx=("wulao_volunteers",))
    add_submission(ws, "A2", 2018, {"wulao_volunteers": 5, "org_total": 4, "org_wuhao": 2})
    add_submission(ws, "B1", 2018, {"wulao_volunteers": 7, "org_total": 3, "org_wuhao": 3})
    r = ws.rollup(2018, compare=None)
    assert r.record("A1", "wulao_volunteers")["approx"] is True
    assert r.record("A", "wulao_volunteers")["approx"] is True
    assert r.record("C", "wulao_volunteers")["approx"] is True  # the root (合计) too
    assert r.record("B", "wulao_volunteers")["approx"] is False
    assert r.record("A2", "wulao_volunteers")["approx"] is False
    assert r.record("C", "org_total")["approx"] is False
    assert r.record("C", "rate_wuhao")["approx"] is False
    assert all(isinstance(rec["approx"], bool) for rec in r.records())


def test_table_rounds_rates_half_up_like_charts_and_wording(ws):
    from gwstats.render import wording
    from gwstats.render.rollup_table import fmt_change, fmt_value, wide_rows

    add_submission(ws, "A1", 2018, {"org_total": 16, "org_wuhao": 1})  # 6.25 %
    r = ws.rollup(2018, compare=None, metrics=["rate_wuhao"])
    assert r.value("A1", "rate_wuhao") == pytest.approx(6.25)
    assert fmt_value(r.value("A1", "rate_wuhao"), "rate", "%") == "6.3%" == wording.rate(6.25)
    assert wide_rows(r)[-1]["五好达标率"] == "6.3%"
    assert fmt_change({"change": 0.25, "kind": "rate", "measure": "%"}) == "+0.3个百分点"
    assert fmt_change({"change": -0.25, "kind": "rate", "measure": "%"}) == "-0.3个百分点"
    assert fmt_change({"change": Decimal(3), "change_pct": 0.25, "kind": "count", "measure": "个"}) == "+3（+0.3%）"


def test_rollup_table_lines_up_chinese_with_left_and_right_columns():
    from wcwidth import wcswidth

    from gwstats.render.table import render_records

    rows = [{"单位": "甲县关工委", "已报": "2/2", "五好达标率": "80.7%", "说明": "组织数采用汇总表数"},
            {"单位": "合计", "已报": "12/13", "五好达标率": "6.3%", "说明": ""}]
    text = render_records(rows, "table", title="标题", left=("单位", "说明"))
    lines = text.splitlines()[1:]
    body = lines[2:]
    # right-aligned numbers end in the same column, left-aligned names start at column 0
    assert [wcswidth(line[: line.index("%") + 1]) for line in body] == [wcswidth(lines[0][: lines[0].index("率") + 1])] * 2
    assert body[1].startswith("合计 ")
    md = render_records(rows, "md", left=("单位", "说明"))
    assert md.splitlines()[3].startswith("| 合计 ") and md.splitlines()[3].split("|")[3].endswith(" 6.3% ")


def test_cli_rollup_level_without_units_is_a_usage_error_naming_the_levels(cli_ws):
    r = _cli("rollup", "-w", cli_ws.root, "--year", 2018, "--level", 9)
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "没有层级为 9 的单位" in r.output and "现有层级：1、2、3" in r.output
    assert _cli("rollup", "-w", cli_ws.root, "--year", 2018, "--level", 3).exit_code == 0


def test_cli_rollup_compare_year_without_data_says_so(cli_ws):
    from typer.testing import CliRunner

    from gwstats.cli.app import app

    r = CliRunner().invoke(app, ["rollup", "-w", str(cli_ws.root), "--year", "2018", "--compare", "2030"])
    assert r.exit_code == 0
    assert "对比年度 2030 还没有导入任何报表" in r.stderr and "对比年度 2030" not in r.stdout


def test_cli_rollup_rejects_output_suffix_before_computing(cli_ws, tmp_path, monkeypatch):
    import gwstats.workspace

    def boom(*a, **k):
        raise AssertionError("computed before the -o check")

    monkeypatch.setattr(gwstats.workspace.Workspace, "rollup", boom)
    r = _cli("rollup", "-w", cli_ws.root, "--year", 2018, "-o", tmp_path / "out.txt")
    assert r.exit_code == 2 and "只支持 .xlsx" in r.output and not (tmp_path / "out.txt").exists()


def test_cli_check_year_without_returns_gives_the_import_hint(cli_ws):
    r = _cli("check", "-w", cli_ws.root, "--year", 2030)
    assert r.exit_code == 0 and "2030 年度还没有导入任何报表" in r.output


def test_cli_rollup_group_drops_metrics_without_data(cli_ws):
    r = _cli("rollup", "-w", cli_ws.root, "--year", 2018, "-m", "组织建设", "-f", "csv", "--no-compare")
    header = r.output.splitlines()[0]
    assert "五好达标率" in header
    titles = header.split(",")[2:]  # after 单位, 已报
    assert 0 < len(titles) < len(cli_ws.catalog.select(["组织建设"]))  # the group has metrics without data
    r = _cli("rollup", "-w", cli_ws.root, "--year", 2018, "-m", "legal_lessons", "-f", "csv", "--no-compare")
    assert "法制" in r.output.splitlines()[0]  # a metric named on its own stays, even without data

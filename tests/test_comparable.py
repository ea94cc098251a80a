"""Year-over-year on a comparable basis: a unit that did not report never reads as a fall."""

import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from gwstats.cli.app import app
from gwstats.render import report as R
from store_builders import add_submission, make_ws, set_units


def _cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def ws(tmp_path):
    """Every unit 持平 except that 市直单位 (D, 12 schools) reported 2017 and not 2018."""
    ws = make_ws(tmp_path)
    for year in (2017, 2018):
        add_submission(ws, "A", year, {"schools": 40, "org_total": 20, "org_wuhao": 10})
        add_submission(ws, "B", year, {"schools": 30, "org_total": 10, "org_wuhao": 5})
    add_submission(ws, "D", 2017, {"schools": 12, "org_total": 6, "org_wuhao": 6})
    return ws


def test_non_reporting_unit_is_not_a_fall(ws):
    rec = ws.rollup(2018).record("C", "schools")
    assert rec["value"] == 70 and rec["prev_value"] == 82  # the raw totals stay as they are
    assert rec["change"] == 0 and rec["comparable"] is True  # not 减少12所
    assert rec["prev_comparable"] == 70 and rec["value_comparable"] == 70
    assert rec["left_out_prev"] == "市直单位" and rec["left_out_cur"] == ""


def test_report_says_comparable_basis_and_names_who_is_left_out(ws):
    text = R.build_report(ws, 2018, charts=False).text()
    assert "中小学校70所，比上年减少12所，主要是市直单位本年未报；按可比口径（剔除这个单位）与上年持平" in text
    # the plain fall is never stated without the comparable change beside it
    assert text.count("减少12所") == text.count("减少12所，主要是市直单位本年未报；按可比口径") + text.count("减少12所，剔除上述单位后")


def test_rate_change_is_over_units_with_all_parts_both_years(ws):
    rec = ws.rollup(2018).record("C", "rate_wuhao")
    # raw: 2017 21/36 = 58.3%, 2018 15/30 = 50.0%; A and B alone: 50.0% both years
    assert rec["value"] == pytest.approx(50.0) and rec["prev_value"] == pytest.approx(58.333333)
    assert rec["change"] == 0 and rec["comparable"] is True


def test_every_unit_both_years_changes_nothing(tmp_path):
    ws = make_ws(tmp_path)
    add_submission(ws, "A", 2017, {"schools": 40})
    add_submission(ws, "A", 2018, {"schools": 45})
    add_submission(ws, "B", 2017, {"schools": 30})
    add_submission(ws, "B", 2018, {"schools": 28})
    rec = ws.rollup(2018).record("C", "schools")
    assert rec["change"] == 3 and rec["comparable"] is False and rec["left_out_prev"] == ""
    assert "比上年增加3所" in R.build_report(ws, 2018, charts=False).text()


def test_json_has_raw_and_comparable_previous_totals(ws):
    out = _cli("rollup", "-w", ws.root, "--year", 2018, "-m", "schools", "-f", "json")
    assert out.exit_code == 0, out.output
    root = json.loads(out.output)[-1]
    assert root["prev_value"] == 82 and root["prev_comparable"] == 70 and root["change"] == 0
    assert root["comparable"] is True and root["left_out_prev"] == "市直单位"


def test_console_table_marks_the_comparable_change(ws):
    out = _cli("rollup", "-w", ws.root, "--year", 2018, "-m", "schools")
    assert out.exit_code == 0, out.output
    assert "持平*" in out.output
    assert "注：* 按可比口径：只比较两年都填报了该项的单位（未报：市直单位）" in out.output


def test_check_flags_raw_and_comparable_change_of_different_sign(tmp_path):
    ws = make_ws(tmp_path)
    add_submission(ws, "A", 2017, {"legal_lessons": 100})
    add_submission(ws, "A", 2018, {"legal_lessons": 110})
    add_submission(ws, "B", 2017, {"legal_lessons": 50})  # B did not report 2018: raw -40, comparable +10
    found = [f for f in ws.check(2018).findings if f.code == "comparable-change"]
    assert found and found[0].extra["unit"] == "C"
    assert "直接相减为 -40" in found[0].message and "按可比口径为 10" in found[0].message


def test_another_comparison_year_says_its_year(tmp_path):
    ws = make_ws(tmp_path, year=2020)
    add_submission(ws, "A", 2018, {"schools": 40})
    add_submission(ws, "A", 2020, {"schools": 45})
    out = _cli("rollup", "-w", ws.root, "--year", 2020, "--compare", 2018, "-m", "schools")
    assert out.exit_code == 0, out.output
    assert "比2018年" in out.output and "比上年" not in out.output
    xlsx = tmp_path / "汇总.xlsx"
    assert _cli("rollup", "-w", ws.root, "--year", 2020, "--compare", 2018, "-o", xlsx).exit_code == 0
    from openpyxl import load_workbook

    wording = [r[-1] for r in load_workbook(xlsx)["同比"].iter_rows(values_only=True) if r[1] == "中小学校数"]
    assert wording and all(w.startswith("比2018年") for w in wording if w)


def test_hierarchy_change_is_said(tmp_path):
    ws = make_ws(tmp_path)
    units = [("C", "测试市关工委", None), ("A", "甲县关工委", "C"), ("E", "新区关工委", "C", 2018)]
    set_units(ws, units)
    for year in (2017, 2018):
        add_submission(ws, "A", year, {"schools": 40})
    add_submission(ws, "E", 2018, {"schools": 5})
    text = R.build_report(ws, 2018, charts=False).text()
    assert "按现行隶属关系计算" in text
    assert "45所，比上年增加5所，主要是新区新设；按可比口径（剔除这个单位）与上年持平" in text  # not 上年未报: it did not exist


def test_dissolved_units_late_return_is_not_counted_without_a_finding(tmp_path):
    ws = make_ws(tmp_path)
    set_units(ws, [("C", "测试市关工委", None), ("A", "甲县关工委", "C"), ("X", "旧乡关工委", "C", None, 2017)])
    add_submission(ws, "A", 2018, {"schools": 40})
    add_submission(ws, "X", 2018, {"schools": 9})  # dissolved end of 2017
    assert ws.rollup(2018, compare=None).value("C", "schools") == Decimal(40)
    found = [f for f in ws.check(2018).findings if f.code == "inactive-return"]
    assert found and found[0].extra["unit"] == "X" and "未计入汇总" in found[0].message


def test_merged_units_give_their_successor_a_comparison(tmp_path):
    """东乡 + 西乡 were merged into 东西乡 in 2018 (units file column 前身)."""
    from gwstats.model.hierarchy import parse_units

    ws = make_ws(tmp_path)
    rows = [["编码", "单位名称", "上级编码", "启用年度", "停用年度", "前身"],
            ["C", "测试县关工委", "", "", "", ""],
            ["E", "东乡关工委", "C", "", "2017", ""],
            ["W", "西乡关工委", "C", "", "2017", ""],
            ["EW", "东西乡关工委", "C", "2018", "", "东乡、W"],
            ["N", "北乡关工委", "C", "", "", ""]]
    units, findings = parse_units(rows, "单位.csv")
    assert not findings and {u.code: u.merged_into for u in units}["E"] == "EW"
    ws.store.replace_units(units)
    assert ws.store.hierarchy().units["W"].merged_into == "EW"
    add_submission(ws, "E", 2017, {"schools": 4})
    add_submission(ws, "W", 2017, {"schools": 6})
    add_submission(ws, "N", 2017, {"schools": 5})
    add_submission(ws, "EW", 2018, {"schools": 11})
    add_submission(ws, "N", 2018, {"schools": 5})
    res = ws.rollup(2018)
    rec = res.record("EW", "schools")
    assert rec["prev_value"] == 10 and rec["change"] == 1 and rec["comparable"] is False
    root = res.record("C", "schools")
    assert root["change"] == 1 and root["comparable"] is False  # 16 vs 15, every unit on one basis
    text = R.build_report(ws, 2018, charts=False).text()
    assert "按现行隶属关系计算" in text and "中小学校16所，比上年增加1所" in text


def test_unit_whose_subordinates_are_all_inactive_is_a_leaf_that_year(tmp_path):
    """丘县's only township was dissolved after 2017: in 2018 丘县's 汇总 return is its own figure."""
    ws = make_ws(tmp_path)
    set_units(ws, [("C", "测试市关工委", None), ("Q", "丘县关工委", "C"), ("Q1", "丘县一乡", "Q", None, 2017),
                   ("P", "平县关工委", "C")])
    add_submission(ws, "Q", 2018, {"schools": 9}, scope="汇总")
    add_submission(ws, "P", 2018, {"schools": 3})
    res = ws.rollup(2018, compare=None)
    assert res.value("Q", "schools") == 9 and res.value("C", "schools") == 12
    assert res.coverage("C") == (2, 2)  # 丘县一乡 is not expected in 2018
    assert "汇总表按本级计" in res.record("Q", "schools")["note"]


def test_a_unit_that_moved_is_said(tmp_path):
    ws = make_ws(tmp_path)
    for year in (2017, 2018):
        add_submission(ws, "A1", year, {"schools": 4})
    assert "按现行隶属关系计算" not in R.build_report(ws, 2018, charts=False).text()
    from store_builders import SMALL_UNITS

    moved = [(c, n, "B" if c == "A1" else p) for c, n, p in SMALL_UNITS]  # 甲县一站 now under 乙县
    set_units(ws, moved)
    assert ws.store.moved_units() == ["A1"]
    assert "按现行隶属关系计算" in R.build_report(ws, 2018, charts=False).text()

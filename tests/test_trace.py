from decimal import Decimal

import pytest

from gwstats.core.errors import UsageError
from store_builders import add_submission, make_ws


@pytest.fixture
def ws(tmp_path):
    ws = make_ws(tmp_path)
    add_submission(ws, "A1", 2018, {"legal_lessons": 10}, file_name="甲县一站.xlsx", received_at="2019-01-05T08:00:00")
    add_submission(ws, "A1", 2018, {"legal_lessons": 12}, file_name="甲县一站(修改版).xlsx", received_at="2019-01-08T08:00:00",
                   raws={"legal_lessons": "１２"})
    add_submission(ws, "A2", 2018, {"legal_lessons": 5, "org_total": 4, "org_wuhao": 3}, file_name="甲县二站.xlsx")
    add_submission(ws, "A", 2018, {"legal_lessons": 1}, file_name="甲县本级.xlsx")
    add_submission(ws, "A", 2018, {"legal_lessons": 20}, scope="汇总", file_name="甲县汇总.xlsx")
    add_submission(ws, "B", 2018, {"legal_lessons": 40}, scope="汇总", file_name="乙县汇总.xlsx")
    return ws


def test_trace_down_to_cells_with_history(ws):
    t = ws.trace(2018, "甲县关工委", "法制课场次")
    assert t.value == Decimal(18) and t.unit == "A"
    node = t.tree
    assert node.own.value == 1 and node.own.file == "甲县本级.xlsx"
    assert node.reported.value == 20 and node.source == "computed"
    kids = {c.unit: c for c in node.children}
    assert kids["A1"].own.value == 12 and kids["A1"].own.raw == "１２" and kids["A1"].own.cell == "D5"
    assert kids["A1"].own.file == "甲县一站(修改版).xlsx"
    text = t.render()
    assert "甲县关工委 2018 年 法制课场次：18场次" in text
    assert "甲县一站：12  ← 甲县一站(修改版).xlsx，工作表“Sheet1”，单元格 D5，原文“１２”" in text
    assert "汇总表填报：20（仅用于比对，不相加）" in text
    assert "版本记录" in text and "已被 #" in text
    versions = [h for h in t.history if h.unit == "A1"]
    assert [h.value for h in versions] == [10, 12] and [h.in_force for h in versions] == [False, True]
    recs = t.records()
    assert {r["role"] for r in recs} == {"total", "own", "reported"}


def test_trace_stand_in_and_missing(ws):
    from gwstats.analysis.trace import trace

    t = trace(ws, 2018, "C", "legal_lessons", prefer="reported")
    kids = {c.unit: c for c in t.tree.children}
    assert kids["B"].source == "reported" and kids["B"].total == 40
    assert kids["D"].missing
    text = t.render()
    assert "代替计算数" in text and "市直单位：未报" in text
    assert t.value == Decimal(58)


def test_trace_rate_shows_components(ws):
    t = ws.trace(2018, "A", "rate_wuhao")
    assert t.kind == "rate" and t.value == pytest.approx(75.0)
    assert [c.metric for c in t.components] == ["org_wuhao", "org_total"]
    text = t.render()
    assert "= 3 ÷ 4" in text and "甲县二站：3" in text


def test_trace_unknown_metric(ws):
    with pytest.raises(UsageError):
        ws.trace(2018, "A", "不存在")


def test_trace_cli(ws):
    from typer.testing import CliRunner

    from gwstats.cli.app import app

    r = CliRunner().invoke(app, ["trace", "-w", str(ws.root), "--year", "2018", "--unit", "甲县关工委", "--metric", "法制课场次"])
    assert r.exit_code == 0, r.output
    assert "├─ 本级：1" in r.output and "甲县一站：12" in r.output
    r = CliRunner().invoke(app, ["trace", "-w", str(ws.root), "--year", "2018", "--unit", "甲县关工委", "--metric", "无此指标"])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_trace_leaf_huizong_counted_as_own(tmp_path):
    ws = make_ws(tmp_path)
    add_submission(ws, "B1", 2018, {"legal_lessons": 7}, scope="汇总", file_name="乙县一站.xlsx")
    t = ws.trace(2018, "B", "legal_lessons")
    assert t.value == 7
    assert "乙县一站：7（汇总表，无下级单位，按本级计）  ← 乙县一站.xlsx" in t.render()


@pytest.fixture
def as_province(monkeypatch):
    """The test list read as a province's: more units under the city than BIG_UNITS, opened one level."""
    import gwstats.analysis.brief as brief

    monkeypatch.setattr(brief, "BIG_UNITS", 3)
    monkeypatch.setattr(brief, "BRIEF_DEPTH", 1)


def test_trace_cli_of_a_big_unit_opens_down_to_the_counties(ws, as_province):
    from typer.testing import CliRunner

    from gwstats.cli.app import app

    args = ["trace", "-w", str(ws.root), "--year", "2018", "--unit", "测试市关工委", "--metric", "法制课场次"]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "甲县关工委：合计 18" in r.output and "甲县一站" not in r.output  # the towns are below the cut
    assert "只展开到下 1 级；展开更多层请加 --depth，全部来源请用 --format csv" in r.output
    everything = CliRunner().invoke(app, [*args, "--format", "csv"]).output
    assert "甲县一站" in everything  # csv gives every unit
    deeper = CliRunner().invoke(app, [*args, "--depth", "5"]).output
    assert "甲县一站：12" in deeper and "只展开到" not in deeper
    small = CliRunner().invoke(app, [*args[:6], "甲县关工委", *args[7:]]).output  # a unit below the limit: in full
    assert "甲县一站：12" in small and "只展开到" not in small

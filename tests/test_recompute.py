"""Issue 20, "Changes a reader can recompute": every change on a page can be checked with a calculator
from figures on the same page or on last year's return."""

from decimal import Decimal

import openpyxl
import pytest

from gwstats.render import report as R
from gwstats.render.chart_data import build_chart, trend_data
from gwstats.render.rollup_table import headline_rows
from gwstats.render.workbook import write_workbook
from store_builders import add_submission, make_ws

UNITS = [
    ("C", "测试县关工委", None),
    ("A", "城关镇关工委", "C"),
    ("B", "石门镇关工委", "C"),
    ("E", "东湖街道关工委", "C"),
    ("N", "南街社区关工委", "C"),
]


@pytest.fixture
def ws(tmp_path):
    """2019: 115 organisations; 2020: 东湖街道 and 南街社区 send nothing, the others +6 → 110."""
    ws = make_ws(tmp_path, UNITS, name="测试县关工委")
    add_submission(ws, "C", 2019, {"org_total": 1, "legal_vp": 2})
    add_submission(ws, "A", 2019, {"org_total": 50, "legal_vp": 10})
    add_submission(ws, "B", 2019, {"org_total": 53, "legal_vp": 4})
    add_submission(ws, "E", 2019, {"org_total": 7, "legal_vp": 4})
    add_submission(ws, "N", 2019, {"org_total": 4, "legal_vp": 2})
    add_submission(ws, "C", 2020, {"org_total": 1, "legal_vp": 2})
    add_submission(ws, "A", 2020, {"org_total": 55, "legal_vp": 10})
    add_submission(ws, "B", 2020, {"org_total": 54, "legal_vp": 4})
    return ws


def test_sentence_gives_raw_and_comparable_change(ws):
    text = R.build_report(ws, 2020, charts=False).text()
    assert ("共有关工委组织110个，比上年减少5个，主要是东湖街道、南街社区本年未报；"
            "按可比口径（剔除这两个单位）比上年增加6个") in text
    # 法制副校长 22 → 16: never plain 与上年持平
    assert "聘任法制副校长16人，比上年减少6人" in text
    assert "（东湖街道、南街社区未报），按可比口径" not in text


def test_basis_stated_once_per_section(ws):
    res = ws.rollup(2020)
    recs = {r["metric"]: r for r in res.records() if r["unit"] == "C"}
    from gwstats.render import wording as W

    said: set = set()
    first = W.value_clause(recs["org_total"], said=said)
    second = W.value_clause(recs["legal_vp"], said=said)
    assert "按可比口径（剔除这两个单位）" in first
    assert second == "聘任法制副校长16人，比上年减少6人，剔除上述单位后与上年持平"


def test_every_change_is_this_year_minus_last_year_on_its_row(ws, tmp_path):
    res = ws.rollup(2020)
    path = write_workbook(ws, res, tmp_path / "汇总.xlsx")
    sheet = openpyxl.load_workbook(path)["同比"]
    rows = list(sheet.iter_rows(values_only=True))
    head_at = next(k for k, r in enumerate(rows) if r and r[0] == "单位")
    head = rows[head_at]
    assert "2019年（可比口径）" in head and "2019年（全部）" in head
    cur, prev, ch, full = (head.index(c) for c in ("2020年", "2019年（可比口径）", "增减", "2019年（全部）"))
    checked = 0
    for r in rows[head_at + 1:]:
        if not r or r[ch] is None or r[cur] is None:
            continue
        assert Decimal(str(r[cur])) - Decimal(str(r[prev])) == Decimal(str(r[ch])), r
        checked += 1
    assert checked >= 2
    total = next(r for r in rows if r and r[0] == "测试县关工委（合计）" and r[1] == "关工委组织数")
    assert (total[cur], total[prev], total[ch], total[full]) == (110, 104, 6, 115)


def test_console_headline_row_adds_up(ws):
    row = next(r for r in headline_rows(ws.rollup(2020)) if r["指标"] == "关工委组织数")
    assert row["本年"] == "110" and row["上年（可比口径）"] == "104" and row["增减"].startswith("+6")
    assert row["上年（全部）"] == "115"


def test_compare_chart_labels_are_the_difference_of_the_bars(ws):
    data = build_chart(ws, 2020, "关工委组织数", kind="compare")
    for v, p, c in zip(data.values, data.prev_values, data.changes):
        if v is not None and p is not None:
            assert Decimal(str(v)) - Decimal(str(p)) == Decimal(str(c))
    assert "减少5个" in data.subtitle and "按可比口径" in data.subtitle


def test_trend_marks_incomplete_years(ws):
    add_submission(ws, "A", 2018, {"org_total": 40})
    data = trend_data(ws, 2020, "org_total")
    assert data.labels[0] == "2018年 已报1/4"
    assert data.labels[1] == "2019年" and data.labels[-1] == "2020年 已报2/4"
    assert "比2019年减少5个" in data.subtitle and "按可比口径" in data.subtitle


def test_trace_lists_a_derived_own_line_so_children_add_up(tmp_path):
    from store_builders import SMALL_UNITS

    ws = make_ws(tmp_path, SMALL_UNITS)
    add_submission(ws, "A", 2018, {"org_total": 20}, scope="汇总")  # 甲县 sent its 汇总 only
    add_submission(ws, "A1", 2018, {"org_total": 5})
    add_submission(ws, "A2", 2018, {"org_total": 6})
    text = ws.trace(2018, "A", "org_total").render()
    assert "合计 20" in text and "甲县一站：5" in text and "甲县二站：6" in text
    assert "本级：9（由汇总表数 20 减去下级合计 11 得出）" in text


def test_workbook_shows_yuan_per_person_with_two_decimals(tmp_path):
    from store_builders import SMALL_UNITS

    ws = make_ws(tmp_path, SMALL_UNITS)
    add_submission(ws, "A1", 2018, {"aided_students": 3, "aid_amount": "0.5"})
    path = write_workbook(ws, ws.rollup(2018), tmp_path / "汇总.xlsx")
    sheet = openpyxl.load_workbook(path)["分单位明细"]
    row = next(r for r in sheet.iter_rows() if r[4].value == "人均资助金额" and r[7].value is not None)
    assert row[7].number_format == "0.00" and round(row[7].value, 2) == 1666.67


def test_level_remainder_row_says_what_it_holds(tmp_path):
    from store_builders import SMALL_UNITS

    ws = make_ws(tmp_path, SMALL_UNITS)
    add_submission(ws, "C", 2018, {"org_total": 1})
    add_submission(ws, "A", 2018, {"org_total": 2})
    add_submission(ws, "A1", 2018, {"org_total": 5})
    add_submission(ws, "D", 2018, {"org_total": 4})
    res = ws.rollup(2018, level=3)
    names = [res.row_name(k) for k in res.listed_keys]
    other = next(n for n in names if n.startswith("其他"))
    assert other == "其他（测试市、甲县本级；市直单位）"

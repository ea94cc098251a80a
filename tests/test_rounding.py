"""One rounding rule, stated once (gwstats/rounding.py), and what every output does with it."""

from decimal import Decimal

import pytest
from typer.testing import CliRunner

from gwstats.cli.app import app
from gwstats.render import report as R
from gwstats.render import wording as W
from gwstats.render.rollup_table import ROUNDING_NOTE, fmt_change, fmt_value, rounding_note
from gwstats.core.rounding import percent, share_shown
from store_builders import add_submission, make_ws


def _cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_half_up_everywhere():
    assert percent(13, 16) == Decimal("81.3")  # 81.25: half up, not half even
    assert W.share_percent(1, 16) == "6.3%"  # 6.25
    assert fmt_value(Decimal("64.1734"), "amount", "万元") == "64.17"  # as the report writes it
    assert fmt_value(1204.8347, "rate", "元") == "1204.83元"  # the console as the report: 2 decimals for 元


def test_incomplete_share_never_shows_100():
    assert percent(2499, 2500) == Decimal("99.9")
    assert percent(2500, 2500) == Decimal("100.0")
    assert share_shown(Decimal("99.96")) == Decimal("99.9")
    assert W.share_percent(2499, 2500) == "99.9%"


def test_status_percentage_is_half_up(tmp_path):
    units = [("R", "测试市关工委", None)] + [(f"U{k}", f"单位{k}", "R") for k in range(16)]
    ws = make_ws(tmp_path, units)
    for k in range(13):
        add_submission(ws, f"U{k}", 2018, {"legal_lessons": 1})
    assert "（81.3%）" in ws.status(2018).summary_line()


@pytest.mark.parametrize("prev, cur, shown", [
    ((727, 1000), (807, 1000), "+8.0个百分点"),  # 72.7 → 80.7
    ((875, 1000), (957, 1000), "+8.2个百分点"),  # 87.5 → 95.7
    ((8066, 10000), (8074, 10000), "持平"),  # 80.66 → 80.74: both show 80.7
])
def test_point_change_is_the_difference_of_the_rates_as_shown(tmp_path, prev, cur, shown):
    ws = make_ws(tmp_path)
    add_submission(ws, "A", 2017, {"org_wuhao": prev[0], "org_total": prev[1]})
    add_submission(ws, "A", 2018, {"org_wuhao": cur[0], "org_total": cur[1]})
    rec = ws.rollup(2018).record("C", "rate_wuhao")
    assert fmt_change(rec) == shown
    sentence = W.record_change(rec)
    assert sentence == ("与上年持平" if shown == "持平" else f"比上年提高{shown[1:]}")


def test_rounding_note_when_shown_rows_do_not_add_up():
    rows = [["甲", "0.33"], ["乙", "0.33"], ["丙", "0.33"], ["合计", "1.00"]]  # 1/3 each: 0.333…
    assert rounding_note(rows, ["amount"]) == ROUNDING_NOTE
    assert rounding_note([["甲", "1.00"], ["合计", "1.00"]], ["amount"]) == ""


def test_report_table_carries_the_rounding_note(tmp_path):
    ws = make_ws(tmp_path)
    for unit in ("A", "B", "D"):
        add_submission(ws, unit, 2018, {"aid_amount": "0.335"})  # shown 0.34 each, 合计 1.005 → 1.01
    content = R.build_report(ws, 2018, charts=False)
    table = next(b for b in content.blocks if b.kind == "table" and "资助金额（万元）" in b.columns)
    assert table.note == ROUNDING_NOTE
    out = _cli("rollup", "-w", ws.root, "--year", 2018, "-m", "aid_amount", "--no-compare")
    assert f"注：{ROUNDING_NOTE}" in out.output


def test_approx_reaches_rates_per_head_figures_and_changes(tmp_path):
    ws = make_ws(tmp_path)
    add_submission(ws, "A", 2017, {"aided_students": 700, "aid_amount": "80", "org_total": 10, "org_wuhao": 8})
    add_submission(ws, "A", 2018, {"aided_students": 800, "aid_amount": "100", "org_total": 10, "org_wuhao": 9},
                   approx=("aided_students", "org_wuhao"))
    res = ws.rollup(2018)
    per_head = res.record("C", "avg_aid")
    assert per_head["approx"] and per_head["change_approx"]
    text = R.build_report(ws, 2018, charts=False).text()
    # the figure is at least 800 (800多): 800余人; the change from it may be more or less: 约100人
    assert "资助困难学生800余人，比上年增加约100人" in text
    assert "人均资助金额约1250.00元，比上年增加约107.14元" in text  # 2 decimals, as in the tables
    assert "占约90%" in text  # one decimal in the text, none when whole

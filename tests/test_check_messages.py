"""Check messages name metrics, not catalog codes, and cite the cell of the figure they show (issue 20)."""

from __future__ import annotations

from store_builders import add_submission, make_ws


def test_rule_message_names_metrics_and_cites_the_total_cell(tmp_path):
    ws = make_ws(tmp_path, year=2020)
    # donations (D5) 30, donations_social (D6) 13, donations_wulao (D7) 7: 30 ≠ 13 + 7 = 20
    add_submission(ws, "D", 2020, {"donations": 30, "donations_social": 13, "donations_wulao": 7})
    f = next(f for f in ws.check(2020).findings if f.code == "rule" and f.extra.get("rule") == "donations_parts")
    assert "donations_social" not in f.message and "社会力量捐款 + 五老捐款捐物" in f.message
    assert f.cell == "D5" and f.extra["raw"] == "30"  # the cell of 捐款捐物 (30), not of the first part (13)


def test_rule_with_sum_on_the_left_cites_the_single_side(tmp_path):
    ws = make_ws(tmp_path, year=2020)
    add_submission(ws, "D", 2020, {"aid_amount": 9, "aided_students": 2})  # 9 万元 for 2 students > 2 × 2
    f = next(f for f in ws.check(2020).findings if f.code == "rule" and f.extra.get("rule") == "amount_needs_students")
    assert f.cell == "D5" and "aided_students" not in f.message

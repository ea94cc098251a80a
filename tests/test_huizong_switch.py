"""A unit that sends 本级 + subordinates one year and one 汇总 (subordinates silent) the next: its 汇总
stands for its subtree, and the change compares like with like (issue 20: 58, +3 (+5.5 %), 甲县 20 → 22)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store_builders import add_submission, make_ws


@pytest.fixture
def ws(tmp_path):
    ws = make_ws(tmp_path, year=2020)
    for unit, v in {"A": 2, "A1": 8, "A2": 10, "B": 5, "B1": 10, "B2": 10, "D": 10}.items():
        add_submission(ws, unit, 2019, {"org_total": v})
    add_submission(ws, "A", 2020, {"org_total": 22}, scope="汇总")
    for unit, v in {"B": 5, "B1": 10, "B2": 12, "D": 9}.items():
        add_submission(ws, unit, 2020, {"org_total": v})
    return ws


@pytest.mark.parametrize("prefer", ["computed", "reported"])
def test_switch_to_huizong_compares_like_with_like(ws, prefer):
    rr = ws.rollup(2020, prefer=prefer)
    city, county = rr.record("C", "org_total"), rr.record("A", "org_total")
    assert city["value"] == Decimal(58)
    assert city["change"] == Decimal(3)
    assert round(city["change_pct"], 1) == 5.5
    assert county["value"] == Decimal(22) and county["change"] == Decimal(2)
    assert county["source"] == "reported"


def test_switch_back_from_huizong(ws, tmp_path):
    # 2021: 本级 + subordinates again; compared with the 2020 汇总 of 22
    for unit, v in {"A": 3, "A1": 9, "A2": 11, "B": 5, "B1": 10, "B2": 12, "D": 9}.items():
        add_submission(ws, unit, 2021, {"org_total": v})
    rec = ws.rollup(2021).record("A", "org_total")
    assert rec["value"] == Decimal(23) and rec["change"] == Decimal(1)
    assert ws.rollup(2021).record("C", "org_total")["change"] == Decimal(1)


def test_export_as_return_sees_the_rollup_figure(ws, tmp_path):
    import openpyxl

    out = ws.export_return(2020, tmp_path / "up.xlsx")
    book = openpyxl.load_workbook(out.path)
    rows = [[c.value for c in row] for sheet in book.worksheets for row in sheet.iter_rows()]
    row = next(r for r in rows if "关工委组织数" in r)
    assert 58 in row or "58" in row


def test_a_rate_compares_like_with_like_too(tmp_path):
    """The county's 汇总 gives both parts of 五好达标率: the rate's comparable basis is the county's
    subtree in both years (its stations are not named 未报, its 2019 本级 alone is not the comparison)."""
    ws = make_ws(tmp_path, year=2020)
    for unit, (t, w) in {"A": (2, 1), "A1": (8, 4), "A2": (10, 5), "B": (5, 5), "B1": (10, 5), "B2": (10, 5),
                         "D": (10, 5)}.items():
        add_submission(ws, unit, 2019, {"org_total": t, "org_wuhao": w})
    add_submission(ws, "A", 2020, {"org_total": 22, "org_wuhao": 11}, scope="汇总")
    for unit, (t, w) in {"B": (5, 5), "B1": (10, 5), "B2": (12, 6), "D": (9, 5)}.items():
        add_submission(ws, unit, 2020, {"org_total": t, "org_wuhao": w})
    rec = ws.rollup(2020).record("C", "rate_wuhao")
    # 2019: 30 / 55 = 54.5 %; 2020: 32 / 58 = 55.2 %: +0.7 个百分点, every unit on the basis
    assert rec["prev_comparable"] == pytest.approx(100 * 30 / 55) and rec["value_comparable"] == pytest.approx(100 * 32 / 58)
    assert rec["change"] == pytest.approx(0.7)
    assert rec["left_out_prev"] == "" and not rec["comparable"]

"""A rate and its counts never disagree: units that gave only part of a rate are named and flagged."""

import pytest

from gwstats.render import report as R
from store_builders import add_submission, make_ws

UNITS = [("R", "某市关工委", None), ("J", "甲县关工委", "R"), ("Y", "乙县关工委", "R"), ("B", "丙县关工委", "R"),
         ("DX", "丁县关工委", "R")]


@pytest.fixture
def ws(tmp_path):
    ws = make_ws(tmp_path, UNITS, name="某市关工委")
    add_submission(ws, "J", 2018, {"org_total": 50, "org_wuhao": 30})
    add_submission(ws, "Y", 2018, {"org_total": 40, "org_wuhao": 20})
    add_submission(ws, "B", 2018, {"org_total": 20, "org_wuhao": 10})
    add_submission(ws, "DX", 2018, {"org_wuhao": 8})  # 组织数 left blank
    return ws


def test_sentence_names_the_unit_left_out_of_the_rate(ws):
    text = R.build_report(ws, 2018, charts=False).text()
    # 68 五好 counts 丁县's 8; the rate is 60/110 over the units that gave both parts
    assert "共有关工委组织110个；其中达到“五好”标准的68个，占54.5%（不含未填关工委组织数的丁县）" in text


def test_record_carries_who_the_rate_leaves_out(ws):
    rec = ws.rollup(2018, compare=None).record("R", "rate_wuhao")
    assert rec["numerator"] == 60 and rec["denominator"] == 110
    assert rec["rate_left_out"] == "不含未填关工委组织数的丁县"


def test_check_flags_a_numerator_without_its_denominator(ws):
    found = [f for f in ws.check(2018).findings if f.code == "rate-part-missing"]
    assert [f.extra["unit"] for f in found] == ["DX"]
    assert "填了达到五好标准组织数 8，未填关工委组织数" in found[0].message
    assert found[0].cell is not None  # the cell of the part that was given

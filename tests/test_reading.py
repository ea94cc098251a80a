"""Figures in the report's text rounded for reading (35.6万元, 8个百分点), and a change that a reader
recomputes from the figures as the text shows them (issue 20/21)."""

import re
from decimal import Decimal as D

import pytest

from gwstats.render import reading as R
from gwstats.render import wording as w


def _rec(name, measure, kind, value, prev=None, change=None, **more):
    if change is None and prev is not None:
        change = value - prev
    return {"metric_name": name, "measure": measure, "kind": kind, "value": value, "prev_value": prev,
            "change": change, **more}


@pytest.mark.parametrize("value, measure, kind, text", [
    (D("35.60"), "万元", "amount", "35.6万元"),
    (D("35.00"), "万元", "amount", "35万元"),
    (D("13.55"), "万元", "amount", "13.6万元"),  # half up
    (D("0.18"), "万元", "amount", "1800元"),  # under 1万元 in 元, as the published texts write 1800元
    (D(24800), "元", "amount", "2.5万元"),
    (D(1900), "元", "count", "1900元"),
    (D(41561), "人次", "count", "4.2万人次"),
    (D(30000), "人次", "count", "3万人次"),
    (D(2503), "人", "count", "2503人"),
])
def test_figures_are_rounded_for_reading(value, measure, kind, text):
    assert R.figure(value, measure, kind) == text


def test_rates_have_one_decimal_none_when_whole():
    assert R.rate(80.7) == "80.7%" and R.rate(100.0) == "100%" and R.rate(80) == "80%"
    assert R.rate(1204.833, "元") == "1204.83元"  # a rate per head keeps the tables' 2 decimals


def test_a_whole_change_of_a_rate_reads_8_not_8_0():
    rec = _rec("五好达标率", "%", "rate", 80.7, 72.7, change=8.0)
    assert R.change(rec, given=8.0) == "比上年提高8个百分点"
    rec = _rec("五好达标率", "%", "rate", 80.7, 79.5, change=1.2)
    assert R.change(rec, given=1.2) == "比上年提高1.2个百分点"
    rec = _rec("五好达标率", "%", "rate", 80.7, 80.7, change=0.0)
    assert R.change(rec, given=0.0) == "与上年持平"


@pytest.mark.parametrize("value, prev", [
    (D("35.64"), D("32.26")), (D("35.60"), D("32.27")), (D("2.69"), D("2.59")), (D("10.05"), D("9.94")),
    (D("0.55"), D("1.45")), (D(41561), D(38251)), (D(80000), D(80600)), (D(123456), D(98765)),
])
def test_a_change_in_the_text_is_the_difference_of_the_figures_it_shows(value, prev):
    """The reader subtracts the figures as printed (this year's here, last year's in last year's
    report): the stated change is exactly that, never the rounded exact difference (35.64 − 32.26 =
    3.38 reads 3.4; 35.6 − 32.3 = 3.3)."""
    measure, kind = ("人次", "count") if value > 1000 else ("万元", "amount")
    rec = _rec("x", measure, kind, value, prev)
    shown_now = R.figure(value, measure, kind)
    factor, places, unit = R.scale(value, measure, kind)
    shown_then = R.rounded(prev, factor, places)
    text = R.change(rec)
    number = D(re.search(r"[\d.]+", text).group(0))
    sign = 1 if "增加" in text else -1
    assert D(shown_now.removesuffix(unit)) - shown_then == sign * number, (shown_now, shown_then, text)
    assert text.endswith(unit)


def test_sentence_uses_the_reading_figures_and_their_difference():
    rec = _rec("捐款捐物", "万元", "amount", D("35.64"), D("32.26"))
    assert w.value_clause(rec) == "捐款捐物35.6万元，比上年增加3.3万元"
    rec = _rec("资助金额", "万元", "amount", D("2.69"), D("2.64"))
    assert w.value_clause(rec) == "资助金额2.7万元，比上年增加0.1万元"
    rec = _rec("资助金额", "万元", "amount", D("2.64"), D("2.61"))
    assert w.value_clause(rec) == "资助金额2.6万元，与上年持平"


def test_direction_is_none_where_the_plain_and_comparable_changes_disagree():
    rec = _rec("应建关工委单位数", "个", "count", D(158), D(164), change=D(0), comparable=True,
               value_comparable=D(158), prev_comparable=D(158))
    assert R.direction(rec) is None
    rec = _rec("关工委组织数", "个", "count", D(218), D(209))
    assert R.direction(rec) == 1
    rec = _rec("五好达标率", "%", "rate", 70.2, 72.7, change=-2.5)
    assert R.direction(rec) == -1
    assert R.direction(_rec("关工委组织数", "个", "count", D(218))) is None

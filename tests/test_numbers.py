"""numbers.parse_value: every way a person writes a figure in a return, case by case."""

from decimal import Decimal

import datetime as dt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gwstats.core.values import NumberError, canonical, cell_text, from_float, parse_value, parse_year


def val(text, **kw):
    p = parse_value(text, **kw)
    assert p is not None and p.state == "value"
    return p.value


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1,000", "1000"),
        ("1，000", "1000"),
        ("12,345,678", "12345678"),

        ("１２０", "120"),
        ("120 ", "120"),
        (" 1 20", "120"),
        ("120", "120"),
        (120, "120"),
        (120.0, "120"),
        ("0", "0"),
        (0, "0"),
        ("128场", "128"),
        ("88人", "88"),
    ],
)
def test_counts(raw, expected):
    p = parse_value(raw, unit="人", integer=True) if "场" not in str(raw) else parse_value(raw, unit="场次", integer=True)
    assert p.value == Decimal(expected) and str(p.value) == expected and not p.approx


def test_float_noise_becomes_the_typed_decimal():
    assert str(from_float(13.550000000000001)) == "13.55"
    assert str(val(13.550000000000001, unit="万元")) == "13.55"
    assert str(val(0.1 + 0.2, unit="万元")) == "0.3"
    assert str(val(1e-7 + 2, unit="万元")) == "2"


def test_amounts_in_wan_yuan():
    assert str(val("13.55万元", unit="万元")) == "13.55"
    assert str(val("13.55万", unit="万元")) == "13.55"
    assert str(val("13.55", unit="万元")) == "13.55"
    assert str(val(13.55, unit="万元")) == "13.55"


def test_amounts_in_yuan_are_converted_exactly():
    p = parse_value(135500, unit="万元", field_unit="元")
    assert str(p.value) == "13.55" and p.note == "按元换算为万元"
    assert str(val("1234.5", unit="万元", field_unit="元")) == "0.12345"
    assert str(val("135500元", unit="万元")) == "13.55"
    assert str(val("2万元", unit="万元", field_unit="元")) == "2"  # the written unit wins


def test_wan_in_a_count_field():
    assert val("3万人次", unit="人次", integer=True) == 30000
    assert val("3万", unit="人次", integer=True) == 30000
    assert val("1.2万", unit="人次", integer=True) == 12000
    assert val("3", unit="人次", integer=True, field_unit="万人次") == 30000


@pytest.mark.parametrize("raw", ["88.6%", "88、6%", "88.6", "８８．６％"])
def test_rates(raw):
    assert str(val(raw, unit="%")) == "88.6"


def test_rate_stored_as_fraction_by_percent_format():
    p = parse_value(0.886, unit="%")
    assert str(p.value) == "88.6" and p.note


def test_percent_in_a_count_is_an_error():
    with pytest.raises(NumberError, match="百分数"):
        parse_value("50%", unit="人", integer=True)


@pytest.mark.parametrize("raw", ["800多", "约800", "800余", "800左右", "大约800", "800多人", "800以上"])
def test_approximate(raw):
    p = parse_value(raw, unit="人", integer=True)
    assert p.value == 800 and p.approx


def test_approx_with_wan():
    p = parse_value("1万多", unit="人次", integer=True)
    assert p.value == 10000 and p.approx


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
def test_blank_is_not_reported(raw):
    assert parse_value(raw, unit="人", integer=True) is None


@pytest.mark.parametrize("raw", ["—", "-", "/", "无", "不适用", "——", "－", "／", "--"])
def test_not_applicable(raw):
    p = parse_value(raw, unit="人", integer=True)
    assert p.state == "na" and p.value is None


@pytest.mark.parametrize("raw", ["见附件", "若干", "近百万", "百余", "1.2.3", "1,5", "1,0000", "十几", "一些"])
def test_unreadable_text_is_an_error(raw):
    with pytest.raises(NumberError, match="无法识别为数字"):
        parse_value(raw, unit="人", integer=True)


def test_decimal_in_a_count_is_an_error():
    with pytest.raises(NumberError, match="整数"):
        parse_value("12.5", unit="人", integer=True)
    with pytest.raises(NumberError, match="整数"):
        parse_value(12.5, unit="人", integer=True)


def test_negative_is_an_error():
    with pytest.raises(NumberError, match="负数"):
        parse_value("-3", unit="人", integer=True)
    with pytest.raises(NumberError, match="负数"):
        parse_value(-3.0, unit="万元")


def test_wrong_written_unit_is_an_error():
    with pytest.raises(NumberError, match="计量单位"):
        parse_value("12篇", unit="人", integer=True)


def test_dates_and_booleans_are_errors():
    with pytest.raises(NumberError, match="日期"):
        parse_value(dt.datetime(2018, 1, 2), unit="人")
    with pytest.raises(NumberError, match="逻辑值"):
        parse_value(True, unit="人")


def test_too_many_places():
    with pytest.raises(NumberError, match="小数位"):
        parse_value("0.1234567", unit="万元")


def test_canonical_and_cell_text():
    assert str(canonical(Decimal("8E+2"))) == "800"
    assert str(canonical(Decimal("13.550"))) == "13.55"
    assert str(canonical(Decimal("-0"))) == "0"
    assert cell_text(13.550000000000001) == "13.55"
    assert cell_text(120.0) == "120"
    assert cell_text(None) == ""


@pytest.mark.parametrize("raw, year", [(2018, 2018), (2018.0, 2018), ("2018", 2018), ("2018年度", 2018),
                                       ("２０１８年", 2018), ("二〇一八", 2018), ("二〇一八年度", 2018), (None, None), ("", None)])
def test_years(raw, year):
    assert parse_year(raw) == year


@pytest.mark.parametrize("raw", [208, "208", 2108, "2108年", "十八", 2018.5, "18年"])
def test_not_a_year(raw):
    with pytest.raises(NumberError, match="年份"):
        parse_year(raw)


@pytest.mark.parametrize("raw", ["约1,000", "1,000多", "１，０００多"])
def test_approximate_with_thousands_separator(raw):
    p = parse_value(raw, unit="人次", integer=True)
    assert p.value == 1000 and p.approx


@pytest.mark.parametrize("raw", [10**12, 1e15, "99999999999999999999", "2万亿"])
def test_absurdly_large_values_are_errors(raw):
    with pytest.raises(NumberError):
        parse_value(raw, unit="人", integer=True)


# ---- Chinese numerals (read by cn2an) ------------------------------------------------------------
@pytest.mark.parametrize("raw, unit, value, approx", [
    ("十二", "人", "12", False),
    ("一百二十", "场次", "120", False),
    ("两千", "人", "2000", False),
    ("一万二", "人次", "12000", False),
    ("三千五百余", "人", "3500", True),
    ("1千", "人", "1000", False),
    ("约两千", "人", "2000", True),
    ("二百", "人", "200", False),
    ("一百二十人次", "人次", "120", False),
    ("十二万元", "万元", "12", False),
    ("一万二千元", "万元", "1.2", False),
    ("十二点五", "万元", "12.5", False),
])
def test_chinese_numerals(raw, unit, value, approx):
    p = parse_value(raw, unit=unit, integer=unit != "万元")
    assert (str(p.value), p.approx, p.chinese) == (value, approx, True)
    assert p.note.startswith("按中文数字读取")


@pytest.mark.parametrize("raw, value, approx", [("800多", "800", True), ("13.55万元", "13.55", False), ("3万", "30000", False)])
def test_arabic_forms_are_not_marked_chinese(raw, value, approx):
    p = parse_value(raw, unit="万元" if "元" in raw else "人次")
    assert (str(p.value), p.approx, p.chinese) == (value, approx, False)


def test_chinese_numeral_year():
    assert parse_year("二〇二〇") == 2020
    assert parse_year("二〇二〇年度") == 2020


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(0, 10**13), st.integers(0, 10**13).map(float), st.integers(0, 10**13).map(str),
                 st.sampled_from(["200多", "1,000", "13.55", "—", "一万二", " 12 ", "12.0"])),
       st.sampled_from(["人", "个", "场次", "万元"]))
def test_a_field_in_the_metric_s_own_unit_reads_as_one_without_a_unit(value, unit):
    """The quick path for a field written in the metric's own unit (计量单位 column 人 for 人) gives what
    the full reading gives (（人）, which the full reading normalises to 人) and what no field unit gives."""
    def read(**kw):
        try:
            return parse_value(value, unit=unit, integer=unit != "万元", **kw)
        except NumberError as exc:
            return exc.reason

    assert read(field_unit=unit) == read(field_unit=f"（{unit}）") == read()

"""gwstats.core.formatting: the one copy of value-to-text, Chinese ordinals and the CSV formula guard."""

import csv
import io
from decimal import Decimal

import pytest

from gwstats.core.formatting import RISKY_START, chinese_ordinal, csv_safe, decimal_text, number_text
from gwstats.forms.export import LONG_COLUMNS, csv_long_text
from gwstats.render.table import render_records


def test_chinese_ordinals_read_as_cn2an_writes_them():
    from cn2an import an2cn

    for n in range(1, 100):
        assert chinese_ordinal(n) == an2cn(n), n
    assert [chinese_ordinal(n) for n in (1, 10, 11, 12, 20, 21)] == ["一", "十", "十一", "十二", "二十", "二十一"]
    assert chinese_ordinal(100) == "100" and chinese_ordinal(0) == "0"


def test_the_report_template_and_workbook_number_with_it():
    # what used to be three copies with three limits (report: up to 19, template and workbook: up to 10)
    from gwstats.render import workbook

    assert workbook._level_name(2) == "二级单位"
    assert workbook._level_name(12) == "十二级单位"


@pytest.mark.parametrize("value, text", [
    (Decimal("218"), "218"), (Decimal("2E+2"), "200"), (Decimal("13.55"), "13.55"), (Decimal("0.1"), "0.1"),
    (Decimal("13.60"), "13.6"), (Decimal("14.00"), "14"), (Decimal("-3.50"), "-3.5"), (Decimal("1E-7"), "0.0000001"),
    (12, "12"),
])
def test_decimal_text_has_no_exponent_and_no_trailing_zeros(value, text):
    assert decimal_text(value) == text


def test_number_text_in_sentences_and_traces():
    assert number_text(None) == "无" and number_text(None, "人") == "无"
    assert number_text(Decimal("13.60"), "万元") == "13.6万元"
    assert number_text(0.25) == "0.3"  # a rate: one decimal, half up
    assert number_text(Decimal("1.5") - Decimal("0.10")) == "1.4"  # a difference written the same way


RISKY = ('=HYPERLINK("http://evil.example/x","点我")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
         "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "-张三", "+甲县二站")
NUMBERS = ("-3", "+12.5%", "-1,234.5", "+0.1")


def test_csv_safe_quotes_what_a_spreadsheet_would_run_and_keeps_numbers():
    for text in RISKY:
        assert text.startswith(RISKY_START)
        assert csv_safe(text) == "'" + text
    for text in (*NUMBERS, "甲", "—", "12", "a=b"):
        assert csv_safe(text) == text


def test_every_csv_output_follows_the_one_rule():
    texts = [t for t in (*RISKY, *NUMBERS, "甲县") if "\r" not in t]  # (table CSV ends lines with \n only)
    table = list(csv.reader(io.StringIO(render_records([{"单位名称": t} for t in texts], "csv"), newline="")))[1:]
    records = [{c: "" for c in LONG_COLUMNS} | {"单位名称": t} for t in texts]
    long_rows = list(csv.DictReader(io.StringIO(csv_long_text(records), newline="")))
    assert [r[0] for r in table] == [r["单位名称"] for r in long_rows] == [csv_safe(t) for t in texts]

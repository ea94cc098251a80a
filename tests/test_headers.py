"""One header vocabulary (tables.headers) for the return parsers and the form reader: a word that one
side read and the other did not is now read by both."""

import pytest

from gwstats.model.catalog import load_default
from gwstats.model.hierarchy import Hierarchy, parse_units
from gwstats.parse.book import parse_sheets
from gwstats.parse.context import Context
from gwstats.read.cells import Sheet
from gwstats.tables.finder import find_tables
from gwstats.tables.headers import year_header

from helpers_returns import UNITS_CSV, long_rows

CATALOG = load_default()


@pytest.fixture(scope="module")
def hierarchy():
    rows = [line.split(",") for line in UNITS_CSV.strip().splitlines()]
    units, _ = parse_units(rows, "units.csv")
    return Hierarchy({u.code: u for u in units})


def parse(hierarchy, rows, name="表"):
    ctx = Context(CATALOG, hierarchy, year=2018)
    ctx.file_name = "报表.xlsx"
    return parse_sheets([Sheet(name, rows)], ctx)


def codes(rets, findings):
    return [f.code for r in rets for f in r.findings] + [f.code for f in findings]


# ---- words the return parsers read, now read in a form too -------------------------------------
def test_a_form_list_headed_jine_is_read():
    """金额 / 名称 headed a return's list only; a form's 名称 | 金额 list was not found at all."""
    grid = Sheet("表", [["名称", "金额"], ["资助金额", None], ["捐款金额", None]])
    tables, _ = find_tables([grid])
    assert [t.kind for t in tables] == ["long"]
    assert tables[0].row_labels == ["资助金额", "捐款金额"]


def test_a_form_total_row_named_like_a_returns_total():
    """全市合计 was a total row in a return's wide sheet only."""
    grid = Sheet("表", [["项目", "城镇", "农村"], ["学校", None, None], ["社区", None, None], ["全市合计", None, None]])
    tables, _ = find_tables([grid])
    assert tables[0].kind == "crosstab" and tables[0].total_rows == ["全市合计"]


def test_a_year_heading_with_a_suffix_heads_a_forms_figures():
    """2018年度完成 headed a return's figures only."""
    grid = Sheet("表", [["指标", "2018年度完成"], ["关工委组织数", None], ["五老志愿者人数", None]])
    tables, _ = find_tables([grid])
    assert [t.kind for t in tables] == ["long"] and year_header("2018年度完成") == 2018


def test_a_heading_that_names_units_or_rows_alone_stays_a_crosstab():
    """名称 heads a return's unit column, but a form's grid with it at the corner is a cross-tab."""
    grid = Sheet("表", [["名称", "应建数", "已建数"], ["学校", None, None], ["社区", None, None]])
    tables, _ = find_tables([grid])
    assert tables[0].kind == "crosstab"


# ---- words the form reader read, now read in a return too --------------------------------------
def test_a_contact_line_under_a_list_is_a_footer(hierarchy):
    """联系电话 / 填报日期 / 填表说明 ended a form's table; in a return's list they were unknown labels."""
    rows = long_rows({"关工委组织数": 12}, footer=False)
    rows += [[None, "联系电话", None, "0556-1234567", None], [None, "填表说明", None, "见背面", None]]
    rets, findings = parse(hierarchy, rows)
    assert rets[0].values and "unknown-label" not in codes(rets, findings)


def test_a_wide_sheet_with_a_county_column_named_like_a_form(hierarchy):
    """县区 headed a form's unit column only: a return's sheet of unknown names was not read at all."""
    rows = [["县区", "法制课场次", "受教育师生人次"], ["甲县", 3, 300], ["乙县", 4, 400]]
    rets, findings = parse(hierarchy, rows)
    unknown = [f for r in rets for f in r.findings if f.code == "unknown-unit"]
    assert [f.cell for f in unknown] == ["A2", "A3"]


def test_a_units_of_measure_row_with_a_forms_measure(hierarchy):
    """件 / 期 / 天 were units of measure in a form only: the row under a return's header was a data row."""
    rows = [["单位", "法制课场次", "受教育师生人次"], [None, "期", "件"], ["岳西县局", 3, 300], ["望江县局", 4, 400]]
    rets, findings = parse(hierarchy, rows)
    assert "row-without-unit" not in codes(rets, findings)
    assert {r.unit for r in rets if r.values} == {"YX", "WJ"}


def test_header_fields_are_found_in_rows_of_numbers_and_blanks_and_only_there():
    """find_fields looks cell by cell only in rows whose text holds a label: a field among numbers and
    blank cells (a row that cannot be joined as text) is still found, in its cell."""
    from gwstats.tables.headers import find_fields
    rows = [["序号", "单位名称", "关工委组织数"],
            [1, "甲县关工委", 3.0],
            [None, "", "填报人：", None, "张三", 7],
            ["电话", "联系电话：0551-1234", None]]
    fields = find_fields(rows)
    assert (fields["填报人"].value, fields["填报人"].row, fields["填报人"].col) == ("张三", 2, 4)
    assert (fields["联系电话"].value, fields["联系电话"].row, fields["联系电话"].col) == ("0551-1234", 3, 1)
    assert "填报单位" not in fields  # 单位名称 alone is a column heading
    assert find_fields(rows, skip_rows={2, 3}) == {}

"""One unit per sheet: the template's layout and the free variants of it."""

from decimal import Decimal

import pytest

from gwstats.model.catalog import load_default
from gwstats.model.hierarchy import Hierarchy, parse_units
from gwstats.parse.context import Context
from gwstats.parse.book import parse_sheets
from gwstats.read.reader import Sheet

from helpers_returns import UNITS_CSV, long_rows

CATALOG = load_default()


@pytest.fixture(scope="module")
def hierarchy():
    rows = [line.split(",") for line in UNITS_CSV.strip().splitlines()]
    units, findings = parse_units(rows, "units.csv")
    assert not findings
    return Hierarchy({u.code: u for u in units})


def parse(hierarchy, sheets, file_name="报表.xlsx", year=None, unit=None, merged=None):
    ctx = Context(CATALOG, hierarchy, year=year, unit=unit)
    ctx.file_name = file_name
    if isinstance(sheets, list):
        sheets = {"统计表": sheets}
    return parse_sheets([Sheet(n, rows, (merged or {}).get(n, [])) for n, rows in sheets.items()], ctx)


def values_of(ret):
    return {v.metric: (str(v.value) if v.value is not None else None, v.state, v.cell, v.raw) for v in ret.values}


def errors(rets, findings):
    return [f for r in rets for f in r.findings if f.severity == "error"] + [f for f in findings if f.severity == "error"]


def test_template_layout(hierarchy):
    rows = long_rows({"关工委组织数": 12, "五老志愿者人数": "2,503", "资助金额": 13.550000000000001, "法制课场次": "800多"})
    rets, findings = parse(hierarchy, rows)
    assert not findings and len(rets) == 1
    r = rets[0]
    assert (r.unit, r.year, r.scope, r.unit_from, r.year_from) == ("YX", 2018, "本级", "填报单位", "年度")
    v = values_of(r)
    assert v["org_total"] == ("12", "value", "D7", "12")
    assert v["wulao_volunteers"] == ("2503", "value", "D8", "2,503")
    assert v["aid_amount"][0] == "13.55"
    assert v["legal_lessons"][:2] == ("800", "value")
    approx = [f for f in r.findings if f.code == "approximate"]
    assert len(approx) == 1 and "800多" in approx[0].message and approx[0].cell == "D10"
    assert r.filled_by == "张三" and r.phone == "0556-1234567"


def test_inline_header_fields_and_scope(hierarchy):
    rows = long_rows({"关工委组织数": 3}, inline_fields=True, scope="汇总")
    rets, _ = parse(hierarchy, rows)
    assert (rets[0].unit, rets[0].year, rets[0].scope) == ("YX", 2018, "汇总")


def test_stamp_and_colon_variants(hierarchy):
    rows = [["2018年度统计表"], ["填报单位（盖章）：", None, "望江县公安局关工委"], ["年度：2018年"], LONG_HEADER_ROW, [1, "法制课场次", "场次", "128场"]]
    rets, _ = parse(hierarchy, rows)
    assert (rets[0].unit, rets[0].year) == ("WJ", 2018)
    assert values_of(rets[0])["legal_lessons"][0] == "128"


LONG_HEADER_ROW = ["序号", "指标", "计量单位", "数值", "备注"]


def test_value_column_by_header_this_year_not_prior(hierarchy):
    header = ("序号", "项目", "单位", "上年数", "本年数", "备注")
    rows = [["望江县公安局关工委2018年统计表"], [], list(header), [1, "法制课场次", "场次", 100, 128],
            [2, "受教育师生人次", "人次", 20000, "3万人次"]]
    rets, findings = parse(hierarchy, rows)
    v = values_of(rets[0])
    assert v["legal_lessons"][:3] == ("128", "value", "E4")
    assert v["legal_audience"][0] == "30000"
    assert (rets[0].unit_from, rets[0].year_from) == ("标题", "标题")


def test_value_column_by_year_header(hierarchy):
    rows = [["填报单位：岳西县局"], ["年度：2018"], ["指标", "2017年", "2018年"], ["法制课场次", 150, 200]]
    rets, _ = parse(hierarchy, rows)
    assert values_of(rets[0])["legal_lessons"][:3] == ("200", "value", "C4")


@pytest.mark.parametrize("header_word", ["数量", "本年", "合计", "本年度"])
def test_value_column_words(hierarchy, header_word):
    rows = [["填报单位：岳西县局  年度：2018"], ["指标", header_word, "备注"], ["关工委组织数", 5, "说明文字"]]
    rets, _ = parse(hierarchy, rows)
    assert values_of(rets[0])["org_total"][0] == "5"


def test_amount_in_yuan_by_label_and_by_unit_column(hierarchy):
    rows = long_rows({"资助金额（元）": 135500, "捐款捐物": 356000}, units_of_measure={"捐款捐物": "元"})
    rets, _ = parse(hierarchy, rows)
    v = values_of(rets[0])
    assert v["aid_amount"][0] == "13.55"
    assert v["donations"][0] == "35.6"


def test_unknown_units_of_measure_are_converted_or_refused(hierarchy):
    rows = long_rows({"资助金额": 50, "受教育师生人次": 3, "捐款捐物": 12},
                     units_of_measure={"资助金额": "千元", "受教育师生人次": "万人次", "捐款捐物": "元/人"})
    rets, findings = parse(hierarchy, rows)
    v = values_of(rets[0]) if rets else {}
    msgs = [f.message for f in (rets[0].findings if rets else []) + list(findings)]
    # 50 千元 is 5 万元, not 50 万元; and the summary says how it was read
    assert v["aid_amount"][0] == "5" and any("按千元换算为万元" in m for m in msgs)
    assert v["legal_audience"][0] == "30000"
    # 元/人 cannot be turned into 万元 for certain: refused with the cell named
    assert "donations" not in v
    bad = [f for f in (rets[0].findings if rets else []) + list(findings) if "元/人" in f.message]
    assert bad and bad[0].cell and "无法换算" in bad[0].message


def test_labels_normalised(hierarchy):
    rows = long_rows({"五 老 志 愿 者": 10, "法治副校长人数": 4, "（1）资助困难学生人数（人）": 8, "其中：五老骨干人数": 3})
    v = values_of(parse(hierarchy, rows)[0][0])
    assert {k: x[0] for k, x in v.items()} == {"wulao_volunteers": "10", "legal_vp": "4", "aided_students": "8", "wulao_core": "3"}


def test_unknown_label_is_a_warning_with_hint(hierarchy):
    rows = long_rows({"关工委组织数": 2, "五老志愿者总人数": 7})
    rets, _ = parse(hierarchy, rows)
    w = [f for f in rets[0].findings if f.code == "unknown-label"]
    assert len(w) == 1 and "五老志愿者总人数" in w[0].message and "五老志愿者人数" in w[0].message
    assert w[0].cell == "B8"
    assert set(values_of(rets[0])) == {"org_total"}


def test_blank_separator_rows_group_headings_and_blank_values(hierarchy):
    rows = long_rows({"关工委组织数": 2, "五老志愿者人数": None, "法制课场次": 0, "资助金额": "—", "结对帮扶对数": 5},
                     blank_rows=True)
    rets, findings = parse(hierarchy, rows)
    v = values_of(rets[0])
    assert "wulao_volunteers" not in v  # blank = not reported
    assert v["legal_lessons"][:2] == ("0", "value")
    assert v["aid_amount"][:2] == (None, "na")
    assert v["mentoring_pairs"][0] == "5"
    assert not [f for f in rets[0].findings if f.code == "unknown-label"]


def test_bad_number_names_cell_and_text(hierarchy):
    rows = long_rows({"关工委组织数": 2, "资助金额": "近百万", "五老志愿者人数": "12.5", "五老骨干人数": -3})
    rets, findings = parse(hierarchy, rows)
    errs = {f.cell: f.message for f in errors(rets, findings)}
    assert "近百万" in errs["D8"] and "无法识别为数字" in errs["D8"]
    assert "12.5" in errs["D9"] and "整数" in errs["D9"]
    assert "-3" in errs["D10"] and "负数" in errs["D10"]


def test_duplicate_metric_rows(hierarchy):
    rows = long_rows({"法制课场次": 120, "法制课": 130})
    rets, findings = parse(hierarchy, rows)
    errs = errors(rets, findings)
    assert len(errs) == 1 and "出现两次且数值不同" in errs[0].message and "D7" in errs[0].message and "D8" in errs[0].message
    same = long_rows({"法制课场次": 120, "法制课": 120})
    rets, findings = parse(hierarchy, same)
    assert not errors(rets, findings) and values_of(rets[0])["legal_lessons"][0] == "120"


def test_unit_from_file_name_prefers_longest(hierarchy):
    rows = long_rows({"关工委组织数": 1}, unit=None, year=None)
    rets, _ = parse(hierarchy, rows, file_name="岳西县局2018年报表(修改版).xlsx")
    assert (rets[0].unit, rets[0].unit_from, rets[0].year, rets[0].year_from) == ("YX", "文件名", 2018, "文件名")
    rets, _ = parse(hierarchy, rows, file_name="岳西县公安局城关派出所报表.xlsx")
    assert rets[0].unit == "YX01"


def test_unit_and_year_from_sheet_name_then_options(hierarchy):
    rows = long_rows({"关工委组织数": 1}, unit=None, year=None, title=None)
    rets, _ = parse(hierarchy, {"怀宁县局2017": rows})
    assert (rets[0].unit, rets[0].year, rets[0].unit_from) == ("HN", 2017, "工作表名")
    rets, findings = parse(hierarchy, {"Sheet1": rows}, file_name="报表.xlsx", year=2019, unit="TC")
    assert (rets[0].unit, rets[0].year, rets[0].unit_from, rets[0].year_from) == ("TC", 2019, "--unit", "--year")


def test_no_unit_no_year_are_errors(hierarchy):
    rows = long_rows({"关工委组织数": 1}, unit=None, year=None, title=None)
    rets, findings = parse(hierarchy, {"Sheet1": rows}, file_name="报表.xlsx")
    codes = {f.code for f in errors(rets, findings)}
    assert codes == {"no-unit", "no-year"}


def test_unknown_unit_suggests(hierarchy):
    rows = long_rows({"关工委组织数": 1}, unit="岳西县公安分局关工委")
    rets, findings = parse(hierarchy, rows)
    errs = errors(rets, findings)
    assert errs[0].code == "unknown-unit" and "岳西县公安分局关工委" in errs[0].message and "岳西县公安局关工委" in errs[0].message
    assert errs[0].cell == "B2"


@pytest.mark.parametrize("bad", [208, "2108", "十八"])
def test_year_that_is_not_a_year(hierarchy, bad):
    rows = long_rows({"关工委组织数": 1}, year=bad)
    rets, findings = parse(hierarchy, rows)
    errs = errors(rets, findings)
    assert errs[0].code == "bad-year" and f"年度“{bad}”不是有效年份" in errs[0].message


def test_chinese_year(hierarchy):
    rows = long_rows({"关工委组织数": 1}, year="二〇一八年")
    assert parse(hierarchy, rows)[0][0].year == 2018


def test_several_sheets_one_unit_each_and_help_sheet_skipped(hierarchy):
    sheets = {
        "岳西": long_rows({"关工委组织数": 1}, unit="岳西县局"),
        "望江": long_rows({"关工委组织数": 2}, unit="望江县局"),
        "填表说明": [["填表说明"], ["1. 请填写数字"]],
    }
    rets, findings = parse(hierarchy, sheets)
    assert [(r.unit, r.sheet) for r in rets] == [("YX", "岳西"), ("WJ", "望江")] and not findings


def test_empty_template_sheet_beside_a_filled_one_is_skipped(hierarchy):
    sheets = {"岳西": long_rows({"关工委组织数": 1}), "空表": long_rows({"关工委组织数": None}, unit="望江县局")}
    rets, findings = parse(hierarchy, sheets)
    assert [r.unit for r in rets] == ["YX"] and not findings


def test_no_table_and_no_values(hierarchy):
    rets, findings = parse(hierarchy, {"说明": [["这是一封信"], ["请查收"]]})
    assert not rets and findings[0].code == "no-table" and "没有找到可识别的统计表" in findings[0].message
    rets, findings = parse(hierarchy, long_rows({"关工委组织数": None, "法制课场次": None}))
    assert not rets and findings[0].code == "no-values" and "没有填写任何数值" in findings[0].message


def test_table_without_header_row_is_guessed(hierarchy):
    rows = [["填报单位：岳西县局"], ["年度：2018"], ["关工委组织数", 3], ["五老志愿者人数", 40], ["法制课场次", 12]]
    rets, _ = parse(hierarchy, rows)
    assert {k: x[0] for k, x in values_of(rets[0]).items()} == {"org_total": "3", "wulao_volunteers": "40", "legal_lessons": "12"}


def test_formula_without_result_is_an_error(hierarchy):
    rows = long_rows({"关工委组织数": None, "五老志愿者人数": 5})
    ctx = Context(CATALOG, hierarchy)
    ctx.file_name = "f.xlsx"
    sheet = Sheet("统计表", rows, [], {(6, 3)})
    rets, findings = parse_sheets([sheet], ctx)
    errs = errors(rets, findings)
    assert errs[0].code == "formula-no-result" and errs[0].cell == "D7" and "Excel 或 WPS 打开" in errs[0].message


def test_rate_written_in_a_return(hierarchy):
    rows = long_rows({"五好达标率": "88、6%", "组织覆盖率": "100%"})
    v = values_of(parse(hierarchy, rows)[0][0])
    assert v["rate_wuhao"][0] == "88.6" and v["rate_coverage"][0] == "100"
    assert isinstance(Decimal(v["rate_wuhao"][0]), Decimal)


def test_parent_unit_and_fill_date_are_not_titles(hierarchy):
    rows = [["关心下一代工作统计表"], ["填报单位", None, "上级单位", "安庆市公安局关工委"],
            ["填报日期", "2019年1月10日"], ["序号", "指标", "计量单位", "数值"], [1, "法制课场次", "场次", 5]]
    rets, findings = parse(hierarchy, rows, file_name="岳西县局报表.xlsx", year=2018)
    r = rets[0]
    assert (r.unit, r.unit_from, r.year, r.year_from) == ("YX", "文件名", 2018, "--year")
    assert r.fill_date == "2019年1月10日"


def test_unit_of_measure_note_is_not_the_reporting_unit(hierarchy):
    rows = [["岳西县公安局关工委2018年度统计表"], ["（单位：人、万元）"], ["指标", "数值"], ["法制课场次", 5]]
    rets, findings = parse(hierarchy, rows)
    assert not errors(rets, findings)
    assert (rets[0].unit, rets[0].unit_from) == ("YX", "标题")


def test_label_blocks_side_by_side(hierarchy):
    rows = [["填报单位：岳西县局", None, None, "年度：2018"], ["指标", "数值", "指标", "数值"],
            ["关工委组织数", 12, "法制课场次", 200], ["五老志愿者人数", 40, "资助金额", 13.55]]
    rets, findings = parse(hierarchy, rows)
    assert not errors(rets, findings) and rets[0].layout == "long"
    assert {k: (x[0], x[2]) for k, x in values_of(rets[0]).items()} == {
        "org_total": ("12", "B3"), "wulao_volunteers": ("40", "B4"), "legal_lessons": ("200", "D3"), "aid_amount": ("13.55", "D4")}


def test_reporting_unit_field_matches_strictly(hierarchy):
    rets, findings = parse(hierarchy, long_rows({"法制课场次": 1}, unit="岳西县公安局城关派出所某某警务室"))
    assert errors(rets, findings)[0].code == "unknown-unit"
    rets, findings = parse(hierarchy, long_rows({"法制课场次": 1}, unit="岳西县公安局关工委（本级）"))
    assert rets[0].unit == "YX"


def test_file_name_of_a_unit_below_one_in_the_list_is_not_that_unit(hierarchy):
    rows = long_rows({"关工委组织数": 1}, unit=None, year=2018, title=None)
    rets, findings = parse(hierarchy, {"Sheet1": rows}, file_name="岳西县公安局某某警务室2018年报表.xlsx")
    assert errors(rets, findings)[0].code == "no-unit"
    rets, _ = parse(hierarchy, {"Sheet1": rows}, file_name="岳西县公安局2018年报表.xlsx")
    assert rets[0].unit == "YX"


@pytest.mark.parametrize("written, scope", [("本级（不含下属单位）", "本级"), ("汇总(含下属)", "汇总"), ("本单位", "本级"), ("合计", "汇总")])
def test_scope_variants(hierarchy, written, scope):
    assert parse(hierarchy, long_rows({"法制课场次": 1}, scope=written))[0][0].scope == scope


def test_bad_scope(hierarchy):
    rets, findings = parse(hierarchy, long_rows({"法制课场次": 1}, scope="全部"))
    assert errors(rets, findings)[0].code == "bad-scope" and "应为“本级”或“汇总”" in errors(rets, findings)[0].message


def test_a_loose_unit_of_measure_is_read_with_a_note(hierarchy):
    # 人 written on the 受教育师生人次 row (persons for person-times), 个 on a 人 row: the number is
    # taken as the row asks, and the clerk is told which cell and what to check
    rows = long_rows({"受教育师生人次": 6000, "五老志愿者人数": 80, "法制课场次": 120, "资助金额": 5000},
                     units_of_measure={"受教育师生人次": "人", "五老志愿者人数": "个", "法制课场次": "场",
                                       "资助金额": "元"})
    rets, findings = parse(hierarchy, rows)
    v = values_of(rets[0])
    assert v["legal_audience"][0] == "6000" and v["wulao_volunteers"][0] == "80"
    assert v["aid_amount"][0] == "0.5"  # 元 on a 万元 row: converted, never mixed
    loose = [f for f in rets[0].findings if f.code == "unit-differs"]
    assert [(f.cell, f.severity) for f in loose] == [("D7", "warning"), ("D8", "warning")]
    assert "计量单位写作“人”，按“人次”计入" in loose[0].message and "受教育师生人次" in loose[0].message
    assert "计量单位写作“个”，按“人”计入" in loose[1].message
    assert [f.cell for f in rets[0].findings if f.code == "converted"] == ["D10"]
    # the same written with the number
    rets, _ = parse(hierarchy, long_rows({"受教育师生人次": "6000人"}))
    assert [f.code for f in rets[0].findings if f.code == "unit-differs"] == ["unit-differs"]

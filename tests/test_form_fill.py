"""export --into: the city's own form filled with a county's totals, then imported by the city."""

from __future__ import annotations

import re
from decimal import Decimal

from openpyxl import load_workbook
from typer.testing import CliRunner

from gwstats.cli.app import app

from forms import city_long_form, city_wide_form
from test_export import county, make_ws

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_into_the_citys_own_form_and_back(tmp_path):
    a, sums = county(tmp_path, "XA", "甲县关工委", 5, 1)
    form = city_long_form(tmp_path / "丙市下发统计表.xlsx", year=2018)
    out = tmp_path / "甲县填好的统计表.xlsx"
    r = run("export", "--allow-errors", "-w", a.root, "--year", 2018, "--into", form, "-o", out)
    assert r.exit_code == 1, r.output  # done, with one cell the catalog cannot fill
    assert "关爱老党员人数" in r.output and "市统计表!D13" in r.output and "未填写" in r.output
    assert "公式格保留原公式" not in r.output  # the check formula is beside the figures, not in them

    before, after = load_workbook(form), load_workbook(out)
    b, s = before["市统计表"], after["市统计表"]
    # the form is the city's, unchanged but for the figures and the blank header fields
    assert {str(m) for m in b.merged_cells.ranges} == {str(m) for m in s.merged_cells.ranges}
    assert s.protection.sheet and s.protection.password == b.protection.password
    assert s["E6"].value == '=IF(D6>D5,"骨干多于志愿者","")'
    assert s["A1"].font.color.rgb == b["A1"].font.color.rgb and s["D5"].fill.fgColor.rgb == "00FFF2CC"
    assert s["A2"].value == "填报单位：甲县关工委" and s["E2"].value == 2018
    assert s["B17"].value == "张三" and s["D17"].value == "0556-1234567"
    assert s["D5"].value == sums["wulao_volunteers"] and s["D6"].value == sums["wulao_core"]
    assert Decimal(str(s["D11"].value)) == sums["aid_amount"]
    assert s["D13"].value is None
    changed = {(c.coordinate) for row in s.iter_rows() for c in row if c.value != b[c.coordinate].value}
    assert changed == {"A2", "B17", "D17", "D5", "D6", "D8", "D9", "D11", "D12", "D15"}
    assert after.sheetnames == before.sheetnames

    # the city reads the filled forms of 甲县 and 乙县 as their returns: the city's totals are the sums
    # of all eight townships' figures
    b, sums_b = county(tmp_path, "XB", "乙县关工委", 3, 10)
    out_b = tmp_path / "乙县填好的统计表.xlsx"
    assert b.fill_form(2018, form, out_b).unmatched
    city = make_ws(tmp_path, "city", [("SC", "丙市关工委", ""), ("SA", "甲县关工委", "SC"), ("SB", "乙县关工委", "SC")])
    rep = city.import_paths([out, out_b])
    assert not rep.has_rejections, rep.records()
    # the city's form has no 口径 field, so the city reads it as it reads every return of its form (本级);
    # for counties without subordinates in the city's list that is their total
    assert [(r.unit, r.scope) for f in rep.files for r in f.returns] == [("SA", "本级"), ("SB", "本级")]
    res = city.rollup(2018)
    for code in ("wulao_volunteers", "wulao_core", "org_total", "org_wuhao", "aid_amount", "aided_students", "legal_lessons"):
        assert res.value("SA", code) == sums[code], code
        assert res.value("SC", code) == sums[code] + sums_b[code], code


def test_into_a_wide_form_fills_only_this_units_row(tmp_path):
    a, sums = county(tmp_path, "XA", "甲县关工委", 2, 1)
    form = city_wide_form(tmp_path / "各县.xlsx", ["乙县关工委", "甲县关工委", "丁县关工委"])
    out = tmp_path / "填好.xlsx"
    res = a.fill_form(2018, form, out)
    assert not res.unmatched
    s = load_workbook(out)["汇总"]
    assert [s.cell(5, c).value for c in range(2, 6)] == [sums[k] for k in ("wulao_volunteers", "wulao_core", "legal_lessons", "legal_audience")]
    assert all(s.cell(r, c).value is None for r in (4, 6) for c in range(2, 6))
    assert s["B7"].value == "=SUM(B4:B6)"
    assert {(x[0], x[1]) for x in res.formulas} == set()  # the 合计 row is not this unit's row

    res = a.fill_form(2018, city_wide_form(tmp_path / "无本县.xlsx", ["乙县关工委"]), tmp_path / "o2.xlsx")
    assert res.unmatched and "表中没有本单位“甲县关工委”的行" in res.unmatched[0][3]


def test_into_usage_errors(tmp_path):
    a, _ = county(tmp_path, "XA", "甲县关工委", 1, 1)
    form = city_long_form(tmp_path / "f.xlsx")
    r = run("export", "--allow-errors", "-w", a.root, "--year", 2018, "--into", form, "-o", form)
    assert r.exit_code == 2 and "不能与上级下发的原表格相同" in r.output
    r = run("export", "--allow-errors", "-w", a.root, "--year", 2018, "--into", tmp_path / "none.xlsx", "-o", tmp_path / "o.xlsx")
    assert r.exit_code == 2 and "找不到" in r.output
    r = run("export", "--allow-errors", "-w", a.root, "--year", 2018, "--into", form, "--as-return", "-o", tmp_path / "o.xlsx")
    assert r.exit_code == 2 and "同时给了" in r.output
    assert not (tmp_path / "o.xlsx").exists()


def test_a_scope_field_in_the_form_is_filled_as_huizong(tmp_path):
    a, sums = county(tmp_path, "XA", "甲县关工委", 2, 1)
    form = city_long_form(tmp_path / "f.xlsx")
    wb = load_workbook(form)
    wb["市统计表"]["F2"] = "口径："
    wb.save(form)
    out = tmp_path / "o.xlsx"
    res = a.fill_form(2018, form, out)
    assert "口径" in res.fields and load_workbook(out)["市统计表"]["G2"].value == "汇总"
    city = make_ws(tmp_path, "city", [("SC", "丙市关工委", ""), ("SA", "甲县关工委", "SC")])
    f = city.import_paths([out]).files[0]
    assert [(r.unit, r.scope) for r in f.returns] == [("SA", "汇总")]
    assert city.rollup(2018).value("SC", "wulao_volunteers") == sums["wulao_volunteers"]


def test_parts_of_the_form_openpyxl_cannot_keep_are_named(tmp_path):
    """A chart openpyxl reads is kept; a macro project in an .xlsx is not, and the summary says so."""
    import zipfile

    from openpyxl.chart import BarChart, Reference

    a, _ = county(tmp_path, "XA", "甲县关工委", 1, 1)
    form = city_long_form(tmp_path / "f.xlsx")
    wb = load_workbook(form)
    s = wb["市统计表"]
    chart = BarChart()
    chart.add_data(Reference(s, min_col=4, min_row=5, max_row=6))
    s.add_chart(chart, "H2")
    wb.save(form)
    res = a.fill_form(2018, form, tmp_path / "o.xlsx")
    assert res.lost == [] and "xl/charts/chart1.xml" in zipfile.ZipFile(tmp_path / "o.xlsx").namelist()
    with zipfile.ZipFile(form, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\0" * 64)
    res = a.fill_form(2018, form, tmp_path / "p.xlsx")
    assert res.lost == ["宏"] and any("宏在填好的文件中没有保留" in line for line in res.summary_lines())


def test_header_fields_with_no_setting_are_named_to_the_clerk(tmp_path):
    a = make_ws(tmp_path, "XA", [("XA", "甲县关工委", ""), ("XA1", "甲县第1乡镇关工委", "XA")])
    from test_export import fill, township_values

    assert not a.import_paths([fill(a, tmp_path / "t.xlsx", "甲县第1乡镇关工委", township_values(a, 1))]).has_rejections
    form = city_long_form(tmp_path / "f.xlsx", year=2018)
    res = a.fill_form(2018, form, tmp_path / "o.xlsx")
    assert res.missing == ["填报人", "联系电话"]
    text = "\n".join(res.summary_lines())
    assert "填报人（filled_by）" in text and "联系电话（phone）" in text and "[export]" in text


def test_the_filled_form_prints_on_a4_portrait_one_page_wide(tmp_path):
    a, _sums = county(tmp_path, "XA", "甲县关工委", 5, 1)
    form = city_long_form(tmp_path / "丙市下发统计表.xlsx", year=2018)
    assert load_workbook(form)["市统计表"].page_setup.paperSize is None  # the city's form sets no paper
    out = tmp_path / "甲县填好的统计表.xlsx"
    run("export", "--allow-errors", "-w", a.root, "--year", 2018, "--into", form, "-o", out)
    s = load_workbook(out)["市统计表"]
    assert s.page_setup.paperSize == 9 and s.page_setup.orientation == "portrait"  # A4
    assert s.sheet_properties.pageSetUpPr.fitToPage and s.page_setup.fitToWidth == 1
    # a form that sets its own paper keeps it
    wb = load_workbook(form)
    wb["市统计表"].page_setup.orientation = "landscape"
    wb["市统计表"].page_setup.paperSize = 8  # A3
    wb.save(tmp_path / "A3表.xlsx")
    run("export", "--allow-errors", "-w", a.root, "--year", 2018, "--into", tmp_path / "A3表.xlsx", "-o", tmp_path / "填好A3.xlsx")
    s = load_workbook(tmp_path / "填好A3.xlsx")["市统计表"]
    assert s.page_setup.paperSize == 8 and s.page_setup.orientation == "landscape"



def test_into_marks_the_cells_an_open_error_touches(tmp_path):
    """--allow-errors: a figure an open error touches is marked in the superior's form as in --as-return
    (※ in the number format, so it stays a number; the error in a comment) and listed on the console."""
    a, _ = county(tmp_path, "XA", "甲县关工委", 2, 1)  # its townships' figures break catalog rules
    form = city_long_form(tmp_path / "丙市下发统计表.xlsx", year=2018)
    out = tmp_path / "甲县填好的统计表.xlsx"
    r = run("export", "--allow-errors", "-w", a.root, "--year", 2018, "--into", form, "-o", out)
    assert "数值后标“※”并加批注" in r.output and "市统计表!D6" in r.output, r.output
    s = load_workbook(out)["市统计表"]
    core = s["D6"]
    assert isinstance(core.value, int) and core.number_format.endswith('"※"')
    assert core.comment is not None and "五老骨干人数不能多于五老志愿者人数" in core.comment.text
    marked = {c.coordinate for row in s.iter_rows() for c in row if c.comment is not None}
    listed = set(re.findall(r"市统计表!(D\d+)", r.output.split("数值后标“※”并加批注")[1].splitlines()[0]))
    assert marked == listed and {c for c in marked if "※" in s[c].number_format} == marked
    assert s["D11"].comment is None  # 助学金额: no error touches it


def test_csv_long_names_the_rows_an_open_error_touches(tmp_path):
    """The long table keeps its columns (read back as they are); the console names the rows an open
    error touches, the unit's and the totals above it."""
    import csv
    import io

    a, _ = county(tmp_path, "XA", "甲县关工委", 2, 1)
    out = tmp_path / "long.csv"
    r = run("export", "--allow-errors", "-w", a.root, "--year", 2018, "--format", "csv-long", "-o", out)
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == ["单位编码", "单位名称", "年度", "指标编码", "指标名称", "数值", "计量单位", "口径"]
    said = dict(line.strip().split("：", 1) for line in r.output.split("长表中有")[1].splitlines()[1:] if "：" in line)
    assert "五老骨干人数" in said["甲县第1乡镇关工委"] and "五老骨干人数" in said["甲县关工委"]  # and the total above
    assert not any("助学金额" in v for v in said.values())

"""The return sent up as a 统计报表: form number lines, signatures, A4, only the rows the office has."""

from __future__ import annotations

from openpyxl import load_workbook
from typer.testing import CliRunner

from gwstats import Workspace
from gwstats.cli.app import app
from gwstats.forms import return_sheet as rs
from gwstats.forms.template import HELP_SHEET, SHEET_NAME, build_workbook, metric_rows

runner = CliRunner()


def county(tmp_path, export_settings: str = "", name: str = "甲县关工委"):
    ws = Workspace.init(tmp_path / "county", name=name, year=2018)
    if export_settings:
        text = ws.config_path.read_text(encoding="utf-8")
        ws.config_path.write_text(text.replace("\n[export]\n", "\n[export]\n" + export_settings + "\n", 1),
                                  encoding="utf-8")
    f = tmp_path / "units.csv"
    f.write_text("编码,单位名称,上级编码,别名\nXA,甲县关工委,,\nT1,甲县第1乡镇关工委,XA,\nT2,甲县第2乡镇关工委,XA,\n", encoding="utf-8")
    ws.import_units(f)
    ws = Workspace.open(ws.root)
    wb = build_workbook(ws.catalog, year=2018, unit_name="甲县第1乡镇关工委")
    sheet = wb[SHEET_NAME]
    rows = metric_rows(sheet)
    for mname, v in {"关工委组织数": 12, "达到五好标准组织数": 9, "资助金额": 3.5}.items():
        sheet.cell(rows[mname], 4, v)
    wb.save(tmp_path / "t1.xlsx")
    assert not ws.import_paths([tmp_path / "t1.xlsx"]).has_rejections
    return ws


def texts(sheet) -> list[str]:
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def test_return_carries_form_lines_signatures_and_prints_on_a4(tmp_path):
    ws = county(tmp_path, 'form_no = "关统1表"\nissuer = "某省关工委"\nhead = "李四"\nfilled_by = "张三"')
    out = tmp_path / "ret.xlsx"
    r = runner.invoke(app, ["export", "-w", str(ws.root), "--year", "2018", "--as-return", "-o", str(out)])
    assert r.exit_code == 0, r.output
    # the clerk hears which settings are missing, by label and key
    assert "没有设置" in r.output and "批准文号（approval_no）" in r.output and "联系电话（phone）" in r.output
    assert "表号（form_no）" not in r.output
    wb = load_workbook(out)
    sh = wb[SHEET_NAME]
    all_text = " ".join(texts(sh))
    assert "表号：关统1表" in all_text and "制表机关：某省关工委" in all_text
    assert f"批准文号：{rs.BLANK}" in all_text  # blank line, never invented
    assert "单位负责人：李四" in all_text and f"统计负责人：{rs.BLANK}" in all_text and "填表人：张三" in all_text
    assert "联系电话：" in all_text and "（单位盖章）" in all_text
    assert "报出日期：" in all_text and "年" in all_text.split("报出日期：")[1][:6]
    for sheet in wb.worksheets:  # A4 portrait, one page wide, footer names the office
        assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "portrait"
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert "甲县关工委" in sheet.oddFooter.center.text
    # the signature block is inside the print area
    last = int(sh.print_area[0].split(":")[1].lstrip("E").lstrip("$E").replace("$", "")) if isinstance(
        sh.print_area, list) else int(str(sh.print_area).split("$")[-1])
    seal_row = next(c.row for row in sh.iter_rows() for c in row if c.value == "（单位盖章）")
    assert last >= seal_row


def test_rows_nobody_reported_are_not_printed_and_the_file_still_goes_up(tmp_path):
    ws = county(tmp_path)
    out = tmp_path / "ret.xlsx"
    info = ws.export_return(2018, out)
    sh = load_workbook(out)[SHEET_NAME]
    rows = metric_rows(sh)
    shown = [n for n, r in rows.items() if not sh.row_dimensions[r].hidden]
    assert set(shown) == {"关工委组织数", "达到五好标准组织数", "资助金额"}
    assert sh.row_dimensions[rows["投入警力"]].hidden  # police-only metric of the built-in catalog
    assert "投入警力" in info.hidden
    assert [sh.cell(rows[n], 1).value for n in shown] == [1, 2, 3]  # 序号 over what is printed
    # a group with nothing to show does not print its heading
    group_rows = {sh.cell(r, 1).value: r for r in range(8, sh.max_row + 1)
                  if isinstance(sh.cell(r, 1).value, str) and "、" in sh.cell(r, 1).value}
    assert not sh.row_dimensions[group_rows["一、组织建设"]].hidden
    assert sh.row_dimensions[group_rows["二、五老队伍"]].hidden
    # the level above imports it whole: no warning about the extra lines
    up = Workspace.init(tmp_path / "city", name="丙市关工委", year=2018)
    f = tmp_path / "city.csv"
    f.write_text("编码,单位名称,上级编码,别名\nSC,丙市关工委,,\nSA,甲县关工委,SC,\n", encoding="utf-8")
    up.import_units(f)
    up = Workspace.open(up.root)
    rep = up.import_paths([out])
    assert not rep.has_rejections, rep.records()
    notes = " ".join(w.message for fr in rep.files for w in fr.warnings)
    assert "负责人" not in notes and "盖章" not in notes and "表号" not in notes
    assert up.rollup(2018).value("SA", "org_total") == 12


def test_nothing_is_cut_at_the_print_edge(tmp_path):
    ws = county(tmp_path)
    out = tmp_path / "ret.xlsx"
    ws.export_return(2018, out)
    wb = load_workbook(out)
    sh = wb[SHEET_NAME]
    rows = metric_rows(sh)
    note = sh.cell(rows["资助金额"], 5)  # 已报 1/2，未报 甲县第2乡镇关工委
    assert note.value and note.alignment.wrap_text
    width = sh.column_dimensions["E"].width
    assert sh.row_dimensions[note.row].height >= 15 * -(-rs.text_width(note.value) // width)
    for col in "BCD":  # names, units and figures fit their column
        longest = max(rs.text_width(sh[f"{col}{r}"].value) for r in rows.values() if not sh.row_dimensions[r].hidden)
        assert sh.column_dimensions[col].width >= longest
    help_sheet = wb[HELP_SHEET]
    assert help_sheet.column_dimensions["A"].width <= rs.HELP_WIDTH
    for row in help_sheet.iter_rows(min_col=1, max_col=1):
        c = row[0]
        if rs.text_width(c.value) > rs.HELP_WIDTH:
            assert c.alignment.wrap_text and help_sheet.row_dimensions[c.row].height >= 30, c.value


def test_footer_never_prints_the_placeholder_name(tmp_path):
    assert rs.office_name("某某市关工委", "甲县关工委") == "甲县关工委"
    assert rs.office_name("乙县关工委", "甲县关工委") == "乙县关工委"
    assert rs.office_name("", "某某市关工委") == ""
    assert rs.chinese_date("2021-01-15") == "2021年1月15日"

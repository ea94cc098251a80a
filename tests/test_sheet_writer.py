"""SheetWriter through XlsxWriter: what a sheet stores, read back with openpyxl and from the sheet XML."""

import re
import zipfile
from decimal import Decimal

import openpyxl

from gwstats.core.output import write_whole
from gwstats.render.sheet_writer import FMT, MAX_WIDTH, Book, SheetWriter
from xlsx_columns import column


def _book(tmp_path):
    wb = Book()
    sw = SheetWriter(wb, "汇总", "=某市关工委 2019 年度", "范围：某市")
    sw.header(["单位", "数额（万元）", "是否", "比率"])
    sw.write(["甲", Decimal("27.27"), True, 0.5], [None, FMT["amount"], None, FMT["rate"]], total=True)
    sw.write(["+乙", Decimal("1234567.89"), False, Decimal("0.1") + Decimal("0.2")],
             [None, FMT["amount"], None, f'{FMT["number"]}"※"'])
    sw.write(["丙" * (MAX_WIDTH + 5), 0.1 + 0.2, "", None], [None, FMT["amount"], None, FMT["rate"]])
    sw.note("说明" * 100)
    sw.hide(3)
    sw.finish()
    path = write_whole(tmp_path / "汇总.xlsx", wb.save)
    return path, openpyxl.load_workbook(path)["汇总"]


def test_cells_values_formats_and_text_safety(tmp_path):
    _, sh = _book(tmp_path)
    assert sh["A1"].value == "=某市关工委 2019 年度" and sh["A1"].data_type == "s" and sh["A1"].quotePrefix
    assert sh["A5"].value == "+乙" and sh["A5"].quotePrefix and not sh["A4"].quotePrefix
    assert [sh[c].value for c in ("B4", "C4", "C5", "C6", "D6")] == [27.27, "是", "否", None, None]
    assert sh["B4"].number_format == FMT["amount"] and sh["D5"].number_format == '0.00"※"'
    assert sh["A4"].font.b and sh["A4"].fill.fgColor.rgb.endswith("F2F2F2") and sh["A4"].border.left.style == "thin"
    assert sh["A3"].alignment.horizontal == "center" and sh["A3"].fill.fgColor.rgb.endswith("DDEBF7")
    assert sh["A6"].alignment.wrap_text and not sh["A4"].alignment.wrap_text  # only text wider than its column
    assert sh.row_dimensions[6].height == 15 * 3  # 90 wide in a 40-wide column: three lines
    assert sh.row_dimensions[7].height and "A7:D7" in {str(r) for r in sh.merged_cells.ranges}
    assert "A1:D1" in {str(r) for r in sh.merged_cells.ranges} and sh.freeze_panes == "B4"
    assert column(sh, "C").hidden and column(sh, "A").width == MAX_WIDTH + 2  # the width as asked, not padded
    assert sh.print_title_rows == "$1:$3" and sh.oddFooter.right.text == "汇总"
    assert sh.page_margins.header == sh.page_margins.footer == 0.5


def test_figures_stored_as_the_openpyxl_writer_stored_them(tmp_path):
    """16 significant digits of the float: 27.27 stays 27.27, 0.1 + 0.2 is 0.3 (not 0.30000000000000004)."""
    path, _ = _book(tmp_path)
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    v = dict(re.findall(r'<c r="([A-Z]+\d+)"[^>]*><v>([^<]*)</v>', xml))
    assert (v["B4"], v["B5"], v["D5"], v["B6"], v["D4"]) == ("27.27", "1234567.89", "0.3", "0.3", "0.5")

"""read.cells.Sheet: the one grid class, for a return's sheet and a form's sheet alike."""

from openpyxl import Workbook

from gwstats.read.cells import Sheet
from gwstats.tables.grid import grids_from_openpyxl


def test_text_and_width():
    s = Sheet("表", [["  指标（人）\u3000", 12], [None]])
    assert s.text(0, 0) == "指标(人)" and s.text(0, 1) == "12" and s.text(1, 0) == "" and s.text(9, 9) == ""
    assert s.width == 2 and Sheet("空", []).width == 0


def test_a_form_read_with_openpyxl_is_a_sheet_with_its_formula_cells():
    wb = Workbook()
    ws = wb.active
    ws.title = "表1"
    ws["A1"], ws["B1"], ws["B2"] = "指标", 3, "=B1*2"
    ws.merge_cells("A2:A3")
    [grid] = grids_from_openpyxl(wb)
    assert isinstance(grid, Sheet)
    assert grid.formulas == {(1, 1)} and grid.merged == [(1, 0, 2, 0)] and grid.cell(0, 1) == 3

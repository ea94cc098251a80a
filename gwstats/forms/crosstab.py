"""Cross-tab tables of the catalog drawn in their shape in the blank return: one sheet per table,
主栏 rows down the side, 宾栏 columns across, the same header fields as the main sheet (so that
import joins the sheets into one return)."""

from __future__ import annotations

from gwstats.model.catalog import Catalog


def crosstab_tables(catalog: Catalog, year: int | None = None) -> dict[str, dict]:
    """table -> {"title", "rows", "cols", "cells": {(row, col): Metric}} for metrics placed in a cross-tab
    (asked for in ``year``, when given)."""
    out: dict[str, dict] = {}
    for m in catalog.metrics.values():
        if not (m.row and m.column) or not m.applies_in(year):
            continue
        t = out.setdefault(m.table or m.group, {"title": m.group, "rows": [], "cols": [], "cells": {}, "part_of": {}})
        if m.part_of:
            t["part_of"][m.row] = m.part_of
        if m.row not in t["rows"]:
            t["rows"].append(m.row)
        if m.column not in t["cols"]:
            t["cols"].append(m.column)
        t["cells"][(m.row, m.column)] = m
    return out


def in_crosstab(m) -> bool:
    return bool(m.row and m.column)


def draw(wb, catalog: Catalog, header_values: dict, editable: set[str], organisation: str, year: int | None = None):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from gwstats.forms.layout import HEADER_FIELDS, cell_styles

    thin, border, bold, normal, unlocked, input_fill = cell_styles()
    for code, t in crosstab_tables(catalog, year).items():
        ws = wb.create_sheet(_sheet_name(code, wb))
        width = len(t["cols"]) + 1
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 4))
        year = header_values.get("年度")
        ws.cell(1, 1, f"{year or '____'}年度{t['title']}（{code}）").font = Font(name="黑体", bold=True, size=14)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        for label, (r, lc, vc) in HEADER_FIELDS.items():
            ws.cell(r, lc, label).font = bold
            cell = ws.cell(r, vc, header_values.get(label) or None)
            if label in editable:
                cell.protection = unlocked
                cell.fill = input_fill
        head = 7
        ws.cell(head, 1, "项目")
        for j, col in enumerate(t["cols"], 2):
            ws.cell(head, j, col)
        units = {col: {t["cells"][(r, col)].unit for r in t["rows"] if (r, col) in t["cells"]} for col in t["cols"]}
        first = head + 1
        if all(len(u) == 1 for u in units.values()):
            ws.cell(first, 1, "计量单位")
            for j, col in enumerate(t["cols"], 2):
                ws.cell(first, j, next(iter(units[col])))
            first += 1
        for c in range(1, width + 1):
            for r in range(head, first):
                ws.cell(r, c).font, ws.cell(r, c).border = bold, border
                ws.cell(r, c).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                ws.cell(r, c).fill = PatternFill("solid", fgColor="D9E1F2")
        for i, row in enumerate(t["rows"]):
            r = first + i
            ws.cell(r, 1, f"  其中：{row}" if row in t["part_of"] else row).border = border
            ws.cell(r, 1).font = normal
            for j, col in enumerate(t["cols"], 2):
                cell = ws.cell(r, j)
                cell.border = border
                m = t["cells"].get((row, col))
                if m is None:
                    cell.fill = PatternFill("solid", fgColor="BFBFBF")  # not asked for
                    continue
                cell.protection = unlocked
                cell.fill = input_fill
                cell.number_format = "0" if m.is_integer else "0.00"
        ws.column_dimensions["A"].width = 16
        for j in range(2, width + 1):
            ws.column_dimensions[get_column_letter(j)].width = 16
        ws.oddFooter.center.text = f"{organisation}  第 &P 页 共 &N 页" if organisation else "第 &P 页 共 &N 页"
        ws.protection.sheet = True


def _sheet_name(code: str, wb) -> str:
    name = "".join("_" if ch in "[]:*?/\\" else ch for ch in code)[:31] or "交叉表"
    base, k = name, 2
    while name in wb.sheetnames:
        name = f"{base[:28]}{k}"
        k += 1
    return name


def cell_of(ws, row: str, col: str):
    """(row, col) 1-based of a cross-tab cell in a drawn sheet (for tests and tools that fill it)."""
    rows = {str(ws.cell(r, 1).value or "").strip().removeprefix("其中："): r for r in range(8, ws.max_row + 1)}
    cols = {ws.cell(7, c).value: c for c in range(2, ws.max_column + 1)}
    return rows[row], cols[col]

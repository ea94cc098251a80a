"""What a 统计报表 sent up carries around its figures, and how it prints.

:func:`finish_return` takes the filled 汇总 return (``export --as-return``) and adds

* above the table: 表号, 制表机关, 批准文号 from gwstats.toml ``[export]`` (blank lines when not set:
  a form number is never invented);
* below it: 单位负责人 / 统计负责人 / 填表人, 联系电话, 报出日期 (``2021年1月15日``) and room for the seal;
* A4 portrait on every sheet, fitted to the page width, notes and 填表说明 wrapped so nothing is cut at the
  print edge, the footer naming the office;
* rows of the built-in catalog that nobody reported hidden (they stay in the file, blank, so the level
  above still imports it), the 序号 renumbered over what is shown.

:func:`missing_settings` names the settings the clerk has not given yet.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata

# (settings key, label) of what the return shows from gwstats.toml [export]
SETTINGS = (
    ("form_no", "表号"),
    ("issuer", "制表机关"),
    ("approval_no", "批准文号"),
    ("unit_code", "单位编码"),
    ("parent", "上级单位"),
    ("head", "单位负责人"),
    ("stats_head", "统计负责人"),
    ("filled_by", "填表人"),
    ("phone", "联系电话"),
)
PLACEHOLDER_NAMES = ("某某市关工委", "某某县关工委")
BLANK = "＿＿＿＿＿＿"
A4 = 9  # openpyxl / OOXML paper size code
NOTE_WIDTH = 30  # 备注 column (characters)
HELP_WIDTH = 64  # 填表说明 column: inside A4 portrait between 0.6-inch margins


def missing_settings(settings: dict) -> list[str]:
    """``单位编码（unit_code）`` for every setting the return would show blank."""
    return [f"{label}（{key}）" for key, label in SETTINGS if not settings.get(key)]


def chinese_date(value) -> str:
    """2021-01-15 / date -> 2021年1月15日 (text left as written when it is not an ISO date)."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            return value.strip()
    return f"{value.year}年{value.month}月{value.day}日"


def office_name(organisation: str, unit_name: str) -> str:
    """The name the footer prints: the organisation unless it is init's placeholder, else the unit."""
    if organisation and organisation not in PLACEHOLDER_NAMES:
        return organisation
    return "" if unit_name in PLACEHOLDER_NAMES else unit_name


def shown_metrics(catalog, year: int, value_of, builtin_codes) -> set[str]:
    """Codes whose row is printed: a figure, or a metric the office added to its own catalog."""
    return {m.code for m in catalog.metrics.values()
            if m.applies_in(year) and (value_of(m.code) is not None or m.code not in builtin_codes)}


def hide_rows(sheet, first_row: int, shown_names: set[str]):
    """Hide metric rows not in ``shown_names`` and group rows left with none; renumber 序号."""
    group_row, group_has = None, False
    n = 0
    for r in range(first_row, sheet.max_row + 1):
        name, unit = sheet.cell(r, 2).value, sheet.cell(r, 3).value
        label = sheet.cell(r, 1).value
        if isinstance(label, str) and "、" in label and not unit:  # 一、组织建设
            if group_row is not None and not group_has:
                sheet.row_dimensions[group_row].hidden = True
            group_row, group_has = r, False
            continue
        if not (name and unit):
            continue
        if str(name) in shown_names:
            n += 1
            sheet.cell(r, 1).value = n
            group_has = True
        else:
            sheet.row_dimensions[r].hidden = True
    if group_row is not None and not group_has:
        sheet.row_dimensions[group_row].hidden = True


def _form_line(sheet, row: int, settings: dict, width: int):
    from openpyxl.styles import Alignment, Font

    parts = [f"{label}：{settings.get(key) or BLANK}" for key, label in SETTINGS[:3]]
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    cell = sheet.cell(row, 1, "　　".join(parts))
    cell.font = Font(name="宋体", size=10)
    cell.alignment = Alignment(horizontal="right", vertical="center")


def _sign_lines(sheet, row: int, settings: dict, report_date: str, width: int) -> int:
    """The signature block from ``row``; returns its last row."""
    from openpyxl.styles import Alignment, Font

    font = Font(name="宋体", size=11)
    lines = [
        f"单位负责人：{settings.get('head') or BLANK}　　统计负责人：{settings.get('stats_head') or BLANK}"
        f"　　填表人：{settings.get('filled_by') or BLANK}",
        f"联系电话：{settings.get('phone') or BLANK}　　报出日期：{report_date}",
        "（单位盖章）",
    ]
    for i, text in enumerate(lines):
        r = row + i
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        cell = sheet.cell(r, 1, text)
        cell.font = font
        seal = i == len(lines) - 1
        cell.alignment = Alignment(horizontal="right" if seal else "left", vertical="center")
        sheet.row_dimensions[r].height = 60 if seal else 20  # room for the seal
    return row + len(lines) - 1


def page_setup(sheet, footer: str, last_row: int | None = None, last_col: str | None = None):
    """A4 portrait, one page wide, footer with the office and the page number."""
    sheet.page_setup.paperSize = A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    sheet.oddFooter.center.text = f"{footer}  第 &P 页 共 &N 页" if footer else "第 &P 页 共 &N 页"
    if last_row and last_col:
        sheet.print_area = f"A1:{last_col}{last_row}"


def text_width(text) -> int:
    """Width in Excel column units (a CJK character counts two)."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in str(text or ""))


def wrap_height(text, width: float, line_pt: float = 15) -> float | None:
    """Row height (pt) for ``text`` wrapped in a column ``width`` wide; None when it fits one line
    (LibreOffice and Excel do not grow a row for wrapped text on their own when the file is opened)."""
    lines = sum(max(1, math.ceil(text_width(part) * 1.1 / width)) for part in str(text or "").split("\n"))
    return lines * line_pt if lines > 1 else None


def wrap_column(sheet, col: int, first_row: int, width: float):
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    sheet.column_dimensions[get_column_letter(col)].width = width
    for r in range(first_row, sheet.max_row + 1):
        cell = sheet.cell(r, col)
        if cell.value is not None:
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal=cell.alignment.horizontal)
            height = wrap_height(cell.value, width)
            if height and (sheet.row_dimensions[r].height or 0) < height:
                sheet.row_dimensions[r].height = height


def finish_help_sheet(sheet, footer: str):
    """填表说明: wrapped lines in a column that fits A4 portrait."""
    from openpyxl.styles import Alignment

    sheet.column_dimensions["A"].width = HELP_WIDTH
    for row in sheet.iter_rows(min_col=1, max_col=1):
        row[0].alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        height = wrap_height(row[0].value, HELP_WIDTH, 16)
        if height:
            sheet.row_dimensions[row[0].row].height = height
    page_setup(sheet, footer, sheet.max_row, "A")
    sheet.print_options.horizontalCentered = False


def finish_return(wb, sheet, *, header_row: int, settings: dict, shown_names: set[str], office: str,
                  report_date: str, help_sheet: str | None = None):
    """Everything above, on the filled workbook (main sheet ``sheet``, table header at ``header_row``)."""
    width = 5
    _form_line(sheet, header_row - 1, settings, width)
    hide_rows(sheet, header_row + 1, shown_names)
    last_table = max(r for r in range(1, sheet.max_row + 1)
                     if any(sheet.cell(r, c).value is not None for c in range(1, width + 1)))
    wrap_column(sheet, 5, header_row + 1, NOTE_WIDTH)
    last = _sign_lines(sheet, last_table + 2, settings, report_date, width)
    page_setup(sheet, office, last, "E")
    for other in wb.worksheets:
        if other is sheet:
            continue
        if other.title == help_sheet:
            finish_help_sheet(other, office)
        else:
            page_setup(other, office)

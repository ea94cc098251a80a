"""Blank returns to send down: one .xlsx per unit, in the layout the importer reads first."""

from __future__ import annotations

from pathlib import Path

from gwstats.core.formatting import chinese_ordinal
from gwstats.model.catalog import Catalog
from gwstats.model.hierarchy import Hierarchy
from gwstats.forms.crosstab import draw as draw_crosstabs
from gwstats.forms.layout import HEADER_FIELDS, cell_styles  # noqa: F401  (HEADER_FIELDS: read by tests and tools)
from gwstats.forms.crosstab import in_crosstab
from gwstats.core.output import write_whole

SHEET_NAME = "统计表"
HELP_SHEET = "填表说明"
TABLE_HEADER = ("序号", "指标", "计量单位", "数值", "备注")
HEADER_ROW = 7  # 1-based row of TABLE_HEADER
GENERIC_NAME = "关心下一代工作统计表.xlsx"

INSTRUCTIONS = [
    "填表说明",
    "1. 请在“数值”列填写本单位本年度的数字，只填数字，不要填写单位（如“人”“万元”）。",
    "2. 没有开展的工作填 0；不适用的指标填“—”；不清楚的请不要估计，空着并在“备注”中说明。",
    "3. 计数类指标（个、人、场次、人次、对、篇、次、所）填整数；金额类指标以“万元”为单位，可保留两位小数。",
    "4. “口径”填“本级”表示只含本单位自身开展的工作；填“汇总”表示已包含下属单位的数字。",
    "   同一数字不要既在本级报表中填写，又在下属单位报表中重复填写。",
    "5. 比率（如五好达标率、覆盖率）不需要填写，由上级根据分子分母统一计算。",
    "6. 请不要修改表格结构、指标名称和单位编码；表格已锁定（无密码），只有需要填写的格子可以编辑。",
    "7. 填写完成后请保存为 .xlsx 文件，文件名建议为“单位名称+年度+统计表”，按时报送。",
]


def _fill(ws, catalog: Catalog, *, year: int | None, unit_name: str, unit_code: str, parent_name: str,
          organisation: str, scope: str):
    from openpyxl.styles import Alignment, Border, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    thin, border, bold, normal, unlocked, input_fill = cell_styles()

    title = f"{year}年度关心下一代工作统计表" if year else "____年度关心下一代工作统计表"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
    ws.cell(1, 1, title).font = Font(name="黑体", bold=True, size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30

    values = {
        "填报单位": unit_name,
        "单位编码": unit_code,
        "年度": year,
        "口径": scope,
        "上级单位": parent_name,
    }
    editable = {"填报人", "联系电话", "填报日期", "口径"} | ({"填报单位", "年度"} if not unit_name else set())
    for label, (r, lc, vc) in HEADER_FIELDS.items():
        ws.cell(r, lc, label).font = bold
        cell = ws.cell(r, vc, values.get(label) or None)
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"  # a unit name such as =HYPERLINK(...) is text, never a live formula
        cell.font = normal
        cell.border = Border(bottom=thin)
        if label in editable:
            cell.protection = unlocked
            cell.fill = input_fill

    scope_dv = DataValidation(type="list", formula1='"本级,汇总"', allow_blank=False,
                              showErrorMessage=True, errorTitle="口径", error="请选择“本级”或“汇总”")
    ws.add_data_validation(scope_dv)
    scope_dv.add(ws.cell(*HEADER_FIELDS["口径"][::2]).coordinate)

    for c, text in enumerate(TABLE_HEADER, 1):
        cell = ws.cell(HEADER_ROW, c, text)
        cell.font = bold
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.fill = PatternFill("solid", fgColor="D9E1F2")

    int_dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="请填写整数", error="此项为计数，请填写不小于 0 的整数")
    dec_dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="请填写数字", error="此项为金额（万元），请填写不小于 0 的数字")
    ws.add_data_validation(int_dv)
    ws.add_data_validation(dec_dv)

    r = HEADER_ROW + 1
    n = 0
    for gi, group in enumerate(catalog.groups()):
        # cross-tabs go on sheets of their own; a metric not asked for this year is left out
        metrics = [m for m in catalog.metrics_in_group(group) if not in_crosstab(m) and m.applies_in(year)]
        if not metrics:
            continue
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
        prefix = chinese_ordinal(gi + 1)
        cell = ws.cell(r, 1, f"{prefix}、{group}")
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="EDEDED")
        for c in range(1, 6):
            ws.cell(r, c).border = border
        r += 1
        for m in metrics:
            n += 1
            ws.cell(r, 1, n).alignment = Alignment(horizontal="center")
            ws.cell(r, 2, m.name)
            ws.cell(r, 3, m.unit).alignment = Alignment(horizontal="center")
            value = ws.cell(r, 4)
            value.protection = unlocked
            value.fill = input_fill
            value.number_format = "0" if m.is_integer else "0.00"
            (int_dv if m.is_integer else dec_dv).add(value.coordinate)
            ws.cell(r, 5).protection = unlocked
            for c in range(1, 6):
                ws.cell(r, c).border = border
                ws.cell(r, c).font = normal
            r += 1
    last = r - 1
    for col, width in zip("ABCDE", (10, 36, 12, 16, 30)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    ws.print_area = f"A1:E{last}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = f"{organisation}  第 &P 页 共 &N 页" if organisation else "第 &P 页 共 &N 页"
    ws.protection.sheet = True  # no password: protects the layout, not a secret
    ws.protection.formatColumns = False


def _help_sheet(wb):
    from openpyxl.styles import Font

    ws = wb.create_sheet(HELP_SHEET)
    for i, line in enumerate(INSTRUCTIONS, 1):
        ws.cell(i, 1, line).font = Font(name="宋体", bold=(i == 1), size=14 if i == 1 else 11)
    ws.column_dimensions["A"].width = 110
    ws.protection.sheet = True


def build_workbook(catalog: Catalog, *, year: int | None, unit_name: str = "", unit_code: str = "",
                   parent_name: str = "", organisation: str = "", scope: str = "本级"):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    _fill(ws, catalog, year=year, unit_name=unit_name, unit_code=unit_code, parent_name=parent_name,
          organisation=organisation, scope=scope)
    if any(in_crosstab(m) and m.applies_in(year) for m in catalog.metrics.values()):
        header = {"填报单位": unit_name, "单位编码": unit_code, "年度": year, "口径": scope, "上级单位": parent_name}
        editable = {"填报人", "联系电话", "填报日期", "口径"} | ({"填报单位", "年度"} if not unit_name else set())
        draw_crosstabs(wb, catalog, header, editable, organisation, year)
    _help_sheet(wb)
    return wb


def safe_filename(text: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in text).strip() or "单位"


def write_unit_templates(catalog: Catalog, h: Hierarchy, codes: list[str], year: int, out_dir: Path,
                         *, organisation: str = "", scope: str = "本级", progress=None) -> list[Path]:
    """One blank return per unit of ``codes`` into ``out_dir``; ``progress(i, n, words)`` before each.

    The returns differ only in their header fields, so one workbook is built for them all and saved
    once per unit with its own header (:func:`set_header`): the same files, ten times faster."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    shared = None  # the workbook of every unit with a name (a nameless one leaves 填报单位 editable)
    for i, code in enumerate(codes, 1):
        if progress:
            progress(i, len(codes), "正在生成空白统计表")
        u = h.units[code]
        parent = h.units.get(u.parent).name if u.parent in h.units else ""
        if shared is None or not u.name:
            wb = build_workbook(catalog, year=year, unit_name=u.name, unit_code=u.code, parent_name=parent,
                                organisation=organisation, scope=scope)
            shared = wb if u.name and shared is None else shared
        else:
            wb = shared
            set_header(wb, {"填报单位": u.name, "单位编码": u.code, "年度": year, "口径": scope, "上级单位": parent})
        path = out_dir / safe_filename(f"{u.name}{year}年度统计表.xlsx")
        write_whole(path, wb.save)
        written.append(path)
    return written


def set_header(wb, values: dict):
    """The header fields of every sheet of a return built by :func:`build_workbook` set to ``values``,
    as it writes them (a unit name such as =HYPERLINK(...) stays text on the main sheet), and the
    workbook as it was before it was saved."""
    for sheet in wb.worksheets:
        sheet.column_dimensions.max_outline = None  # as before the first save, which sets it (outlineLevelCol)
        if sheet.title == HELP_SHEET:
            continue
        for label, (r, _, vc) in HEADER_FIELDS.items():
            if label not in values:
                continue
            cell = sheet.cell(r, vc)
            cell.value = values[label] or None
            if sheet.title == SHEET_NAME and isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"


def write_blank_template(catalog: Catalog, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_whole(path, build_workbook(catalog, year=None).save)
    return path


def metric_rows(ws) -> dict[str, int]:
    """metric name -> 1-based row in a template sheet (for tests and tools that fill templates)."""
    out = {}
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, min_col=2, max_col=2):
        cell = row[0]
        if cell.value and ws.cell(cell.row, 3).value:
            out[str(cell.value)] = cell.row
    return out


if __name__ == "__main__":  # python -m gwstats.forms.template templates  (refresh the generic blank return)
    import sys

    from gwstats.model.catalog import load_default

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "templates") / GENERIC_NAME
    print(write_blank_template(load_default(), target))

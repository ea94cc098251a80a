"""``export --into``: the level above's own form, filled with this workspace's totals.

The form is opened with openpyxl and only the value cells (and blank header fields such as
填报单位、年度、填报人) are written, so formatting, merged cells, formulas, data validation and sheet
protection stay as they were. A cell is filled only when its label matches a metric of the catalog
(by name or synonym, or by its 主栏 row × 宾栏 column for a cross-tab catalog); every other cell is
listed, never guessed. Formula cells are never overwritten. What openpyxl cannot carry over
(shapes, pivot tables, comments boxes, a macro project in an .xlsx …) is found by comparing the
parts of the two files, and named in the summary.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from gwstats.core.errors import GwstatsError, UsageError
from gwstats.tables.grid import FormError, FormTable, grids_from_openpyxl, open_workbook
from gwstats.tables.finder import find_tables, metric_for_cell
from gwstats.core.text import nfkc, squash, unit_key
from gwstats.read.reader import cell_ref

HEADER_LABELS = {"填报单位": ("填报单位", "填报单位名称", "报送单位", "填表单位"), "年度": ("年度", "统计年度", "报表年度"),
                 "口径": ("口径", "统计口径", "填报口径"), "填报人": ("填报人", "填表人", "联系人"),
                 "联系电话": ("联系电话", "电话"), "填报日期": ("填报日期", "填表日期", "报送日期")}

SETTING_KEYS = {"填报人": "filled_by", "联系电话": "phone", "填报日期": "fill_date"}


@dataclass
class FillResult:
    path: Path
    unit_name: str
    year: int
    filled: list[tuple[str, str, str, object]] = field(default_factory=list)  # (sheet, cell, name, value)
    unmatched: list[tuple[str, str, str, str]] = field(default_factory=list)  # (sheet, cell, label, why)
    no_figure: list[tuple[str, str, str]] = field(default_factory=list)  # matched, but no figure this year
    formulas: list[tuple[str, str, str]] = field(default_factory=list)  # formula cells left as they were
    approx: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # parts of the form openpyxl cannot carry over
    missing: list[str] = field(default_factory=list)  # header fields of the form with no setting to fill them
    marked: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, cell, name): an open error touches it, ※

    def summary_lines(self) -> list[str]:
        lines = [f"已把 {self.unit_name} {self.year} 年度汇总数填入：{self.path}（填写 {len(self.filled)} 格"
                 + (f"，表头 {'、'.join(self.fields)}" if self.fields else "") + "）"]
        if self.formulas:
            lines.append(f"公式格保留原公式、未填写 {len(self.formulas)} 格：" + "、".join(f"{s}!{c}" for s, c, _ in self.formulas[:10]))
        if self.no_figure:
            lines.append(f"本年度没有数字、留空 {len(self.no_figure)} 格：" + "、".join(f"{n}（{s}!{c}）" for s, c, n in self.no_figure[:10]))
        if self.approx:
            lines.append(f"含约数的指标：{'、'.join(self.approx)}")
        if self.marked:
            lines.append(f"数据核查错误尚未解决、数值后标“※”并加批注的 {len(self.marked)} 格："
                         + "、".join(f"{n}（{s}!{c}）" for s, c, n in self.marked[:10])
                         + ("等" if len(self.marked) > 10 else ""))
        if self.missing:
            keys = "、".join(f"{f}（{SETTING_KEYS[f]}）" for f in self.missing if f in SETTING_KEYS)
            lines.append(f"表格中的{'、'.join(self.missing)}没有填写，请手写"
                         + (f"，或在 gwstats.toml 的 [export] 中设置 {keys} 后重新导出" if keys else ""))
        if self.lost:
            lines.append(f"注意：原表格中的{'、'.join(self.lost)}在填好的文件中没有保留，请对照原表格补上（或把数字抄回原表格）")
        return lines

    def unmatched_lines(self) -> list[str]:
        if not self.unmatched:
            return []
        return [f"提醒：下列 {len(self.unmatched)} 格在指标目录中没有对应指标，未填写（请手工填写，或在目录中为其加同义词后重新导出）："] + [
            f"  {s}!{c} “{label}”：{why}" for s, c, label, why in self.unmatched]


def _unit_row(g_rows, t: FormTable, unit_name: str, h, code: str) -> int | None:
    want = {unit_key(unit_name), unit_key(h.name(code))} | {unit_key(a) for a in h.units[code].aliases}
    for r in t.body_rows:
        v = g_rows[r][t.label_col] if t.label_col < len(g_rows[r]) else None
        if isinstance(v, str) and unit_key(v) in want:
            return r
    return None


def fill_form(ws, year: int, form, output, unit: str | None = None, prefer: str = "computed") -> FillResult:
    from openpyxl.cell.cell import MergedCell

    from gwstats.analysis.marks import MARK, ErrorMarks
    from gwstats.forms.export import export_settings, figures, mark_cell, save_book

    form, output = Path(form), Path(output)
    if not form.is_file():
        raise UsageError(f"找不到上级下发的表格：{form}")
    if form.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError(f"--into 的表格应为 .xlsx 文件（.xls 请先用 Excel/WPS 另存为 .xlsx），实际为“{form.name}”")
    if output.suffix.lower() != form.suffix.lower():
        raise UsageError(f"输出文件应与原表格同为 {form.suffix} 文件，实际为“{output.name}”")
    if output.resolve() == form.resolve():
        raise UsageError("输出文件不能与上级下发的原表格相同（原表格保持不动，请用 -o 另给文件名）")
    try:
        wb = open_workbook(form, keep_vba=form.suffix.lower() == ".xlsm")
    except GwstatsError:  # open in Excel or WPS
        raise
    except Exception as exc:
        raise FormError(f"表格 {form.name} 无法打开（{type(exc).__name__}）：请确认是 Excel .xlsx 文件且没有设置打开密码") from None
    grids = grids_from_openpyxl(wb)
    tables, _notes = find_tables(grids)
    if not tables:
        raise FormError(f"表格 {form.name} 中没有找到要填写的统计表（需要“指标 | 数值”两列的清单，或有栏目名称的表格）")
    code, result = figures(ws, year, unit, prefer)
    marks = ErrorMarks.of(ws, year, unit=code)  # figures an open error touches (--allow-errors): ※
    h = ws.hierarchy()
    settings = export_settings(ws)
    unit_name = settings.get("unit_name") or h.name(code)
    cat = ws.catalog
    res = FillResult(output, unit_name, year)
    grid_of = {g.name: g for g in grids}
    for t in tables:
        sheet = wb[t.sheet]
        g = grid_of[t.sheet]
        row_for_unit = None
        if t.kind == "wide":
            row_for_unit = _unit_row(g.rows, t, unit_name, h, code)
            if row_for_unit is None:
                res.unmatched.append((t.sheet, cell_ref(t.body_rows[0], t.label_col), t.code,
                                      f"表中没有本单位“{unit_name}”的行"))
                continue
        for cell in t.cells:
            r = row_for_unit if row_for_unit is not None else cell.row
            ref = cell_ref(r, cell.col)
            metric = metric_for_cell(cat, t, cell)
            label = cell.col_label if t.kind == "wide" else cell.name
            if (r, cell.col) in g.formulas:
                res.formulas.append((t.sheet, ref, label))
                continue
            if metric is None:
                res.unmatched.append((t.sheet, ref, label, "目录中没有这个指标"))
                continue
            target = sheet.cell(r + 1, cell.col + 1)
            if isinstance(target, MergedCell):
                res.unmatched.append((t.sheet, ref, label, "是合并单元格的一部分，无法单独填写"))
                continue
            rec = result.record(code, metric)
            value = rec["value"]
            if value is None:
                res.no_figure.append((t.sheet, ref, label))
                continue
            if rec["kind"] == "rate":
                value = round(value, 2)
            elif value == value.to_integral_value():
                value = int(value)
            if rec.get("approx"):
                res.approx.append(cat.label_of(metric))
            target.value = value
            res.filled.append((t.sheet, ref, label, value))
            if marks.affected(code, metric):
                integer = metric in cat.metrics and cat.metrics[metric].is_integer
                mark_cell(target, None, marks, metric, MARK, integer=integer)
                res.marked.append((t.sheet, ref, label))
    _fill_header_fields(wb, grids, tables, res, {
        "填报单位": unit_name, "年度": year, "口径": "汇总", "填报人": settings.get("filled_by"),
        "联系电话": settings.get("phone"), "填报日期": settings.get("fill_date") or dt.date.today().isoformat()})
    for name in dict.fromkeys(t.sheet for t in tables):
        a4_unless_set(wb[name])
    save_book(wb, output)
    res.lost = lost_parts(form, output)
    return res


def a4_unless_set(sheet):
    """The superior's form prints on A4 portrait, one page wide, as the return sent up does, unless
    the form itself sets its paper, orientation or fitting (then the superior's choice stands):
    without a paper size it prints on the printer's default (US Letter in many drivers), cut at the edge."""
    from gwstats.forms.return_sheet import A4

    ps = sheet.page_setup
    if ps.paperSize is None:
        ps.paperSize = A4
    if ps.orientation is None:
        ps.orientation = "portrait"
    props = sheet.sheet_properties.pageSetUpPr
    if props is None or props.fitToPage is None:
        from openpyxl.worksheet.properties import PageSetupProperties

        if props is None:
            sheet.sheet_properties.pageSetUpPr = props = PageSetupProperties()
        props.fitToPage = True
        ps.fitToWidth, ps.fitToHeight = 1, 0


_PARTS = (("图表", lambda n: n.startswith("xl/charts/chart")), ("图片", lambda n: n.startswith("xl/media/")),
          ("批注", lambda n: n.startswith("xl/comments")), ("数据透视表", lambda n: n.startswith("xl/pivotTables/")),
          ("宏", lambda n: n == "xl/vbaProject.bin"), ("控件", lambda n: n.startswith("xl/activeX/") or n.startswith("xl/ctrlProps/")))


def _inventory(path: Path) -> dict[str, int]:
    """How many of each kind of part a workbook holds (shapes counted inside the drawings)."""
    import zipfile

    out: dict[str, int] = {}
    try:
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                for what, test in _PARTS:
                    if test(n):
                        out[what] = out.get(what, 0) + 1
                if n.startswith("xl/drawings/drawing") and n.endswith(".xml"):
                    out["图形"] = out.get("图形", 0) + z.read(n).count(b"<xdr:sp>") + z.read(n).count(b"<xdr:sp ")
    except (zipfile.BadZipFile, OSError, KeyError):
        return {}
    return out


def lost_parts(form: Path, output: Path) -> list[str]:
    """Parts of the form that the filled copy no longer has (openpyxl drops what it cannot read)."""
    before, after = _inventory(form), _inventory(output)
    return [what for what, n in before.items() if n and after.get(what, 0) < n]


def _fill_header_fields(wb, grids, tables, res: FillResult, values: dict):
    """Blank header fields outside the tables: “填报单位：” followed by an empty cell, or “填报单位：____”."""
    from openpyxl.cell.cell import MergedCell

    inside = {(t.sheet, r) for t in tables for r in range(t.top, t.bottom + 1)}
    labels = {lab: f for f, labs in HEADER_LABELS.items() for lab in labs}
    done: set[str] = set()
    for g in grids:
        sheet = wb[g.name]
        for r, row in enumerate(g.rows):
            if (g.name, r) in inside:
                continue
            for c, v in enumerate(row):
                if not isinstance(v, str) or (r, c) in g.formulas:
                    continue
                text = nfkc(v).strip()
                m = re.fullmatch(r"(\S+?)\s*[:：]?\s*[_＿\s]*", text)
                key = squash(m.group(1)).rstrip(":：") if m else ""
                field_ = labels.get(key)
                if field_ and field_ not in done and values.get(field_) in (None, ""):
                    if field_ not in res.missing:
                        res.missing.append(field_)  # the clerk hears it: a blank the form asks for
                    continue
                if not field_ or field_ in done:
                    continue
                value = values[field_]
                if re.search(r"[_＿]{2,}", text):  # 填报单位：________
                    sheet.cell(r + 1, c + 1).value = f"{m.group(1).rstrip(':：')}：{value}"
                else:
                    nxt = sheet.cell(r + 1, c + 2)
                    if isinstance(nxt, MergedCell) or nxt.value not in (None, ""):
                        continue  # filled already, or no room: leave the form as it is
                    nxt.value = value
                done.add(field_)
                res.fields.append(field_)

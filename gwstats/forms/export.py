"""The totals on their way up: this office's own 汇总 return, and long data for other systems.

* :func:`write_return` writes the workspace root's (or a unit's) totals as a 汇总 return in the
  standard long layout of ``gwstats template`` (填报单位, 年度, 口径：汇总, every catalog metric,
  填报人 fields from gwstats.toml ``[export]``), so that gwstats at the level above imports it as
  that unit's 汇总 return with every value equal to this rollup.
* :func:`long_records` / :func:`write_csv_long`: one row per (unit, metric), UTF-8 with BOM.

The upper level's own form is filled by :mod:`gwstats.forms.fill`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np

from gwstats.core.errors import GwstatsError, UsageError
from gwstats.core.formatting import csv_safe, decimal_text  # once, not per cell (3 million cells at 10,000 units)
from gwstats.core.output import write_whole
from gwstats.store.schema import MICRO, from_micro

LONG_COLUMNS = ("单位编码", "单位名称", "年度", "指标编码", "指标名称", "数值", "计量单位", "口径")


@dataclass
class ReturnExport:
    path: Path
    unit: str
    unit_name: str
    year: int
    values: int  # metrics written
    blank: list[str] = field(default_factory=list)  # metric names with no figure (left blank)
    approx: list[str] = field(default_factory=list)  # metric names written as 约N
    coverage: str = ""
    crosstabs: list[str] = field(default_factory=list)  # cross-tab tables drawn on sheets of their own
    missing: list[str] = field(default_factory=list)  # [export] settings not given: shown as blank lines
    hidden: list[str] = field(default_factory=list)  # built-in metrics nobody reported: rows not printed
    marked: list[str] = field(default_factory=list)  # metric names an open error touches: written with ※

    def summary_lines(self) -> list[str]:
        lines = [f"已生成 {self.unit_name} {self.year} 年度汇总表：{self.path}（口径：汇总，指标 {self.values} 个，"
                 f"下级已报 {self.coverage}）"]
        if self.blank:
            lines.append(f"没有数字、留空的指标 {len(self.blank)} 个：{'、'.join(self.blank)}")
        if self.approx:
            lines.append(f"含约数、按“约N”填写的指标：{'、'.join(self.approx)}")
        if self.crosstabs:
            lines.append(f"交叉表 {'、'.join(self.crosstabs)} 在单独的工作表中：上级的指标目录也要有这些指标才能导入"
                         "（可把本工作区的 catalog.toml 一并发给上级）")
        if self.hidden:
            lines.append(f"内置目录中无人填报的指标 {len(self.hidden)} 个不打印（行已隐藏，数值为空）")
        if self.missing:
            lines.append(f"gwstats.toml 的 [export] 中没有设置：{'、'.join(self.missing)}；表中这些位置留空待手写")
        if self.marked:
            lines.append(f"数据核查错误尚未解决、数值后标“※”并在备注中说明的指标：{'、'.join(self.marked)}")
        return lines


def export_settings(ws) -> dict:
    raw = ws.config.raw.get("export", {})
    if not isinstance(raw, dict):
        raise UsageError("gwstats.toml 中 [export] 应为一节设置（填报人 filled_by、联系电话 phone 等）")
    return {k: str(v) for k, v in raw.items() if v is not None}


def _root_unit(ws, unit: str | None) -> str:
    if unit:
        return ws.resolve_unit(unit)
    tree = ws.tree()  # its first unit is the units list's first root, as Hierarchy.root (a province's
    return tree.codes[tree.root]  # Hierarchy is not built for it: 1 s at 100,000 units)


def figures(ws, year: int, unit: str | None = None, prefer: str = "computed"):
    """(unit code, RollupResult) of the unit whose totals go up; an error when it has no figure at all
    (nothing would go up: the year's returns are not imported yet, or --year is wrong)."""
    code = _root_unit(ws, unit)
    result = ws.rollup(year, unit=code, compare=None, prefer=prefer)
    if all(result.value(code, m) is None for m in ws.catalog.metrics):
        raise GwstatsError(f"{result.tree.names[result.tree.index[code]]} {year} 年度还没有任何数字（该年度的报表尚未导入？），没有可以报送的内容")
    return code, result


def return_workbook(ws, year: int, unit: str | None = None, prefer: str = "computed"):
    """(openpyxl Workbook, ReturnExport without path) of the unit's 汇总 return."""
    from gwstats.forms.template import HEADER_FIELDS, SHEET_NAME, build_workbook, metric_rows
    from gwstats.forms.crosstab import cell_of, crosstab_tables, in_crosstab

    code, result = figures(ws, year, unit, prefer)
    settings = export_settings(ws)
    name = settings.get("unit_name") or result.tree.names[result.tree.index[code]]
    wb = build_workbook(ws.catalog, year=year, unit_name=name, unit_code=settings.get("unit_code", ""),
                        parent_name=settings.get("parent", ""), organisation=organisation(ws), scope="汇总")
    sheet = wb[SHEET_NAME]
    for label, key in (("填报人", "filled_by"), ("联系电话", "phone")):
        if settings.get(key):
            r, _, vc = HEADER_FIELDS[label]
            sheet.cell(r, vc, settings[key])
    r, _, vc = HEADER_FIELDS["填报日期"]
    report_date = settings.get("fill_date") or dt.date.today().isoformat()
    sheet.cell(r, vc, report_date)
    rows = metric_rows(sheet)
    info = ReturnExport(Path(), code, name, year, 0)
    rep, exp = result.coverage(code)
    info.coverage = f"{rep}/{exp}"
    tables = crosstab_tables(ws.catalog, year)
    info.crosstabs = list(tables)
    from gwstats.analysis.marks import MARK

    marks = error_marks(ws, year, code)  # figures an open error touches (--allow-errors): ※
    for m in ws.catalog.metrics.values():
        if not m.applies_in(year):
            continue  # not on this year's form
        rec = result.record(code, m.code)
        value = rec["value"]
        if in_crosstab(m):  # drawn in its table's shape on a sheet of its own
            xt = wb[_sheet_for(wb, m, tables)]
            cell = xt.cell(*cell_of(xt, m.row, m.column))
            note_cell = None
        else:
            cell = sheet.cell(rows[m.name], 4)
            note_cell = sheet.cell(rows[m.name], 5)
        if value is None:
            info.blank.append(m.name)
            continue
        info.values += 1
        if rec["approx"]:
            cell.value = f"约{value}"  # the level above sees it as approximate too
            info.approx.append(m.name)
        else:
            cell.value = int(value) if m.is_integer and value == value.to_integral_value() else value
        if rec["note"] and note_cell is not None:
            note_cell.value = rec["note"]
        if marks.affected(code, m.code):
            mark_cell(cell, note_cell, marks, m.code, MARK, integer=m.is_integer)
            info.marked.append(m.name)
    _finish(ws, wb, sheet, info, settings, result, code, year, report_date)
    return wb, info


def error_marks(ws, year: int, unit: str | None = None):
    """ErrorMarks.of on the workspace's kept tree and errors-only check (a province's tree is read
    from the store once per command, not again for the marks)."""
    from gwstats.analysis.marks import ErrorMarks

    tree = ws.tree()
    if unit is not None and tree.index.get(unit) == tree.root:
        unit = None  # the whole tree: the check the gate ran (kept as unit None), not a second one
    return ErrorMarks(ws.check(year, unit=unit, errors_only=True).findings, ws.catalog, tree, year)


def mark_cell(cell, note_cell, marks, metric: str, mark: str, *, integer: bool = False):
    """A figure (of ``metric``) an open error touches: ※ after the number (it stays a number the level
    above can import), the error in a comment and in 备注 (when the form has one)."""
    from openpyxl.comments import Comment

    fmt = cell.number_format if cell.number_format and cell.number_format != "General" else (
        "0" if integer else "0.00")
    if not isinstance(cell.value, str):
        cell.number_format = f'{fmt}"{mark}"'
    else:
        cell.value += mark
    errors = marks.errors_about([metric])
    said = [f.message for f in errors if metric in (f.extra.get("metric"), *marks.rule_metrics(f))] or [
        f.message for f in errors]
    text = f"{mark}待核实：" + ("；".join(said[:3]) if said else "包含数据核查错误尚未解决的数字")
    cell.comment = Comment(text, "gwstats")
    if note_cell is not None:
        note_cell.value = "；".join(x for x in (note_cell.value, text) if x)


def _finish(ws, wb, sheet, info, settings, result, code, year, report_date):
    """Header and signature lines, rows nobody has, A4 (gwstats.forms.return_sheet)."""
    from gwstats.forms import return_sheet as rs
    from gwstats.forms.template import HEADER_ROW, HELP_SHEET
    from gwstats.model.catalog import load_default

    builtin = set(load_default().metrics)
    shown = rs.shown_metrics(ws.catalog, year, lambda m: result.value(code, m), builtin)
    info.hidden = [m.name for m in ws.catalog.metrics.values() if m.applies_in(year) and m.code not in shown]
    info.missing = rs.missing_settings(settings)
    rs.finish_return(wb, sheet, header_row=HEADER_ROW, settings=settings,
                     shown_names={ws.catalog.metrics[c].name for c in shown},
                     office=rs.office_name(ws.config.organisation, info.unit_name),
                     report_date=rs.chinese_date(report_date), help_sheet=HELP_SHEET)


def _sheet_for(wb, m, tables) -> str:
    keys = list(tables)
    # sheets are created in table order after the main sheet, named as template_crosstab names them
    return wb.sheetnames[1 + keys.index(m.table or m.group)]


def write_return(ws, year: int, output, unit: str | None = None, prefer: str = "computed") -> ReturnExport:
    output = Path(output)
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"汇总表只能保存为 .xlsx 文件，实际为“{output.name}”")
    wb, info = return_workbook(ws, year, unit, prefer)
    save_book(wb, output)
    info.path = output
    return info


def save_book(wb, output: Path):
    """Write next to the target and rename: nothing half-written."""
    write_whole(output, wb.save)


# ---- long data ---------------------------------------------------------------------------------
def long_records(ws, year: int, unit: str | None = None, prefer: str = "computed") -> list[dict]:
    """One record per (unit, metric) with a figure, for every unit of the subtree, depth first.

    口径 is 汇总 for a unit with subordinates (its total includes them), 本级 for one without.
    Rates are included with their recomputed value (计量单位 %).
    """
    return list(iter_long_records(ws, year, unit, prefer))


def iter_long_records(ws, year: int, unit: str | None = None, prefer: str = "computed"):
    """long_records one at a time (a province's csv-long is millions of rows: never all in memory);
    the figures come a metric column at a time, not as a full rollup record per unit and metric."""
    code, result = figures(ws, year, unit, prefer)
    tree = result.tree
    sub = tree.subtree(tree.index[code])
    items = _long_items(ws.catalog)
    columns = [result.column(c)[sub] for c, _, _ in items]
    for k, i in enumerate(range(sub.start, sub.stop)):
        u, name = tree.codes[i], tree.names[i]
        scope = "汇总" if int(tree.size[i]) > 1 else "本级"
        for (c, item, kind), col in zip(items, columns):
            value = col[k]
            if value is None:
                continue
            if kind == "rate":
                value = Decimal(repr(round(value, 4)))
            yield {"单位编码": u, "单位名称": name, "年度": year, "指标编码": c,
                   "指标名称": item.name, "数值": value, "计量单位": item.unit, "口径": scope}


def _csv_text(v) -> str:
    """A CSV cell: exact decimals, and text that a spreadsheet would run as a formula quoted with '."""
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return decimal_text(v)
    return csv_safe(v) if isinstance(v, str) else str(v)


def csv_long_text(records: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(LONG_COLUMNS)
    for rec in records:
        w.writerow([_csv_text(rec[c]) for c in LONG_COLUMNS])
    return buf.getvalue()


def marked_long_rows(ws, year: int, unit: str | None = None, prefer: str = "computed") -> list[tuple[str, str]]:
    """(单位名称, 指标名称) of the long table's rows an open error touches (``--allow-errors``). The long
    table keeps its columns (it is read back by other tools), so the console names these rows instead.
    Only the units an error can reach are looked at: those it names and the units above them."""
    code, result = figures(ws, year, unit, prefer)
    tree = result.tree
    marks = error_marks(ws, year, ws.resolve_unit(unit) if unit else None)
    if not marks:
        return []
    sub = tree.subtree(tree.index[code])
    named = {tree.index.get(f.extra.get("unit")) for f in marks.errors} - {None}
    reach = sorted(k for k in named.union(*(tree.ancestors(i) for i in named)) if sub.start <= k < sub.stop)
    items = _long_items(ws.catalog)
    at = np.array([tree.index[tree.codes[k]] for k in reach], dtype=np.int64)  # as affected(code) finds it
    hit = np.column_stack([marks.affected_units(at, c) for c, _item, _kind in items])
    return [(tree.names[reach[a]], items[q][1].name) for a, q in np.argwhere(hit).tolist()
            if result.value(tree.codes[reach[a]], items[q][0]) is not None]


def _long_items(cat) -> list[tuple[str, object, str]]:
    """(code, metric or indicator, kind) of the long table's metrics, in its order."""
    items = [(c, cat.metrics[c], cat.metrics[c].kind) for c in cat.metrics]
    return items + [(c, cat.indicators[c], "rate") for c in cat.indicators]


def _csv_line(cells) -> str:
    """``cells`` (two or more) as csv.writer writes them within a row, without the line end."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(cells)
    return buf.getvalue()


_QUOTED = re.compile('[,"\r\n]')  # what csv.writer's minimal quoting looks for (no escapechar set)


def _csv_cells(cells: list[str]) -> str:
    """_csv_line of two or more text cells: joined by commas when none needs quoting (a province's
    100,000 units, one csv.writer each cost 0.2 s), else as csv.writer writes them."""
    if any(_QUOTED.search(c) for c in cells):
        return _csv_line(cells)
    return ",".join(cells)


def _micro_texts(micro: np.ndarray) -> list[bytes]:
    """_csv_text(from_micro(v)) of micro values in UTF-8: whole numbers as integers, others as exact
    decimals."""
    texts = (micro // MICRO).astype(np.bytes_).tolist()  # right for the whole ones
    for k in np.flatnonzero(micro % MICRO).tolist():
        texts[k] = micro_text(int(micro[k])).encode()
    return texts


def micro_text(v: int) -> str:
    """decimal_text(from_micro(v)) of a micro value that is not a whole number, without Decimals:
    sign, integer part, the six decimals with trailing zeros dropped (never all of them)."""
    a = -v if v < 0 else v
    return f"{'-' if v < 0 else ''}{a // MICRO}.{a % MICRO:06d}".rstrip("0")


def _long_rows(ws, year: int, unit: str | None, prefer: str):
    """The long table's CSV lines in UTF-8, a slice of units at a time: iter_long_records's rows as
    csv.writer writes their _csv_text cells. Each line is put together from pieces encoded once by
    csv.writer (a unit's code, name and year; a metric's code and name, its measure; two or more cells
    each, so quoted as within the whole row) and the figure's text, which needs no quoting (digits,
    '.', '-'). A metric's figures are read from the rollup's micro totals (a province: 3.7 million
    figures, never all held as Decimals). Bytes, not text: no wide strings joined and encoded again
    (the names are Chinese). Yields (bytes, rows)."""
    code, result = figures(ws, year, unit, prefer)
    tree = result.tree
    sub = tree.subtree(tree.index[code])
    items = _long_items(ws.catalog)
    year_text = _csv_text(year)
    heads = [(_csv_line([_csv_text(c), _csv_text(item.name)]) + ",").encode() for c, item, _kind in items]
    measures = [("," + _csv_line([_csv_text(item.unit), ""])).encode() for _c, item, _kind in items]  # ",measure,"
    scope_ends = {True: (_csv_line(["", "汇总"])[1:] + "\r\n").encode(), False: (_csv_line(["", "本级"])[1:] + "\r\n").encode()}
    metric_col = {c: j for j, c in enumerate(ws.catalog.metrics)}  # the rollup frame's columns
    rates = {c: result.column(c)[sub] for c, _item, kind in items if kind == "rate"}
    rate_texts: dict = {}
    total, count = result.fx.total, result.fx.count
    for start in range(sub.start, sub.stop, _LONG_CHUNK):  # a slice of units: few Python numbers at once
        stop = min(start + _LONG_CHUNK, sub.stop)
        n = stop - start
        cells = []  # per metric: its "code,name,value,measure," per unit of the slice, None where none
        for (c, _item, kind), head, measure in zip(items, heads, measures):
            col = [None] * n
            if kind == "rate":
                for k, v in enumerate(rates[c][start - sub.start:stop - sub.start]):
                    if v is not None:
                        t = rate_texts.get(v)
                        if t is None:
                            t = rate_texts[v] = decimal_text(Decimal(repr(round(v, 4)))).encode()
                        col[k] = head + t + measure
            else:
                j = metric_col[c]
                ks = np.flatnonzero(count[start:stop, j])
                for k, t in zip(ks.tolist(), _micro_texts(total[start:stop, j][ks])):
                    col[k] = head + t + measure
            cells.append(col)
        parts, rows = [], 0
        for i, row in zip(range(start, stop), zip(*cells)):
            given = [x for x in row if x is not None]
            if not given:
                continue
            prefix = (_csv_cells([_csv_text(tree.codes[i]), _csv_text(tree.names[i]), year_text]) + ",").encode()
            end = scope_ends[int(tree.size[i]) > 1]
            parts.append(prefix + (end + prefix).join(given) + end)
            rows += len(given)
        yield b"".join(parts), rows


_LONG_CHUNK = 1024


def write_csv_long(ws, year: int, output, unit: str | None = None, prefer: str = "computed") -> tuple[Path, int]:
    """The long table written a unit at a time (UTF-8 with BOM, CRLF), to a temporary name renamed
    when whole; the same bytes as writing :func:`iter_long_records` row by row."""
    output = Path(output)
    count = [0]

    def write(path: Path):
        with open(path, "wb") as fh:
            fh.write(b"\xef\xbb\xbf" + (_csv_line(LONG_COLUMNS) + "\r\n").encode())
            for data, rows in _long_rows(ws, year, unit, prefer):
                fh.write(data)
                count[0] += rows

    write_whole(output, write)
    return output, count[0]


def stream_csv_long(ws, year: int, fh, unit: str | None = None, prefer: str = "computed") -> int:
    """The long table's CSV text (:func:`csv_long_text` of :func:`long_records`) written to the text
    stream ``fh`` a slice of units at a time; returns the rows written."""
    fh.write(_csv_line(LONG_COLUMNS) + "\r\n")
    count = 0
    for data, rows in _long_rows(ws, year, unit, prefer):
        fh.write(data.decode("utf-8"))
        count += rows
    return count


# ---- the organisation's name on every published page -------------------------------------------
PLACEHOLDER_NAMES = ("某某市关工委", "关工委", "")
NAME_FROM_UNITS_NOTE = "单位名称取自单位名单的最上级单位（gwstats.toml [organisation] name 未设置）"


def organisation_named(ws) -> tuple[str, bool]:
    """(the organisation's name, whether it was taken from the unit list): the clerk's own name when
    given, else the root of the unit list, never the placeholder ``某某市关工委``."""
    name = (ws.config.organisation or "").strip()
    if name not in PLACEHOLDER_NAMES:
        return name, False
    h = ws.hierarchy()
    root = h.root
    if root is None:
        return name or "关工委", False
    return h.name(root), True


def organisation(ws) -> str:
    return organisation_named(ws)[0]

"""One row per unit: units down the side, metrics across, a 合计/总计 row at the bottom."""

from __future__ import annotations

from gwstats.core.text import nfkc, unit_in_brackets
from gwstats.read.reader import Sheet, cell_ref
from gwstats.core.values import cell_text
from gwstats.parse.context import Context, squashed
from gwstats.model.unit_names import clean_key, marks_own
from gwstats.parse import online_form as form
from gwstats.tables.headers import (CODE_COL_HEADERS, FOOTER, MEASURES, SKIP_COL_HEADERS, SUBTOTAL_LABELS, TOTAL_LABELS,
                                    UNIT_COL_HEADERS, find_fields)
from gwstats.parse.parsed import ParsedReturn

SCAN_ROWS = 20


def _merged_fill(sheet: Sheet, rows: range) -> dict[tuple[int, int], object]:
    fill = {}
    for r0, c0, r1, c1 in sheet.merged:
        if r1 < rows.start or r0 >= rows.stop:
            continue
        v = sheet.cell(r0, c0)
        for r in range(max(r0, rows.start), min(r1, rows.stop - 1) + 1):
            for c in range(c0, c1 + 1):
                fill[(r, c)] = v
    return fill


def _total_key(key: str) -> bool:
    """A squashed row name that says 合计 / 总计."""
    return key in TOTAL_LABELS or key.endswith(("合计", "总计"))


def find_metric_columns(sheet: Sheet, ctx: Context):
    """(header rows, {col: (code, label)}) when a row has two or more metric names, else None."""
    best_r, best_n = None, 1
    for r, row in enumerate(sheet.rows[:SCAN_ROWS]):
        n = sum(1 for v in row if isinstance(v, str) and ctx.metric(v))
        if n > best_n:
            best_r, best_n = r, n
    if best_r is None:
        return None
    bottom = best_r
    top = best_r
    if best_r > 0:
        above = sheet.rows[best_r - 1]
        metric_cols = [c for c, v in enumerate(sheet.rows[best_r]) if isinstance(v, str) and ctx.metric(v)]
        lo = min(metric_cols)
        group_cells = [v for c, v in enumerate(above) if c >= lo and isinstance(v, str) and v.strip()]
        head_cells = [v for v in above[:lo] if isinstance(v, str) and squashed(v) in UNIT_COL_HEADERS | SKIP_COL_HEADERS]
        # a "填报单位 | 某某 | 年度 | 2018" line right above the header is header fields, not a group row
        if (group_cells or head_cells) and not find_fields([above]):
            top = best_r - 1
    nxt = sheet.rows[best_r + 1] if best_r + 1 < len(sheet.rows) else []
    if sum(1 for v in nxt if isinstance(v, str) and ctx.metric(v)) >= 1 and not any(
        isinstance(v, str) and ctx.h.match(v) for v in nxt[:3]
    ):
        bottom = best_r + 1
    fill = _merged_fill(sheet, range(top, bottom + 1))
    width = max(len(sheet.rows[r]) for r in range(top, bottom + 1))
    cols: dict[int, tuple[str, str]] = {}
    for c in range(width):
        texts = []
        for r in range(bottom, top - 1, -1):
            v = fill.get((r, c), sheet.cell(r, c))
            if isinstance(v, str) and v.strip() and v.strip() not in texts:
                texts.append(v.strip())
        candidates = list(texts)
        if len(texts) >= 2:
            candidates.insert(1, texts[1] + texts[0])  # "资助困难学生" over "人数"
        for t in candidates:
            code = ctx.metric(t)
            if code:
                cols[c] = (code, t)
                break
    if len(cols) < 2:
        return None
    return range(top, bottom + 1), cols, fill


def _header_texts(sheet: Sheet, header_rows: range, fill, skip: set) -> dict[int, str]:
    """Column -> the lowest non-empty header text, for the columns not in ``skip``."""
    out: dict[int, str] = {}
    width = max(len(sheet.rows[r]) for r in header_rows)
    for c in range(width):
        if c in skip:
            continue
        for r in reversed(header_rows):
            v = fill.get((r, c), sheet.cell(r, c))
            if isinstance(v, str) and v.strip():
                out[c] = v
                break
    return out


def parse_wide(sheet: Sheet, ctx: Context, found):
    """[ParsedReturn] for the unit rows and the 合计 row (its unit still unresolved)."""
    header_rows, cols, fill = found
    unit_col, code_col = _unit_columns(sheet, ctx, header_rows, fill, min(cols))
    if unit_col is None:
        return None
    field_units, data_start = _units_of_measure(sheet, cols, header_rows.stop)
    returns: list[ParsedReturn] = []
    problems = []
    columns = ctx.value_columns(cols, field_units)
    for r in range(data_start, len(sheet.rows)):
        ret = _row_return(sheet, ctx, r, (unit_col, code_col), cols, problems)
        if ret is None:
            continue
        ret.values = ctx.row_values(sheet, r, columns, ret.unit_text, ret.findings)
        returns.append(ret)
    form_cols = form.find_columns(_header_texts(sheet, header_rows, fill, skip=set(cols) | {unit_col}))
    if "time" in form_cols:  # an online form's export: one row per submission
        form.apply(sheet, ctx, form_cols, returns, problems)
    if returns:
        returns[0].findings[:0] = problems
    elif problems:
        holder = ParsedReturn(sheet=sheet.name, layout="wide")
        holder.findings = problems
        returns.append(holder)
    return returns


def _unit_columns(sheet: Sheet, ctx: Context, header_rows: range, fill, first_metric: int):
    """(unit col, code col): the unit column by its header, else the units' code column, else the
    column left of the metrics holding most unit names; the code column by its header (or None)."""
    def head(r, c):
        return fill.get((r, c), sheet.cell(r, c))

    unit_col = next((c for c in range(first_metric) for r in header_rows
                     if nfkc(squashed(head(r, c))) in UNIT_COL_HEADERS or form.header_key(head(r, c)) in UNIT_COL_HEADERS),
                    None)
    code_col = next((c for c in range(first_metric)
                     if c != unit_col and any(nfkc(squashed(head(r, c))) in CODE_COL_HEADERS for r in header_rows)), None)
    if unit_col is None and code_col is not None:
        unit_col = code_col
    if unit_col is None:
        best = (0, None)
        for c in range(first_metric):
            n = sum(1 for r in range(header_rows.stop, len(sheet.rows))
                    if isinstance(sheet.cell(r, c), str) and ctx.h.match(sheet.cell(r, c)))
            if n > best[0]:
                best = (n, c)
        unit_col = best[1]
    return unit_col, code_col


def _units_of_measure(sheet: Sheet, cols: dict, data_start: int) -> tuple[dict[int, str | None], int]:
    """Each metric column's unit of measure (in brackets in its header, or a row of units right under
    the header) and the first data row."""
    field_units: dict[int, str | None] = {c: unit_in_brackets(label) for c, (code, label) in cols.items()}
    if data_start < len(sheet.rows):
        row = sheet.rows[data_start]
        vals = [row[c] for c in cols if c < len(row) and row[c] not in (None, "")]
        if vals and all(isinstance(v, str) and nfkc(v).strip().strip("()（）") in MEASURES for v in vals):
            for c in cols:
                if c < len(row) and isinstance(row[c], str) and row[c].strip():
                    field_units[c] = nfkc(row[c]).strip().strip("()（）")
            data_start += 1
    return field_units, data_start


def _row_return(sheet: Sheet, ctx: Context, r: int, unit_cols: tuple, cols: dict, problems: list) -> ParsedReturn | None:
    """The return of row r (its unit resolved, or the 合计 row's), or None for a row that holds none
    (blank, footer, 小计, a unit that has not reported, a unit that cannot be told: said in ``problems``)."""
    unit_col, code_col = unit_cols
    row = sheet.rows[r]
    name = row[unit_col] if unit_col < len(row) else None
    code_text = ""
    if code_col is not None and code_col != unit_col and code_col < len(row) and row[code_col] not in (None, ""):
        code_text = nfkc(cell_text(row[code_col])).strip()
        if name in (None, ""):
            name = code_text
    has_values = any(c < len(row) and row[c] not in (None, "") for c in cols)
    name_text = nfkc(str(name)).strip() if name not in (None, "") else ""
    if not name_text:
        if has_values:
            problems.append(ctx.finding("error", "row-without-unit", f"第 {r + 1} 行有数值但没有单位名称", sheet.name, cell_ref(r, unit_col)))
        return None
    key = squashed(name_text)
    if key.startswith(FOOTER) or ":" in key or "：" in key:
        return None
    if key in SUBTOTAL_LABELS:
        problems.append(ctx.finding("warning", "subtotal-row", f"“{name_text}”行是小计，未导入（汇总时会重新计算）", sheet.name, cell_ref(r, unit_col)))
        return None
    ret = ParsedReturn(sheet=sheet.name, layout="wide", row=r + 1)
    if _total_key(key):  # key: name_text squashed
        ret.source, ret.scope, ret.unit_text = "total_row", "汇总", name_text
        return ret if has_values else None
    ret.source, ret.unit_text, ret.unit_from = "row", name_text, "行"
    ret.unit = ctx.unit_named(name_text)
    if not has_values:
        return None  # a unit that has not reported
    return ret if _resolve_unit(sheet, ctx, r, unit_cols, ret, code_text, problems) else None


def _resolve_unit(sheet: Sheet, ctx: Context, r: int, unit_cols: tuple, ret: ParsedReturn, code_text: str,
                  problems: list) -> bool:
    """Settle the row's unit from its name and code; False (with the problem said) when it cannot be."""
    unit_col, code_col = unit_cols
    name_text = ret.unit_text
    if code_text and code_text != name_text:
        if code_text not in ctx.h.units:
            problems.append(ctx.finding("error", "unknown-unit-code", f"单位编码“{code_text}”不在单位名单中",
                                        sheet.name, cell_ref(r, code_col)))
            return False
        if ret.unit is not None and ret.unit != code_text:
            problems.append(ctx.finding(
                "error", "unit-mismatch",
                f"“{name_text}”（{ctx.h.name(ret.unit)}）与单位编码“{code_text}”（{ctx.h.name(code_text)}）不一致，无法确定是哪个单位的数据",
                sheet.name, cell_ref(r, code_col)))
            return False
        ret.unit = code_text
    if ret.unit is None and not code_text and marks_own(name_text) and not clean_key(name_text):
        ret.unit_from = "本级行"  # "本级" / "机关本级" alone: the sheet's own unit, resolved with the sheet
    elif ret.unit is None:
        hint = ctx.h.suggest(name_text)
        problems.append(ctx.finding(
            "error", "unknown-unit",
            f"单位名单中没有“{name_text}”" + (f"，是否是：{'、'.join(hint)}？" if hint else "；请先在单位名单中添加该单位（gwstats units import）"),
            sheet.name, cell_ref(r, unit_col)))
        return False
    return True

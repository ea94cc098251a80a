"""All returns in one file: layout per sheet, header fields, unit, year and scope of each return."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from gwstats.core.errors import Finding
from gwstats.core.text import nfkc, squash
from gwstats.core.values import NumberError, cell_text, parse_year
from gwstats.read.reader import Sheet, cell_ref
from gwstats.model.unit_names import marks_own
from gwstats.parse import crosstab
from gwstats.tables import headers
from gwstats.parse import long
from gwstats.parse import own_book
from gwstats.parse import wide
from gwstats.parse.context import Context
from gwstats.parse.parsed import ParsedReturn

SCOPES = {"本级": "本级", "本单位": "本级", "汇总": "汇总", "合计": "汇总", "含下属": "汇总", "全系统": "汇总", "汇总数": "汇总"}
GENERIC_SHEET_NAMES = {"sheet", "统计表", "报表", "表", "工作表"}


def _field_where(sheet: Sheet, fv: headers.FieldValue) -> str:
    return cell_ref(fv.row, fv.col)


def _resolve_year(sheet: Sheet, ctx: Context, fields, titles, errors: list[Finding]) -> tuple[int | None, str]:
    fv = fields.get("年度")
    if fv is not None:
        try:
            year = parse_year(fv.value)
        except NumberError:
            errors.append(ctx.finding("error", "bad-year", f"年度“{cell_text(fv.value)}”不是有效年份（应为四位数字，如 2018）",
                                      sheet.name, _field_where(sheet, fv)))
            return None, ""
        if year is not None:
            return year, "年度"
    for t in titles:
        y = headers.year_in_title(t)
        if y:
            return y, "标题"
    y = headers.year_in_name(sheet.name)
    if y:
        return y, "工作表名"
    y = headers.year_in_name(Path(ctx.file_name).stem)
    if y:
        return y, "文件名"
    if ctx.year_option is not None:
        return ctx.year_option, "--year"
    errors.append(ctx.finding("error", "no-year", "无法确定统计年度：表头没有“年度”，标题、工作表名和文件名中也没有年份；请用 --year 指定",
                              sheet.name))
    return None, ""


def visible(text: str) -> str:
    """Text with control and format characters shown as \\uXXXX (a code "JA01\\u0007" must not look
    like the listed JA01)."""
    import unicodedata

    return "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn") else ch for ch in text)


def _resolve_unit_field(sheet: Sheet, ctx: Context, fields, errors: list[Finding]) -> tuple[str | None, str, str | None]:
    """(code, where it came from, text) from 单位编码/填报单位; ('', '', None) when neither is present."""
    by_code = by_name = None
    code_fv = fields.get("单位编码")
    if code_fv is not None:
        text = nfkc(cell_text(code_fv.value)).strip()
        by_code = text if text in ctx.h.units else None
        if by_code is None and text:
            shown = visible(text)
            hidden = "（含看不见的字符，已用 \\u 编码显示）" if shown != text else ""
            errors.append(ctx.finding("error", "unknown-unit-code", f"单位编码“{shown}”{hidden}不在单位名单中", sheet.name, _field_where(sheet, code_fv)))
            return None, "单位编码", text
    name_fv = fields.get("填报单位")
    name_text = None
    if name_fv is not None:
        name_text = headers.clean_unit_text(cell_text(name_fv.value))
        by_name = ctx.unit_named(name_text)
        if by_name is None and by_code is None:
            hint = ctx.h.suggest(name_text)
            errors.append(ctx.finding(
                "error", "unknown-unit",
                f"填报单位“{name_text}”不在单位名单中" + (f"，是否是：{'、'.join(hint)}？" if hint else "；请先在单位名单中添加该单位，或在别名中加上这个写法"),
                sheet.name, _field_where(sheet, name_fv)))
            return None, "填报单位", name_text
    if by_code and by_name and by_code != by_name and not ctx.h.same_line(by_code, by_name):
        errors.append(ctx.finding(
            "error", "unit-mismatch",
            f"填报单位“{name_text}”（{ctx.h.name(by_name)}）与单位编码“{by_code}”（{ctx.h.name(by_code)}）不一致，无法确定是哪个单位的报表",
            sheet.name, _field_where(sheet, name_fv)))
        return None, "填报单位", name_text
    if by_code:
        return by_code, "单位编码", by_code
    if by_name:
        return by_name, "填报单位", name_text
    return "", "", None


def _resolve_unit(sheet: Sheet, ctx: Context, fields, titles, errors: list[Finding]) -> tuple[str | None, str, str | None]:
    code, source, text = _resolve_unit_field(sheet, ctx, fields, errors)
    if code != "":
        return code, source, text
    for t in titles:
        c = ctx.unit_in_text(t)
        if c:
            return c, "标题", t
    if squash(sheet.name).lower().rstrip("0123456789") not in GENERIC_SHEET_NAMES:
        c = ctx.unit_in_text(sheet.name)
        if c:
            return c, "工作表名", sheet.name
    stem = Path(ctx.file_name).stem
    c = ctx.unit_in_text(stem)
    if c:
        return c, "文件名", stem
    if ctx.unit_option:
        return ctx.unit_option, "--unit", ctx.h.name(ctx.unit_option)
    errors.append(ctx.finding(
        "error", "no-unit",
        "无法确定填报单位：表头没有“填报单位”，标题、工作表名和文件名中也没有单位名单里的单位名称；请在表头填写“填报单位”或用 --unit 指定",
        sheet.name))
    return None, "", None


def _resolve_scope(sheet: Sheet, ctx: Context, fields, errors: list[Finding]) -> str:
    fv = fields.get("口径")
    if fv is None:
        return "本级"
    text = squash(cell_text(fv.value))
    if not text:
        return "本级"
    scope = SCOPES.get(text) or _including_below(text) or next((v for k, v in SCOPES.items() if text.startswith(k)), None)
    if "不含" in text and scope == "汇总":
        scope = None  # "汇总（不含…）" is ambiguous
    if scope is None:
        errors.append(ctx.finding("error", "bad-scope", f"口径“{cell_text(fv.value)}”无法识别，应为“本级”或“汇总”",
                                  sheet.name, _field_where(sheet, fv)))
        return "本级"
    return scope


_WITH_BELOW = re.compile(r"(及|和|含|加|连同|包括)(下属|下级|所属)|^含|^全(县|市|区|旗|镇|乡|街道|系统|局)$|^全(县|市|区|旗)(范围|合计)")


def _including_below(text: str) -> str | None:
    """口径 words that include the units below: 本级及下属, 含下属, 本级和下级, 全县, 全系统 → 汇总.
    (A prefix match alone would read 本级及下属 as 本级 and add the subordinates again.)"""
    if "不含" in text:
        return None
    return "汇总" if _WITH_BELOW.search(text) else None


def _scope_missing(ret: ParsedReturn, ctx: Context, fields):
    """A one-unit return without 口径 from a unit that has subordinates: read as 本级 for now, marked
    so that the rollup decides from the figures (at least the sum of the reporting subordinates: 汇总)."""
    if "口径" in fields or not ret.unit or ret.unit not in ctx.h.units or not ctx.h.children(ret.unit):
        return
    ret.scope_stated = False


def _common_parent(ctx: Context, codes: list[str]) -> str | None:
    """The lowest unit on every code's chain (the code and its ancestors); a single code's parent.
    The first code's chain is cut at each other code's first unit on it (a form export's 95,000 row
    units: a few steps up each, not 95,000 chains intersected)."""
    codes = list(dict.fromkeys(codes))
    if not codes:
        return None
    chain = [codes[0], *ctx.h.ancestors(codes[0])]
    if len(codes) == 1:
        return chain[1] if len(chain) > 1 else None
    place = {c: i for i, c in enumerate(chain)}
    units, low = ctx.h.units, 0
    for code in codes[1:]:
        seen, cur = set(), code
        while cur not in place or place[cur] < low:
            seen.add(cur)
            u = units.get(cur)
            cur = u.parent if u is not None else None
            if not cur or cur not in units or cur in seen:
                return None
        low = place[cur]
    return chain[low]


def _text_field(fields, name):
    fv = fields.get(name)
    return cell_text(fv.value).strip() or None if fv is not None else None


def parse_sheets(sheets: list[Sheet], ctx: Context) -> tuple[list[ParsedReturn], list[Finding]]:
    """Every return in the file's sheets; hidden sheets are read only when no visible sheet holds
    a return, and the summary says what became of each hidden sheet with content."""
    visible = [s for s in sheets if not s.hidden]
    hidden = [s for s in sheets if s.hidden and any(any(v not in (None, "") for v in row) for row in s.rows)]
    if not hidden:
        return _parse_sheets(visible, ctx)
    returns, findings = _parse_sheets(visible, ctx) if visible else ([], [])
    if returns:
        for s in hidden:
            has_table = wide.find_metric_columns(s, ctx) is not None or long.locate(s, ctx) is not None
            findings.append(ctx.finding(
                "warning", "hidden-sheet",
                f"工作表“{s.name}”是隐藏的，未读取" + ("（其中有统计表；如需导入，请取消隐藏后重新报送）" if has_table else "（其中没有统计表）"),
                s.name))
        return returns, findings
    returns, findings = _parse_sheets(hidden, ctx)
    if returns:
        names = "、".join(f"“{s.name}”" for s in hidden)
        findings.append(ctx.finding("warning", "hidden-sheet",
                                    f"可见的工作表中没有统计表，已读取隐藏的工作表{names}（请核对是否应报送这些数据）"))
    return returns, findings


class _Table(NamedTuple):
    """Where a sheet's table is: ``found`` (wide: metric columns) with its returns, or ``located``
    (a 指标/数值 list or a cross-tab) with the cross-tab's values, findings and row spans."""

    found: tuple | None
    wide_rets: list[ParsedReturn] | None
    located: tuple | None
    xt_values: list
    xt_findings: list[Finding]
    xt_spans: list[range]


def _find_table(sheet: Sheet, ctx: Context) -> _Table | None:
    """The sheet's table, or None for a sheet without one (填表说明, notes, an empty sheet)."""
    found = wide.find_metric_columns(sheet, ctx)
    head = long.find_header(sheet)
    if found is not None and head is not None and head[0] < found[0].stop - 1 and not any(
            ctx.metric(v) for v in sheet.rows[head[0]]):
        found = None  # metric names below a 指标/数值 header: label blocks side by side, not a summary sheet
    wide_rets = wide.parse_wide(sheet, ctx, found) if found is not None else None
    if wide_rets is None:
        found = None  # metric names across but no column of units: not a summary sheet
    located = None if found is not None else (("header", head) if head is not None else long.locate(sheet, ctx))
    xt_values, xt_findings, xt_spans = crosstab.read(sheet, ctx) if found is None else ([], [], [])
    if found is None and located is None:
        if not (xt_values or xt_findings):
            return None
        located = ("crosstab", (xt_spans[0].start if xt_spans else 0,))
    return _Table(found, wide_rets, located, xt_values, xt_findings, xt_spans)


def _parse_sheets(sheets: list[Sheet], ctx: Context) -> tuple[list[ParsedReturn], list[Finding]]:
    """Every return in the given sheets, with unit, year and scope resolved where possible.

    Returns (returns, file-level findings). Returns with no values are dropped when another sheet
    of the file has values; a file with no table at all gets an error finding.
    """
    own = own_book.detect(sheets)
    if own is not None:  # gwstats's own rollup workbook: its long sheet, as 汇总 returns
        return own_book.parse(own, ctx)
    returns: list[ParsedReturn] = []
    findings: list[Finding] = []
    tables = 0
    for sheet in sheets:
        table = _find_table(sheet, ctx) if sheet.rows else None
        if table is None:
            continue
        tables += 1
        if table.found is not None:
            rets, left = _wide_returns(sheet, ctx, table)
            returns.extend(rets)
            findings.extend(left)
        else:
            returns.append(_list_return(sheet, ctx, table))
    if not tables:
        findings.append(ctx.finding(
            "error", "no-table",
            "没有找到可识别的统计表：需要“指标”和“数值”（或“本年”“2018年”等）两列的表，或单位为行、指标为列的汇总表",
        ))
        return [], findings
    _moved_units(returns, ctx)
    returns = _join_sheets(returns)
    _outside_years(returns, ctx)
    with_values = [r for r in returns if r.values or any(f.severity == "error" for f in r.findings)]
    if not with_values:
        msg = "报表中没有填写任何数值" if returns else "没有找到可识别的统计表"
        findings.append(ctx.finding("error", "no-values", msg))
        for r in returns:
            findings.extend(r.findings)
        return [], findings
    return with_values, findings


def _sheet_head(sheet: Sheet, ctx: Context, top: int, header_rows: set[int], errors: list[Finding]):
    """(fields, titles, year, year_from, filled) of the table's header block."""
    fields = headers.find_fields(sheet.rows, header_rows)
    titles = headers.title_texts(sheet.rows, max(top, 0), fields)
    year, year_from = _resolve_year(sheet, ctx, fields, titles, errors)
    filled = dict(filled_by=_text_field(fields, "填报人"), phone=_text_field(fields, "联系电话"),
                  fill_date=_text_field(fields, "填报日期"))
    return fields, titles, year, year_from, filled


def _wide_returns(sheet: Sheet, ctx: Context, table: _Table) -> tuple[list[ParsedReturn], list[Finding]]:
    """A one-row-per-unit sheet's returns (unit rows and 合计 rows), and the sheet's findings when it
    has no return to carry them."""
    errors: list[Finding] = []
    fields, _, year, year_from, filled = _sheet_head(sheet, ctx, table.found[0].start, set(table.found[0]), errors)
    rets = table.wide_rets
    rows = [r for r in rets if r.source == "row"]
    # 口径 in the sheet's header applies to every unit row: a 汇总 row is compared, never added.
    sheet_scope = _resolve_scope(sheet, ctx, fields, errors)
    if year is None and rets and all(r.year for r in rows):
        errors = [e for e in errors if e.code != "no-year"]  # every row says its year (a form's 年度 column)
    for r in rets:
        if not r.year:
            r.year, r.year_from = year, year_from
        r.filled_by = r.filled_by or filled["filled_by"]  # a form row's 提交者 wins
        r.phone, r.fill_date = filled["phone"], filled["fill_date"]
    owner = _resolve_unit_field(sheet, ctx, fields, [])[0] or _common_parent(ctx, [r.unit for r in rows if r.unit])
    _own_rows(sheet, ctx, rows, owner, errors)
    _row_scopes(sheet, ctx, rows, owner, sheet_scope, "口径" in fields)
    if any(r.source == "total_row" for r in rets):
        rets = _total_rows(sheet, ctx, fields, rets, rows, errors)
    if rets:
        rets[0].findings[:0] = errors
        return rets, []
    return rets, errors


def _own_rows(sheet: Sheet, ctx: Context, rows: list[ParsedReturn], owner: str | None, errors: list[Finding]):
    """A row named just "本级": the sheet's own unit."""
    for r in rows:
        if r.unit_from == "本级行":
            r.unit = owner
            if owner is None:
                errors.append(ctx.finding("error", "own-row-unowned",
                                          f"“{r.unit_text}”行无法确定是哪个单位的本级（请在表头填写“填报单位”）",
                                          sheet.name, f"第 {r.row} 行"))


def _row_scopes(sheet: Sheet, ctx: Context, rows: list[ParsedReturn], owner: str | None, sheet_scope: str,
                scope_given: bool):
    for r in rows:
        own = marks_own(r.unit_text)  # "甲县关工委本级": that unit's own figures, whatever the sheet's 口径
        r.scope = "本级" if own else sheet_scope
        if (sheet_scope == "本级" and not own and not scope_given and r.unit and r.unit != owner
                and ctx.h.children(r.unit)):
            r.findings.append(ctx.finding(
                "warning", "row-scope-assumed",
                f"“{r.unit_text}”有下级单位，本行按“本级”计入（不含下级）；如本行数字已包含下级单位，"
                f"请在表头注明“口径：汇总”后重新导入", sheet.name, f"第 {r.row} 行"))


def _total_rows(sheet: Sheet, ctx: Context, fields, rets: list[ParsedReturn], rows: list[ParsedReturn],
                errors: list[Finding]) -> list[ParsedReturn]:
    """合计 rows belong to the sheet's unit (or the rows' common parent); those without one are dropped."""
    code, source, text = _resolve_unit_field(sheet, ctx, fields, errors)
    if not code:
        code = _common_parent(ctx, [r.unit for r in rows if r.unit])
        source = "各行单位的共同上级"
    for t in rets:
        if t.source != "total_row":
            continue
        if code:
            t.unit, t.unit_from = code, source
        else:
            t.findings.append(ctx.finding("warning", "total-row-unowned",
                                          f"“{t.unit_text}”行未导入：无法确定本表所属单位（请在表头填写“填报单位”）",
                                          sheet.name, f"第 {t.row} 行"))
    return [r for r in rets if r.source != "total_row" or r.unit]


def _list_return(sheet: Sheet, ctx: Context, table: _Table) -> ParsedReturn:
    """The one return of a 指标/数值 list or a cross-tab sheet."""
    errors: list[Finding] = []
    located, xt_spans = table.located, table.xt_spans
    fields, titles, year, year_from, filled = _sheet_head(sheet, ctx, located[1][0], {located[1][0]}, errors)
    ret = long.parse_long(sheet, ctx, located, year) if located[0] != "crosstab" else ParsedReturn(sheet=sheet.name, layout="crosstab")
    if xt_spans:  # the list's reading stops where a cross-tab of the sheet begins
        ret.values = [v for v in ret.values if not _in_spans(v.cell, xt_spans)]
        ret.findings = [f for f in ret.findings if not _in_spans(f.cell, xt_spans)]
    taken = {v.metric for v in ret.values}
    ret.values.extend(v for v in table.xt_values if v.metric not in taken)
    ret.findings.extend(table.xt_findings)
    ret.year, ret.year_from = year, year_from
    ret.unit, ret.unit_from, ret.unit_text = _resolve_unit(sheet, ctx, fields, titles, errors)
    ret.scope = _resolve_scope(sheet, ctx, fields, errors)
    _scope_missing(ret, ctx, fields)
    ret.filled_by, ret.phone, ret.fill_date = filled["filled_by"], filled["phone"], filled["fill_date"]
    ret.findings[:0] = errors
    return ret


_JOINABLE = ("crosstab", "long")


def _join_sheets(returns: list[ParsedReturn]) -> list[ParsedReturn]:
    """A cross-tab on a sheet of its own belongs to the same return as the file's other sheets
    (same unit, year and scope, no metric in common): one return, not two.

    Only list and cross-tab returns of a known unit can be joined, so only those are looked up, by
    their key (a form export's 100,000 rows are not compared with each other)."""
    out: list[ParsedReturn] = []
    by_key: dict[tuple, list[ParsedReturn]] = {}
    for r in returns:
        other = None
        if r.layout in _JOINABLE and r.unit:
            metrics = {v.metric for v in r.values}
            other = next((o for o in by_key.get(r.key, ()) if "crosstab" in (r.layout, o.layout)
                          and not ({v.metric for v in o.values} & metrics)), None)
        if other is None:
            out.append(r)
            if r.layout in _JOINABLE and r.unit:
                by_key.setdefault(r.key, []).append(r)
        else:
            other.values.extend(r.values)
            other.findings.extend(r.findings)
    return out


def _in_spans(cell: str | None, spans: list[range]) -> bool:
    digits = "".join(ch for ch in (cell or "") if ch.isdigit())
    return bool(digits) and any(int(digits) - 1 in s for s in spans)


def _moved_units(returns: list[ParsedReturn], ctx: Context):
    """A return of a unit that is not active in its year but lives on under another code (moved to
    another parent, merged: 前身 / 并入 in the unit list) is that unit's return, with a note naming
    the old code and the new unit; it would otherwise land on the dissolved unit, uncounted."""
    h = ctx.h
    for r in returns:
        if not (r.unit and r.year) or r.unit not in h.units or h.units[r.unit].active_in(r.year):
            continue
        new = h.in_force(r.unit, r.year)
        if new is None or new == r.unit:
            continue
        old_u, new_u = h.units[r.unit], h.units[new]
        parent = f"{h.name(new_u.parent)}下的" if new_u.parent and new_u.parent != old_u.parent else ""
        written = f"{r.unit_from}“{r.unit_text}”" if r.unit_from and r.unit_text else "报表"
        r.findings.append(ctx.finding(
            "warning", "unit-successor",
            f"{written}是 {old_u.name}[{old_u.code}]，该编码 {r.year} 年已不用：该单位已调整为{parent}"
            f"{new_u.name}[{new_u.code}]（单位名单“前身/并入”），本表按 {new_u.name}[{new_u.code}] 的 {r.year} 年报表导入",
            r.sheet, None, old=old_u.code, new=new_u.code))
        r.unit = new


def _outside_years(returns: list[ParsedReturn], ctx: Context):
    """A value of a metric that the catalog asks for only in other years (since/until) is kept, with
    a warning: the form of that year did not have it."""
    outside: dict[int, set[str]] = {}  # year -> the catalog's metrics not asked for in it (most years: none)
    for r in returns:
        if not r.year:
            continue
        if r.year not in outside:
            outside[r.year] = {c for c, m in ctx.catalog.metrics.items() if not m.applies_in(r.year)}
        if not outside[r.year]:
            continue
        for v in r.values:
            m = ctx.catalog.metrics.get(v.metric)
            if m is not None and not m.applies_in(r.year):
                if m.since and m.until:
                    span = f"{m.since} 至 {m.until} 年"
                else:
                    span = f"{m.since} 年起" if m.since else f"{m.until} 年及以前"
                r.findings.append(ctx.finding(
                    "warning", "metric-outside-years",
                    f"指标“{m.name}”按目录只在 {span}统计，本表是 {r.year} 年的；数值“{v.raw}”仍已导入，请核对",
                    v.sheet, v.cell))

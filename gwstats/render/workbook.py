"""The consolidated rollup workbook (.xlsx): 汇总, 分单位明细, 同比, 填报情况, 校验问题, 数据来源.

Every sheet has a title row (organisation and year), a frozen bold header with borders, number
formats (counts whole, amounts 0.00, rates as %), and column widths measured in display width so
Chinese text fits. Text from returns and unit lists is always written as text: a name starting with
= + - @ can never become a formula.
"""

from __future__ import annotations

from gwstats.core.findings import label
import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np

from gwstats.analysis import brief
from gwstats.analysis.rollup import RollupResult
from gwstats.render.report_brief import STATUS_NOTE
from gwstats.render.wording import yoy_prefix
from gwstats.render.rollup_table import ROUNDING_NOTE, column_title
from gwstats.core.formatting import chinese_ordinal, fixed
from gwstats.render.sheet_writer import (  # noqa: F401  (display_width: read by tests)
    FMT, MAX_ROWS, Book, SheetWriter, display_width)
from gwstats.core.output import write_whole




def _cell_value(rec: dict):
    """The value as the workbook stores it: exact Decimal for counts/amounts, fraction for % rates."""
    v = rec["value"]
    if v is None:
        return None
    if rec["kind"] == "rate":
        return v / 100 if rec["measure"] == "%" else v
    return v


def _fmt_of(rec: dict) -> str:
    if rec["kind"] == "rate":
        return FMT["rate"] if rec["measure"] == "%" else FMT["number"]
    return FMT[rec["kind"]] if rec["kind"] in FMT else FMT["count"]


def write_workbook(ws, result: RollupResult, output, *, show_parts: bool = False, status=None, checks=None,
                   full: bool = False) -> Path:
    """The six sheets. A province (brief.is_big), or a hierarchy with more than brief.MANY_FINDINGS
    findings or brief.MANY_SOURCES stored values, gets 校验问题 and 数据来源 for the units down to two
    levels below (every error kept) with a line saying how to get the rest; ``full`` (``rollup -o … --all``)
    lists every finding and value there instead (数据来源 still at most MAX_ROWS rows)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    from gwstats.forms.export import organisation

    org = organisation(ws)
    year = result.year
    tree = result.tree
    root = tree.index[result.root]
    root_name = tree.names[root]
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    cmp_text = f"对比 {result.compare_year} 年；" if result.compare_year else ""
    prefer_text = "下级未报齐时采用汇总表数" if result.prefer == "reported" else "按各单位报表逐级计算"
    subtitle = f"范围：{root_name}；{cmp_text}口径：{prefer_text}；生成时间 {stamp}"
    wb = Book()  # XlsxWriter, constant_memory: each sheet goes to disk as it is finished
    if checks is None:
        checks = ws.check(year, unit=result.root)
    from gwstats.analysis.marks import ErrorMarks

    marks = ErrorMarks(checks.findings, ws.catalog, tree, year)  # figures an open error touches: ※

    _summary_sheet(wb, result, f"{org} {year} 年度统计汇总表", subtitle, show_parts, marks)
    _detail_sheet(wb, result, f"{org} {year} 年度分单位明细", subtitle, marks)
    _yoy_sheet(wb, result, f"{org} {year} 年度同比情况", subtitle, marks)
    if status is None:
        status = ws.status(year, unit=result.root)
    big = brief.is_big(tree, result.root)  # a province: the sheets below describe the levels down to the counties
    _status_sheet(wb, status, f"{org} {year} 年度填报情况", subtitle, tree if big else None)
    many = not big and len(checks.findings) > brief.MANY_FINDINGS  # a city's 20,000 同比异常
    _checks_sheet(wb, checks, f"{org} {year} 年度校验问题", subtitle, tree if (big or many) and not full else None,
                  many=many)
    reported_on = {r["unit"]: r["submitted_at"] for r in status.rows
                   if (r["expected"] or r["reported"]) and r["submitted_at"]}  # 报送时间 as 填报情况 shows it
    in_error = {f.extra.get("unit") for f in checks.findings if f.severity == "error"}
    _sources_sheet(wb, ws, result, root, f"{org} {year} 年度数据来源", subtitle, reported_on, big, full, in_error)
    write_whole(output, wb.save)
    return output


def _marked(fmt: str | None, marks, result, rec: dict) -> str | None:
    """The number format of a figure an open error touches: the value stays a number, shown with ※."""
    from gwstats.analysis.marks import MARK

    if marks and fmt and rec["value"] is not None and marks.row_affected(result, rec["unit"], rec["metric"]):
        return f'{fmt}"{MARK}"'
    return fmt


def _mark_note(sw, marks, result, recs) -> None:
    hit = [r["metric"] for r in recs if _marked("0", marks, result, r) != "0"]
    if hit:
        sw.note(marks.note(metrics=hit))


def _summary_sheet(wb, result: RollupResult, heading, subtitle, show_parts, marks=None):
    """合计 first, then one block per hierarchy level: the first block's rows (with the 本级 remainder)
    add up to 合计, and every later block holds one level only, so a clerk's =SUM over a block never
    counts a unit twice. Columns no row has a figure in are left out."""
    tree = result.tree
    root = tree.index[result.root]
    s = tree.subtree(root)
    root_level = int(tree.level[root])
    deepest = int(tree.level[s].max())
    if result.units and (s.stop - s.start) > 5000:
        row_level = int(tree.level[tree.index[result.units[0]]])
        deepest = max(row_level, root_level)
    keep = tree.active(result.year) | result.frame.data.has_sub | (result.frame.count > 0).any(axis=1)
    keep &= tree.level <= deepest
    show = [s.start + int(k) for k in np.flatnonzero(keep[s])]
    first = [k for k in result.row_keys if k != result.root]
    first_level = max((int(tree.level[tree.index[k]]) for k in first if k in tree.index), default=root_level + 1)
    blocks: list[tuple[str, list[str]]] = []
    if first:
        blocks.append((f"{_level_name(first_level)}（各行相加等于合计）", first))
    for lv in range(first_level + 1, deepest + 1):
        codes = [tree.codes[i] for i in show if int(tree.level[i]) == lv]
        if codes:
            blocks.append((f"{_level_name(lv)}（已计入所属上级单位；本块各行只含这一级）", codes))
    with_parent = len(blocks) > 1

    kept = _records_by_unit(result)
    sample = _records_of(result, kept, result.root)
    heads = ["单位"] + (["所属单位"] if with_parent else []) + ["已报"]
    lead = len(heads)
    for rec in sample:
        heads.append(column_title(rec).replace("·", ""))  # a cross-tab cell reads as words: 村关工委组织数
        if show_parts and rec["kind"] == "rate":
            heads += [f"{rec['metric_name']}·分子", f"{rec['metric_name']}·分母"]

    def line(key: str, name: str, parent: str) -> tuple[list, list]:
        recs = _records_of(result, kept, key)
        # 已报 of a row: its units that reported / should; blank on the 本级 / 其他 remainder row,
        # which is no unit of the list (as in the console and report tables)
        cov = recs[0]["coverage"] if recs and (recs[0]["expected"] or recs[0]["row"] == "单位") else ""
        vals: list = [name] + ([parent] if with_parent else []) + [cov]
        fmts: list = [None] * lead
        for rec in recs:
            vals.append(_cell_value(rec))
            fmts.append(_marked(_fmt_of(rec), marks, result, rec))
            if show_parts and rec["kind"] == "rate":
                vals += [rec["numerator"], rec["denominator"]]
                fmts += [FMT["amount"] if _is_amount(rec["numerator"]) else FMT["count"]] * 2
        return vals, fmts

    total = line(result.root, f"{tree.names[root]}（合计）", "")
    body: list[tuple[str, tuple[list, list] | None]] = []
    for title, keys in blocks:
        body.append((title, None))
        for k in keys:
            i = tree.index.get(k)
            parent = tree.names[int(tree.parent[i])] if i is not None and int(tree.parent[i]) >= 0 else ""
            body.append(("", line(k, result.row_name(k), parent)))
    # a column no row fills (a metric of another kind of unit) is left out
    lines = [total] + [ln for _, ln in body if ln is not None]
    used = [k for k in range(len(heads)) if k < lead or any(v[k] is not None for v, _ in lines)]

    def pick(v: list) -> list:
        return [v[k] for k in used]

    sw = SheetWriter(wb, "汇总", heading, subtitle)
    sw.header(pick(heads), freeze_cols=1)
    sw.write(pick(total[0]), pick(total[1]), total=True)
    for title, ln in body:
        if ln is None:
            sw.block(title)
        else:
            sw.write(pick(ln[0]), pick(ln[1]))
    if len(used) < len(heads):
        sw.note(f"未列出各单位均未填报的 {len(heads) - len(used)} 项指标。")
    first_lines = [ln for _, ln in body[1:1 + len(blocks[0][1])]] if blocks else []
    if _shown_amounts_differ(total, first_lines):
        sw.note(ROUNDING_NOTE + "（金额显示两位小数，合计按精确数相加）。")
    _mark_note(sw, marks, result, sample)
    sw.finish()


def _records_by_unit(result: RollupResult) -> dict[str, list[dict]]:
    """The result's records (built once per result) by row unit: the rows of the first block and 合计."""
    out: dict[str, list[dict]] = {}
    for rec in result.records():
        out.setdefault(rec["unit"], []).append(rec)
    return out


def _records_of(result: RollupResult, kept: dict, key: str) -> list[dict]:
    """A row's records: from ``kept`` when the result lists the row, else a deeper level's unit's figures
    (RollupResult.figures_for: what this sheet reads, without notes and year over year)."""
    recs = kept.get(key)
    return [dict(r) for r in recs] if recs is not None else result.figures_for([key])


def _shown_amounts_differ(total: tuple[list, list], lines: list[tuple[list, list]]) -> bool:
    """Whether some amount column's rows, as shown (0.00), do not add up to its shown 合计."""
    from gwstats.core.rounding import half_up

    values, fmts = total
    for k, fmt in enumerate(fmts):
        if fmt != FMT["amount"] or values[k] is None:
            continue
        parts = [half_up(v[k], 2) for v, _f in lines if k < len(v) and isinstance(v[k], (int, Decimal))]
        if parts and sum(parts, Decimal(0)) != half_up(values[k], 2):
            return True
    return False


def _level_name(level: int) -> str:
    return f"{chinese_ordinal(level)}级单位"


def _is_amount(v) -> bool:
    return isinstance(v, Decimal) and v != v.to_integral_value()


def _detail_sheet(wb, result: RollupResult, heading, subtitle, marks=None):
    sw = SheetWriter(wb, "分单位明细", heading, subtitle)
    sw.header(["单位编码", "单位", "层级", "指标编码", "指标", "分组", "计量单位", "数值", "分子", "分母",
               "已报", "上年", "增减", "增减率", "来源", "说明"], freeze_cols=2)
    for rec in result.records():
        f = _fmt_of(rec)
        change_fmt = FMT["change_pp"] if rec["kind"] == "rate" and rec["measure"] == "%" else f
        prev = rec["prev_value"]
        if rec["kind"] == "rate" and rec["measure"] == "%" and prev is not None:
            prev = prev / 100
        sw.write(
            [rec["unit"], rec["unit_name"], rec["level"], rec["metric"], rec["metric_name"], rec["group"], rec["measure"],
             _cell_value(rec), rec["numerator"], rec["denominator"], rec["coverage"], prev, rec["change"],
             None if rec["change_pct"] is None else round(rec["change_pct"] / 100, 10),
             "汇总表数" if rec["source"] == "reported" else "计算数", rec["note"]],
            [None] * 7 + [_marked(f, marks, result, rec), None, None, None, f, change_fmt, FMT["rate"], None, None],
            total=rec["unit"] == result.root,
        )
    sw.hide(4)  # 指标编码: read back by gwstats (parse/own_book.py), not for the reader
    # (no note row here: the sheet is read back row by row; the ※ cells' note is on 汇总 and 同比)
    sw.finish()


def _yoy_sheet(wb, result: RollupResult, heading, subtitle, marks=None):
    sw = SheetWriter(wb, "同比", heading, subtitle)
    if result.compare_year is None:
        sw.header(["说明"])
        sw.note("没有对比年度的数据（汇总时可指定对比年度）")
        sw.finish()
        return
    cy, py = result.year, result.compare_year
    prefix = yoy_prefix(cy, py)
    recs = [r for r in result.records() if r["value"] is not None or r["prev_value"] is not None]
    # 本年 − 上年（可比口径）= 增减 on every row; where a unit reported this year only, this year's
    # comparable figure is shown too (the change is between the two comparable figures)
    new_units = any(r["comparable"] and r["value_comparable"] is not None and r["value_comparable"] != r["value"]
                    for r in recs)
    heads = ["单位", "指标", "计量单位", f"{cy}年"] + ([f"{cy}年（可比口径）"] if new_units else [])
    heads += [f"{py}年（可比口径）", "增减", "增减率", f"{py}年（全部）", "口径", "未计入的单位", "表述"]
    sw.header(heads, freeze_cols=2)
    for rec in recs:
        f = _fmt_of(rec)
        is_pct = rec["kind"] == "rate" and rec["measure"] == "%"

        def cell(v):
            return v / 100 if is_pct and v is not None else v

        cur, full = _cell_value(rec), cell(rec["prev_value"])
        has_change = rec["change"] is not None
        prev_c = cell(_prev_comparable(rec)) if has_change else None
        cur_c = cell(rec["value_comparable"] if rec["comparable"] else rec["value"]) if has_change else None
        values = [rec["unit_name"] if rec["unit"] != result.root else f"{rec['unit_name']}（合计）", rec["metric_name"].replace("·", ""),
                  rec["measure"], cur] + ([cur_c] if new_units else [])
        values += [prev_c, rec["change"], None if rec["change_pct"] is None else round(rec["change_pct"] / 100, 10),
                   full if not has_change or (rec["comparable"] and full != prev_c) else None,
                   "可比口径" if rec["comparable"] else ("全部单位" if has_change else ""),
                   _left_out_cell(rec), _wording(rec, prefix)]
        formats = [None, None, None, _marked(f, marks, result, rec)] + ([f] if new_units else [])
        formats += [f, FMT["change_pp"] if is_pct else f, FMT["rate"], f, None, None, None]
        sw.write(values, formats, total=rec["unit"] == result.root)
    sw.note(f"增减按可比口径计算：只比较{py}年和{cy}年都填报了该项的单位，"
            f"{cy}年{'（可比口径）' if new_units else ''} − {py}年（可比口径）= 增减；“{py}年（全部）”为该年全部单位的合计，"
            "只在与可比口径不同时列出。")
    _mark_note(sw, marks, result, [r for r in result.records() if r["unit"] == result.root])
    sw.finish()


def _prev_comparable(rec: dict):
    """Last year's figure on the basis of the change: the comparable one, or last year's total."""
    if rec["kind"] == "rate" and rec["measure"] in ("%", ""):
        # a rate's change is the difference of the shown rates: the column shows the shown rate
        from gwstats.core.rounding import shown

        p = rec["prev_comparable"] if rec["comparable"] else rec["prev_value"]
        return None if p is None else float(shown(p, "rate", rec["measure"] or "%"))
    return rec["prev_comparable"] if rec["comparable"] else rec["prev_value"]


def _left_out_cell(rec: dict) -> str:
    parts = []
    if rec.get("left_out_prev"):
        parts.append(f"本年未报：{rec['left_out_prev']}")
    if rec.get("left_out_cur"):
        parts.append(f"上年未报：{rec['left_out_cur']}")
    return "；".join(parts)


def _wording(rec: dict, prefix: str = "比上年") -> str:
    """The change as the report words it (gwstats.render.wording.record_change), plus the relative change."""
    from gwstats.render import wording

    ch = rec["change"]
    if ch is None:
        return ""
    text = wording.record_change(rec, prefix)
    if rec["kind"] == "rate":
        return text
    if not text.endswith("持平") and rec["change_pct"] is not None:
        text += f"（{'增长' if ch > 0 else '下降'}{fixed(abs(rec['change_pct']), 1)}%）"
    return text


def _status_sheet(wb, st, heading, subtitle, tree=None):
    """Unit by unit; on a province (``tree`` given) counted down to the counties."""
    sw = SheetWriter(wb, "填报情况", heading, subtitle)
    if tree is not None:
        cols = ["单位", "编码", "层级", "应报", "已报", "迟报", "未报", "报送率"]
        sw.header(cols)
        for r in brief.status_rows(st.rows, tree, st.root):
            sw.write([r[c] for c in cols])
        sw.note(STATUS_NOTE + "。")
        sw.note(st.summary_line() + f"（截止日期 {st.deadline}）")
        sw.finish()
        return
    sw.header(["单位", "编码", "层级", "应报", "状态", "报送时间", "版本数", "填报人", "联系电话"])
    for r in st.display_rows():
        sw.write([r["单位"], r["编码"], r["层级"], r["应报"], r["状态"], r["报送时间"], r["版本数"], r["填报人"], r["联系电话"]])
    sw.note(st.summary_line() + f"（截止日期 {st.deadline}）")
    sw.finish()


def _checks_sheet(wb, checks, heading, subtitle, tree=None, many: bool = False):
    """Every finding; with ``tree`` (a province, or with ``many`` a smaller hierarchy with more than
    MANY_FINDINGS findings) the errors and the warnings of the units down to two levels below."""
    sw = SheetWriter(wb, "校验问题", heading, subtitle)
    sw.header(["级别", "类型", "单位", "指标", "说明", "文件", "工作表", "单元格"])
    findings, left = checks.findings, {}
    if tree is not None and findings:
        findings, left = brief.check_findings(findings, tree, checks.root)
    for f in findings[:MAX_ROWS]:
        sw.write([{"error": "错误", "warning": "提醒", "info": "说明"}.get(f.severity, f.severity), label(f.code),
                  f.extra.get("unit_name") or "", f.extra.get("metric_name") or "", f.message, f.file, f.sheet, f.cell])
    if len(findings) > MAX_ROWS:
        sw.note(f"仅列出前 {MAX_ROWS} 条，完整清单请用 gwstats check --format csv 导出")
    if left:
        parts = "、".join(f"{name} {n:,} 条" for name, n in sorted(left.items(), key=lambda kv: -kv[1]))
        where = "更下级单位" if many else "区县以下单位"
        head = "提醒较多，只列出全部错误和本级及以下两级单位的提醒；" if many else ""
        sw.note(f"{head}另有{where}的提醒未列出：{parts}。全部列出请在生成工作簿时加 --all，"
                "或用 gwstats check --all --format csv 导出")
    sw.note(checks.summary_line())
    sw.finish()


def _sources_sheet(wb, ws, result: RollupResult, root: int, heading, subtitle, reported_on: dict | None = None,
                   big: bool = False, full: bool = False, in_error: set | None = None):
    """The values stored for the units of the sheet: on a province (``big``), or above MANY_SOURCES values,
    those of the units down to two levels below and of the units with an error (``in_error``, the figures
    a clerk goes back to), unless ``full``."""
    tree = result.tree
    s = tree.subtree(root)
    near = {tree.codes[k] for k in brief.near(tree, result.root)}
    near |= {u for u in in_error or () if u in tree.index and s.start <= tree.index[u] < s.stop}
    many = 0  # all the values, when more than MANY_SOURCES and only the near units' are listed
    if big and not full:
        units = near
    else:
        units = set(tree.codes[s])
        if not full and len(units) > len(near):
            _, total = ws.store.values_with_sources(result.year, units, 0)
            if total > brief.MANY_SOURCES:
                many, units = total, near
    cat = ws.catalog
    sw = SheetWriter(wb, "数据来源", heading, subtitle)
    sw.header(["单位", "口径", "来源", "指标", "数值", "文件", "工作表", "单元格", "原文", "报送时间"], freeze_cols=1)
    picked, total = ws.store.values_with_sources(result.year, units, MAX_ROWS)
    more = max(0, total - MAX_ROWS)
    order = tree.index
    picked.sort(key=lambda r: (order[r[0]], r[1]))
    source_text = {"return": "报表", "row": "汇总表中的一行", "total_row": "合计行"}
    for unit, scope, source, metric, value, state, fname, sheet, cell, raw, received in picked:
        val = Decimal(value) if value is not None else ("不适用" if state == "na" else None)
        sw.write([tree.names[order[unit]], scope, source_text.get(source, source), cat.label_of(metric), val,
                  fname, sheet, cell, raw, _day((reported_on or {}).get(unit) or received)], [None] * 9 + ["yyyy-mm-dd"])
    if more:
        sw.note(f"另有 {more} 个数值未列出（每张表最多 {MAX_ROWS} 行）；单个数字的来源可用 gwstats trace 查看")
    if big and not full:
        sw.note("单位较多，只列出区县及以上单位和有错误的单位报表中的数值；其余单位的数值用 gwstats export --format csv-long "
                "导出，单个数字的来源用 gwstats trace 查看")
    elif many:
        sw.note(f"数值较多（共 {many:,} 个），只列出本级及以下两级单位和有错误的单位报表中的 {total:,} 个；全部列出请在生成"
                "工作簿时加 --all（gwstats rollup -o 汇总.xlsx --all），单个数字的来源用 gwstats trace 查看")
    sw.finish()


def _day(received):
    """报送时间 as the day the unit reported (its 填报日期 as 填报情况 shows it, else the day its return
    came in), a date cell, not the stored ISO timestamp."""
    if not received:
        return None
    try:
        return dt.datetime.fromisoformat(str(received).replace("Z", "+00:00")).date()
    except ValueError:
        return str(received)

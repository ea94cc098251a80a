"""gwstats's own ``rollup -o`` workbook, handed over by another office that uses gwstats.

The workbook's sheet 分单位明细 is long data (单位编码 | 单位 | 层级 | 指标编码 | 指标 | 分组 | 计量单位 |
数值 …): each unit in it becomes a 汇总 return (its figures already include its subordinates). The
other sheets (汇总 with its subtitle ``口径：按各单位报表逐级计算``, 同比, 数据来源 …) are views of the
same figures and are not read. Rates are left out: the level above recomputes them.
"""

from __future__ import annotations

from gwstats.core.text import nfkc
from gwstats.read.reader import Sheet, cell_ref
from gwstats.tables import headers
from gwstats.parse.context import Context, squashed
from gwstats.parse.parsed import ParsedReturn

DETAIL_SHEET = "分单位明细"
SIGNATURE = ("单位编码", "单位", "层级", "指标编码", "指标", "分组", "计量单位", "数值")
OTHER_SHEETS = {"汇总", "同比", "填报情况", "校验问题", "数据来源"}
SCAN_ROWS = 5
REMAINDER_MARKS = ("(本级)", "(其他)")  # the remainder row of gwstats.analysis.remainder, after NFKC


def _header_row(sheet: Sheet) -> int | None:
    for r, row in enumerate(sheet.rows[:SCAN_ROWS]):
        if tuple(squashed(v) for v in row[: len(SIGNATURE)]) == SIGNATURE:
            return r
    return None


def detect(sheets: list[Sheet]) -> Sheet | None:
    """The 分单位明细 sheet when the file is a gwstats rollup workbook, else None."""
    names = {s.name for s in sheets}
    if DETAIL_SHEET not in names or not (names & OTHER_SHEETS):
        return None
    sheet = next(s for s in sheets if s.name == DETAIL_SHEET)
    return sheet if _header_row(sheet) is not None else None


def parse(sheet: Sheet, ctx: Context):
    """(returns, file-level findings): one 汇总 return per unit of the sheet that the unit list knows."""
    hr = _header_row(sheet)
    year = None
    for t in headers.title_texts(sheet.rows, hr):
        year = headers.year_in_title(t)
        if year:
            break
    year_from = "标题"
    if year is None:
        year, year_from = ctx.year_option, "--year"
    findings = []
    if year is None:
        findings.append(ctx.finding("error", "no-year", "gwstats 汇总结果的标题中没有年度；请用 --year 指定", sheet.name, "A1"))
        return [], findings
    by_unit: dict[str, ParsedReturn] = {}
    unknown: dict[str, str] = {}
    skipped_rates = 0
    remainder: set[str] = set()
    for r in range(hr + 1, len(sheet.rows)):
        row = sheet.rows[r]
        if len(row) < len(SIGNATURE):
            continue
        name = nfkc(str(row[1] or "")).strip()
        if not name:
            continue
        if nfkc(str(row[0] or "")).strip().endswith(REMAINDER_MARKS):
            remainder.add(name)  # 合计 − the listed rows: follows from the 汇总 figures imported
            continue
        code_text = nfkc(str(row[3] or "")).strip()
        label = nfkc(str(row[4] or "")).strip()
        metric = code_text if code_text in ctx.catalog.metrics else ctx.metric(label)
        if metric not in ctx.catalog.metrics:
            if code_text in ctx.catalog.indicators or metric in ctx.catalog.indicators:
                skipped_rates += 1
            elif row[7] not in (None, ""):
                unknown.setdefault(f"指标“{label}”", cell_ref(r, 4))
            continue
        ret = by_unit.get(name)
        if ret is None:
            unit = ctx.unit_named(name)
            if unit is None:
                unknown.setdefault(f"单位“{name}”", cell_ref(r, 1))
                continue
            ret = by_unit[name] = ParsedReturn(sheet=sheet.name, layout="long", unit=unit, unit_text=name,
                                               unit_from="汇总结果", year=year, year_from=year_from, scope="汇总",
                                               source="return")
        measure = nfkc(str(row[6])).strip() if isinstance(row[6], str) and row[6].strip() else None
        v = ctx.read_value(sheet, r, 7, metric, f"{name} {label}", measure, ret.findings)
        if v is not None:
            ret.values.append(v)
    returns = [r for r in by_unit.values() if r.values or r.findings]
    if not returns:
        findings.append(ctx.finding(
            "error", "own-book-no-unit",
            "这是 gwstats 的汇总结果（rollup -o），但其中没有本工作区单位名单中的单位"
            + (f"（表中有：{'、'.join(list(unknown)[:5])}）" if unknown else ""), sheet.name))
        return [], findings
    names = "、".join(r.unit_text for r in returns[:5]) + (f" 等 {len(returns)} 个" if len(returns) > 5 else "")
    returns[0].findings.insert(0, ctx.finding(
        "warning", "own-rollup-book",
        f"本文件是 gwstats 的汇总结果（rollup -o）：按“{DETAIL_SHEET}”表导入 {names} 的汇总表（口径：汇总，"
        "数字已含其下级）" + ("；比率不导入，由本级用分子、分母重新计算" if skipped_rates else ""),
        sheet.name))
    if remainder:
        returns[0].findings.append(ctx.finding(
            "warning", "own-book-remainder",
            f"余项行 {'、'.join(sorted(remainder))} 未导入：它是合计减去各行的差，由导入的汇总数重新得出", sheet.name))
    if unknown:
        returns[0].findings.append(ctx.finding(
            "warning", "own-book-skipped",
            f"本工作区的单位名单或指标目录中没有、未导入的：{'、'.join(f'{k}（{c}）' for k, c in list(unknown.items())[:10])}"
            + (f" 等 {len(unknown)} 项" if len(unknown) > 10 else ""), sheet.name))
    return returns, findings

"""rollup, status, check, trace (owned by the rollup issue)."""

from __future__ import annotations

import dataclasses
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from gwstats.cli.common import Format, FormatOpt, UnitOpt, WorkspaceOpt, YearOpt, emit, err, handle_errors, open_workspace


def md_escape(text: str) -> str:
    from gwstats.render.table import md_escape as escape

    return escape(text)


class Prefer(str, Enum):
    computed = "computed"
    reported = "reported"


PreferOpt = Annotated[
    Prefer,
    typer.Option("--prefer", help="下级未报齐时：computed 采用已报单位计算数（默认），reported 采用本单位汇总表数并注明"),
]


def _fmt(fmt) -> str:
    return str(getattr(fmt, "value", fmt))


AllOpt = Annotated[bool, typer.Option("--all", help="逐个单位全部列出（单位超过 5000 个时默认只列区县及以上和有错误的单位）")]
CheckAllOpt = Annotated[bool, typer.Option("--all", help="全部列出（单位超过 5000 个时默认只列区县及以上和有错误的单位；"
                                                         "提醒超过 2000 条时默认只列本级及以下两级单位的提醒）")]


def _big(ws, root: str) -> bool:
    from gwstats.analysis.brief import is_big

    return is_big(ws.tree(), root)


@handle_errors
def rollup_cmd(
    year: YearOpt = None,
    unit: UnitOpt = None,
    level: Annotated[Optional[int], typer.Option("--level", "-l", help="按该层级的单位列出（另加合计行）", show_default=False)] = None,
    metric: Annotated[Optional[list[str]], typer.Option("--metric", "-m", help="指标或分组（编码、名称或分组名，可重复）", show_default=False)] = None,
    compare: Annotated[Optional[int], typer.Option("--compare", help="对比年度（默认：上一年有数据时与上一年对比）", show_default=False)] = None,
    no_compare: Annotated[bool, typer.Option("--no-compare", help="不做同比")] = False,
    prefer: PreferOpt = Prefer.computed,
    show_parts: Annotated[bool, typer.Option("--show-parts", help="比率旁列出分子、分母")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="另存为汇总工作簿 .xlsx（汇总、分单位明细、同比、填报情况、校验问题、数据来源）", show_default=False)] = None,
    full: Annotated[bool, typer.Option("--all", help="与 -o 一起用：工作簿的校验问题、数据来源逐条全部列出（默认在单位超过 "
                                                     "5000 个、提醒超过 2000 条或数值超过 20000 个时只列本级及以下两级）")] = False,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = Format.table,
):
    """逐级汇总：各单位本级数 + 下级合计，汇总表只比对不相加，比率按合计分子分母重算，含同比和已报单位数。

    \b
    例：gwstats rollup --year 2018 --level 2 --metric 法治教育 --show-parts
        gwstats rollup --year 2018 -o 2018汇总.xlsx
    """
    from gwstats.core.errors import UsageError
    from gwstats.render.rollup_table import wide_rows

    if no_compare and compare is not None:
        raise UsageError("--compare 与 --no-compare 不能同时使用")
    if output is not None and output.suffix.lower() != ".xlsx":
        raise UsageError(f"-o 只支持 .xlsx 文件，实际为“{output.name}”")
    if full and output is None:
        raise UsageError("--all 用于工作簿：请同时给出 -o 汇总.xlsx")
    ws = open_workspace(workspace)
    year = ws.year_or_default(year)
    cmp = None if no_compare else (compare if compare is not None else "auto")
    result = ws.rollup(year, unit=unit, level=level, metrics=metric, compare=cmp, prefer=prefer.value)
    if not result.frame.data.has_sub.any():
        err(_no_returns_hint(year))
    if result.prev is not None and not result.prev.data.has_sub.any():
        err(f"提醒：对比年度 {result.compare_year} 还没有导入任何报表，同比各列为空")
    if output is not None:
        from gwstats.render.workbook import write_workbook

        path = write_workbook(ws, result, output, show_parts=show_parts, full=full)
        typer.echo(f"已写入汇总工作簿：{path}")
        return
    f = _fmt(fmt)
    if f == "json":
        emit(result.records(), fmt)
        return
    title = None
    if f in ("table", "md"):
        cmp_text = f"，对比 {result.compare_year} 年" if result.compare_year else ""
        title = f"{ws.config.organisation} {year} 年度汇总（{ws_name(result)}{cmp_text}）"
    if f == "table" and not metric and level is None and not show_parts:
        # the console default: the headline figures of the 合计, one line each (指标 本年 上年 增减)
        for text in headline_text(result, title):
            typer.echo(text)
        typer.echo("（各单位的数字：加 --metric 指标或分组，如 --metric 组织建设；全部指标写入工作簿：-o 汇总.xlsx）")
        return
    # without --metric, or with a group, leave out metrics without any data; a metric named on its own stays
    groups = set(ws.catalog.groups())
    named_only = bool(metric) and not any(m in groups for m in metric)
    rows = wide_rows(result, show_parts=show_parts, raw=(f == "csv"), drop_empty=not named_only)
    if f == "csv":
        emit(rows, fmt)
    else:
        from gwstats.render.rollup_table import table_notes
        from gwstats.render.table import render_records

        typer.echo(render_records(rows, f, title=title, left=("单位", "说明")))
        for line in table_notes(result, rows):
            typer.echo(f"注：{line}")


def headline_text(result, title: str | None = None) -> list[str]:
    """What `gwstats rollup` prints by default (the demo too): the 合计's headline table, then its notes."""
    from gwstats.render.rollup_table import headline_rows, table_notes
    from gwstats.render.table import render_records

    return [render_records(headline_rows(result), "table", title=title, left=("指标", "计量单位", "已报")),
            *table_notes(result)]


def status_line(st) -> str:
    """The last line of `gwstats status` (the demo too): the summary and the deadline."""
    return st.summary_line() + f"（截止日期 {st.deadline}）"


def _no_returns_hint(year: int) -> str:
    return f"提醒：{year} 年度还没有导入任何报表（先运行 gwstats import 报表文件夹/）"


def ws_name(result) -> str:
    return result.tree.names[result.tree.index[result.root]]


@handle_errors
def status_cmd(
    year: YearOpt = None,
    unit: UnitOpt = None,
    missing: Annotated[bool, typer.Option("--missing", help="只列出未报单位及联系人（催报用）")] = False,
    all_: AllOpt = False,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = Format.table,
):
    """填报情况：应报、已报、未报、按时或迟报（截止日期见 gwstats.toml），版本数和联系人。

    例：gwstats status --year 2018 --missing
    """
    ws = open_workspace(workspace)
    year = ws.year_or_default(year)
    st = ws.status(year, unit=unit)
    f = _fmt(fmt)
    if f == "json":
        rows = st.missing_rows if missing else st.rows
        emit(rows, fmt)
        return
    from gwstats.analysis.brief import STATUS_NOTE, status_rows as brief_status

    brief = f in ("table", "md") and not (all_ or missing) and _big(ws, st.root)
    rows = brief_status(st.rows, ws.tree(), st.root) if brief else st.display_rows(missing_only=missing)
    if rows:
        emit(rows, fmt)
    if brief:
        typer.echo(md_escape(STATUS_NOTE) if f == "md" else STATUS_NOTE)
    if f in ("table", "md"):
        line = status_line(st)
        typer.echo(md_escape(line) if f == "md" else line)


@handle_errors
def check_cmd(
    year: YearOpt = None,
    unit: UnitOpt = None,
    all_: CheckAllOpt = False,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = Format.table,
):
    """数据校验：目录中的校验规则（本级数和汇总数）、报表中填写的比率、合计行和汇总表、同比异常。有错误时退出码为 1。

    例：gwstats check --year 2018
    """
    ws = open_workspace(workspace)
    year = ws.year_or_default(year)
    f = _fmt(fmt)
    # printed as a table: on a province the 提醒 below the counties are counted, never built
    res = ws.check(year, unit=unit, brief=f in ("table", "md") and not all_)
    if not res.has_returns:
        err(_no_returns_hint(year))
    if f == "json":
        emit(res.records(), fmt)
    else:
        from gwstats.analysis.brief import MANY_FINDINGS, check_findings, left_out_line

        shown, left, many = res, res.left_out or {}, False
        if res.left_out is None and f in ("table", "md") and not all_ and res.findings:
            many = len(res.findings) > MANY_FINDINGS and not _big(ws, res.root)  # a city's 20,000 同比异常
            if many or _big(ws, res.root):  # 100,000 units: the county view; a city: two levels down
                kept, left = check_findings(res.findings, ws.tree(), res.root)
                shown = dataclasses.replace(res, findings=kept)
        if shown.findings:
            emit(shown.display_rows(), fmt)
        if left:
            line = left_out_line(left, many=many)
            typer.echo(md_escape(line) if f == "md" else line)
        if f in ("table", "md"):
            typer.echo(md_escape(res.summary_line()) if f == "md" else res.summary_line())
    if res.has_errors:
        raise typer.Exit(1)


@handle_errors
def trace_cmd(
    year: YearOpt = None,
    unit: Annotated[str, typer.Option("--unit", "-u", help="单位：编码、名称或别名")] = ...,
    metric: Annotated[str, typer.Option("--metric", "-m", help="指标或比率：编码或名称")] = ...,
    prefer: PreferOpt = Prefer.computed,
    depth: Annotated[Optional[int], typer.Option("--depth", help="最多向下展开的层数（单位超过 5000 个时默认展开 2 层）", show_default=False)] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = Format.table,
):
    """追溯一个数字：由哪些单位的本级数、下级合计、汇总表组成，直到文件、工作表、单元格和原文，以及各版本。

    例：gwstats trace --year 2018 --unit 岳西县公安局 --metric 法制课场次
    """
    from gwstats.analysis import brief

    ws = open_workspace(workspace)
    year = ws.year_or_default(year)
    table = _fmt(fmt) == "table"
    cut = None
    if depth is None and table:  # a province's figure: down to the counties, not 100,000 lines
        tree = ws.tree()
        code = unit if unit in tree.index else ws.resolve_unit(unit)
        cut = brief.BRIEF_DEPTH if brief.is_big(tree, code) else None
    t = ws.trace(year, unit, metric, prefer=prefer.value, max_depth=depth if cut is None else cut)
    if table:
        typer.echo(t.render())
        if cut is not None:
            typer.echo(f"（下级单位较多，只展开到下 {cut} 级；展开更多层请加 --depth，全部来源请用 --format csv）")
    else:
        emit(t.records(), fmt)


def register(app: typer.Typer):
    app.command("rollup")(rollup_cmd)
    app.command("status")(status_cmd)
    app.command("check")(check_cmd)
    app.command("trace")(trace_cmd)

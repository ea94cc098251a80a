"""chart, charts, report: meeting charts and the summary report (matplotlib/python-docx load lazily)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from gwstats.cli.common import Format, FormatOpt, UnitOpt, WorkspaceOpt, YearOpt, emit, err, handle_errors, open_workspace


class Kind(str, Enum):
    bar = "bar"
    compare = "compare"
    trend = "trend"
    rate = "rate"
    share = "share"


class By(str, Enum):
    unit = "unit"
    year = "year"


class ReportFormat(str, Enum):
    docx = "docx"
    md = "md"
    html = "html"


LevelOpt = Annotated[Optional[int], typer.Option("--level", "-l", help="按该层级的单位作图（默认：所选单位的直属下级）", show_default=False)]


@handle_errors
def chart(
    year: YearOpt = None,
    metric: Annotated[str, typer.Option("--metric", "-m", help="指标或比率（编码、名称或同义词）；share 图用 + 连接各部分，如 donations_social+donations_wulao")] = ...,
    kind: Annotated[Kind, typer.Option("--kind", "-k", help="bar 各单位排序柱图 / compare 与上年对比 / trend 历年趋势 / rate 比率与目标线 / share 构成")] = Kind.bar,
    by: Annotated[By, typer.Option("--by", help="unit 按单位（默认）/ year 按年度（即趋势图）")] = By.unit,
    level: LevelOpt = None,
    unit: UnitOpt = None,
    target: Annotated[Optional[float], typer.Option("--target", help="比率的目标值（默认取 gwstats.toml [targets] 中本单位设定的目标；没有设定则不画目标线），如 80", show_default=False)] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="输出 PNG 文件")] = ...,
    svg: Annotated[bool, typer.Option("--svg", help="另存一份 .svg")] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="另存一份 .pdf")] = False,
    workspace: WorkspaceOpt = None,
):
    """画一张图（16:9，200 dpi PNG，中文标题、单位、数据来源与已报单位数）。

    例：gwstats chart --year 2018 --metric 法制课场次 --kind bar -o 法制课.png
    """
    ws = open_workspace(workspace)
    year = ws.year_or_default(year)
    paths = ws.chart(year, metric=metric, output=output, kind=kind.value, by=by.value, unit=unit, level=level,
                     target=target, svg=svg, pdf=pdf)
    for p in paths:
        typer.echo(f"已生成：{p}")


@handle_errors
def charts(
    year: YearOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="输出目录")] = Path("图表"),
    unit: UnitOpt = None,
    level: LevelOpt = None,
    svg: Annotated[bool, typer.Option("--svg", help="每张图另存 .svg")] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="每张图另存 .pdf")] = False,
    allow_errors: Annotated[bool, typer.Option("--allow-errors", help="数据核查有错误时照样生成（受影响的数字旁标注）")] = False,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = Format.table,
):
    """生成会议用的一套图表（gwstats.toml 的 [charts] standard），并写出目录 index.md；没有数据的图跳过并说明。

    例：gwstats charts --year 2018 -o 2018年会议图表
    """
    ws = open_workspace(workspace)
    year = ws.year_or_default(year)
    _gate(ws, year, unit, "图表", allow_errors)
    result = ws.charts(year, output, unit=unit, level=level, svg=svg, pdf=pdf)
    emit(result.records(), fmt, title=f"已生成 {len(result.files)} 张图表，目录：{result.index}")
    for entry, reason in result.skipped:
        err(f"提醒：未生成 {entry}：{reason}")
    if not result.files:
        err(f"错误：{year} 年度没有可以作图的数据，一张图也没有生成")
        raise typer.Exit(1)


@handle_errors
def report(
    year: YearOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件（.docx / .md / .html）")] = ...,
    fmt: Annotated[Optional[ReportFormat], typer.Option("--format", "-f", help="docx（默认，按文件扩展名）/ md / html（图表内嵌，单个文件）", show_default=False)] = None,
    unit: UnitOpt = None,
    level: LevelOpt = None,
    template: Annotated[Optional[Path], typer.Option("--template", "-t", help="本单位的 Word 模板（.docx）：沿用其样式、页面设置和页眉页脚（默认 templates/报告模板.docx 的版式）", show_default=False)] = None,
    allow_errors: Annotated[bool, typer.Option("--allow-errors", help="数据核查有错误时照样生成（受影响的数字旁标注）")] = False,
    date: Annotated[Optional[str], typer.Option("--date", help="成文日期，如 2021-01-15 或 2021年1月15日（默认：gwstats.toml [report] date，其次今天）", show_default=False)] = None,
    checks: Annotated[Optional[Path], typer.Option("--checks", help="本单位核实用的填报情况和数据核查清单写入此文件（.docx / .md / .html；默认写在报告旁：报告名_数据核查清单）", show_default=False)] = None,
    no_checks: Annotated[bool, typer.Option("--no-checks", help="不另写数据核查清单")] = False,
    workspace: WorkspaceOpt = None,
):
    """生成统计分析报告（报上级用）：总体情况、各方面的文字、表格和图表、主要亮点、存在问题，文末落款和成文日期。
    填报情况和数据核查不写入报告，另写一份数据核查清单供本单位核实。

    例：gwstats report --year 2018 -o 分析.docx --date 2019-1-15
    """
    from gwstats.render.report import checks_path

    ws = open_workspace(workspace)
    year = ws.year_or_default(year)
    _gate(ws, year, unit, "报告", allow_errors, full=True)  # the report reads the full check anyway
    wanted = None if no_checks else (checks if checks is not None else True)
    path = ws.report(year, output, fmt=fmt.value if fmt else None, unit=unit, level=level,
                     template=template, date=date, checks=wanted)
    typer.echo(f"已生成报告：{path}")
    listed = checks_path(path, wanted)
    if listed is not None:
        typer.echo(f"已生成数据核查清单（填报情况和数据核查，供本单位核实，不随报告上报）：{listed}")


def _gate(ws, year: int, unit, what: str, allow: bool, full: bool = False):
    """Refuse (exit 1) to publish over an open error unless --allow-errors; then say what is marked.
    ``full``: run the whole check (kept for the command), not the errors-only one."""
    from gwstats.render.gate import error_line, open_errors, refusal_lines

    errors = open_errors(ws, year, ws.resolve_unit(unit) if unit else None, errors_only=not full)
    if not errors:
        return
    if not allow:
        for line in refusal_lines(errors, what):
            err(line)
        raise typer.Exit(1)
    err(f"提醒：数据核查还有 {len(errors)} 处错误未解决，按 --allow-errors 照样生成{what}，受影响的数字已标注：")
    for f in errors[:20]:
        err(f"  {error_line(f)}")


def register(app: typer.Typer):
    app.command("chart")(chart)
    app.command("charts")(charts)
    app.command("report")(report)

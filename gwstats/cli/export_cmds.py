"""export: the totals on their way up (汇总表, the upper level's form filled in, long data)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from gwstats.cli.common import UnitOpt, WorkspaceOpt, YearOpt, err, handle_errors, open_workspace

EXPORT_FORMATS = ("xlsx", "csv-long")


@handle_errors
def export(
    year: YearOpt = None,
    as_return: Annotated[bool, typer.Option("--as-return", help="生成本单位报上级的汇总表（标准格式，口径：汇总）")] = False,
    into: Annotated[Optional[Path], typer.Option("--into", help="上级下发的表格：把本级汇总数填进去（格式、合并单元格、公式、保护不变）", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="xlsx（与 --as-return / --into 一起用）或 csv-long（长表：单位、指标、数值、计量单位、口径）")] = "xlsx",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="输出文件（csv-long 不写则输出到屏幕）", show_default=False)] = None,
    unit: UnitOpt = None,
    prefer: Annotated[str, typer.Option("--prefer", help="computed：计算数（默认）；reported：下级未报齐时采用汇总表数")] = "computed",
    allow_errors: Annotated[bool, typer.Option("--allow-errors", help="数据核查有错误时照样导出")] = False,
    workspace: WorkspaceOpt = None,
):
    """把本级汇总数报给上级：--as-return 生成标准汇总表，--into 填写上级下发的表格，--format csv-long 导出长表。

    \b
    例：gwstats export --year 2018 --as-return -o 望江县2018年汇总表.xlsx
        gwstats export --year 2018 --into 市里下发的统计表.xlsx -o 填好的统计表.xlsx
        gwstats export --year 2018 --format csv-long -o 2018长表.csv

    --as-return、--into 的填报人、联系电话取自 gwstats.toml 的 [export]（filled_by、phone；
    上级名单中本单位的名称不同时设 unit_name）。--into 有格子对不上指标时照样写出文件，退出码为 1。
    """
    from gwstats.core.errors import UsageError

    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"--format 应为 {' 或 '.join(EXPORT_FORMATS)}，实际为“{fmt}”")
    modes = [m for m, on in (("--as-return", as_return), ("--into", into is not None), ("--format csv-long", fmt == "csv-long")) if on]
    if len(modes) != 1:
        raise UsageError("请选择一种导出方式：--as-return（标准汇总表）、--into 上级表格.xlsx 或 --format csv-long"
                         + (f"（同时给了 {'、'.join(modes)}）" if modes else ""))
    ws = open_workspace(workspace)
    year = ws.year_or_default(year)
    if fmt == "csv-long":
        _gate(ws, year, unit, allow_errors)
        from gwstats.forms.export import stream_csv_long

        if output is None:
            stream_csv_long(ws, year, sys.stdout, unit=unit, prefer=prefer)  # a province: never all in memory
            _said_marked_rows(ws, year, unit, prefer, allow_errors)
            return
        path, n = ws.export_long(year, output, unit=unit, prefer=prefer)
        typer.echo(f"已导出 {n} 行（UTF-8 带 BOM）：{path}")
        _said_marked_rows(ws, year, unit, prefer, allow_errors)
        return
    if output is None:
        raise UsageError("请用 -o 指定输出的 .xlsx 文件")
    _gate(ws, year, unit, allow_errors)
    if as_return:
        info = ws.export_return(year, output, unit=unit, prefer=prefer)
        for line in info.summary_lines():
            typer.echo(line)
        return
    result = ws.fill_form(year, into, output, unit=unit, prefer=prefer)
    for line in result.summary_lines():
        typer.echo(line)
    for line in result.unmatched_lines():
        err(line)
    if result.unmatched:
        raise typer.Exit(1)


def _gate(ws, year: int, unit, allow: bool):
    """Nothing sent up over an open error unless --allow-errors (then the errors are listed)."""
    from gwstats.render.gate import error_line, open_errors, refusal_lines

    errors = open_errors(ws, year, ws.resolve_unit(unit) if unit else None)
    if not errors:
        return
    if not allow:
        for line in refusal_lines(errors, "导出文件"):
            err(line)
        raise typer.Exit(1)
    err(f"提醒：数据核查还有 {len(errors)} 处错误未解决，按 --allow-errors 照样导出：")
    for f in errors[:20]:
        err(f"  {error_line(f)}")


def _said_marked_rows(ws, year: int, unit, prefer: str, allow: bool):
    """The long table has no column for ※ (its columns are fixed): name the rows an open error touches."""
    from gwstats.forms.export import marked_long_rows

    if not allow:
        return
    rows = marked_long_rows(ws, year, unit, prefer)
    if not rows:
        return
    by_unit: dict[str, list[str]] = {}
    for name, metric in rows:
        by_unit.setdefault(name, []).append(metric)
    err(f"提醒：长表中有 {len(rows)} 行的数字数据核查错误尚未解决（长表不加标记，使用前请核实）：")
    for name, metrics in list(by_unit.items())[:20]:
        err(f"  {name}：{'、'.join(metrics[:10])}" + (f"等 {len(metrics)} 项" if len(metrics) > 10 else ""))
    if len(by_unit) > 20:
        err(f"  另有 {len(by_unit) - 20} 个单位")


def register(app: typer.Typer):
    app.command("export")(export)

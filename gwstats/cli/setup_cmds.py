"""init, units, template: setting a workspace up."""

from __future__ import annotations

from gwstats.core.findings import label
from pathlib import Path
from typing import Annotated, Optional

import typer

from gwstats.cli.common import Format, FormatOpt, UnitOpt, WorkspaceOpt, YearOpt, check_year, emit, err, handle_errors, open_workspace

units_app = typer.Typer(help="单位名单（上下级关系）：导入、查看、检查。", no_args_is_help=True)


@handle_errors
def init(
    directory: Annotated[Path, typer.Argument(help="工作区目录（不存在则创建）")] = Path("."),
    name: Annotated[Optional[str], typer.Option("--name", help="本级组织名称，如“安庆市公安局关工委”")] = None,
    year: YearOpt = None,
    force: Annotated[bool, typer.Option("--force", help="目录已是工作区时仍重写设置和目录文件")] = False,
):
    """创建工作区：gwstats.toml、指标目录 catalog.toml、示例单位名单 units.csv 和数据库。

    例：gwstats init 关工委统计 --name 安庆市公安局关工委 --year 2018
    """
    from gwstats.workspace import Workspace

    ws = Workspace.init(directory, name=name, year=year, force=force)
    typer.echo(f"已创建工作区：{ws.root}")
    typer.echo("  gwstats.toml   设置（组织名称、统计年度、报送截止日期）")
    typer.echo("  catalog.toml   指标目录（可编辑）")
    typer.echo("  units.csv      示例单位名单（请换成本单位的名单）")
    # one command a line: PowerShell 5.1 (Windows 10's default) has no `&&`
    folder = f'"{directory}"' if any(ch.isspace() for ch in str(directory)) else str(directory)
    typer.echo("下一步（逐行输入）：")
    typer.echo(f"  cd {folder}")
    typer.echo("  gwstats units import units.csv")


@handle_errors
def units_import(
    file: Annotated[Path, typer.Argument(help="单位名单 .xlsx / .xls / .csv：编码、单位名称、上级编码、别名[、层级、启用年度、停用年度]")],
    force: Annotated[bool, typer.Option("--force", help="新名单去掉了已有报表的单位时仍然导入")] = False,
    workspace: WorkspaceOpt = None,
):
    """导入单位名单（替换原有名单）。有错误时不导入，并列出每处错误；新名单去掉了已有报表的单位时，
    除非加 --force，也不导入。

    例：gwstats units import ../示例/安庆/单位名单.xlsx
    """
    ws = open_workspace(workspace)
    n, findings = ws.import_units(file, force=force)
    for f in findings:
        err(f"提醒：{f.message}")
    h = ws.hierarchy()
    typer.echo(f"已导入 {n} 个单位，共 {max(u.level or 1 for u in h.units.values())} 级，最上级：{h.name(h.root)}")


@handle_errors
def units_tree(
    unit: UnitOpt = None,
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="只显示该年度在用的单位", callback=check_year)] = None,
    workspace: WorkspaceOpt = None,
):
    """按层级缩进显示单位名单。

    例：gwstats units tree --unit 岳西县公安局
    """
    ws = open_workspace(workspace)
    h = ws.hierarchy()
    typer.echo(h.render_tree(ws.resolve_unit(unit) if unit else None, year))


@handle_errors
def units_check(
    file: Annotated[Optional[Path], typer.Argument(help="要检查的单位名单文件（不写则检查工作区中的名单）")] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = Format.table,
):
    """检查单位名单：成环、上级不存在、编码重复、名称或别名重复。有错误时退出码为 1。

    例：gwstats units check ../示例/安庆/单位名单.xlsx
    """
    if file is not None:
        from gwstats.model.hierarchy import load_units_file

        findings = load_units_file(file)[1]
    else:
        findings = open_workspace(workspace).check_units()
    if not findings:
        typer.echo("单位名单没有发现问题。")
        return
    emit([{"级别": "错误" if f.severity == "error" else "提醒", "类型": label(f.code), "说明": f.message} for f in findings], fmt)
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(1)


@handle_errors
def template(
    year: YearOpt = None,
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", help="只为该单位生成（默认：该年度所有应报单位，即除本级组织外的在用单位）")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="输出目录")] = Path("报表模板"),
    scope: Annotated[str, typer.Option("--scope", help="预填的口径：本级 或 汇总")] = "本级",
    workspace: WorkspaceOpt = None,
):
    """生成下发的空白统计表，每个单位一个 .xlsx，已预填单位、编码、年度。

    例：gwstats template --year 2018 -o 2018年报表模板
    """
    from gwstats.core.errors import UsageError

    if scope not in ("本级", "汇总"):
        raise UsageError(f"--scope 应为“本级”或“汇总”，实际为“{scope}”")
    ws = open_workspace(workspace)
    year = ws.year_or_default(year)
    paths = ws.write_templates(year, output, unit=unit, scope=scope)
    typer.echo(f"已生成 {len(paths)} 份 {year} 年度统计表，位于 {output}")


def register(app: typer.Typer):
    app.command("init")(init)
    units_app.command("import")(units_import)
    units_app.command("tree")(units_tree)
    units_app.command("check")(units_check)
    app.add_typer(units_app, name="units")
    app.command("template")(template)

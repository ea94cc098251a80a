"""lock, unlock, revert: a finished year stays finished."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gwstats.cli.common import WorkspaceOpt, check_year, handle_errors, open_workspace

RequiredYear = Annotated[int, typer.Option("--year", "-y", help="统计年度", callback=check_year)]


def _holder(user: str | None, pc: str | None) -> str:
    return (user or "（未知用户）") + (f"（电脑 {pc}）" if pc else "")


@handle_errors
def lock(year: RequiredYear, workspace: WorkspaceOpt = None):
    """年度封账（工作总结发布后）：封账的年度不能再导入报表、恢复版本或改动该年度的单位名单。

    例：gwstats lock --year 2020
    """
    ws = open_workspace(workspace)
    user, pc, at = ws.lock_year(year)
    holder = _holder(user, pc)
    typer.echo(f"已封账：{year} 年度，{holder}，{at.replace('T', ' ')}。解除：gwstats unlock --year {year}")


@handle_errors
def unlock(year: RequiredYear, workspace: WorkspaceOpt = None):
    """解除年度封账，之后可以再导入或更正该年度的报表。

    例：gwstats unlock --year 2020
    """
    ws = open_workspace(workspace)
    by, pc, at = ws.unlock_year(year)
    holder = _holder(by, pc)
    typer.echo(f"已解除 {year} 年度封账（原由 {holder} 于 {at[:16].replace('T', ' ')} 封账）")


@handle_errors
def revert(
    unit: Annotated[str, typer.Option("--unit", "-u", help="单位：编码、名称或别名")],
    year: RequiredYear,
    to: Annotated[Optional[int], typer.Option("--to", help="恢复到第几版（见 gwstats history；默认：在用版本的前一版）", show_default=False)] = None,
    scope: Annotated[str, typer.Option("--scope", help="口径：本级 或 汇总")] = "本级",
    workspace: WorkspaceOpt = None,
):
    """把某单位某年度报表的早先版本恢复为在用版本（作为新的一版记入历史，什么也不删除）。

    例：gwstats revert --unit 桐城 --year 2018 --to 1
    """
    if scope not in ("本级", "汇总"):
        raise typer.BadParameter("口径应为“本级”或“汇总”", param_hint="--scope")
    ws = open_workspace(workspace)
    r = ws.revert(unit, year, to=to, scope=scope)
    typer.echo(f"已恢复：{r.unit_name} {r.year} 年{r.scope}报表第 {r.to_version} 版（《{r.file}》）重新在用，"
               f"记为第 {r.new_version} 版；原在用的第 {r.from_version} 版保留在历史中（gwstats history --unit {unit} --year {year}）")


@handle_errors
def backup(
    file: Annotated[Path, typer.Argument(help="备份文件（如 U盘上的 关工委备份.sqlite），或一个文件夹", show_default=False)],
    workspace: WorkspaceOpt = None,
):
    """把数据库备份成一个完整的文件（导入进行中也可以备份；恢复：把它复制回工作区，改名为 gwstats.sqlite）。

    例：gwstats backup 关工委备份.sqlite
    """
    ws = open_workspace(workspace)
    dest = ws.backup(file)
    typer.echo(f"已备份到 {dest}（{dest.stat().st_size:,} 字节）。报表原件在工作区的 files 文件夹中，需要时一并复制")


def register(app: typer.Typer):
    app.command("backup")(backup)
    app.command("lock")(lock)
    app.command("unlock")(unlock)
    app.command("revert")(revert)

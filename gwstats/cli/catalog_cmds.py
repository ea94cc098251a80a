"""catalog: the metric catalog, derived from the form the level above sent."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gwstats.cli.common import Format, FormatOpt, WorkspaceOpt, emit, handle_errors

catalog_app = typer.Typer(help="指标目录：从上级下发的表格生成。", no_args_is_help=True)


@handle_errors
def from_template(
    form: Annotated[Path, typer.Argument(help="上级下发的统计表格 .xlsx（可含多张表、交叉表、填表说明）")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="写出的指标目录文件（如 catalog.toml）；不写则只显示", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="输出文件已存在时覆盖")] = False,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = Format.table,
):
    """从上级下发的表格生成指标目录：每个要填的格子一个指标，已有指标按名称对上、不重复，
    表中写明的关系（1=2+3、其中项、合计）成为校验规则。表格有歧义时不生成，并指出是哪个单元格。

    例：gwstats catalog from-template ../示例/上级表格/省关工委组织建设情况统计表.xlsx -o 省关工委目录.toml
    """
    from gwstats.model.catalog import load_default
    from gwstats.core.errors import UsageError, WorkspaceNotFound
    from gwstats.forms.from_form import derive, write_catalog
    from gwstats.workspace import Workspace

    try:
        base = Workspace.open(workspace).catalog
        base_name = "工作区目录"
    except WorkspaceNotFound:
        if workspace is not None:
            raise
        base, base_name = load_default(), "默认目录"
    if output is not None and output.exists() and not force:
        raise UsageError(f"{output} 已存在；如需覆盖请加 --force（建议先备份原目录）")
    fc = derive(form, base)
    typer.echo(fc.summary_line() + f"（与{base_name}比对）")
    emit(fc.records(), fmt, columns=["表", "编码", "指标", "计量单位", "类型", "分组", "单元格", "来源"])
    if fc.rules and fmt in (Format.table, Format.md):  # csv/json: the metrics alone, one list a script can read
        emit(fc.rule_records(), fmt, title="\n校验规则：")
    if output is not None:
        write_catalog(fc, output)
        typer.echo(f"已写入指标目录：{output}")


def register(app: typer.Typer):
    catalog_app.command("from-template")(from_template)
    app.add_typer(catalog_app, name="catalog")

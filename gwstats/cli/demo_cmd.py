"""gwstats demo: the whole path on the bundled sample data (see gwstats/cli/demo.py)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from gwstats.cli.common import handle_errors


class Sample(str, Enum):
    anqing = "anqing-police"
    jian_an = "jian-an"
    all = "all"


def register(app: typer.Typer):
    @app.command("demo")
    @handle_errors
    def demo(
        output: Annotated[Path, typer.Option("--output", "-o", help="演示输出目录（每个示例一个工作区）")] = Path("gwstats-demo"),
        sample: Annotated[Sample, typer.Option("--sample", "-s", help="示例：anqing-police（安庆市公安局关工委 2017–2018）/ jian-an（集安市关工委 2019–2020）/ all")] = Sample.all,
        force: Annotated[bool, typer.Option("--force", help="输出目录不为空时，重新生成其中的示例工作区")] = False,
        files: Annotated[Optional[Path], typer.Option("--files", help="不演示，只把示例文件（单位名单、两个示例收到的报表、上级下发的表格）复制到这个新文件夹，供 README“十分钟上手”逐条照做", show_default=False)] = None,
    ):
        """在自带示例数据上演示全过程：建工作区、导入单位名单和两年报表（含拒收的文件及原因）、
        填报情况、数据校验、逐级汇总与同比（含汇总工作簿 .xlsx）、会议图表、工作总结（.docx 和 .html），
        最后列出产出的文件。

        例：gwstats demo -o gwstats-demo

        例：gwstats demo --files 示例
        """
        if files is not None:
            from gwstats.cli.example_files import lay_out

            placed = lay_out(files)
            typer.echo(f"已把示例文件放到 {files}：")
            for p in placed:
                typer.echo(f"  {p.path}：{p.what}")
            return
        from gwstats.cli.demo import run_demo

        result = run_demo(output, samples=sample.value, force=force, echo=typer.echo)
        if not result.ok:
            raise typer.Exit(1)

"""The ``gwstats`` command. Heavy libraries are imported inside the commands that need them."""

from __future__ import annotations

import typer

from . import analysis_cmds, chart_cmds, demo_cmd, import_cmds, setup_cmds

app = typer.Typer(
    name="gwstats",
    help=(
        "关工委统计报表汇总工具：导入各单位报表，逐级汇总、校验，生成图表和工作总结。\n\n"
        "常用：gwstats init 工作区 → gwstats units import 单位.xlsx → gwstats import 收到的报表/ "
        "→ gwstats rollup --year 2018 → gwstats charts --year 2018 -o 图表/"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)



def _version(value: bool):
    if value:
        from .. import __version__

        typer.echo(f"gwstats {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本号并退出"),
):
    """关工委统计报表汇总工具。"""


for module in (setup_cmds, import_cmds, analysis_cmds, chart_cmds, demo_cmd):
    module.register(app)


def main():
    import multiprocessing

    from .. import import_pool

    multiprocessing.freeze_support()  # a frozen Windows build: let spawned import workers start
    import_pool.enable()  # the console script's main module is guarded: worker processes are safe
    app(prog_name="gwstats")


if __name__ == "__main__":
    main()

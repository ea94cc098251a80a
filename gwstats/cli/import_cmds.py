"""import, history (owned by the import issue)."""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from gwstats.cli.common import (Format, FormatOpt, WorkspaceOpt, check_year, console_safe, emit, err, handle_errors,
                                open_workspace)

PROGRESS_MIN_FILES = 5


class _Progress:
    """A rich progress bar on stderr (imported only when shown). Redrawn from the calls, at most ten
    times a second, not by a thread of its own: a process without threads can fork the import's
    workers (gwstats.ingest.pool.start_method)."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=True, auto_refresh=False)
        self.task = None
        self.drawn = 0.0

    def __enter__(self):
        self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        self.bar.__exit__(*exc)

    def __call__(self, done: int, total: int, phase: str = "导入"):
        label = f"{phase}报表"
        if self.task is None:
            self.task = self.bar.add_task(label, total=total)
        self.bar.update(self.task, completed=done, total=total, description=label)
        now = time.monotonic()
        if now - self.drawn >= 0.1 or done >= total:
            self.drawn = now
            self.bar.refresh()


def _check_mb(value: float | None) -> float | None:
    if value is not None and not (math.isfinite(value) and 0 < value <= 10_000):
        raise typer.BadParameter(f"应为 0–10000 之间的数字（MB），实际为 {value}")
    return value


@handle_errors
def import_(
    paths: Annotated[list[Path], typer.Argument(help="报表文件、文件夹（含子文件夹）或通配符，可写多个", show_default=False)],
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="报表中看不出年度时使用的统计年度", show_default=False, callback=check_year)] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", help="报表中看不出填报单位时使用的单位（编码、名称或别名）", show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="只检查、不写入：显示每个文件将会如何处理")] = False,
    keep_existing: Annotated[bool, typer.Option("--keep-existing", help="已有同一单位同一年度的报表时不替换，而是拒绝新文件")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="新文件比在用报表少了大半数值时也替换（默认拒绝，以免不完整的文件顶替完整的报表）")] = False,
    max_mb: Annotated[Optional[float], typer.Option("--max-mb", help="单个文件大小上限（MB，默认取 gwstats.toml 的 max_file_mb，20）", show_default=False, callback=_check_mb)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条和跳过文件的提示")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="逐个文件列出全部提醒和错误（默认每个文件一行）")] = False,
    received: Annotated[Optional[str], typer.Option("--received", help="这批文件的收到日期（如 2019-01-08）；报表没有可读的填报日期时据此判断是否迟报", show_default=False)] = None,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = Format.table,
):
    """导入各单位报送的统计报表（.xlsx .xls .et .ods .csv），逐个文件报告结果。

    每个文件要么全部导入，要么完全不导入；有文件被拒绝时退出码为 1（其他文件照常导入）。
    同一文件再次导入不会重复；同一单位同一年度的新文件替换旧文件，旧文件保留在历史中。

    例：gwstats import ../示例/安庆/收到的报表/2017/ --year 2017
    """
    received = _received_date(received)
    ws = open_workspace(workspace)
    show = not quiet and sys.stderr.isatty()
    progress = None
    if show:
        from gwstats.ingest.paths import expand_paths

        files, _ = expand_paths(paths)
        if len(files) > PROGRESS_MIN_FILES:
            progress = _Progress()
    if progress is not None:
        with progress:
            report = ws.import_paths(paths, year=year, unit=unit, dry_run=dry_run, keep_existing=keep_existing,
                                     progress=progress, max_mb=max_mb, received=received, replace=replace)
    else:
        report = ws.import_paths(paths, year=year, unit=unit, dry_run=dry_run, keep_existing=keep_existing, max_mb=max_mb,
                                 received=received, replace=replace)
    if not quiet:
        for path, why in report.skipped:
            err(f"跳过 {path}：{why}")
    if not report.files:
        err("没有找到要导入的报表文件。")
        raise typer.Exit(2)
    cut_refusals = []
    if fmt == Format.table and not verbose:
        from gwstats.render.file_lines import file_line

        lines = [file_line(r) for r in report.records()]
        typer.echo(console_safe("\n".join(lines)))
        # what to do about a refused file (unlock the year, --replace, ...) is not a detail: a reason
        # the line had to cut is said in full after the summary
        cut_refusals = [r for r, line in zip(report.records(), lines) if r["错误"] and line.endswith("…")]
        if any(r["提醒"] for r in report.records()) or cut_refusals:
            err("（各文件的全部提醒和错误：加 -v，或 --format json）")
    else:
        emit(report.records(), fmt)
    if not quiet or report.has_rejections:
        err(report.summary_line())
    for r in cut_refusals:
        err(f"未导入 {r['文件']}：{r['错误']}")
    if report.has_rejections:
        raise typer.Exit(1)


def _received_date(text: str | None) -> str | None:
    if text is None:
        return None
    import datetime as dt

    from gwstats.core.errors import UsageError
    from gwstats.analysis.status import submitted_date

    day = submitted_date(text, None)
    try:
        return dt.date.fromisoformat(day).isoformat()
    except ValueError:
        raise UsageError(f"--received 应为日期，如 2019-01-08，实际为“{text}”") from None


@handle_errors
def history(
    unit: Annotated[str, typer.Option("--unit", "-u", help="单位：编码、名称或别名")],
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="统计年度（默认：gwstats.toml 中的 default_year）", show_default=False, callback=check_year)] = None,
    changes: Annotated[bool, typer.Option("--changes", help="只输出相邻版本之间改动的数值（便于 --format json/csv）")] = False,
    workspace: WorkspaceOpt = None,
    fmt: FormatOpt = Format.table,
):
    """某单位某年度报表的各个版本（文件、收到时间、口径、数值个数）及相邻版本间改动的数值。

    例：gwstats history --unit 岳西县公安局 --year 2018
    """
    ws = open_workspace(workspace)
    year = ws.year_or_default(year)
    result = ws.history(unit, year)
    if not result.versions:
        err(f"{result.unit_name} {year} 年没有导入过报表。")
        return
    if changes:
        emit(result.change_records(), fmt)
        return
    human = fmt in (Format.table, Format.md)
    emit(result.records(), fmt, title=f"{result.unit_name} {year} 年报表版本" if human else None)
    if human:
        typer.echo("")
        if result.changes:
            emit(result.change_records(), fmt, title="相邻版本之间改动的数值")
        elif len(result.versions) > 1:
            typer.echo("相邻版本之间没有数值改动。")


def register(app: typer.Typer):
    app.command("import")(import_)
    app.command("history")(history)

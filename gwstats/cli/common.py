"""Shared options, error handling and output for the commands."""

from __future__ import annotations

import functools
import io
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from gwstats.core.errors import GwstatsError, os_reason
from gwstats.store.db import DB_ERRORS


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    md = "md"


WorkspaceOpt = Annotated[
    Optional[Path],
    typer.Option("--workspace", "-w", help="工作区目录（默认：向上查找 gwstats.toml，其次环境变量 GWSTATS_WORKSPACE）", show_default=False),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="输出格式：table / csv / json / md")]
from gwstats.model.config import MAX_YEAR, MIN_YEAR  # noqa: E402


def check_year(value: int | None) -> int | None:
    """Typer callback for every --year / --compare: a four-digit statistical year."""
    if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
        raise typer.BadParameter(f"年度应为 {MIN_YEAR}–{MAX_YEAR} 之间的四位数，实际为 {value}")
    return value


YearOpt = Annotated[
    Optional[int],
    typer.Option("--year", "-y", help="统计年度（默认：gwstats.toml 中的 default_year）", show_default=False, callback=check_year),
]
UnitOpt = Annotated[Optional[str], typer.Option("--unit", "-u", help="单位：编码、名称或别名", show_default=False)]


_CONTROL = None


def console_safe(text: str) -> str:
    """Control characters (a file name or cell holding ``\x1b]0;…\x07``) shown escaped, never sent raw
    to the terminal; line breaks and tabs kept."""
    global _CONTROL
    if _CONTROL is None:
        import re

        _CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def err(message: str):
    typer.echo(console_safe(str(message)), err=True)


def handle_errors(fn):
    """Turn a GwstatsError into its Chinese message and exit status; never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except GwstatsError as exc:
            err(f"错误：{exc}")
            raise typer.Exit(exc.exit_code) from None
        except DB_ERRORS as exc:  # a store damaged or made unusable while the command ran
            from gwstats.store.db import OPENED, store_reason

            err(f"错误：数据库文件 {OPENED[-1] if OPENED else 'gwstats.sqlite'} {store_reason(exc)}")
            raise typer.Exit(2) from None
        except OSError as exc:  # an output path that cannot be written, a folder given for a file, ...
            err(f"错误：无法读写“{exc.filename or ''}”：{os_reason(exc)}")
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err("已中断。")
            raise typer.Exit(130) from None
        finally:  # the store self-contained when a command ends: the WAL folded into gwstats.sqlite
            from gwstats.store.db import checkpoint_all

            checkpoint_all()

    return wrapper


def open_workspace(path: Path | None):
    from gwstats.workspace import Workspace

    ws = Workspace.open(path)
    ws.notify = err  # 张敏（电脑 XX）正在导入，开始于 10:02，请稍后……
    return ws


def emit(records: list[dict], fmt: Format | str, *, columns: list[str] | None = None, title: str | None = None,
         out=None):
    """Print records as a table, CSV, JSON (a list of flat records) or Markdown."""
    from gwstats.render.table import render_records

    fmt = str(getattr(fmt, "value", fmt))
    text = render_records(records, fmt, columns=columns, title=title)
    text = text if text.endswith("\n") else text + "\n"
    stream = out or sys.stdout
    if fmt != "json":  # JSON escapes control characters itself
        text = console_safe(text)
    if fmt == "csv" and _is_file(stream):  # gwstats … -f csv > 结果.csv: UTF-8 with BOM, so Excel reads it
        stream.flush()
        stream.buffer.write(b"\xef\xbb\xbf" + text.encode("utf-8"))
        stream.buffer.flush()
        return
    stream.write(text)


def _is_file(stream) -> bool:
    """Output redirected to a regular file (not a console or a pipe)."""
    try:
        import os
        import stat

        return hasattr(stream, "buffer") and stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


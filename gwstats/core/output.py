"""Every file gwstats writes (xlsx, docx, html, png, csv, md) is written whole or not at all.

:func:`write_whole` lets the writer fill a temporary name beside the target and renames it when
done, so a full disk or a pulled USB stick never leaves a 0-byte or half-written file under the
final name. A failure names the file and says why (a full disk as a full disk), with no traceback:
the half-written temporary file is removed and the writer's leftovers (an open zip file whose
``__del__`` would write again and print ``Exception ignored … Errno 28``) are let go of quietly.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
import traceback
from pathlib import Path
from typing import Callable

from gwstats.core.errors import UsageError, os_reason


class OutputError(UsageError):
    """An output file could not be written (exit 2); the message names it and the reason."""


def output_problem(path: Path, exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or getattr(exc, "winerror", None) in (39, 112):
        return f"无法写入“{path}”：磁盘已满（{os_reason(exc)}）。请腾出空间或换一个文件夹后重试；该文件没有生成"
    return f"无法写入“{path}”：{os_reason(exc)}。该文件没有生成"


def _let_go(exc: BaseException):
    """Drop what the failed writer still holds, without its destructors printing tracebacks."""
    old = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        if exc.__traceback__ is not None:
            traceback.clear_frames(exc.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = old


def write_whole(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` with a temporary name beside ``path`` (same suffix), then rename it to ``path``."""
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.part{path.suffix}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        _let_go(exc)
        try:
            tmp.unlink()
        except OSError:
            pass
        raise OutputError(output_problem(path, exc)) from None
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    return path

"""Every file gwstats writes (xlsx, docx, html, png, csv, md) is written whole or not at all.

:func:`write_whole` lets the writer fill a temporary name beside the target and renames it when
done, so a full disk or a pulled USB stick never leaves a 0-byte or half-written file under the
final name. A failure names the file and says why (a full disk as a full disk), with no traceback:
the half-written temporary file is removed and the writer's leftovers (an open zip file whose
``__del__`` would write again and print ``Exception ignored … Errno 28``) are let go of quietly.
A file open in Excel or WPS (Windows: WinError 32/33) is said so, with its path.

openpyxl removes its temporary worksheet files in an ``atexit`` hook; on Windows a file a failed save
still holds cannot be removed there, and the hook's traceback would be printed after gwstats's own
message, at exit. :func:`write_whole` puts a hook in its place that skips what it cannot remove.
"""

from __future__ import annotations

import atexit
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


def _remove_quietly(paths: list):
    for p in list(paths):
        try:
            os.remove(p)
        except OSError:  # still open (Windows), or gone: left to the system's temporary folder
            pass
    paths.clear()


def quiet_openpyxl_exit():
    """Replace openpyxl's atexit removal of its temporary files by one that never raises."""
    mod = sys.modules.get("openpyxl.worksheet._writer")
    if mod is None or getattr(mod, "_gwstats_quiet", False):
        return
    hook, files = getattr(mod, "_openpyxl_shutdown", None), getattr(mod, "ALL_TEMP_FILES", None)
    if hook is None or not isinstance(files, list):
        return
    atexit.unregister(hook)
    atexit.register(_remove_quietly, files)
    mod._gwstats_quiet = True


def write_whole(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` with a temporary name beside ``path`` (same suffix), then rename it to ``path``."""
    path = Path(path)
    quiet_openpyxl_exit()
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

"""Which files an import takes: files, folders (recursive) and globs, with what it skips and why."""

from __future__ import annotations

import glob
import os
import stat
from pathlib import Path

from gwstats.core.errors import UsageError

IMPORT_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".et", ".csv"}
REVISION_MARKS = ("修改", "更正", "修订", "补报", "最终", "终版")
_GLOB_CHARS = set("*?[")


def expand_paths(paths) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files from files, folders (recursive) and globs; lock files and hidden files skipped with a note."""
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def add(p: Path, explicit: bool):
        name = p.name
        if not _regular(p):
            skipped.append((p, "不是普通文件（管道、设备或套接字），已跳过"))
            return
        if name.startswith("~$"):
            skipped.append((p, "Office/WPS 临时锁文件（文件正被打开），已跳过"))
            return
        if name.startswith("."):
            skipped.append((p, "隐藏文件，已跳过"))
            return
        if not explicit and p.suffix.lower() not in IMPORT_SUFFIXES:
            skipped.append((p, f"不是报表文件（{p.suffix or '无扩展名'}），已跳过"))
            return
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    def add_dir(d: Path):
        for root, dirs, names in os.walk(d):
            hidden = [x for x in dirs if x.startswith(".")]
            for x in hidden:
                skipped.append((Path(root) / x, "隐藏文件夹，已跳过"))
            dirs[:] = sorted(x for x in dirs if not x.startswith("."))
            for n in sorted(names):
                add(Path(root) / n, False)

    for raw in paths:
        text = str(raw)
        p = Path(text).expanduser()
        if p.is_dir():
            add_dir(p)
        elif p.is_file() or p.exists():
            add(p, True)
        elif _GLOB_CHARS & set(text):
            matches = sorted(glob.glob(str(p), recursive=True))
            if not matches:
                raise UsageError(f"没有文件匹配“{text}”")
            for m in matches:
                mp = Path(m)
                add_dir(mp) if mp.is_dir() else add(mp, False)
        else:
            raise UsageError(f"找不到文件或文件夹：{text}")
    return files, skipped


def _regular(p: Path) -> bool:
    """A regular file (or a link to one): a FIFO named *.csv would block the read for ever."""
    try:
        return stat.S_ISREG(p.stat().st_mode)
    except OSError:
        return True  # unreadable: the read reports it for this file


def is_revision(path: Path) -> bool:
    return any(m in path.stem for m in REVISION_MARKS)

"""Exceptions that carry a user-facing (Chinese) message.

The CLI turns a ``GwstatsError`` into its message on stderr and an exit code; it never shows a
traceback for one.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field

_OS_REASONS = {
    errno.EEXIST: "已有同名文件，不能当作文件夹使用",
    errno.EISDIR: "这是一个文件夹，请给出文件名",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
    errno.ENOENT: "路径不存在",
    errno.EACCES: "没有读写权限",
    errno.EPERM: "没有读写权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "只读的磁盘或文件夹",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EDQUOT: "磁盘配额已满",
}


IN_USE = "文件正被 Excel 或 WPS 打开，请关闭后重试"


def in_use(exc: BaseException) -> bool:
    """Windows: another program (Excel, WPS) holds the file open without sharing it
    (ERROR_SHARING_VIOLATION 32, ERROR_LOCK_VIOLATION 33)."""
    return isinstance(exc, OSError) and getattr(exc, "winerror", None) in (32, 33)


def os_reason(exc: OSError) -> str:
    """An OSError's cause in Chinese (磁盘空间不足, 没有读写权限, 文件正被 Excel 或 WPS 打开, ...)."""
    if in_use(exc):
        return IN_USE
    return _OS_REASONS.get(exc.errno, exc.strerror or str(exc))


def read_problem(path, exc: OSError) -> str:
    """Why a file could not be read: a file open in Excel/WPS is named with its whole path."""
    if in_use(exc):
        return f"无法读取“{path}”：{IN_USE}"
    name = getattr(path, "name", None) or str(path)
    return f"{name}：无法读取文件（{exc.strerror or exc}）"


class GwstatsError(Exception):
    """An error caused by the user's input or data, with a message fit to show them."""

    exit_code = 1

    def __init__(self, message: str, *, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []

    def __str__(self) -> str:
        if not self.details:
            return self.message
        return self.message + "\n" + "\n".join("  - " + d for d in self.details)


class UsageError(GwstatsError):
    """Wrong usage of a command (exit status 2)."""

    exit_code = 2


class WorkspaceNotFound(UsageError):
    pass


class NoUnitList(UsageError):
    """No unit list in the workspace yet: ``message`` names the command, ``in_page`` the page's way."""

    in_page = "工作区还没有单位名单。请先到“单位”页导入单位名单。"


class StoreError(UsageError):
    """The store file cannot be used: damaged, read-only, missing, from a newer gwstats (exit 2)."""


class CatalogError(GwstatsError):
    pass


class HierarchyError(GwstatsError):
    pass


@dataclass
class Finding:
    """One problem found in data: where it is and what is wrong (frictionless-style)."""

    severity: str  # "error" | "warning" | "info"
    code: str  # machine-readable type, e.g. "unknown-unit"
    message: str  # Chinese, human readable
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    extra: dict = field(default_factory=dict)

    def where(self) -> str:
        parts = [p for p in (self.file, self.sheet and f"工作表“{self.sheet}”", self.cell and f"单元格 {self.cell}") if p]
        return "，".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}：{self.message}" if where else self.message

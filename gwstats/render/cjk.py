"""Console tables that line up Chinese text, with numbers right-aligned.

tabulate measures wide (CJK) characters only when the optional ``wcwidth`` package is installed;
without it Chinese columns drift. ``enable_wide_chars()`` gives tabulate a small stand-in built on
:func:`unicodedata.east_asian_width` when wcwidth is missing.
"""

from __future__ import annotations

import unicodedata


class _WcwidthShim:
    @staticmethod
    def wcwidth(ch: str) -> int:
        if unicodedata.combining(ch):
            return 0
        return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1

    @classmethod
    def wcswidth(cls, text: str, n: int | None = None) -> int:
        return sum(cls.wcwidth(c) for c in (text if n is None else text[:n]))


def enable_wide_chars():
    import tabulate

    if getattr(tabulate, "wcwidth", None) is None:
        tabulate.wcwidth = _WcwidthShim
    tabulate.WIDE_CHARS_MODE = True


def table_text(rows: list[dict], *, title: str | None = None, left: tuple[str, ...] = ("单位",), fmt: str = "table") -> str:
    """rows of display strings; every column right-aligned except those in ``left``."""
    from tabulate import tabulate

    enable_wide_chars()
    if not rows:
        return (title + "\n" if title else "") + "（无数据）"
    columns = list(dict.fromkeys(k for r in rows for k in r))
    body = [["" if r.get(k) is None else str(r.get(k)) for k in columns] for r in rows]
    align = ["left" if k in left else "right" for k in columns]
    if fmt == "md":
        text = tabulate(body, headers=columns, tablefmt="github", colalign=align, disable_numparse=True)
        return (f"**{title}**\n\n" if title else "") + text
    text = tabulate(body, headers=columns, tablefmt="simple", colalign=align, disable_numparse=True)
    return (title + "\n" if title else "") + text

"""One line per imported file for the console (``gwstats import``, the demo): at most 100 columns.

``已导入  凉水乡关工委 2020 本级 14项  2020年度关心下一代工作统计表（凉水乡）.xlsx（有提醒）``
``未导入  菱北分局2018年度工作总结.xlsx：内容是Word 文档，不是 Excel/WPS 表格…``

A line is cut with … to fit; everything in full is in ``-v`` and ``--format json``.
"""

from __future__ import annotations

import re

from wcwidth import wcswidth

LINE_COLUMNS = 100


def file_line(rec: dict, width: int = LINE_COLUMNS) -> str:
    """One file's result (an ``ImportReport.records()`` row) on one line of at most ``width`` columns.
    An imported file names its unit(s), year, scope and number of values, then the file; a refused one
    names the file, then as much of its first reasons as fits."""
    if rec["错误"]:
        return fit(f"{rec['结果']}  {rec['文件']}：{rec['错误']}", width)
    who = " ".join(str(x) for x in (_units(rec["单位"]), rec["年度"], rec["口径"]) if x not in (None, ""))
    head = f"{rec['结果']}  " + (f"{who} {rec['数值个数']}项  " if who else "")
    tail = ""
    if rec["提醒"] and rec["结果"] != "未变化":  # 未变化's note only says why
        tail = "（有提醒）"
    return fit(head + rec["文件"] + tail, width)


def _units(text: str) -> str:
    """``甲、乙、丙 等 6 个`` (a 汇总表 with many units) → ``甲等6个单位``: the file name still fits."""
    m = re.fullmatch(r"([^、]+)、.* 等 (\d+) 个", text or "")
    return f"{m.group(1)}等{m.group(2)}个单位" if m else text


def fit(text: str, width: int) -> str:
    """``text`` if it fits ``width`` console columns (a Chinese character is two), else cut with …"""
    if wcswidth(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = max(wcswidth(ch), 0)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"

"""The layout every sheet of a blank return shares: where the header fields sit, and the cell styles."""

from __future__ import annotations

# (row, label column, value column) of each header field; columns 1-based.
HEADER_FIELDS = {
    "填报单位": (2, 1, 2),
    "单位编码": (2, 3, 4),
    "年度": (3, 1, 2),
    "口径": (3, 3, 4),
    "填报人": (4, 1, 2),
    "联系电话": (4, 3, 4),
    "填报日期": (5, 1, 2),
    "上级单位": (5, 3, 4),
}


def cell_styles():
    """(thin side, border, bold, normal, unlocked, input fill) shared by every sheet of a template."""
    from openpyxl.styles import Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="808080")
    return (thin, Border(left=thin, right=thin, top=thin, bottom=thin), Font(name="宋体", bold=True, size=11),
            Font(name="宋体", size=11), Protection(locked=False), PatternFill("solid", fgColor="FFF9E5"))

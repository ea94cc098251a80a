"""Records (a list of flat dicts) as a console table, CSV, JSON or Markdown."""

from __future__ import annotations

import csv
import html
import io
import json
from decimal import Decimal

from gwstats.core.formatting import csv_safe, decimal_text, plain


def md_escape(text: str) -> str:
    """A Markdown table cell: HTML (<script>, &) shown as text, | and line breaks kept inside the cell."""
    return html.escape(text, quote=False).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def render_records(records: list[dict], fmt: str = "table", *, columns: list[str] | None = None,
                   title: str | None = None, left: tuple[str, ...] | None = None) -> str:
    """``left``: the columns to left-align, every other one right-aligned (rows of display strings such
    as the rollup table); without it numeric columns are right-aligned and the rest left-aligned.
    Chinese characters count as two columns (tabulate measures them with wcwidth)."""
    columns = columns or (list(dict.fromkeys(k for r in records for k in r)) if records else [])
    if fmt == "json":
        return json.dumps([{k: plain(r.get(k)) for k in columns} for r in records], ensure_ascii=False, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([csv_safe(c) for c in columns])
        for r in records:
            w.writerow([csv_safe(_cell(r.get(k))) if isinstance(r.get(k), str) else _cell(r.get(k)) for k in columns])
        return buf.getvalue()
    from tabulate import tabulate

    rows = [[_cell(r.get(k)) for k in columns] for r in records]
    if left is not None:
        align = ["left" if k in left else "right" for k in columns]
    else:
        align = []
        for k in columns:
            vals = [r.get(k) for r in records if r.get(k) not in (None, "")]
            numeric = bool(vals) and all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in vals)
            align.append("right" if numeric else "left")
    if fmt == "md":
        rows = [[md_escape(c) for c in row] for row in rows]
        columns = [md_escape(c) for c in columns]
        title = md_escape(title) if title else title
        if left is None:
            text = tabulate(rows, headers=columns, tablefmt="github", disable_numparse=True)
        else:
            text = tabulate(rows, headers=columns, tablefmt="github", colalign=align, disable_numparse=True)
        return (f"**{title}**\n\n" if title else "") + text
    text = tabulate(rows, headers=columns, tablefmt="simple", colalign=align, disable_numparse=True) if rows else "（无数据）"
    return (title + "\n" if title else "") + text

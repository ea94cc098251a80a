"""A table too wide for the portrait page, split into portrait tables of its columns, each led by the
单位 column (issue 21: a landscape page of its own left the page before it mostly empty)."""

from __future__ import annotations

MOST_SPLIT_COLUMNS = 6  # a wide table split for the portrait page: 单位 and at most 5 figures a part


def split_columns(columns: list[str], rows: list[list[str]], fits) -> list[list[int]] | None:
    """The column indices of portrait tables a table too wide for the page splits into, each led by
    the 单位 column and at most MOST_SPLIT_COLUMNS wide, balanced; None when a part would still not fit
    (then the table goes on a landscape page). ``fits(columns, rows)``: whether a part fits the page."""
    data = list(range(1, len(columns)))
    if len(data) < 2:
        return None
    n = -(-len(data) // (MOST_SPLIT_COLUMNS - 1))
    if n < 2:
        n = 2
    size, extra = divmod(len(data), n)
    parts, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        parts.append([0, *data[start:end]])
        start = end
    for idx in parts:
        cols = [columns[k] for k in idx]
        sub = [[r[k] if k < len(r) else "" for k in idx] for r in rows]
        if not fits(cols, sub):
            return None
    return parts

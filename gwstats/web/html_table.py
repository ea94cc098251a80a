"""Records (the same dicts the CLI prints) as header + rows for a template."""

from __future__ import annotations

from decimal import Decimal


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        from gwstats.core.formatting import decimal_text

        return decimal_text(value)
    return str(value)


def table(records: list[dict], columns: list[str] | None = None, titles: dict | None = None) -> dict:
    """``{"columns": [...], "rows": [[...], ...]}`` with every cell as text."""
    if columns is None:
        columns = list(dict.fromkeys(k for r in records for k in r))
    titles = titles or {}
    return {"columns": [titles.get(c, c) for c in columns],
            "rows": [[cell_text(r.get(c)) for c in columns] for r in records]}

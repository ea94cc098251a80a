"""Long lists on a page (a province's findings, its units not yet reported): a search box and pages of
PER_PAGE rows, so a page stays readable and quick whatever the number of units (issue 23)."""

from __future__ import annotations

from urllib.parse import urlencode

PER_PAGE = 100


def page_number(text) -> int:
    """The ``page`` query parameter as a page number (1 when missing or not a number)."""
    return int(text) if text and str(text).isdigit() and int(text) > 0 else 1


def matches(query: str, *texts) -> bool:
    """Every word of ``query`` (blank-separated) is found in one of ``texts``; an empty query matches."""
    words = (query or "").split()
    if not words:
        return True
    joined = " ".join(str(t) for t in texts if t)
    return all(w in joined for w in words)


def paged(items: list, page: int, params: dict, per: int = PER_PAGE) -> tuple[list, dict]:
    """(the items of ``page``, what the pager shows: page, pages, total, first/last row number and the
    links to the pages before and after, keeping ``params`` — the page's other query parameters)."""
    total = len(items)
    pages = max(1, -(-total // per))
    page = min(max(1, page), pages)
    start = (page - 1) * per
    shown = items[start:start + per]
    keep = {k: v for k, v in params.items() if v not in (None, "")}

    def link(n):
        return "?" + urlencode({**keep, "page": n})

    info = {"page": page, "pages": pages, "total": total, "first": start + 1 if total else 0,
            "last": start + len(shown), "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < pages else None}
    return shown, info

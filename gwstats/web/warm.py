"""The warm-up: what the pages keep, computed on a reader thread when the server starts and after every
write (pages.WebApp.warm), so that a clerk's first visit of 概览, 汇总 or 校验 finds it kept. On a
province each is seconds of work; a page that needs one while the warm-up computes it waits for that
same computation (web/kept.py), and 汇总 and 校验 answer at once meanwhile with a placeholder.

The keys are those the pages read: the tree (``Workspace.tree``), the recent files and the status
(views/overview.py), the year's rollup totals (``Workspace.rollup``, whatever group the page shows),
the check the pages show first (brief on a big hierarchy, views/checks.py) and the hierarchy (单位)."""

from __future__ import annotations

from gwstats.web.kept import big_list, has_units


def recent(ws) -> list[dict]:
    """The ten last files, kept (概览; the names of a province's form export take half a second)."""
    return ws.kept(("recent-files", 10), lambda: ws.recent_files(10))


def status(ws, year: int):
    """The year's status, kept (概览)."""
    return ws.kept(("status", year), lambda: ws.status(year))


def first_check(ws, year: int):
    """The check 校验 and 概览's counts show first: brief on a big hierarchy."""
    return ws.check(year, brief=big_list(ws))


def warm_up(ws, year: int | None) -> None:
    """Compute and keep, in the order a clerk meets them: the tree, 概览's recent files and status, 汇总's
    rollup of ``year`` (the workspace's default year), the check of 校验. Only on a big hierarchy
    (analysis/brief.is_big): a city's pages take a fraction of a second, computed when asked."""
    if not has_units(ws) or not big_list(ws):
        return
    ws.tree()
    recent(ws)
    if year is None:
        return
    status(ws, year)
    groups = ws.catalog.groups()
    ws.rollup(year, metrics=groups[:1] or None)
    first_check(ws, year)

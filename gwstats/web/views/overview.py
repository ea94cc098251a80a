"""概览: who has reported (应报/已报/未报/迟报), whom to chase, the last imports, check counts.

The check counts need the whole check (a province's takes seconds): unless it is kept already or the
hierarchy is small, the page comes at once with the counts to follow (``?part=checks``, fetched by
static/overview.js); that request runs the brief check (the 提醒 below the counties counted, not
built: the same counts) and keeps it. Before the warm-up (web/warm.py) has kept the status and the
recent files of a big hierarchy, the page answers at once with a placeholder (static/later.js)."""

from __future__ import annotations

from starlette.requests import Request

from gwstats.web.kept import big_list, has_units
from gwstats.web.pages import page_context, render


def _few(names: str, most: int = 5) -> str:
    """A file's units as a line: a form export of a province names 100,000 of them."""
    parts = names.split("、") if names else []
    return names if len(parts) <= most else "、".join(parts[:most]) + f" 等 {len(parts):,} 个单位"


def _overview(ws, year: int | None, q: str = "", page: int = 1) -> dict:
    from gwstats.web.html_table import table
    from gwstats.web.paging import matches, paged

    # kept: the names of a province's form export take half a second to gather
    from gwstats.web import warm

    recent = [{**r, "units": _few(r["units"])} for r in warm.recent(ws)]
    out = {"recent": table(recent, ["name", "units", "years", "received_at", "imported_by"],
                           {"name": "文件", "units": "单位", "years": "年度", "received_at": "导入时间", "imported_by": "导入人"}),
           "has_units": has_units(ws)}
    if year is None or not out["has_units"]:
        return out
    from gwstats.web.views.years import lock_state

    out["locked"] = lock_state(ws, year)
    st = warm.status(ws, year)  # kept for every reader thread (web/kept.py), computed by the warm-up
    out["status"] = {"expected": st.expected, "reported": st.reported, "on_time": st.on_time, "late": st.late,
                     "missing": len(st.missing_rows), "deadline": st.deadline, "summary": st.summary_line()}
    # whom to chase, PER_PAGE at a time and searchable (a province misses thousands of units)
    missing = [r for r in st.display_rows(missing_only=True) if matches(q, r["单位"], r["编码"], r["填报人"])]
    shown, out["chase_pager"] = paged(missing, page, {"year": year, "q": q})
    out["chase"] = table(shown, list(missing[0]) if missing else None)
    out["checks"] = _check_counts(ws, year, wait=False)
    return out


def _counts_of(res) -> dict:
    return {"error": res.count("error"), "warning": res.count("warning"), "info": res.count("info"),
            "has_returns": res.has_returns}


def _check_counts(ws, year: int, wait: bool = True) -> dict | None:
    """The check's counts for the tiles; None (to follow) when ``wait`` is false, the check is not kept
    and the hierarchy is big (a province: the check takes seconds)."""
    if not has_units(ws):
        return None
    big = big_list(ws)
    if not wait:
        for kind in ("check", "check-brief"):
            for key, res in ws.kept_of(kind):
                if key == (kind, year, None):
                    return _counts_of(res)
        if big:
            return None
    return _counts_of(ws.check(year, brief=big))  # brief: counts every finding, builds the listed ones


def _is_kept(ws, year: int | None) -> bool:
    """Whether the page can answer at once: a small hierarchy, or its recent files and status kept (the
    warm-up's, web/warm.py)."""
    if year is None or not has_units(ws) or not big_list(ws):
        return True
    return bool(ws.kept_of("recent-files")) and any(k == ("status", year) for k, _ in ws.kept_of("status"))


async def page(request: Request):
    from gwstats.web.paging import page_number

    ctx = await page_context(request, "overview")
    web = request.app.state.web
    if (request.query_params.get("part") != "checks" and request.query_params.get("wait") != "1"
            and not await web.read(_is_kept, ctx["year"])):
        from gwstats.web.later import later_url

        ctx["later"] = later_url(request)  # a province not yet counted: the page now, its content to follow
        return render(request, "overview.html", ctx)
    if request.query_params.get("part") == "checks" and ctx["year"] is not None:  # the counts that follow
        ctx["checks"] = await request.app.state.web.read(_check_counts, ctx["year"])
        return render(request, "overview_checks.html", {**ctx, "fragment": True})
    words = (request.query_params.get("q") or "").strip()[:100]
    ctx["q"] = words
    ctx.update(await request.app.state.web.read(_overview, ctx["year"], words,
                                                page_number(request.query_params.get("page"))))
    return render(request, "overview.html", ctx)

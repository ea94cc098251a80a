"""概览: who has reported (应报/已报/未报/迟报), whom to chase, the last imports, check counts."""

from __future__ import annotations

from starlette.requests import Request

from gwstats.web.pages import page_context, render


def _overview(ws, year: int | None) -> dict:
    from gwstats.web.html_table import table

    out = {"recent": table(ws.recent_files(10), ["name", "units", "years", "received_at", "imported_by"],
                           {"name": "文件", "units": "单位", "years": "年度", "received_at": "导入时间", "imported_by": "导入人"}),
           "has_units": bool(ws.store.load_units())}
    if year is None or not out["has_units"]:
        return out
    from gwstats.web.views.years import lock_state

    out["locked"] = lock_state(ws, year)
    st = ws.status(year)
    out["status"] = {"expected": st.expected, "reported": st.reported, "on_time": st.on_time, "late": st.late,
                     "missing": len(st.missing_rows), "deadline": st.deadline, "summary": st.summary_line()}
    out["chase"] = table(st.display_rows(missing_only=True))
    res = ws.check(year)
    out["checks"] = {"error": res.count("error"), "warning": res.count("warning"), "info": res.count("info"),
                     "has_returns": res.has_returns}
    return out


async def page(request: Request):
    ctx = await page_context(request, "overview")
    ctx.update(await request.app.state.web.read(_overview, ctx["year"]))
    return render(request, "overview.html", ctx)

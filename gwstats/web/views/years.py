"""The year's lock (封账 / 解锁, beside the year's figures on 概览) and a unit's history with a
恢复 button beside each earlier version (``gwstats history`` / ``revert`` in the page)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from gwstats.core.errors import UsageError
from gwstats.web import auth, csrf
from gwstats.web.pages import page_context, render


def lock_state(ws, year: int) -> dict | None:
    """The year's lock as 概览 shows it: None when open."""
    from gwstats.store.years import lock_text

    lock = ws.store.locked_years().get(year)
    return {"text": lock_text(year, lock)} if lock else None


def _year_of(form) -> int:
    text = str(form.get("year") or "")
    if not text.isdigit():
        raise UsageError("请选择年度")
    return int(text)


@csrf.protect
async def lock(request: Request):
    year = _year_of(await request.form())
    await request.app.state.web.write(lambda ws: ws.lock_year(year, by=auth.user_of(request)))
    return RedirectResponse(f"/?year={year}", status_code=303)


@csrf.protect
async def unlock(request: Request):
    year = _year_of(await request.form())
    await request.app.state.web.write(lambda ws: ws.unlock_year(year, by=auth.user_of(request)))
    return RedirectResponse(f"/?year={year}", status_code=303)


def _history(ws, unit: str, year: int) -> dict:
    from gwstats.web.html_table import table

    res = ws.history(unit, year)
    versions = [{**rec, "经办人": v.imported_by, "scope": v.scope, "number": v.number, "in_force": v.in_force}
                for rec, v in zip(res.records(), res.versions)]
    return {"unit": res.unit, "unit_name": res.unit_name, "versions": versions,
            "columns": [c for c in (versions[0] if versions else {}) if c not in ("scope", "number", "in_force")],
            "changes": table(res.change_records()), "locked": lock_state(ws, year)}


async def history(request: Request):
    ctx = await page_context(request, "units")
    unit = request.query_params.get("unit", "")
    if ctx["year"] is None or not unit:
        raise UsageError("请从“单位”页选择单位和年度")
    ctx.update(await request.app.state.web.read(_history, unit, ctx["year"]))
    reverted = request.query_params.get("reverted", "")
    ctx["reverted"] = f"已恢复为第 {reverted} 版（作为新的一版，原有版本都保留）。" if reverted.isdigit() else ""
    return render(request, "history.html", ctx)


@csrf.protect
async def revert(request: Request):
    form = await request.form()
    year, unit, scope, to = _year_of(form), str(form.get("unit") or ""), str(form.get("scope") or "本级"), str(form.get("to") or "")
    if not to.isdigit():
        raise UsageError("请选择要恢复的版本")
    res = await request.app.state.web.write(lambda ws: ws.revert(unit, year, int(to), scope, by=auth.user_of(request)))
    return RedirectResponse(f"/history?unit={quote(res.unit)}&year={year}&reverted={res.to_version}", status_code=303)


routes = [
    Route("/year/lock", lock, methods=["POST"]),
    Route("/year/unlock", unlock, methods=["POST"]),
    Route("/history", history, methods=["GET"]),
    Route("/history/revert", revert, methods=["POST"]),
]

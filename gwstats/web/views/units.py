"""单位: the hierarchy as an indented tree, and one change at a time (add, rename, move, stop)
through ``Workspace.edit_units`` (the year lock respected)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from gwstats.core.errors import GwstatsError
from gwstats.model.unit_edit import ACTIONS
from gwstats.web import csrf
from gwstats.web.pages import page_context, render


def _tree(ws, year: int | None) -> dict:
    units = ws.store.load_units()
    if not units:
        return {"rows": [], "no_units": True}
    h = ws.hierarchy()
    rows = []
    for code in h.walk():
        u = h.units[code]
        active = year is None or u.active_in(year)
        years = f"{u.active_from or ''}–{u.active_to or ''}" if (u.active_from or u.active_to) else ""
        rows.append({"name": u.name, "code": u.code, "level": u.level, "aliases": "、".join(u.aliases),
                     "years": years, "active": active, "indent": f"{h.depth(code) * 1.6:.1f}em"})
    return {"rows": rows, "no_units": False, "count": len(rows)}


def _edit(ws, action: str, code: str, change: dict) -> str:
    return ws.edit_units(action, code, **change)


async def page(request: Request):
    ctx = await page_context(request, "units")
    ctx.update(await request.app.state.web.read(_tree, ctx["year"]))
    done, code = request.query_params.get("done", ""), request.query_params.get("code", "")
    names = {r["code"]: r["name"] for r in ctx["rows"]}
    if done in ACTIONS and code in names:  # a known action on a known unit, never text from the address
        ctx["done"] = f"已{ACTIONS[done]}：{names[code]}[{code}]"
    return render(request, "units.html", ctx)


@csrf.protect
async def submit(request: Request):
    form = await request.form()
    action, code = str(form.get("action") or ""), str(form.get("code") or "")
    change = {k: str(form.get(k) or "") for k in ("name", "parent", "year") if k in form}
    year = str(form.get("shown_year") or "")
    try:
        await request.app.state.web.write(_edit, action, code, change)
    except GwstatsError as exc:
        ctx = await page_context(request, "units")
        ctx.update(await request.app.state.web.read(_tree, ctx["year"]))
        ctx.update(error=exc.message, details=list(exc.details), action=action)
        return render(request, "units.html", ctx, status_code=400)
    back = f"/units?year={year}&" if year.isdigit() else "/units?"
    return RedirectResponse(back + f"done={action}&code={quote(code.strip())}", status_code=303)


routes = [Route("/units", page, methods=["GET"]), Route("/units", submit, methods=["POST"])]

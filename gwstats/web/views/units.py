"""单位: the hierarchy as an indented tree."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

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


async def page(request: Request):
    ctx = await page_context(request, "units")
    ctx.update(await request.app.state.web.read(_tree, ctx["year"]))
    return render(request, "units.html", ctx)


routes = [Route("/units", page)]

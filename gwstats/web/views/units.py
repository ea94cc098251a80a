"""单位: the hierarchy as an indented tree, and one change at a time (add, rename, move, stop)
through ``Workspace.edit_units`` (the year lock respected); without a unit list yet, its upload
(``Workspace.import_units``, the set-up page's file field, checks and messages)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from gwstats.core.errors import GwstatsError
from gwstats.model.unit_edit import ACTIONS
from gwstats.web import csrf
from gwstats.web.pages import page_context, render
from gwstats.web.views.setup import NO_UNITS_FILE, UNIT_SUFFIXES, save_upload


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
    elif done == "import" and ctx["rows"]:
        ctx["done"] = f"已导入单位名单：{len(ctx['rows'])} 个单位"
    return render(request, "units.html", ctx)


async def _refused(request: Request, exc: GwstatsError):
    ctx = await page_context(request, "units")
    ctx.update(await request.app.state.web.read(_tree, ctx["year"]))
    ctx.update(error=exc.message, details=list(exc.details))
    return render(request, "units.html", ctx, status_code=400)


@csrf.protect
async def upload(request: Request):
    """The unit list uploaded on 单位 (only offered while there is none): as ``units import``."""
    form = await request.form()
    year = str(form.get("shown_year") or "")
    with tempfile.TemporaryDirectory(prefix="gwstats-units-") as tmp:
        try:
            path = await save_upload(form.get("units"), Path(tmp), UNIT_SUFFIXES, "单位名单")
            if path is None:
                raise GwstatsError(NO_UNITS_FILE)
            _, findings = await request.app.state.web.write(lambda ws: ws.import_units(path))
        except GwstatsError as exc:
            return await _refused(request, exc)
    warnings = [f.message for f in findings if f.severity != "info"]
    if warnings:  # shown once, here, beside the list just loaded
        ctx = await page_context(request, "units")
        ctx.update(await request.app.state.web.read(_tree, ctx["year"]))
        ctx.update(done=f"已导入单位名单：{ctx.get('count', 0)} 个单位", warnings=warnings)
        return render(request, "units.html", ctx)
    back = f"/units?year={year}&" if year.isdigit() else "/units?"
    return RedirectResponse(back + "done=import", status_code=303)


@csrf.protect
async def submit(request: Request):
    form = await request.form()
    action, code = str(form.get("action") or ""), str(form.get("code") or "")
    change = {k: str(form.get(k) or "") for k in ("name", "parent", "year") if k in form}
    year = str(form.get("shown_year") or "")
    try:
        await request.app.state.web.write(_edit, action, code, change)
    except GwstatsError as exc:
        return await _refused(request, exc)
    back = f"/units?year={year}&" if year.isdigit() else "/units?"
    return RedirectResponse(back + f"done={action}&code={quote(code.strip())}", status_code=303)


routes = [Route("/units", page, methods=["GET"]), Route("/units", submit, methods=["POST"]),
          Route("/units/import", upload, methods=["POST"])]

"""单位: the hierarchy as an indented tree, and one change at a time (add, rename, move, stop)
through ``Workspace.edit_units`` (the year lock respected); without a unit list yet, its upload
(``Workspace.import_units``, the set-up page's file field, checks and messages).

A province lists 100,000 units: the tree is shown PER_PAGE rows at a time and searchable (name, code,
alias), and above PICK_LIMIT units the forms take a unit's code or name typed in (resolved as an import
resolves it) instead of lists of every unit (issue 23: the page was 70 MB of HTML)."""

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
from gwstats.web.kept import has_units
from gwstats.web.pages import page_context, render
from gwstats.web.paging import page_number, paged
from gwstats.web.views.setup import NO_UNITS_FILE, UNIT_SUFFIXES, save_upload

PICK_LIMIT = 500  # up to this many units the forms offer lists to pick from; above it a unit is typed in
OPEN_FROM, OPEN_TO = -(10**8), 10**8  # the tree's active_from / active_to beyond these: no year given


def _tree(ws, year: int | None, q: str = "", page: int = 1) -> dict:
    """The page's rows (one page of the indented tree, those matching ``q``), the count, and for a
    small list every unit for the forms' lists. Read from the tree the other pages keep (and the
    aliases of the rows shown), not from the 100,000 units of a province loaded again (1 s)."""
    if not has_units(ws):
        return {"rows": [], "no_units": True}
    tree = ws.tree()
    found = range(tree.n)  # depth-first: the indented tree in the list's order
    if q:
        words = q.split()
        found = [k for k, text in enumerate(_searched(ws, tree)) if all(w in text for w in words)]
    shown, pager = paged(found, page, {"year": year, "q": q})
    aliases = ws.store.unit_aliases([tree.codes[k] for k in shown])
    rows = []
    for k in shown:
        code, since, until = tree.codes[k], int(tree.active_from[k]), int(tree.active_to[k])
        first, last = (since if since > OPEN_FROM else ""), (until if until < OPEN_TO else "")
        rows.append({"name": tree.names[k], "code": code, "level": int(tree.level[k]),
                     "aliases": "、".join(aliases.get(code, ())), "years": f"{first}–{last}" if first or last else "",
                     "active": year is None or since <= year <= until,
                     "indent": f"{int(tree.depth[k]) * 1.6:.1f}em"})
    pick = [{"code": c, "name": n} for c, n in zip(tree.codes, tree.names)] if tree.n <= PICK_LIMIT else None
    return {"rows": rows, "no_units": False, "count": tree.n, "found": len(found), "pager": pager, "pick": pick, "q": q}


def _searched(ws, tree) -> list[str]:
    """Each unit's name, code and aliases as one text, in tree order (paging.matches over them), kept."""
    def build():
        aliases = ws.store.unit_aliases()
        return [" ".join((name, code, *aliases.get(code, ()))) for code, name in zip(tree.codes, tree.names)]

    return ws.kept(("unit-search", id(tree)), build)


def _unit_name(ws, code: str) -> str | None:
    if not has_units(ws):
        return None
    tree = ws.tree()
    return tree.names[tree.index[code]] if code in tree.index else None


def _code_of(ws, text: str) -> str:
    """A unit typed in (code or name, as an import matches it) as its code; text that names no unit
    is passed on as it is, for the edit's own message."""
    from gwstats.core.errors import NoUnitList

    text = (text or "").strip()
    try:
        h = ws.hierarchy()
    except NoUnitList:
        return text
    if not text or text in h.units:
        return text
    return h.match(text) or text


def _edit(ws, action: str, code: str, change: dict) -> str:
    """The unit's code once changed (typed in as a name or a code)."""
    if action != "add":
        code = _code_of(ws, code)
    if change.get("parent"):
        change = {**change, "parent": _code_of(ws, change["parent"])}
    ws.edit_units(action, code, **change)
    return code.strip()


async def _listed(request: Request, ctx: dict) -> dict:
    q = (request.query_params.get("q") or "").strip()[:100]
    ctx.update(await request.app.state.web.read(_tree, ctx["year"], q, page_number(request.query_params.get("page"))))
    return ctx


async def page(request: Request):
    ctx = await _listed(request, await page_context(request, "units"))
    done, code = request.query_params.get("done", ""), request.query_params.get("code", "")
    name = await request.app.state.web.read(_unit_name, code) if done in ACTIONS else None
    if name is not None:  # a known action on a known unit, never text from the address
        ctx["done"] = f"已{ACTIONS[done]}：{name}[{code}]"
    elif done == "import" and ctx.get("count"):
        ctx["done"] = f"已导入单位名单：{ctx['count']} 个单位"
    return render(request, "units.html", ctx)


async def _refused(request: Request, exc: GwstatsError):
    ctx = await _listed(request, await page_context(request, "units"))
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
        ctx = await _listed(request, await page_context(request, "units"))
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
        code = await request.app.state.web.write(_edit, action, code, change)
    except GwstatsError as exc:
        return await _refused(request, exc)
    back = f"/units?year={year}&" if year.isdigit() else "/units?"
    return RedirectResponse(back + f"done={action}&code={quote(code)}", status_code=303)


routes = [Route("/units", page, methods=["GET"]), Route("/units", submit, methods=["POST"]),
          Route("/units/import", upload, methods=["POST"])]

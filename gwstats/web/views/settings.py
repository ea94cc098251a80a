"""设置: what gwstats.toml holds (organisation name, year, 报送截止日期, contacts), edited in the page
and written by ``Workspace.update_settings`` (comments kept, temporary file + rename)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from gwstats.core.errors import GwstatsError
from gwstats.web import csrf
from gwstats.web.pages import page_context, render

FIELDS = ("name", "year", "deadline", "filled_by", "phone", "unit_name")


def _settings(ws) -> dict:
    return ws.settings()


def _update(ws, values: dict):
    ws.update_settings(**values)


async def page(request: Request):
    ctx = await page_context(request, "settings")
    ctx["values"] = await request.app.state.web.read(_settings)
    ctx["saved"] = request.query_params.get("notice") == "saved"
    if request.query_params.get("backup"):  # just written by 备份 (views/backup.py)
        from gwstats.web.views.backup import find

        ctx["backup"] = await request.app.state.web.read(find, request.query_params["backup"])
    return render(request, "settings.html", ctx)


@csrf.protect
async def submit(request: Request):
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in FIELDS}
    try:
        await request.app.state.web.write(_update, values)
    except GwstatsError as exc:
        ctx = await page_context(request, "settings")
        ctx.update(values=values, error=exc.message)
        return render(request, "settings.html", ctx, status_code=400)
    return RedirectResponse("/settings?notice=saved", status_code=303)


routes = [Route("/settings", page, methods=["GET"]), Route("/settings", submit, methods=["POST"])]

"""模板: the blank returns to send down, one per unit, as one zip."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gwstats.web import csrf
from gwstats.web.pages import page_context, render


def _count(ws, year: int) -> int:
    return len(ws.hierarchy().expected(year))


def template_zip(ws, year: int) -> tuple[str, bytes]:
    with tempfile.TemporaryDirectory(prefix="gwstats-templates-") as tmp:
        paths = ws.write_templates(year, Path(tmp))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in paths:
                zf.write(p, p.name)
    return f"{ws.config.organisation}{year}年度统计表模板.zip", buf.getvalue()


def attachment(name: str, data: bytes, media_type: str) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


async def page(request: Request):
    ctx = await page_context(request, "templates")
    if ctx["year"] is not None:
        ctx["count"] = await request.app.state.web.read(_count, ctx["year"])
    return render(request, "templates.html", ctx)


@csrf.protect
async def download(request: Request):
    ctx = await page_context(request, "templates")
    form = await request.form()
    year = int(form["year"]) if str(form.get("year", "")).isdigit() else ctx["year"]
    name, data = await request.app.state.web.read(template_zip, year)
    return attachment(name, data, "application/zip")


routes = [Route("/templates", page, methods=["GET"]), Route("/templates", download, methods=["POST"])]

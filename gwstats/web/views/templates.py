"""模板: the blank returns to send down, one per unit, as one zip.

The zip is made as a background job on a reader thread (web/jobs.py: it only reads the workspace),
one return after another with its progress on the page; the page offers the zip when it is done.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from gwstats.web import csrf
from gwstats.web.pages import page_context, render


def _count(ws, year: int) -> int:
    """Units expected to report (Hierarchy.expected), counted on the kept tree: a province's page does
    not build the hierarchy of 100,000 units for one number (no unit list: NoUnitList, as before)."""
    return int(ws.tree().expected(year).sum())


def zip_name(ws, year: int) -> str:
    from gwstats.forms.template import safe_filename

    return safe_filename(f"{ws.config.organisation}{year}年度统计表模板.zip")


def template_zip(ws, year: int, folder: Path, progress=None) -> Path:
    """Every expected unit's blank return of ``year``, zipped into ``folder``; ``progress(i, n, words)``
    as each return is made, then as each is packed."""
    target = Path(folder) / zip_name(ws, year)
    with tempfile.TemporaryDirectory(prefix="gwstats-templates-") as tmp:
        paths = ws.write_templates(year, Path(tmp), progress=progress)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for i, p in enumerate(paths, 1):
                if progress and (i == 1 or i % 50 == 0 or i == len(paths)):
                    progress(i, len(paths), "正在打包")
                zf.write(p, p.name)
    return target


def _clock(when: float) -> str:
    import time

    return time.strftime("%H:%M", time.localtime(when))


def _page_of(year: int) -> str:
    return f"/templates?year={year}"


async def page(request: Request):
    ctx = await page_context(request, "templates")
    web = request.app.state.web
    if ctx["year"] is not None:
        ctx["count"] = await web.read(_count, ctx["year"])
        named, running = web.jobs.shown(request, _page_of(ctx["year"]))
        ctx["jobs"] = running if named is None or named.over else [named, *running]
        if named is not None and named.state == "failed":
            ctx["job_error"] = {"title": named.title, "message": named.error, "details": named.details}
        made = named if named is not None and named.state == "done" else web.jobs.latest(_page_of(ctx["year"]))
        if made is not None and made.file is not None and made.file.is_file():  # the zip made last, offered
            ctx["made"] = {"name": made.file.name, "href": f"/jobs/{made.id}/file", "when": _clock(made.finished),
                           "size": f"{made.file.stat().st_size / 1024:.0f} KB"}
    return render(request, "templates.html", ctx)


@csrf.protect
async def download(request: Request):
    """Start making the zip (or join the one under way): the page shows its progress, then offers it."""
    ctx = await page_context(request, "templates")
    form = await request.form()
    year = int(form["year"]) if str(form.get("year", "")).isdigit() else ctx["year"]
    if year is None:
        return RedirectResponse("/templates", status_code=303)
    web = request.app.state.web
    job = web.jobs.start(web.submit_read, "templates", ("templates", year), "正在生成全部单位的空白统计表",
                         _page_of(year), template_zip, year, web.jobs.folder())
    return RedirectResponse(job.href, status_code=303)


routes = [Route("/templates", page, methods=["GET"]), Route("/templates", download, methods=["POST"])]

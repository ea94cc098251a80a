"""首次使用: on a folder that is not yet a workspace, the page asks for what ``gwstats init`` and
``gwstats units import`` (and optionally ``catalog from-template``) would, and makes the workspace
(``Workspace.setup``). Until then every other page leads here (``SetupGate``)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Route

from gwstats.core.errors import GwstatsError
from gwstats.model.config import CONFIG_NAME, MAX_YEAR, MIN_YEAR
from gwstats.web import csrf
from gwstats.web.pages import render

OPEN_PATHS = ("/setup", "/static/", "/fonts/", "/login")
UNIT_SUFFIXES = (".xlsx", ".xls", ".csv")
MAX_UPLOAD = 50 * 1024 * 1024
NO_UNITS_FILE = "请选择单位名单文件（xlsx 或 csv：名称、编码、上级 等列）"


def is_workspace(root: Path) -> bool:
    return (Path(root) / CONFIG_NAME).is_file()


class SetupGate:
    """Pure ASGI middleware: while the folder is not a workspace, pages lead to /setup."""

    def __init__(self, app, *, root: Path):
        self.app = app
        self.root = Path(root)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith(OPEN_PATHS) or is_workspace(self.root):
            return await self.app(scope, receive, send)
        if scope["method"] in ("GET", "HEAD"):
            response = RedirectResponse("/setup", status_code=303)
        else:
            response = PlainTextResponse("这个文件夹还不是工作区：请先在“首次使用”页面完成设置。", status_code=409)
        return await response(scope, receive, send)


def _context(request: Request, **extra) -> dict:
    root = request.app.state.web.root
    ctx = {"organisation": "gwstats", "nav": [], "year": None, "years": [], "folder": str(root),
           "values": {"year": dt.date.today().year - 1, "deadline": "01-15"}}
    ctx.update(extra)
    return ctx


async def page(request: Request):
    if is_workspace(request.app.state.web.root):
        return RedirectResponse("/", status_code=303)
    return render(request, "setup.html", _context(request))


async def save_upload(upload, folder: Path, allowed: tuple[str, ...], what: str) -> Path | None:
    if upload is None or isinstance(upload, str) or not upload.filename:
        return None
    name = Path(upload.filename.replace("\\", "/")).name
    if not name.lower().endswith(allowed):
        raise GwstatsError(f"{what}“{name}”不是 {' / '.join(allowed)} 文件")
    data = await upload.read()
    if len(data) > MAX_UPLOAD:
        raise GwstatsError(f"{what}“{name}”超过 {MAX_UPLOAD // 1024 // 1024} MB")
    path = folder / name
    path.write_bytes(data)
    return path


def _year(text: str) -> int:
    text = (text or "").strip()
    if not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise GwstatsError(f"统计年度“{text}”应为 {MIN_YEAR}–{MAX_YEAR} 之间的四位数字年份")
    return int(text)


@csrf.protect
async def submit(request: Request):
    web = request.app.state.web
    if is_workspace(web.root):
        return RedirectResponse("/", status_code=303)
    form = await request.form()
    values = {k: (form.get(k) or "").strip() for k in ("name", "year", "deadline", "filled_by", "phone")}
    with tempfile.TemporaryDirectory(prefix="gwstats-setup-") as tmp:
        try:
            year = _year(values["year"])
            units = await save_upload(form.get("units"), Path(tmp), UNIT_SUFFIXES, "单位名单")
            if units is None:
                raise GwstatsError(NO_UNITS_FILE)
            (Path(tmp) / "form").mkdir()
            superior = await save_upload(form.get("form"), Path(tmp) / "form", (".xlsx",), "上级表格")
            await web.setup(values["name"], year, units, deadline=values["deadline"] or None,
                            filled_by=values["filled_by"], phone=values["phone"], form=superior)
        except GwstatsError as exc:
            ctx = _context(request, error=exc.message, details=list(exc.details), values=values)
            return render(request, "setup.html", ctx, status_code=400)
    return RedirectResponse(f"/units?year={year}", status_code=303)


routes = [Route("/setup", page, methods=["GET"]), Route("/setup", submit, methods=["POST"])]

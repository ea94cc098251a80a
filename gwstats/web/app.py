"""The application object and its routes. Every page is a view over ``gwstats.Workspace``.

All workspace work runs on one worker thread (``WebApp.call``): SQLite connections stay on the
thread that made them, and this server is the one writer of its workspace, so colleagues on the LAN
using the same page never import at the same moment.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import GwstatsError
from . import auth, csrf
from .uploads import Staging

HERE = Path(__file__).parent
log = logging.getLogger("gwstats.web")

NAV = (
    ("overview", "/", "概览"),
    ("import", "/import", "导入"),
    ("rollup", "/rollup", "汇总"),
    ("checks", "/checks", "校验"),
    ("outputs", "/outputs", "成果"),
    ("units", "/units", "单位"),
    ("templates", "/templates", "模板"),
)


class WebApp:
    """What the views share: the workspace folder, the worker thread, templates, upload staging."""

    def __init__(self, root: Path, *, password: str | None = None):
        self.root = Path(root)
        self.password = password
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gwstats-workspace")
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.staging = Staging(self.root)

    def _run(self, fn, args, kwargs):
        from ..workspace import Workspace

        ws = Workspace(self.root)  # opened afresh: settings or catalog edited meanwhile are seen
        try:
            return fn(ws, *args, **kwargs)
        finally:
            if "store" in ws.__dict__:
                ws.store.close()

    async def call(self, fn, *args, **kwargs):
        """Run ``fn(ws, *args, **kwargs)`` on the workspace thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self._run, fn, args, kwargs)


def _years(ws) -> tuple[list[int], int | None]:
    years = ws.store.years()
    default = ws.config.default_year
    if default is not None:
        default = int(default)
    if default is None:  # the workspace's own year (gwstats.toml) first, else the latest with data
        default = years[-1] if years else None
    shown = sorted(set(years) | ({default} if default else set()))
    return shown, default


async def page_context(request: Request, active: str) -> dict:
    """What every page shows at the top: organisation, nav, the chosen year and the years to choose."""
    web: WebApp = request.app.state.web
    years, default = await web.call(_years)
    org = await web.call(lambda ws: ws.config.organisation)
    raw = request.query_params.get("year")
    year = int(raw) if raw and raw.isdigit() and 1949 <= int(raw) <= 2100 else default
    if year is not None and year not in years:
        years = sorted({*years, year})
    return {
        "organisation": org,
        "nav": [{"key": k, "href": h, "label": label, "active": k == active} for k, h, label in NAV],
        "active": active,
        "year": year,
        "years": years,
        "csrf_token": csrf.token_for(request),
        "csrf_field": csrf.FIELD,
        "logged_in": web.password is not None,
    }


def render(request: Request, name: str, context: dict, status_code: int = 200):
    web: WebApp = request.app.state.web
    context.setdefault("csrf_token", csrf.token_for(request))
    context.setdefault("csrf_field", csrf.FIELD)
    response = web.templates.TemplateResponse(request, name, context, status_code=status_code)
    return csrf.set_cookie(request, response)


async def _error_page(request: Request, message: str, status: int, details=()):
    try:
        ctx = await page_context(request, "")
    except Exception:  # the workspace itself cannot be read: a bare page
        ctx = {"organisation": "gwstats", "nav": [], "year": None, "years": []}
    ctx.update(message=message, details=list(details), status=status)
    return render(request, "error.html", ctx, status_code=status)


async def _on_gwstats_error(request: Request, exc: GwstatsError):
    return await _error_page(request, exc.message, 400, exc.details)


async def _on_csrf(request: Request, exc: csrf.CsrfError):
    return await _error_page(request, str(exc), 403)


async def _on_os_error(request: Request, exc: OSError):
    return await _error_page(request, f"无法读写“{exc.filename or ''}”：{exc.strerror or exc}", 500)


async def _on_error(request: Request, exc: Exception):
    log.exception("gwstats ui: unexpected error")
    return await _error_page(request, f"内部错误：{type(exc).__name__}。请把命令行窗口里的信息发给维护人员。", 500)


def make_app(root: str | Path, *, password: str | None = None, allowed_hosts: list[str] | None = None,
             key: bytes | None = None) -> Starlette:
    """The Starlette application serving the workspace at ``root``.

    ``allowed_hosts`` (the Host header) guards a loopback server against DNS rebinding;
    ``password`` turns on the login (see auth.py).
    """
    from .views import checks, imports, outputs, overview, rollup, templates, trace, units
    from .views import login as login_view

    web = WebApp(Path(root), password=password)
    web.staging.drop_stale()
    routes = [
        Route("/", overview.page),
        *imports.routes,
        *rollup.routes,
        *trace.routes,
        *checks.routes,
        *outputs.routes,
        *units.routes,
        *templates.routes,
        *login_view.routes,
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
        Mount("/fonts", app=StaticFiles(directory=str(HERE.parent / "data" / "fonts")), name="fonts"),
    ]
    key = key or secrets.token_bytes(32)
    middleware = []
    if allowed_hosts:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    if password is not None:
        middleware.append(Middleware(auth.AuthMiddleware, password=password, key=key))
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={
            GwstatsError: _on_gwstats_error,
            csrf.CsrfError: _on_csrf,
            OSError: _on_os_error,
            Exception: _on_error,
        },
    )
    app.state.web = web
    app.state.key = key
    return app

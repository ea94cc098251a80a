"""The application object and its routes. Every page is a view over ``gwstats.Workspace``.

The views get what they share from ``request.app.state.web`` (pages.WebApp) and never import this
module. Reads run on a few reader threads, writes on one writer thread (``web.read``/``web.write``,
see pages.py): this server is the one writer of its workspace, so colleagues on the LAN using the
same page never import at the same moment, and a long report does not hold up the other pages.
The app's shutdown (lifespan) ends those threads.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gwstats.core.errors import GwstatsError
from gwstats.web import auth
from gwstats.web import csrf
from gwstats.web.headers import SecurityHeaders
from gwstats.web.jobs import failure_text
from gwstats.web.pages import HERE, WebApp, page_context, render

log = logging.getLogger("gwstats.web")


async def _error_page(request: Request, message: str, status: int, details=()):
    try:
        ctx = await page_context(request, "")
    except Exception:  # the workspace itself cannot be read: a bare page
        ctx = {"organisation": "gwstats", "nav": [], "year": None, "years": []}
    ctx.update(message=message, details=list(details), status=status)
    return render(request, "error.html", ctx, status_code=status)


MULTIPART_LIMITS = {  # Starlette's words for a form over its limits -> what the clerk reads
    "Too many files": "一次上传的文件太多（每批最多 1000 个）。请分几批上传",
    "Too many fields": "表单的项目太多，未处理。请分几次提交",
}


async def _on_bad_request(request: Request, exc):
    """A request the server refuses before any view reads it (a form over the upload limits): said in Chinese."""
    detail = str(getattr(exc, "detail", "") or "")
    message = next((text for words, text in MULTIPART_LIMITS.items() if words in detail),
                   f"请求无法处理（{detail or '格式有误'}）")
    return await _error_page(request, message, 400)


async def _on_gwstats_error(request: Request, exc: GwstatsError):
    message, details = failure_text(exc)  # the page's words for an error that names a command
    return await _error_page(request, message, 400, details)


async def _on_csrf(request: Request, exc: csrf.CsrfError):
    return await _error_page(request, str(exc), 403)


async def _on_os_error(request: Request, exc: OSError):
    return await _error_page(request, failure_text(exc)[0], 500)


async def _on_error(request: Request, exc: Exception):
    log.exception("gwstats ui: unexpected error")
    return await _error_page(request, failure_text(exc)[0], 500)


def _remove_abandoned_imports(root: Path):
    """The page starting: staging folders of imports killed meanwhile (never one still running) go."""
    from gwstats.ingest.staging import remove_abandoned
    from gwstats.store.received import FILES_DIR

    remove_abandoned(root / FILES_DIR)


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette):
    app.state.web.warm()  # what the pages keep, computed in the background (web/warm.py)
    try:
        yield
    finally:  # server stopped (Ctrl+C) or test client closed: no thread of this app runs on
        app.state.web.close()


def make_app(root: str | Path, *, password: str | None = None, allowed_hosts: list[str] | None = None,
             key: bytes | None = None) -> Starlette:
    """The Starlette application serving the workspace at ``root``.

    ``allowed_hosts`` (the Host header) guards a loopback server against DNS rebinding;
    ``password`` turns on the login (see auth.py).
    """
    from gwstats.web.views import backup
    from gwstats.web.views import checks
    from gwstats.web.views import import_log
    from gwstats.web import jobs
    from gwstats.web.views import imports
    from gwstats.web.views import outputs
    from gwstats.web.views import overview
    from gwstats.web.views import rollup
    from gwstats.web.views import templates
    from gwstats.web.views import trace
    from gwstats.web.views import units
    from gwstats.web.views import login as login_view
    from gwstats.web.views import settings
    from gwstats.web.views import setup
    from gwstats.web.views import years

    web = WebApp(Path(root), password=password)
    web.staging.drop_stale()
    _remove_abandoned_imports(web.root)
    routes = [
        Route("/", overview.page),
        *import_log.routes,
        *imports.routes,
        *rollup.routes,
        *trace.routes,
        *checks.routes,
        *outputs.routes,
        *units.routes,
        *templates.routes,
        *jobs.routes,
        *login_view.routes,
        *setup.routes,
        *settings.routes,
        *backup.routes,
        *years.routes,
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
        Mount("/fonts", app=StaticFiles(directory=str(HERE.parent / "data" / "fonts")), name="fonts"),
    ]
    key = key or secrets.token_bytes(32)
    middleware = [Middleware(SecurityHeaders)]
    if allowed_hosts:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    sessions = auth.Sessions()
    if password is not None:
        middleware.append(Middleware(auth.AuthMiddleware, sessions=sessions))
    middleware.append(Middleware(setup.SetupGate, root=web.root))  # not yet a workspace: the set-up page
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=_lifespan,
        exception_handlers={
            400: _on_bad_request,
            GwstatsError: _on_gwstats_error,
            csrf.CsrfError: _on_csrf,
            OSError: _on_os_error,
            Exception: _on_error,
        },
    )
    app.state.web = web
    app.state.key = key
    app.state.sessions = sessions
    app.state.throttle = auth.Throttle()
    return app

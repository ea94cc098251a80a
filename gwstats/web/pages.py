"""What every view shares, reached through ``request.app.state.web``: the workspace folder and its
worker thread, the templates, the page context (organisation, nav, year) and rendering."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from starlette.requests import Request
from starlette.templating import Jinja2Templates

from gwstats.web import csrf
from gwstats.web.uploads import Staging

HERE = Path(__file__).parent


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
        from gwstats.workspace import Workspace

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

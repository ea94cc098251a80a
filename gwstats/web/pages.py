"""What every view shares, reached through ``request.app.state.web``: the workspace folder and the
threads that work on it, the templates, the page context (organisation, nav, year) and rendering.

Workspace work runs off the event loop, in one of two lanes that each view names:

- ``web.read(fn, ...)``: on a small pool of reader threads (``READERS``), so a long report or
  check does not hold up every other page. SQLite in WAL mode lets readers run beside the writer;
  each read sees one consistent snapshot (``Workspace.snapshot``).
- ``web.write(fn, ...)``: on the one writer thread, one at a time in the order they came: anything
  that writes to the store or the workspace folder (import, generated products, upload staging),
  and the import's dry run, which reads uploaded files through the one reader child process
  (``gwstats.read.reader``) that the import uses, and whose answer is only true between imports.

Each reader thread keeps its own ``Workspace`` (its SQLite connection never crosses threads) from one
request to the next; what they keep while the store is unchanged (the tree, the rollup's totals,
the check: ``Workspace.kept``) is held once for all of them (web/kept.py); a new one is
opened when gwstats.toml or the catalog file is edited, or the store file is replaced, so edits are
seen at once. The writer thread opens a fresh ``Workspace`` for every call and closes it after.
``close()`` (the app's shutdown) lets running calls finish, drops queued ones and ends the threads.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from starlette.requests import Request
from starlette.templating import Jinja2Templates

from gwstats.web import auth
from gwstats.web import csrf
from gwstats.web.uploads import Staging

log = logging.getLogger("gwstats.web")
HERE = Path(__file__).parent
READERS = 3  # reader threads: a few pages at once on a 2-core office PC, without starving the writer


NAV = (
    ("overview", "/", "概览"),
    ("import", "/import", "导入"),
    ("import_log", "/import/log", "导入记录"),
    ("rollup", "/rollup", "汇总"),
    ("checks", "/checks", "校验"),
    ("outputs", "/outputs", "成果"),
    ("units", "/units", "单位"),
    ("templates", "/templates", "模板"),
    ("settings", "/settings", "设置"),
)


class WebApp:
    """What the views share: the workspace folder, the reader and writer threads, templates, upload staging."""

    def __init__(self, root: Path, *, password: str | None = None, readers: int = READERS):
        self.root = Path(root)
        self.password = password
        self.readers = ThreadPoolExecutor(max_workers=readers, thread_name_prefix="gwstats-read")
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gwstats-write")
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.staging = Staging(self.root)
        self._local = threading.local()  # a reader thread's Workspace and the files it was opened on
        from gwstats.web.kept import SharedKept

        self.shared = SharedKept()  # what the reader threads' Workspaces keep, held once (web/kept.py)
        from gwstats.web.jobs import Jobs

        self.jobs = Jobs()  # long work in the background, its progress shown on the page (web/jobs.py)
        self._warming = None  # the warm-up under way (a Future), and whether another is asked for after it
        self._warm_again = False
        self._warm_lock = threading.Lock()
        self.warm_runs = 0  # warm-ups run (tests)

    def _run(self, fn, args, kwargs):
        from gwstats.workspace import Workspace

        ws = Workspace(self.root)  # opened afresh on this thread: settings or catalog edited meanwhile are seen
        with self.shared.lock:
            self.shared.writes += 1  # a write under way: what the readers drop meanwhile is dropped again after
        try:
            return fn(ws, *args, **kwargs)
        finally:
            if "store" in ws.__dict__:
                ws.store.close()
            with self.shared.lock:
                self.shared.writes += 1
            self.warm()  # an import, unit list, revert or lock may have changed the store: warm the pages again

    def warm(self):
        """Compute what the pages keep (web/warm.py) on a reader thread in the background: at start and
        after every write. One at a time: asked for while one runs, one more runs after it (the store
        may have changed since it started); a page that needs a value under way waits for that same
        computation (web/kept.py)."""
        with self._warm_lock:
            if self._warming is not None and not self._warming.done():
                self._warm_again = True
                return
            self._warm_again = False
            try:
                self._warming = self.readers.submit(self._warm_once)
            except RuntimeError:  # shutting down
                self._warming = None

    def _warm_once(self):
        from gwstats.web.warm import warm_up

        self.warm_runs += 1
        try:
            self._run_read(lambda ws: warm_up(ws, _years(ws)[1]), (), {})
        except Exception:  # the pages compute it themselves and say what went wrong
            log.exception("gwstats ui: warm-up failed")
        finally:
            with self._warm_lock:
                again = self._warm_again
                if again:
                    self._warming = None
            if again:
                self.warm()

    def _files_key(self, ws=None) -> tuple:
        """What a kept Workspace was opened on: gwstats.toml, the catalog file it names, the store file."""
        from gwstats.workspace import CONFIG_NAME, STORE_NAME

        paths = [self.root / CONFIG_NAME, self.root / STORE_NAME]
        if ws is not None and ws.config.catalog_file:
            paths.append(self.root / ws.config.catalog_file)
        out = []
        for p in paths:
            try:
                st = p.stat()
                if p.name == STORE_NAME:  # replaced: another file. Not its time or size, which every checkpoint
                    # moves (a reader reopening would checkpoint in turn and drop what the others keep)
                    out.append((str(p), st.st_ino, st.st_dev))
                    continue
                out.append((str(p), st.st_mtime_ns, st.st_size, st.st_ino, st.st_dev))
            except OSError:
                out.append((str(p), None))
        return tuple(out)

    def _read_ws(self):
        """This reader thread's Workspace, kept while the settings files and the store file are the same."""
        from gwstats.web.kept import ReaderWorkspace

        held = getattr(self._local, "held", None)
        if held is not None and held[1] == self._files_key(held[0]):
            return held[0]
        self._local.held = None
        if held is not None and "store" in held[0].__dict__:
            held[0].store.close()
        ws = ReaderWorkspace(self.root, self.shared)
        ws.settings_key = self._files_key(ws)  # what it keeps is shared with Workspaces opened on the same files
        self._local.held = (ws, ws.settings_key)
        return ws

    def _run_read(self, fn, args, kwargs):
        ws = self._read_ws()
        try:
            return fn(ws, *args, **kwargs)
        except BaseException:  # a failed read keeps nothing it may have left half done
            self._local.held = None
            if "store" in ws.__dict__:
                ws.store.close()
            raise

    async def read(self, fn, *args, **kwargs):
        """Run ``fn(ws, *args, **kwargs)`` on a reader thread (beside other reads and the writer), with
        that thread's kept Workspace."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.readers, self._run_read, fn, args, kwargs)

    async def write(self, fn, *args, **kwargs):
        """Run ``fn(ws, *args, **kwargs)`` on the writer thread, after the writes queued before it."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.writer, self._run, fn, args, kwargs)

    def submit_read(self, fn, *args, **kwargs):
        """:meth:`read` without waiting (a background job): the ``concurrent.futures.Future`` of it."""
        return self.readers.submit(self._run_read, fn, args, kwargs)

    def submit_write(self, fn, *args, **kwargs):
        """:meth:`write` without waiting (a background job): queued behind the writes before it."""
        return self.writer.submit(self._run, fn, args, kwargs)

    def _setup(self, *args, **kwargs):
        from gwstats.workspace import Workspace

        ws = Workspace.setup(self.root, *args, **kwargs)
        ws.store.close()

    async def setup(self, name: str, year: int, units, **kwargs):
        """The first run: make the workspace at ``root`` (Workspace.setup) on the writer thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.writer, lambda: self._setup(name=name, year=year, units=units, **kwargs))

    def close(self):
        """End the threads: calls under way finish (an import is not cut off mid-write), queued ones are dropped."""
        self.jobs.stop()  # a product or zip under way ends at its next step; an import is finished
        for pool in (self.readers, self.writer):
            pool.shutdown(wait=True, cancel_futures=True)
        self.jobs.close()
        # the reader threads have ended: their Workspaces go with them, and their connections close


def _years(ws) -> tuple[list[int], int | None]:
    years = ws.store.years()
    default = ws.config.default_year
    if default is not None:
        default = int(default)
    if default is None:  # the workspace's own year (gwstats.toml) first, else the latest with data
        default = years[-1] if years else None
    shown = set(years) | ({default} if default else set())
    if shown:  # the next year too: a new year starts from the page, without typing ?year=
        shown.add(max(shown) + 1)
    shown = sorted(shown)
    return shown, default


def _top(ws) -> tuple[list[int], int | None, str]:
    return (*_years(ws), ws.config.organisation)


async def page_context(request: Request, active: str) -> dict:
    """What every page shows at the top: organisation, nav, the chosen year and the years to choose."""
    web: WebApp = request.app.state.web
    years, default, org = await web.read(_top)
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
        "user": auth.user_of(request),
    }


def render(request: Request, name: str, context: dict, status_code: int = 200):
    web: WebApp = request.app.state.web
    context.setdefault("csrf_token", csrf.token_for(request))
    context.setdefault("csrf_field", csrf.FIELD)
    response = web.templates.TemplateResponse(request, name, context, status_code=status_code)
    return csrf.set_cookie(request, response)

"""Long work of a page as a background job: the report, the workbook, the charts, the template zip.

A view starts a job (:meth:`Jobs.start`) and answers at once with the page that shows it; the job runs
on one of the app's threads (``web.write``'s writer thread for work that writes to the workspace, so
writes stay one at a time; a reader thread for work that only reads), and reports its progress (step i
of n and the step's words) through the ``progress`` callback it is given. The page polls
``/jobs/<id>`` (static/jobs.js) and, when the job is over, shows its result: the maker's own words,
the file to download, or the error in the same Chinese words the page would have shown. A job of a
kind already under way is joined by a second request (one report of a year at a time). Jobs are kept
in memory: a reload of the page shows the same job; the server stopping drops them.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
import time
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Route

log = logging.getLogger("gwstats.web")

KEPT = 50  # finished jobs kept for their pages (the oldest go first)
QUEUED = "排队等候：前面的工作完成后开始"


def failure_text(exc: BaseException) -> tuple[str, list]:
    """What the page says about a failure (app.py's error pages say the same): the message and its details."""
    from gwstats.core.errors import GwstatsError, os_reason

    if isinstance(exc, GwstatsError):  # an error naming a command has the page's words too
        return getattr(exc, "in_page", None) or exc.message, list(exc.details)
    if isinstance(exc, OSError):
        return f"无法读写“{exc.filename or ''}”：{os_reason(exc)}", []
    return (f"内部错误：{type(exc).__name__}。请把 gwstats 窗口（启动网页的黑色窗口）里显示的信息发给维护人员。", [])


class Stopped(Exception):
    """The server is stopping: a job that may be cut off ends at its next step."""


class Job:
    """One piece of long work: its title, where it stands, and how it ended."""

    def __init__(self, key: tuple, kind: str, title: str, page: str, *, stoppable: bool = True):
        self.id = secrets.token_urlsafe(12)
        self.key, self.kind, self.title, self.page = key, kind, title, page
        self.state = "queued"  # queued -> running -> done | failed
        self.step, self.steps, self.words = 0, 0, QUEUED
        self.result = None  # what the work returned (the page shows it)
        self.file: Path | None = None  # a file made outside the products folder, served by /jobs/<id>/file
        self.error, self.details = "", []
        self.exception: BaseException | None = None  # what went wrong (a view that waited raises it as before)
        self.started, self.finished = time.time(), None
        self.stoppable = stoppable  # False: never cut off (an import), the server waits for it when stopping
        self.stopping = threading.Event()
        self._lock = threading.Lock()

    def progress(self, step: int, steps: int, words: str):
        """Called by the work as it goes: step ``step`` of ``steps`` is under way, ``words`` say which.
        Raises :class:`Stopped` when the server is stopping and this job may be cut off."""
        if self.stoppable and self.stopping.is_set():
            raise Stopped()
        with self._lock:
            self.step, self.steps, self.words = step, steps, words

    @property
    def over(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def href(self) -> str:
        """The page that shows this job (and its result once over)."""
        return f"{self.page}{'&' if '?' in self.page else '?'}job={self.id}"

    @property
    def text(self) -> str:
        with self._lock:
            if self.state == "queued" or not self.steps:
                return self.words
            return f"{self.words} {self.step}/{self.steps}"

    def as_json(self) -> dict:
        with self._lock:
            step, steps = self.step, self.steps
        return {"id": self.id, "state": self.state, "title": self.title, "step": step, "steps": steps,
                "text": self.text, "over": self.over, "href": self.href, "error": self.error,
                "seconds": round((self.finished or time.time()) - self.started, 1)}


class Jobs:
    """The jobs of one app: started, joined, found by id, listed for a page."""

    def __init__(self):
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._scratch: Path | None = None

    def start(self, submit, kind: str, key: tuple, title: str, page: str, fn, *args, stoppable: bool = True) -> Job:
        """The job of ``key`` under way, or a new one running ``fn(ws, *args, progress=job.progress)``
        through ``submit`` (``web.submit_write`` / ``web.submit_read``). What ``fn`` returns is the
        result; a ``Path`` is a file to download (made in :meth:`folder`). ``stoppable``: the server
        stopping may end it at its next step (products, written whole or not at all); an import is not."""
        with self._lock:
            for job in self._jobs.values():
                if job.key == key and not job.over:
                    return job  # the same work asked for again: joined, not run twice
            job = Job(key, kind, title, page, stoppable=stoppable)
            self._jobs[job.id] = job
            self._forget_old()
        submit(self._run, job, fn, args)
        return job

    def _run(self, ws, job: Job, fn, args):
        from gwstats.core.errors import GwstatsError

        job.state = "running"
        try:
            job.progress(0, 0, "正在准备……")
            job.result = fn(ws, *args, progress=job.progress)
            if isinstance(job.result, Path):
                job.file = job.result
            job.state = "done"
            self._drop_files_before(job)
        except Stopped:
            job.error = "gwstats 已停止，这项工作没有做完。请重新启动后再生成。"
            job.state = "failed"
        except Exception as exc:  # said on the page, as the error pages say it
            if not isinstance(exc, (GwstatsError, OSError)):
                log.exception("gwstats ui: unexpected error in %s", job.title)
            job.error, job.details = failure_text(exc)
            job.exception = exc
            job.state = "failed"
        finally:
            job.finished = time.time()

    @staticmethod
    async def wait(job: Job, seconds: float) -> bool:
        """Wait up to ``seconds`` for ``job`` to be over (without holding up the event loop): whether it is.
        Short work is then answered in place, as before; longer work on its page with its progress."""
        import asyncio

        deadline = time.monotonic() + seconds
        while not job.over and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return job.over

    def folder(self) -> Path:
        """A new empty folder for one job's file, under this app's scratch folder (gone at :meth:`close`)."""
        with self._lock:
            if self._scratch is None:
                self._scratch = Path(tempfile.mkdtemp(prefix="gwstats-jobs-"))
        return Path(tempfile.mkdtemp(dir=self._scratch))

    def stop(self):
        """The server stopping: the jobs that may be cut off end at their next step (no waiting for a zip)."""
        with self._lock:
            for job in self._jobs.values():
                job.stopping.set()

    def close(self):
        """The app stopping (its threads have ended): the jobs' files go."""
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def _drop_files_before(self, job: Job):
        """A new file of the same work (the zip of a year made again): the earlier one goes (it may be large)."""
        if job.file is None:
            return
        with self._lock:
            older = [j for j in self._jobs.values() if j is not job and j.key == job.key and j.file is not None]
        for old in older:
            shutil.rmtree(old.file.parent, ignore_errors=True)
            old.file = None

    def _forget_old(self):
        over = sorted((j for j in self._jobs.values() if j.over), key=lambda j: j.finished or 0)
        for job in over[:max(0, len(over) - KEPT)]:
            self._jobs.pop(job.id, None)
            if job.file is not None:
                shutil.rmtree(job.file.parent, ignore_errors=True)

    def get(self, job_id: str | None) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id or "")

    def running(self, page_prefix: str) -> list[Job]:
        """The jobs not over whose page starts with ``page_prefix`` (``/outputs?year=2020``), oldest first."""
        with self._lock:
            return sorted((j for j in self._jobs.values() if not j.over and j.page.startswith(page_prefix)),
                          key=lambda j: j.started)

    def latest(self, page_prefix: str) -> Job | None:
        """The job of this page that ended well last (a page offering the file it made)."""
        with self._lock:
            done = [j for j in self._jobs.values() if j.state == "done" and j.page.startswith(page_prefix)]
        return max(done, key=lambda j: j.finished or 0, default=None)

    def shown(self, request: Request, page_prefix: str) -> tuple[Job | None, list[Job]]:
        """(the job the address names, if any; the other jobs of this page still under way)."""
        named = self.get(request.query_params.get("job"))
        if named is not None and not named.page.startswith(page_prefix):
            named = None  # another page's job (or another year's): not shown here
        return named, [j for j in self.running(page_prefix) if j is not named]


async def status(request: Request):
    """Where a job stands, for static/jobs.js (404 once the server has forgotten it)."""
    job = request.app.state.web.jobs.get(request.path_params["job"])
    if job is None:
        return JSONResponse({"error": "没有这项工作（服务器可能已重新启动），请重新生成。"}, status_code=404)
    return JSONResponse(job.as_json(), headers={"Cache-Control": "no-store"})


async def download(request: Request):
    """The file a finished job made (the template zip)."""
    from gwstats.core.errors import UsageError

    job = request.app.state.web.jobs.get(request.path_params["job"])
    if job is None or job.state != "done" or job.file is None or not job.file.is_file():
        raise UsageError("这个文件已经不在了（服务器可能已重新启动），请回到原来的页面重新生成。")
    return FileResponse(job.file, media_type="application/zip", filename=job.file.name)


routes = [Route("/jobs/{job}", status, methods=["GET"]), Route("/jobs/{job}/file", download, methods=["GET"])]

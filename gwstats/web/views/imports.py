"""导入: upload files (or a folder), a dry run first, then 确认导入; the per-file table of the CLI.

A large folder comes in parts (static/upload.js: at most ``CHUNK_FILES`` files a request): each part
is posted to ``/import/stage``, which adds it to one staged batch, and ``/import/check`` then runs one
dry run over the whole batch, as ``POST /import`` does for a small upload.

The dry run and the import run as background jobs on the writer thread (web/jobs.py): one over within
``INLINE_SECONDS`` is answered in place, as before; a longer one answers with the page showing its
progress (files read, checked or written, of how many), which shows the result when it is over.
"""

from __future__ import annotations

import json

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from gwstats.web import auth
from gwstats.web import csrf
from gwstats.web.pages import page_context, render
from gwstats.web.html_table import table

MAX_FILES = 1000  # one request (the page sends at most CHUNK_FILES)
CHUNK_FILES = 500  # files per request when the page sends a large folder in parts
MAX_BATCH_FILES = 20000  # files in one staged batch (one dry run)
MIN_TOTAL_MB = 200  # one request; each file also has import's own limit (max_file_mb)
OPTIONS = "options.json"  # beside a staged batch: the year chosen for returns without one
COLUMNS = ["文件", "结果", "单位", "年度", "口径", "数值个数", "提醒", "错误"]
INLINE_SECONDS = 5.0  # a dry run or import over by then is shown at once; a longer one on its progress page
GONE = "这批文件已经导入或已取消（找不到上传的文件），请重新上传。"


def _report(report) -> dict:
    rows = report.records()
    t = table(rows, COLUMNS)
    t["status"] = [f.status for f in report.files]
    return {"table": t, "summary": report.summary_line(), "has_rejections": report.has_rejections,
            "skipped": [f"{p.name}：{why}" for p, why in report.skipped],
            "can_confirm": any(f.status in ("accepted", "replaced") for f in report.files)}


def _in_words(progress):
    """The importer's progress (files done, of how many, 读取/检查/写入) as a job's step and words."""
    if progress is None:
        return None
    return lambda done, total, phase: progress(done, total, f"正在{phase}报表文件")


def _dry_run(ws, paths, year=None, progress=None):
    return _report(ws.import_paths(paths, dry_run=True, year=year, progress=_in_words(progress)))


def _check_job(ws, staging, batch, paths, year, progress=None) -> dict:
    """The dry run of a staged batch, as the page shows it; nothing of a failed dry run stays behind,
    and a batch whose every file is refused ends here (its uploads go)."""
    try:
        result = _dry_run(ws, paths, year, progress=progress)
    except BaseException:
        staging.drop(batch)
        raise
    if not result["can_confirm"]:
        staging.drop(batch)
    return {"result": result, "batch": batch, "dry_run": True}


def _import_job(ws, staging, batch, imported_by=None, progress=None) -> dict:
    result = _import(ws, staging, batch, imported_by, progress=progress)
    return {"error": GONE} if result is None else {"result": result, "dry_run": False}


def _import(ws, staging, batch, imported_by=None, progress=None) -> dict | None:
    """The confirmed import of a staged batch (None when it is gone: imported or cancelled meanwhile);
    the batch is dropped whatever happens. ``imported_by``: the colleague logged in (None: no login)."""
    folder = staging.batch_dir(batch)
    if folder is None:
        return None
    try:
        options = json.loads((folder / OPTIONS).read_text(encoding="utf-8")) if (folder / OPTIONS).is_file() else {}
        return _report(ws.import_paths(staging.files(folder), year=options.get("year"), imported_by=imported_by,
                                       progress=_in_words(progress)))
    finally:
        staging.drop(batch)


def _stage(ws, staging, uploads, year):
    """The uploaded files copied into a new batch folder, with the options the confirmation needs."""
    batch, folder = staging.new_batch()
    (folder / OPTIONS).write_text(json.dumps({"year": year}), encoding="utf-8")
    try:
        return batch, [staging.add(folder, n, up.filename, up.file) for n, up in enumerate(uploads)]
    except BaseException:
        staging.drop(batch)
        raise


def _stage_more(ws, staging, batch, uploads) -> int | None:
    """A further part of a large upload added to its batch: how many files the batch now has (None when
    the batch is gone or would grow past MAX_BATCH_FILES)."""
    folder = staging.batch_dir(batch)
    if folder is None:
        return None
    start = sum(1 for d in folder.iterdir() if d.is_dir())
    if start + len(uploads) > MAX_BATCH_FILES:
        return None
    try:
        for n, up in enumerate(uploads, start):
            staging.add(folder, n, up.filename, up.file)
    except BaseException:
        staging.drop(batch)
        raise
    return start + len(uploads)


def _staged(ws, staging, batch):
    folder = staging.batch_dir(batch)
    if folder is None:
        return None
    options = json.loads((folder / OPTIONS).read_text(encoding="utf-8")) if (folder / OPTIONS).is_file() else {}
    return staging.files(folder), options.get("year")


def _drop(ws, staging, batch):
    staging.drop(batch)


def _fallback_year(form, ctx) -> int | None:
    """The year chosen at the top, for returns that do not say their year (the CLI's --year)."""
    return ctx["year"] if form.get("year_fallback") == "1" and ctx["year"] else None


def _limit_mb(ws) -> float:
    return float(ws.config.max_file_mb)


async def page(request: Request):
    ctx = await page_context(request, "import")
    web = request.app.state.web
    ctx["max_mb"] = f"{await web.read(_limit_mb):g}"
    named, running = web.jobs.shown(request, "/import?")
    ctx["jobs"] = running if named is None or named.over else [named, *running]
    if named is not None and named.state == "failed":
        ctx["job_error"] = {"title": named.title, "message": named.error, "details": named.details}
    elif named is not None and named.state == "done":
        ctx.update(named.result)
    return render(request, "import.html", ctx)


async def _as_job(request: Request, ctx: dict, key: tuple, title: str, fn, *args):
    """``fn`` as a background job on the writer: answered in place when over within INLINE_SECONDS (an
    error as the error page, as before), else with its progress page."""
    web = request.app.state.web
    job = web.jobs.start(web.submit_write, "import", key, title, f"/import?year={ctx['year'] or ''}", fn, *args,
                         stoppable=False)
    if not await web.jobs.wait(job, INLINE_SECONDS):
        return RedirectResponse(job.href, status_code=303)
    if job.state == "failed":
        raise job.exception
    ctx.update(job.result)
    return render(request, "import.html", ctx, status_code=400 if "error" in job.result else 200)


async def upload(request: Request):
    web = request.app.state.web
    max_mb = await web.read(_limit_mb)
    total_mb = max(MIN_TOTAL_MB, 2 * max_mb)
    length = request.headers.get("content-length")
    ctx = await page_context(request, "import")
    ctx["max_mb"] = f"{max_mb:g}"
    if length is None or not length.isdigit() or int(length) > total_mb * 1024 * 1024:
        ctx["error"] = (f"一次上传的文件合计超过 {total_mb:g} MB（或大小不明），未接收。请分几次上传；"
                        f"单个报表文件的上限是 {max_mb:g} MB。")
        return render(request, "import.html", ctx, status_code=413)
    form = await request.form(max_files=MAX_FILES, max_fields=50)
    await csrf.verify(request)
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not uploads:
        ctx["error"] = "没有选择文件。请把报表文件（或文件夹）拖到框里，或点“选择文件”。"
        return render(request, "import.html", ctx, status_code=400)
    year = _fallback_year(form, ctx)
    try:  # files go into the workspace folder: a write (after any import under way)
        batch, paths = await web.write(_stage, web.staging, uploads, year)
    finally:
        for up in uploads:
            await up.close()
    return await _checked(request, ctx, batch, paths, year)


async def _checked(request: Request, ctx: dict, batch: str, paths, year):
    """The dry run of a staged batch, shown with 确认导入 / 取消 (on the writer too: it reads through the
    importer's one reader process, and sees the last import)."""
    web = request.app.state.web
    return await _as_job(request, ctx, ("import", "check", batch), f"正在检查上传的 {len(paths)} 个文件",
                         _check_job, web.staging, batch, paths, year)


async def stage(request: Request):
    """One part of a large upload (JSON for static/upload.js): the first part starts a batch, the next
    ones name it in ``batch``."""
    from starlette.responses import JSONResponse

    web = request.app.state.web
    max_mb = await web.read(_limit_mb)
    total_mb = max(MIN_TOTAL_MB, 2 * max_mb)
    length = request.headers.get("content-length")
    if length is None or not length.isdigit() or int(length) > total_mb * 1024 * 1024:
        return JSONResponse({"error": f"这一批文件合计超过 {total_mb:g} MB（或大小不明），未接收。"
                                      f"单个报表文件的上限是 {max_mb:g} MB。"}, status_code=413)
    form = await request.form(max_files=MAX_FILES, max_fields=50)
    await csrf.verify(request)
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    batch = form.get("batch")
    try:
        if not batch:
            ctx = await page_context(request, "import")
            batch, paths = await web.write(_stage, web.staging, uploads, _fallback_year(form, ctx))
            count = len(paths)
        else:
            count = await web.write(_stage_more, web.staging, batch, uploads)
    finally:
        for up in uploads:
            await up.close()
    if count is None:
        return JSONResponse({"error": f"这批文件已经取消或过期，或一次超过 {MAX_BATCH_FILES} 个文件。请重新上传。"},
                            status_code=400)
    return JSONResponse({"batch": batch, "files": count})


@csrf.protect
async def check(request: Request):
    """The dry run over every part of a large upload."""
    web = request.app.state.web
    batch = (await request.form()).get("batch")
    ctx = await page_context(request, "import")
    ctx["max_mb"] = f"{await web.read(_limit_mb):g}"
    staged = await web.write(_staged, web.staging, batch)
    if staged is None:
        ctx["error"] = GONE
        return render(request, "import.html", ctx, status_code=400)
    return await _checked(request, ctx, batch, *staged)


@csrf.protect
async def confirm(request: Request):
    web = request.app.state.web
    form = await request.form()
    batch = form.get("batch")
    ctx = await page_context(request, "import")
    ctx["max_mb"] = f"{await web.read(_limit_mb):g}"
    return await _as_job(request, ctx, ("import", "confirm", batch), "正在导入", _import_job, web.staging, batch,
                         auth.user_of(request))


@csrf.protect
async def cancel(request: Request):
    web = request.app.state.web
    await web.write(_drop, web.staging, (await request.form()).get("batch"))
    ctx = await page_context(request, "import")
    ctx["max_mb"] = f"{await web.read(_limit_mb):g}"
    ctx["notice"] = "已取消，上传的文件没有导入。"
    return render(request, "import.html", ctx)


routes = [
    Route("/import", page, methods=["GET"]),
    Route("/import", upload, methods=["POST"]),
    Route("/import/stage", stage, methods=["POST"]),
    Route("/import/check", check, methods=["POST"]),
    Route("/import/confirm", confirm, methods=["POST"]),
    Route("/import/cancel", cancel, methods=["POST"]),
]

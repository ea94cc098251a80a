"""成果: produce the workbook, the chart set and the Word report; download them; charts shown as images.

Products are written to ``<workspace>/成果/<year>/`` (the clerk finds them there too) and served
from that folder only. Each is made as a background job on the writer thread (web/jobs.py): the
button's POST answers at once with the page showing the job's progress, which shows the result
(the file to download, the errors it is held over, or what went wrong) when the job is over.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse
from starlette.routing import Route

from gwstats.render.gate import MOST_LISTED, error_line, open_errors
from gwstats.web import csrf
from gwstats.web.pages import page_context, render

OUT_DIR = "成果"
CHARTS_DIR = "图表"
MEDIA = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".png": "image/png", ".md": "text/markdown; charset=utf-8"}


def out_dir(ws, year: int) -> Path:
    return ws.root / OUT_DIR / str(year)


def _names(ws, year: int) -> dict:
    from gwstats.forms.template import safe_filename

    org = safe_filename(ws.config.organisation)  # 甲/乙 关工委 or a : ? " never make a folder or a bad name
    from gwstats.render.report import CHECKS_SUFFIX

    return {"workbook": f"{org}{year}年度汇总.xlsx", "report": f"{org}{year}年度统计分析.docx",
            # the office's 填报情况 and 数据核查, written beside the report as `report` does (not handed in)
            "checks": f"{org}{year}年度统计分析{CHECKS_SUFFIX}.docx",
            "return": f"{org}{year}年度报上级汇总表.xlsx", "filled": f"{org}{year}年度上级表格（已填）.xlsx"}


def _href(year: int, rel: str) -> str:
    return f"/outputs/{year}/" + quote(rel)


def listing(ws, year: int) -> dict:
    d = out_dir(ws, year)
    names = _names(ws, year)
    files = {}
    for key, name in names.items():
        p = d / name
        files[key] = {"name": name, "href": _href(year, name), "size": f"{p.stat().st_size / 1024:.0f} KB"} if p.is_file() else None
    charts_dir = d / CHARTS_DIR
    titles = _chart_titles(charts_dir / "index.md")
    charts = [{"name": titles.get(p.name, p.stem), "href": _href(year, f"{CHARTS_DIR}/{p.name}")}
              for p in sorted(charts_dir.glob("*.png"))] if charts_dir.is_dir() else []
    return {"files": files, "charts": charts, "folder": str(d)}


def _chart_titles(index: Path) -> dict[str, str]:
    """file name -> title, from the chart set's index.md (``1. [title](file.png)``)."""
    if not index.is_file():
        return {}
    found = re.findall(r"^\d+\. \[(.+)\]\(([^)]+\.png)\)$", index.read_text(encoding="utf-8"), re.M)
    return {name: title for title, name in found}


def _quiet(step: int, steps: int, words: str):
    """No one is watching the progress."""


def make_workbook(ws, year: int, progress=None):
    from gwstats.render.workbook import write_workbook

    progress = progress or _quiet
    progress(1, 4, "正在汇总数据")
    result = ws.rollup(year)
    progress(2, 4, "正在核查数据")
    checks = ws.check(year, unit=result.root)  # what write_workbook would check, one step of its own here
    progress(3, 4, "正在统计填报情况")
    status = ws.status(year, unit=result.root)
    progress(4, 4, "正在写入工作簿")
    write_workbook(ws, result, out_dir(ws, year) / _names(ws, year)["workbook"], status=status, checks=checks)
    return "已生成汇总工作簿。"


def make_charts(ws, year: int, progress=None):
    target = out_dir(ws, year) / CHARTS_DIR
    for old in target.glob("*.png") if target.is_dir() else ():
        old.unlink()  # the set as it is now, not mixed with an earlier one
    res = ws.charts(year, target, progress=progress)
    text = f"已生成 {len(res.files)} 张图表。"
    if res.skipped:
        text += "未生成：" + "；".join(f"{e}（{why}）" for e, why in res.skipped)
    return text


def make_report(ws, year: int, progress=None):
    names = _names(ws, year)
    ws.report(year, out_dir(ws, year) / names["report"], checks=out_dir(ws, year) / names["checks"], progress=progress)
    return "已生成统计分析报告，另有数据核查清单（填报情况和数据核查，供本单位核实，不随报告上报）。"


def make_return(ws, year: int, progress=None):
    (progress or _quiet)(1, 1, "正在生成报上级汇总表")
    info = ws.export_return(year, out_dir(ws, year) / _names(ws, year)["return"])
    return f"已生成报上级汇总表（{info.path.name}），可下载后报送上级。"


def fill_superior_form(ws, year: int, form: Path) -> dict:
    """``export --into``: the superior's own form filled with this workspace's totals."""
    res = ws.fill_form(year, form, out_dir(ws, year) / _names(ws, year)["filled"])
    return {"fill_lines": res.summary_lines(), "unmatched": [
        {"where": f"{s}!{c}", "label": label, "why": why} for s, c, label, why in res.unmatched]}


class Held:
    """A product not made: open data-check errors touch the figures it publishes (the page's gate, as
    ``report``/``charts``/``export`` exit 1 without --allow-errors)."""

    def __init__(self, kind: str, what: str, errors: list):
        self.kind, self.what = kind, what
        self.lines = [error_line(f) for f in errors[:MOST_LISTED]]
        self.more = max(0, len(errors) - MOST_LISTED)
        self.count = len(errors)


GATED = {"report": "统计分析报告", "charts": "图表", "return": "报上级汇总表"}
PRODUCTS = {"workbook": "汇总工作簿", **GATED}  # what each job makes, in its title


def make_gated(ws, year: int, kind: str, allow_errors: bool, progress=None):
    """The product, or :class:`Held` while open errors touch it and the clerk has not chosen to make
    it anyway (then every affected figure carries ※ and a note, as with --allow-errors)."""
    if kind in GATED and not allow_errors:
        (progress or _quiet)(0, 0, "正在查看数据核查有无未解决的错误")
        errors = open_errors(ws, year)
        if errors:
            return Held(kind, GATED[kind], errors)
    return MAKERS[kind](ws, year, progress=progress)


NOTICES: dict[str, str] = {}  # ?notice= codes the page may show (none yet: results are shown by the job's page)

MAKERS = {"workbook": make_workbook, "charts": make_charts, "report": make_report, "return": make_return}


def _page_of(year: int) -> str:
    return f"/outputs?year={year}"


def shown_jobs(ctx: dict, named, running: list):
    """The job the address names (its result once over: the words, the errors it is held over, or what
    went wrong) and the products still being made, into the page's context."""
    ctx["jobs"] = list(running)
    if named is None:
        return
    if not named.over:
        ctx["jobs"].insert(0, named)
    elif named.state == "failed":
        ctx["job_error"] = {"title": named.title, "message": named.error, "details": named.details}
    elif isinstance(named.result, Held):
        ctx["held"] = named.result
    else:
        ctx["notice"] = named.result


async def page(request: Request):
    ctx = await page_context(request, "outputs")
    ctx["notice"] = NOTICES.get(request.query_params.get("notice", ""), "")  # known codes only, never text from the address
    web = request.app.state.web
    if ctx["year"] is not None:
        ctx.update(await web.read(listing, ctx["year"]))
        shown_jobs(ctx, *web.jobs.shown(request, _page_of(ctx["year"])))
    return render(request, "outputs.html", ctx)


@csrf.protect
async def make(request: Request):
    """Start making a product (or join the one of the same kind under way): the page shows its progress."""
    kind = request.path_params["kind"]
    form = await request.form()
    year_text = str(form.get("year", ""))
    if kind not in MAKERS or not year_text.isdigit():
        return RedirectResponse("/outputs", status_code=303)
    allow = str(form.get("allow_errors", "")) == "1"
    year = int(year_text)
    web = request.app.state.web
    job = web.jobs.start(web.submit_write, kind, ("outputs", kind, year, allow), f"正在生成{PRODUCTS[kind]}",
                         _page_of(year), make_gated, year, kind, allow)
    return RedirectResponse(job.href, status_code=303)


def _find(ws, year: int, rel: str) -> Path | None:
    base = out_dir(ws, year).resolve()
    path = (base / rel).resolve()
    if base not in path.parents or not path.is_file() or path.suffix.lower() not in MEDIA:
        return None
    return path


async def download(request: Request):
    year = request.path_params["year"]
    rel = request.path_params["name"]
    path = await request.app.state.web.read(_find, year, rel)
    if path is None:
        from gwstats.core.errors import UsageError

        raise UsageError(f"没有这个成果文件：{rel}。请先在“成果”页生成。")
    inline = path.suffix.lower() == ".png"
    return FileResponse(path, media_type=MEDIA[path.suffix.lower()], filename=None if inline else path.name)


@csrf.protect
async def fill(request: Request):
    import tempfile

    from gwstats.core.errors import UsageError

    form = await request.form()
    year_text, upload = str(form.get("year", "")), form.get("form")
    if not year_text.isdigit():
        return RedirectResponse("/outputs", status_code=303)
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise UsageError("请选择上级下发的统计表格（.xlsx）")
    name = Path(upload.filename.replace("\\", "/")).name
    if not name.lower().endswith(".xlsx"):
        raise UsageError(f"上级表格“{name}”不是 .xlsx 文件")
    with tempfile.TemporaryDirectory(prefix="gwstats-form-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(await upload.read())
        result = await request.app.state.web.write(fill_superior_form, int(year_text), path)
    ctx = await page_context(request, "outputs")
    ctx["year"] = int(year_text)
    ctx.update(await request.app.state.web.read(listing, int(year_text)))
    ctx.update(result)
    return render(request, "outputs.html", ctx)


routes = [
    Route("/outputs", page, methods=["GET"]),
    Route("/outputs/fill", fill, methods=["POST"]),
    Route("/outputs/make/{kind}", make, methods=["POST"]),
    Route("/outputs/{year:int}/{name:path}", download, methods=["GET"]),
]

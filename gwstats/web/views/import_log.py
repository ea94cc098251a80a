"""导入记录: every import with its per-file results and refusal reasons (Workspace.import_log)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from gwstats.web.pages import page_context, render

COLUMNS = ["文件", "结果", "单位", "年度", "口径", "数值个数", "提醒", "错误"]


def _log(ws) -> dict:
    from gwstats.web.html_table import table

    return {"imports": [{"at": e.get("at", "").replace("T", " "), "by": e.get("by", ""), "summary": e.get("summary", ""),
                         "skipped": e.get("skipped", []), "table": table(e["files"], COLUMNS),
                         "refused": sum(1 for f in e["files"] if f.get("错误"))}
                        for e in ws.import_log(100)]}


async def page(request: Request):
    ctx = await page_context(request, "import_log")
    ctx.update(await request.app.state.web.read(_log))
    return render(request, "import_log.html", ctx)


routes = [Route("/import/log", page, methods=["GET"])]

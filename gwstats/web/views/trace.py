"""追溯: one figure down to its parts: units, files, sheets, cells, the raw text; originals to download."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Route

from gwstats.core.formatting import number_text
from gwstats.web.pages import page_context, render


def _cell(c, what: str, note: str = "") -> dict:
    value = number_text(c.value) if c.value is not None else ("不适用" if c.state == "na" else "未填")
    return {"what": what, "value": value, "note": note, "file": c.file, "sheet": c.sheet or "", "cell": c.cell or "",
            "raw": "" if c.raw is None else c.raw, "download": f"/file/{c.submission}"}


def _rows(node, depth: int, out: list):
    """The trace tree as indented rows (the same reading as `gwstats trace`)."""
    if node.missing:
        out.append({"depth": depth, "label": node.unit_name, "value": "未报", "cells": []})
        return
    leaf = not node.children and node.reported is None
    if leaf and node.own is not None:
        how = "汇总表，无下级单位，按本级计" if node.own.scope == "汇总" else ""
        out.append({"depth": depth, "label": node.unit_name, "value": number_text(node.own.value), "cells": [_cell(node.own, "本级", how)]})
        return
    label = f"{node.unit_name}：合计（已报 {node.coverage}{'，采用汇总表数' if node.source == 'reported' else ''}）"
    out.append({"depth": depth, "label": label, "value": number_text(node.total), "cells": []})
    if node.own is not None:
        cell = _cell(node.own, "本级", "已含在汇总表数中" if node.source == "reported" else "")
        out.append({"depth": depth + 1, "label": "本级", "value": cell["value"], "cells": [cell]})
    if node.reported is not None:
        what = "合计行填报" if node.reported.source == "total_row" else "汇总表填报"
        cell = _cell(node.reported, what, "代替计算数" if node.source == "reported" else "仅用于比对，不相加")
        out.append({"depth": depth + 1, "label": what, "value": cell["value"], "cells": [cell]})
    for ch in node.children:
        _rows(ch, depth + 1, out)


def _view(t) -> dict:
    rec = t.record
    view = {"unit_name": t.unit_name, "metric_name": t.metric_name, "year": t.year,
            "value": number_text(t.value, t.measure) if t.value is not None else "无数据",
            "coverage": rec["coverage"], "note": rec.get("note") or "", "rate": t.kind == "rate",
            "formula": "", "rows": [], "components": [], "history": []}
    if t.kind == "rate":
        view["formula"] = f"{number_text(rec['numerator'])} ÷ {number_text(rec['denominator'])}" + (" × 100%" if t.measure == "%" else "")
        view["components"] = [_view(c) for c in t.components]
        return view
    if t.tree is not None:
        for row in _rows_list(t.tree):
            row["indent"] = f"{row['depth'] * 1.6:.1f}em"
            view["rows"].append(row)
    for h in t.history:
        item = _cell(h, h.scope)
        item.update(when=h.received_at[:19].replace("T", " "), unit_name=h.unit_name,
                    state="在用" if h.in_force else "已被新版本取代")
        view["history"].append(item)
    return view


def _rows_list(tree) -> list:
    out: list = []
    _rows(tree, 0, out)
    return out


async def page(request: Request):
    ctx = await page_context(request, "rollup")
    q = request.query_params
    t = await request.app.state.web.read(lambda ws: ws.trace(ctx["year"] or ws.year_or_default(None), q.get("unit", ""), q.get("metric", "")))
    ctx["trace"] = _view(t)
    return render(request, "trace.html", ctx)


async def original(request: Request):
    raw = request.path_params["submission"]
    name, path = await request.app.state.web.read(lambda ws: ws.original_file(raw))
    return FileResponse(path, filename=name)


routes = [Route("/trace", page), Route("/file/{submission:int}", original)]

"""追溯: one figure down to its parts: units, files, sheets, cells, the raw text; originals to download.

A figure of more than BIG_UNITS units (a province's, a big city's) opens down to the counties
(analysis/brief.BRIEF_DEPTH levels); each unit there links to its own 追溯 (issue 23: the province's
page was 44 MB and 19 s)."""

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


def _rows(node, depth: int, out: list, cut=None):
    """The trace tree as indented rows (the same reading as `gwstats trace`); ``cut(node, depth)``: the
    node's own 追溯 link when the page stops opening the tree there."""
    if node.missing:
        out.append({"depth": depth, "label": node.unit_name, "value": "未报", "cells": []})
        return
    leaf = not node.children and node.reported is None
    if leaf and node.own is not None:
        how = "汇总表，无下级单位，按本级计" if node.own.scope == "汇总" else ""
        out.append({"depth": depth, "label": node.unit_name, "value": number_text(node.own.value), "cells": [_cell(node.own, "本级", how)]})
        return
    label = f"{node.unit_name}：合计（已报 {node.coverage}{'，采用汇总表数' if node.source == 'reported' else ''}）"
    out.append({"depth": depth, "label": label, "value": number_text(node.total), "cells": [],
                "expand": cut(node, depth) if cut is not None else None})
    if node.own is not None:
        cell = _cell(node.own, "本级", "已含在汇总表数中" if node.source == "reported" else "")
        out.append({"depth": depth + 1, "label": "本级", "value": cell["value"], "cells": [cell]})
    if node.reported is not None:
        what = "合计行填报" if node.reported.source == "total_row" else "汇总表填报"
        cell = _cell(node.reported, what, "代替计算数" if node.source == "reported" else "仅用于比对，不相加")
        out.append({"depth": depth + 1, "label": what, "value": cell["value"], "cells": [cell]})
    for ch in node.children:
        _rows(ch, depth + 1, out, cut)


def _view(t, cut=None) -> dict:
    rec = t.record
    view = {"unit_name": t.unit_name, "metric_name": t.metric_name, "year": t.year,
            "value": number_text(t.value, t.measure) if t.value is not None else "无数据",
            "coverage": rec["coverage"], "note": rec.get("note") or "", "rate": t.kind == "rate",
            "formula": "", "rows": [], "components": [], "history": []}
    if t.kind == "rate":
        view["formula"] = f"{number_text(rec['numerator'])} ÷ {number_text(rec['denominator'])}" + (" × 100%" if t.measure == "%" else "")
        view["components"] = [_view(c, cut) for c in t.components]
        return view
    if t.tree is not None:
        for row in _rows_list(t.tree, cut):
            row["indent"] = f"{row['depth'] * 1.6:.1f}em"
            view["rows"].append(row)
    for h in t.history:
        item = _cell(h, h.scope)
        item.update(when=h.received_at[:19].replace("T", " "), unit_name=h.unit_name,
                    state="在用" if h.in_force else "已被新版本取代")
        view["history"].append(item)
    return view


def _rows_list(tree, cut=None) -> list:
    out: list = []
    _rows(tree, 0, out, cut)
    return out


def _traced(ws, year: int | None, unit: str, metric: str) -> dict:
    """The page's view of the trace; a big unit's opened BRIEF_DEPTH levels down, its units there linked."""
    from urllib.parse import urlencode

    from gwstats.analysis import brief

    year = year or ws.year_or_default(None)
    tree = ws.tree()
    code = unit if unit in tree.index else ws.resolve_unit(unit)
    depth = brief.BRIEF_DEPTH if brief.is_big(tree, code) else None
    t = ws.trace(year, code, metric, max_depth=depth)

    def cut(node, d: int):
        if depth is None or d < depth:
            return None
        s = tree.subtree(tree.index[node.unit])
        if s.stop - s.start <= 1:
            return None
        return "/trace?" + urlencode({"year": year, "unit": node.unit, "metric": metric})

    view = _view(t, cut)
    if depth is not None:
        s = tree.subtree(tree.index[code])
        view["brief"] = f"{t.unit_name}下有 {s.stop - s.start - 1:,} 个单位，这里展开到下 {depth} 级；点“展开”看其中一个单位的来源。"
    return view


async def page(request: Request):
    ctx = await page_context(request, "rollup")
    q = request.query_params
    ctx["trace"] = await request.app.state.web.read(_traced, ctx["year"], q.get("unit", ""), q.get("metric", ""))
    return render(request, "trace.html", ctx)


async def original(request: Request):
    raw = request.path_params["submission"]
    name, path = await request.app.state.web.read(lambda ws: ws.original_file(raw))
    return FileResponse(path, filename=name)


routes = [Route("/trace", page), Route("/file/{submission:int}", original)]

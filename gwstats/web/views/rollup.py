"""汇总: the rollup table (by level/unit, one metric group at a time) with 比上年 and coverage;
every figure links to its trace. On a big hierarchy whose rollup is not kept yet (the warm-up computes
it, web/warm.py) the page answers at once with 正在汇总…… and the table follows (static/later.js)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.routing import Route

from gwstats.web.kept import big_list
from gwstats.web.pages import page_context, render


def _int(text):
    return int(text) if text and text.isdigit() else None


def rollup_table(ws, year: int, group: str | None, level: int | None, unit: str | None) -> dict:
    from gwstats.render.rollup_table import change_word, column_title, fmt_change, fmt_value, table_notes

    groups = ws.catalog.groups()
    group = group if group in groups else (groups[0] if groups else None)
    res = ws.rollup(year, unit=unit or None, level=level, metrics=[group] if group else None)
    recs = res.records()
    # like the console table: a metric without a figure in any row (nor last year) is left out
    keep = {r["metric"] for r in recs if r["value"] is not None or r["prev_value"] is not None}
    recs = [r for r in recs if r["metric"] in keep]
    metrics = list(dict.fromkeys(r["metric"] for r in recs))
    head = {}
    rows: dict[str, dict] = {}
    for r in recs:
        head.setdefault(r["metric"], column_title(r))
        is_total = r.get("row", "单位") == "合计"
        is_unit = r.get("row", "单位") in ("单位", "合计")  # not the remainder row (no unit to trace)
        coverage = r["coverage"] if r["expected"] or r.get("row", "单位") == "单位" else ""
        row = rows.setdefault(r["unit"], {"name": "合计" if is_total else r["unit_name"], "unit": r["unit"],
                                          "coverage": coverage, "total": is_total, "cells": [], "notes": []})
        value = fmt_value(r["value"], r["kind"], r["measure"])
        row["cells"].append({
            "value": ("约" if r["approx"] and value else "") + value,
            "change": fmt_change(r) if res.compare_year is not None else "",
            "href": "/trace?" + urlencode({"year": year, "unit": r["unit"], "metric": r["metric"]})
                    if value and is_unit else None,
            "parts": f"{fmt_value(r['numerator'], 'count')} ÷ {fmt_value(r['denominator'], 'count')}"
                     if r["kind"] == "rate" and r["numerator"] is not None else "",
            "reported": r["source"] == "reported",
        })
        if r["note"]:
            row["notes"].append(f"{r['metric_name']}：{r['note']}")
    levels = sorted({int(x) for x in res.tree.level})
    from gwstats.analysis.brief import BRIEF_DEPTH, is_big

    if is_big(res.tree, res.root):  # a province: the levels down to the counties; a unit's box reaches below
        top = int(res.tree.level[res.tree.index[res.root]])
        levels = [x for x in levels if x <= top + BRIEF_DEPTH or x == level]
    for row in rows.values():  # one note per distinct text (coverage notes repeat per metric)
        seen = dict.fromkeys(n.split("：", 1)[1] for n in row["notes"])
        row["notes"] = "；".join(seen)
    return {
        "groups": groups, "group": group, "levels": levels, "level": level, "unit": unit or "",
        "columns": [head[m] for m in metrics], "rows": list(rows.values()),
        "compare_year": res.compare_year, "root_name": res.tree.names[res.tree.index[res.root]],
        "has_data": bool(res.frame.data.has_sub.any()), "change_word": change_word(res) if res.compare_year else "",
        "table_notes": table_notes(res),
    }


def is_kept(ws, year: int) -> bool:
    """Whether the page can answer at once: a small hierarchy, or the year's rollup totals kept (the
    warm-up's, web/warm.py; they serve any unit, level and group)."""
    if not big_list(ws):
        return True
    trees = ws.kept_of("tree")  # the rollup is kept only with the tree it was computed on
    return bool(trees) and any(k[1] == year and k[3] == "computed" and k[4] == id(trees[0][1])
                               for k, _ in ws.kept_of("rollup"))


async def page(request: Request):
    from gwstats.web.kept import has_units
    from gwstats.web.later import later_url

    ctx = await page_context(request, "rollup")
    q = request.query_params
    if ctx["year"] is None:
        ctx["empty"] = True
        return render(request, "rollup.html", ctx)
    web = request.app.state.web
    if q.get("wait") != "1" and await web.read(has_units) and not await web.read(is_kept, ctx["year"]):
        ctx["later"] = later_url(request)  # a province not yet summed up: the page now, the table to follow
        return render(request, "rollup.html", ctx)
    ctx.update(await request.app.state.web.read(rollup_table, ctx["year"], q.get("group"), _int(q.get("level")),
                                                q.get("unit")))
    return render(request, "rollup.html", ctx)


routes = [Route("/rollup", page)]

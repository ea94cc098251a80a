"""校验: the findings of `gwstats check`, filtered by severity and unit. On a big hierarchy whose check
is not kept yet (the warm-up computes it, web/warm.py) the default view answers at once with 正在校验……
and the findings follow (static/later.js)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from gwstats.web.kept import big_list, has_units
from gwstats.web.pages import page_context, render
from gwstats.web.html_table import table
from gwstats.web.paging import matches, page_number, paged

SEVERITIES = (("error", "错误"), ("warning", "提醒"), ("info", "说明"))


def _checks(ws, year: int, severity: str | None, unit: str | None, q: str = "", page: int = 1,
            show_all: bool = False) -> dict:
    """The findings of one page: filtered by severity, unit and the search words, PER_PAGE at a time. On
    a province (analysis/brief.py) the default is what a clerk reads first: every error and the 提醒 of
    the units down to the counties; a search, a unit or ``all`` reaches every finding."""
    from gwstats.analysis import brief
    from gwstats.analysis.checks import CheckResult
    from gwstats.core.findings import label

    if not has_units(ws):
        return {"no_units": True}
    tree = ws.tree()
    default = not (q or unit or show_all)
    # the default view of a province: the brief check (the 提醒 below the counties counted, not built)
    res = ws.check(year, unit=unit or None, brief=default and big_list(ws))
    findings, left_out = res.findings, res.left_out or {}
    if res.left_out is None and brief.is_big(tree, res.root) and default:
        findings, left_out = brief.check_findings(findings, tree, res.root)
    findings = [f for f in findings if (not severity or f.severity == severity) and
                matches(q, f.extra.get("unit_name"), f.extra.get("unit"), f.extra.get("metric_name"), f.message,
                        label(f.code))]
    shown, pager = paged(findings, page, {"year": year, "severity": severity, "unit": unit, "q": q,
                                          "all": "1" if show_all else ""})
    near = brief.near(tree, res.root) if brief.is_big(tree, res.root) else range(tree.n)
    units = [(tree.codes[i], tree.names[i]) for i in near]  # a province: down to the counties; the search finds the rest
    if unit and unit not in {c for c, _ in units} and unit in tree.index:
        units.append((unit, tree.names[tree.index[unit]]))
    return {"findings": table(CheckResult(res.year, res.root, shown).display_rows()),
            "severity_of": [f.severity for f in shown], "pager": pager,
            "left_out": "、".join(f"{name} {n:,} 条" for name, n in sorted(left_out.items(), key=lambda kv: -kv[1])),
            "summary": res.summary_line(), "has_returns": res.has_returns,
            "counts": {k: res.count(k) for k, _ in SEVERITIES}, "unit_choices": units}


def _is_kept(ws, year: int) -> bool:
    """Whether the default view can answer at once: a small hierarchy, or its check kept (the warm-up's)."""
    if not big_list(ws):
        return True
    return any(key == (kind, year, None) for kind in ("check", "check-brief") for key, _ in ws.kept_of(kind))


async def page(request: Request):
    ctx = await page_context(request, "checks")
    q = request.query_params
    severity = q.get("severity") if q.get("severity") in dict(SEVERITIES) else ""
    words = (q.get("q") or "").strip()[:100]
    show_all = q.get("all") == "1"
    ctx.update(severities=SEVERITIES, severity=severity, unit=q.get("unit", ""), q=words, show_all=show_all)
    web = request.app.state.web
    default = not (words or q.get("unit") or show_all)
    if (ctx["year"] is not None and default and q.get("wait") != "1" and await web.read(has_units)
            and not await web.read(_is_kept, ctx["year"])):
        from gwstats.web.later import later_url

        ctx["later"] = later_url(request)  # a province not yet checked: the page now, the findings to follow
        return render(request, "checks.html", ctx)
    if ctx["year"] is not None:
        ctx.update(await request.app.state.web.read(_checks, ctx["year"], severity, q.get("unit"), words,
                                                    page_number(q.get("page")), show_all))
    return render(request, "checks.html", ctx)


routes = [Route("/checks", page)]

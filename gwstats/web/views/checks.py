"""校验: the findings of `gwstats check`, filtered by severity and unit."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from gwstats.web.pages import page_context, render
from gwstats.web.html_table import table

SEVERITIES = (("error", "错误"), ("warning", "提醒"), ("info", "说明"))


def _checks(ws, year: int, severity: str | None, unit: str | None) -> dict:
    if not ws.store.load_units():
        return {"no_units": True}
    res = ws.check(year, unit=unit or None)
    rows = res.display_rows()
    kept = [(f, r) for f, r in zip(res.findings, rows) if not severity or f.severity == severity]
    units = [(u.code, u.name) for u in ws.store.load_units()]
    return {"findings": table([r for _f, r in kept]), "severity_of": [f.severity for f, _r in kept],
            "summary": res.summary_line(), "has_returns": res.has_returns,
            "counts": {k: res.count(k) for k, _ in SEVERITIES}, "unit_choices": units}


async def page(request: Request):
    ctx = await page_context(request, "checks")
    q = request.query_params
    severity = q.get("severity") if q.get("severity") in dict(SEVERITIES) else ""
    ctx.update(severities=SEVERITIES, severity=severity, unit=q.get("unit", ""))
    if ctx["year"] is not None:
        ctx.update(await request.app.state.web.read(_checks, ctx["year"], severity, q.get("unit")))
    return render(request, "checks.html", ctx)


routes = [Route("/checks", page)]

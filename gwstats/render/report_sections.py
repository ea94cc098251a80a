"""The report's summary sections, from the rollup records (nothing is recomputed here):
the headline figures of 总体情况, 主要亮点 (largest increases, units first, targets met) and 存在问题
(units below target, units not reported, check findings in plain words)."""

from __future__ import annotations

from collections import Counter

from gwstats.core.findings import label
from gwstats.core.formatting import fixed
from gwstats.forms.export import NAME_FROM_UNITS_NOTE, organisation_named  # noqa: F401 (used by report.py)
from gwstats.render import wording as W

MOST_NAMED = 5  # units named in one clause before 等N个单位


def _has(rec) -> bool:
    return bool(rec) and rec.get("value") is not None


def headline_codes(cat, root_recs: dict) -> list[str]:
    """The first metric with a figure in each group, in catalog order."""
    out = []
    for g in cat.groups():
        for m in cat.metrics_in_group(g):
            if _has(root_recs.get(m.code)):
                out.append(m.code)
                break
    return out


def headline_sentence(cat, root_recs: dict, scope: str, prefix: str) -> str:
    """``全市共有关工委组织218个，比上年增加9个；五老志愿者2503人，…。``"""
    said: set = set()
    clauses = [W.value_clause(root_recs[c], prefix, said) for c in headline_codes(cat, root_recs)]
    for ind in cat.indicators.values():
        rec = root_recs.get(ind.code)
        if ind.target is not None and _has(rec):
            clauses.append(W.rate_clause(rec, lead=rec["metric_name"], prefix=prefix, said=said))
    if not clauses:
        return ""
    return W.once(scope + "；".join(clauses) + "。")


def _names(names: list[str]) -> str:
    shown = "、".join(W.short_unit(n) for n in names[:MOST_NAMED])
    return shown + (f"等{len(names)}个单位" if len(names) > MOST_NAMED else "")


def _unit_values(res, by_key, code: str) -> list[tuple[str, object]]:
    """(name, value) of the listed units (no 本级/其他 remainder, no 合计) that gave ``code``."""
    out = []
    for u in res.listed_keys:
        if u == res.root or (res.extra is not None and u == res.extra.key):
            continue
        rec = by_key.get((u, code)) or {}
        if rec.get("value") is not None:
            out.append((res.row_name(u), rec["value"]))
    return out


def error_note(check) -> str:
    """Under the overview of a report written over open errors: each one, unit, metric and cell."""
    from gwstats.render.gate import error_note as note

    return note([f for f in check.findings if f.severity == "error"])


def highlights(cat, res, by_key, root_recs: dict, prefix: str, check=None) -> list[str]:
    """Sentences for 主要亮点: never built on a figure with an error or a 同比异常 finding."""
    from gwstats.render.gate import flagged

    bad = flagged(check.findings if check is not None else [], cat)
    bad_metrics = {m for _u, m in bad}
    by_key = {k: v for k, v in by_key.items() if k not in bad}
    root_recs = {c: r for c, r in root_recs.items() if c not in bad_metrics}
    out = []
    # largest increases, relative, over figures that had a value last year
    rising = []
    for code, rec in root_recs.items():
        if not _has(rec) or rec.get("kind") == "rate" or not rec.get("change") or rec["change"] <= 0:
            continue
        if rec.get("change_pct") is None or rec.get("comparable"):
            continue  # an increase on the comparable basis only would contradict last year's published total
        rising.append((float(rec["change_pct"]), rec))
    rising.sort(key=lambda t: -t[0])
    if rising:
        parts = [f"{rec['metric_name']}{W.comparable_change(rec, prefix)}（增长{fixed(pct, 1)}%）"
                 for pct, rec in rising[:3]]
        basis = "（按可比口径，只比较两年都填报了该项的单位）" if any(r.get("comparable") for _p, r in rising[:3]) else ""
        out.append(f"增幅较大的有{basis}：" + "；".join(parts) + "。")
    # units first on each headline figure
    firsts = []
    for code in headline_codes(cat, root_recs):
        vals = _unit_values(res, by_key, code)
        if len(vals) < 2:
            continue
        top = max(v for _, v in vals)
        names = [n for n, v in vals if v == top]
        rec = root_recs[code]
        shown = W.number(top, rec.get("measure", ""), rec.get("kind", "count"))
        firsts.append(f"{rec['metric_name']}最多的是{_names(names)}（{shown}）")
    if firsts:
        out.append("；".join(firsts) + "。")
    # targets met
    met = []
    for ind in cat.indicators.values():
        rec = root_recs.get(ind.code)
        if ind.target is None or not _has(rec):
            continue
        vals = _unit_values(res, by_key, ind.code)
        reached = [n for n, v in vals if float(v) >= ind.target]
        target = W.rate(ind.target, ind.display)
        whole = "，总体达到目标" if float(rec["value"]) >= ind.target else ""
        if vals:
            met.append(f"{ind.name}{W.rate(rec['value'], ind.display)}{whole}，"
                       f"{len(vals)}个单位中{len(reached)}个达到{target}的目标")
    if met:
        out.append("；".join(met) + "。")
    return out


def _reported_below(res, unit: str) -> int:
    try:
        return res.coverage(unit)[0]
    except Exception:  # a unit outside the result's tree: nothing known below it
        return 0


def problems(cat, res, by_key, root_recs: dict, status, check) -> list[str]:
    """Sentences for 存在问题."""
    out = []
    for ind in cat.indicators.values():
        if ind.target is None or not _has(root_recs.get(ind.code)):
            continue
        below = [n for n, v in _unit_values(res, by_key, ind.code) if float(v) < ind.target]
        if below:
            out.append(f"{ind.name}低于{W.rate(ind.target, ind.display)}目标的有{_names(below)}。")
    if status is not None:
        # 未报 = no return for the year. A unit without its own return whose subordinates reported is
        # not "not counted": their figures are in every table; a unit covered by a superior's 汇总 is
        # not missing at all (status leaves it out).
        none, own_only = [], []
        for r in status.missing_rows:
            below = _reported_below(res, r["unit"])
            (own_only if below else none).append(r["unit_name"])
        if none:
            out.append(f"未报送报表的有{_names(none)}，其数据未计入本报告。")
        if own_only:
            out.append(f"{_names(own_only)}本级未报送报表，其下属单位已报，下属单位的数据已计入本报告。")
    if check is not None and check.findings:
        kinds = Counter(label(f.code) for f in check.findings)
        listed = "、".join(f"{k}{n}处" for k, n in kinds.most_common())
        out.append(f"数据核查发现{listed}，明细见附表2，请有关单位核实更正。")
    if not out:
        out.append("本年度各单位均已报送，未发现低于目标的指标和需要核实的数据。")
    return out

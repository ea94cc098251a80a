"""Checks about the basis of figures: rates given in part, changes that come from non-reporting,
returns of units that are not active in the year.

Run by gwstats/checks.py over the same rollup; each adds findings through the checker's ``add``.
"""

from __future__ import annotations

import numpy as np

from gwstats.analysis.result import unit_names_text
from gwstats.store.db import from_micro
from gwstats.core.formatting import number_text


def rate_parts(ck):
    """A unit that gives a rate's numerator (or another part) without the rest: the rate leaves it out."""
    f, cat = ck.f, ck.cat
    for code, it in f.indicators.items():
        if it.own_partial is None:
            continue
        idx = np.flatnonzero(it.own_partial & ck.in_scope)
        ind = cat.indicators[code]
        idx = idx[: ck.room("rate-part-missing", "warning", idx.size)]
        for i in idx[ck.listed(idx, "warning", "rate-part-missing")]:
            i = int(i)
            stood = f.stood_in[i]  # a 汇总 standing in for some parts (subordinates silent): its figures
            given = [n for n in it.names if f.data.own_has[i, ck.col[n]] or stood[ck.col[n]]]
            missing = [n for n in it.names if n not in given]
            shown = "、".join(f"{cat.label_of(n)} {number_text(from_micro((f.data.rep if stood[ck.col[n]] else f.data.own)[i, ck.col[n]]))}"
                              for n in given)
            msg = (f"{ck.name(i)}：填了{shown}，未填{'、'.join(cat.label_of(n) for n in missing)}；"
                   f"{ind.name}未计入该单位，请补填")
            ck.add("warning", "rate-part-missing", msg, i, given[0], ck.locate(i, given[0], ck.own_scope(i)))


def comparable_changes(ck):
    """A total whose change on the comparable basis and whose plain change differ in sign or by more
    than the jump threshold: the plain difference of the totals would mislead."""
    rr = ck.rr
    if rr.prev is None or rr.cx is None:
        return
    f, p, c = rr.frame, rr.prev, rr.cx
    n = ck.tree.n
    rows = (ck.tree.size > 1) & ck.in_scope
    has = (f.count > 0) & (p.count > 0) & (c.both[:n] > 0)
    differs = (c.only_cur[:n] > 0) | (c.only_prev[:n] > 0)
    cand = has & differs & rows[:, None]
    if not cand.any():
        return
    ii, jj = np.nonzero(cand)  # only the candidates: no float copies of the whole matrices
    raw = f.total[ii, jj].astype(np.float64) - p.total[ii, jj].astype(np.float64)
    comp = c.cur[ii, jj].astype(np.float64) - c.prev[ii, jj].astype(np.float64)
    gap = np.abs(raw - comp) / 1e6
    base = np.abs(c.prev[ii, jj].astype(np.float64)) / 1e6
    with np.errstate(divide="ignore", invalid="ignore"):
        big = (gap >= ck.cfg.jump_absolute - 1e-9) & (np.where(base > 0, gap / base, np.inf) > ck.cfg.jump_relative)
    flag = (np.sign(raw) != np.sign(comp)) | big
    pairs = np.column_stack((ii[flag], jj[flag]))
    py = rr.compare_year
    pairs = pairs[: ck.room("comparable-change", "warning", len(pairs))]
    for i, j in pairs[ck.listed(pairs[:, 0], "warning", "comparable-change")]:
        i, j = int(i), int(j)
        metric = ck.codes[j]
        prev_v, cur_v = from_micro(p.total[i, j]), from_micro(f.total[i, j])
        comp_d = from_micro(c.cur[i, j] - c.prev[i, j])
        gone = unit_names_text(rr._left_out(i, c.own_only_prev[:, j]))
        new = unit_names_text(rr._left_out(i, c.own_only_cur[:, j]))
        who = "；".join(x for x in (f"{gone}本年未填" if gone else "", f"{new}{py}年未填" if new else "") if x)
        msg = (f"{ck.name(i)}：{ck.cat.label_of(metric)}合计 {py} 年 {number_text(prev_v)}、本年 {number_text(cur_v)}，"
               f"直接相减为 {number_text(cur_v - prev_v)}，按可比口径为 {number_text(comp_d)}（{who}）；报告按可比口径表述")
        ck.add("warning", "comparable-change", msg, i, metric, None, raw_change=cur_v - prev_v, comparable_change=comp_d)


def inactive_returns(ck):
    """A return of a unit that is not active in the year (dissolved, merged, not yet founded): not counted."""
    f = ck.f
    if f.dropped is None:
        return
    idx = np.flatnonzero(f.dropped & ck.in_scope)
    t = ck.tree
    for i in idx[: ck.room("inactive-return", "warning", idx.size)]:
        i = int(i)
        span = []
        if t.active_from[i] > -(10**8):
            span.append(f"自 {int(t.active_from[i])} 年起")
        if t.active_to[i] < 10**8:
            span.append(f"至 {int(t.active_to[i])} 年止")
        msg = (f"{ck.name(i)}：单位名单中该单位{'、'.join(span) or ''}有效，{ck.year} 年不在其中，"
               f"其 {ck.year} 年报表未计入汇总（如单位仍在，请修改单位名单的启用/停用年度）")
        ck.add("warning", "inactive-return", msg, i)


def row_totals_beside_returns(ck):
    """A 合计 row of a unit that also sent a real 汇总 return: checked against the rows it adds up."""
    d = ck.f.data
    if d.row_total_has is None:
        return
    comp, ccount = ck.f.computed, ck.f.computed_count
    below = comp - np.where(d.own_has, d.own, 0)
    cand = d.row_total_has & ck.in_scope[:, None] & ((ccount == 0) | (below != d.row_total))
    for i, j in np.argwhere(cand):
        i, j = int(i), int(j)
        metric = ck.codes[j]
        got = from_micro(d.row_total[i, j])
        want = from_micro(below[i, j]) if ccount[i, j] else None
        msg = f"{ck.name(i)}：合计行“{ck.cat.label_of(metric)}”为 {number_text(got)}，各单位相加为 {number_text(want)}"
        ck.add("error", "total-row-mismatch", msg, i, metric, None, reported=got, computed=want)


def scope_from_figures(ck):
    """Returns without 口径 from units with subordinates: read as 汇总 from the figures (a note), or
    an error naming the file and both readings where the figures fit neither."""
    d, f = ck.f.data, ck.f
    for flag, severity in ((d.scope_read, "info"), (d.scope_unsure, "error")):
        if flag is None:
            continue
        for i in np.flatnonzero(flag & ck.in_scope):
            i = int(i)
            values = d.rep if severity == "info" else d.own
            has = d.rep_has if severity == "info" else d.own_has
            below = f.computed[i] - (np.where(d.own_has[i], d.own[i], 0))
            cols = [j for j in np.flatnonzero(has[i]) if f.computed_count[i, j] > int(d.own_has[i, j])]
            if not cols:
                continue
            short = [j for j in cols if values[i, j] < below[j]]
            j = int((short or cols)[0])
            metric = ck.codes[j]
            mine, kids = from_micro(values[i, j]), from_micro(below[j])
            name = ck.cat.label_of(metric)
            if severity == "info":
                msg = (f"{ck.name(i)}：报表没有填写口径，各项均不小于已报下级单位之和（如{name} {number_text(mine)}，"
                       f"下级合计 {number_text(kids)}），按“汇总”（含下级）对待，未重复相加")
                ck.add("info", "scope-read", msg, i, metric, ck.locate(i, metric, "汇总"), reported=mine, below=kids)
            else:
                msg = (f"{ck.name(i)}：报表没有填写口径，无法判断：{name}按“本级”读为 {number_text(mine)}，合计 "
                       f"{number_text(mine + kids)}；按“汇总”读则合计为 {number_text(mine)}，但小于已报下级单位之和 {number_text(kids)}。"
                       f"暂按“本级”计入；请向该单位核实后在表头注明“口径：本级”或“口径：汇总”重新导入")
                ck.add("error", "scope-unsure", msg, i, metric, ck.locate(i, metric, "本级"),
                       as_own=mine + kids, as_total=mine, below=kids)

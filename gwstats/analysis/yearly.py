"""Year over year: a unit's own figure that jumped from last year's, and a total that fell while every
child rose (checks 5 and 6 of analysis/checks.py). 提醒 only, so the errors-only check (the publishing
gate) skips it.

Run by analysis/checks.py over the same rollup; adds findings through the checker's ``add``.
"""

from __future__ import annotations

import numpy as np

from gwstats.core.formatting import fixed, number_text
from gwstats.store.db import MICRO, from_micro


def year_over_year(ck):
    """The 同比异常 (yoy-jump) and 合计下降 (total-fell) 提醒 of the checker ``ck``'s year."""
    prev = ck.rr.prev
    if prev is None:
        return
    cy, py = ck.year, ck.rr.compare_year
    d, pd_ = ck.f.data, prev.data
    both = d.own_has & pd_.own_has & ck.in_scope[:, None]
    if ck.magnitude_cells:  # already an error (元 written into 万元): no 提醒 beside it
        for i, j in ck.magnitude_cells:
            both[i, j] = False
    hits, n = jumps(d.own, pd_.own, both, ck.cfg, ck.left("yoy-jump"))
    pairs = np.column_stack(np.unravel_index(hits, both.shape))
    pairs = pairs[: ck.room("yoy-jump", "warning", n)]
    for i, j in pairs[ck.listed(pairs[:, 0], "warning", "yoy-jump")]:
        i, j = int(i), int(j)
        metric = ck.codes[j]
        a, b = from_micro(pd_.own[i, j]), from_micro(d.own[i, j])
        pct = f"{fixed((b - a) / a * 100, 1, sign=True)}%" if a != 0 else "上年为 0"
        msg = (f"{ck.name(i)}：{ck.cat.label_of(metric)} {py} 年 {number_text(a)}，{cy} 年 {number_text(b)}，"
               f"变化 {number_text(b - a)}（{pct}），请核实")
        ck.add("warning", "yoy-jump", msg, i, metric, ck.locate(i, metric, ck.own_scope(i)), previous=a, current=b)
    # a total that fell while every child rose
    t = ck.tree
    comp, cc = ck.f.computed, ck.f.computed_count > 0
    pcomp, pcc = prev.computed, prev.computed_count > 0
    nonroot = np.flatnonzero(t.parent >= 0)
    active = t.active(cy)
    kids = np.zeros(t.n, dtype=np.int64)
    np.add.at(kids, t.parent[nonroot], active[nonroot].astype(np.int64))
    # every active child rose: none of them did not (a bool per unit, no count matrices)
    lagged = any_child(t, active[:, None] & ~(cc & pcc & (comp > pcomp)))
    fell = cc & pcc & (comp < pcomp) & (kids[:, None] > 0) & ~lagged & ck.in_scope[:, None]
    pairs = np.argwhere(fell)
    pairs = pairs[: ck.room("total-fell", "warning", len(pairs))]
    for i, j in pairs[ck.listed(pairs[:, 0], "warning", "total-fell")]:
        i, j = int(i), int(j)
        metric = ck.codes[j]
        a, b = from_micro(pcomp[i, j]), from_micro(comp[i, j])
        msg = (f"{ck.name(i)}：{ck.cat.label_of(metric)}合计由 {number_text(a)} 降为 {number_text(b)}，"
               f"而下属 {int(kids[i])} 个单位全部增加，请核实本级数据")
        ck.add("warning", "total-fell", msg, i, metric, None, previous=a, current=b)


def any_child(t, flags: np.ndarray) -> np.ndarray:
    """Per unit of the tree ``t`` and column of ``flags`` (a bool per unit and column): whether any of
    its children is flagged (False for a unit without children)."""
    out = np.zeros(flags.shape, dtype=bool)
    for depth in range(1, len(t.by_depth)):  # each unit's children: one run of siblings at one depth
        idx, starts, parents = t.groups(depth)
        if idx.size:
            out[parents] = np.logical_or.reduceat(flags[idx], starts, axis=0)
    return out


def jumps(own, old_own, both, cfg, cap: int, block: int = 1 << 16):
    """The cells of ``both`` whose own figure jumped from last year's (``cfg.jump_absolute`` and
    ``cfg.jump_relative``), as flat indices in row order, at most ``cap`` of them, and how many there
    are. Screened a block of rows at a time: the float copies stay small (2.9 M cells at 100k)."""
    n, m = both.shape
    step = max(1, block // max(m, 1))
    hits, count = [], 0
    for a in range(0, n, step):
        at = np.flatnonzero(both[a:a + step])
        if not at.size:
            continue
        cur = own[a:a + step].reshape(-1)[at].astype(np.float64) / MICRO
        old = old_own[a:a + step].reshape(-1)[at].astype(np.float64) / MICRO
        change = cur - old
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(old != 0, np.abs(change) / np.abs(old), np.inf)
        jump = (np.abs(change) >= cfg.jump_absolute - 1e-9) & (rel > cfg.jump_relative) & (change != 0)
        k = int(np.count_nonzero(jump))
        if k and count < cap:
            hits.append(at[jump][: cap - count] + a * m)
        count += k
    return (np.concatenate(hits) if hits else np.zeros(0, dtype=np.int64)), count

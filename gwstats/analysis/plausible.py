"""Values that cannot be right: a money figure a thousand times its unit's last year and its peers
(元 written into a 万元 column), and a share over 100 %.

Run by analysis/checks.py over the same rollup; each adds error findings through the checker's ``add``.
The rules (docs/rules.md, 10):
- magnitude: an amount (万元 / 元) of a unit is an error when it is at least ``MAGNITUDE`` (1000) times
  every yardstick it has, and it has at least one: the unit's own figure of the comparison year (when
  that was above 0), and the median of its peers (units at the same depth that gave the figure above 0,
  more than ``MIN_PEERS`` of them, the unit included). Both, where both exist: a unit that grew a thousandfold while its
  peers are as large as it is now is left to the year-over-year 提醒.
- share over 100 %: an indicator shown in % whose numerator and denominator are single metrics of the
  same measure (五好达标率 = 五好组织数 / 组织数) is a share; above 100 % it is an error, unless a catalog
  rule already compares the two metrics (its own finding then says so).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from gwstats.core.formatting import fixed, number_text
from gwstats.store.db import MICRO, from_micro

MAGNITUDE = 1000  # a figure this many times its yardsticks is a wrong unit, not a good year
MIN_PEERS = 3  # a median of fewer peers says little
MONEY = ("万元", "元")


def _reading(value: Decimal, measure: str) -> str:
    """The likely reading of a money figure a thousand times too large."""
    if measure == "万元":
        return f"疑为以元填入万元栏：{number_text(value)} 元 = {fixed(value / 10000, 2)} 万元"
    return "疑为数量级有误（计量单位填错或多填了位数）"


def magnitude(ck) -> set[tuple[int, int]]:
    """Error findings for money figures ``MAGNITUDE``× their yardsticks; returns the (unit, column)
    pairs found, so that the year-over-year 提醒 does not repeat them."""
    d, t = ck.f.data, ck.tree
    prev = ck.rr.prev
    cols = [j for j, c in enumerate(ck.codes) if ck.cat.metrics[c].unit in MONEY]
    found: set[tuple[int, int]] = set()
    if not cols:
        return found
    depth = t.depth
    for j in cols:
        has = d.own_has[:, j] & (d.own[:, j] > 0)
        cand = has & ck.in_scope
        if not cand.any():
            continue
        vals = d.own[:, j].astype(np.float64) / MICRO
        # the median of the figure at each depth (the unit itself counted: one value moves a median of
        # four or more by one rank at most, and the screen stays linear in the number of units)
        med = np.full(t.n, np.nan)
        for dep in np.unique(depth[cand]):
            at = has & (depth == dep)
            if at.sum() > MIN_PEERS:
                med[cand & (depth == dep)] = float(np.median(vals[at]))
        old = np.full(t.n, np.nan)
        if prev is not None:
            pd_ = prev.data
            ok = pd_.own_has[:, j] & (pd_.own[:, j] > 0)
            old[ok] = pd_.own[ok, j].astype(np.float64) / MICRO
        with np.errstate(invalid="ignore", divide="ignore"):
            by_prev = vals / old
            by_peers = vals / med
        some = ~np.isnan(old) | ~np.isnan(med)
        big = cand & some & (np.isnan(old) | (by_prev >= MAGNITUDE)) & (np.isnan(med) | (by_peers >= MAGNITUDE))
        metric = ck.codes[j]
        measure = ck.cat.metrics[metric].unit
        name = ck.cat.label_of(metric)
        for i in np.flatnonzero(big)[: ck.room("magnitude", "error", int(big.sum()))]:
            i = int(i)
            v = from_micro(d.own[i, j])
            against = []
            if not np.isnan(old[i]):
                against.append(f"{ck.rr.compare_year} 年为 {number_text(from_micro(prev.data.own[i, j]))} {measure}")
            if not np.isnan(med[i]):
                against.append(f"同级单位中位数为 {number_text(Decimal(repr(round(float(med[i]), 4))).normalize())} {measure}")
            msg = (f"{ck.name(i)}：{name}填报 {number_text(v)} {measure}，{'，'.join(against)}，"
                   f"相差 {MAGNITUDE} 倍以上；{_reading(v, measure)}，请核实后更正")
            ck.add("error", "magnitude", msg, i, metric, ck.locate(i, metric, ck.own_scope(i)), value=v,
                   previous=None if np.isnan(old[i]) else from_micro(prev.data.own[i, j]),
                   peers_median=None if np.isnan(med[i]) else round(float(med[i]), 6))
            found.add((i, j))
    return found


def share_rates(ck):
    """A share (% of single metrics of one measure) over 100 %, where no catalog rule compares its parts."""
    cat, f = ck.cat, ck.f
    ruled = {frozenset((*r.left.names, *r.right.names)) for r in cat.rules}
    for code, ind in cat.indicators.items():
        if not ind.is_percent or not (ind.numerator.is_single_name and ind.denominator.is_single_name):
            continue
        num, den = ind.numerator.names[0], ind.denominator.names[0]
        if num not in cat.metrics or den not in cat.metrics or cat.metrics[num].unit != cat.metrics[den].unit:
            continue
        if frozenset((num, den)) in ruled:
            continue
        own = f.data.own_has[:, ck.col[num]] & f.data.own_has[:, ck.col[den]]
        sides = [(f.data.own[:, ck.col[num]], f.data.own[:, ck.col[den]], own, False)]
        it = f.indicators.get(code)
        if it is not None:  # totals as the rate is published: over units that gave both parts
            kn, kd = it.names.index(num), it.names.index(den)
            sides.append((it.total[:, kn], it.total[:, kd], (it.count > 0) & (ck.tree.size > 1), True))
        for nums, dens, present, total in sides:
            rows = present & ck.in_scope & (nums > dens)
            for i in np.flatnonzero(rows)[: ck.room("share-over-100", "error", int(rows.sum()))]:
                i = int(i)
                a, b = from_micro(nums[i]), from_micro(dens[i])
                shown = f"{fixed(a / b * 100, 1)}%" if b else "无法计算（分母为 0）"
                msg = (f"{ck.name(i)}{'（汇总数）' if total else ''}：{ind.name}为 {shown}，超过 100%："
                       f"{cat.label_of(num)} {number_text(a)} 多于{cat.label_of(den)} {number_text(b)}")
                where = None if total else ck.locate(i, num, ck.own_scope(i))
                ck.add("error", "share-over-100", msg, i, num, where, numerator=a, denominator=b, indicator=code)

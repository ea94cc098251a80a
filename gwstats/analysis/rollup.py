"""Totals up the hierarchy: own 本级 values + totals of children, rates recomputed, year over year.

The store is read per year into dense matrices (units × metrics) of integer micro-units
(value × 10**6) plus presence (gwstats/rollup_load.py); totals are accumulated bottom-up one depth at a
time over parent indices. A 汇总 return is never added: it is kept beside the computed total, and
with ``prefer="reported"`` it stands in for the computed total where the unit's subtree is not
fully reported. Rates are numerator total / denominator total × factor at every level.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from gwstats.core.errors import UsageError
from gwstats.analysis.comparable import comparable
from gwstats.analysis.load import YearData, fold_merged, load_years
from gwstats.analysis.result import RECORD_KEYS, RollupResult  # noqa: F401  (re-exported)
from gwstats.analysis.remainder import extend_comparable, extend_frame, extra_row
from gwstats.analysis.tree import Tree, accumulate_values, sentinel

PREFER = ("computed", "reported")


# ---- computing totals ------------------------------------------------------------------------------
@dataclass
class Frame:
    """Totals of one year for every unit of the tree."""

    data: YearData
    total: np.ndarray  # micro totals used (after any stand-in)
    count: np.ndarray  # int: number of values contributing (0 = no value: None)
    computed: np.ndarray  # micro totals as computed from 本级 values only
    computed_count: np.ndarray
    stood_in: np.ndarray  # bool (units × metrics): the unit's 汇总 figure stands in
    below_stood: np.ndarray  # bool: some unit strictly below stood in
    expected: np.ndarray  # int per unit: expected units in the subtree
    reported: np.ndarray  # int per unit: expected units in the subtree with a submission
    leaf_rep: np.ndarray | None = None  # bool per unit: no subordinates, only a 汇总 return, counted as 本级
    indicators: dict = field(default_factory=dict)  # indicator code -> IndicatorTotals
    approx: np.ndarray | None = None  # bool (units × metrics): some contributing value is approximate
    eff_own: np.ndarray | None = None  # micro (units × metrics): what the unit contributes itself
    eff_has: np.ndarray | None = None  # bool: the unit contributes a value itself (本级, or stood-in 汇总)
    derived: np.ndarray | None = None  # bool per unit: 本级 derived as 汇总 − Σ subordinates
    dropped: np.ndarray | None = None  # bool per unit: a return of a unit not active in the year, not counted


@dataclass
class IndicatorTotals:
    """Numerator and denominator parts of one indicator, accumulated only over units whose own values
    have ALL the parts (a blank is not reported, never zero), with stand-ins only where every part
    stood in."""

    names: list[str]  # the base metrics the indicator is computed from
    total: np.ndarray  # micro (units × parts)
    count: np.ndarray  # int per unit: contributing values (0: no rate)
    partial: np.ndarray  # int per unit: units of the subtree left out because they gave only some parts
    stood: np.ndarray  # bool per unit: its 汇总 figures stand in for all parts
    below: np.ndarray  # bool per unit: some unit strictly below stood in
    approx: np.ndarray  # bool per unit: some contributing part is approximate
    eff_parts: np.ndarray | None = None  # micro (units × parts): what the unit contributes itself
    eff_ok: np.ndarray | None = None  # bool per unit: it contributes all parts itself
    own_approx: np.ndarray | None = None  # bool per unit: its own contribution is approximate
    own_partial: np.ndarray | None = None  # bool per unit: its own values have only some of the parts


def compute_frame(tree: Tree, catalog, data: YearData, prefer: str = "computed") -> Frame:
    metric_codes = list(catalog.metrics)
    aggs = np.array([catalog.metrics[c].aggregation for c in metric_codes])
    active = tree.active(data.year)
    if data.folded is not None:
        active = active | data.folded  # a successor holding merged units' figures of an earlier year
    dropped = data.has_sub & ~active
    if dropped.any():
        # a unit not active in the year (dissolved, not yet founded): its return is not counted (checks say so)
        keep = active[:, None]
        data = replace(data, own_has=data.own_has & keep, rep_has=data.rep_has & keep,
                       own=np.where(keep, data.own, 0), rep=np.where(keep, data.rep, 0))
    # A unit with no active subordinate in the year that sent only a 汇总 return: its 汇总 is its own
    # activity (nothing below it can be counted twice), so it counts as its 本级.
    active_below = tree.accumulate(active.astype(np.int64)) - active
    leaf_rep = (active_below == 0) & (data.rep_source == 1) & ~data.own_has.any(axis=1) & active
    if leaf_rep.any():
        use = leaf_rep[:, None] & data.rep_has
        data = replace(data, own=np.where(use, data.rep, data.own), own_has=data.own_has | use,
                       own_approx=np.where(use, data.rep_approx, data.own_approx))
    exp_mask = tree.expected(data.year)
    exp_cnt = tree.accumulate(exp_mask.astype(np.int64))
    rep_cnt = tree.accumulate((exp_mask & data.has_sub).astype(np.int64))
    data, derived = _derive_own(tree, data, exp_mask, exp_cnt, rep_cnt, aggs)
    own_cnt = data.own_has.astype(np.int32)
    computed = accumulate_values(tree, data.own, own_cnt, aggs)
    below = np.zeros_like(data.own_has)
    if prefer == "reported":
        # only a real 汇总 return stands in: a 合计 row sums the rows of its sheet, usually without the
        # unit's own 本级, so it is only compared with the computed total (checks), never used for it
        # (a 汇总 whose subordinates are all silent stands in as it does by default: the one figure there is)
        incomplete = (rep_cnt < exp_cnt) & (data.rep_source == 1)
        silent = _silent_below(tree, data, exp_mask, exp_cnt, rep_cnt)
        stood = silent | _whole_rates(catalog, metric_codes, data.rep_has & incomplete[:, None] & ~silent)
    else:
        stood = _silent_below(tree, data, exp_mask, exp_cnt, rep_cnt)
    any_stood = bool(stood.any())
    computed_count = tree.accumulate(own_cnt, inplace=not any_stood)  # own_cnt is read again only for stand-ins
    if any_stood:
        total, count, below = _accumulate_with_standins(tree, data, own_cnt, aggs, stood)
    else:
        total, count = computed, computed_count
    indicators = _indicator_totals(tree, catalog, metric_codes, data, stood)
    approx = _accumulate_standin(tree, data.own_approx, stood, data.rep_approx, np.logical_or)
    # what each unit contributes on its own (its 本级, or its 汇总 where that stands in for its subtree):
    # the basis of comparable-basis changes and of rows that add up
    if stood.any():
        hidden = tree.under(stood)
        eff_has = (data.own_has & ~hidden) | stood
        eff_own = np.where(stood, data.rep, np.where(eff_has, data.own, 0))
    else:  # the usual case: each unit contributes its 本级 (0 where absent), no copy
        eff_has, eff_own = data.own_has, data.own
    return Frame(data, total, count, computed, computed_count, stood, below, exp_cnt, rep_cnt, leaf_rep,
                 indicators, approx, eff_own, eff_has, derived, dropped)


def _whole_rates(catalog, metric_codes: list[str], stood: np.ndarray) -> np.ndarray:
    """``stood`` without the stand-ins that cover only some parts of a rate: a 汇总 that gives 组织数 20
    but not 五好数 does not stand in for either, so the count printed beside the rate and the rate's
    denominator come from the same units (14 组织, 11 五好, 78.6 %; never 20 beside 11/14)."""
    if not stood.any():
        return stood
    col = {c: j for j, c in enumerate(metric_codes)}
    groups = []
    for ind in catalog.indicators.values():
        cols = [col[n] for n in dict.fromkeys(list(ind.numerator.names) + list(ind.denominator.names)) if n in col]
        if len(cols) > 1:
            groups.append(cols)
    stood = stood.copy()
    changed = True
    while changed:  # a metric in two rates: clearing one group may split the other
        changed = False
        for cols in groups:
            part = stood[:, cols]
            split = part.any(axis=1) & ~part.all(axis=1)
            if split.any():
                stood[np.ix_(split, cols)] = False
                changed = True
    return stood


def _silent_below(tree: Tree, data: YearData, exp_mask, exp_cnt, rep_cnt) -> np.ndarray:
    """bool (units × metrics): a unit that sent only a real 汇总 return while no expected unit below it
    reported: its 汇总 is the only figure of the subtree and holds nothing that could be counted twice,
    so it stands in for the subtree's total (a county's one 汇总 of 22 with its towns silent is 22,
    not blank). Marked ``source = reported`` in the records."""
    below_expected = exp_cnt - exp_mask
    below_reported = rep_cnt - (exp_mask & data.has_sub)
    silent = (data.rep_source == 1) & ~data.own_has.any(axis=1) & (below_expected > 0) & (below_reported == 0)
    return data.rep_has & silent[:, None]


def like_with_like(tree: Tree, cur: Frame, prev: Frame) -> tuple[Frame, Frame]:
    """The two years' frames for a comparison on one footing: where a unit's 汇总 stands in for its
    subtree in one year (its subordinates silent) and the unit reported 本级 + subordinates in the
    other, both years count that subtree as one figure, the unit's total (甲县 20 → 22), never its
    本级 alone against its 汇总."""
    one = cur.stood_in | prev.stood_in
    if not one.any():
        return cur, prev
    hidden = tree.under(one)
    out = []
    for f in (cur, prev):
        eff_has = np.where(one, f.count > 0, f.eff_has & ~hidden)
        eff_own = np.where(one, np.where(eff_has, f.total, 0), np.where(eff_has, f.eff_own, 0))
        out.append(replace(f, eff_has=eff_has, eff_own=eff_own, indicators=dict(f.indicators)))
    # a rate likewise: the subtree's parts in both years (县公安局's 汇总 of 3 组织, 3 五好 against its
    # 2019 本级 + stations, never against its 2019 本级 alone with the stations named 未报)
    for code, it in cur.indicators.items():
        pt = prev.indicators.get(code)
        if pt is None:
            continue
        one_i = it.stood | pt.stood
        if not one_i.any():
            continue
        hidden_i = tree.under(one_i)
        for f, t in zip(out, (it, pt)):
            ok = np.where(one_i, t.count > 0, t.eff_ok & ~hidden_i)
            parts = np.where(one_i[:, None], np.where(ok[:, None], t.total, 0),
                             np.where(ok[:, None], t.eff_parts, 0))
            f.indicators[code] = replace(t, eff_ok=ok, eff_parts=parts)
    return out[0], out[1]


def _derive_own(tree: Tree, data: YearData, exp_mask, exp_cnt, rep_cnt, aggs):
    """A unit that sent only a 汇总 return while every expected unit below it reported: its 本级 is
    汇总 − Σ subordinates (per summed metric), so the total equals its 汇总. A negative difference
    is not used (checks report it). Returns (data, bool per unit: 本级 derived)."""
    derived = np.zeros(tree.n, dtype=bool)
    has_below = tree.size > 1
    below_expected = exp_cnt - exp_mask
    below_reported = rep_cnt - (exp_mask & data.has_sub)
    cand = ((data.rep_source == 1) & ~data.own_has.any(axis=1) & has_below
            & (below_expected > 0) & (below_reported == below_expected))
    if not cand.any():
        return data, derived
    sums = (aggs != "max") & (aggs != "min")
    own, own_has, own_approx = data.own.copy(), data.own_has.copy(), data.own_approx.copy()
    for d in range(len(tree.by_depth) - 1, -1, -1):  # deepest first: a derived 本级 feeds the units above
        idx = tree.by_depth[d]
        units = idx[cand[idx]]
        if not units.size:
            continue
        total = tree.accumulate(own)
        for u in units:
            below = total[u] - own[u]
            use = data.rep_has[u] & sums
            diff = data.rep[u] - below
            ok = use & (diff >= 0)
            own[u] = np.where(ok, diff, own[u])
            own_has[u] = own_has[u] | ok
            own_approx[u] = own_approx[u] | (ok & data.rep_approx[u])
            derived[u] = bool(ok.any())
    return replace(data, own=own, own_has=own_has, own_approx=own_approx), derived


def _accumulate_standin(tree: Tree, own: np.ndarray, stood: np.ndarray, rep: np.ndarray, op=np.add) -> np.ndarray:
    """Subtree totals of ``own`` (rows = units) where ``stood`` (bool per unit, or per cell like
    ``own``) is set the subtree total is replaced by ``rep``."""
    if not stood.any():
        return tree.accumulate(own, op)
    total = own.copy()
    for d in range(len(tree.by_depth) - 1, -1, -1):
        idx = tree.by_depth[d]
        s = stood[idx]
        if s.ndim == 1:
            u = idx[s]
            if u.size:
                total[u] = rep[u]
        elif s.any():
            total[idx] = np.where(s, rep[idx], total[idx])
        if d == 0:
            break
        tree.pass_up(total, d, op)
    return total


def _strictly_below(tree: Tree, flag: np.ndarray) -> np.ndarray:
    """bool per unit: ``flag`` is set for some unit strictly below it."""
    acc = tree.accumulate(flag, np.logical_or)
    below = np.zeros_like(flag)
    for d in range(1, len(tree.by_depth)):
        tree.pass_up(below, d, np.logical_or, src=acc)
    return below


def _indicator_totals(tree: Tree, catalog, metric_codes, data: YearData, stood: np.ndarray) -> dict:
    col = {c: j for j, c in enumerate(metric_codes)}
    out = {}
    for code, ind in catalog.indicators.items():
        names = [n for n in dict.fromkeys(list(ind.numerator.names) + list(ind.denominator.names)) if n in col]
        cols = [col[n] for n in names]
        has = data.own_has[:, cols]
        ok = has.all(axis=1)
        partial_own = has.any(axis=1) & ~ok
        own = data.own[:, cols].copy()
        own[~ok] = 0
        st = stood[:, cols].all(axis=1) if cols else np.zeros(tree.n, dtype=bool)
        # a 汇总 standing in for only some parts (its subordinates silent, the other parts not given):
        # the rate leaves that unit out and says so, like a unit that gave only some parts itself
        partial_own |= stood[:, cols].any(axis=1) & ~st if cols else False
        n = tree.n
        total = _accumulate_standin(tree, own, st, data.rep[:, cols])
        count = _accumulate_standin(tree, ok.astype(np.int64), st, np.ones(n, dtype=np.int64))
        partial = _accumulate_standin(tree, partial_own.astype(np.int64), st, np.zeros(n, dtype=np.int64))
        own_apx = data.own_approx[:, cols].any(axis=1) & ok
        rep_apx = data.rep_approx[:, cols].any(axis=1)
        approx = _accumulate_standin(tree, own_apx, st, rep_apx, np.logical_or)
        hidden = tree.under(st)
        eff_ok = (ok & ~hidden) | st
        eff_parts = np.where(st[:, None], data.rep[:, cols], np.where(eff_ok[:, None], own, 0)) if st.any() else own
        own_approx = np.where(st, rep_apx, own_apx & ~hidden)
        out[code] = IndicatorTotals(names, total, count, partial, st, _strictly_below(tree, st), approx,
                                    eff_parts, eff_ok, own_approx, partial_own & ~hidden)
    return out


def _accumulate_with_standins(tree: Tree, data: YearData, own_cnt, aggs, stood):
    """Bottom-up, replacing a unit's total by its 汇总 figure where it stands in."""
    total = data.own.copy()
    count = own_cnt.copy()
    below = np.zeros_like(stood)
    maxc, minc = np.flatnonzero(aggs == "max"), np.flatnonzero(aggs == "min")
    sums = np.flatnonzero((aggs != "max") & (aggs != "min"))
    hi, lo = sentinel(total, "max"), sentinel(total, "min")
    mx = np.where(count[:, maxc] > 0, total[:, maxc], hi)
    mn = np.where(count[:, minc] > 0, total[:, minc], lo)
    flag = stood.copy()  # stood here or below
    for d in range(len(tree.by_depth) - 1, -1, -1):
        idx = tree.by_depth[d]
        # the totals of units at depth d are complete: apply stand-ins, then pass up
        s = stood[idx]
        if s.any():
            rows, cols = np.nonzero(s)
            u = idx[rows]
            total[u, cols] = data.rep[u, cols]
            count[u, cols] = np.maximum(count[u, cols], 1)
            isin = np.isin(cols, maxc)
            if isin.any():
                mx[u[isin], np.searchsorted(maxc, cols[isin])] = data.rep[u[isin], cols[isin]]
            isin = np.isin(cols, minc)
            if isin.any():
                mn[u[isin], np.searchsorted(minc, cols[isin])] = data.rep[u[isin], cols[isin]]
        if d == 0:
            break
        if sums.size == total.shape[1]:
            tree.pass_up(total, d)
        else:
            part = total[:, sums]
            tree.pass_up(part, d)
            total[:, sums] = part
        tree.pass_up(count, d)
        if maxc.size:
            tree.pass_up(mx, d, np.maximum)
        if minc.size:
            tree.pass_up(mn, d, np.minimum)
        tree.pass_up(below, d, np.logical_or, src=flag)
        tree.pass_up(flag, d, np.logical_or)
    if maxc.size:
        total[:, maxc] = np.where(mx == hi, 0, mx)
    if minc.size:
        total[:, minc] = np.where(mn == lo, 0, mn)
    return total, count, below


# ---- entry point ------------------------------------------------------------------------------------
def order_metrics(catalog, codes: list[str]) -> list[str]:
    pos = {c: k for k, c in enumerate(list(catalog.metrics) + list(catalog.indicators))}
    return sorted(dict.fromkeys(codes), key=lambda c: pos.get(c, len(pos)))


def resolve_unit(ws, tree: Tree, unit: str | None) -> int:
    if unit is None:
        return tree.root
    if unit in tree.index:
        return tree.index[unit]
    return tree.index[ws.resolve_unit(unit)]


def rollup(ws, year: int, unit: str | None = None, level: int | None = None, metrics=None,
           compare="auto", prefer: str = "computed", *, tree: Tree | None = None, basis: bool = True) -> RollupResult:
    """``basis=False``: without the comparable basis (``cx`` None), for a reader of both years' frames
    that never reads it (the publishing gate's errors-only check): ~130 MB of arrays fewer at 100k."""
    if prefer not in PREFER:
        raise UsageError(f"--prefer 应为 computed（采用计算数）或 reported（采用汇总表数），实际为“{prefer}”")
    tree = tree or ws.tree()
    catalog = ws.catalog
    root = resolve_unit(ws, tree, unit)
    codes = order_metrics(catalog, catalog.select(list(metrics) if metrics else None))
    compare_year = _compare_year(ws, year, compare)
    metric_codes = list(catalog.metrics)

    def build():
        if compare_year is None and kept is not None:
            # the year alone is the first frame of a comparison already kept (an export's rollup after
            # the check of its gate): the same figures, no second copy
            for k, totals in ws.kept_of("rollup"):
                if k[1:2] == (year,) and k[3:5] == (prefer, id(tree)):
                    return totals[0], None, None
        return year_totals(ws.store, tree, catalog, year, compare_year, prefer, basis=basis)

    kept = getattr(ws, "kept", None)  # one computation per command, whatever unit, level or metrics
    key = ("rollup", year, compare_year, prefer, id(tree)) + (() if basis or compare_year is None else ("no-basis",))
    frame, prev, cmp = kept(key, build) if kept is not None else build()
    rows = _row_units(tree, root, level, year, frame)
    extra = extra_row(tree, root, rows, (frame, prev), level)
    fx, px, cx = frame, prev, cmp
    if extra is not None:
        sums = np.array([catalog.metrics[c].aggregation not in ("max", "min") for c in metric_codes])
        fx = extend_frame(frame, tree, root, rows, extra, sums)
        px = extend_frame(prev, tree, root, rows, extra, sums)
        cx = extend_comparable(cmp, root, rows)
    return RollupResult(year, compare_year, tree.codes[root], [tree.codes[i] for i in rows], codes, prefer,
                        tree, catalog, frame, prev, extra, fx, px, cx)


def year_totals(store, tree: Tree, catalog, year: int, compare_year: int | None, prefer: str, *, basis: bool = True):
    """(this year's Frame, the comparison year's Frame or None, the comparable basis or None) over
    every unit of the tree: what any selection of units, levels and metrics is read from."""
    metric_codes = list(catalog.metrics)
    years = [year] if compare_year is None else [year, compare_year]
    datas = load_years(store, tree, metric_codes, years, aliases=catalog.former_codes())
    if compare_year is not None:
        pairs = store.merged_units()
        if pairs:  # last year laid on this year's units: merged units count into their successor
            datas[1] = fold_merged(tree, datas[1], pairs)
    frame = compute_frame(tree, catalog, datas[0], prefer)
    prev = compute_frame(tree, catalog, datas[1], prefer) if compare_year is not None else None
    cmp = comparable(tree, catalog, *like_with_like(tree, frame, prev)) if prev is not None and basis else None
    return frame, prev, cmp


def _compare_year(ws, year: int, compare):
    if compare is None or compare is False:
        return None
    if compare == "auto":
        prev = year - 1
        return prev if ws.store.has_year(prev) else None
    try:
        y = int(compare)
    except (TypeError, ValueError):
        raise UsageError(f"--compare 应为年度，如 2017，实际为“{compare}”") from None
    if y == year:
        raise UsageError(f"对比年度 {y} 与统计年度相同")
    return y


def _row_units(tree: Tree, root: int, level: int | None, year: int, frame: Frame) -> list[int]:
    s = tree.subtree(root)
    rng = np.arange(s.start, s.stop)
    if level is None:
        cand = rng[tree.parent[s] == root]
    else:
        root_level = int(tree.level[root])
        if level < root_level:
            raise UsageError(f"--level {level} 高于所选单位“{tree.names[root]}”的层级 {root_level}")
        cand = rng[tree.level[s] == level]
        if cand.size == 0:
            levels = "、".join(str(int(v)) for v in np.unique(tree.level[s]))
            raise UsageError(f"“{tree.names[root]}”下没有层级为 {level} 的单位；现有层级：{levels}")
    keep = tree.active(year)[cand] | (frame.count[cand].sum(axis=1) > 0) | frame.data.has_sub[cand]
    return [int(i) for i in cand[keep]]

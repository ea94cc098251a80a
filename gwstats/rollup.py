"""Totals up the hierarchy: own 本级 values + totals of children, rates recomputed, year over year.

The store is read per year into dense matrices (units × metrics) of integer micro-units
(value × 10**6) plus presence (gwstats/rollup_load.py); totals are accumulated bottom-up one depth at a
time over parent indices. A 汇总 return is never added: it is kept beside the computed total, and
with ``prefer="reported"`` it stands in for the computed total where the unit's subtree is not
fully reported. Rates are numerator total / denominator total × factor at every level.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

import numpy as np

from .errors import UsageError
from .rollup_load import YearData, load_years
from .store import from_micro
from .tree_math import Tree

PREFER = ("computed", "reported")
RECORD_KEYS = (
    "unit", "unit_name", "level", "metric", "metric_name", "group", "measure", "kind", "value",
    "numerator", "denominator", "reported", "expected", "coverage", "prev_value", "change",
    "change_pct", "source", "note", "approx",
)
_NOTE_NAMES = 3


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


def compute_frame(tree: Tree, catalog, data: YearData, prefer: str = "computed") -> Frame:
    metric_codes = list(catalog.metrics)
    aggs = np.array([catalog.metrics[c].aggregation for c in metric_codes])
    # A unit without subordinates that sent only a 汇总 return: its 汇总 is its own activity
    # (nothing below it can be counted twice), so it counts as its 本级.
    leaf_rep = (tree.size == 1) & (data.rep_source == 1) & ~data.own_has.any(axis=1)
    if leaf_rep.any():
        use = leaf_rep[:, None] & data.rep_has
        data = replace(data, own=np.where(use, data.rep, data.own), own_has=data.own_has | use,
                       own_approx=np.where(use, data.rep_approx, data.own_approx))
    exp_mask = tree.expected(data.year)
    exp_cnt = tree.accumulate(exp_mask.astype(np.int64))
    rep_cnt = tree.accumulate((exp_mask & data.has_sub).astype(np.int64))
    own_cnt = data.own_has.astype(np.int32)
    computed = _accumulate_values(tree, data.own, own_cnt, aggs)
    computed_count = tree.accumulate(own_cnt)
    stood = np.zeros_like(data.own_has)
    below = np.zeros_like(data.own_has)
    if prefer == "reported":
        # only a real 汇总 return stands in: a 合计 row sums the rows of its sheet, usually without the
        # unit's own 本级, so it is only compared with the computed total (checks), never used for it
        incomplete = (rep_cnt < exp_cnt) & (data.rep_source == 1)
        stood = data.rep_has & incomplete[:, None]
    if stood.any():
        total, count, below = _accumulate_with_standins(tree, data, own_cnt, aggs, stood)
    else:
        total, count = computed, computed_count
    indicators = _indicator_totals(tree, catalog, metric_codes, data, stood)
    approx = _accumulate_standin(tree, data.own_approx, stood, data.rep_approx, np.logical_or)
    return Frame(data, total, count, computed, computed_count, stood, below, exp_cnt, rep_cnt, leaf_rep,
                 indicators, approx)


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
        n = tree.n
        total = _accumulate_standin(tree, own, st, data.rep[:, cols])
        count = _accumulate_standin(tree, ok.astype(np.int64), st, np.ones(n, dtype=np.int64))
        partial = _accumulate_standin(tree, partial_own.astype(np.int64), st, np.zeros(n, dtype=np.int64))
        own_apx = data.own_approx[:, cols].any(axis=1) & ok
        approx = _accumulate_standin(tree, own_apx, st, data.rep_approx[:, cols].any(axis=1), np.logical_or)
        out[code] = IndicatorTotals(names, total, count, partial, st, _strictly_below(tree, st), approx)
    return out


def _accumulate_values(tree: Tree, own, own_cnt, aggs) -> np.ndarray:
    total = tree.accumulate(own)
    for agg, op in (("max", np.maximum), ("min", np.minimum)):
        cols = np.flatnonzero(aggs == agg)
        if cols.size:
            sentinel = _sentinel(own, agg)
            sub = np.where(own_cnt[:, cols] > 0, own[:, cols], sentinel)
            acc = tree.accumulate(sub, op)
            total[:, cols] = np.where(acc == sentinel, 0, acc)
    return total


def _sentinel(arr, agg):
    if arr.dtype == object:
        return -(10**40) if agg == "max" else 10**40
    info = np.iinfo(np.int64)
    return info.min if agg == "max" else info.max


def _accumulate_with_standins(tree: Tree, data: YearData, own_cnt, aggs, stood):
    """Bottom-up, replacing a unit's total by its 汇总 figure where it stands in."""
    total = data.own.copy()
    count = own_cnt.copy()
    below = np.zeros_like(stood)
    maxc, minc = np.flatnonzero(aggs == "max"), np.flatnonzero(aggs == "min")
    sums = np.flatnonzero((aggs != "max") & (aggs != "min"))
    hi, lo = _sentinel(total, "max"), _sentinel(total, "min")
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


# ---- the result -----------------------------------------------------------------------------------
def _round(x: float | None, nd: int = 6):
    return None if x is None else round(float(x), nd)


@dataclass
class RollupResult:
    year: int
    compare_year: int | None
    root: str
    units: list[str]
    metrics: list[str]
    prefer: str
    tree: Tree = field(repr=False)
    catalog: object = field(repr=False)
    frame: Frame = field(repr=False)
    prev: Frame | None = field(repr=False, default=None)

    _cols: dict = field(default_factory=dict, repr=False)
    _missing_cache: dict = field(default_factory=dict, repr=False)

    # -- lookups
    @property
    def metric_codes(self) -> list[str]:
        return list(self.catalog.metrics)

    def _i(self, unit: str) -> int:
        try:
            return self.tree.index[unit]
        except KeyError:
            raise UsageError(f"单位名单中没有编码为“{unit}”的单位") from None

    def _mcol(self, metric: str) -> int:
        if not self._cols:
            self._cols.update({c: j for j, c in enumerate(self.catalog.metrics)})
        return self._cols[metric]

    def total_of(self, frame: Frame, i: int, metric: str) -> Decimal | None:
        j = self._mcol(metric)
        if frame.count[i, j] == 0:
            return None
        return from_micro(frame.total[i, j])

    def computed_of(self, i: int, metric: str) -> Decimal | None:
        j = self._mcol(metric)
        if self.frame.computed_count[i, j] == 0:
            return None
        return from_micro(self.frame.computed[i, j])

    def reported_of(self, i: int, metric: str, frame: Frame | None = None) -> Decimal | None:
        frame = frame or self.frame
        j = self._mcol(metric)
        return from_micro(frame.data.rep[i, j]) if frame.data.rep_has[i, j] else None

    def own_of(self, i: int, metric: str, frame: Frame | None = None) -> Decimal | None:
        frame = frame or self.frame
        j = self._mcol(metric)
        return from_micro(frame.data.own[i, j]) if frame.data.own_has[i, j] else None

    def _parts(self, frame: Frame, i: int, code: str):
        ind = self.catalog.indicators[code]
        it = frame.indicators[code]
        if it.count[i] == 0:
            return None, None, None
        env = {name: from_micro(it.total[i, k]) for k, name in enumerate(it.names)}
        num = Decimal(ind.numerator.evaluate(env))
        den = Decimal(ind.denominator.evaluate(env))
        if den == 0:
            return num, den, None
        return num, den, float(num / den * ind.factor)

    def _value_in(self, frame: Frame | None, i: int, metric: str):
        if frame is None:
            return None
        if metric in self.catalog.indicators:
            return self._parts(frame, i, metric)[2]
        return self.total_of(frame, i, metric)

    def value(self, unit: str, metric: str):
        return self._value_in(self.frame, self._i(unit), self._resolve_metric(metric))

    def _resolve_metric(self, metric: str) -> str:
        code = self.catalog.resolve(metric)
        if code is None:
            raise UsageError(f"目录中没有指标“{metric}”")
        return code

    def record(self, unit: str, metric: str) -> dict:
        return self._record(self._i(unit), self._resolve_metric(metric))

    def records(self) -> list[dict]:
        rows = [self.tree.index[u] for u in self.units]
        root = self.tree.index[self.root]
        if root not in rows:
            rows.append(root)
        return [self._record(i, m) for i in rows for m in self.metrics]

    def records_for(self, units: list[str], metrics: list[str] | None = None) -> list[dict]:
        return [self._record(self._i(u), m) for u in units for m in (metrics or self.metrics)]

    # -- coverage helpers
    def coverage(self, unit: str) -> tuple[int, int]:
        i = self._i(unit)
        return int(self.frame.reported[i]), int(self.frame.expected[i])

    def missing_under(self, i: int, frame: Frame | None = None) -> list[int]:
        frame = frame or self.frame
        s = self.tree.subtree(i)
        exp = self.tree.expected(frame.data.year)[s] & ~frame.data.has_sub[s]
        return [s.start + int(k) for k in np.flatnonzero(exp)]

    def _missing_text(self, i: int) -> str:
        if i in self._missing_cache:
            return self._missing_cache[i]
        miss = self.missing_under(i)
        names = [self.tree.names[k] for k in miss[:_NOTE_NAMES]]
        more = f"等 {len(miss)} 个" if len(miss) > _NOTE_NAMES else ""
        self._missing_cache[i] = "、".join(names) + more
        return self._missing_cache[i]

    def _record(self, i: int, code: str) -> dict:
        cat = self.catalog
        f = self.frame
        is_rate = code in cat.indicators
        item = cat.indicators[code] if is_rate else cat.metrics[code]
        exp, rep = int(f.expected[i]), int(f.reported[i])
        numerator = denominator = None
        notes: list[str] = []
        if is_rate:
            numerator, denominator, value = self._parts(f, i, code)
            value = _round(value)
            it = f.indicators[code]
            stood, below = bool(it.stood[i]), bool(it.below[i])
            approx = value is not None and bool(it.approx[i])
            if it.partial[i]:
                notes.append(f"比率未计入只填了部分数据的单位 {int(it.partial[i])} 个")
            kind = "rate"
        else:
            j = self._mcol(code)
            value = self.total_of(f, i, code)
            stood, below = bool(f.stood_in[i, j]), bool(f.below_stood[i, j])
            approx = value is not None and bool(f.approx[i, j])
            kind = item.kind
            reported_fig = self.reported_of(i, code)
            computed_fig = self.computed_of(i, code)
            if stood:
                notes.append(f"下级未报齐（已报 {rep}/{exp}），采用本单位汇总表数 {reported_fig}（计算数 {computed_fig if computed_fig is not None else '无'}）")
            elif reported_fig is not None and reported_fig != computed_fig:
                notes.append(f"本单位汇总表填报 {reported_fig}，计算数 {computed_fig if computed_fig is not None else '无'}")
        if stood and is_rate:
            notes.append(f"下级未报齐（已报 {rep}/{exp}），分子、分母均采用本单位汇总表数")
        if f.leaf_rep is not None and f.leaf_rep[i]:
            notes.append("无下级单位，汇总表按本级计")
        if below:
            notes.append("含下级单位汇总表代替数")
        if rep < exp and not stood:
            notes.append(f"未报齐：已报 {rep}/{exp}，未报 {self._missing_text(i)}")
        prev_value = change = change_pct = None
        if self.prev is not None:
            prev_value = self._value_in(self.prev, i, code)
            if is_rate:
                prev_value = _round(prev_value)
                if value is not None and prev_value is not None:
                    change = _round(value - prev_value)  # 百分点 for percentages
            elif value is not None and prev_value is not None:
                change = value - prev_value
                if prev_value != 0:
                    change_pct = _round(float(change / prev_value * 100))
        return {
            "unit": self.tree.codes[i],
            "unit_name": self.tree.names[i],
            "level": int(self.tree.level[i]),
            "metric": code,
            "metric_name": item.name,
            "group": item.group,
            "measure": item.unit,
            "kind": kind,
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "reported": rep,
            "expected": exp,
            "coverage": f"{rep}/{exp}",
            "prev_value": prev_value,
            "change": change,
            "change_pct": change_pct,
            "source": "reported" if stood else "computed",
            "note": "；".join(notes),
            "approx": approx,
        }


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
           compare="auto", prefer: str = "computed", *, tree: Tree | None = None) -> RollupResult:
    if prefer not in PREFER:
        raise UsageError(f"--prefer 应为 computed（采用计算数）或 reported（采用汇总表数），实际为“{prefer}”")
    conn = ws.store.conn
    tree = tree or ws.tree()
    catalog = ws.catalog
    root = resolve_unit(ws, tree, unit)
    codes = order_metrics(catalog, catalog.select(list(metrics) if metrics else None))
    compare_year = _compare_year(ws, year, compare)
    metric_codes = list(catalog.metrics)
    years = [year] if compare_year is None else [year, compare_year]
    datas = load_years(conn, tree, metric_codes, years, aliases=catalog.former_codes())
    frame = compute_frame(tree, catalog, datas[0], prefer)
    prev = compute_frame(tree, catalog, datas[1], prefer) if compare_year is not None else None
    rows = _row_units(tree, root, level, year, frame)
    return RollupResult(year, compare_year, tree.codes[root], [tree.codes[i] for i in rows], codes, prefer,
                        tree, catalog, frame, prev)


def _compare_year(ws, year: int, compare):
    if compare is None or compare is False:
        return None
    if compare == "auto":
        prev = year - 1
        row = ws.store.conn.execute("SELECT 1 FROM submissions WHERE year = ? LIMIT 1", (prev,)).fetchone()
        return prev if row else None
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

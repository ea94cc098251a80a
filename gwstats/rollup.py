"""Totals up the hierarchy: own 本级 values + totals of children, rates recomputed, year over year.

The store is read with one query per year into dense matrices (units × metrics) of integer
micro-units (value × 10**6) plus a presence count; totals are accumulated bottom-up one depth at a
time over parent indices. A 汇总 return is never added: it is kept beside the computed total, and
with ``prefer="reported"`` it stands in for the computed total where the unit's subtree is not
fully reported. Rates are numerator total / denominator total × factor at every level.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

import numpy as np

from .errors import UsageError
from .store import MICRO, from_micro
from .tree_math import Tree, load_tree

PREFER = ("computed", "reported")
RECORD_KEYS = (
    "unit", "unit_name", "level", "metric", "metric_name", "group", "measure", "kind", "value",
    "numerator", "denominator", "reported", "expected", "coverage", "prev_value", "change",
    "change_pct", "source", "note",
)
_NOTE_NAMES = 3


# ---- reading the store ---------------------------------------------------------------------------
@dataclass
class YearData:
    """What the store holds for one year, as matrices over the tree's units and the base metrics."""

    year: int
    own: np.ndarray  # int64 micro, 本级 values (0 where absent)
    own_has: np.ndarray  # bool
    rep: np.ndarray  # int64 micro, 汇总 values (return or 合计 row)
    rep_has: np.ndarray  # bool
    has_sub: np.ndarray  # bool per unit: any submission in force
    rep_source: np.ndarray  # int8 per unit: 0 none, 1 汇总 return, 2 合计 row


def load_year(conn, tree: Tree, metric_codes: list[str], year: int, cache_dir=None) -> YearData:
    """The year's in-force values as matrices. With ``cache_dir``, reuse a cached copy while the
    store's submissions for that year are unchanged (see :func:`_cache_key`)."""
    key = None
    if cache_dir is not None:
        key = _cache_key(conn, tree, metric_codes, year)
        cached = _cache_read(cache_dir, year, key)
        if cached is not None:
            return cached
    data = _load_year_sql(conn, tree, metric_codes, year)
    if key is not None:
        _cache_write(cache_dir, year, key, data)
    return data


_SAFE = 2**62
_SLICE = 20_000  # submissions per query (bounds the memory of one decoded slice)
_PACKED = np.dtype([("sid", ">i8"), ("col", ">u2"), ("micro", ">i8")])


def _load_year_sql(conn, tree: Tree, metric_codes: list[str], year: int) -> YearData:
    n, m = tree.n, len(metric_codes)
    subs = conn.execute(
        "SELECT id, unit, scope, source FROM submissions WHERE year = ? AND superseded_by IS NULL", (year,)
    ).fetchall()
    has_sub = np.zeros(n, dtype=bool)
    rep_source = np.zeros(n, dtype=np.int8)
    own = np.zeros((n, m), dtype=np.int64)
    own_has = np.zeros((n, m), dtype=bool)
    rep = np.zeros((n, m), dtype=np.int64)
    rep_has = np.zeros((n, m), dtype=bool)
    if not subs:
        return YearData(year, own, own_has, rep, rep_has, has_sub, rep_source)
    # submission id -> unit row / is-汇总, as lookup tables indexed by id
    top = max(s[0] for s in subs) + 1
    row_of = np.full(top, -1, dtype=np.int64)
    rep_of = np.zeros(top, dtype=bool)
    for sid, unit, scope, source in subs:
        i = tree.index.get(unit)
        if i is None:
            continue
        has_sub[i] = True
        row_of[sid] = i
        if scope == "汇总":
            rep_of[sid] = True
            rep_source[i] = 2 if source == "total_row" else 1
    # Turning millions of SQLite rows into Python objects is what costs at province scale, so SQLite
    # packs each value as fixed-width hex (submission id, metric column, micro as 64-bit two's
    # complement) into one string per slice of submissions, which numpy decodes in one go.
    case = " ".join(f"WHEN '{c.replace(chr(39), chr(39) * 2)}' THEN {j}" for j, c in enumerate(metric_codes))
    sql = (
        f"SELECT group_concat(printf('%016x%04x%016x', v.submission_id, CASE v.metric {case} ELSE 65535 END, v.micro), '')"
        " FROM submission_values v JOIN submissions s ON s.id = v.submission_id"
        " WHERE s.year = ? AND s.superseded_by IS NULL AND v.micro IS NOT NULL AND s.id BETWEEN ? AND ?"
    )
    ids = sorted(sid for sid, *_ in subs)
    abs_total = 0.0
    for k in range(0, len(ids), _SLICE):
        lo, hi = ids[k], ids[min(k + _SLICE, len(ids)) - 1]
        text = conn.execute(sql, (year, lo, hi)).fetchone()[0]
        if not text:
            continue
        packed = np.frombuffer(bytes.fromhex(text), dtype=_PACKED)
        del text
        sid_arr = packed["sid"].astype(np.int64)
        col = packed["col"].astype(np.int64)
        val = packed["micro"].astype(np.int64)
        del packed
        abs_total += float(np.abs(val.astype(np.float64)).sum())
        r = row_of[sid_arr]
        ok = (r >= 0) & (col < m)
        rep_sub = rep_of[sid_arr]
        is_rep = rep_sub & ok
        is_own = ~rep_sub & ok
        own[r[is_own], col[is_own]] = val[is_own]
        own_has[r[is_own], col[is_own]] = True
        rep[r[is_rep], col[is_rep]] = val[is_rep]
        rep_has[r[is_rep], col[is_rep]] = True
    if abs_total >= _SAFE and own.dtype != object:
        # sums over all units could overflow int64: add exact Python integers instead
        own, rep = own.astype(object), rep.astype(object)
    return YearData(year, own, own_has, rep, rep_has, has_sub, rep_source)


def load_years(ws, tree: Tree, metric_codes: list[str], years: list[int], cache=None) -> list[YearData]:
    # (Reading the second year on its own connection in a thread was measured: no gain on the
    # shared 2-core machine, so the years are read one after the other.)
    return [load_year(ws.store.conn, tree, metric_codes, y, cache) for y in years]


# ---- cache of the matrices read from the store ------------------------------------------------------
def _cache_key(conn, tree: Tree, metric_codes: list[str], year: int) -> str:
    """Changes whenever a submission of the year is added or superseded, the units or the catalog change.

    Submissions and their values are only ever added (a correction supersedes), never edited in place.
    """
    import hashlib

    subs = conn.execute(
        "SELECT count(*), max(id), count(superseded_by), total(id * (superseded_by IS NULL)) FROM submissions WHERE year = ?",
        (year,),
    ).fetchone()
    vmax = conn.execute("SELECT max(rowid) FROM submission_values").fetchone()
    h = hashlib.sha1()
    h.update(repr((year, subs, vmax, metric_codes, tree.n)).encode())
    h.update(tree.fingerprint().encode())
    return h.hexdigest()[:20]


def _cache_read(cache_dir, year: int, key: str):
    from pathlib import Path

    path = Path(cache_dir) / f"year-{year}-{key}.npz"
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            return YearData(year, z["own"], z["own_has"], z["rep"], z["rep_has"], z["has_sub"], z["rep_source"])
    except Exception:  # a damaged cache file is simply rebuilt
        return None


def _cache_write(cache_dir, year: int, key: str, data: YearData):
    from pathlib import Path

    if data.own.dtype == object:
        return
    d = Path(cache_dir)
    try:
        d.mkdir(parents=True, exist_ok=True)
        for old in d.glob(f"year-{year}-*.npz"):
            old.unlink()
        tmp = d / f"year-{year}-{key}.tmp.npz"
        np.savez(tmp, own=data.own, own_has=data.own_has, rep=data.rep, rep_has=data.rep_has,
                 has_sub=data.has_sub, rep_source=data.rep_source)
        tmp.replace(d / f"year-{year}-{key}.npz")
    except OSError:
        pass  # a read-only workspace still works, only slower


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
    rates: np.ndarray  # float (units × indicators), NaN = None
    leaf_rep: np.ndarray | None = None  # bool per unit: no subordinates, only a 汇总 return, counted as 本级


def compute_frame(tree: Tree, catalog, data: YearData, prefer: str = "computed") -> Frame:
    metric_codes = list(catalog.metrics)
    aggs = np.array([catalog.metrics[c].aggregation for c in metric_codes])
    # A unit without subordinates that sent only a 汇总 return: its 汇总 is its own activity
    # (nothing below it can be counted twice), so it counts as its 本级.
    leaf_rep = (tree.size == 1) & (data.rep_source == 1) & ~data.own_has.any(axis=1)
    if leaf_rep.any():
        use = leaf_rep[:, None] & data.rep_has
        data = replace(data, own=np.where(use, data.rep, data.own), own_has=data.own_has | use)
    exp_mask = tree.expected(data.year)
    exp_cnt = tree.accumulate(exp_mask.astype(np.int64))
    rep_cnt = tree.accumulate((exp_mask & data.has_sub).astype(np.int64))
    own_cnt = data.own_has.astype(np.int32)
    computed = _accumulate_values(tree, data.own, own_cnt, aggs)
    computed_count = tree.accumulate(own_cnt)
    stood = np.zeros_like(data.own_has)
    below = np.zeros_like(data.own_has)
    if prefer == "reported":
        incomplete = rep_cnt < exp_cnt
        stood = data.rep_has & incomplete[:, None]
    if stood.any():
        total, count, below = _accumulate_with_standins(tree, data, own_cnt, aggs, stood)
    else:
        total, count = computed, computed_count
    rates = _rates(catalog, metric_codes, total, count)
    return Frame(data, total, count, computed, computed_count, stood, below, exp_cnt, rep_cnt, rates, leaf_rep)


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


def _rates(catalog, metric_codes, total, count) -> np.ndarray:
    n = total.shape[0]
    out = np.full((n, len(catalog.indicators)), np.nan)
    if not catalog.indicators:
        return out
    vals = total.astype(np.float64) / MICRO
    vals[count == 0] = np.nan
    col = {c: j for j, c in enumerate(metric_codes)}
    env = {c: vals[:, j] for c, j in col.items()}
    with np.errstate(divide="ignore", invalid="ignore"):
        for k, ind in enumerate(catalog.indicators.values()):
            num = np.asarray(ind.numerator.evaluate(env), dtype=np.float64)
            den = np.asarray(ind.denominator.evaluate(env), dtype=np.float64)
            r = num / den * float(ind.factor)
            r[~np.isfinite(r)] = np.nan
            out[:, k] = r
    return out


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
        env = {}
        for name in set(ind.numerator.names) | set(ind.denominator.names):
            v = self.total_of(frame, i, name)
            if v is None:
                return None, None, None
            env[name] = v
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
            names = set(item.numerator.names) | set(item.denominator.names)
            cols = [self._mcol(n) for n in names]
            stood = bool(f.stood_in[i, cols].any())
            below = bool(f.below_stood[i, cols].any())
            kind = "rate"
        else:
            j = self._mcol(code)
            value = self.total_of(f, i, code)
            stood, below = bool(f.stood_in[i, j]), bool(f.below_stood[i, j])
            kind = item.kind
            reported_fig = self.reported_of(i, code)
            computed_fig = self.computed_of(i, code)
            if stood:
                notes.append(f"下级未报齐（已报 {rep}/{exp}），采用本单位汇总表数 {reported_fig}（计算数 {computed_fig if computed_fig is not None else '无'}）")
            elif reported_fig is not None and reported_fig != computed_fig:
                notes.append(f"本单位汇总表填报 {reported_fig}，计算数 {computed_fig if computed_fig is not None else '无'}")
        if stood and is_rate:
            notes.append(f"下级未报齐（已报 {rep}/{exp}），分子或分母采用本单位汇总表数")
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
    tree = tree or load_tree(conn)
    if tree.n == 0:
        raise UsageError("工作区还没有单位名单。请先运行：gwstats units import 单位名单.xlsx")
    catalog = ws.catalog
    root = resolve_unit(ws, tree, unit)
    codes = order_metrics(catalog, catalog.select(list(metrics) if metrics else None))
    compare_year = _compare_year(ws, year, compare)
    metric_codes = list(catalog.metrics)
    cache = cache_dir(ws)
    years = [year] if compare_year is None else [year, compare_year]
    datas = load_years(ws, tree, metric_codes, years, cache)
    frame = compute_frame(tree, catalog, datas[0], prefer)
    prev = compute_frame(tree, catalog, datas[1], prefer) if compare_year is not None else None
    rows = _row_units(tree, root, level, year, frame)
    return RollupResult(year, compare_year, tree.codes[root], [tree.codes[i] for i in rows], codes, prefer,
                        tree, catalog, frame, prev)


CACHE_DIR = ".gwstats-cache"


def cache_dir(ws):
    """Where matrices read from the store are cached (inside the workspace)."""
    return ws.root / CACHE_DIR


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
    keep = tree.active(year)[cand] | (frame.count[cand].sum(axis=1) > 0) | frame.data.has_sub[cand]
    return [int(i) for i in cand[keep]]


# ---- display ----------------------------------------------------------------------------------------
def fmt_value(value, kind: str, measure: str = "") -> str:
    """A figure as a table shows it: counts whole, amounts with 2 decimals, rates as 80.7%."""
    if value is None:
        return ""
    if kind == "rate":
        return f"{value:.1f}{'%' if measure == '%' else measure}"
    if kind == "amount":
        return f"{Decimal(value).quantize(Decimal('0.01')):f}" if Decimal(value).as_tuple().exponent >= -2 else format(Decimal(value), "f")
    return format(Decimal(value), "f")


def fmt_change(rec: dict) -> str:
    change = rec["change"]
    if change is None:
        return ""
    if rec["kind"] == "rate":
        unit = "个百分点" if rec["measure"] == "%" else rec["measure"]
        return f"{change:+.1f}{unit}"
    text = ("+" if change > 0 else "") + fmt_value(change, rec["kind"])
    if rec["change_pct"] is not None:
        text += f"（{rec['change_pct']:+.1f}%）"
    return text


def column_title(rec: dict) -> str:
    if rec["kind"] == "rate":
        return rec["metric_name"] if rec["measure"] == "%" else f"{rec['metric_name']}（{rec['measure']}）"
    return f"{rec['metric_name']}（{rec['measure']}）"


def wide_rows(result: RollupResult, *, show_parts: bool = False, raw: bool = False,
              drop_empty: bool = False) -> list[dict]:
    """One row per unit (+ 合计): 单位, 已报, then per metric its value [, 分子, 分母] [, 比上年].

    ``drop_empty`` leaves out metrics without a value in any row (for an unfiltered console view).
    """
    recs = result.records()
    if drop_empty:
        keep = {r["metric"] for r in recs if r["value"] is not None or r["prev_value"] is not None}
        recs = [r for r in recs if r["metric"] in keep]
    rows: dict[str, dict] = {}
    for rec in recs:
        is_root = rec["unit"] == result.root and rec["unit"] not in result.units
        row = rows.setdefault(rec["unit"], {"单位": "合计" if is_root else rec["unit_name"], "已报": rec["coverage"]})
        title = column_title(rec)
        row[title] = (rec["value"] if raw else fmt_value(rec["value"], rec["kind"], rec["measure"]))
        if show_parts and rec["kind"] == "rate":
            row[f"{rec['metric_name']}·分子"] = rec["numerator"]
            row[f"{rec['metric_name']}·分母"] = rec["denominator"]
        if result.compare_year is not None:
            row[f"{rec['metric_name']}·比上年" if len(result.metrics) > 1 else "比上年"] = (
                rec["change"] if raw else fmt_change(rec))
        if rec["source"] == "reported":
            row["说明"] = (row.get("说明", "") + "；" if row.get("说明") else "") + f"{rec['metric_name']}采用汇总表数"
    return list(rows.values())

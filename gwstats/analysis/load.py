"""Reading one year of in-force values from the store into dense matrices (units × metrics).

Each submission carries its numeric values packed at import time (``submissions.packed``, see
gwstats/store/schema.py): one query of the store (``Store.packed_in_force_chunks``) fetches the year's
in-force submissions with their blobs 10,000 at a time; each chunk's blobs are joined and decoded with
one ``numpy.frombuffer``, metric ids are mapped to catalog columns through a lookup array and the
values are scattered into the matrices. No Python object per value.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat
from operator import eq, itemgetter

import numpy as np

from gwstats.analysis.tree import Tree
from gwstats.store.db import packed_dtype

_SAFE = 2**62  # beyond this sum of magnitudes, totals could overflow int64


@dataclass
class YearData:
    """What the store holds for one year, as matrices over the tree's units and the base metrics."""

    year: int
    own: np.ndarray  # int64 micro, 本级 values (0 where absent); object (Python ints) if int64 could overflow
    own_has: np.ndarray  # bool
    rep: np.ndarray  # int64 micro, 汇总 values (return or 合计 row)
    rep_has: np.ndarray  # bool
    has_sub: np.ndarray  # bool per unit: any submission in force
    rep_source: np.ndarray  # int8 per unit: 0 none, 1 汇总 return, 2 合计 row
    own_approx: np.ndarray | None = None  # bool like own_has: the value was written approximately (800多)
    rep_approx: np.ndarray | None = None  # bool like rep_has
    row_total: np.ndarray | None = None  # micro: a 合计 row's values where the unit also sent a real 汇总
    row_total_has: np.ndarray | None = None  # (the 汇总 return is in ``rep``; the row is only checked)
    folded: np.ndarray | None = None  # bool per unit: holds the figures of units merged into it (an earlier year)
    as_huizong: np.ndarray | None = None  # bool per unit: a summary-sheet row taken as 本级 by default, read
    # as the unit's 汇总 because units below it also reported (never counted twice)
    scope_read: np.ndarray | None = None  # bool per unit: a return without 口径 read as 汇总 from its figures
    scope_unsure: np.ndarray | None = None  # bool per unit: without 口径, figures below its subordinates' sum

    def __post_init__(self):
        if self.own_approx is None:
            self.own_approx = np.zeros(self.own_has.shape, dtype=bool)
        if self.rep_approx is None:
            self.rep_approx = np.zeros(self.rep_has.shape, dtype=bool)


def _positions(metric_codes: list[str], aliases: dict[str, str] | None) -> dict[str, int]:
    """code -> column; a metric's former codes (catalog ``formerly``) share its column."""
    pos = {c: j for j, c in enumerate(metric_codes)}
    for old, new in (aliases or {}).items():
        if new in pos and old not in pos:
            pos[old] = pos[new]
    return pos


def _metric_columns(store, metric_codes: list[str], aliases: dict[str, str] | None = None) -> np.ndarray:
    """Lookup array: metric id -> column in ``metric_codes`` (-1 for codes not among them)."""
    ids = store.metric_id_codes()
    top = max((i for i, _ in ids), default=0) + 1
    col_of = np.full(top, -1, dtype=np.int64)
    pos = _positions(metric_codes, aliases)
    for i, code in ids:
        col_of[i] = pos.get(code, -1)
    return col_of


def _unpacked(store, sids: list[int], metric_codes: list[str], aliases: dict[str, str] | None = None):
    """(submission, column, micro) from the value rows of submissions without a blob (written by
    something other than Store.add_submission); Store.backfill_packed would write their blobs."""
    pos = _positions(metric_codes, aliases)
    return [(s, pos.get(c, -1), v) for s, c, v in store.numeric_values_of(sids)]


def load_year(store, tree: Tree, metric_codes: list[str], year: int, aliases: dict[str, str] | None = None) -> YearData:
    """The year's in-force values as matrices (``aliases``: former code -> current code)."""
    n, m = tree.n, len(metric_codes)
    dt = packed_dtype()
    sids, units, scopes, sources = [], [], [], []  # of each submission
    chunks = []  # (its first submission, values per submission, the values as packed records)
    unpacked: dict[int, int] = {}  # submission id -> position, of submissions without a blob
    for part in store.packed_in_force_chunks(year):
        first = len(sids)
        for col, k in ((sids, 0), (units, 1), (scopes, 2), (sources, 3)):
            col += map(itemgetter(k), part)
        blobs = list(map(itemgetter(4), part))
        del part
        if None in blobs:
            unpacked.update((sids[first + k], first + k) for k, b in enumerate(blobs) if b is None)
            blobs = [b or b"" for b in blobs]
        counts = np.fromiter(map(len, blobs), dtype=np.int64, count=len(blobs)) // dt.itemsize
        chunks.append((first, counts, np.frombuffer(b"".join(blobs), dtype=dt)))
        del blobs
    has_sub = np.zeros(n, dtype=bool)
    rep_source = np.zeros(n, dtype=np.int8)
    own = np.zeros((n, m), dtype=np.int64)
    own_has = np.zeros((n, m), dtype=bool)
    rep = np.zeros((n, m), dtype=np.int64)
    rep_has = np.zeros((n, m), dtype=bool)
    if not sids:
        return YearData(year, own, own_has, rep, rep_has, has_sub, rep_source)
    k_subs = len(sids)
    # unit row of each submission (-1: not in the tree), whether it is a 汇总
    rows = np.fromiter(map(tree.index.get, units, repeat(-1, k_subs)), dtype=np.int64, count=k_subs)
    is_rep = np.fromiter(map(eq, scopes, repeat("汇总")), dtype=bool, count=k_subs)
    valid = rows >= 0
    has_sub[rows[valid]] = True
    hz = valid & is_rep
    is_row = np.fromiter(map(eq, sources, repeat("total_row")), dtype=bool, count=k_subs)
    # a unit may have a real 汇总 return and a 合计 row side by side: the return is its 汇总 (1), else the row (2)
    rep_source[rows[hz & is_row]] = 2
    rep_source[rows[hz & ~is_row]] = 1
    # the 合计 row of a unit that also sent a real 汇总 return is only checked (row_total), never its 汇总
    both = np.zeros(n, dtype=bool)
    both[rows[hz & is_row]] = True
    both &= rep_source == 1
    row_of_both = hz & is_row & both[np.maximum(rows, 0)]
    # each submission's values go to one matrix: 0 none (not in the tree), 1 own, 2 rep, 3 row_total
    dest = np.zeros(k_subs, dtype=np.int8)
    dest[valid & ~is_rep] = 1
    dest[hz & ~row_of_both] = 2
    dest[row_of_both] = 3
    row_total = row_total_has = None
    if row_of_both.any():
        row_total, row_total_has = np.zeros((n, m), dtype=np.int64), np.zeros((n, m), dtype=bool)
    targets = {1: (own, own_has), 2: (rep, rep_has), 3: (row_total, row_total_has)}
    col_of = _metric_columns(store, metric_codes, aliases)
    magnitude = 0.0
    for first, counts, packed in chunks:  # in the order of the submissions, so a later value wins as before
        span = slice(first, first + counts.size)
        magnitude = _scatter_chunk(packed, counts, rows[span], dest[span], col_of, m, targets, magnitude)
    del chunks
    if unpacked:  # value rows of submissions without a blob, after the blobs' values as before
        extra = [(unpacked[s_], c, v) for s_, c, v in _unpacked(store, list(unpacked), metric_codes, aliases)]
        for g in (0, 1, 2, 3):
            ex = [e for e in extra if dest[e[0]] == g]
            if ex:
                magnitude += _scatter(None, np.array([v for _, _, v in ex], dtype=np.int64),
                                      rows[np.array([k for k, _, _ in ex], dtype=np.int64)], None, m,
                                      *targets.get(g, (None, None)), col=np.array([c for _, c, _ in ex], dtype=np.int64))
    if magnitude >= _SAFE:
        # sums over all units could overflow int64: add exact Python integers instead
        own, rep = own.astype(object), rep.astype(object)
    own_approx, rep_approx = _approx(store, tree, metric_codes, year, own_has, rep_has, aliases)
    as_huizong = _assumed_rows(store, tree, year, has_sub, rep_source)
    if as_huizong.any():
        u = as_huizong
        rep[u], rep_has[u], rep_approx[u] = own[u], own_has[u], own_approx[u]
        own[u], own_has[u], own_approx[u] = 0, False, False
        rep_source[u] = 1
    scope_read, scope_unsure = _scope_from_figures(store, tree, year, own, own_has, rep_source)
    if scope_read.any():
        u = scope_read
        rep[u], rep_has[u], rep_approx[u] = own[u], own_has[u], own_approx[u]
        own[u], own_has[u], own_approx[u] = 0, False, False
        rep_source[u] = 1
    return YearData(year, own, own_has, rep, rep_has, has_sub, rep_source, own_approx, rep_approx, row_total,
                    row_total_has, as_huizong=as_huizong, scope_read=scope_read, scope_unsure=scope_unsure)


def _scatter_chunk(packed, counts, rows, dest, col_of, m: int, targets: dict, magnitude: float) -> float:
    """One chunk's values (``counts`` per submission, its unit row and destination) into their matrices:
    each value's place in the matrices worked out once, then one write per destination present (in a
    province's chunk nearly always 本级 alone, written without a selection). Returns ``magnitude`` plus
    the values' magnitudes, added per destination as ``_scatter`` does (the same float sums)."""
    metric, micro = packed["metric"], packed["micro"]
    if metric.size and int(metric.max()) < col_of.size:
        col = col_of[metric]
    else:
        col = np.where(metric < col_of.size, col_of[np.minimum(metric, col_of.size - 1)], -1)
    at = np.repeat(rows * m, counts)
    at += col
    present = np.unique(dest)
    if present.size == 1:  # every submission of the chunk to one matrix: no selection
        sels = {int(present[0]): None}
    else:
        d = np.repeat(dest, counts)
        sels = {int(g): d == g for g in present}
    keep = col >= 0
    every = bool(keep.all())
    for g, sel in sels.items():
        mic = micro if sel is None else micro[sel]
        magnitude += float(np.abs(mic.astype(np.float64)).sum())
        vals, has = targets.get(g, (None, None))
        if vals is None:
            continue
        if sel is None and every:
            idx = at
        else:
            ok = keep if sel is None else sel & keep
            idx, mic = at[ok], micro[ok]
        vals.reshape(-1)[idx] = mic
        has.reshape(-1)[idx] = True
    return magnitude


def _scatter(metric, micro, r, col_of, m: int, vals, has, col=None) -> float:
    """Write values into a (units × metrics) matrix and its presence flags (``vals`` None: only
    measured): ``r`` the unit row of each value, its column from the metric id through ``col_of``
    (or given as ``col``; -1: not among the metrics). Returns the sum of the magnitudes."""
    if col is None:
        if metric.size and int(metric.max()) < col_of.size:
            col = col_of[metric]
        else:
            col = np.where(metric < col_of.size, col_of[np.minimum(metric, col_of.size - 1)], -1)
    size = np.abs(micro.astype(np.float64))
    magnitude = float(size.sum())
    del size
    if vals is None:
        return magnitude
    ok = col >= 0
    at = r * m + col  # position in the matrices
    if not ok.all():
        at, micro = at[ok], micro[ok]
    vals.reshape(-1)[at] = micro
    has.reshape(-1)[at] = True
    return magnitude


def _scope_from_figures(store, tree: Tree, year: int, own, own_has, rep_source):
    """Returns without 口径 from units with subordinates (import note ``scope-missing``): where some
    subordinate reported and every figure the unit and its subordinates both give is at least their
    sum, the return already holds them: it is the unit's 汇总 (``scope_read``). Where a figure is
    smaller, neither reading is safe: kept as 本级 and reported as an error (``scope_unsure``)."""
    read = np.zeros(tree.n, dtype=bool)
    unsure = np.zeros(tree.n, dtype=bool)
    units = store.units_with_note(year, "scope-missing", "本级")
    if not units:
        return read, unsure
    below = tree.accumulate(np.where(own_has, own, 0)) - np.where(own_has, own, 0)
    below_has = (tree.accumulate(own_has.astype(np.int64)) - own_has) > 0
    for unit in units:
        i = tree.index.get(unit)
        if i is None or rep_source[i] != 0 or not below_has[i].any():
            continue
        both = own_has[i] & below_has[i]
        if both.any() and bool((own[i][both] >= below[i][both]).all()):
            read[i] = True
        else:
            unsure[i] = True
    return read, unsure


def _assumed_rows(store, tree: Tree, year: int, has_sub, rep_source) -> np.ndarray:
    """Units whose 本级 is a row of a summary sheet without 口径 (taken as 本级 by default) while some
    unit below them has a return of its own: that row already holds them, so it is the unit's 汇总."""
    out = np.zeros(tree.n, dtype=bool)
    units = store.units_with_note(year, "row-scope-assumed", "本级")
    if not units:
        return out
    below = tree.accumulate(has_sub.astype(np.int64)) - has_sub
    for unit in units:
        i = tree.index.get(unit)
        if i is not None and below[i] > 0 and rep_source[i] == 0:
            out[i] = True
    return out


def _approx(store, tree: Tree, metric_codes: list[str], year: int, own_has, rep_has, aliases=None):
    """Where the year's in-force values were written approximately (800多); rare."""
    own_approx = np.zeros(own_has.shape, dtype=bool)
    rep_approx = np.zeros(rep_has.shape, dtype=bool)
    rows = store.approx_in_force(year)
    pos = _positions(metric_codes, aliases)
    for unit, scope, metric in rows:
        i, j = tree.index.get(unit), pos.get(metric)
        if i is not None and j is not None:
            (rep_approx if scope == "汇总" else own_approx)[i, j] = True
    return own_approx & own_has, rep_approx & rep_has


def load_years(store, tree: Tree, metric_codes: list[str], years: list[int], aliases: dict[str, str] | None = None) -> list[YearData]:
    return [load_year(store, tree, metric_codes, y, aliases) for y in years]


def fold_merged(tree: Tree, data: YearData, pairs: list[tuple[str, str]]) -> YearData:
    """An earlier year laid on today's units: a merged unit's own figures count as its successor's
    (东乡 + 西乡 → 东西乡), so the successor gets a comparison. Follows chains (A → B → C)."""
    target = dict(pairs)
    moves = []
    for old in target:
        new, seen = target[old], {old}
        while new in target and new not in seen:
            seen.add(new)
            new = target[new]
        i, j = tree.index.get(old), tree.index.get(new)
        if i is not None and j is not None and i != j:
            moves.append((i, j))
    if not moves:
        return data
    own, own_has, approx = data.own.copy(), data.own_has.copy(), data.own_approx.copy()
    has_sub = data.has_sub.copy()
    folded = np.zeros(tree.n, dtype=bool)
    for i, j in moves:
        folded[j] = True
        own[j] = own[j] + np.where(own_has[i], own[i], 0)
        own_has[j] |= own_has[i]
        approx[j] |= approx[i]
        has_sub[j] |= has_sub[i]
        own[i], own_has[i], approx[i] = 0, False, False
    from dataclasses import replace

    return replace(data, own=own, own_has=own_has, own_approx=approx, has_sub=has_sub, folded=folded)

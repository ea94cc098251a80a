"""The hierarchy as arrays, for computing over every unit at once.

Units are numbered in depth-first order (parents before children, file order), so the subtree of
unit ``i`` is the contiguous range ``i .. i + size[i] - 1``. ``parent`` holds the parent's index
(-1 for a root), ``depth`` the distance from the root. Totals are accumulated bottom-up one depth
at a time over parent indices, or (sums) from the depth-first ranges: no Python loop per unit per metric.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Tree:
    codes: list[str]
    names: list[str]
    parent: np.ndarray  # int64, -1 for roots
    depth: np.ndarray  # int64, 0 for roots
    level: np.ndarray  # int64, Unit.level (given, else parent's + 1)
    size: np.ndarray  # int64, number of units in the subtree (inclusive)
    active_from: np.ndarray  # int64, very small when open
    active_to: np.ndarray  # int64, very large when open
    index: dict[str, int] = field(default_factory=dict)
    by_depth: list[np.ndarray] = field(default_factory=list)
    _groups: dict = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return len(self.codes)

    @property
    def root(self) -> int:
        return 0

    def active(self, year: int) -> np.ndarray:
        return (self.active_from <= year) & (year <= self.active_to)

    def subtree(self, i: int) -> slice:
        return slice(i, i + int(self.size[i]))

    def children(self, i: int) -> np.ndarray:
        s = self.subtree(i)
        rng = np.arange(s.start, s.stop)
        return rng[self.parent[s] == i]

    def ancestors(self, i: int) -> list[int]:
        out = []
        p = int(self.parent[i])
        while p >= 0:
            out.append(p)
            p = int(self.parent[p])
        return out

    def expected(self, year: int) -> np.ndarray:
        """Units expected to report: active that year and reporting to someone (not a root)."""
        return self.active(year) & (self.parent >= 0)

    def groups(self, d: int):
        """For the units at depth d (d >= 1): their indices, the start of each run of siblings,
        and the parent of each run. In depth-first order siblings at one depth are contiguous."""
        cached = self._groups.get(d)
        if cached is None:
            idx = self.by_depth[d]
            par = self.parent[idx]
            starts = np.flatnonzero(np.r_[True, par[1:] != par[:-1]])
            cached = self._groups[d] = (idx, starts, par[starts])
        return cached

    def pass_up(self, total: np.ndarray, d: int, op=np.add, src: np.ndarray | None = None):
        """Combine the rows of the units at depth d into their parents' rows (in place)."""
        idx, starts, parents = self.groups(d)
        src = total if src is None else src
        if idx.size == 0:
            return
        combined = op.reduceat(src[idx], starts, axis=0)
        total[parents] = op(total[parents], combined)

    def under(self, flag: np.ndarray) -> np.ndarray:
        """bool like ``flag`` (per unit, or units × columns): set where some unit strictly above is flagged."""
        out = np.zeros_like(flag, dtype=bool)
        for d in range(1, len(self.by_depth)):
            idx = self.by_depth[d]
            par = self.parent[idx]
            out[idx] = out[par] | flag[par]
        return out

    def accumulate(self, own: np.ndarray, op=np.add, *, inplace: bool = False) -> np.ndarray:
        """Subtree totals of ``own`` (rows = units) with ``op`` (np.add / np.maximum / np.minimum / np.logical_or);
        ``inplace``: into ``own`` itself (an array made for the purpose), no copy."""
        total = own if inplace else own.copy()
        if self._by_ranges(total, op):
            return total
        for d in range(len(self.by_depth) - 1, 0, -1):
            self.pass_up(total, d, op)
        return total

    def _by_ranges(self, total: np.ndarray, op) -> bool:
        """Subtree sums of int32 / int64 rows (or any-of of bool rows) from the depth-first ranges, in
        place: the rows cut into runs at every subtree's start and end, each run combined once
        (``reduceat`` over ``total`` itself, no copy of a depth's rows), a subtree = a difference of
        running sums over its runs. Integer differences are exact even where a running sum wraps, as
        long as the subtree's true total fits (load.py turns to Python integers before it could not).
        False (nothing done) for other ops and dtypes: the level pass."""
        kind = total.dtype.kind
        if total.shape[:1] != (self.n,) or not (
                (op is np.add and kind == "i" and total.dtype.itemsize >= 4) or (op is np.logical_or and kind == "b")):
            return False
        inner, bounds, first, last = self._ranges()
        if inner.size == 0:
            return True
        runs = op.reduceat(total, bounds, axis=0, dtype=None if kind == "b" else total.dtype)
        if kind == "b":
            runs = runs.astype(np.int64)
        running = np.zeros((runs.shape[0] + 1,) + runs.shape[1:], dtype=runs.dtype)
        np.cumsum(runs, axis=0, out=running[1:])
        sums = running[last]
        sums -= running[first]
        total[inner] = sums > 0 if kind == "b" else sums
        return True

    def _ranges(self):
        """(units with subordinates, the run starts, each such unit's first run and the run after its last)."""
        cached = self._groups.get("ranges")
        if cached is None:
            inner = np.flatnonzero(self.size > 1)
            ends = inner + self.size[inner]
            bounds = np.unique(np.concatenate([inner, ends]))
            bounds = bounds[bounds < self.n]
            cached = self._groups["ranges"] = (inner, bounds, np.searchsorted(bounds, inner),
                                               np.searchsorted(bounds, ends))
        return cached


def accumulate_values(tree: Tree, own, own_cnt, aggs, *, inplace: bool = False) -> np.ndarray:
    """Subtree totals per metric column by its aggregation: sum, or max / min over the units that
    gave a value (``own_cnt`` > 0). ``inplace``: ``own`` is an array made for the purpose and
    becomes the totals (a province's 25 MB copy saved)."""
    extremes = []
    for agg, op in (("max", np.maximum), ("min", np.minimum)):
        cols = np.flatnonzero(aggs == agg)
        if cols.size:
            edge = sentinel(own, agg)
            extremes.append((cols, edge, op, np.where(own_cnt[:, cols] > 0, own[:, cols], edge)))
    total = tree.accumulate(own, inplace=inplace)
    for cols, edge, op, sub in extremes:
        acc = tree.accumulate(sub, op, inplace=True)
        total[:, cols] = np.where(acc == edge, 0, acc)
    return total


def sentinel(arr, agg):
    if arr.dtype == object:
        return -(10**40) if agg == "max" else 10**40
    info = np.iinfo(np.int64)
    return info.min if agg == "max" else info.max


_LOW, _HIGH = -(10**9), 10**9


def build_tree(rows) -> Tree:
    """rows: (code, name, parent, level, active_from, active_to) in file order. Units are numbered in
    depth-first order, children in file order; a unit whose parent is unknown (or itself) is a root,
    and units on a cycle of parents (reachable from no root) are left out."""
    rows = list(rows)
    codes_in = [r[0] for r in rows]
    pos_of = {c: k for k, c in enumerate(codes_in)}
    if len(pos_of) != len(rows):  # a code twice: the unit-by-unit walk
        return _walked_tree(rows)
    n_in = len(rows)
    par = np.fromiter((-1 if r[2] == r[0] else pos_of.get(r[2], -1) for r in rows), dtype=np.int64, count=n_in)
    # depth from the roots down, one level at a time (units on a cycle keep -1)
    depth = np.where(par < 0, 0, -1)
    by_depth_in = [np.flatnonzero(depth == 0)]
    waiting = np.flatnonzero(par >= 0)
    while waiting.size:
        hit = depth[par[waiting]] == len(by_depth_in) - 1
        if not hit.any():
            break
        idx = waiting[hit]
        depth[idx] = len(by_depth_in)
        by_depth_in.append(idx)
        waiting = waiting[~hit]
    size_in = np.ones(n_in, dtype=np.int64)
    for idx in reversed(by_depth_in[1:]):
        np.add.at(size_in, par[idx], size_in[idx])
    # position in depth-first order: the parent's, plus one, plus the sizes of the siblings before it
    pos = np.full(n_in, -1, dtype=np.int64)
    roots = by_depth_in[0]
    pos[roots] = np.cumsum(size_in[roots]) - size_in[roots]
    for idx in by_depth_in[1:]:
        sib = idx[np.argsort(par[idx], kind="stable")]  # grouped by parent, file order within
        sz, ps = size_in[sib], par[sib]
        before = np.cumsum(sz) - sz
        first = np.r_[True, ps[1:] != ps[:-1]]
        before -= np.repeat(before[first], np.diff(np.r_[np.flatnonzero(first), sib.size]))
        pos[sib] = pos[ps] + 1 + before
    reached = np.flatnonzero(pos >= 0)
    order = np.empty(reached.size, dtype=np.int64)
    order[pos[reached]] = reached
    n = order.size
    parent = np.where(par[order] >= 0, pos[np.maximum(par[order], 0)], -1)
    dep = depth[order].astype(np.int64)
    given = [rows[k][3] for k in order.tolist()]
    level = np.array([-1 if g is None else int(g) for g in given], dtype=np.int64)
    unset = level == -1 if any(g is None for g in given) else None
    if unset is not None:  # not given: the parent's + 1, a root's 1 (parents first, level by level)
        for d in range(int(dep.max()) + 1 if n else 0):
            at = np.flatnonzero(unset & (dep == d))
            level[at] = 1 if d == 0 else level[parent[at]] + 1
    max_depth = int(dep.max()) if n else 0
    by_depth = [np.flatnonzero(dep == d) for d in range(max_depth + 1)] if n else []
    ordered = [rows[k] for k in order.tolist()]
    codes = [r[0] for r in ordered]
    return Tree(
        codes=codes,
        names=[r[1] for r in ordered],
        parent=parent,
        depth=dep,
        level=level,
        size=size_in[order],
        active_from=np.asarray([_LOW if r[4] is None else int(r[4]) for r in ordered], dtype=np.int64),
        active_to=np.asarray([_HIGH if r[5] is None else int(r[5]) for r in ordered], dtype=np.int64),
        index={c: i for i, c in enumerate(codes)},
        by_depth=by_depth,
    )


def _walked_tree(rows) -> Tree:
    """build_tree unit by unit (rows with a code given twice)."""
    rows = list(rows)
    known = {r[0] for r in rows}
    children: dict[str | None, list[int]] = {}
    for k, r in enumerate(rows):
        p = r[2] if r[2] in known and r[2] != r[0] else None
        children.setdefault(p, []).append(k)
    order: list[int] = []
    parent_pos: list[int] = []
    depth: list[int] = []
    level: list[int] = []
    seen: set[int] = set()
    stack = [(k, -1) for k in reversed(children.get(None, []))]
    while stack:
        k, ppos = stack.pop()
        if k in seen:
            continue
        seen.add(k)
        pos = len(order)
        order.append(k)
        parent_pos.append(ppos)
        depth.append(0 if ppos < 0 else depth[ppos] + 1)
        given = rows[k][3]
        level.append(int(given) if given is not None else (level[ppos] + 1 if ppos >= 0 else 1))
        for c in reversed(children.get(rows[k][0], [])):
            stack.append((c, pos))
    n = len(order)
    parent = np.asarray(parent_pos, dtype=np.int64)
    dep = np.asarray(depth, dtype=np.int64)
    size = np.ones(n, dtype=np.int64)
    max_depth = int(dep.max()) if n else 0
    by_depth = [np.flatnonzero(dep == d) for d in range(max_depth + 1)] if n else []
    for d in range(max_depth, 0, -1):
        idx = by_depth[d]
        np.add.at(size, parent[idx], size[idx])  # once, on a vector
    codes = [rows[k][0] for k in order]
    return Tree(
        codes=codes,
        names=[rows[k][1] for k in order],
        parent=parent,
        depth=dep,
        level=np.asarray(level, dtype=np.int64),
        size=size,
        active_from=np.asarray([_LOW if rows[k][4] is None else int(rows[k][4]) for k in order], dtype=np.int64),
        active_to=np.asarray([_HIGH if rows[k][5] is None else int(rows[k][5]) for k in order], dtype=np.int64),
        index={c: i for i, c in enumerate(codes)},
        by_depth=by_depth,
    )


def load_tree(store) -> Tree:
    """The store's units as a Tree."""
    return build_tree(store.unit_tree_rows())

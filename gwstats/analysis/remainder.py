"""Rows that add up to 合计.

A table lists the units of one level under the selected unit, then 合计. The 合计 also holds what
none of the listed rows holds: the selected unit's own 本级 figures and, with ``--level N``, the 本级 of
the units between and the units whose branch has no unit at level N. That remainder is one more row
(``集安市关工委（本级）`` or ``其他（…）``), computed as 合计 − Σ listed rows on the very matrices the
figures come from, so the listed rows always add up to 合计 exactly.

The extra row is appended to every per-unit matrix of the rollup frames (index ``tree.n``), so
records are built for it exactly as for a unit.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from gwstats.analysis.tree import Tree


@dataclass
class ExtraRow:
    key: str  # the record's "unit"
    name: str  # the record's "unit_name"
    level: int
    kind: str  # 本级 | 其他
    members: np.ndarray  # tree indices of the units whose figures make up the row


def extra_row(tree: Tree, root: int, listed: list[int], frames, level: int | None) -> ExtraRow | None:
    """The remainder row, or None when the listed rows already make the 合计."""
    if root in listed or not listed:
        return None
    s = tree.subtree(root)
    rest = np.zeros(tree.n, dtype=bool)
    rest[s] = True
    for i in listed:
        rest[tree.subtree(i)] = False
    members = np.flatnonzero(rest)
    has = any(f is not None and (f.eff_has[members].any() or f.dropped[members].any()) for f in frames)
    if not members.size or not has:
        return None
    name = tree.names[root]
    code = tree.codes[root]
    with_data = [int(k) for k in members if any(f is not None and f.eff_has[k].any() for f in frames)]
    if with_data == [root] or members.tolist() == [root]:
        return ExtraRow(f"{code}（本级）", f"{name}（本级）", int(tree.level[root]), "本级", members)
    below = f"无第{level}级下属的单位" if level is not None else "未列出的单位"
    return ExtraRow(f"{code}（其他）", f"其他（上级单位本级及{below}）", int(tree.level[root]), "其他", members)


class Rowed:
    """A per-unit matrix with one more row at index ``n`` (the remainder row), without copying the
    matrix: ``m[i, j]`` / ``m[i]`` with ``i == n`` read the extra row, anything else the base array."""

    __slots__ = ("base", "extra", "n")

    def __init__(self, base: np.ndarray, extra: np.ndarray):
        self.base, self.extra, self.n = base, extra, base.shape[0]

    def __getitem__(self, key):
        i = key[0] if isinstance(key, tuple) else key
        if isinstance(i, (int, np.integer)) and i == self.n:
            return self.extra[key[1:]] if isinstance(key, tuple) and len(key) > 1 else self.extra
        return self.base[key]

    def __getattr__(self, name):  # shape, dtype, astype ... of the base
        return getattr(self.base, name)


def _rest(arr: np.ndarray, root: int, listed: np.ndarray) -> np.ndarray:
    return arr[root] - arr[listed].sum(axis=0)


def extend_frame(frame, tree: Tree, root: int, listed: list[int], row: ExtraRow, sums: np.ndarray):
    """``frame`` with one more row (index tree.n): the remainder 合计 − Σ listed; ``sums`` marks the
    summed metric columns (a max/min column has no remainder). The matrices are not copied."""
    if frame is None:
        return None
    lst = np.asarray(listed, dtype=np.int64)
    m = row.members

    def diff(a):
        return Rowed(a, _rest(a, root, lst))

    def anyof(a):
        """For own-level flags: the row's entry is set where some member's is."""
        return Rowed(a, a[m].any(axis=0))

    def tail(a, flags):
        """For subtree-level flags ``a``: the row's entry is set where some member's own ``flags`` is."""
        return Rowed(a, flags[m].any(axis=0))

    def zero(a):
        return Rowed(a, np.zeros(a.shape[1:], dtype=a.dtype))

    own_only = row.kind == "本级"
    data = frame.data
    x_data = replace(
        data,
        own=Rowed(data.own, data.own[root] if own_only else np.zeros_like(data.own[root])),
        own_has=Rowed(data.own_has, data.own_has[root] if own_only else np.zeros_like(data.own_has[root])),
        rep=zero(data.rep), rep_has=zero(data.rep_has), has_sub=zero(data.has_sub), rep_source=zero(data.rep_source),
        own_approx=anyof(data.own_approx), rep_approx=zero(data.rep_approx),
    )
    count = diff(frame.count)
    count.extra[~sums] = 0
    comp_count = diff(frame.computed_count)
    comp_count.extra[~sums] = 0
    inds = {}
    for code, it in frame.indicators.items():
        inds[code] = replace(
            it, total=diff(it.total), count=diff(it.count), partial=diff(it.partial), stood=zero(it.stood),
            below=tail(it.below, it.stood), approx=tail(it.approx, it.own_approx), own_partial=anyof(it.own_partial),
        )
    return replace(
        frame, data=x_data, total=diff(frame.total), count=count, computed=diff(frame.computed),
        computed_count=comp_count, stood_in=zero(frame.stood_in), below_stood=tail(frame.below_stood, frame.stood_in),
        expected=diff(frame.expected), reported=diff(frame.reported), leaf_rep=zero(frame.leaf_rep),
        indicators=inds, approx=tail(frame.approx, frame.eff_has & frame.data.own_approx), derived=anyof(frame.derived),
        dropped=anyof(frame.dropped),
    )


def extend_comparable(cmp, root: int, listed: list[int]):
    """The comparable-basis totals with the remainder row appended (own-level flags stay per unit)."""
    if cmp is None:
        return None
    lst = np.asarray(listed, dtype=np.int64)
    per_unit = ("own_only_cur", "own_only_prev")

    def ext(obj):
        kw = {}
        for f in fields(obj):
            v = getattr(obj, f.name)
            if isinstance(v, np.ndarray) and f.name not in per_unit:
                kw[f.name] = Rowed(v, _rest(v, root, lst))
        return replace(obj, **kw)

    out = ext(cmp)
    out.indicators = {code: ext(p) for code, p in cmp.indicators.items()}
    return out

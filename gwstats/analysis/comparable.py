"""Year-over-year on a comparable basis (可比口径).

The change of a total is computed over the units that gave the figure in both years: a unit that
did not report this year must not read as a fall, nor a newcomer as a rise. Per metric the basis is
the units whose own contribution (本级, or a 汇总 standing in for its subtree) is present in both
years; for a rate, the units that gave all its parts in both years. Both years are laid on this
year's hierarchy (按现行隶属关系计算).

Where the basis differs from either year's full set the change is marked comparable and the units
left out are named; where every unit gave the figure in both years nothing differs from a plain
difference of the totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gwstats.analysis.tree import Tree, accumulate_values


@dataclass
class ComparableParts:
    """One indicator's parts on the comparable basis (units × parts), and the units left out."""

    cur: np.ndarray
    prev: np.ndarray
    both: np.ndarray  # int per unit: units of the subtree with all parts in both years
    only_cur: np.ndarray  # int per unit: units with all parts this year only
    only_prev: np.ndarray  # int per unit: units with all parts last year only
    own_only_cur: np.ndarray  # bool per unit (own level), for naming
    own_only_prev: np.ndarray


@dataclass
class Comparable:
    cur: np.ndarray  # micro (units × metrics): this year's totals over the comparable units
    prev: np.ndarray  # micro: last year's totals over the same units
    both: np.ndarray  # int: units of the subtree with the figure in both years
    only_cur: np.ndarray  # int: units with the figure this year only
    only_prev: np.ndarray  # int: units with the figure last year only
    own_only_cur: np.ndarray  # bool (own level)
    own_only_prev: np.ndarray
    indicators: dict = field(default_factory=dict)  # code -> ComparableParts


def comparable(tree: Tree, catalog, cur, prev) -> Comparable:
    """``cur`` and ``prev`` are the two years' rollup frames on the same tree."""
    metric_codes = list(catalog.metrics)
    aggs = np.array([catalog.metrics[c].aggregation for c in metric_codes])
    both = cur.eff_has & prev.eff_has
    only_c = cur.eff_has & ~prev.eff_has
    only_p = prev.eff_has & ~cur.eff_has
    cnt = both.astype(np.int32)  # counts of units: int32 keeps a province-sized rollup in memory bounds
    # every array accumulated below is made for it: summed in place, no second copy of a province's matrix
    c_tot = accumulate_values(tree, np.where(both, cur.eff_own, 0), cnt, aggs, inplace=True)
    p_tot = accumulate_values(tree, np.where(both, prev.eff_own, 0), cnt, aggs, inplace=True)
    out = Comparable(c_tot, p_tot, tree.accumulate(cnt, inplace=True),
                     tree.accumulate(only_c.astype(np.int32), inplace=True),
                     tree.accumulate(only_p.astype(np.int32), inplace=True), only_c, only_p)
    for code, it in cur.indicators.items():
        pt = prev.indicators[code]
        b = it.eff_ok & pt.eff_ok
        oc, op = it.eff_ok & ~pt.eff_ok, pt.eff_ok & ~it.eff_ok
        out.indicators[code] = ComparableParts(
            tree.accumulate(np.where(b[:, None], it.eff_parts, 0), inplace=True),
            tree.accumulate(np.where(b[:, None], pt.eff_parts, 0), inplace=True),
            tree.accumulate(b.astype(np.int64), inplace=True), tree.accumulate(oc.astype(np.int64), inplace=True),
            tree.accumulate(op.astype(np.int64), inplace=True), oc, op)
    return out

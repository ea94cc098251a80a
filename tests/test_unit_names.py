"""Written unit names: one hostile cell costs no more than a short one."""

import time

from gwstats.model.hierarchy import Hierarchy, Unit


def _chain():
    units = [Unit("R", "某某市关工委", None), Unit("A", "甲县关工委", "R"), Unit("B", "集安市财源镇关工委", "A")]
    return Hierarchy({u.code: u for u in units})


def test_a_parent_in_front_still_matches():
    h = _chain()
    assert h.match("甲县集安市财源镇关工委") == "B"
    assert h.match("甲县关工委（本级）") == "A"


def test_a_huge_cell_is_no_unit_and_costs_little():
    """A unit-name cell of 350,000 characters ran past 60 s (every prefix copied at every length)."""
    h = _chain()
    for text in ("甲县" * 175_000, "甲" * 80_000, "甲县关工委" * 40 + "乙"):
        t = time.perf_counter()
        assert h.match(text) is None
        assert time.perf_counter() - t < 1.0, len(text)

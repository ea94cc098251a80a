"""analysis/yearly.py: the year-over-year screens, block by block, equal to the whole-matrix ones."""

from types import SimpleNamespace

import numpy as np

from gwstats.analysis.tree import build_tree
from gwstats.analysis.yearly import any_child, jumps
from gwstats.store.db import MICRO


def _whole_matrix_jumps(own, old_own, both, cfg):
    """The screen as it was written over all cells at once (flat indices of the jumps, row order)."""
    at = np.flatnonzero(both)
    cur = own.reshape(-1)[at].astype(np.float64) / MICRO
    old = old_own.reshape(-1)[at].astype(np.float64) / MICRO
    change = cur - old
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(old != 0, np.abs(change) / np.abs(old), np.inf)
    return at[(np.abs(change) >= cfg.jump_absolute - 1e-9) & (rel > cfg.jump_relative) & (change != 0)]


def test_jumps_by_blocks_equal_the_whole_matrix_screen():
    rng = np.random.default_rng(23)
    cfg = SimpleNamespace(jump_absolute=10, jump_relative=0.5)
    for _ in range(40):
        n, m = int(rng.integers(1, 300)), int(rng.integers(1, 9))
        old = rng.integers(-50, 200, size=(n, m)) * MICRO // int(rng.choice([1, 4, 1000]))
        old[rng.random((n, m)) < 0.1] = 0
        cur = old + rng.integers(-120, 120, size=(n, m)) * MICRO // int(rng.choice([1, 3]))
        # edges: a change of exactly jump_absolute, exactly 50 %
        edge = rng.random((n, m)) < 0.05
        cur[edge] = old[edge] + 10 * MICRO
        half = rng.random((n, m)) < 0.05
        cur[half] = old[half] + old[half] // 2
        both = rng.random((n, m)) < 0.8
        want = _whole_matrix_jumps(cur, old, both, cfg)
        for block in (1, m, 7 * m + 3, 1 << 16):
            got, count = jumps(cur, old, both, cfg, cap=len(want) + 5, block=block)
            assert count == len(want) and got.tolist() == want.tolist()
            cap = len(want) // 2
            got, count = jumps(cur, old, both, cfg, cap=cap, block=block)
            assert count == len(want) and got.tolist() == want[:cap].tolist()
            assert jumps(cur, old, both, cfg, cap=0, block=block)[0].size == 0


def test_any_child_equals_counting_the_children():
    rng = np.random.default_rng(5)
    for _ in range(60):
        n = int(rng.integers(1, 120))
        rows = [(f"U{k}", f"单位{k}", f"U{int(rng.integers(0, k))}" if k and rng.random() < 0.9 else None,
                 None, None, None) for k in range(n)]
        rng.shuffle(rows)
        t = build_tree(rows)
        flags = rng.random((t.n, 3)) < rng.choice([0.05, 0.5, 0.95])
        got = any_child(t, flags)
        for i in range(t.n):
            kids = t.children(i)
            assert got[i].tolist() == (flags[kids].any(axis=0) if kids.size else np.zeros(3, dtype=bool)).tolist()

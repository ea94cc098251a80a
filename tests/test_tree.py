"""Tree.accumulate by depth-first ranges equals the level-by-level pass."""

import numpy as np

from gwstats.analysis.tree import build_tree


def _random_tree(rng, n):
    rows = []
    for k in range(n):
        parent = None if k == 0 or rng.random() < 0.02 else f"U{int(rng.integers(0, k))}"
        rows.append((f"U{k}", f"单位{k}", parent, None, None, None))
    order = rng.permutation(n)  # file order other than the depth-first one
    return build_tree([rows[k] for k in order])


def _level_pass(tree, own, op):
    total = own.copy()
    for d in range(len(tree.by_depth) - 1, 0, -1):
        tree.pass_up(total, d, op)
    return total


def test_sums_and_any_of_by_ranges_equal_the_level_pass():
    rng = np.random.default_rng(23)
    for n in (1, 2, 7, 60, 500):
        tree = _random_tree(rng, n)
        cases = [
            (rng.integers(-(10**12), 10**12, size=(n, 5)), np.add),
            (rng.integers(0, 100, size=(n, 3)).astype(np.int32), np.add),
            (rng.integers(0, 9, size=n), np.add),
            (rng.random((n, 4)) < 0.1, np.logical_or),
            (rng.random(n) < 0.05, np.logical_or),
        ]
        for own, op in cases:
            want = _level_pass(tree, own, op)
            direct = own.copy()
            assert tree._by_ranges(direct, op)  # the ranges, not the level pass
            assert direct.dtype == own.dtype and np.array_equal(direct, want)
            assert np.array_equal(tree.accumulate(own, op), want)
            inplace = own.copy()
            assert tree.accumulate(inplace, op, inplace=True) is inplace and np.array_equal(inplace, want)


def test_ranges_are_exact_where_a_running_sum_wraps():
    # 甲 and 乙 hold 2**62 + 5 each, 丙 minus that: the running sum over the rows passes 2**63 (wraps),
    # every subtree's true total fits, and each comes out exact
    big = 2**62 + 5
    rows = [("P", "省", None, None, None, None)]
    for code, name in (("A", "甲"), ("B", "乙"), ("C", "丙")):
        rows += [(code, name, "P", None, None, None), (code + "1", name + "一", code, None, None, None)]
    tree = build_tree(rows)
    own = np.array([[0], [big], [1], [big], [2], [-big], [3]], dtype=np.int64)
    with np.errstate(over="ignore"):
        assert int(own[:5, 0].sum()) < 0  # the running sum has wrapped by 乙
    assert tree._by_ranges(own.copy(), np.add)
    assert tree.accumulate(own)[:, 0].tolist() == [big + 6, big + 1, 1, big + 2, 2, -big + 3, 3]


def test_other_ops_and_dtypes_keep_the_level_pass():
    rng = np.random.default_rng(5)
    tree = _random_tree(rng, 80)
    own = rng.integers(-50, 50, size=(80, 3))
    assert not tree._by_ranges(own.copy(), np.maximum)
    assert not tree._by_ranges(own.astype(object), np.add)
    assert not tree._by_ranges(own.astype(np.int8), np.add)
    assert np.array_equal(tree.accumulate(own, np.maximum), _level_pass(tree, own, np.maximum))
    assert np.array_equal(tree.accumulate(own.astype(object), np.add), _level_pass(tree, own, np.add))

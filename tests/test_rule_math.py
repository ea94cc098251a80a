"""Rules decided exactly in integers on the micro values (analysis/rule_math.py)."""

import pytest

from gwstats.analysis import rule_math


@pytest.mark.parametrize("text, weight", [("a", 1), ("a + b", 2), ("2 * a - b", 3), ("-(a + b) * 3", 6),
                                          ("a * 0.5", None), ("a + 1", None), ("a * b", None), ("a / 2", None)])
def test_which_rules_are_decided_in_integers(text, weight):
    assert rule_math.weight(text) == weight


def test_integer_decision_agrees_with_decimal_arithmetic():
    """On random micro values (blanks counted as 0), every operator, tolerances of whole micro units:
    the rows found failing are exactly those where the Decimal comparison fails."""
    from decimal import Decimal

    import numpy as np

    from gwstats.core.expr import Expr
    from gwstats.store.db import from_micro

    rng = np.random.default_rng(23)
    values = rng.integers(-5, 6, size=(400, 3)) * rng.choice([1, 10_000, 1_000_000], size=(400, 3))
    pres = rng.random((400, 3)) > 0.1
    idx = np.arange(400)

    class Rule:
        def __init__(self, left, op, right, tol):
            self.left, self.operator, self.right, self.tolerance = Expr.parse(left), op, Expr.parse(right), Decimal(tol)

    for op in ("<=", "<", ">=", ">", "==", "!="):
        for left, right, tol in (("a", "b + c", "0"), ("a", "b + c", "0.01"), ("a - c", "2 * b", "1"), ("a", "b", "0.000001")):
            rule = Rule(left, op, right, tol)
            names = list(dict.fromkeys(rule.left.names + rule.right.names))
            cols = [{"a": 0, "b": 1, "c": 2}[n] for n in names]
            got = rule_math.failing_rows(rule, values, pres[:, cols], idx, cols)
            want = []
            for i in idx:
                env = {n: from_micro(values[i, c]) if pres[i, c] else Decimal(0) for n, c in zip(names, cols)}
                want.append(not rule_math.cond(op, rule.left.evaluate(env), rule.right.evaluate(env), rule.tolerance))
            assert got.tolist() == want, (left, op, right, tol)

from decimal import Decimal

import pytest

from gwstats.render.rollup_table import fmt_change


@pytest.mark.parametrize(
    "kind, measure, change, pct, text",
    [
        ("count", "个", Decimal(6), 2.9, "+6（+2.9%）"),
        ("count", "人", Decimal(-50), -2.0, "-50（-2.0%）"),
        ("count", "个", Decimal(0), 0.0, "持平"),
        ("amount", "万元", Decimal("0.10"), 3.9, "+0.10（+3.9%）"),
        ("rate", "%", 8.0073, None, "+8.0个百分点"),
        ("rate", "%", -1.25, None, "-1.3个百分点"),  # half up, as charts and the report round
        ("rate", "%", 0.03, None, "持平"),  # never "+0.0个百分点"
        ("rate", "%", None, None, ""),
    ],
)
def test_change_text(kind, measure, change, pct, text):
    assert fmt_change({"kind": kind, "measure": measure, "change": change, "change_pct": pct}) == text

"""RollupResult.to_frame(): the rollup as a pandas DataFrame for analysts (pandas is an extra)."""

from decimal import Decimal

import pytest

pd = pytest.importorskip("pandas")

from helpers_returns import filled_template  # noqa: E402


def test_to_frame_has_one_row_per_unit_and_metric_with_exact_values(workspace, tmp_path):
    ws = workspace
    paths = [filled_template(ws, tmp_path / "a.xlsx", "S01", 2018, {"资助金额": 13.55}),
             filled_template(ws, tmp_path / "b.xlsx", "S02", 2018, {"资助金额": 0.1})]
    report = ws.import_paths(paths)
    assert not report.has_rejections
    result = ws.rollup(2018, metrics=["aid_amount"])
    df = result.to_frame()
    assert isinstance(df, pd.DataFrame)
    assert len(df) == len(result.records())
    assert {"unit", "unit_name", "metric", "value", "coverage", "change"} <= set(df.columns)
    total = df[(df.unit == result.root) & (df.metric == "aid_amount")]["value"].iloc[0]
    assert total == Decimal("13.65")  # exact, never 13.650000000000002
    assert df["reported"].dtype == "int64"


def test_without_pandas_the_message_says_how_to_get_it(monkeypatch):
    import builtins

    from gwstats.core.errors import UsageError
    from gwstats.analysis.frames import records_frame

    real = builtins.__import__

    def no_pandas(name, *a, **k):
        if name == "pandas":
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(UsageError, match=r"gwstats\[pandas\]"):
        records_frame([{"unit": "A"}])

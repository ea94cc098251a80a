"""pandas DataFrames for the Python API (pandas is optional: ``pip install gwstats[pandas]``).

Counts and amounts stay exact: their columns hold ``decimal.Decimal`` (object dtype), so
``df["value"].sum()`` over amounts is exact too; rates are floats. Only the API uses pandas; no
command imports it.
"""

from __future__ import annotations

from gwstats.core.errors import UsageError


def records_frame(records: list[dict]):
    try:
        import pandas as pd
    except ImportError:
        raise UsageError("to_frame() 需要 pandas：请运行 pip install 'gwstats[pandas]'") from None
    df = pd.DataFrame.from_records(records)
    if df.empty:
        return df
    for col in ("reported", "expected", "level"):
        df[col] = df[col].astype("int64")
    return df

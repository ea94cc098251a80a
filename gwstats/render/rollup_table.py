"""Rollup results as console / csv / md tables: figures formatted for display, one row per unit."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from .wording import fixed

if TYPE_CHECKING:
    from ..rollup import RollupResult


def fmt_value(value, kind: str, measure: str = "") -> str:
    """A figure as a table shows it: counts whole, amounts with 2 decimals, rates as 80.7% (rounded
    half up like the charts and the report)."""
    if value is None:
        return ""
    if kind == "rate":
        return f"{fixed(value, 1)}{'%' if measure == '%' else measure}"
    if kind == "amount":
        d = Decimal(value)
        return f"{d.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}" if d.as_tuple().exponent >= -2 else format(d, "f")
    return format(Decimal(value), "f")


def fmt_change(rec: dict) -> str:
    change = rec["change"]
    if change is None:
        return ""
    if rec["kind"] == "rate":
        shown = fixed(change, 1, sign=True)
        if shown.lstrip("+-") == "0.0":
            return "持平"
        unit = "个百分点" if rec["measure"] == "%" else rec["measure"]
        return f"{shown}{unit}"
    if change == 0:
        return "持平"
    text = ("+" if change > 0 else "") + fmt_value(change, rec["kind"])
    if rec["change_pct"] is not None:
        text += f"（{fixed(rec['change_pct'], 1, sign=True)}%）"
    return text


def column_title(rec: dict) -> str:
    if rec["kind"] == "rate":
        return rec["metric_name"] if rec["measure"] == "%" else f"{rec['metric_name']}（{rec['measure']}）"
    return f"{rec['metric_name']}（{rec['measure']}）"


def wide_rows(result: RollupResult, *, show_parts: bool = False, raw: bool = False,
              drop_empty: bool = False) -> list[dict]:
    """One row per unit (+ 合计): 单位, 已报, then per metric its value [, 分子, 分母] [, 比上年].

    ``drop_empty`` leaves out metrics without a value in any row (for an unfiltered console view).
    """
    recs = result.records()
    if drop_empty:
        keep = {r["metric"] for r in recs if r["value"] is not None or r["prev_value"] is not None}
        recs = [r for r in recs if r["metric"] in keep]
    rows: dict[str, dict] = {}
    for rec in recs:
        is_root = rec["unit"] == result.root and rec["unit"] not in result.units
        row = rows.setdefault(rec["unit"], {"单位": "合计" if is_root else rec["unit_name"], "已报": rec["coverage"]})
        title = column_title(rec)
        row[title] = (rec["value"] if raw else fmt_value(rec["value"], rec["kind"], rec["measure"]))
        if show_parts and rec["kind"] == "rate":
            row[f"{rec['metric_name']}·分子"] = rec["numerator"]
            row[f"{rec['metric_name']}·分母"] = rec["denominator"]
        if result.compare_year is not None:
            row[f"{rec['metric_name']}·比上年" if len(result.metrics) > 1 else "比上年"] = (
                rec["change"] if raw else fmt_change(rec))
        if rec["source"] == "reported":
            row["说明"] = (row.get("说明", "") + "；" if row.get("说明") else "") + f"{rec['metric_name']}采用汇总表数"
    return list(rows.values())

"""Rollup results as console / csv / md tables: figures formatted for display, one row per unit."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from gwstats.core.rounding import shown
from gwstats.core.formatting import fixed
from gwstats.render.wording import yoy_prefix

ROUNDING_NOTE = "因四舍五入，分项之和与合计可能略有出入"
COMPARABLE_MARK = "*"
_FOOTNOTE_NAMES = 200  # past this many units left out, the footnote names the first few and counts
_FOOTNOTE_FEW = 20
_MORE = re.compile(r"等 (\d+) 个单位$")
_MORE_TAIL = ("个单位", "个单位\n")  # what every match of _MORE ends with

if TYPE_CHECKING:
    from gwstats.analysis.rollup import RollupResult


def fmt_value(value, kind: str, measure: str = "") -> str:
    """A figure as a table shows it: counts whole, amounts with 2 decimals, rates as 80.7% (rounded
    half up like the charts and the report)."""
    if value is None:
        return ""
    text = format(shown(value, kind, measure), "f")
    if kind == "rate":
        return f"{text}{'%' if measure in ('%', '') else measure}"
    return text


def fmt_change(rec: dict) -> str:
    change = rec["change"]
    if change is None:
        return ""
    mark = COMPARABLE_MARK if rec.get("comparable") else ""
    about = "约" if rec.get("change_approx") else ""
    if rec["kind"] == "rate":
        text = fmt_value(change, "rate", rec["measure"]).rstrip("%" + rec["measure"])
        if Decimal(text) == 0:
            return "持平" + mark
        sign = "+" if Decimal(text) > 0 else ""
        unit = "个百分点" if rec["measure"] in ("%", "") else rec["measure"]
        return f"{about}{sign}{text}{unit}{mark}"
    text = fmt_value(change, rec["kind"], rec["measure"])
    if Decimal(text) == 0:
        return "持平" + mark
    text = about + ("+" if change > 0 else "") + text
    if rec["change_pct"] is not None:
        text += f"（{fixed(rec['change_pct'], 1, sign=True)}%）"
    return text + mark


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
    word = change_word(result)
    for rec in recs:
        is_root = rec["row"] == "合计"
        cov = rec["coverage"] if rec["expected"] or rec["row"] == "单位" else ""
        row = rows.setdefault(rec["unit"], {"单位": "合计" if is_root else rec["unit_name"], "已报": cov})
        title = column_title(rec)
        row[title] = (rec["value"] if raw else fmt_value(rec["value"], rec["kind"], rec["measure"]))
        if show_parts and rec["kind"] == "rate":
            row[f"{rec['metric_name']}·分子"] = rec["numerator"]
            row[f"{rec['metric_name']}·分母"] = rec["denominator"]
        if result.compare_year is not None:
            row[f"{rec['metric_name']}·{word}" if len(result.metrics) > 1 else word] = (
                rec["change"] if raw else fmt_change(rec))
        if rec["source"] == "reported":
            row["说明"] = (row.get("说明", "") + "；" if row.get("说明") else "") + f"{rec['metric_name']}采用汇总表数"
    return list(rows.values())


def change_word(result: RollupResult) -> str:
    """The change column's title: 比上年, or 比2018年 against another year."""
    return yoy_prefix(result.year, result.compare_year)


def headline_rows(result: RollupResult) -> list[dict]:
    """The console default (``gwstats rollup``, the demo): the root's figures with a value, one line
    each — 指标, 本年, 上年（可比口径）, 增减 (a rate's in 百分点; * on a comparable-basis change, see
    ``table_notes``), 上年（全部） where some figure's basis differs, 计量单位, 已报 — so that
    本年 − 上年 = 增减 on every row, with the decimals of every other output."""
    rows = []
    recs = [r for r in result.records() if r["unit"] == result.root and r["value"] is not None]
    differs = any(r.get("comparable") for r in recs)
    new_units = any(r.get("comparable") and r.get("value_comparable") is not None
                    and r["value_comparable"] != r["value"] for r in recs)
    for rec in recs:
        rate = rec["kind"] == "rate"

        def shown_value(v):
            text = fmt_value(v, rec["kind"], rec["measure"])
            return text.rstrip("%" + rec["measure"]) if rate else text

        comp = rec.get("comparable")
        row = {"指标": rec["metric_name"], "本年": shown_value(rec["value"])}
        if new_units:
            row["本年（可比口径）"] = shown_value(rec["value_comparable"] if comp else rec["value"])
        row["上年（可比口径）" if differs else "上年"] = shown_value(rec["prev_comparable"] if comp else rec["prev_value"])
        row["增减"] = _bare_change(rec)
        if differs:
            row["上年（全部）"] = shown_value(rec["prev_value"]) if comp else ""
        row["计量单位"] = rec["measure"]
        row["已报"] = rec["coverage"]
        rows.append(row)
    return rows


def _bare_change(rec: dict) -> str:
    """``fmt_change`` without the measure (the table has its column): -56.67, +8.0 个百分点."""
    text = fmt_change(rec)
    if rec["kind"] == "rate" and rec["measure"] not in ("%", ""):
        return text.replace(rec["measure"], "", 1)
    return text.replace("个百分点", " 个百分点")


_WHY_WORDS = {"本年未报": "未报", "本年未填": "未填", "已撤销": "已撤销", "上年未报": "上年未报", "上年未填": "上年未填",
              "新设": "新设"}


def table_notes(result: RollupResult, rows: list[dict] | None = None) -> list[str]:
    """Lines under a rollup table: what a * change means and who it leaves out, the rounding note."""
    notes = []
    recs = [r for r in result.records() if r.get("comparable")]
    if recs:
        names = {}
        cut: dict[str, int] = {}  # a record's list stopped at its first names (result.py _LEFT_OUT_NAMES): how many it had
        for r in recs:
            why = r.get("left_out_why") or {}
            for key, default in (("left_out_prev", "未报"), ("left_out_cur", "上年未报")):
                for n in filter(None, r.get(key, "").split("、")):
                    m = _MORE.search(n) if n.endswith(_MORE_TAIL) else None  # (350,000 names at level 3)
                    name = n[:m.start()] if m else n
                    # one meaning for 未报: a unit that reported but left the item blank is 未填 (issue 20)
                    word = _WHY_WORDS.get(why.get(name, ""), default)
                    if m is not None:
                        cut[word] = max(cut.get(word, 0), int(m.group(1)))
                    names.setdefault(word, {})[name] = None
        if cut or sum(map(len, names.values())) > _FOOTNOTE_NAMES:  # a province: not 5,000 names
            who = "；".join(f"{word}：{'、'.join(list(ns)[:_FOOTNOTE_FEW])}等{'至少' if word in cut else ''} "
                           f"{max(len(ns), cut.get(word, 0))} 个单位" for word, ns in names.items())
        else:
            who = "；".join(f"{word}：{'、'.join(ns)}" for word, ns in names.items())
        notes.append(f"{COMPARABLE_MARK} 按可比口径：只比较两年都填报了该项的单位（{who}）")
    if rows is not None and _rounding_gap(rows):
        notes.append(ROUNDING_NOTE)
    return notes


def _num(text) -> Decimal | None:
    try:
        return Decimal(str(text).rstrip("%"))
    except (InvalidOperation, ValueError):
        return None


def _rounding_gap(rows: list[dict]) -> bool:
    """Some amount column whose shown rows do not add up to its shown 合计 (counts always do)."""
    total = next((r for r in rows if r.get("单位") == "合计"), None)
    if total is None:
        return False
    for col, cell in total.items():
        v = _num(cell)
        if v is None or "·" in col or col in ("单位", "已报") or "%" in str(cell) or v == v.to_integral_value():
            continue
        parts = [_num(r.get(col)) for r in rows if r is not total]
        if sum((p for p in parts if p is not None), Decimal(0)) != v:
            return True
    return False


def rounding_note(rows: list[list[str]], kinds: list[str]) -> str:
    """For a report table (first column 单位, last row 合计): the rounding note when some amount
    column's shown rows do not add up to its shown 合计."""
    if not rows or rows[-1][0] != "合计":
        return ""
    for k, kind in enumerate(kinds, start=1):
        if kind != "amount":
            continue
        total = _num(rows[-1][k])
        parts = [_num(r[k]) for r in rows[:-1]]
        if total is not None and sum((p for p in parts if p is not None), Decimal(0)) != total:
            return ROUNDING_NOTE
    return ""

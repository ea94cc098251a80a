"""Figures in running text rounded for reading, as the published summaries write them.

``35.6万元`` (not 35.60万元), ``2000元`` under 1万元, ``4.2万人次``, ``80.7%``, ``100%``,
``比上年提高8个百分点`` when the difference is whole (``8.0`` otherwise reads as a measured 8.0),
one decimal otherwise. The exact figures stay in the tables.

A change in the text is always the difference of the two figures *as the text rounds them*
(35.64 → 35.6 and 32.26 → 32.3 give ``增加3.3万元``, not the 3.4 of the exact difference), so a
reader holding last year's published figure gets the same result with a calculator (issue 20).
"""

from __future__ import annotations

from decimal import Decimal

from gwstats.core.rounding import dec, half_up, shown

WAN = Decimal(10000)
WAN_MEASURES = ("人次",)  # as wording.WAN_MEASURES: person-times read in 万 from 1万 up
WAN_ANY_COUNT_FROM = Decimal(100000)
PLACES = 1  # decimals of a figure in 万 and of a 百分点 change


def trim(value: Decimal) -> str:
    """``35.60`` → ``35.6``, ``8.0`` → ``8``, ``-0.0`` → ``0``: a rounded figure without trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def scale(value, measure: str = "", kind: str = "count") -> tuple[Decimal, int | None, str]:
    """(factor, decimals, unit written) of a figure in the text, decided by ``value``: amounts in 万元
    with one decimal from 1万元 up and in whole 元 below; person-times (and any count from 10万) in 万
    with one decimal; other counts exact."""
    v = abs(dec(value)) if value is not None else Decimal(0)
    if measure == "万元" or (kind == "amount" and measure not in ("元", "")):
        return (Decimal(1), PLACES, measure) if v >= 1 else (WAN, 0, "元")
    if kind == "amount" and not measure:
        return Decimal(1), PLACES, ""
    if measure == "元":
        return (Decimal(1) / WAN, PLACES, "万元") if v >= WAN else (Decimal(1), 0, "元")
    if (measure in WAN_MEASURES and v >= WAN) or v >= WAN_ANY_COUNT_FROM:
        return Decimal(1) / WAN, PLACES, "万" + measure
    return Decimal(1), None, measure


def rounded(value, factor: Decimal, places: int | None) -> Decimal:
    v = dec(value) * factor
    return v if places is None else half_up(v, places)


def figure(value, measure: str = "", kind: str = "count") -> str:
    """A count or amount as the text writes it: ``218个``, ``35.6万元``, ``500元``, ``4.2万人次``."""
    if value is None:
        return ""
    factor, places, unit = scale(value, measure, kind)
    return trim(rounded(value, factor, places)) + unit


def rate(value, display: str = "%") -> str:
    """A percentage as the text writes it: ``80.7%``, ``100%`` (one decimal, none when whole). Other
    rates (元 per student) keep the decimals of the tables: ``1204.83元``."""
    if value is None:
        return ""
    if display in ("%", ""):
        return trim(shown(value, "rate", "%")) + "%"
    return format(shown(value, "rate", display), "f") + display


def _pair(rec: dict, which: str):
    """(this year's, last year's) figure a change is taken between: ``raw`` all units each year,
    else the basis of the record's change (the comparable figures where units differ)."""
    if which == "raw":
        return rec.get("value"), rec.get("prev_value")
    if rec.get("comparable"):
        return rec.get("value_comparable"), rec.get("prev_comparable")
    cur, change = rec.get("value"), rec.get("change")
    prev = rec.get("prev_value")
    if prev is None and cur is not None and change is not None:
        prev = dec(cur) - dec(change)
    return cur, prev


def delta(rec: dict, which: str = "change", given=None) -> Decimal | None:
    """The change as the text states it, in the unit the figure is written in: the difference of the
    two figures as rounded for reading (a rate's: ``given``, already the difference of shown rates)."""
    if rec.get("kind") == "rate":
        return None if given is None else half_up(dec(given), PLACES if (rec.get("measure") or "%") == "%" else 2)
    cur, prev = _pair(rec, which)
    if cur is None or prev is None:
        return None if given is None else dec(given)
    factor, places, _unit = scale(rec.get("value"), rec.get("measure", ""), rec.get("kind", "count"))
    return rounded(cur, factor, places) - rounded(prev, factor, places)


def change(rec: dict, which: str = "change", given=None, prefix: str = "比上年") -> str:
    """``比上年增加3.3万元`` / ``比上年提高8个百分点`` / ``与上年持平`` for one record, rounded for reading."""
    d = delta(rec, which, given)
    if d is None:
        return ""
    same = "与上年持平" if prefix == "比上年" else f"与{prefix[1:]}持平"
    if d == 0:
        return same
    about = "约" if rec.get("change_approx") else ""
    display = rec.get("measure") or "%"
    if rec.get("kind") == "rate" and display == "%":
        return f"{prefix}{'提高' if d > 0 else '下降'}{about}{trim(abs(d))}个百分点"
    if rec.get("kind") == "rate":  # 元 per student: an amount, with the decimals of the tables
        return f"{prefix}{'增加' if d > 0 else '减少'}{about}{format(abs(d), 'f')}{display}"
    _f, _p, unit = scale(rec.get("value"), rec.get("measure", ""), rec.get("kind", "count"))
    word = "增加" if d > 0 else "减少"
    return f"{prefix}{word}{about}{trim(abs(d))}{unit}"


def direction(rec: dict) -> int | None:
    """+1 / −1 / 0: which way the figure went as the text states it, where the change over all units
    and the comparable one agree; None without a comparison or where they point different ways."""
    comp = delta(rec, "change", rec.get("change"))
    if comp is None:
        return None
    signs = {(comp > 0) - (comp < 0)}
    if rec.get("comparable") and rec.get("prev_value") is not None:
        given = None
        if rec.get("kind") == "rate":
            given = shown(rec["value"], "rate", rec.get("measure") or "%") - shown(
                rec["prev_value"], "rate", rec.get("measure") or "%")
        raw = delta(rec, "raw", given)
        if raw is not None:
            signs.add((raw > 0) - (raw < 0))
    return signs.pop() if len(signs) == 1 else None

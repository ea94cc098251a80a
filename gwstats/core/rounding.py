"""The one rounding rule of every output: half up, to the decimals a figure is shown with.

Counts are whole, amounts (万元) have 2 decimals, percentages 1, other rates (元 per student) 2.
A change of a rate is the difference of the two rates *as shown* (72.7 % → 80.7 % is 8.0 百分点), and
a share that is not complete never shows as 100 % (2499/2500 is 99.9 %, not 100.0 %).
Imported by the rollup, status and every renderer, so that no output rounds differently.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

RATE_PLACES = 1  # 80.7 %
OTHER_RATE_PLACES = 2  # 1204.83 元
AMOUNT_PLACES = 2  # 13.55 万元


def dec(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def places_for(kind: str, measure: str = "") -> int | None:
    """Decimals a figure is shown with; None: shown exactly (a count)."""
    if kind == "rate":
        return RATE_PLACES if measure in ("%", "") else OTHER_RATE_PLACES
    if kind == "amount" or measure == "万元":
        return AMOUNT_PLACES
    return None


def half_up(value, places: int) -> Decimal:
    q = Decimal(1).scaleb(-places) if places else Decimal(1)
    return dec(value).quantize(q, rounding=ROUND_HALF_UP)


def shown(value, kind: str, measure: str = "") -> Decimal | None:
    """The figure as displayed (a Decimal), or None."""
    if value is None:
        return None
    p = places_for(kind, measure)
    return dec(value) if p is None else half_up(value, p)


def share_shown(value, places: int = RATE_PLACES, *, complete: bool = False) -> Decimal:
    """A percentage share rounded half up, except that an incomplete share (``complete`` False and
    value below 100) never shows as 100: 99.96 → 99.9."""
    d = dec(value)
    r = half_up(d, places)
    if not complete and d < 100 and r >= 100:
        q = Decimal(1).scaleb(-places)
        r = d.quantize(q, rounding=ROUND_DOWN)
    return r


def percent(part, whole, places: int = RATE_PLACES) -> Decimal | None:
    """part / whole as a percentage shown with ``places`` decimals (13/16 → 81.3), never 100 unless whole."""
    if not whole:
        return None
    value = dec(part) / dec(whole) * 100
    return share_shown(value, places, complete=dec(part) >= dec(whole))

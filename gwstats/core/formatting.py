"""Numbers and text as every output writes them: exact decimals, fixed decimals rounded half up,
JSON scalars, and CSV cells a spreadsheet will not run as formulas."""

from __future__ import annotations

import re
from decimal import Decimal

from gwstats.core.rounding import dec, half_up


def plain(value):
    """A JSON-friendly scalar: Decimal -> int or float with its exact decimal text."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(str(value))
    return value


def decimal_text(value) -> str:
    """An exact decimal as people write it: 218, 13.55, 0.1 (no exponent, no trailing .0)."""
    d = Decimal(value)
    return format(d.normalize(), "f") if d == d.to_integral_value() else format(d, "f")


RISKY_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may run as a formula (CSV injection)
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(\.[0-9]+)?%?")


def csv_safe(text: str) -> str:
    """A text cell for CSV that a spreadsheet will not run: =HYPERLINK(...) becomes '=HYPERLINK(...).
    Numbers (-3, +12.5%) are left as they are."""
    if text.startswith(RISKY_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def fixed_text(value: Decimal, places: int) -> str:
    text = format(half_up(value, places), "f")
    return "0" + text[2:] if text.startswith("-0") and Decimal(text) == 0 else text


def fixed(value, places: int = 1, *, sign: bool = False) -> str:
    """``value`` with ``places`` decimals rounded half up (1/16 → 6.3, like every other figure shown);
    ``sign``: a leading + on positive results (+1.5, -0.3, 0.0)."""
    text = fixed_text(dec(value), places)
    return "+" + text if sign and Decimal(text) > 0 else text

"""Numbers and text as every output writes them: exact decimals, figures in sentences, fixed
decimals rounded half up, JSON scalars, Chinese ordinals, and CSV cells a spreadsheet will not run
as formulas."""

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
    """An exact decimal as people write it: 218, 13.55, 0.1, 13.6 for 13.60 (no exponent, no
    trailing zeros). The one value-to-text rule of tables, CSV, check messages, traces and wording."""
    return format(Decimal(value).normalize(), "f")


def number_text(value, measure: str = "") -> str:
    """A figure in a sentence or a trace line, ``measure`` after it: 无 when there is none, a rate
    (float) with one decimal rounded half up, an exact decimal as :func:`decimal_text` writes it."""
    if value is None:
        return "无"
    return (fixed(value, 1) if isinstance(value, float) else decimal_text(value)) + measure


_CN_DIGITS = "一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """The number of a heading or a group as written in Chinese: 一 … 十, 十一, 二十, 九十九; from 100
    on (never in a report or a form) Arabic digits."""
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _CN_DIGITS[tens - 1] + "十"
    return head + (_CN_DIGITS[ones - 1] if ones else "")


# What a spreadsheet may run as a formula (CSV injection): the cell's first character. Also the rule
# of the .xlsx writers (gwstats.render.workbook), which mark such text cells as text.
RISKY_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(\.[0-9]+)?%?")


def csv_safe(text: str) -> str:
    """A text cell for CSV that a spreadsheet will not run: =HYPERLINK(...) becomes '=HYPERLINK(...),
    and so does any text starting with = + - @ tab or CR, except a plain number (-3, +12.5%, -1,234.5),
    which no spreadsheet runs and which a ' would spoil (a CSV shows the quote). The one CSV rule
    (tables of every command, export --format csv-long)."""
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

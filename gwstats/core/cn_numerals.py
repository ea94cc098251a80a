"""Chinese numerals in value cells: "十二", "一百二十", "两千", "一万二", "三千五百余", "1千", "二〇二〇".

The numeral itself is read by the cn2an library; this module only finds the numeral in the text
(around approximate markers such as 约/余/多 and a written unit such as 人次/万元) and rewrites the
text with Arabic digits, so :func:`gwstats.core.values.parse_value` reads it like any other number.
cn2an is imported on first use only: it takes a few tenths of a second to load and most returns
never need it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from gwstats.core.formatting import decimal_text

_DIGITS = "零〇○一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
_POWERS = "十拾百佰千仟万亿"
_NUMERAL_CHARS = _DIGITS + _POWERS + "点"
# (prefix)(numeral: Chinese numeral characters, possibly mixed with Arabic digits as in "1千")(rest)
_CANDIDATE = re.compile(
    rf"^(?P<pre>大约|将近|约|近)?(?P<num>[0-9.{_NUMERAL_CHARS}]*[{_NUMERAL_CHARS}][0-9.{_NUMERAL_CHARS}]*)(?P<rest>.*)$"
)
_CONVERT = None


def _converter():
    global _CONVERT
    if _CONVERT is None:
        from cn2an import Cn2An

        _CONVERT = Cn2An().cn2an
    return _CONVERT


def _to_decimal(numeral: str) -> Decimal | None:
    try:
        value = _converter()(numeral, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    return number


def rewrite(text: str) -> str | None:
    """``text`` (already NFKC, no spaces) with its Chinese numeral in Arabic digits, or None when
    it holds no readable Chinese numeral ("若干", "见附件", "十几")."""
    m = _CANDIDATE.match(text)
    if not m:
        return None
    num, rest = m.group("num"), m.group("rest")
    if not any(ch in _NUMERAL_CHARS for ch in num):
        return None
    wan = ""
    if num.endswith("万") and len(num) > 1:
        num, wan = num[:-1], "万"  # "十二万元" -> "12万元": parse_value knows what 万 means for 万元 amounts
    if not num:
        return None
    number = _to_decimal(num)
    if number is None:
        return None
    return f"{m.group('pre') or ''}{decimal_text(number)}{wan}{rest}"

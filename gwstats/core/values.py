"""Numbers as people write them in returns: "1,000", "１２０", "800多", "13.55万元", "88、6%", "—".

``parse_value(cell, unit=..., integer=..., field_unit=...)`` returns a :class:`ParsedNumber`, or
``None`` for a blank cell (not reported), or raises :class:`NumberError` whose ``reason`` is a
Chinese explanation of what was expected. Values are exact ``Decimal`` in the catalog's unit;
floats from spreadsheet readers are turned back into the decimal the user typed (13.55, never
13.550000000000001).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

WAN = Decimal(10000)
MAX_PLACES = 6  # the store keeps micro-units
MAX_VALUE = Decimal(10) ** 12  # micro-units must fit a 64-bit integer

NA_TOKENS = frozenset(
    {"—", "——", "-", "--", "―", "–", "/", "//", "\\", "无", "不适用", "n/a", "na", "×", "x", "—/—"}
)
# Written units accepted for a catalog unit (besides the unit itself).
EQUIVALENT = {
    "人": {"人", "名", "位", "个"},
    "人次": {"人次", "人"},
    "场次": {"场次", "场", "次", "期"},
    "次": {"次", "场次", "场"},
    "个": {"个", "家", "处"},
    "所": {"所", "个", "家"},
    "对": {"对", "组"},
    "篇": {"篇", "条"},
    "万元": {"万元", "元"},
    "元": {"元", "万元"},
    "%": {"%"},
}

_KNOWN_UNITS = frozenset().union(*EQUIVALENT.values())
# written units that read as the catalog's unit but say something else: 人 (persons) on a 人次 (person-times)
# row, 个 on a 人 row. Taken as the catalog's unit (the number is what the row asks), with a note.
LOOSE = {"人次": frozenset({"人"}), "人": frozenset({"个"})}
LOOSE_NOTE = "计量单位写作"


def loose_note(written: str, unit: str) -> str:
    return f"{LOOSE_NOTE}“{written}”，按“{unit}”计入"
_THOUSANDS_SEP = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NUMBER = re.compile(
    r"^(?P<pre>大约|将近|约|近)?(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))(?P<wan>万)?(?P<more>多|余)?"
    r"(?P<unit>[^\d.]*?)(?P<post>左右|以上)?$"
)
_DUNHAO_DECIMAL = re.compile(r"(?<=\d)、(?=\d)")
_HAS_NUMERAL = re.compile(r"[零〇○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]")
CHINESE_NOTE = "按中文数字读取"


class NumberError(ValueError):
    """A cell that is not a number of the expected kind; ``reason`` is Chinese."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ParsedNumber:
    value: Decimal | None  # None when not applicable
    state: str = "value"  # value | na
    approx: bool = False
    note: str | None = None  # how the text was read, e.g. "按元换算为万元"
    chinese: bool = False  # written in Chinese numerals (一万二 -> 12000)


NA = ParsedNumber(None, "na")


MAX_DIGITS = 20  # integer digits beyond any real figure (and within Decimal's default precision)


def canonical(d: Decimal) -> Decimal:
    """A Decimal without exponent or trailing zeros: 8E+2 -> 800, 13.550 -> 13.55, -0 -> 0.

    Raises NumberError for INF/NaN and for numbers of more than MAX_DIGITS integer digits.
    """
    if not d.is_finite():
        raise NumberError("不是有效数字")
    if d and d.adjusted() >= MAX_DIGITS:
        raise NumberError("数值过大，请核对")
    if d == d.to_integral_value():
        return d.quantize(Decimal(1)) + 0
    return d.normalize()


def from_float(f: float) -> Decimal:
    """The decimal a user typed, from a binary float (13.550000000000001 -> 13.55)."""
    if f != f or f in (float("inf"), float("-inf")):
        raise NumberError("不是有效数字")
    if abs(f) >= 10.0**MAX_DIGITS:
        raise NumberError("数值过大，请核对")
    if f.is_integer():
        return Decimal(int(f))
    return canonical(Decimal(repr(round(f, MAX_PLACES))))


def cell_text(value) -> str:
    """A cell value as the text a person would see (for messages and the ``raw`` column)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "INF" if value > 0 else "-INF"
        if abs(value) >= 10.0**MAX_DIGITS:
            return repr(value)
        return format(from_float(value), "f")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


_MONEY = {"元": Decimal(1), "百元": Decimal(100), "千元": Decimal(1000), "万元": WAN, "十万元": WAN * 10,
          "百万元": WAN * 100, "亿元": WAN * WAN}
_MULTIPLIER = {"十": Decimal(10), "百": Decimal(100), "千": Decimal(1000), "万": WAN}


def _scale_for_field(field_unit: str | None, unit: str | None) -> tuple[Decimal, str | None]:
    """Multiplier from the unit a field is written in to the catalog unit. A unit that cannot be
    converted for certain (元/人 for 万元, 篇 for 人) is refused, never ignored."""
    if not field_unit or not unit:
        return Decimal(1), None
    fu = unicodedata.normalize("NFKC", field_unit).strip().strip("()（）")
    if not fu or fu == unit or fu in EQUIVALENT.get(unit, ()):
        if unit in _MONEY and fu in _MONEY and fu != unit:
            pass  # 元 for 万元: converted below
        elif fu in LOOSE.get(unit, ()):
            return Decimal(1), loose_note(fu, unit)
        else:
            return Decimal(1), None
    if unit in _MONEY and fu in _MONEY:
        return _MONEY[fu] / _MONEY[unit], f"按{fu}换算为{unit}"
    if len(fu) >= 2 and fu[0] in _MULTIPLIER:
        base = fu[1:]
        if base == unit or base in EQUIVALENT.get(unit, ()):
            return _MULTIPLIER[fu[0]], f"按{fu}换算为{unit}"
    if unit == "%":
        return Decimal(1), None
    raise NumberError(f"计量单位“{fu}”与该指标的计量单位“{unit}”不符，无法换算（请按“{unit}”填写）")


def parse_value(value, *, unit: str | None = None, integer: bool = False, field_unit: str | None = None,
                rate: bool = False) -> ParsedNumber | None:
    """Read one cell.

    unit: the catalog unit (人, 场次, 万元, %...); integer: counts must be whole numbers;
    field_unit: the unit the field is written in (unit column or "（元）" in the label), converted
    to ``unit``; rate: the field is a percentage.
    """
    if value is None:
        return None
    rate = rate or unit == "%"
    tv = type(value)
    if not rate and (not field_unit or field_unit == unit):  # fast paths for the common cases: 12, 12.0, "12"
        if tv is float and value.is_integer() and 0 <= value < 1e12:
            return ParsedNumber(Decimal(int(value)))
        if tv is int and 0 <= value < 10**12:
            return ParsedNumber(Decimal(value))
        if tv is str and value.isascii() and value.isdigit() and len(value) <= 12:
            return ParsedNumber(Decimal(int(value)))
    scale, note = _scale_for_field(field_unit, unit)
    if isinstance(value, bool):
        raise NumberError("是逻辑值（TRUE/FALSE），应为数字")
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        raise NumberError("是日期或时间，应为数字（请把单元格格式改为“常规”或“数值”）")
    if isinstance(value, int):
        if len(str(abs(value))) > MAX_DIGITS:
            raise NumberError("数值过大，请核对")
        return _finish(Decimal(value), scale, note, integer, False, rate, from_cell=True)
    if isinstance(value, float):
        return _finish(from_float(value), scale, note, integer, False, rate, from_cell=True)
    if isinstance(value, Decimal):
        return _finish(canonical(value), scale, note, integer, False, rate, from_cell=True)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = re.sub(r"\s+", "", text)
    if not text:
        return None
    if text.lower() in NA_TOKENS or set(text) <= set("-—―–/\\"):
        return NA
    if "%" in text or rate:
        text = _DUNHAO_DECIMAL.sub(".", text)
    if "," in text:
        text = _THOUSANDS_SEP.sub("", text)
    m = _NUMBER.match(text)
    chinese = False
    if (not m or _HAS_NUMERAL.search(m.group("unit"))) and _HAS_NUMERAL.search(text):
        from gwstats.core.cn_numerals import rewrite  # cn2an loads only for the rare cell that needs it

        arabic = rewrite(text)
        m2 = _NUMBER.match(arabic) if arabic else None
        if m2 is not None and (not m2.group("unit") or m2.group("unit") in _KNOWN_UNITS):
            m, chinese = m2, True  # "十几", "一些": not a number; the message says so
        elif m is not None:
            m = None
    if not m:
        raise NumberError("无法识别为数字")
    try:
        number = canonical(Decimal(m.group("num")))
    except InvalidOperation:
        raise NumberError("无法识别为数字") from None
    approx = bool(m.group("pre") or m.group("more") or m.group("post"))
    written = m.group("unit")
    wan = bool(m.group("wan"))
    if unit in ("万元", "元") and written in _MONEY and written not in ("元", "万元"):
        number, wan = number * _MONEY[written] / WAN, True  # 50千元 → 5万元
        note = f"按{written}换算为{unit}"
        written = ""
    if unit in ("万元", "元") and written in ("", "元", "万元"):
        if wan or written == "万元":
            in_wan = True  # 13.55万 / 13.55万元
        elif written == "元":
            in_wan = False
        else:
            in_wan = None  # as the field says
        if in_wan is not None:
            scale = Decimal(1)
            if unit == "万元" and not in_wan:
                scale, note = Decimal(1) / WAN, "按元换算为万元"
            elif unit == "元" and in_wan:
                scale, note = WAN, "按万元换算为元"
    else:
        if wan:
            number *= WAN
        if written == "%":
            if not rate:
                raise NumberError(f"是百分数，该指标应填{unit or '数值'}")
        elif written and unit and written not in EQUIVALENT.get(unit, {unit}):
            raise NumberError(f"数字后的单位“{written}”与该指标的计量单位“{unit}”不符")
        if wan or written:
            scale, note = Decimal(1), None  # the unit written with the number wins over the field's
        if written in LOOSE.get(unit, ()):
            note = loose_note(written, unit)
    parsed = _finish(canonical(number), scale, note, integer, approx, rate, from_cell=False)
    if chinese:
        note = CHINESE_NOTE + (f"，{parsed.note}" if parsed.note else "")
        parsed = ParsedNumber(parsed.value, parsed.state, parsed.approx, note, chinese=True)
    return parsed


def _finish(number: Decimal, scale: Decimal, note: str | None, integer: bool, approx: bool, rate: bool,
            *, from_cell: bool) -> ParsedNumber:
    if scale != 1:
        number = canonical(number * scale)
    if rate and from_cell and 0 < number <= 1:
        number = canonical(number * 100)  # a cell formatted as percent keeps 0.886 for 88.6%
        note = "按百分数格式读取"
    if number < 0:
        raise NumberError("不能为负数")
    if number >= MAX_VALUE:
        raise NumberError("数值过大，请核对")
    if integer and number != number.to_integral_value():
        raise NumberError("应为整数（计数不能有小数）")
    if number.as_tuple().exponent < -MAX_PLACES:
        raise NumberError(f"小数位过多（最多 {MAX_PLACES} 位）")
    return ParsedNumber(canonical(number), "value", approx, note)


def parse_year(value) -> int | None:
    """2018 / 2018.0 / "2018" / "2018年度" / "二〇一八年" -> 2018; None when blank.

    Raises NumberError for text that is not a year (208, 2108, 十八).
    """
    if value is None:
        return None
    if isinstance(value, float):
        if not value.is_integer():
            raise NumberError("不是有效年份")
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")
        if not text:
            return None
        text = re.sub(r"(年度|年)$", "", text)
        if text and all(ch in _CN_DIGITS for ch in text):
            text = "".join(_CN_DIGITS[ch] for ch in text)
        if not re.fullmatch(r"\d+", text):
            raise NumberError("不是有效年份")
        year = int(text)
    if not 1949 <= year <= dt.date.today().year + 1:
        raise NumberError("不是有效年份")
    return year


_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
              "六": "6", "七": "7", "八": "8", "九": "9"}


_json_text = json.encoder.encode_basestring  # a str as a JSON string ("…")


def stored_head(metric: str, value: Decimal, raw: str, column: str) -> tuple[str, tuple] | None:
    """A plain value (state value, not approximate) of a column as the store keeps it (store/schema.py
    encode_cells, a short entry): the JSON of its entry up to the cell's row number — ``"metric":["12","C``
    (an integer written as such), ``"metric":["1.5",1500000,"C`` or ``"metric":["12",12000000,"12.0","C``
    — and (metric, micro-units). Made once per column and cell text of a form export, not per cell.
    None when it has more than 6 decimals."""
    scaled = value * 1_000_000
    if scaled != scaled.to_integral_value():
        return None
    micro = int(scaled)
    text = str(value)
    if raw != text:
        entry = f'"{text}",{micro},{_json_text(raw)}'
    elif len(text) <= 12 and (text[1:] if text[0] == "-" else text).isdigit():
        entry = f'"{text}"'
    else:
        entry = f'"{text}",{micro}'
    return f'{_json_text(metric)}:[{entry},{_json_text(column)[:-1]}', (metric, micro)

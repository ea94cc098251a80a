"""Header fields of a return (填报单位：…, 年度：…, 口径：…) and where unit and year come from."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gwstats.core.text import nfkc, squash

# field -> labels as written (first is the canonical one). 单位 alone only counts with a colon.
FIELD_LABELS = {
    "填报单位": ("填报单位", "填报单位名称", "报送单位", "填表单位", "单位名称", "单位"),
    "单位编码": ("单位编码", "单位代码"),
    "年度": ("年度", "统计年度", "报表年度", "年份"),
    "口径": ("口径", "统计口径", "填报口径", "数据口径"),
    "填报人": ("填报人", "填表人", "联系人", "经办人"),
    "联系电话": ("联系电话", "电话", "手机"),
    "填报日期": ("填报日期", "填表日期", "报送日期", "日期"),
    "上级单位": ("上级单位", "主管单位", "上级主管单位"),
    "审核人": ("审核人", "单位负责人", "负责人"),
}
_STANDALONE_EXCLUDED = {"单位", "单位名称", "日期", "电话"}  # too common as column headers
_LABEL_OF = {lab: f for f, labs in FIELD_LABELS.items() for lab in labs}
_STANDALONE = {lab: f for lab, f in _LABEL_OF.items() if lab not in _STANDALONE_EXCLUDED}
_ALT = "|".join(sorted(map(re.escape, _LABEL_OF), key=len, reverse=True))
_ANY = re.compile(_ALT)
_INLINE = re.compile(rf"({_ALT})\s*(?:[(（][^)）]{{0,8}}[)）])?\s*[:：]")
_YEAR_IN_TEXT = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")
_YEAR_TITLE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年(?!\s*[0-9]{1,2}\s*月)")
_STAMP = re.compile(r"[(（]\s*(盖章|公章|签章|章|签字|签名)\s*[)）]")


@dataclass
class FieldValue:
    value: object
    row: int
    col: int


_MEASURES = re.compile(r"^[人个所场次对篇万元户名件%、,，/\s()（）:：]+$")


def _is_measure_note(label: str, value) -> bool:
    """"单位：人、万元" under a title is the unit of measure, not the reporting unit."""
    return label in ("单位", "计量单位") and isinstance(value, str) and bool(_MEASURES.match(value))


def find_fields(rows: list[list], skip_rows: set[int] | None = None, max_cols: int = 40) -> dict[str, FieldValue]:
    """Header fields anywhere in the sheet (first occurrence wins)."""
    out: dict[str, FieldValue] = {}
    skip_rows = skip_rows or set()
    for r, row in enumerate(rows):
        if r in skip_rows:
            continue
        n = min(len(row), max_cols)
        for c in range(n):
            v = row[c]
            if not isinstance(v, str) or not v or len(v) > 120 or not _ANY.search(v):
                continue
            text = nfkc(v).strip()
            key = squash(text)
            bare = key.rstrip(":：")
            if bare in _STANDALONE or (bare in _LABEL_OF and key != bare):
                value = _next_value(row, c + 1, n)
                if value is not None:
                    out.setdefault(_LABEL_OF[bare], FieldValue(value[0], r, value[1]))
                continue
            matches = list(_INLINE.finditer(text))
            for i, m in enumerate(matches):
                end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
                value = text[m.end():end].strip()
                field = _LABEL_OF[m.group(1)]
                if _is_measure_note(m.group(1), value):
                    continue
                if value:
                    out.setdefault(field, FieldValue(value, r, c))
                elif i == len(matches) - 1:
                    nxt = _next_value(row, c + 1, n)
                    if nxt is not None:
                        out.setdefault(field, FieldValue(nxt[0], r, nxt[1]))
    return out


def _next_value(row, start, n):
    for c in range(start, n):
        v = row[c]
        if v is None or v == "":
            continue
        if isinstance(v, str):
            key = squash(v).rstrip(":：")
            if key in _LABEL_OF or _INLINE.match(nfkc(v).strip()):
                return None  # the next cell is another label: this field is blank
            if not v.strip():
                continue
        return v, c
    return None


def clean_unit_text(text: str) -> str:
    """"岳西县公安局关工委（盖章）" -> "岳西县公安局关工委"."""
    return _STAMP.sub("", nfkc(str(text))).strip()


def year_in_name(text: str) -> int | None:
    m = _YEAR_IN_TEXT.search(nfkc(text))
    return int(m.group(1)) if m else None


def year_in_title(text: str) -> int | None:
    m = _YEAR_TITLE.search(nfkc(text))
    return int(m.group(1)) if m else None


def title_texts(rows: list[list], upto: int, fields: dict[str, FieldValue] | None = None) -> list[str]:
    """String cells above the table (titles such as "2018年度岳西县关心下一代工作统计表").

    Header fields, their labels and their values (上级单位, 填报日期…) are not titles.
    """
    taken = {(fv.row, fv.col) for fv in (fields or {}).values()}
    out = []
    for r, row in enumerate(rows[:upto]):
        for c, v in enumerate(row[:20]):
            if not isinstance(v, str) or not v.strip() or (r, c) in taken:
                continue
            if _INLINE.search(nfkc(v)) or squash(v).rstrip(":：") in _LABEL_OF:
                continue
            out.append(v.strip())
    return out

"""The one vocabulary of headers: the header fields of a return (填报单位：…, 年度：…, 口径：…) and where
unit and year come from, and the column headings, totals, units of measure and footers that the return
parsers (parse.long, parse.wide) and the form reader (tables.finder) recognise."""

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


# ---- column headings and row labels of a table ------------------------------------------------
# A return is a form filled in: the parsers and the form reader accept the same words. Where a word
# means two things, the sets below say which reading each side takes.

# 指标 | 数值: the column of indicator names of a list
LABEL_HEADERS = {"指标", "指标名称", "项目", "统计指标", "项目名称", "内容", "统计项目", "指标项目", "统计内容", "名称", "类别",
                 "工作指标"}
# the column of figures of a list
VALUE_HEADERS = {"数值", "数量", "本年", "本年度", "本年数", "本年度数", "本期", "本期数", "填报数", "数据", "完成数", "实际完成",
                 "统计数", "数字", "年度数", "本年实际", "本年完成", "本年度完成", "数额", "金额"}
# 指标 | 合计: in a return's list the figures; in a form's grid a total column of a cross-tab
TOTAL_VALUE_HEADERS = {"合计", "总数"}
# 2018 / 2018年 / 2018年度数 …: the figures of that year
_YEAR_HEADER = re.compile(r"^((?:19|20)\d{2})年?度?(数|数值|完成|实际)?$")
# the unit of measure of each row (计量单位); 单位 alone is also a unit column's heading, see below
UNIT_HEADERS = {"计量单位", "计量", "单位"}
# units down the side (a wide table): the column of unit names
UNIT_COL_HEADERS = {"单位", "单位名称", "填报单位", "名称", "单位/项目", "项目/单位", "地区", "部门", "派出所", "分局", "市州",
                    "县市区", "县区", "县(市)区", "县(市、区)", "乡镇", "乡镇街道", "基层单位", "下属单位", "所属单位"}
# headings of either a unit column or a 主栏 column: a form's grid with one of them alone at its
# corner is read as a cross-tab (its rows are 乡镇、村、学校…, not units to report)
GENERIC_HEADERS = {"名称"}
# the corner of a cross-tab (主栏)
CORNER_HEADERS = LABEL_HEADERS | {"主栏", "分类", "类型", "组织类型", "单位类型"}
CODE_COL_HEADERS = {"单位编码", "编码", "单位代码", "代码"}  # the units' codes in a wide table
SEQ_HEADERS = {"序号", "编号", "行次", "栏次", "代码", "行号"}
NOTE_HEADERS = {"备注", "说明", "附注"}
SKIP_COL_HEADERS = SEQ_HEADERS | NOTE_HEADERS | CODE_COL_HEADERS  # columns that hold neither units nor figures
# a total row or column (a wide table also takes any name ending in 合计/总计); 小计 is a total in a
# form and a subtotal in a return (not imported, recomputed)
TOTAL_LABELS = {"合计", "总计", "合计数", "总合计", "汇总", "全市合计", "全县合计", "全区合计", "总数", "共计", "全部", "小计"}
SUBTOTAL_LABELS = {"小计"}
MEASURES = {"个", "人", "所", "场次", "场", "人次", "次", "对", "篇", "万元", "元", "%", "名", "户", "家", "件", "期", "天"}
# lines under a table (their start): signatures, notes, contact
FOOTER = ("填报人", "填表人", "审核人", "单位负责人", "负责人", "制表", "注", "说明", "备注", "联系电话", "填报日期", "填表说明")


def year_header(text: str) -> int | None:
    """2018 / 2018年 / 2018年度 / 2018年度数 -> 2018; else None."""
    m = _YEAR_HEADER.match(text)
    return int(m.group(1)) if m else None


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
        if not _ANY.search(_row_text(row, n)):
            continue  # no label in any cell (most rows of a form export): nothing to look at cell by cell
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


def _row_text(row, n) -> str:
    """The row's first n text cells joined by newlines (no label holds one, so a label found in the
    joined text is a label in one of the cells)."""
    cells = row[:n]
    try:
        return "\n".join(cells)
    except TypeError:  # numbers or empty cells
        return "\n".join([v for v in cells if isinstance(v, str)])


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

"""Online form exports (腾讯文档收集表, WPS 表单, 金数据, 问卷星…): one row per submission.

Such a sheet is a one-row-per-unit sheet with a few extra columns: when it was submitted
(提交时间), by whom (提交者), sometimes the year asked as a question (年度). This module finds
those columns and gives each row's return its submission time (taken as the date received), its
submitter and its year. When one unit submitted more than once, every submission is kept, in
the order they were made: the latest is in force, the earlier ones stay in history.
"""

from __future__ import annotations

import datetime as dt
import re

from gwstats.core.text import nfkc, squash
from gwstats.core.values import NumberError, cell_text, parse_year
from gwstats.read.reader import Sheet, cell_ref

TIME_HEADERS = {"提交时间", "填写时间", "答题时间", "提交日期", "填报时间", "创建时间", "提交答卷时间", "开始填写时间"}
SUBMITTER_HEADERS = {"提交者", "提交人", "填写人", "填写者", "微信昵称", "昵称", "用户名", "提交者昵称"}
YEAR_HEADERS = {"年度", "统计年度", "报表年度", "填报年度", "年份"}
_NUMBERING = re.compile(r"^(?:第?[0-9]+题?|[Qq][0-9]+)[.、:：)）]?")
_BRACKETED = re.compile(r"[(\[（【〔][^)\]）】〕]*[)\]）】〕]")
_PLAIN_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")
_DATETIME = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?)?"
)


def header_key(text) -> str:
    """A question header without numbering, brackets and required marks: "1. 填报单位*" -> "填报单位"."""
    if not isinstance(text, str):
        return ""
    key = squash(text).strip("*＊")
    key = _NUMBERING.sub("", key)
    key = _BRACKETED.sub("", key)
    return key.strip("*＊:：")


def find_columns(header: dict[int, str]) -> dict[str, int]:
    """{"time": col, "submitter": col, "year": col} for the form columns present in the header."""
    out: dict[str, int] = {}
    for c, text in sorted(header.items()):
        key = header_key(text)
        for name, names in (("time", TIME_HEADERS), ("submitter", SUBMITTER_HEADERS), ("year", YEAR_HEADERS)):
            if key in names and name not in out:
                out[name] = c
    return out


def parse_time(value) -> str | None:
    """A submission time as ISO text ("2021-01-05T10:23:11"), or None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day).isoformat()
    if not isinstance(value, str):
        return None
    if _PLAIN_TIME.fullmatch(value):  # "2020-01-03 08:00:04", as a form export writes every row's time
        try:
            return dt.datetime.fromisoformat(value).isoformat()
        except ValueError:
            return None
    m = _DATETIME.match(nfkc(value).strip())
    if not m:
        return None
    y, mo, d, h, mi, s = (int(x) if x else 0 for x in m.groups())
    try:
        return dt.datetime(y, mo, d, h, mi, s).isoformat()
    except ValueError:
        return None


def apply(sheet: Sheet, ctx, columns: dict[str, int], returns: list, problems: list):
    """Give each row's return its submission time, submitter and year; order repeated submissions."""
    time_col, who_col, year_col = columns.get("time"), columns.get("submitter"), columns.get("year")
    years: dict[str, int | None] = {}  # a year column's texts read so far (every row writes the same year)
    for ret in returns:
        if ret.row is None or ret.source != "row":
            continue
        r = ret.row - 1
        if time_col is not None:
            raw = sheet.cell(r, time_col)
            at = parse_time(raw)
            if at is None and raw not in (None, ""):
                problems.append(ctx.finding("error", "bad-time", f"提交时间“{cell_text(raw)}”不是有效的日期时间",
                                            sheet.name, cell_ref(r, time_col)))
            ret.received_at = at
        if who_col is not None:
            who = sheet.cell(r, who_col)
            ret.filled_by = cell_text(who).strip() or None
        if year_col is not None:
            raw = sheet.cell(r, year_col)
            try:
                year = years[raw] if type(raw) is str and raw in years else parse_year(raw)
                if type(raw) is str and len(years) < 1000:
                    years[raw] = year
            except NumberError:
                problems.append(ctx.finding("error", "bad-year", f"年度“{cell_text(raw)}”不是有效年份（应为四位数字，如 2018）",
                                            sheet.name, cell_ref(r, year_col)))
                year = None
            if year is not None:
                ret.year, ret.year_from = year, "年度列"
    _order_repeats(sheet, ctx, returns)


def _order_repeats(sheet: Sheet, ctx, returns: list):
    """Submissions of one unit in time order (earliest first, so the latest is written last and is in force)."""
    rows = [r for r in returns if r.source == "row" and r.unit]
    by_unit: dict[tuple, list] = {}
    for r in rows:
        by_unit.setdefault((r.unit, r.year), []).append(r)
    for (unit, _), subs in by_unit.items():
        if len(subs) < 2:
            continue
        subs.sort(key=lambda r: (r.received_at or "", r.row))
        latest = subs[-1]
        earlier = "、".join(f"第 {r.row} 行（{_shown(r.received_at)}）" for r in subs[:-1])
        latest.findings.append(ctx.finding(
            "warning", "resubmitted",
            f"{ctx.h.name(unit)}提交了 {len(subs)} 次：以最后一次（第 {latest.row} 行，{_shown(latest.received_at)}）为准，"
            f"之前的{earlier}保留在历史中", sheet.name, f"第 {latest.row} 行"))
    order = {id(r): i for i, r in enumerate(sorted(rows, key=lambda r: (r.received_at or "", r.row)))}
    positions = [i for i, r in enumerate(returns) if id(r) in order]
    for i, r in zip(positions, sorted((returns[i] for i in positions), key=lambda r: order[id(r)])):
        returns[i] = r


def _shown(at: str | None) -> str:
    return at.replace("T", " ")[:16] if at else "时间未知"

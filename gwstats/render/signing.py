"""The report's 成文日期: the clerk's choice (``report --date``, gwstats.toml ``[report] date``), else today."""

from __future__ import annotations

import datetime as dt
import re

from gwstats.core.errors import UsageError


def parse_date(text) -> dt.date:
    """``2021-01-15``, ``2021/1/15``, ``2021.1.15`` or ``2021年1月15日`` (or a TOML date) as a date."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    s = str(text).strip()
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?", s)
    if m:
        try:
            return dt.date(*map(int, m.groups()))
        except ValueError:
            pass
    raise UsageError(f"成文日期应写作 2021-01-15 或 2021年1月15日，实际为“{s}”")


def signing_date(settings: dict, given=None, today: dt.date | None = None) -> dt.date:
    """``given`` (the command line), else ``[report] date`` of the settings, else today."""
    if given not in (None, ""):
        return parse_date(given)
    configured = (settings.get("report") or {}).get("date") if isinstance(settings.get("report"), dict) else None
    if configured not in (None, ""):
        return parse_date(configured)
    return today or dt.date.today()


def chinese_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"

"""The report's 成文日期: --date, else gwstats.toml [report] date, else today."""

import datetime as dt

import pytest

from gwstats.core.errors import UsageError
from gwstats.render.signing import chinese_date, parse_date, signing_date


def test_forms_of_a_date():
    for text in ("2021-01-15", "2021/1/15", "2021.1.15", "2021年1月15日", " 2021 年 1 月 15 日 ", dt.date(2021, 1, 15)):
        assert parse_date(text) == dt.date(2021, 1, 15), text
    assert chinese_date(dt.date(2021, 1, 15)) == "2021年1月15日"


def test_wrong_dates_are_refused_in_chinese():
    for text in ("2021-13-01", "明天", "2021-02-30"):
        with pytest.raises(UsageError, match="成文日期应写作"):
            parse_date(text)


def test_option_then_setting_then_today():
    today = dt.date(2026, 12, 3)
    assert signing_date({}, None, today) == today
    assert signing_date({"report": {"date": dt.date(2021, 1, 15)}}, None, today) == dt.date(2021, 1, 15)
    assert signing_date({"report": {"date": "2021年1月16日"}}, "2021-01-20", today) == dt.date(2021, 1, 20)

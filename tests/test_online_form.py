"""parse.online_form: a form export's submission times."""

import datetime as dt

import pytest

from gwstats.parse.online_form import parse_time


@pytest.mark.parametrize("text, iso", [
    ("2020-01-03 08:00:04", "2020-01-03T08:00:04"),  # as a form export writes every row (the quick path)
    ("2020-01-03 08:00:04 ", "2020-01-03T08:00:04"),
    ("２０２０-01-03 08:00:04", "2020-01-03T08:00:04"),
    ("2020/1/3 8:00", "2020-01-03T08:00:00"),
    ("2020年1月3日", "2020-01-03T00:00:00"),
    ("2020-02-30 08:00:04", None),  # no such day
    ("2020-01-03 24:00:00", None),
    ("2020-01-03 08:60:04", None),
    ("0000-01-03 08:00:04", None),
    ("昨天", None),
])
def test_submission_times_as_written(text, iso):
    assert parse_time(text) == iso


def test_submission_times_from_cells():
    assert parse_time(dt.datetime(2020, 1, 3, 8, 0, 4, 500)) == "2020-01-03T08:00:04"
    assert parse_time(dt.date(2020, 1, 3)) == "2020-01-03T00:00:00"
    assert parse_time(20200103) is None

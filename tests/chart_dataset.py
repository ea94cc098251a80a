"""A small stored dataset for the chart and report tests (three years, one unit missing in 2018).

Its fixtures are registered for every test in tests/conftest.py.
"""

from __future__ import annotations

import warnings

import pytest

from store_builders import add_submission, make_ws

UNITS = [
    ("AQ", "安庆市公安局关工委", None),
    ("TC", "桐城市公安局关工委", "AQ"),
    ("QS", "潜山县公安局关工委", "AQ"),
    ("HN", "怀宁县公安局关工委", "AQ"),
    ("YX", "岳西县公安局关工委", "AQ"),
    ("WJ", "望江县公安局关工委", "AQ"),
    ("SS", "宿松县公安局关工委", "AQ"),
    ("YXC", "岳西县公安局城关派出所", "YX"),
]

# unit -> metric -> value, for 2018; 2017 and 2016 are derived below.
DATA_2018 = {
    # TC writes its 五好达标率 as 95 although 36/40 is 90%: a finding for the 数据核查 appendix.
    "TC": {"rate_wuhao": 95, "org_total": 40, "org_wuhao": 36, "units_expected": 12, "units_built": 12, "wulao_volunteers": 600,
           "wulao_core": 200, "legal_lessons": 150, "legal_audience": 9000, "aided_students": 120,
           "aid_amount": "18.35", "donations_social": "5.2", "donations_wulao": "3.2"},
    "QS": {"org_total": 30, "org_wuhao": 21, "units_expected": 10, "units_built": 9, "wulao_volunteers": 420,
           "wulao_core": 130, "legal_lessons": 90, "legal_audience": 5200, "aided_students": 95,
           "aid_amount": "12.4", "donations_social": "4.1", "donations_wulao": "2"},
    "HN": {"org_total": 35, "org_wuhao": 30, "units_expected": 11, "units_built": 11, "wulao_volunteers": 510,
           "wulao_core": 170, "legal_lessons": 120, "legal_audience": 6000, "aided_students": 150,
           "aid_amount": "20.1", "donations_social": "3", "donations_wulao": "1.1"},
    "YX": {"org_total": 45, "org_wuhao": 40, "units_expected": 14, "units_built": 14, "wulao_volunteers": 700,
           "wulao_core": 260, "legal_lessons": 200, "legal_audience": 12000, "aided_students": 180,
           "aid_amount": "25.6", "donations_social": "0.5", "donations_wulao": "0.4"},
    "WJ": {"org_total": 38, "org_wuhao": 25, "units_expected": 12, "units_built": 10, "wulao_volunteers": 273,
           "wulao_core": 42, "legal_lessons": 128, "legal_audience": 30000, "aided_students": 88,
           "aid_amount": "13.55", "donations_social": "2.4", "donations_wulao": "1.5"},
    # SS (宿松) has not reported 2018.
    "YXC": {"legal_lessons": 12, "legal_audience": 800},
}


def _scaled(values: dict, factor: float) -> dict:
    out = {}
    for k, v in values.items():
        if k.startswith("rate_"):
            continue
        if isinstance(v, str):
            out[k] = f"{float(v) * factor:.2f}"
        else:
            out[k] = max(0, int(round(v * factor)))
    return out


def build_chart_dataset(ws):
    for unit, values in DATA_2018.items():
        add_submission(ws, unit, 2018, values, filled_by="张三", phone="0556-1234567")
    for unit, values in DATA_2018.items():
        add_submission(ws, unit, 2017, _scaled(values, 0.9), received_at="2018-01-10T09:00:00")
    add_submission(ws, "SS", 2017, {"org_total": 20, "org_wuhao": 14, "legal_lessons": 60, "wulao_volunteers": 300, "wulao_core": 0},
                   received_at="2018-01-10T09:00:00")
    for unit, values in DATA_2018.items():
        add_submission(ws, unit, 2016, _scaled({k: v for k, v in values.items() if k in ("legal_audience", "legal_lessons")}, 0.7),
                       received_at="2017-01-10T09:00:00")
    # The city bureau's own 本级 return: a couple of its own figures.
    add_submission(ws, "AQ", 2018, {"legal_lessons": 10, "legal_audience": 1000})
    add_submission(ws, "AQ", 2017, {"legal_lessons": 8, "legal_audience": 900}, received_at="2018-01-10T09:00:00")
    return ws


@pytest.fixture(scope="module")
def chart_ws(tmp_path_factory):
    # the office's own targets (gwstats.toml [targets]): the catalog sets none
    ws = make_ws(tmp_path_factory.mktemp("charts"), UNITS, name="安庆市公安局关工委", year=2018,
                 config_extra="\n[targets]\nrate_wuhao = 80\nrate_coverage = 100\nrate_vp_schools = 100\n")
    return build_chart_dataset(ws)


@pytest.fixture
def no_glyph_warnings():
    """Any matplotlib warning (a missing glyph above all) fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield

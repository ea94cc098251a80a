"""Which version of a return is in force is decided by what the files say (填报日期, a 更正/修改版
mark in the name), not by the order they were imported (issue 20)."""

from __future__ import annotations

from decimal import Decimal

from helpers_returns import long_rows, write_xlsx
from store_builders import make_ws


def _file(tmp_path, name, value, date=None):
    rows = long_rows({"关工委组织数": value}, unit="市直单位", year=2020)
    if date:
        rows.insert(2, ["填报日期", date])
    return write_xlsx(tmp_path / "in" / name, {"Sheet1": rows})


def _value(ws):
    return ws.rollup(2020).value("D", "org_total")


def test_original_after_its_correction_is_not_put_in_force(tmp_path):
    ws = make_ws(tmp_path, year=2020)
    fixed = _file(tmp_path, "市直单位2020年报表（更正）.xlsx", 20, "2021-01-08")
    first = _file(tmp_path, "市直单位2020年报表.xlsx", 13, "2021-01-05")
    assert ws.import_paths([fixed]).files[0].status == "accepted"
    f = ws.import_paths([first]).files[0]
    assert f.status == "rejected"
    err = f.errors[0]
    assert err.code == "older-version"
    assert "2021-01-05" in err.message and "2021-01-08" in err.message and "--replace" in err.message
    assert _value(ws) == Decimal(20)
    f = ws.import_paths([first], replace=True).files[0]
    assert f.status == "replaced" and _value(ws) == Decimal(13)


def test_unmarked_file_after_a_correction_without_dates_is_refused(tmp_path):
    ws = make_ws(tmp_path, year=2020)
    ws.import_paths([_file(tmp_path, "市直单位报表（修改版）.xlsx", 20)])
    f = ws.import_paths([_file(tmp_path, "市直单位报表.xlsx", 13)]).files[0]
    assert f.status == "rejected" and f.errors[0].code == "older-version"
    assert "修改版" in f.errors[0].message
    assert _value(ws) == Decimal(20)


def test_newer_fill_date_replaces(tmp_path):
    ws = make_ws(tmp_path, year=2020)
    ws.import_paths([_file(tmp_path, "a.xlsx", 13, "2021-01-05")])
    f = ws.import_paths([_file(tmp_path, "b.xlsx", 20, "2021年1月8日")]).files[0]
    assert f.status == "replaced" and _value(ws) == Decimal(20)


def test_batch_of_two_unmarked_versions_takes_the_later_fill_date(tmp_path):
    ws = make_ws(tmp_path, year=2020)
    late = _file(tmp_path, "a.xlsx", 20, "2021-01-08")
    early = _file(tmp_path, "b.xlsx", 13, "2021-01-05")
    rep = ws.import_paths([late, early])
    assert not rep.has_rejections, rep.records()
    assert _value(ws) == Decimal(20)
    assert any("填报日期最晚" in n for f in rep.files for n in f.notes)

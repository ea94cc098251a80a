"""口径 decided from evidence (issue 20): words that include the units below read as 汇总; a return
without 口径 from a unit with subordinates is 汇总 when its figures are at least its reporting
subordinates' sum, else an error finding naming both readings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helpers_returns import long_rows, write_xlsx
from store_builders import make_ws


def _return(tmp_path, name, unit, value, scope=None, year=2020, extra=None):
    values = {"关工委组织数": value, **(extra or {})}
    return write_xlsx(tmp_path / "in" / name, {"Sheet1": long_rows(values, unit=unit, year=year, scope=scope)})


def _county(tmp_path, county_value, scope):
    ws = make_ws(tmp_path, year=2020)
    files = [_return(tmp_path, "一站.xlsx", "甲县一站", 8), _return(tmp_path, "二站.xlsx", "甲县二站", 7),
             _return(tmp_path, "甲县.xlsx", "甲县关工委", county_value, scope=scope)]
    rep = ws.import_paths(files)
    assert not rep.has_rejections, rep.records()
    return ws


@pytest.mark.parametrize("words", ["本级及下属", "含下属", "全县", "本级和下级"])
def test_words_including_subordinates_read_as_huizong(tmp_path, words):
    ws = _county(tmp_path, 20, words)
    rr = ws.rollup(2020)
    assert rr.value("A", "org_total") == Decimal(20)  # not 35: the county's 20 already holds its towns
    assert rr.value("C", "org_total") == Decimal(20)


def test_missing_scope_at_least_children_sum_is_huizong_with_a_note(tmp_path):
    ws = _county(tmp_path, 20, None)
    rr = ws.rollup(2020)
    assert rr.value("A", "org_total") == Decimal(20)
    found = [f for f in ws.check(2020).findings if f.code == "scope-read"]
    assert len(found) == 1 and found[0].extra["unit"] == "A" and found[0].severity == "info"
    assert "没有填写口径" in found[0].message and "15" in found[0].message


def test_missing_scope_below_children_sum_is_an_error_naming_both_readings(tmp_path):
    ws = _county(tmp_path, 12, None)
    rr = ws.rollup(2020)
    assert rr.value("A", "org_total") == Decimal(27)  # kept as 本级 for now, but flagged
    res = ws.check(2020)
    found = [f for f in res.findings if f.code == "scope-unsure"]
    assert len(found) == 1 and found[0].severity == "error" and res.has_errors
    f = found[0]
    assert f.file == "甲县.xlsx" and f.cell
    assert "27" in f.message and "12" in f.message and "15" in f.message


def test_missing_scope_from_a_unit_without_subordinates_is_quiet(tmp_path):
    ws = make_ws(tmp_path, year=2020)
    rep = ws.import_paths([_return(tmp_path, "市直.xlsx", "市直单位", 4)])
    assert not any("口径" in n for f in rep.files for n in f.notes)
    assert ws.rollup(2020).value("D", "org_total") == Decimal(4)
    assert not [f for f in ws.check(2020).findings if f.code.startswith("scope")]


def test_stated_benji_is_kept(tmp_path):
    ws = _county(tmp_path, 20, "本级")
    assert ws.rollup(2020).value("A", "org_total") == Decimal(35)

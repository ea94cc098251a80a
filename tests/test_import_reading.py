"""Returns typed the way clerks type them (issue 12): each case imports, and trace shows the raw text."""

import pytest

from helpers_returns import long_rows, make_workspace, stored_values, wide_rows, write_xlsx


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path)


def one(report):
    assert len(report.files) == 1
    return report.files[0]


def traced(ws, unit, metric, year=2018) -> str:
    return ws.trace(year, unit, metric).render()


# ---- Chinese numerals ----------------------------------------------------------------------------
def test_chinese_numerals_in_value_cells(ws, tmp_path):
    vals = {"关工委组织数": "十二", "五老志愿者人数": "两千", "法制课场次": "一百二十", "受教育师生人次": "一万二",
            "资助困难学生人数": "三千五百余", "五老骨干人数": "1千"}
    path = write_xlsx(tmp_path / "in" / "岳西县局2018.xlsx", {"统计表": long_rows(vals)})
    report = ws.import_paths([path])
    f = one(report)
    assert f.status == "accepted", f.errors
    v = stored_values(ws, "YX")
    got = {m: (val, approx, raw) for m, (val, state, approx, sheet, cell, raw) in v.items()}
    assert got["org_total"] == ("12", 0, "十二")
    assert got["wulao_volunteers"] == ("2000", 0, "两千")
    assert got["legal_lessons"] == ("120", 0, "一百二十")
    assert got["legal_audience"] == ("12000", 0, "一万二")
    assert got["aided_students"] == ("3500", 1, "三千五百余")  # 余 still marks it approximate
    assert got["wulao_core"] == ("1000", 0, "1千")
    summary = report.records()[0]["提醒"]
    assert summary.count("按中文数字读取") == 6 and "“一万二”按中文数字读取为 12000" in summary
    assert "原文“一万二”" in traced(ws, "YX", "legal_audience")


@pytest.mark.parametrize("text", ["若干", "见附件"])
def test_text_that_is_not_a_number_stays_an_error(ws, tmp_path, text):
    path = write_xlsx(tmp_path / "in" / "岳西县局2018.xlsx", {"统计表": long_rows({"关工委组织数": 12, "法制课场次": text})})
    f = one(ws.import_paths([path]))
    assert f.status == "rejected"
    assert any(f"“{text}”无法识别为数字" in e.message for e in f.errors)


def test_year_in_chinese_numerals(ws, tmp_path):
    rows = long_rows({"关工委组织数": 12}, year="二〇二〇")
    path = write_xlsx(tmp_path / "in" / "岳西县局年报.xlsx", {"统计表": rows})
    f = one(ws.import_paths([path]))
    assert f.status == "accepted", f.errors
    assert [(r.unit, r.year) for r in f.returns] == [("YX", 2020)]

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


# ---- unit names as people write them ---------------------------------------------------------------
JIAN_AN_UNITS = __import__("pathlib").Path(__file__).resolve().parents[1] / "sample_data" / "jian-an" / "units.csv"


@pytest.fixture
def ja(tmp_path):
    from gwstats import Workspace

    ws = Workspace.init(tmp_path / "ja", name="集安市关工委", year=2020)
    ws.import_units(JIAN_AN_UNITS)
    return ws


@pytest.mark.parametrize("written, code", [
    ("集安市财源镇关工委", "JA02"),  # the parent's place name in front
    ("集安市财源镇关心下一代工作委员会（盖章）", "JA02"),  # spelled out, with the stamp note
    ("财源镇", "JA02"),  # abbreviated
    ("财源镇关工委（本级）", "JA02"),
    ("集安市青石镇秋皮村关工委", "JA0802"),  # two levels of place names in front
    ("集安市关心下一代工作委员会", "JA"),
])
def test_unit_written_with_parent_name_or_notes(ja, tmp_path, written, code):
    rows = long_rows({"关工委组织数": 7, "五老志愿者人数": 40}, unit=written, year=2020)
    path = write_xlsx(tmp_path / "in" / "报表.xlsx", {"统计表": rows})
    f = one(ja.import_paths([path]))
    assert f.status == "accepted", f.errors
    assert [(r.unit, r.scope) for r in f.returns] == [(code, "本级")]
    assert "原文“7”" in traced(ja, code, "org_total", 2020)


def test_police_unit_under_the_city_bureau(ws, tmp_path):
    rows = long_rows({"关工委组织数": 3}, unit="安庆市公安局桐城市局关工委")
    f = one(ws.import_paths([write_xlsx(tmp_path / "in" / "报表.xlsx", {"统计表": rows})]))
    assert f.status == "accepted", f.errors
    assert [r.unit for r in f.returns] == ["TC"]


def test_unknown_unit_suggests_the_contained_name_first(ja, tmp_path):
    # 财源镇 exists, 新村 does not: the suggestion names 财源镇关工委 before its parent 集安市关工委
    rows = long_rows({"关工委组织数": 7}, unit="集安市财源镇新村关工委", year=2020)
    f = one(ja.import_paths([write_xlsx(tmp_path / "in" / "报表.xlsx", {"统计表": rows})]))
    assert f.status == "rejected"
    msg = next(e.message for e in f.errors if e.code == "unknown-unit")
    assert "是否是：财源镇关工委、集安市关工委" in msg
    h = ja.hierarchy()
    assert h.suggest("集安市财源镇关工委")[0] == "财源镇关工委"


def test_own_row_of_the_sheet_unit_in_a_wide_sheet(ja, tmp_path):
    rows, merged = wide_rows(["财源镇关工委本级", "财源中学"], ["法制课场次", "受教育师生人次"], [[3, 100], [5, 300]],
                             total=[8, 400], year=2020, unit_field="财源镇关工委")
    rows.insert(2, ["口径：汇总"])  # the sheet says 汇总; the 本级 row is still the town's own figures
    f = one(ja.import_paths([write_xlsx(tmp_path / "in" / "财源镇汇总.xlsx", {"汇总表": rows}, {"汇总表": merged})]))
    assert f.status == "accepted", f.errors
    got = sorted((r.unit, r.scope, r.source) for r in f.returns)
    assert got == [("JA02", "本级", "row"), ("JA02", "汇总", "total_row"), ("JA0201", "汇总", "row")]
    assert stored_values(ja, "JA02", 2020)["legal_lessons"][-1] == "3"
    assert "财源镇关工委：合计 8" in traced(ja, "JA02", "legal_lessons", 2020)


# ---- wide sheets -----------------------------------------------------------------------------------
WIDE_HEAD = ["序号", "单位名称", "法制课场次", "受教育师生人次"]


def wide_file(tmp_path, rows, name="汇总.xlsx"):
    return write_xlsx(tmp_path / "in" / name, {"汇总表": rows})


def test_unit_field_line_right_above_the_header(ws, tmp_path):
    # "填报单位 | 安庆市公安局关工委 | 年度 | 2018" in cells of their own, directly above the header row:
    # before, that line was taken for a group header and 序号 (1, 2) for the unit column
    rows = [["2018年度汇总表"], ["填报单位", "安庆市公安局关工委", None, "年度", 2018], WIDE_HEAD,
            [1, "岳西县局", 3, "一百"], [2, "望江县局", 4, 50], [None, "合计", 7, 150]]
    f = one(ws.import_paths([wide_file(tmp_path, rows)]))
    assert f.status == "accepted", f.errors
    assert sorted((r.unit, r.scope, r.source) for r in f.returns) == [
        ("AQ", "汇总", "total_row"), ("WJ", "本级", "row"), ("YX", "本级", "row")]
    assert stored_values(ws, "YX")["legal_audience"][-2:] == ("D4", "一百")
    assert "单元格 D4，原文“一百”" in traced(ws, "YX", "legal_audience")


def test_unit_codes_in_a_column_of_their_own(ws, tmp_path):
    rows = [["2018年度汇总表"], ["序号", "单位编码", "单位名称", "法制课场次", "受教育师生人次"],
            [1, "YX", "岳西县公安局", 3, 100], [2, "WJ", "望江", 4, 50]]  # "望江" is no alias: the code says who
    f = one(ws.import_paths([wide_file(tmp_path, rows)]))
    assert f.status == "accepted", f.errors
    assert sorted(r.unit for r in f.returns) == ["WJ", "YX"]
    assert "原文“4”" in traced(ws, "WJ", "legal_lessons")


def test_unit_code_column_disagreeing_with_the_name_is_refused(ws, tmp_path):
    rows = [["2018年度汇总表"], ["序号", "单位编码", "单位名称", "法制课场次", "受教育师生人次"],
            [1, "YX", "望江县局", 3, 100], [2, "ZZ", "怀宁县局", 4, 50]]
    f = one(ws.import_paths([wide_file(tmp_path, rows)]))
    assert f.status == "rejected"
    codes = sorted(e.code for e in f.errors)
    assert codes == ["unit-mismatch", "unknown-unit-code"]
    assert any("B4" == e.cell for e in f.errors)


def test_total_row_at_the_top(ws, tmp_path):
    rows = [["2018年度汇总表"], ["填报单位：安庆市公安局关工委"], WIDE_HEAD, [None, "合计", 7, 150],
            [1, "岳西县局", 3, 100], [2, "望江县局", 4, 50]]
    f = one(ws.import_paths([wide_file(tmp_path, rows)]))
    assert f.status == "accepted", f.errors
    assert sorted((r.unit, r.source) for r in f.returns) == [("AQ", "total_row"), ("WJ", "row"), ("YX", "row")]
    assert stored_values(ws, "AQ", scope="汇总")["legal_lessons"][-2:] == ("C4", "7")
    assert "合计行填报：7" in traced(ws, "AQ", "legal_lessons")


# ---- online form exports (腾讯文档 / WPS 表单 / 金数据) -------------------------------------------------
def test_form_export_one_row_per_submission(ws, tmp_path):
    import datetime as dt

    rows = [["编号", "提交者", "提交时间", "1. 填报单位*", "2. 年度", "3. 关工委组织数（个）", "4. 法制课场次", "5. 受教育师生人次"],
            [1, "张三", dt.datetime(2019, 1, 5, 10, 23, 11), "岳西县公安局关工委", 2018, 12, 30, "一千"],
            [2, "李四", "2019/01/06 09:00:00", "望江县局", 2018, 5, 8, 100],
            [3, "张三", "2019-01-08 16:40", "岳西县公安局关工委（盖章）", 2018, 13, 31, 1200]]
    path = write_xlsx(tmp_path / "in" / "关工委统计（收集结果）.xlsx", {"Sheet1": rows})
    report = ws.import_paths([path])
    f = one(report)
    assert f.status == "accepted", f.errors
    subs = ws.store.conn.execute(
        "SELECT unit, year, received_at, superseded_by IS NULL, filled_by FROM submissions ORDER BY id").fetchall()
    # the submission time is the date received; 岳西 submitted twice: the latest is in force, the first in history
    assert subs == [("YX", 2018, "2019-01-05T10:23:11", 0, "张三"), ("WJ", 2018, "2019-01-06T09:00:00", 1, "李四"),
                    ("YX", 2018, "2019-01-08T16:40:00", 1, "张三")]
    assert stored_values(ws, "YX")["legal_audience"][-2:] == ("H4", "1200")
    arrived = ws.store.conn.execute("SELECT arrived_at FROM submissions ORDER BY id").fetchall()
    assert arrived == [("2019-01-05",), ("2019-01-06",), ("2019-01-08",)]  # what `status` reads as the date received
    assert "岳西县公安局关工委提交了 2 次：以最后一次（第 4 行，2019-01-08 16:40）为准" in report.records()[0]["提醒"]
    t = traced(ws, "YX", "legal_audience")
    assert "单元格 H4，原文“1200”" in t and "已被 #3 取代" in t
    first = ws.store.conn.execute("SELECT raw FROM submission_values v JOIN submissions s ON s.id = v.submission_id"
                                  " WHERE s.id = 1 AND v.metric = 'legal_audience'").fetchone()
    assert first == ("一千",)


def test_form_export_as_csv_year_from_the_file_name(ws, tmp_path):
    from helpers_returns import write_csv

    rows = [["序号", "提交人", "提交时间", "填报单位", "关工委组织数", "法制课场次"],
            [1, "王五", "2019年1月3日 08:15", "怀宁县局", 4, 120]]
    f = one(ws.import_paths([write_csv(tmp_path / "in" / "2018年度统计表_金数据.csv", rows)]))
    assert f.status == "accepted", f.errors
    assert [(r.unit, r.year) for r in f.returns] == [("HN", 2018)]
    assert ws.store.conn.execute("SELECT received_at, filled_by FROM submissions").fetchall() == [("2019-01-03T08:15:00", "王五")]
    assert "原文“120”" in traced(ws, "HN", "legal_lessons")


def test_form_export_with_a_bad_time_is_refused(ws, tmp_path):
    rows = [["提交者", "提交时间", "填报单位", "关工委组织数", "法制课场次"], ["张三", "昨天", "怀宁县局", 4, 120]]
    f = one(ws.import_paths([write_xlsx(tmp_path / "in" / "2018收集表.xlsx", {"Sheet1": rows})]))
    assert f.status == "rejected"
    assert [(e.code, e.cell) for e in f.errors] == [("bad-time", "B2")]


# ---- hidden and protected sheets -------------------------------------------------------------------
def _workbook(path, sheets: dict, hidden=(), protect=()):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        sh = wb.create_sheet(name)
        for row in rows:
            sh.append(row)
        if name in hidden:
            sh.sheet_state = "hidden"
        if name in protect:
            sh.protection.sheet = True
            sh.protection.password = "1234"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def test_hidden_sheet_beside_a_visible_return_is_skipped_with_a_note(ws, tmp_path):
    path = _workbook(tmp_path / "in" / "岳西县局2018.xlsx",
                     {"统计表": long_rows({"关工委组织数": 12}), "旧版": long_rows({"关工委组织数": 99}), "下拉": [["本级", "汇总"]]},
                     hidden=("旧版", "下拉"))
    report = ws.import_paths([path])
    f = one(report)
    assert f.status == "accepted", f.errors
    assert stored_values(ws, "YX")["org_total"][0] == "12"
    notes = report.records()[0]["提醒"]
    assert "工作表“旧版”是隐藏的，未读取（其中有统计表" in notes and "工作表“下拉”是隐藏的，未读取（其中没有统计表）" in notes


def test_only_a_hidden_sheet_holds_the_return_it_is_read_with_a_note(ws, tmp_path):
    path = _workbook(tmp_path / "in" / "岳西县局2018.xlsx",
                     {"说明": [["请按要求填写"]], "统计表": long_rows({"关工委组织数": "十二"})}, hidden=("统计表",))
    report = ws.import_paths([path])
    f = one(report)
    assert f.status == "accepted", f.errors
    assert "已读取隐藏的工作表“统计表”" in report.records()[0]["提醒"]
    assert "工作表“统计表”，单元格 D7，原文“十二”" in traced(ws, "YX", "org_total")


def test_password_protected_sheet_is_read(ws, tmp_path):
    path = _workbook(tmp_path / "in" / "岳西县局2018.xlsx", {"统计表": long_rows({"关工委组织数": 12, "法制课场次": "两百"})},
                     protect=("统计表",))
    assert b"sheetProtection" in __import__("zipfile").ZipFile(path).read("xl/worksheets/sheet1.xml")
    f = one(ws.import_paths([path]))
    assert f.status == "accepted", f.errors
    assert "原文“两百”" in traced(ws, "YX", "legal_lessons")


def test_short_form_of_a_name_that_carries_the_parent_place_name(tmp_path):
    """No alias listed: "财源镇" is 集安市财源镇关工委 because its parent is 集安市关工委."""
    from gwstats import Workspace

    ws = Workspace.init(tmp_path / "ws", name="集安市关工委", year=2020)
    units = tmp_path / "units.csv"
    units.write_text("编码,单位名称,上级编码\nJA,集安市关工委,\nJA02,集安市财源镇关工委,JA\nJA03,集安市清河镇关工委,JA\n",
                     encoding="utf-8")
    ws.import_units(units)
    h = ws.hierarchy()
    assert [h.match(t) for t in ("财源镇", "财源镇关工委（盖章）", "清河镇关心下一代工作委员会", "集安市")] == ["JA02", "JA02", "JA03", "JA"]
    rows = long_rows({"关工委组织数": "十二"}, unit="财源镇关工委", year=2020)
    f = one(ws.import_paths([write_xlsx(tmp_path / "in" / "报表.xlsx", {"统计表": rows})]))
    assert f.status == "accepted", f.errors
    assert [r.unit for r in f.returns] == ["JA02"]
    assert "原文“十二”" in traced(ws, "JA02", "org_total", 2020)


def test_row_named_just_benji_is_the_sheet_units_own_row(ja, tmp_path):
    rows, merged = wide_rows(["本级", "财源中学"], ["法制课场次", "受教育师生人次"], [[3, 100], [5, 300]],
                             total=[8, 400], year=2020, unit_field="集安市财源镇关工委（盖章）")
    f = one(ja.import_paths([write_xlsx(tmp_path / "in" / "汇总.xlsx", {"汇总表": rows}, {"汇总表": merged})]))
    assert f.status == "accepted", f.errors
    assert sorted((r.unit, r.scope, r.source) for r in f.returns) == [
        ("JA02", "本级", "row"), ("JA02", "汇总", "total_row"), ("JA0201", "本级", "row")]
    assert "财源镇关工委：合计 8" in traced(ja, "JA02", "legal_lessons", 2020)


def test_row_named_just_benji_without_an_owner_is_refused(ja, tmp_path):
    rows = [["2020年度汇总表"], ["序号", "单位名称", "法制课场次", "受教育师生人次"], [1, "本级", 3, 100]]
    f = one(ja.import_paths([write_xlsx(tmp_path / "in" / "汇总.xlsx", {"汇总表": rows})]))
    assert f.status == "rejected"
    assert [e.code for e in f.errors] == ["own-row-unowned"]

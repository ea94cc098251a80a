from decimal import Decimal

import openpyxl
import pytest

from gwstats.render.workbook import write_workbook
from store_builders import add_submission, make_ws
from xlsx_columns import column

UNITS = [
    ("C", "测试市关工委", None),
    ("A", "=HYPERLINK(\"http://x\")县", "C"),
    ("A1", "甲县一站", "A"),
    ("A2", "+甲县二站", "A"),
    ("B", "乙县关工委", "C"),
]


@pytest.fixture
def book(tmp_path):
    ws = make_ws(tmp_path, UNITS, name="@测试市关工委")
    add_submission(ws, "A1", 2017, {"aid_amount": "10", "org_total": 10, "org_wuhao": 7})
    add_submission(ws, "A1", 2018, {"aid_amount": "13.55", "org_total": 10, "org_wuhao": 9,
                                    "wulao_volunteers": 5, "wulao_core": 9},
                   filled_by="-张三", phone="=1+2", raws={"aid_amount": "=13.55万元"}, file_name="甲县一站.xlsx")
    add_submission(ws, "A2", 2018, {"aid_amount": "0.1", "org_total": 100, "org_wuhao": 50})
    result = ws.rollup(2018)
    path = write_workbook(ws, result, tmp_path / "out" / "汇总.xlsx", show_parts=True)
    return openpyxl.load_workbook(path), result


def rows(sheet):
    """The sheet's values, a header's line break before its unit （个） read away."""
    return [[v.replace("\n", "") if isinstance(v, str) else v for v in r] for r in sheet.iter_rows(values_only=True)]


def test_sheets_titles_and_frozen_header(book):
    wb, _ = book
    assert wb.sheetnames == ["汇总", "分单位明细", "同比", "填报情况", "校验问题", "数据来源"]
    for sheet in wb.worksheets:
        assert sheet["A1"].value.startswith("@测试市关工委 2018 年度")
        assert sheet.freeze_panes is not None and sheet.freeze_panes[1:] == "4"
        assert sheet["A3"].font.bold and sheet["A3"].border.left.style == "thin"
    # widths measured in display width: Chinese characters count double
    assert wb["汇总"].column_dimensions["A"].width >= 20


def test_summary_sheet_levels_and_exact_values(book):
    wb, result = book
    sh = wb["汇总"]
    data = rows(sh)
    head = data[2]
    assert head[:3] == ["单位", "所属单位", "已报"]
    amount_col = head.index("资助金额（万元）")
    rate_col = head.index("五好达标率")
    total = data[3]
    assert total[0] == "测试市关工委（合计）" and total[2] == "2/4"
    assert total[amount_col] == pytest.approx(13.65)
    assert str(Decimal(str(total[amount_col]))) == "13.65"
    # 59 / 110, recomputed, stored as a fraction with a % format
    assert total[rate_col] == pytest.approx(59 / 110)
    assert sh.cell(4, rate_col + 1).number_format == "0.0%"
    assert sh.cell(4, amount_col + 1).number_format == "#,##0.00"
    leaf = next(r for r in data if r[0] == "甲县一站")
    assert leaf[1] == '=HYPERLINK("http://x")县' and leaf[amount_col] == pytest.approx(13.55)
    assert head[rate_col + 1] == "五好达标率·分子" and total[rate_col + 1] == 59


def test_detail_and_yoy_sheets(book):
    wb, result = book
    detail = rows(wb["分单位明细"])
    assert len(detail) == 3 + len(result.records())
    yoy = rows(wb["同比"])
    head = next(r for r in yoy if r[0] == "单位")
    assert list(head[3:9]) == ["2018年", "2018年（可比口径）", "2017年（可比口径）", "增减", "增减率", "2017年（全部）"]
    rec = next(r for r in yoy if r[0] == "测试市关工委（合计）" and r[1] == "资助金额")
    # the change is over the units that gave 资助金额 both years (甲县二站 gave it in 2018 only):
    # 2018年（可比口径）− 2017年（可比口径）= 增减 on the row
    assert rec[3] == pytest.approx(13.65) and rec[4] == pytest.approx(13.55) and rec[5] == 10
    assert rec[6] == pytest.approx(3.55) and rec[8] is None  # 2017年（全部）= the comparable one: not repeated
    assert rec[9] == "可比口径" and "上年未报：" in rec[10] and "甲县二站" in rec[10]
    assert rec[11] == "比上年增加3.65万元，主要是+甲县二站上年未报；按可比口径（剔除这个单位）比上年增加3.55万元（增长35.5%）"
    rate = next(r for r in yoy if r[0] == "测试市关工委（合计）" and r[1] == "五好达标率")
    # 甲县一站 alone gave both parts both years: 70.0% → 90.0%; the raw 70.0% → 53.6% came from 甲县二站 joining
    assert rate[11].endswith("按可比口径（剔除这个单位）比上年提高20.0个百分点")


def test_status_checks_and_sources(book):
    wb, _ = book
    status = rows(wb["填报情况"])
    assert any(r[0] == "乙县关工委" and r[4] == "未报" for r in status)
    assert status[-1][0].startswith("应报 4 个单位，已报 2 个")
    checks = rows(wb["校验问题"])
    assert any(r[1] == "规则" and r[5] == "甲县一站.xlsx" for r in checks)
    assert not any(r[1] and "-" in str(r[1]) for r in checks[3:] if r[0] in ("错误", "提醒", "说明"))
    src = rows(wb["数据来源"])
    hit = next(r for r in src if r[3] == "资助金额" and r[0] == "甲县一站")
    assert hit[5:9] == ["甲县一站.xlsx", "Sheet1", "D5", "=13.55万元"]


def test_no_formula_injection(book):
    wb, _ = book
    seen = []
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value[:1] in "=+-@":
                    seen.append(c.value)
                    assert c.data_type == "s" and c.quotePrefix, (sheet.title, c.coordinate, c.value)
    assert '=HYPERLINK("http://x")县' in seen and "=1+2" in seen and "+甲县二站" in seen and "-张三" in seen


def test_shown_text_rounds_half_up():
    from decimal import Decimal

    from gwstats.render.sheet_writer import FMT, shown_text as _shown

    assert _shown(0.0625, FMT["rate"]) == "6.3%"
    assert _shown(Decimal("1234.125"), FMT["amount"]) == "1,234.13"


def test_change_wording_is_the_reports():
    from decimal import Decimal

    from gwstats.render.workbook import _wording

    rate = {"change": 0.03, "kind": "rate", "measure": "%", "change_pct": None}
    assert _wording(rate) == "与上年持平"  # not 比上年提高0.0个百分点
    assert _wording({**rate, "change": 8.04}) == "比上年提高8.0个百分点"
    count = {"change": Decimal(-3), "kind": "count", "measure": "人", "change_pct": -25.0}
    assert _wording(count) == "比上年减少3人（下降25.0%）"
    assert _wording({**count, "change": Decimal(0), "change_pct": 0.0}) == "与上年持平"


def test_summary_blocks_add_up_and_no_column_is_empty(book):
    wb, _ = book
    data = rows(wb["汇总"])
    head, total = data[2], data[3]
    # one level per block: the second-level block adds up to 合计, the third-level block holds
    # only third-level units (their sum is part of 甲县, never added to it)
    blocks, current = {}, None
    for r in data[4:]:
        if r[0] and all(v is None for v in r[1:]):
            current = r[0]
            blocks[current] = []
        elif current and r[0]:
            blocks[current].append(r)
    names = list(blocks)
    assert names[0].startswith("二级单位（各行相加等于合计）") and names[1].startswith("三级单位")
    col = head.index("资助金额（万元）")
    assert sum(r[col] or 0 for r in blocks[names[0]]) == pytest.approx(total[col])
    assert [r[0] for r in blocks[names[1]]] == ["甲县一站", "+甲县二站"]
    for k in range(len(head)):
        assert any(r[k] is not None for r in data[3:] if r[0] not in blocks), head[k]


def test_every_sheet_prints_as_it_comes(book):
    wb, _ = book
    for sh in wb.worksheets:
        ps = sh.page_setup
        # one page wide, or for a sheet of many figures a page per 15 columns with the names repeated
        wide = -(-(sh.max_column - 1) // 15) if sh.max_column > 16 else 1
        # fitToWidth left out of the file means 1 (the OOXML default, which XlsxWriter does not write)
        assert ps.orientation == "landscape" and (ps.fitToWidth or 1) == wide and ps.fitToHeight == 0
        assert wide == 1 or sh.print_title_cols == "$A:$A"
        assert sh.sheet_properties.pageSetUpPr.fitToPage
        assert sh.print_title_rows == "$1:$3"  # title, subtitle and header on every page
        from openpyxl.utils import get_column_letter

        area = sh.print_area if isinstance(sh.print_area, str) else sh.print_area[0]
        assert area.endswith(f"$A$1:${get_column_letter(sh.max_column)}${sh.max_row}"), (sh.title, area)
        # the title once per page: row 1 repeats with the header rows, the page header stays empty
        assert not sh.oddHeader.center.text and sh["A1"].value.startswith("@测试市关工委 2018 年度")
        assert "&P" in sh.oddFooter.center.text and "&N" in sh.oddFooter.center.text


@pytest.mark.parametrize("sample", ["anqing-police", "jian-an"])
def test_sample_workbooks_have_no_empty_summary_column(demo_run, sample):
    result, _ = demo_run
    run = next(r for r in result.runs if r.name == sample)
    path = next(p for s in run.steps for p in s.outputs if p.suffix == ".xlsx")
    wb = openpyxl.load_workbook(path)
    sh = wb["汇总"]
    data = rows(sh)
    head = data[2]
    for k, name in enumerate(head):
        assert any(r[k] is not None for r in data[3:] if len(r) > k and any(v is not None for v in r[1:])), name
    assert sh.page_setup.orientation == "landscape" and sh.page_setup.fitToWidth == -(-(sh.max_column - 1) // 15)
    assert sh.print_title_cols == "$A:$A"
    assert not any(isinstance(r[1], str) and "-" in r[1] for r in rows(wb["校验问题"])[3:] if r[0] in ("错误", "提醒", "说明"))


def test_remainder_row_has_no_coverage(demo_run):
    """The 本级 row is no unit of the list: its 已报 is blank (it read 0/0), the units' rows keep theirs."""
    result, _ = demo_run
    run = next(r for r in result.runs if r.name == "jian-an")
    path = next(p for s in run.steps for p in s.outputs if p.suffix == ".xlsx")
    data = rows(openpyxl.load_workbook(path)["汇总"])
    head = data[2]
    cov = head.index("已报")
    own = next(r for r in data if r[0] == "集安市关工委（本级）")
    assert own[cov] is None and own[head.index("关工委组织数（个）")] == 1
    assert next(r for r in data if r[0] == "财源镇关工委")[cov] == "2/2"
    assert next(r for r in data if r[0] == "集安市关工委（合计）")[cov] == "25/25"


# ---- printed pages (issue 21) ------------------------------------------------------------------
def _shown_width(cell) -> int:
    """Display width of a cell as printed under its number format (the 增减 of rate rows: +2.0个百分点)."""
    import datetime as dt

    from gwstats.render.workbook import FMT, display_width

    v = cell.value
    if v is None:
        return 0
    if isinstance(v, dt.datetime):
        return 10
    if cell.number_format == FMT["change_pp"]:
        return display_width(f"{v:+.1f}个百分点")
    if cell.number_format == FMT["rate"]:
        return display_width(f"{v * 100:.1f}%")
    if cell.number_format in (FMT["count"], FMT["amount"]):
        return display_width(f"{v:,.2f}" if cell.number_format == FMT["amount"] else f"{v:,.0f}")
    return display_width(v)


def test_no_hashes_and_no_clipped_text(book):
    """Every figure fits its column (no ###); text wider than its column wraps on a row tall enough."""
    from gwstats.render.workbook import display_width

    wb, _ = book
    pp_cells = 0
    for sh in wb.worksheets:
        head = 3
        for row in sh.iter_rows(min_row=head + 1):
            for c in row:
                if c.value is None or column(sh, c.column_letter).hidden:
                    continue
                width = column(sh, c.column_letter).width
                pp_cells += c.number_format.endswith('"个百分点"') and c.value is not None
                if isinstance(c.value, str):
                    neighbour = sh.cell(c.row, c.column + 1).value
                    if display_width(c.value) > width and neighbour is not None:  # cut off by the next cell
                        assert c.alignment.wrap_text, (sh.title, c.coordinate, c.value)
                        lines = -(-display_width(c.value) // (width - 2))
                        if not any(c.coordinate in m for m in sh.merged_cells.ranges):
                            assert (sh.row_dimensions[c.row].height or 15) >= 15 * lines, (sh.title, c.coordinate)
                else:
                    assert width >= _shown_width(c), (sh.title, c.coordinate, c.value, width)
    assert pp_cells  # the rate rows' 增减 were measured


def test_status_footnote_is_merged_and_wrapped(book):
    wb, _ = book
    sh = wb["填报情况"]
    note = next(c for row in sh.iter_rows(min_row=4) for c in row if isinstance(c.value, str) and "截止日期" in c.value)
    assert note.alignment.wrap_text and any(note.coordinate in m and m.max_col == sh.max_column for m in sh.merged_cells.ranges)


def test_no_code_column_shown_and_dates_as_dates(book):
    import datetime as dt

    wb, _ = book
    detail = wb["分单位明细"]
    code_col = next(c.column_letter for c in detail[3] if c.value == "指标编码")
    assert column(detail, code_col).hidden  # kept for gwstats reading the book back, not printed
    src = wb["数据来源"]
    col = next(c.column for c in src[3] if c.value == "报送时间")
    days = [r[col - 1].value for r in src.iter_rows(min_row=4) if r[col - 1].value is not None]
    assert days and all(isinstance(d, dt.datetime) and d.hour == d.minute == 0 for d in days)
    assert all(src.cell(4, col).number_format == "yyyy-mm-dd" for _ in [0])


def test_one_font_family_per_sheet(book):
    wb, _ = book
    for sh in wb.worksheets:
        names = {c.font.name for row in sh.iter_rows() for c in row if c.value is not None}
        assert names == {"宋体"}, (sh.title, names)


PROVINCE = [("P", "省关工委", None), ("C", "甲市关工委", "P"), ("K", "乙县关工委", "C"), ("T", "丙镇关工委", "K"),
            ("S1", "一小关工委", "T"), ("S2", "二小关工委", "T"), ("K2", "丁县关工委", "C")]


def test_a_province_workbook_describes_the_levels_down_to_the_counties(tmp_path, monkeypatch):
    """Over BIG_UNITS units (issue 23): 填报情况 counted down to the counties, 校验问题 the errors and the
    counties' warnings, 数据来源 the values of the units down to the counties; each sheet says where the rest is."""
    from gwstats.analysis import brief

    ws = make_ws(tmp_path, PROVINCE)
    add_submission(ws, "S1", 2018, {"wulao_volunteers": 5, "wulao_core": 9}, file_name="一小.xlsx")  # an error
    add_submission(ws, "K2", 2018, {"legal_lessons": 3}, file_name="丁县.xlsx")
    add_submission(ws, "S2", 2018, {"legal_lessons": 4}, file_name="二小.xlsx")
    monkeypatch.setattr(brief, "BIG_UNITS", 3)
    wb = openpyxl.load_workbook(write_workbook(ws, ws.rollup(2018), tmp_path / "省.xlsx"))
    status = rows(wb["填报情况"])
    head = status.index(["单位", "编码", "层级", "应报", "已报", "迟报", "未报", "报送率"])
    body = [r for r in status[head + 1:] if r[1]]
    assert [r[1] for r in body] == ["P", "C", "K", "K2"]
    st = ws.status(2018)
    assert body[0][3:5] == [st.expected, st.reported]
    assert any("status --all --format csv" in str(r[0]) for r in status)
    checks = rows(wb["校验问题"])
    assert any(r[0] == "错误" and r[2] == "一小关工委" for r in checks)  # every error, whatever the level
    src = rows(wb["数据来源"])
    assert any(r[0] == "丁县关工委" and r[5] == "丁县.xlsx" for r in src)
    assert any(r[0] == "一小关工委" and r[5] == "一小.xlsx" for r in src)  # with an error: its sources listed
    assert not any(r[0] == "二小关工委" for r in src)  # below the counties: in csv-long / trace
    assert any("csv-long" in str(r[0]) for r in src)
    # the styling the sheets keep: bold header with borders, frozen below it
    sheet = wb["填报情况"]
    cell = sheet.cell(row=head + 1, column=1)
    assert cell.font.b and cell.border.left.style == "thin" and sheet.freeze_panes


def test_a_city_with_many_values_lists_those_two_levels_down_unless_all(tmp_path, monkeypatch):
    """Under BIG_UNITS but over MANY_SOURCES values and MANY_FINDINGS findings (a city of 2,000 units:
    58,000 values, 20,000 同比异常): 数据来源 the values of the units two levels down, 校验问题 every error
    and the warnings two levels down, each saying what was left out and how to list it; full=True
    (`rollup -o … --all`) lists every one."""
    from gwstats.analysis import brief

    ws = make_ws(tmp_path, PROVINCE)
    add_submission(ws, "S1", 2018, {"wulao_volunteers": 5, "wulao_core": 9}, file_name="一小.xlsx")  # an error
    add_submission(ws, "S2", 2018, {"legal_lessons": 4}, file_name="二小.xlsx")
    add_submission(ws, "K2", 2018, {"legal_lessons": 3}, file_name="丁县.xlsx")
    checks = ws.check(2018)
    monkeypatch.setattr(brief, "MANY_SOURCES", 3)
    monkeypatch.setattr(brief, "MANY_FINDINGS", 0)
    wb = openpyxl.load_workbook(write_workbook(ws, ws.rollup(2018), tmp_path / "市.xlsx"))
    src = rows(wb["数据来源"])
    assert any(r[0] == "丁县关工委" and r[5] == "丁县.xlsx" for r in src)
    assert any(r[0] == "一小关工委" for r in src)  # with an error
    assert not any(r[0] == "二小关工委" for r in src)
    note = next(str(r[0]) for r in src if "数值较多" in str(r[0]))
    assert "共 4 个" in note and "列出本级及以下两级单位和有错误的单位报表中的 3 个" in note and "--all" in note
    bad = rows(wb["校验问题"])
    assert any(r[0] == "错误" and r[2] == "一小关工委" for r in bad)  # every error, whatever the level
    full = openpyxl.load_workbook(write_workbook(ws, ws.rollup(2018), tmp_path / "全.xlsx", full=True))
    src = rows(full["数据来源"])
    assert {"一小关工委", "二小关工委", "丁县关工委"} <= {r[0] for r in src}
    assert not any("数值较多" in str(r[0]) for r in src)
    assert len([r for r in rows(full["校验问题"]) if r[0] in ("错误", "提醒", "说明")]) == len(checks.findings)


def test_the_many_findings_rule_leaves_out_warnings_below_two_levels(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from gwstats.analysis import brief
    from gwstats.render import workbook

    ws = make_ws(tmp_path, PROVINCE)
    tree = ws.tree()
    found = [SimpleNamespace(severity=sev, code="yoy_jump", extra={"unit": u, "unit_name": u}, message="m",
                             file="", sheet="", cell="") for sev, u in
             [("warning", "S1"), ("warning", "K"), ("error", "S2"), ("warning", "S2")]]
    checks = SimpleNamespace(findings=found, root="P", summary_line=lambda: "共 4 条")
    book = workbook.Book()
    workbook._checks_sheet(book, checks, "校验问题", "", tree, many=True)
    path = tmp_path / "c.xlsx"
    book.save(path)
    got = rows(openpyxl.load_workbook(path)["校验问题"])
    listed = [(r[0], r[2]) for r in got if r[0] in ("错误", "提醒")]
    assert listed == [("提醒", "K"), ("错误", "S2")]
    note = next(str(r[0]) for r in got if "提醒较多" in str(r[0]))
    assert "更下级单位的提醒未列出" in note and "2 条" in note and "--all" in note


def test_headers_break_before_their_unit_never_inside_it(book):
    """A header too wide for its column wraps before （个）: the unit and its brackets stay on one line,
    the column is wide enough for it, and the row is tall enough for the lines."""
    from gwstats.render.workbook import display_width

    wb, _ = book
    broken = 0
    for sh in wb.worksheets:
        for c in sh[3]:
            if not isinstance(c.value, str) or "（" not in c.value:
                continue
            width = column(sh, c.column_letter).width
            main, _, unit = c.value.partition("（")
            if display_width(c.value) + 2 > width:  # would wrap
                assert main.endswith("\n"), (sh.title, c.value)
                assert display_width("（" + unit) + 2 <= width, (sh.title, c.value, width)
                lines = sum(-(-display_width(p) // (width - 2)) for p in c.value.split("\n"))
                assert (sh.row_dimensions[3].height or 15) >= 15 * lines, (sh.title, c.value)
                broken += 1
    assert broken  # 资助金额（万元）, 关工委组织数（个） …


def test_summary_sheet_says_when_shown_amounts_do_not_add_up(tmp_path):
    ws = make_ws(tmp_path, UNITS, name="测试市关工委")
    add_submission(ws, "A1", 2018, {"aid_amount": "1.005"})
    add_submission(ws, "B", 2018, {"aid_amount": "2.005"})
    path = write_workbook(ws, ws.rollup(2018), tmp_path / "汇总.xlsx")
    notes = [v for r in rows(openpyxl.load_workbook(path)["汇总"]) for v in r if isinstance(v, str) and "四舍五入" in v]
    assert notes  # 1.01 + 2.01 shown, 合计 3.01 (3.010 exact)
    ws2 = make_ws(tmp_path / "2", UNITS, name="测试市关工委")
    add_submission(ws2, "A1", 2018, {"aid_amount": "1.25"})
    add_submission(ws2, "B", 2018, {"aid_amount": "2.5"})
    path = write_workbook(ws2, ws2.rollup(2018), tmp_path / "汇总2.xlsx")
    assert not [v for r in rows(openpyxl.load_workbook(path)["汇总"]) for v in r if isinstance(v, str) and "四舍五入" in v]

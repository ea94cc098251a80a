"""catalog from-template: forms as the level above sends them -> a catalog; then the whole path."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from gwstats import Workspace
from gwstats.model.catalog import load_catalog, load_default
from gwstats.cli.app import app
from gwstats.forms.from_form import derive
from gwstats.tables.grid import FormError
from gwstats.forms.template import SHEET_NAME, build_workbook, metric_rows
from gwstats.forms.crosstab import cell_of, crosstab_tables, in_crosstab

from forms import CROSSTAB_COLS, CROSSTAB_ROWS, crosstab_form, long_form, two_table_form

runner = CliRunner()


def rules_of(fc):
    return {(r.left, r.operator, r.right) for r in fc.rules}


def test_long_list_form(tmp_path):
    fc = derive(long_form(tmp_path / "f.xlsx"), load_default())
    got = [(m.code, m.name, m.unit, m.kind, m.group, m.cell, m.known) for m in fc.metrics]
    assert got == [
        ("org_total", "关工委组织数", "个", "count", "组织建设", "统计表!D5", True),
        ("org_wuhao", "达到五好标准组织数", "个", "count", "组织建设", "统计表!D6", True),
        ("t1_3", "家长学校数", "所", "count", "组织建设", "统计表!D7", False),
        ("wulao_volunteers", "五老志愿者人数", "人", "count", "五老队伍", "统计表!D9", True),
        ("wulao_core", "五老骨干人数", "人", "count", "五老队伍", "统计表!D10", True),
        ("donations", "捐款捐物", "万元", "amount", "帮扶助学", "统计表!D12", True),
        ("donations_social", "社会力量捐款", "万元", "amount", "帮扶助学", "统计表!D13", True),
        ("donations_wulao", "五老捐款捐物", "万元", "amount", "帮扶助学", "统计表!D14", True),
        ("t1_9", "开展家庭教育讲座场次", "场次", "count", "帮扶助学", "统计表!D15", False),
    ]
    assert rules_of(fc) == {
        ("org_wuhao", "<=", "org_total"), ("wulao_core", "<=", "wulao_volunteers"),
        ("donations_social", "<=", "donations"), ("donations_wulao", "<=", "donations"),  # 其中 and the indented row after it
        ("donations", "==", "donations_social + donations_wulao"),  # 注：6=7+8
        ("org_total", ">=", "org_wuhao"),  # 注：1≥2
    }
    cat = fc.catalog()
    assert set(cat.indicators) == {"rate_wuhao", "rate_wulao_core"}  # rates whose parts the form has
    assert "donations_parts" in {r.code for r in cat.rules}  # known rules kept when their metrics are there


def test_crosstab_form_with_qizhong_rows(tmp_path):
    fc = derive(crosstab_form(tmp_path / "f.xlsx"), load_default())
    (t,) = fc.tables
    assert (t.kind, t.code, t.title) == ("crosstab", "关统2表", "基层关工委组织建设情况统计表")
    assert t.row_labels == ["合计", "乡镇(街道)", "村", "社区", "学校", "中小学", "企业"]
    assert t.col_labels == CROSSTAB_COLS
    assert len(fc.metrics) == len(CROSSTAB_ROWS) * len(CROSSTAB_COLS)
    by_name = {m.name: m for m in fc.metrics}
    school = by_name["学校·已建关工委单位数"]
    assert (school.code, school.unit, school.row, school.column, school.cell) == ("t1_r5_c2", "个", "学校", "已建关工委单位数", "组织建设!C12")
    # the 合计 row is the catalog's own metric, not a new one
    assert by_name["已建关工委单位数"].code == "units_built" and by_name["已建关工委单位数"].row == "合计"
    assert by_name["达到五好标准组织数"].code == "org_wuhao"
    assert by_name["合计·关工小组数"].known is False
    rules = rules_of(fc)
    assert ("t1_r6_c2", "<=", "t1_r5_c2") in rules  # 其中：中小学 <= 学校
    assert ("units_built", "==", "t1_r2_c2 + t1_r3_c2 + t1_r4_c2 + t1_r5_c2 + t1_r7_c2") in rules  # 合计 = parts, 其中 left out
    assert ("t1_r4_c2", "<=", "t1_r4_c1") in rules  # 注：2≤1 (栏), every row
    assert ("t1_r7_c4", "<=", "t1_r7_c2") in rules  # 注：4≤2
    assert len(fc.rules) == 4 + 4 + 7 + 7
    cat = fc.catalog()
    assert cat.metrics["t1_r5_c2"].table == "关统2表"


def test_two_tables_in_one_workbook_with_table_numbers(tmp_path):
    fc = derive(two_table_form(tmp_path / "f.xlsx"), load_default())
    assert [(t.code, t.kind, t.title) for t in fc.tables] == [("关统1表", "long", "五老队伍情况"), ("关统2表", "crosstab", "法治教育开展情况")]
    assert [m.code for m in fc.metrics[:3]] == ["wulao_volunteers", "wulao_core", "wulao_study"]
    units = {m.name: m.unit for m in fc.metrics}
    assert units["农村学校·受教育师生人次"] == "人次" and units["城区学校·法制课场次"] == "场次"  # from the （人次） in the header
    assert {m.table for m in fc.metrics} == {"关统1表", "关统2表"}
    rules = rules_of(fc)
    # relations on the 填表说明 sheet, addressed to 表1
    assert ("wulao_volunteers", ">=", "wulao_core") in rules and ("wulao_volunteers", ">=", "wulao_study") in rules
    assert ("legal_lessons", "==", "t2_r1_c2 + t2_r2_c2") in rules  # 合计 as the last row


def test_ambiguous_forms_are_refused_with_the_cell(tmp_path):
    p = crosstab_form(tmp_path / "dup.xlsx")
    wb = load_workbook(p)
    wb.active["A11"] = "村"  # 社区 -> a second 村
    wb.save(p)
    with pytest.raises(FormError, match=r"组织建设”A11.*村.*两次.*A10"):
        derive(p, load_default())

    p = two_table_form(tmp_path / "rel.xlsx")
    wb = load_workbook(p)
    wb["填表说明"]["A2"] = "1≥2，1≥3。"  # no table named, two tables
    wb.save(p)
    with pytest.raises(FormError, match=r"填表说明”A2.*没有写明属于哪张表"):
        derive(p, load_default())

    p = long_form(tmp_path / "nounit.xlsx")
    wb = load_workbook(p)
    wb.active["C7"] = None
    wb.active["B7"] = "家长学校"
    wb.save(p)
    with pytest.raises(FormError, match=r"D7.*家长学校.*计量单位"):
        derive(p, load_default())

    p = long_form(tmp_path / "badrel.xlsx")
    wb = load_workbook(p)
    wb.active["A17"] = "注：表内关系 6=7+18。"
    wb.save(p)
    with pytest.raises(FormError, match=r"A17.*18.*找不到"):
        derive(p, load_default())


def test_cli_from_template(tmp_path):
    form = crosstab_form(tmp_path / "省里的表.xlsx")
    out = tmp_path / "catalog.toml"
    r = runner.invoke(app, ["catalog", "from-template", str(form), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "学校·已建关工委单位数" in r.output and "校验规则" in r.output and "已有指标" in r.output
    cat = load_catalog(out)
    assert len(cat.metrics) == 28 and len(cat.rules) >= 22
    r = runner.invoke(app, ["catalog", "from-template", str(form), "-o", str(out)])
    assert r.exit_code == 2 and "--force" in r.output
    r = runner.invoke(app, ["catalog", "from-template", str(tmp_path / "none.xlsx")])
    assert r.exit_code == 1 and "找不到表格文件" in r.output
    bad = tmp_path / "x.xlsx"
    bad.write_text("not a workbook")
    r = runner.invoke(app, ["catalog", "from-template", str(bad)])
    assert r.exit_code == 1 and "无法打开" in r.output and "Traceback" not in r.output


def _workspace_with(tmp_path, catalog_path, units):
    ws = Workspace.init(tmp_path / "ws", name="某县关工委", year=2019)
    (ws.root / "catalog.toml").write_text(catalog_path.read_text(encoding="utf-8"), encoding="utf-8")
    f = tmp_path / "u.csv"
    f.write_text("编码,单位名称,上级编码,别名\n" + "".join(f"{c},{n},{p},\n" for c, n, p in units), encoding="utf-8")
    ws = Workspace.open(ws.root)
    ws.import_units(f)
    return ws


@pytest.mark.parametrize("maker", [long_form, crosstab_form, two_table_form])
def test_template_filled_imported_rolled_up(tmp_path, maker):
    """form -> catalog -> gwstats template -> two filled returns -> import -> rollup: every cell's total."""
    out = tmp_path / "catalog.toml"
    r = runner.invoke(app, ["catalog", "from-template", str(maker(tmp_path / "form.xlsx")), "-o", str(out)])
    assert r.exit_code == 0, r.output
    ws = _workspace_with(tmp_path, out, [("X", "某县关工委", ""), ("A", "甲乡关工委", "X"), ("B", "乙乡关工委", "X")])
    totals: dict[str, Decimal] = {}
    paths = []
    for k, name in enumerate(("甲乡关工委", "乙乡关工委"), 1):
        wb = build_workbook(ws.catalog, year=2019, unit_name=name)
        sheet = wb[SHEET_NAME]
        rows = metric_rows(sheet)
        tables = list(crosstab_tables(ws.catalog))
        for i, m in enumerate(ws.catalog.metrics.values(), 1):
            v = Decimal(i * k) + (Decimal("0.25") if m.kind == "amount" else 0)
            v_cell = float(v) if m.kind == "amount" else int(v)
            if in_crosstab(m):  # drawn as a cross-tab on a sheet of its own
                xt = wb[wb.sheetnames[1 + tables.index(m.table)]]
                xt.cell(*cell_of(xt, m.row, m.column), v_cell)
            else:
                sheet.cell(rows[m.name], 4, v_cell)
            totals[m.code] = totals.get(m.code, Decimal(0)) + v
        paths.append(tmp_path / f"{name}.xlsx")
        wb.save(paths[-1])
    rep = ws.import_paths(paths)
    assert not rep.has_rejections, rep.records()
    assert [r.n_values for f in rep.files for r in f.returns] == [len(ws.catalog.metrics)] * 2  # sheets joined: one return
    res = ws.rollup(2019)
    assert {m: res.value("X", m) for m in ws.catalog.metrics} == totals
    checks = ws.check(2019)
    assert all(f.code != "catalog-error" for f in checks.findings)


def test_metric_years_and_renamed_metric_year_over_year(tmp_path):
    """A metric added in 2020, one asked for only until 2019, and one renamed (new code) in 2020."""
    from gwstats.model.catalog import default_catalog_text

    ws = Workspace.init(tmp_path / "ws", name="某县关工委", year=2020)
    units = tmp_path / "u.csv"
    units.write_text("编码,单位名称,上级编码,别名\nX,某县关工委,,\nA,甲乡关工委,X,\n", encoding="utf-8")
    ws.import_units(units)
    old = default_catalog_text() + '''
[[metrics]]
code = "parent_schools"
name = "家长学校数"
unit = "所"
group = "帮扶助学"
'''
    (ws.root / "catalog.toml").write_text(old, encoding="utf-8")
    ws = Workspace.open(ws.root)
    wb = build_workbook(ws.catalog, year=2019, unit_name="甲乡关工委")
    wb[SHEET_NAME].cell(metric_rows(wb[SHEET_NAME])["家长学校数"], 4, 12)
    wb.save(tmp_path / "a2019.xlsx")
    assert not ws.import_paths([tmp_path / "a2019.xlsx"]).has_rejections

    new = default_catalog_text() + '''
[[metrics]]
code = "family_schools"
name = "家庭教育学校数"
synonyms = ["家长学校数"]
formerly = ["parent_schools"]
unit = "所"
group = "帮扶助学"

[[metrics]]
code = "online_lessons"
name = "网上家长课堂场次"
unit = "场次"
group = "帮扶助学"
since = 2020

[[metrics]]
code = "old_measure"
name = "老指标数"
unit = "个"
group = "帮扶助学"
until = 2019
'''
    (ws.root / "catalog.toml").write_text(new, encoding="utf-8")
    ws = Workspace.open(ws.root)
    rows19 = metric_rows(build_workbook(ws.catalog, year=2019)[SHEET_NAME])
    rows20 = metric_rows(build_workbook(ws.catalog, year=2020)[SHEET_NAME])
    assert "老指标数" in rows19 and "网上家长课堂场次" not in rows19
    assert "老指标数" not in rows20 and "网上家长课堂场次" in rows20
    wb = build_workbook(ws.catalog, year=2020, unit_name="甲乡关工委")
    wb[SHEET_NAME].cell(rows20["家庭教育学校数"], 4, 15)
    wb.save(tmp_path / "a2020.xlsx")
    assert not ws.import_paths([tmp_path / "a2020.xlsx"]).has_rejections
    rec = ws.rollup(2020, compare=2019).record("X", "family_schools")
    assert (rec["value"], rec["prev_value"], rec["change"]) == (15, 12, 3)
    # trace finds the 2019 figure stored under the former code
    t = ws.trace(2019, "X", "family_schools")
    assert [c.cell for c in t.history] and all(c.unit == "A" for c in t.history)
    # a value for a metric the catalog asks for only from 2020 on, in a 2019 return: kept, with a warning
    wb = build_workbook(ws.catalog, year=2020, unit_name="甲乡关工委")
    wb[SHEET_NAME].cell(rows20["网上家长课堂场次"], 4, 3)
    wb[SHEET_NAME]["B3"] = 2019
    wb[SHEET_NAME]["A1"] = "关心下一代工作统计表"
    wb.save(tmp_path / "a2019b.xlsx")
    f = ws.import_paths([tmp_path / "a2019b.xlsx"]).files[0]
    assert f.status == "replaced" and any("2020 年起统计" in w.message and "2019" in w.message for w in f.warnings), f.warnings
    with pytest.raises(Exception, match="since"):
        from gwstats.model.catalog import parse_catalog

        parse_catalog(new.replace("since = 2020", 'since = "2020年"'), "t")


def test_same_qizhong_label_under_two_totals(tmp_path):
    p = long_form(tmp_path / "f.xlsx")
    wb = load_workbook(p)
    s = wb.active
    s["B10"] = "其中：女"  # under 五老志愿者人数
    s.insert_rows(16)
    s["A16"], s["B16"], s["C16"] = 10, "其中：女", "场次"  # under 开展家庭教育讲座场次
    wb.save(p)
    fc = derive(p, load_default())
    names = [m.name for m in fc.metrics]
    assert "女" in names and "开展家庭教育讲座场次·女" in names
    assert ("t1_10", "<=", "t1_9") in rules_of(fc)


def test_wide_form_units_down_the_side(tmp_path):
    from forms import city_wide_form

    fc = derive(city_wide_form(tmp_path / "w.xlsx", ["甲县关工委", "乙县关工委"]), load_default())
    (t,) = fc.tables
    assert t.kind == "wide"
    assert [(m.code, m.group, m.known) for m in fc.metrics] == [
        ("wulao_volunteers", "五老队伍", True), ("wulao_core", "五老队伍", True),
        ("legal_lessons", "法治教育", True), ("legal_audience", "法治教育", True)]
    assert not fc.rules


def test_a_crosstab_catalog_still_reads_lists_with_a_label_twice(tmp_path):
    """Looking for cross-tabs must not judge a list: the return parser's own rule applies (same
    value twice: imported once)."""
    out = tmp_path / "c.toml"
    assert runner.invoke(app, ["catalog", "from-template", str(crosstab_form(tmp_path / "f.xlsx")), "-o", str(out)]).exit_code == 0
    ws = _workspace_with(tmp_path, out, [("X", "某县关工委", ""), ("A", "甲乡关工委", "X")])
    from openpyxl import Workbook

    wb = Workbook()
    s = wb.active
    s.append(["填报单位：甲乡关工委", None, "年度：2019"])
    s.append(["序号", "指标", "计量单位", "数值"])
    s.append([1, "已建关工委单位数", "个", 12])
    s.append([2, "已建关工委单位数", "个", 12])
    wb.save(tmp_path / "a.xlsx")
    f = ws.import_paths([tmp_path / "a.xlsx"]).files[0]
    assert f.status == "accepted", f.errors
    assert ws.rollup(2019).value("X", "units_built") == 12


def test_crosstab_with_blocks_and_a_total_column(tmp_path):
    """主栏 blocks (一、农村 / 二、城市) become the groups; a 合计 column is checked against its parts."""
    from openpyxl import Workbook

    wb = Workbook()
    s = wb.active
    s.title = "表"
    s["A1"] = "五老志愿者分类统计表"
    s["D2"] = "单位：人"
    for c, h in enumerate(("项目", "合计", "老干部", "老教师", "其他五老"), 1):
        s.cell(3, c, h)
    rows = ["一、农村", "乡镇", "村", "二、城市", "街道", "社区"]
    for i, label in enumerate(rows, 4):
        s.cell(i, 1, label)
    s.merge_cells("A4:E4")
    wb.save(tmp_path / "f.xlsx")
    fc = derive(tmp_path / "f.xlsx", load_default())
    groups = {m.name: m.group for m in fc.metrics}
    assert groups["村·老教师"] == "农村" and groups["社区·合计"] == "城市"  # 二、城市 alone on its row, not merged
    assert {m.unit for m in fc.metrics} == {"人"}
    assert ("t1_r2_c1", "==", "t1_r2_c2 + t1_r2_c3 + t1_r2_c4") in rules_of(fc)  # 村: 合计 = parts
    assert len(fc.metrics) == 4 * 4 and len(fc.rules) == 4


def test_indicator_rows_under_a_merged_column_heading_and_a_blank_corner(tmp_path):
    from openpyxl import Workbook

    # 指标名称 | 计量单位 | 本年 (over 城镇/农村 × 男/女): indicators down the side, units per row
    wb = Workbook()
    s = wb.active
    s.merge_cells("A3:A5")
    s["A3"] = "序号"
    s.merge_cells("B3:B5")
    s["B3"] = "指标名称"
    s.merge_cells("C3:C5")
    s["C3"] = "计量单位"
    s.merge_cells("D3:G3")
    s["D3"] = "本年"
    s.merge_cells("D4:E4")
    s["D4"] = "城镇"
    s.merge_cells("F4:G4")
    s["F4"] = "农村"
    for c, h in zip("DEFG", ("男", "女", "男", "女")):
        s[f"{c}5"] = h
    for i, (n, u) in enumerate((("五老志愿者人数", "人"), ("资助金额", "万元")), 6):
        s[f"A{i}"], s[f"B{i}"], s[f"C{i}"] = i - 5, n, u
    wb.save(tmp_path / "a.xlsx")
    fc = derive(tmp_path / "a.xlsx", load_default())
    got = {m.name: (m.unit, m.kind, m.cell) for m in fc.metrics}
    assert got["五老志愿者人数·城镇男"] == ("人", "count", "Sheet!D6")
    assert got["资助金额·农村女"] == ("万元", "amount", "Sheet!G7")
    assert len(got) == 8

    # no 项目 in the corner: the labels to the left of the first heading are the 主栏
    wb = Workbook()
    s = wb.active
    for c, h in zip("BCD", ("应建数", "已建数", "五好数")):
        s[f"{c}2"] = h
    for i, r in enumerate(("村", "社区", "学校"), 3):
        s[f"A{i}"] = r
    wb.save(tmp_path / "b.xlsx")
    fc = derive(tmp_path / "b.xlsx", load_default())
    assert [m.name for m in fc.metrics][:2] == ["村·应建数", "村·已建数"] and len(fc.metrics) == 9


def test_crosstab_rows_not_adding_to_their_total_are_errors_by_name(tmp_path):
    """A cross-tab return whose rows do not add to its 合计 row: an error naming unit, the metric by its
    name (never a t1_r2_c2 code) and the cell; parts above the total say so."""
    from gwstats.forms.from_form import write_catalog
    from store_builders import add_submission

    cat = write_catalog(derive(crosstab_form(tmp_path / "f.xlsx"), load_default()), tmp_path / "catalog.toml")
    ws = _workspace_with(tmp_path, cat, [("X", "某县关工委", ""), ("A", "甲乡关工委", "X")])
    parts = {"t1_r2_c2": 3, "t1_r3_c2": 5, "t1_r4_c2": 2, "t1_r5_c2": 4, "t1_r7_c2": 1}  # 15
    add_submission(ws, "A", 2019, {"units_built": 12, **parts}, file_name="甲乡.xlsx")
    found = [f for f in ws.check(2019).findings if f.extra.get("unit") == "A" and f.extra.get("metric") == "units_built"]
    (f,) = [x for x in found if x.code == "parts-exceed-total"]
    assert f.severity == "error" and f.file == "甲乡.xlsx" and f.cell == "D5"
    assert f.extra["metric_name"] == "已建关工委单位数" and "t1_r" not in f.message
    assert "其中各项之和 15 大于合计 12" in f.message and "乡镇(街道)·已建关工委单位数" in f.message

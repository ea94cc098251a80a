"""Cross-tab tables read in their own shape by a catalog from catalog from-template."""

from __future__ import annotations

from decimal import Decimal

from gwstats import Workspace
from gwstats.model.catalog import load_default
from gwstats.forms.from_form import derive, write_catalog

from forms import CROSSTAB_COLS, CROSSTAB_ROWS, crosstab_form, crosstab_return, two_table_form

PARTS = ["乡镇(街道)", "村", "社区", "学校", "企业"]


def workspace(tmp_path, form):
    ws = Workspace.init(tmp_path / "ws", name="某县关工委", year=2019)
    write_catalog(derive(form, load_default()), ws.root / "catalog.toml")
    units = tmp_path / "u.csv"
    units.write_text("编码,单位名称,上级编码,别名\nX,某县关工委,,\nA,甲乡关工委,X,\nB,乙乡关工委,X,\n", encoding="utf-8")
    ws = Workspace.open(ws.root)
    ws.import_units(units)
    return ws


def figures(k: int) -> dict:
    """Figures that keep the form's relations: 已建 <= 应建, 五好 <= 已建, 中小学 <= 学校."""
    out = {}
    for i, row in enumerate(PARTS, 1):
        for col, f in zip(CROSSTAB_COLS, (100, 90, 10, 50)):
            out[(row, col)] = k * f * i
    for col in CROSSTAB_COLS:
        out[("中小学", col)] = out[("学校", col)] // 2
    for j, col in enumerate(CROSSTAB_COLS, 1):
        out[("合计", col)] = sum(out[(r, col)] for r in PARTS)
    return out


def test_rows_and_columns_in_another_order_with_blank_rows(tmp_path):
    ws = workspace(tmp_path, crosstab_form(tmp_path / "form.xlsx"))
    rows = list(reversed(CROSSTAB_ROWS))
    cols = [CROSSTAB_COLS[i] for i in (2, 0, 3, 1)]
    a = crosstab_return(tmp_path / "甲乡.xlsx", "甲乡关工委", figures(1), rows, cols, blank_rows=(2, 5))
    b = crosstab_return(tmp_path / "乙乡.xlsx", "乙乡关工委", figures(2), CROSSTAB_ROWS, CROSSTAB_COLS)
    rep = ws.import_paths([a, b])
    assert not rep.has_rejections, rep.records()
    assert [r.n_values for f in rep.files for r in f.returns] == [28, 28]
    res = ws.rollup(2019)
    cat = ws.catalog
    code = {(m.row, m.column): m.code for m in cat.metrics.values()}
    assert res.value("X", code[("学校", "已建关工委单位数")]) == figures(1)[("学校", "已建关工委单位数")] + figures(2)[("学校", "已建关工委单位数")]
    assert res.value("X", "units_built") == Decimal(figures(1)[("合计", "已建关工委单位数")] + figures(2)[("合计", "已建关工委单位数")])
    # the stored cell is where the figure was in that unit's file
    cells = dict(ws.store.conn.execute(
        "SELECT s.unit, v.cell FROM submission_values v JOIN submissions s ON s.id = v.submission_id WHERE v.metric = ?",
        (code[("村", "关工小组数")],)).fetchall())
    assert cells == {"A": "B9", "B": "D6"}  # 甲乡: 关工小组数 first, 村 after reversed rows and a blank row
    # 合计 = parts holds, 其中 <= 学校 holds; the rates of the default catalog come along
    assert not [f for f in ws.check(2019).findings if f.severity == "error"]


def test_a_missing_column_is_named_and_a_wrong_total_is_found(tmp_path):
    ws = workspace(tmp_path, crosstab_form(tmp_path / "form.xlsx"))
    vals = figures(1)
    vals[("合计", "已建关工委单位数")] += 1
    p = crosstab_return(tmp_path / "甲乡.xlsx", "甲乡关工委", vals, CROSSTAB_ROWS, CROSSTAB_COLS[:3])
    f = ws.import_paths([p]).files[0]
    assert f.status == "accepted", f.errors
    assert any("没有“达到五好标准组织数”栏" in w.message for w in f.warnings)
    assert f.returns[0].n_values == 21
    errors = [x for x in ws.check(2019).findings if x.severity == "error"]
    assert any("已建关工委单位数应等于" in x.message for x in errors), [x.message for x in errors]


def test_a_list_and_a_crosstab_on_one_sheet(tmp_path):
    from openpyxl import load_workbook

    form = two_table_form(tmp_path / "form.xlsx")
    ws = workspace(tmp_path, form)
    wb = load_workbook(form)
    s = wb["年报"]
    s["F1"] = "填报单位：甲乡关工委    年度：2019"
    for r, v in ((3, 500), (4, 120), (5, 300)):
        s.cell(r, 4, v)
    for r, vals in ((10, (3, 20, 1500)), (11, (5, 30, 2500)), (12, (8, 50, 4000))):
        for c, v in enumerate(vals, 2):
            s.cell(r, c, v)
    p = tmp_path / "甲乡.xlsx"
    wb.save(p)
    f = ws.import_paths([p]).files[0]
    assert f.status == "accepted" and not f.errors, (f.errors, f.warnings)
    got = {v: ws.rollup(2019).value("A", v) for v in ("wulao_volunteers", "wulao_study", "legal_vp", "legal_audience", "t2_r2_c3")}
    assert got == {"wulao_volunteers": 500, "wulao_study": 300, "legal_vp": 8, "legal_audience": 4000, "t2_r2_c3": 2500}
    assert not f.warnings, [w.message for w in f.warnings]


def test_crosstab_goes_up_as_return_and_into_the_form(tmp_path):
    from openpyxl import load_workbook

    form = crosstab_form(tmp_path / "form.xlsx", total_formulas=True)
    ws = workspace(tmp_path, form)
    ws.import_paths([crosstab_return(tmp_path / "a.xlsx", "甲乡关工委", figures(1), CROSSTAB_ROWS, CROSSTAB_COLS),
                     crosstab_return(tmp_path / "b.xlsx", "乙乡关工委", figures(3), CROSSTAB_ROWS, CROSSTAB_COLS)])
    want = {(r.replace("其中：", ""), c): figures(1)[(r.replace("其中：", ""), c)] + figures(3)[(r.replace("其中：", ""), c)]
            for r in CROSSTAB_ROWS for c in CROSSTAB_COLS}
    # the 汇总 return draws the table in its shape; the city (same form, same catalog) reads it back
    ret = tmp_path / "某县汇总表.xlsx"
    info = ws.export_return(2019, ret)
    assert info.values == 28 and not info.blank and info.crosstabs == ["关统2表"]
    assert any("catalog.toml 一并发给上级" in line for line in info.summary_lines())
    city = Workspace.init(tmp_path / "city", name="某市关工委", year=2019)
    (city.root / "catalog.toml").write_text((ws.root / "catalog.toml").read_text(encoding="utf-8"), encoding="utf-8")
    units = tmp_path / "c.csv"
    units.write_text("编码,单位名称,上级编码,别名\nC,某市关工委,,\nX,某县关工委,C,\n", encoding="utf-8")
    city = Workspace.open(city.root)
    city.import_units(units)
    f = city.import_paths([ret]).files[0]
    assert f.status == "accepted" and f.returns[0].scope == "汇总" and f.returns[0].n_values == 28, f.errors
    res = city.rollup(2019)
    code = {(m.row, m.column): m.code for m in city.catalog.metrics.values()}
    assert {k: res.value("C", code[k]) for k in want} == want

    # the form itself, filled: the 合计 row's formulas are kept, every other cell filled
    out = tmp_path / "填好.xlsx"
    res = ws.fill_form(2019, form, out)
    assert not res.unmatched and len(res.filled) == 24 and len(res.formulas) == 4
    s = load_workbook(out)["组织建设"]
    assert s["C12"].value == want[("学校", "已建关工委单位数")] and s["B8"].value == "=B9+B10+B11+B12+B14"
    assert s["B3"].value == "某县关工委"


def test_template_draws_qizhong_rows_and_reads_them_back(tmp_path):
    from gwstats.forms.template import build_workbook
    from gwstats.forms.crosstab import cell_of

    ws = workspace(tmp_path, crosstab_form(tmp_path / "form.xlsx"))
    assert ws.catalog.metrics["t1_r6_c1"].part_of == "学校"
    wb = build_workbook(ws.catalog, year=2019, unit_name="甲乡关工委")
    xt = wb[wb.sheetnames[1]]
    labels = [xt.cell(r, 1).value for r in range(9, 16)]
    assert labels == ["合计", "乡镇(街道)", "村", "社区", "学校", "  其中：中小学", "企业"]
    xt.cell(*cell_of(xt, "中小学", "已建关工委单位数"), 7)
    xt.cell(*cell_of(xt, "学校", "已建关工委单位数"), 9)
    wb.save(tmp_path / "a.xlsx")
    f = ws.import_paths([tmp_path / "a.xlsx"]).files[0]
    assert f.status == "accepted", f.errors
    res = ws.rollup(2019)
    assert (res.value("X", "t1_r6_c2"), res.value("X", "t1_r5_c2")) == (7, 9)


def test_only_the_catalogs_own_tables_are_judged_on_import(tmp_path):
    from openpyxl import load_workbook

    ws = workspace(tmp_path, crosstab_form(tmp_path / "form.xlsx"))
    # a cross-tab of the catalog with a row written twice: refused, the cell named
    p = crosstab_return(tmp_path / "dup.xlsx", "甲乡关工委", figures(1), CROSSTAB_ROWS, CROSSTAB_COLS)
    wb = load_workbook(p)
    wb.active["A5"] = "村"  # 乡镇(街道) -> a second 村
    wb.save(p)
    f = ws.import_paths([p]).files[0]
    assert f.status == "rejected" and any("A6" in e.message and "A5" in e.message and "两次" in e.message for e in f.errors), f.errors
    # some other grid on a second sheet (a column without a heading): not ours, not judged
    p = crosstab_return(tmp_path / "other.xlsx", "甲乡关工委", figures(1), CROSSTAB_ROWS, CROSSTAB_COLS)
    wb = load_workbook(p)
    other = wb.create_sheet("附表")
    other.append(["物品", "件数", None, "备注"])
    other.append(["桌椅", 3, 4, "无"])
    other.append(["电脑", 1, 2, "无"])
    wb.save(p)
    f = ws.import_paths([p]).files[0]
    assert f.status == "accepted" and not f.errors, f.errors

from pathlib import Path

import openpyxl

from gwstats.model.catalog import load_default
from gwstats.forms.template import GENERIC_NAME, HEADER_FIELDS, HEADER_ROW, SHEET_NAME, TABLE_HEADER, build_workbook, metric_rows

ROOT = Path(__file__).resolve().parents[1]


def _field(ws, label):
    r, _, vc = HEADER_FIELDS[label]
    return ws.cell(r, vc).value


def test_unit_templates_are_prefilled_protected_and_validated(workspace, tmp_path):
    paths = workspace.write_templates(2018, tmp_path / "out")
    assert len(paths) == 8 == workspace.status(2018).expected  # every 应报 unit; the root reports upward instead
    assert not any(p.name.startswith("某某市关工委") for p in paths)
    path = next(p for p in paths if p.name.startswith("西山县关工委"))
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_NAME]
    assert ws["A1"].value == "2018年度关心下一代工作统计表"
    assert _field(ws, "填报单位") == "西山县关工委"
    assert _field(ws, "单位编码") == "S02"
    assert _field(ws, "年度") == 2018
    assert _field(ws, "口径") == "本级"
    assert _field(ws, "上级单位") == "某某市关工委"
    assert tuple(c.value for c in ws[HEADER_ROW][:5]) == TABLE_HEADER
    assert ws.protection.sheet is True and not ws.protection.password
    rows = metric_rows(ws)
    assert len(rows) == len(load_default().metrics)
    r = rows["五老志愿者人数"]
    assert ws.cell(r, 3).value == "人"
    assert ws.cell(r, 4).protection.locked is False  # value cell editable
    assert ws.cell(r, 2).protection.locked is True  # label locked
    assert ws.cell(HEADER_FIELDS["填报单位"][0], HEADER_FIELDS["填报单位"][2]).protection.locked is True
    assert ws.cell(HEADER_FIELDS["填报人"][0], HEADER_FIELDS["填报人"][2]).protection.locked is False
    dvs = ws.data_validations.dataValidation
    whole = [dv for dv in dvs if dv.type == "whole"]
    decimal = [dv for dv in dvs if dv.type == "decimal"]
    assert whole and whole[0].operator == "greaterThanOrEqual" and whole[0].formula1 == "0"
    assert ws.cell(r, 4).coordinate in whole[0].sqref
    assert ws.cell(rows["资助金额"], 4).coordinate in decimal[0].sqref
    assert ws.print_area and "$A$1:$E$" in ws.print_area
    assert ws.column_dimensions["B"].width >= 30
    assert "填表说明" in wb.sheetnames


def test_groups_appear_as_headings(workspace):
    wb = build_workbook(workspace.catalog, year=2018, unit_name="甲", unit_code="A")
    col_a = [c.value for c in wb[SHEET_NAME]["A"] if isinstance(c.value, str)]
    assert "一、组织建设" in col_a and "七、宣传" in col_a


def test_single_unit_template(workspace, tmp_path):
    paths = workspace.write_templates(2019, tmp_path / "one", unit="西山镇")
    assert [p.name for p in paths] == ["西山镇关工委2019年度统计表.xlsx"]


def test_generic_template_is_up_to_date_with_the_catalog(tmp_path):
    """templates/ holds the blank generic return; `python -m gwstats.forms.template templates` regenerates it."""
    committed = openpyxl.load_workbook(ROOT / "templates" / GENERIC_NAME)
    fresh = build_workbook(load_default(), year=None)
    for name in fresh.sheetnames:
        a = [[c.value for c in row] for row in committed[name].iter_rows()]
        b = [[c.value for c in row] for row in fresh[name].iter_rows()]
        assert a == b, f"templates/{GENERIC_NAME} 与指标目录不一致：运行 python -m gwstats.forms.template templates 重新生成"


def test_templates_are_package_independent_of_the_checkout(tmp_path):
    # The catalog and example units come from package data, not from the repository tree.
    from importlib import resources

    assert resources.files("gwstats").joinpath("data/default_catalog.toml").is_file()
    assert resources.files("gwstats").joinpath("data/example_units.csv").is_file()


def _parts(path) -> dict:
    """An .xlsx's parts, but for docProps/core.xml (the time it was saved)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_returns_made_from_one_workbook_are_those_built_one_by_one(workspace, tmp_path):
    """write_unit_templates builds one workbook and saves it per unit with that unit's header: every
    file is part for part the one build_workbook makes for that unit alone, a formula-like name, a
    nameless unit and a unit without a superior included."""
    from dataclasses import replace

    from gwstats.forms.template import write_unit_templates

    h = workspace.hierarchy()
    codes = sorted(h.units)
    odd = {codes[1]: "=HYPERLINK(\"x\")关工委", codes[2]: ""}
    for code, name in odd.items():
        h.units[code] = replace(h.units[code], name=name)
    top = next(c for c in codes if h.units[c].parent not in h.units)
    shown = []
    paths = write_unit_templates(workspace.catalog, h, codes, 2018, tmp_path / "one", organisation="测试市关工委",
                                 progress=lambda i, n, words: shown.append((i, n, words)))
    assert shown == [(i, len(codes), "正在生成空白统计表") for i in range(1, len(codes) + 1)]
    assert len(paths) == len(codes) and top in codes
    for code, path in zip(codes, paths):
        u = h.units[code]
        parent = h.units[u.parent].name if u.parent in h.units else ""
        alone = tmp_path / "alone.xlsx"
        build_workbook(workspace.catalog, year=2018, unit_name=u.name, unit_code=u.code, parent_name=parent,
                       organisation="测试市关工委").save(alone)
        assert _parts(path) == _parts(alone), code
    assert openpyxl.load_workbook(paths[1])[SHEET_NAME].cell(*HEADER_FIELDS["填报单位"][::2]).value == odd[codes[1]]

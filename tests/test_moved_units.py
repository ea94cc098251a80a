"""A unit moved to another parent under a new code (unit list: 停用年度 on the old row, 启用年度 and
前身 on the new one) that still sends last year's form with its old code: the return is the new
unit's, with a note naming the file, the old code and the successor (issue 20; it used to land on the
dissolved unit, uncounted, and the town was reported 未报)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gwstats import Workspace
from helpers_returns import filled_template, long_rows, write_xlsx

UNITS = """编码,单位名称,上级编码,启用年度,停用年度,前身
C,测试市关工委,,,,
A,甲县关工委,C,,,
A1,甲县一镇关工委,A,,,
A3,城关镇关工委,A,,2019,
B,乙县关工委,C,,,
B1,乙县一镇关工委,B,,,
B3,城关镇关工委,B,2020,,A3
"""


@pytest.fixture(params=["城关镇关工委", "乙县城关镇关工委"])
def ws(tmp_path, request):
    """The moved town under its old name, or under a new one (乙县城关镇)."""
    ws = Workspace.init(tmp_path / "ws", name="测试市关工委", year=2020)
    units = UNITS.replace("B3,城关镇关工委", f"B3,{request.param}")
    (tmp_path / "units.csv").write_text(units, encoding="utf-8")
    count, findings = ws.import_units(tmp_path / "units.csv")
    assert count == 7 and not [f for f in findings if f.severity == "error"]
    return ws


def _import(ws, path):
    rep = ws.import_paths([path])
    (f,) = rep.files
    assert f.status == "accepted", [e.message for e in f.errors]
    return f


def test_one_name_on_the_old_and_the_new_row_is_accepted(ws):
    assert ws.store.hierarchy().units["A3"].merged_into == "B3"


def test_last_years_form_with_the_old_code_is_the_successors_return(ws, tmp_path):
    for unit, n in {"C": 1, "A": 1, "A1": 5, "A3": 7, "B": 1, "B1": 4}.items():
        _import(ws, filled_template(ws, tmp_path / f"2019/{unit}.xlsx", unit, 2019, {"关工委组织数": n}))
    for unit, n in {"C": 1, "A": 1, "A1": 5, "B": 1, "B1": 4}.items():
        _import(ws, filled_template(ws, tmp_path / f"2020/{unit}.xlsx", unit, 2020, {"关工委组织数": n}))
    # 城关镇 fills in last year's form: 单位编码 A3, 上级单位 甲县
    old_form = filled_template(ws, tmp_path / "2020/城关镇2020年报表.xlsx", "A3", 2020, {"关工委组织数": 9})
    f = _import(ws, old_form)
    (note,) = [w for w in f.warnings if w.code == "unit-successor"]
    assert note.file == "城关镇2020年报表.xlsx"
    new_name = ws.store.hierarchy().units["B3"].name
    assert "A3" in note.message and f"乙县关工委下的{new_name}[B3]" in note.message
    assert [(r.unit, r.year) for r in f.returns] == [("B3", 2020)]
    rr = ws.rollup(2020)
    assert rr.record("B", "org_total")["value"] == Decimal(1 + 4 + 9)
    assert rr.record("A", "org_total")["value"] == Decimal(1 + 5)
    assert rr.record("C", "org_total")["value"] == Decimal(21)
    assert new_name not in ws.status(2020).missing  # was 未报
    assert not [x for x in ws.check(2020).findings if x.code == "inactive-return"]
    # the town's 2019 figure (under 甲县 then) is its comparison: 7 → 9
    assert rr.record("B3", "org_total")["change"] == Decimal(2)


def test_a_return_naming_the_town_goes_to_the_unit_of_its_year(ws, tmp_path):
    if ws.store.hierarchy().units["B3"].name != "城关镇关工委":
        pytest.skip("the new row has a name of its own")
    for year, n in ((2019, 7), (2020, 9)):
        rows = long_rows({"关工委组织数": n}, unit="城关镇关工委", year=year)
        f = _import(ws, write_xlsx(tmp_path / f"城关镇{year}.xlsx", {"Sheet1": rows}))
        assert [(r.unit, r.year) for r in f.returns] == [("A3" if year == 2019 else "B3", year)]


def test_two_units_sharing_a_name_without_a_move_are_still_refused(tmp_path):
    from gwstats.model.hierarchy import check_units, parse_units

    rows = [line.split(",") for line in UNITS.replace(",A3\n", ",\n").splitlines()]
    units, _ = parse_units(rows, "units.csv")
    assert any(f.code == "duplicate-name" for f in check_units(units))

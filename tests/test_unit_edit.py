"""model.unit_edit and Workspace.edit_units: add, rename, move, stop one unit; checked like an
imported list; refused when a locked year's units would change."""

from __future__ import annotations

import pytest

from gwstats import Workspace
from gwstats.core.errors import GwstatsError, HierarchyError, UsageError
from gwstats.model.unit_edit import edit


@pytest.fixture
def ws(tmp_path):
    ws = Workspace.init(tmp_path / "ws", name="集安市关工委", year=2020)
    ws.import_units(ws.root / "units.csv")
    return ws


def _units(ws):
    return {u.code: u for u in ws.store.load_units()}


def test_add_rename_move_stop(ws):
    root = next(u for u in ws.store.load_units() if u.parent is None)
    kids = [u for u in ws.store.load_units() if u.parent == root.code]
    assert "已新增单位 新区关工委[NEW]" in ws.edit_units("add", "NEW", name="新区关工委", parent=root.code, year="2021")
    new = _units(ws)["NEW"]
    assert new.parent == root.code and new.active_from == 2021 and not new.active_in(2020)
    ws.edit_units("rename", kids[0].code, name="改后的名称")
    renamed = _units(ws)[kids[0].code]
    assert renamed.name == "改后的名称" and kids[0].name in renamed.aliases
    assert ws.hierarchy().match(kids[0].name) == kids[0].code  # returns under the old name still match
    ws.edit_units("move", "NEW", parent=kids[1].code)
    assert _units(ws)["NEW"].parent == kids[1].code
    ws.edit_units("stop", kids[1].code, year="2020")
    assert _units(ws)[kids[1].code].active_to == 2020


@pytest.mark.parametrize("action, code, change, words", [
    ("add", "", {"name": "甲"}, "需要编码和名称"),
    ("rename", "NOPE", {"name": "甲"}, "没有编码 NOPE"),
    ("stop", None, {"year": "明年"}, "四位数字年份"),
    ("move", None, {"parent": ""}, "新的上级"),
])
def test_bad_edits_are_named(ws, action, code, change, words):
    code = code if code is not None else ws.store.load_units()[1].code
    with pytest.raises(UsageError, match=words):
        edit(ws.store.load_units(), action, code, **change)


def test_an_edit_that_breaks_the_list_is_refused_and_nothing_stored(ws):
    root = next(u for u in ws.store.load_units() if u.parent is None)
    child = next(u for u in ws.store.load_units() if u.parent == root.code)
    before = ws.store.load_units()
    with pytest.raises(HierarchyError) as exc:
        ws.edit_units("move", root.code, parent=child.code)  # a cycle
    assert "成环" in str(exc.value) and ws.store.load_units() == before
    with pytest.raises(HierarchyError):
        ws.edit_units("add", "X1", name=child.name, parent=root.code)  # a name two units would share


def test_a_locked_year_is_respected(ws):
    unit = ws.store.load_units()[1]
    ws.lock_year(2020)
    with pytest.raises(GwstatsError, match="这次修改会改变该年度的单位"):
        ws.edit_units("rename", unit.code, name="锁定后改名")
    assert _units(ws)[unit.code].name == unit.name
    ws.edit_units("stop", unit.code, year="2020")  # still reports in 2020: the locked year unchanged
    ws.edit_units("add", "N21", name="次年新单位", parent=unit.parent or unit.code, year="2021")
    assert _units(ws)["N21"].active_from == 2021

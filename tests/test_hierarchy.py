import pytest

from gwstats.core.errors import HierarchyError
from gwstats.model.hierarchy import Hierarchy, Unit, check_units, load_units_file, parse_units

HEADER = ["编码", "单位名称", "上级编码", "别名"]


def units_from(rows, header=HEADER):
    units, findings = parse_units([header] + rows, "u.csv")
    assert not findings
    return units


def codes(findings, code):
    return [f for f in findings if f.code == code]


def test_clean_hierarchy_has_no_findings():
    units = units_from([["A", "安庆市公安局关工委", "", "市局"], ["A1", "岳西县公安局关工委", "A", "岳西县局；岳西"]])
    assert check_units(units) == []


def test_english_headers_and_levels_years():
    units, _ = parse_units(
        [["code", "name", "parent", "aliases", "level", "active_from", "active_to"],
         ["R", "市", "", "", "", "", ""], ["C", "县", "R", "", "", "2019", ""]], "u.csv")
    h = Hierarchy({u.code: u for u in units})
    assert h.units["C"].level == 2 and h.units["R"].level == 1
    assert h.expected(2018) == []  # the root reports upward, not to itself: 应报 as status counts it
    assert h.expected(2019) == ["C"]
    assert h.expected(2019, under="C") == ["C"]


def test_duplicate_code():
    f = check_units(units_from([["A", "甲", "", ""], ["A", "乙", "", ""]]))
    assert codes(f, "duplicate-code") and "编码 A 重复" in codes(f, "duplicate-code")[0].message


def test_orphan():
    f = check_units(units_from([["A", "甲", "", ""], ["B", "乙", "X", ""]]))
    assert "上级编码 X 不存在" in codes(f, "orphan")[0].message


def test_cycle():
    f = check_units(units_from([["R", "根", "", ""], ["A", "甲", "B", ""], ["B", "乙", "A", ""]]))
    assert codes(f, "cycle") and "成环" in codes(f, "cycle")[0].message
    assert len(codes(f, "cycle")) == 1  # reported once, not once per member


def test_self_parent_is_a_cycle():
    f = check_units(units_from([["R", "根", "", ""], ["A", "甲", "A", ""]]))
    assert codes(f, "cycle")


def test_name_or_alias_used_by_two_units():
    f = check_units(units_from([["R", "根", "", ""], ["A", "岳西县公安局", "R", "岳西"], ["B", "岳西县教育局", "R", "岳西"]]))
    assert "“岳西”同时属于" in codes(f, "duplicate-name")[0].message


def test_name_clash_after_normalising_suffix_and_width():
    # "岳西县局关工委" and "岳西县局" are the same unit name once 关工委 is ignored.
    f = check_units(units_from([["R", "根", "", ""], ["A", "岳西县局关工委", "R", ""], ["B", "岳西县局", "R", ""]]))
    assert codes(f, "duplicate-name")


def test_no_root():
    f = check_units(units_from([["A", "甲", "B", ""], ["B", "乙", "A", ""]]))
    assert codes(f, "no-root")


def test_missing_columns_message():
    with pytest.raises(HierarchyError, match="缺少列"):
        parse_units([["名字", "上级"], ["甲", ""]], "u.csv")


def test_matching_by_code_name_alias_fullwidth_and_suffix():
    units = units_from([["A", "安庆市公安局关工委", "", "市局"], ["A1", "岳西县公安局关工委", "A", "岳西县局"]])
    h = Hierarchy({u.code: u for u in units})
    assert h.match("A1") == "A1"
    assert h.match("岳西县公安局") == "A1"
    assert h.match("岳西县公安局关工委") == "A1"
    assert h.match("岳 西 县 局") == "A1"
    assert h.match("岳西县局关工小组") == "A1"
    assert h.match("Ａ１") == "A1"  # full-width code
    assert h.match("潜山市局") is None
    assert "岳西县公安局关工委" in h.suggest("岳西县")


def test_tree_rendering_indents_by_level():
    units = units_from([["A", "市局", "", ""], ["A1", "岳西县局", "A", ""], ["A11", "城关派出所", "A1", ""]])
    text = Hierarchy({u.code: u for u in units}).render_tree()
    assert text.splitlines() == ["市局 [A] 第1级", "  岳西县局 [A1] 第2级", "    城关派出所 [A11] 第3级"]


def test_xlsx_units_file(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["A", "市局", None, None])
    ws.append([101, "县局", "A", "县局简称"])  # a numeric code typed in Excel
    wb.save(tmp_path / "u.xlsx")
    units, findings = load_units_file(tmp_path / "u.xlsx")
    assert findings == []
    assert [u.code for u in units] == ["A", "101"]
    assert units[1].aliases == ("县局简称",)


def test_gbk_csv_units_file(tmp_path):
    p = tmp_path / "u.csv"
    p.write_bytes("编码,单位名称,上级编码,别名\nA,集安市关工委,,\nA1,台上镇关工委,A,台上\n".encode("gbk"))
    units, findings = load_units_file(p)
    assert [u.name for u in units] == ["集安市关工委", "台上镇关工委"] and findings == []


def test_unit_active_years():
    u = Unit("A", "甲", active_from=2018, active_to=2019)
    assert [u.active_in(y) for y in (2017, 2018, 2019, 2020)] == [False, True, True, False]


def test_a_unit_code_with_a_newline_is_refused():
    from gwstats.model.hierarchy import parse_units

    units, findings = parse_units([["编码", "单位名称", "上级编码"], ["R", "测试市关工委", ""], ["A\nB", "甲单位", "R"]],
                                  "units.csv")
    assert [u.code for u in units] == ["R"]
    assert any(f.code == "bad-code" and "第 3 行" in f.message and "'A\\nB'" in f.message for f in findings)


def test_units_tree_of_a_deep_chain_is_linear():
    """A 20,000-level chain: each line's depth from its parent's, the indent capped (was quadratic)."""
    import time

    from gwstats.model.hierarchy import Hierarchy, Unit

    n = 20_000
    units = [Unit("C0", "第0级关工委", None)] + [Unit(f"C{i}", f"第{i}级关工委", f"C{i - 1}") for i in range(1, n)]
    h = Hierarchy({u.code: u for u in units})
    t = time.perf_counter()
    text = h.render_tree()
    assert time.perf_counter() - t < 3
    lines = text.splitlines()
    assert len(lines) == n and lines[1].startswith("  第1级") and "（第 19999 层）第19999级关工委" in lines[-1]
    assert len(text) < 200 * n

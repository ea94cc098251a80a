"""One row per unit: units down the side, metrics across, a 合计 row that is not a unit."""

import pytest

from gwstats.model.catalog import load_default
from gwstats.model.hierarchy import Hierarchy, parse_units
from gwstats.parse.context import Context
from gwstats.parse.book import parse_sheets
from gwstats.read.reader import Sheet, read_return_bytes

from helpers_returns import UNITS_CSV, wide_rows, write_xlsx

CATALOG = load_default()


@pytest.fixture(scope="module")
def hierarchy():
    rows = [line.split(",") for line in UNITS_CSV.strip().splitlines()]
    units, _ = parse_units(rows, "units.csv")
    return Hierarchy({u.code: u for u in units})


def parse_file(hierarchy, path, **opts):
    ctx = Context(CATALOG, hierarchy, **opts)
    ctx.file_name = path.name
    return parse_sheets(read_return_bytes(path.read_bytes(), path.name, path.suffix), ctx)


def by_unit(rets):
    return {(r.unit, r.scope, r.source): {v.metric: (str(v.value), v.cell) for v in r.values} for r in rets}


def test_simple_wide_sheet_with_total_row(tmp_path, hierarchy):
    rows, merged = wide_rows(["岳西县局", "望江县局", "怀宁县局"], ["法制课场次", "受教育师生人次", "资助金额（万元）"],
                             [[200, 12000, 13.55], [128, "3万", 20.1], [120, 6000, None]], total=[448, 48000, 33.65])
    path = write_xlsx(tmp_path / "汇总.xlsx", {"汇总表": rows})
    rets, findings = parse_file(hierarchy, path)
    assert not findings
    got = by_unit(rets)
    assert got[("YX", "本级", "row")] == {"legal_lessons": ("200", "C3"), "legal_audience": ("12000", "D3"), "aid_amount": ("13.55", "E3")}
    assert got[("WJ", "本级", "row")]["legal_audience"] == ("30000", "D4")
    assert "aid_amount" not in got[("HN", "本级", "row")]
    # the total row is the common parent's 汇总 figure, never a unit row
    assert got[("AQ", "汇总", "total_row")] == {"legal_lessons": ("448", "C6"), "legal_audience": ("48000", "D6"), "aid_amount": ("33.65", "E6")}
    assert all(r.year == 2018 for r in rets)
    total = next(r for r in rets if r.source == "total_row")
    assert total.unit_from == "各行单位的共同上级" and total.row == 6


def test_two_row_merged_header_over_metric_names(tmp_path, hierarchy):
    rows, merged = wide_rows(["城关派出所", "天堂派出所"], ["法制课场次", "受教育人次", "人数", "金额（元）"],
                             [[10, 800, 3, 5000], [12, 900, 2, 4000]], total=[22, 1700, 5, 9000],
                             groups=[("法治教育", 2), ("资助困难学生", 1), ("资助", 1)],
                             unit_field="岳西县公安局关工委", total_label="总计")
    path = write_xlsx(tmp_path / "岳西县局2018汇总.xlsx", {"Sheet1": rows}, {"Sheet1": merged})
    rets, findings = parse_file(hierarchy, path)
    assert not [f for r in rets for f in r.findings if f.severity == "error"]
    got = by_unit(rets)
    assert got[("YX01", "本级", "row")] == {"legal_lessons": ("10", "C5"), "legal_audience": ("800", "D5"),
                                          "aided_students": ("3", "E5"), "aid_amount": ("0.5", "F5")}
    assert got[("YX", "汇总", "total_row")]["aid_amount"] == ("0.9", "F7")
    total = next(r for r in rets if r.source == "total_row")
    assert total.unit_from == "填报单位"


def test_units_of_measure_row_and_unknown_labels(tmp_path, hierarchy):
    rows = [["2018年统计表"], ["单位", "法制课场次", "资助金额", "不知道的列"], [None, "场次", "元", None],
            ["岳西县局", 5, 10000, 3], ["望江县局", 6, 25000, 4]]
    path = write_xlsx(tmp_path / "w.xlsx", {"表": rows})
    rets, findings = parse_file(hierarchy, path)
    got = by_unit(rets)
    assert got[("YX", "本级", "row")]["aid_amount"] == ("1", "C4")
    assert got[("WJ", "本级", "row")]["aid_amount"] == ("2.5", "C5")


def test_unknown_unit_row_is_an_error_with_suggestion(tmp_path, hierarchy):
    rows, _ = wide_rows(["岳西县局", "望江县公安分局"], ["法制课场次", "受教育师生人次"], [[1, 2], [3, 4]])
    path = write_xlsx(tmp_path / "w.xlsx", {"表": rows})
    rets, findings = parse_file(hierarchy, path)
    errs = [f for r in rets for f in r.findings if f.severity == "error"]
    assert len(errs) == 1 and errs[0].code == "unknown-unit" and errs[0].cell == "B4"
    assert "望江县公安分局" in errs[0].message and "望江县公安局关工委" in errs[0].message


def test_blank_unit_rows_are_not_returns(tmp_path, hierarchy):
    rows, _ = wide_rows(["岳西县局", "望江县局"], ["法制课场次", "受教育师生人次"], [[1, 2], [None, None]])
    path = write_xlsx(tmp_path / "w.xlsx", {"表": rows})
    rets, _ = parse_file(hierarchy, path)
    assert [r.unit for r in rets] == ["YX"]


def test_bad_numbers_in_wide_rows(tmp_path, hierarchy):
    rows, _ = wide_rows(["岳西县局", "望江县局"], ["法制课场次", "资助金额"], [["若干", 1], [3, "见附件"]])
    path = write_xlsx(tmp_path / "w.xlsx", {"表": rows})
    rets, _ = parse_file(hierarchy, path)
    errs = {f.cell: f.message for r in rets for f in r.findings if f.severity == "error"}
    assert "若干" in errs["C3"] and "岳西县局" in errs["C3"]
    assert "见附件" in errs["D4"]


def test_subtotal_rows_are_skipped_with_a_warning(tmp_path, hierarchy):
    rows, _ = wide_rows(["城关派出所", "天堂派出所"], ["法制课场次", "受教育师生人次"], [[1, 2], [3, 4]], total=[4, 6], total_label="小计")
    path = write_xlsx(tmp_path / "w.xlsx", {"表": rows})
    rets, _ = parse_file(hierarchy, path)
    assert [r.source for r in rets] == ["row", "row"]
    assert any(f.code == "subtotal-row" for r in rets for f in r.findings)


def test_metric_names_across_without_unit_column_is_not_a_summary_sheet(tmp_path, hierarchy):
    rows = [["填报单位：岳西县局  年度：2018"], ["法制课场次", "受教育师生人次"], [12, 800]]
    path = write_xlsx(tmp_path / "w.xlsx", {"表": rows})
    rets, findings = parse_file(hierarchy, path)
    assert not rets and findings[0].code == "no-table"


def test_row_names_match_strictly(tmp_path, hierarchy):
    rows, _ = wide_rows(["岳西县局（本级）", "岳西县公安局机关", "岳西县局某某村"], ["法制课场次", "受教育师生人次"], [[1, 2], [3, 4], [5, 6]])
    path = write_xlsx(tmp_path / "w.xlsx", {"表": rows})
    rets, _ = parse_file(hierarchy, path)
    assert [r.unit for r in rets if r.unit] == ["YX", "YX"]
    errs = [f for r in rets for f in r.findings if f.code == "unknown-unit"]
    assert len(errs) == 1 and "岳西县局某某村" in errs[0].message


from hypothesis import HealthCheck, given, settings, strategies as st

_WORDS = ["合计", "单位", "单位名称", "指标", "数值", "本年", "2018年", "法制课场次", "受教育师生人次", "资助金额（元）",
          "岳西县局", "望江县局", "城关派出所", "填报单位：岳西县局", "年度：2018", "口径：汇总", "—", "800多", "见附件",
          "一、组织建设", "序号", "备注", "", "13.55万元", "-3", "=SUM(A1)", "年度", "208"]
_CELL = st.one_of(st.none(), st.sampled_from(_WORDS), st.integers(-5, 3000), st.floats(-1, 1e6, allow_nan=False),
                  st.text(max_size=6))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(_CELL, max_size=7), max_size=14), st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=3))
def test_any_grid_parses_without_crashing(hierarchy, rows, merges):
    merged = [(r, c, r + 1, c + 1) for r, c in merges]
    ctx = Context(CATALOG, hierarchy)
    ctx.file_name = "随机.xlsx"
    rets, findings = parse_sheets([Sheet("表", rows, merged)], ctx)
    for r in rets:
        assert all(f.message for f in r.findings)
        for v in r.values:
            assert v.value is None or v.value >= 0


def _insert_scope_field(rows: list[list], text: str) -> list[list]:
    return [rows[0], [f"口径：{text}"], *rows[1:]]


def test_scope_field_汇总_applies_to_every_unit_row(tmp_path, hierarchy):
    """A summary sheet headed 口径：汇总 holds consolidated figures: its rows are 汇总, never added."""
    rows, _ = wide_rows(["岳西县局", "望江县局"], ["法制课场次", "受教育师生人次"], [[200, 9000], [128, 30000]])
    path = write_xlsx(tmp_path / "汇总口径.xlsx", {"汇总表": _insert_scope_field(rows, "汇总")})
    rets, findings = parse_file(hierarchy, path)
    assert not findings
    assert {(r.unit, r.scope) for r in rets} == {("YX", "汇总"), ("WJ", "汇总")}
    assert not [f for r in rets for f in r.findings if f.code == "row-scope-assumed"]


def test_row_unit_with_subordinates_without_scope_field_is_本级_with_a_warning(tmp_path, hierarchy):
    rows, _ = wide_rows(["岳西县局", "望江县局"], ["法制课场次", "受教育师生人次"], [[200, 9000], [128, 30000]])
    path = write_xlsx(tmp_path / "无口径.xlsx", {"汇总表": rows})
    rets, _ = parse_file(hierarchy, path)
    yx = next(r for r in rets if r.unit == "YX")
    assert yx.scope == "本级"
    warning = next(f for f in yx.findings if f.code == "row-scope-assumed")
    assert "有下级单位" in warning.message and "口径：汇总" in warning.message
    wj = next(r for r in rets if r.unit == "WJ")  # 望江 has no subordinates in the test hierarchy
    assert not [f for f in wj.findings if f.code == "row-scope-assumed"]


def test_scope_field_本级_silences_the_warning(tmp_path, hierarchy):
    rows, _ = wide_rows(["岳西县局", "望江县局"], ["法制课场次", "受教育师生人次"], [[200, 9000], [128, 30000]])
    path = write_xlsx(tmp_path / "本级口径.xlsx", {"汇总表": _insert_scope_field(rows, "本级")})
    rets, _ = parse_file(hierarchy, path)
    assert {r.scope for r in rets} == {"本级"} and not [f for r in rets for f in r.findings]


def test_repeated_cells_each_read_and_each_refusal_said(tmp_path, hierarchy):
    """The same texts in many rows (a form export of a province): every cell gets its own value and
    cell reference, every bad cell its own finding, and 1 / 1.0 / "1" / True stay different things."""
    rows, _ = wide_rows(["岳西县局", "望江县局", "怀宁县局"], ["法制课场次", "受教育师生人次", "资助金额（万元）"],
                        [["12", "十几", 1.5], [12, "十几", "1.5"], [True, "十几", 1]])
    path = write_xlsx(tmp_path / "汇总.xlsx", {"汇总表": rows})
    rets, findings = parse_file(hierarchy, path)
    bad = [f for r in rets for f in r.findings if f.code == "bad-number"] + [f for f in findings if f.code == "bad-number"]
    assert len(bad) == 4
    assert sorted(f.cell for f in bad if "受教育" in f.message) == ["D3", "D4", "D5"]
    assert any(f.cell == "C5" for f in bad)  # TRUE in a count: a logical value, not 1
    got = by_unit(rets)
    assert got[("YX", "本级", "row")]["legal_lessons"] == ("12", "C3")
    assert got[("WJ", "本级", "row")]["legal_lessons"] == ("12", "C4")
    assert got[("YX", "本级", "row")]["aid_amount"] == ("1.5", "E3")
    assert got[("WJ", "本级", "row")]["aid_amount"] == ("1.5", "E4")
    assert got[("HN", "本级", "row")]["aid_amount"] == ("1", "E5")


def test_the_common_parent_of_a_sheets_row_units(hierarchy):
    """What a sheet's 合计 row and 本级 row belong to without a 填报单位: the lowest unit on every row
    unit's chain (the unit itself or an ancestor), a single unit's parent, None when there is none."""
    from gwstats.parse.book import _common_parent

    ctx = Context(CATALOG, hierarchy)
    cases = {("YX01", "YX02"): "YX", ("YX01", "YX01"): "YX", ("YX01",): "YX", ("YX",): "AQ", ("AQ",): None,
             ("YX01", "WJ"): "AQ", ("YX02", "YX", "YX01"): "YX", ("YX", "YX01"): "YX", ("WJ", "HN", "TC"): "AQ",
             ("YX01", "YX02", "WJ"): "AQ", ("AQ", "YX01"): "AQ", (): None}
    for codes, parent in cases.items():
        assert _common_parent(ctx, list(codes)) == parent, codes
    two_roots = Hierarchy({**hierarchy.units, "X": type(hierarchy.units["AQ"])("X", "另一个局")})
    assert _common_parent(Context(CATALOG, two_roots), ["YX01", "X"]) is None

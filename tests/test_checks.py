import pytest

from store_builders import add_submission, make_ws


@pytest.fixture
def ws(tmp_path):
    return make_ws(tmp_path)


def codes(result, code=None):
    return [f for f in result.findings if code is None or f.code == code]


def test_clean_data_has_no_findings(ws):
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 100, "wulao_core": 30, "donations": "35.6",
                                    "donations_social": "20.4", "donations_wulao": "15.2"})
    res = ws.check(2018)
    assert res.findings == [] and not res.has_errors
    assert "未发现问题" in res.summary_line()


def test_rule_on_own_values_fires_with_location(ws):
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10, "wulao_core": 12}, file_name="甲县一站.xlsx")
    res = ws.check(2018)
    own = codes(res, "rule")
    assert len(own) == 1 and own[0].severity == "error" and res.has_errors
    f = own[0]
    assert f.file == "甲县一站.xlsx" and f.sheet == "Sheet1" and f.cell == "D6"
    assert f.extra["unit"] == "A1" and f.extra["metric"] == "wulao_core"
    assert f.extra["left"] == 12 and f.extra["right"] == 10
    assert "五老骨干人数不能多于五老志愿者人数" in f.message and "甲县一站" in f.message
    # the same rule also fails on the totals above (甲县, 市) but only there
    assert {x.extra["unit"] for x in codes(res, "rule-total")} == {"A", "C"}


def test_rule_on_totals_only(ws):
    # each unit alone is fine, but the total is not: A1 has only volunteers, A2 only core members
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10})
    add_submission(ws, "A2", 2018, {"wulao_core": 12})
    res = ws.check(2018)
    assert codes(res, "rule") == []
    assert {f.extra["unit"] for f in codes(res, "rule-total")} == {"A", "C"}


def test_rule_tolerance_exact_decimals(ws):
    add_submission(ws, "A1", 2018, {"donations": "35.6", "donations_social": "20.4", "donations_wulao": "15.2"})
    add_submission(ws, "A2", 2018, {"donations": "35.6", "donations_social": "20.4", "donations_wulao": "15.1"})
    res = ws.check(2018)
    own = codes(res, "rule")
    assert [f.extra["unit"] for f in own] == ["A2"] and own[0].severity == "warning"


def test_written_rate_checked_against_parts(ws):
    # 集安 2020: 802 骨干 of 2503 志愿者 written as 占29% — it is 32.0 %
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 2503, "wulao_core": 802, "rate_wulao_core": 29},
                   raws={"rate_wulao_core": "29%"}, file_name="集安.xlsx")
    add_submission(ws, "A2", 2018, {"wulao_volunteers": 2503, "wulao_core": 802, "rate_wulao_core": "32.04"})
    add_submission(ws, "B1", 2018, {"wulao_volunteers": 100, "wulao_core": 32, "rate_wulao_core": "0.32"})
    res = ws.check(2018)
    found = codes(res, "rate-mismatch")
    assert len(found) == 1
    f = found[0]
    assert f.extra["unit"] == "A1" and f.file == "集安.xlsx" and f.cell == "D7"
    assert f.extra["computed"] == pytest.approx(32.04155, abs=1e-4)
    assert "29%" in f.message and "32.0%" in f.message and "百分点" in f.message


def test_total_row_and_huizong_vs_computed(ws):
    add_submission(ws, "A1", 2018, {"legal_lessons": 10})
    add_submission(ws, "A2", 2018, {"legal_lessons": 5})
    add_submission(ws, "A", 2018, {"legal_lessons": 16}, scope="汇总", source="total_row")  # 合计 wrong
    add_submission(ws, "B1", 2018, {"legal_lessons": 7})
    add_submission(ws, "B2", 2018, {"legal_lessons": 1})
    add_submission(ws, "B", 2018, {"legal_lessons": 8}, scope="汇总", source="total_row")  # adds up its rows
    add_submission(ws, "B", 2018, {"legal_lessons": 2})  # B's own 本级, not on the sheet
    res = ws.check(2018)
    rows = codes(res, "total-row-mismatch")
    assert [f.extra["unit"] for f in rows] == ["A"] and rows[0].severity == "error"
    assert rows[0].extra["reported"] == 16 and rows[0].extra["computed"] == 15


def test_huizong_return_severity_depends_on_coverage(ws):
    add_submission(ws, "A1", 2018, {"legal_lessons": 10})
    add_submission(ws, "A2", 2018, {"legal_lessons": 5})
    add_submission(ws, "A", 2018, {"legal_lessons": 1})  # its 本级: the 汇总 (20 ≠ 16) is compared
    add_submission(ws, "A", 2018, {"legal_lessons": 20}, scope="汇总")
    add_submission(ws, "B1", 2018, {"legal_lessons": 5})
    add_submission(ws, "B", 2018, {"legal_lessons": 20}, scope="汇总")  # B2 missing
    add_submission(ws, "D", 2018, {"legal_lessons": 3}, scope="汇总")
    add_submission(ws, "D", 2018, {"legal_lessons": 3})
    res = ws.check(2018)
    sev = {f.extra["unit"]: f.severity for f in codes(res, "huizong-mismatch")}
    assert sev == {"A": "warning", "B": "info"}
    assert not res.has_errors


def test_year_over_year_jump_needs_both_floors(ws):
    add_submission(ws, "A1", 2017, {"legal_lessons": 2, "legal_audience": 1000, "aided_students": 100})
    add_submission(ws, "A1", 2018, {"legal_lessons": 5, "legal_audience": 3000, "aided_students": 120})
    res = ws.check(2018)
    jumps = codes(res, "yoy-jump")
    assert [f.extra["metric"] for f in jumps] == ["legal_audience"]  # 2 → 5 is not an alarm
    assert jumps[0].extra["previous"] == 1000 and jumps[0].extra["current"] == 3000
    assert jumps[0].cell is not None and "+200.0%" in jumps[0].message


def test_total_fell_while_children_rose(ws):
    add_submission(ws, "A", 2017, {"legal_lessons": 100})
    add_submission(ws, "A1", 2017, {"legal_lessons": 10})
    add_submission(ws, "A2", 2017, {"legal_lessons": 10})
    add_submission(ws, "A", 2018, {"legal_lessons": 50})
    add_submission(ws, "A1", 2018, {"legal_lessons": 12})
    add_submission(ws, "A2", 2018, {"legal_lessons": 11})
    # B: total fell but one child fell too -> no finding
    add_submission(ws, "B1", 2017, {"legal_lessons": 10})
    add_submission(ws, "B2", 2017, {"legal_lessons": 10})
    add_submission(ws, "B1", 2018, {"legal_lessons": 12})
    add_submission(ws, "B2", 2018, {"legal_lessons": 1})
    res = ws.check(2018)
    fell = codes(res, "total-fell")
    assert [f.extra["unit"] for f in fell] == ["A"]
    assert fell[0].extra["previous"] == 120 and fell[0].extra["current"] == 73


def test_unit_filter_limits_findings(ws):
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10, "wulao_core": 12})
    add_submission(ws, "B1", 2018, {"wulao_volunteers": 10, "wulao_core": 12})
    res = ws.check(2018, unit="乙县关工委")
    assert {f.extra["unit"] for f in res.findings} == {"B", "B1"}
    assert res.records()[0]["unit"] in {"B", "B1"}


def test_check_cli_exit_codes(ws):
    import json

    from typer.testing import CliRunner

    from gwstats.cli.app import app

    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10, "wulao_core": 8})
    r = CliRunner().invoke(app, ["check", "-w", str(ws.root), "--year", "2018"])
    assert r.exit_code == 0 and "未发现问题" in r.output
    add_submission(ws, "A2", 2018, {"wulao_volunteers": 10, "wulao_core": 12})
    r = CliRunner().invoke(app, ["check", "-w", str(ws.root), "--year", "2018", "-f", "json"])
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert data[0]["severity"] == "error" and data[0]["unit"] == "A2" and data[0]["cell"] == "D6"


def test_rule_on_leaf_huizong_points_at_its_cell(ws):
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10, "wulao_core": 12}, scope="汇总", file_name="站.xlsx")
    own = codes(ws.check(2018), "rule")
    assert [f.extra["unit"] for f in own] == ["A1"] and own[0].file == "站.xlsx" and own[0].cell == "D6"


def test_findings_per_type_are_capped_with_a_count(ws, monkeypatch):
    import gwstats.analysis.checks as checks

    monkeypatch.setattr(checks, "MAX_PER_TYPE", 2)
    for u in ("A1", "A2", "B1", "B2", "D"):
        add_submission(ws, u, 2018, {"wulao_volunteers": 10, "wulao_core": 12})
        add_submission(ws, u, 2017, {"legal_audience": 1000})
        add_submission(ws, u, 2018, {"wulao_volunteers": 10, "wulao_core": 12, "legal_audience": 3000})
    res = ws.check(2018)
    assert len(codes(res, "rule")) == 2 and len(codes(res, "yoy-jump")) == 2
    more = {f.extra["type"]: f for f in codes(res, "truncated")}
    assert more["rule"].extra["omitted"] == 3 and more["rule"].severity == "error"
    assert more["yoy-jump"].extra["omitted"] == 3 and more["yoy-jump"].severity == "warning"
    assert res.has_errors


def test_rate_mismatch_message_rounds_half_up(ws):
    # 1 of 16 = 6.25 %: shown as 6.3 % like the tables and the report (not 6.2 %)
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 16, "wulao_core": 1, "rate_wulao_core": 10},
                   raws={"rate_wulao_core": "10%"})
    f = codes(ws.check(2018), "rate-mismatch")[0]
    assert "6.3%" in f.message and "相差 3.8 个百分点" in f.message


def test_parts_larger_than_their_total_are_an_error(ws):
    # 其中 social 30 + 五老 15.2 = 45.2 > 捐款捐物 35.6: not a rounding slip, an impossible return
    add_submission(ws, "A1", 2018, {"donations": "35.6", "donations_social": "30", "donations_wulao": "15.2"},
                   file_name="甲县一站.xlsx")
    add_submission(ws, "A2", 2018, {"donations": "40", "donations_social": "20", "donations_wulao": "10"})
    res = ws.check(2018)
    (f,) = [x for x in codes(res, "parts-exceed-total") if x.extra["unit"] == "A1"]
    assert f.severity == "error" and res.has_errors
    assert f.extra["metric_name"] == "捐款捐物" and f.file == "甲县一站.xlsx" and f.cell == "D5"
    assert "其中各项之和 45.2 大于合计 35.6" in f.message and "donations" not in f.message
    # parts short of the total (other donors) stay a 提醒
    assert [x.severity for x in codes(res, "rule") if x.extra["unit"] == "A2"] == ["warning"]


def test_a_huizong_over_silent_units_is_one_line_not_one_per_item(ws):
    """A 汇总 whose subordinates are all silent: one 说明 for the unit naming the items, not seven."""
    items = {"legal_lessons": 10, "legal_audience": 300, "aided_students": 5, "wulao_volunteers": 40,
             "wulao_core": 8, "org_total": 6, "donations": "3.5"}
    add_submission(ws, "A", 2018, items, scope="汇总", file_name="甲县汇总.xlsx")
    res = ws.check(2018)
    lines = [f for f in codes(res, "huizong-mismatch") if f.extra["unit"] == "A"]
    assert len(lines) == 1, [f.message for f in lines]
    f = lines[0]
    assert f.severity == "info" and f.file == "甲县汇总.xlsx"
    assert "下级和本级均无这些数据" in f.message and "等7项" in f.message


def test_written_rates_are_looked_up_only_where_some_return_wrote_one(ws):
    """A store where no return wrote a rate (a form export without them) is answered without reading
    the year's values; one rate written anywhere, of any year, and they are read and checked."""
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 2503, "wulao_core": 802})
    inds = list(ws.catalog.indicators)
    seen = []
    ws.store.conn.set_trace_callback(seen.append)
    try:
        assert ws.store.written_rates(2018, inds) == []
        assert not [q for q in seen if "submission_values" in q]
        add_submission(ws, "A2", 2017, {"wulao_volunteers": 100, "wulao_core": 32, "rate_wulao_core": "40"})
        add_submission(ws, "B1", 2018, {"wulao_volunteers": 100, "wulao_core": 32, "rate_wulao_core": "40"})
        seen.clear()
        assert [r[1] for r in ws.store.written_rates(2018, inds)] == ["B1"]
        assert [q for q in seen if "submission_values" in q]
    finally:
        ws.store.conn.set_trace_callback(None)
    assert [f.extra["unit"] for f in codes(ws.check(2018), "rate-mismatch")] == ["B1"]


def test_rules_that_hold_need_no_decimal_confirmation(ws, monkeypatch):
    """A rule of sums (五老骨干 <= 五老志愿者) is decided exactly in integers on the micro values: the rows
    where it holds, at the boundary too (10 of 10), are never confirmed in Decimal; those that fail are,
    and say the same as before."""
    from decimal import Decimal

    from gwstats.core.expr import Expr

    for unit, core in (("A1", 10), ("A2", 10), ("B1", 10), ("B2", 12)):
        add_submission(ws, unit, 2018, {"wulao_volunteers": 10, "wulao_core": core})
    exact = []
    real = Expr.evaluate

    def evaluate(self, env):
        if self.text in ("wulao_core", "wulao_volunteers") and any(isinstance(v, Decimal) for v in env.values()):
            exact.append(self.text)
        return real(self, env)

    monkeypatch.setattr(Expr, "evaluate", evaluate)
    res = ws.check(2018)
    assert [f.extra["unit"] for f in codes(res, "rule")] == ["B2"]
    assert sorted(f.extra["unit"] for f in codes(res, "rule-total")) == ["B", "C"]
    assert len(exact) == 2 * 3  # both sides of B2, B and C only (before: A1, A2, B1 and A as well)
    assert codes(res, "rule")[0].extra["left"] == Decimal(12) and "五老骨干人数 12，五老志愿者人数 10" in codes(res, "rule")[0].message

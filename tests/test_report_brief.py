"""The check list of a province (issue 23; it was the report's appendix): 表1 counted down to the counties, 表2 the errors and the
counties' warnings, each with a note where the unit-by-unit detail is; a small hierarchy unit by unit."""

from gwstats.analysis import brief
from gwstats.render import report as R
from gwstats.render import report_brief
from store_builders import add_submission, make_ws

# province → city → county → township → two schools
UNITS = [("P", "省", None), ("C", "甲市", "P"), ("K", "乙县", "C"), ("T", "丙镇", "K"),
         ("S1", "一小", "T"), ("S2", "二小", "T"), ("K2", "丁县", "C")]


def _ws(tmp_path):
    ws = make_ws(tmp_path, UNITS)
    # 骨干 more than 志愿者: an error at a school; the township's jump-free figures give no warning
    add_submission(ws, "S1", 2018, {"wulao_volunteers": 5, "wulao_core": 9}, received_at="2019-01-10T10:00:00")
    add_submission(ws, "K2", 2018, {"legal_lessons": 3}, received_at="2019-03-01T10:00:00")
    return ws


def _table(content, caption_start: str):
    return next(b for b in content.blocks if b.kind == "table" and b.text.startswith(caption_start))


def test_a_small_hierarchy_lists_every_unit(tmp_path):
    ws = _ws(tmp_path)
    t = _table(R.build_check_list(ws, 2018), "表1")
    assert t.columns == report_brief.STATUS_COLUMNS and not t.note
    assert {"一小", "二小", "丙镇"} <= {r[0] for r in t.rows}


def test_a_province_counts_down_to_the_counties(tmp_path, monkeypatch):
    ws = _ws(tmp_path)
    monkeypatch.setattr(brief, "BIG_UNITS", 3)
    content = R.build_check_list(ws, 2018)  # the office's check list, beside the report
    t = _table(content, "表1")
    assert t.columns == ["单位", "应报", "已报", "迟报", "未报", "报送率"]
    assert [r[0] for r in t.rows] == ["省", "甲市", "乙县", "丁县"]  # nothing below the counties
    st = ws.status(2018)
    assert t.rows[0][1:] == [str(st.expected), str(st.reported), "1", str(st.expected - st.reported),
                             f"{st.reported / st.expected * 100:.1f}%"]
    assert "status --all --format csv" in t.note
    findings = ws.check(2018).findings
    errors = [f for f in findings if f.severity == "error"]
    assert errors and any(f.extra.get("unit") == "S1" for f in errors)
    t2 = _table(content, "表2")
    assert len([r for r in t2.rows if r[0] == "错误"]) == len(errors)  # every error, whatever its level
    kept, left = brief.check_findings(findings, ws.tree(), "P")
    assert len(t2.rows) == len(kept)
    assert bool(t2.note) == bool(left)


def test_the_checks_note_counts_what_it_leaves_out(tmp_path, monkeypatch):
    ws = _ws(tmp_path)
    add_submission(ws, "S2", 2017, {"legal_lessons": 2})
    add_submission(ws, "S2", 2018, {"legal_lessons": 400})  # a 同比异常 warning at a school
    monkeypatch.setattr(brief, "BIG_UNITS", 3)
    check = ws.check(2018)
    shown, note = report_brief.check_shown(ws, check)
    deep = [f for f in check.findings if f.severity != "error" and f.extra.get("unit") in ("T", "S1", "S2")]
    assert deep and len(shown) == len(check.findings) - len(deep)
    assert note.startswith("另有区县以下单位的提醒未列出") and f"{len(deep)}条" in note.replace(",", "")


def test_a_small_hierarchy_with_many_findings_leaves_the_warnings_far_below_to_the_csv(tmp_path, monkeypatch):
    """A city of 2,000 units has ~20,000 同比异常 warnings of its schools and villages: 表2 lists every
    error and the warnings down to two levels below the city, the note counts the rest."""
    ws = _ws(tmp_path)
    add_submission(ws, "S2", 2017, {"legal_lessons": 2})
    add_submission(ws, "S2", 2018, {"legal_lessons": 400})  # a 同比异常 warning at a school
    check = ws.check(2018)
    assert report_brief.check_shown(ws, check) == (check.findings, "")  # few findings: every one
    monkeypatch.setattr(brief, "MANY_FINDINGS", 1)
    shown, note = report_brief.check_shown(ws, check)
    deep = [f for f in check.findings if f.severity != "error" and f.extra.get("unit") in ("T", "S1", "S2")]
    assert deep and len(shown) == len(check.findings) - len(deep)
    assert any(f.severity == "error" and f.extra.get("unit") == "S1" for f in shown)  # every error, however deep
    assert note.startswith("提醒较多，本表列出全部错误和本级及以下两级单位的提醒")
    assert f"{len(deep)}条" in note.replace(",", "") and "check --format csv" in note
    t2 = _table(R.build_check_list(ws, 2018), "表2")
    assert len(t2.rows) == len(shown) and t2.note == note


def test_the_check_command_of_a_small_hierarchy_with_many_findings_lists_two_levels_down(tmp_path, monkeypatch):
    """`gwstats check` of a city: every error and the 提醒 down to two levels below it, the rest counted
    in a line that says how to list them all (--all, --format csv), as 附表2 does."""
    from typer.testing import CliRunner

    from gwstats.cli.app import app

    ws = _ws(tmp_path)
    add_submission(ws, "S2", 2017, {"legal_lessons": 2})
    add_submission(ws, "S2", 2018, {"legal_lessons": 400})  # a 同比异常 warning at a school
    check = ws.check(2018)
    monkeypatch.setattr(brief, "MANY_FINDINGS", 1)
    args = ["check", "-w", str(ws.root), "--year", "2018"]
    r = CliRunner().invoke(app, args)
    deep = [f for f in check.findings if f.severity != "error" and f.extra.get("unit") in ("T", "S1", "S2")]
    assert deep and "提醒较多，只列出全部错误和本级及以下两级单位的提醒；另有更下级单位的提醒未列出" in r.output
    assert "全部列出请加 --all，或用 --format csv 导出" in r.output and check.summary_line() in r.output
    every = CliRunner().invoke(app, [*args, "--all"]).output
    assert "提醒较多" not in every and "+19900.0%" in every and "+19900.0%" not in r.output  # the school's 提醒

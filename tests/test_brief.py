"""The province view of status and check (issue 23): on a hierarchy above BIG_UNITS units the default
output is the levels down to the counties, the errors and the totals; --all and csv/json give all."""

import json

from typer.testing import CliRunner

from gwstats.analysis import brief
from gwstats.cli.app import app
from store_builders import add_submission, make_ws

# province → city → county → township → two schools
UNITS = [("P", "省", None), ("C", "甲市", "P"), ("K", "乙县", "C"), ("T", "丙镇", "K"),
         ("S1", "一小", "T"), ("S2", "二小", "T"), ("K2", "丁县", "C")]


def _ws(tmp_path):
    ws = make_ws(tmp_path, UNITS)
    add_submission(ws, "S1", 2018, {"wulao_volunteers": 5, "wulao_core": 9}, received_at="2019-01-10T10:00:00")
    add_submission(ws, "K2", 2018, {"legal_lessons": 3}, received_at="2019-03-01T10:00:00")  # late
    return ws


def test_small_hierarchies_print_every_unit_as_before(tmp_path):
    ws = _ws(tmp_path)
    r = CliRunner().invoke(app, ["status", "-w", str(ws.root), "--year", "2018"])
    assert "一小" in r.output and "二小" in r.output and "--all" not in r.output


def test_status_of_a_big_hierarchy_counts_down_to_the_counties(tmp_path, monkeypatch):
    ws = _ws(tmp_path)
    monkeypatch.setattr(brief, "BIG_UNITS", 3)
    r = CliRunner().invoke(app, ["status", "-w", str(ws.root), "--year", "2018"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    table = [x for x in lines if not x.startswith("应报")]  # the totals line names the missing units
    assert not any("一小" in x or "丙镇" in x for x in table)  # below the counties: counted, not listed
    row = next(x.split() for x in lines if x.startswith("省"))
    st = ws.status(2018)
    exp, rep = st.expected, st.reported
    assert (exp, rep) == (6, 2)
    # 应报 已报 迟报 未报 报送率 over the whole province, the same figures as the totals line
    assert row[3:] == [str(exp), str(rep), "1", str(exp - rep), f"{rep / exp * 100:.1f}%"]
    county = next(x.split() for x in lines if x.startswith("乙县"))[3:]
    expected_k = sum(1 for r in st.rows if r["expected"] and r["unit"] in ("K", "T", "S1", "S2"))
    assert county[:2] == [str(expected_k), "1"] and county[2] == "0"
    assert brief.STATUS_NOTE in r.output
    assert st.summary_line() in r.output  # the totals line is unchanged
    full = CliRunner().invoke(app, ["status", "-w", str(ws.root), "--year", "2018", "--all"])
    assert "一小" in full.output and "二小" in full.output and brief.STATUS_NOTE not in full.output
    data = json.loads(CliRunner().invoke(app, ["status", "-w", str(ws.root), "--year", "2018", "-f", "json"]).output)
    assert {d["unit"] for d in data} >= {"S1", "S2"}  # json: everything


def test_check_of_a_big_hierarchy_lists_errors_and_the_counties_warnings(tmp_path, monkeypatch):
    ws = _ws(tmp_path)
    monkeypatch.setattr(brief, "BIG_UNITS", 3)
    res = ws.check(2018)
    kept, left = brief.check_findings(res.findings, ws.tree(), res.root)
    deep = [f for f in res.findings if f.severity != "error" and f.extra.get("unit") in ("T", "S1", "S2")]
    assert all(f.severity == "error" or f.extra.get("unit") not in ("T", "S1", "S2") for f in kept)
    assert any(f.severity == "error" and f.extra.get("unit") == "S1" for f in kept)  # errors of any unit stay
    assert sum(left.values()) == len(deep) and len(kept) + len(deep) == len(res.findings)
    r = CliRunner().invoke(app, ["check", "-w", str(ws.root), "--year", "2018"])
    assert res.summary_line() in r.output  # the totals count everything
    if left:
        assert "另有区县以下单位的提醒未列出" in r.output
    full = CliRunner().invoke(app, ["check", "-w", str(ws.root), "--year", "2018", "--all"])
    assert "另有区县以下单位的提醒未列出" not in full.output


def test_near_is_the_unit_and_two_levels_below(tmp_path):
    ws = _ws(tmp_path)
    tree = ws.tree()
    assert {tree.codes[k] for k in brief.near(tree, "P")} == {"P", "C", "K", "K2"}
    assert {tree.codes[k] for k in brief.near(tree, "K")} == {"K", "T", "S1", "S2"}
    assert ws.tree() is tree  # loaded once while the store is unchanged
    add_submission(ws, "S2", 2018, {"legal_lessons": 1})
    assert ws.tree() is not tree


def _finding(f):
    return (f.severity, f.code, f.message, f.file, f.sheet, f.cell, sorted((k, repr(v)) for k, v in f.extra.items()))


def test_a_brief_check_is_the_listing_of_the_full_one_without_building_the_rest(tmp_path, monkeypatch):
    """check's default on a province: the 提醒 below the counties are counted as the full check's
    listing counts them (same types, same order, the per-type limit the same), never built."""
    import gwstats.analysis.checks as checks
    from gwstats.core.errors import Finding

    ws = make_ws(tmp_path, UNITS + [("S3", "三小", "T"), ("T2", "戊镇", "K2"), ("S4", "四小", "T2")])
    for unit, k in (("S1", 1), ("S2", 2), ("S3", 3), ("S4", 4), ("K", 5), ("T", 6)):
        add_submission(ws, unit, 2017, {"legal_audience": 1000 * k, "wulao_volunteers": 10})
        add_submission(ws, unit, 2018, {"legal_audience": 4000 * k, "wulao_volunteers": 10, "wulao_core": 10 + (unit == "S3"),
                                        "donations": "35.6", "donations_social": "20.4", "donations_wulao": "15.1",
                                        "legal_events": 2})
    add_submission(ws, "S2", 2018, {"legal_lessons": 3})  # S2's 汇总-less second return: more to count
    monkeypatch.setattr(brief, "BIG_UNITS", 3)
    monkeypatch.setattr(checks, "MAX_PER_TYPE", 4)  # some types beyond the limit: "truncated" findings
    full = checks.run_checks(ws, 2018)
    kept, left = brief.check_findings(full.findings, ws.tree(), full.root)
    built = []
    real_init = Finding.__init__
    monkeypatch.setattr(Finding, "__init__", lambda self, *a, **k: built.append(1) or real_init(self, *a, **k))
    short = checks.run_checks(ws, 2018, brief=True)
    assert [_finding(f) for f in short.findings] == [_finding(f) for f in kept]
    assert list(short.left_out.items()) == list(left.items()) and sum(left.values()) >= 5 and len(left) >= 3
    assert any(f.code == "truncated" for f in kept) and any(f.severity == "error" and f.extra["unit"] == "S3" for f in kept)
    for severity in ("error", "warning", "info"):
        assert short.count(severity) == full.count(severity)
    assert short.summary_line() == full.summary_line() and short.has_errors
    assert len(built) == len(kept)  # the 提醒 left out were never built
    r = CliRunner().invoke(app, ["check", "-w", str(ws.root), "--year", "2018"])
    assert brief.left_out_line(left) in r.output and full.summary_line() in r.output
    small = checks.run_checks(ws, 2018, unit="K2", brief=True)  # a county of 3 units: listed in full
    assert small.left_out is None and [_finding(f) for f in small.findings] == [
        _finding(f) for f in checks.run_checks(ws, 2018, unit="K2").findings]

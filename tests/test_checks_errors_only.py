"""The publishing gate's errors-only check finds exactly the errors of the full check (same findings,
same order, same cells), on the bundled samples and on a store with errors, warnings and truncation."""

import pytest

from store_builders import add_submission, make_ws


def _key(f):
    return (f.severity, f.code, f.message, f.file, f.sheet, f.cell, sorted((k, str(v)) for k, v in f.extra.items()))


def _both(ws, year, unit=None):
    from gwstats.analysis.checks import run_checks

    full = run_checks(ws, year, unit=unit)
    errs = run_checks(ws, year, unit=unit, errors_only=True)
    assert all(f.severity == "error" for f in errs.findings)
    assert [_key(f) for f in errs.findings] == [_key(f) for f in full.findings if f.severity == "error"]
    assert errs.has_returns == full.has_returns and errs.root == full.root
    return full, errs


def test_samples_errors_only_equals_full(demo_run):
    from gwstats.workspace import Workspace

    result, _ = demo_run
    for run in result.runs:
        ws = Workspace(run.workspace)
        for year in run.years:
            _both(ws, year)


@pytest.mark.parametrize("cap", [None, 2])
def test_store_with_errors_errors_only_equals_full(tmp_path, monkeypatch, cap):
    import gwstats.analysis.checks as checks

    ws = make_ws(tmp_path)
    if cap:  # 提醒 and errors of one type ("rule") past the listing limit, the 提醒 first: the same errors
        monkeypatch.setattr(checks, "MAX_PER_TYPE", cap)  # listed and the same ones counted as left out
        ws.catalog.rules.sort(key=lambda r: r.severity != "warning")
    for u in ("A1", "A2", "B1", "B2", "D"):
        add_submission(ws, u, 2017, {"legal_audience": 1000, "donations": "1"})
    # A1: a rule error; A2: a 提醒 rule (parts short of the total) before B1's error of the same type;
    # B1: 其中 over its total; B2: 元 written into 万元 (magnitude); D: a year-over-year jump (提醒)
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10, "wulao_core": 12, "legal_audience": 3000})
    add_submission(ws, "A2", 2018, {"donations": "40", "donations_social": "20", "donations_wulao": "10"})
    add_submission(ws, "B1", 2018, {"wulao_volunteers": 10, "wulao_core": 12,
                                    "donations": "35.6", "donations_social": "30", "donations_wulao": "15.2"})
    add_submission(ws, "B2", 2018, {"donations": "80000", "rate_wulao_core": 29, "wulao_volunteers": 2503,
                                    "wulao_core": 802}, raws={"rate_wulao_core": "29%"})
    add_submission(ws, "D", 2018, {"wulao_volunteers": 10, "wulao_core": 12, "legal_audience": 3000})
    full, errs = _both(ws, 2018)
    assert errs.findings and any(f.severity == "warning" for f in full.findings)
    if cap:
        assert [f.extra["omitted"] for f in errs.findings if f.code == "truncated" and f.extra["type"] == "rule"] == [2]
    _both(ws, 2018, unit="A")
    # the workspace answers the gate from a kept full check, else from its own errors-only run
    assert [_key(f) for f in ws.check(2018, errors_only=True).findings] == [_key(f) for f in errs.findings]
    kept_full = ws.check(2018)
    assert [_key(f) for f in ws.check(2018, errors_only=True).findings] == [
        _key(f) for f in kept_full.findings if f.severity == "error"]


def test_errors_only_check_builds_no_comparable_basis(tmp_path, monkeypatch):
    """The gate reads last year's frame (the money screen) but never the comparable basis: it is not
    built, and the errors are still the full check's (those of last year's figures included)."""
    import gwstats.analysis.rollup as rollup_mod

    ws = make_ws(tmp_path)
    add_submission(ws, "B2", 2017, {"donations": "1"})
    add_submission(ws, "B2", 2018, {"donations": "80000"})  # 元 written into 万元: an error against 2017
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10, "wulao_core": 12})
    real = rollup_mod.comparable
    calls = []
    monkeypatch.setattr(rollup_mod, "comparable", lambda *a, **k: calls.append(1) or real(*a, **k))
    from gwstats.analysis.checks import run_checks

    errs = run_checks(ws, 2018, errors_only=True)
    assert calls == []
    assert any(f.code == "magnitude" and "2017 年" in f.message for f in errs.findings)
    full = run_checks(ws, 2018)  # after it in the same workspace: its own rollup, with the basis
    assert calls == [1]
    assert [_key(f) for f in errs.findings] == [_key(f) for f in full.findings if f.severity == "error"]

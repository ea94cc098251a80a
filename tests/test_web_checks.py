"""校验 on a province: by default every error and the 提醒 of the units down to the counties, from the
brief check (the rest counted, never built); a search or 显示全部 reaches every finding."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from store_builders import add_submission, make_ws  # noqa: E402
from web_helpers import client  # noqa: E402

UNITS = [("P", "省", None), ("C", "甲市", "P"), ("K", "乙县", "C"), ("T", "丙镇", "K"),
         ("S1", "一小", "T"), ("S2", "二小", "T"), ("K2", "丁县", "C")]


def test_the_default_view_of_a_province_comes_from_the_brief_check(tmp_path, monkeypatch):
    import gwstats.analysis.brief as brief
    import gwstats.analysis.checks as checks

    ws = make_ws(tmp_path, UNITS)
    for unit, k in (("S1", 1), ("S2", 2), ("K", 3), ("T", 4)):
        add_submission(ws, unit, 2017, {"legal_audience": 1000 * k})
        add_submission(ws, unit, 2018, {"legal_audience": 4000 * k, "wulao_volunteers": 10, "wulao_core": 10 + (unit == "S1")})
    monkeypatch.setattr(brief, "BIG_UNITS", 3)
    full = checks.run_checks(ws, 2018)
    kept, left = brief.check_findings(full.findings, ws.tree(), full.root)
    assert left and any(f.extra["unit"] == "S1" and f.severity == "error" for f in kept)
    runs = []
    real = checks.run_checks
    monkeypatch.setattr(checks, "run_checks", lambda *a, **k: runs.append(k.get("brief")) or real(*a, **k))
    import gwstats.web.pages as pages

    monkeypatch.setattr(pages.WebApp, "warm", lambda self: None)  # the page on its own (test_web_warm.py: with it)
    c = client(ws)
    first = c.get("/checks?year=2018").text  # not checked yet: the page at once, the findings to follow
    assert runs == [] and "正在校验……" in first and 'data-later="/checks?year=2018&amp;wait=1"' in first
    page = c.get("/checks?year=2018&wait=1").text
    assert runs == [True]
    assert full.summary_line() in page
    for f in kept:
        assert f.message in page
    for f in full.findings:
        if f not in kept:
            assert f.message not in page
    shown = "、".join(f"{name} {n:,} 条" for name, n in sorted(left.items(), key=lambda kv: -kv[1]))
    assert shown in page
    everything = c.get("/checks?year=2018&all=1").text
    assert runs == [True, False] and all(f.message in everything for f in full.findings)
    assert len(re.findall(r"<tr", everything)) > len(re.findall(r"<tr", page))

"""The warm-up (web/warm.py): on a big hierarchy the server computes what the pages keep in the background
when it starts and after every write; a page that needs it meanwhile answers at once with a placeholder
(汇总, 校验) or waits for that same computation (``?wait=1``, web/kept.py)."""

from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from store_builders import add_submission, make_ws  # noqa: E402
from web_helpers import client  # noqa: E402


@pytest.fixture
def province(tmp_path, monkeypatch):
    """A workspace whose five units count as a province, the rollup of 2018 held on an Event, and the
    computations counted: (rollup totals of 2018, checks)."""
    import gwstats.analysis.brief as brief
    import gwstats.analysis.checks as checks
    import gwstats.analysis.rollup as rollup

    ws = make_ws(tmp_path)
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10, "wulao_core": 12})  # an error
    monkeypatch.setattr(brief, "BIG_UNITS", 2)
    hold = threading.Event()
    totals, runs = [], []
    real_totals, real_checks = rollup.year_totals, checks.run_checks

    def held(store, tree, catalog, year, *a, **k):
        totals.append(year)
        assert hold.wait(60)
        return real_totals(store, tree, catalog, year, *a, **k)

    monkeypatch.setattr(rollup, "year_totals", held)
    monkeypatch.setattr(checks, "run_checks", lambda *a, **k: runs.append(k.get("brief")) or real_checks(*a, **k))
    return ws, hold, totals, runs


def _until(cond, seconds=30):
    deadline = time.monotonic() + seconds
    while not cond():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.01)


def test_the_pages_answer_at_once_while_the_warm_up_sums_up_and_then_read_its_result(province):
    ws, hold, totals, runs = province
    c = client(ws)  # the server starts: the warm-up begins and is held in the rollup
    web = c.app.state.web
    _until(lambda: totals == [2018])
    page = c.get("/rollup?year=2018").text
    assert "正在汇总……" in page and 'data-later="/rollup?year=2018&amp;wait=1"' in page
    assert '<script src="/static/later.js"></script>' in page and 'id="rollup"' not in page
    assert '<noscript><p><a href="/rollup?year=2018&amp;wait=1">' in page  # without JavaScript: the page that waits
    checks = c.get("/checks?year=2018").text
    assert "正在校验……" in checks and 'data-later="/checks?year=2018&amp;wait=1"' in checks and runs == []
    overview = c.get("/?year=2018").text  # status and recent files kept before the rollup: the page, counts to follow
    assert "正在统计报送情况" not in overview and "应报" in overview and "data-checks-later" in overview

    answers = {}
    waiting = threading.Thread(target=lambda: answers.update(page=c.get("/rollup?year=2018&wait=1").text))
    waiting.start()  # the page that waits: it joins the warm-up's computation
    time.sleep(0.3)
    assert totals == [2018] and "page" not in answers
    hold.set()
    waiting.join(60)
    assert 'id="page-body"' in answers["page"] and 'id="rollup"' in answers["page"] and "正在汇总" not in answers["page"]
    web._warming.result(60)
    assert totals == [2018] and runs == [True] and web.warm_runs == 1  # one rollup, one (brief) check
    again = c.get("/rollup?year=2018").text  # kept: the table at once
    assert 'id="rollup"' in again and "data-later" not in again and "later.js" not in again
    checks = c.get("/checks?year=2018").text
    assert "data-later" not in checks and "甲县一站：" in checks
    assert runs == [True]
    overview = c.get("/").text  # 概览's counts kept too: no script, no second check
    assert "data-checks-later" not in overview and runs == [True] and totals == [2018]


def test_a_write_warms_the_pages_again(province):
    ws, hold, totals, runs = province
    hold.set()
    c = client(ws)
    web = c.app.state.web
    _until(lambda: web._warming is not None and web._warming.done() and runs == [True])
    assert web.warm_runs == 1
    _at_once(c, 6)  # every reader thread has looked at the store
    web.submit_write(lambda w: add_submission(w, "B1", 2018, {"wulao_volunteers": 10, "wulao_core": 13})).result(60)
    _until(lambda: runs == [True, True])
    web._warming.result(60)
    assert web.warm_runs == 2 and totals == [2018, 2018]
    for checks in _at_once(c, 6):  # each reader thread's first look after the write keeps the warm-up's values
        assert "data-later" not in checks and "乙县一站：" in checks
    assert runs == [True, True]


def _at_once(c, n):
    """``n`` requests of 校验 at the same time: served by every reader thread."""
    answers = [None] * n

    def get(i):
        answers[i] = c.get("/checks?year=2018").text

    threads = [threading.Thread(target=get, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return answers


def test_a_small_hierarchy_is_not_warmed(tmp_path, monkeypatch):
    import gwstats.analysis.checks as checks

    ws = make_ws(tmp_path)
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10, "wulao_core": 12})
    runs = []
    real = checks.run_checks
    monkeypatch.setattr(checks, "run_checks", lambda *a, **k: runs.append(1) or real(*a, **k))
    c = client(ws)
    c.app.state.web._warming.result(60)
    assert runs == []
    page = c.get("/rollup?year=2018").text  # a city: the table in the page, no placeholder
    assert 'id="rollup"' in page and "data-later" not in page

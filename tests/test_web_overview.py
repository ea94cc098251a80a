"""概览's check counts on a big hierarchy: the page comes at once, the counts follow (?part=checks,
static/overview.js) and are the check's own; a small hierarchy, or a check already kept, shows them in
the page as before."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from store_builders import add_submission, make_ws  # noqa: E402
from web_helpers import client  # noqa: E402

TILES = re.compile(r'<div class="num">([^<]+)</div><div>([^<]+)</div>')


def _tiles(html: str) -> dict:
    return {label: n for n, label in TILES.findall(html)}


@pytest.fixture
def counted(monkeypatch):
    import gwstats.analysis.checks as checks

    runs = []
    real = checks.run_checks
    monkeypatch.setattr(checks, "run_checks", lambda *a, **k: runs.append(k.get("errors_only")) or real(*a, **k))
    return runs


def test_a_big_hierarchy_gets_the_page_first_and_the_check_counts_after(tmp_path, monkeypatch, counted):
    import gwstats.analysis.brief as brief

    ws = make_ws(tmp_path)
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10, "wulao_core": 12})  # 五老骨干 > 五老志愿者: an error
    monkeypatch.setattr(brief, "BIG_UNITS", 2)  # the five units of the test list count as a province
    import gwstats.web.pages as pages

    monkeypatch.setattr(pages.WebApp, "warm", lambda self: None)  # the page on its own (test_web_warm.py: with it)
    c = client(ws)
    first = c.get("/?year=2018").text  # status not counted yet: the page at once, its content to follow
    assert "正在统计报送情况……" in first and 'data-later="/?year=2018&amp;wait=1"' in first
    assert '<script src="/static/later.js"></script><script src="/static/overview.js"></script>' in first
    page = c.get("/?year=2018&wait=1").text
    assert counted == []  # no check for the page itself
    tiles = _tiles(page)
    assert tiles["校验错误（正在校验）"] == "…" and tiles["校验提醒（正在校验）"] == "…" and "应报" in tiles
    assert 'data-checks-later="/?year=2018&amp;part=checks"' in page and '<script src="/static/overview.js">' in page
    assert "正在校验，稍后显示错误和提醒的处数" in page

    part = c.get("/?year=2018&part=checks")
    assert len(counted) == 1  # the brief check, kept for the next 概览
    res = ws.check(2018)  # the full check, the test's own (its workspace keeps nothing of the page's)
    counted.clear()
    assert res.count("error") == 3  # A1's own figures, its town's and the city's totals
    tiles = _tiles(part.text)
    assert tiles == {"校验错误": str(res.count("error")), "校验提醒": str(res.count("warning"))}
    assert f'id="check-step"><a href="/checks?year=2018" id="next-checks">数据核查</a>：3 处错误、' in part.text
    assert "<html" not in part.text and "data-checks-later" not in part.text

    again = c.get("/?year=2018").text
    assert _tiles(again)["校验错误"] == "3" and "overview.js" not in again and "data-checks-later" not in again
    assert counted == []


def test_a_province_answers_its_first_visit_without_building_the_tree(tmp_path, monkeypatch):
    """Whether the list is a province's is counted, not read from the tree (0.5 s of a province's
    100,000 units): the placeholders of 概览, 汇总 and 校验 come without a tree built."""
    import gwstats.analysis.brief as brief
    import gwstats.analysis.tree as tree
    import gwstats.web.pages as pages

    ws = make_ws(tmp_path)
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10})
    monkeypatch.setattr(brief, "BIG_UNITS", 2)
    monkeypatch.setattr(pages.WebApp, "warm", lambda self: None)
    built = []
    real = tree.load_tree
    monkeypatch.setattr(tree, "load_tree", lambda store: built.append(1) or real(store))
    c = client(ws)
    for url, words in (("/?year=2018", "正在统计报送情况……"), ("/rollup?year=2018", "正在汇总……"),
                       ("/checks?year=2018", "正在校验……")):
        assert words in c.get(url).text, url
    assert built == []
    assert "应报" in c.get("/?year=2018&wait=1").text and built == [1]  # the content, when asked for


def test_a_small_hierarchy_shows_the_counts_in_the_page(tmp_path, counted):
    ws = make_ws(tmp_path)
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10, "wulao_core": 12})
    page = client(ws).get("/?year=2018").text
    assert _tiles(page)["校验错误"] == "3" and "overview.js" not in page and counted == [False]
    assert "data-checks-later" not in page and "正在校验" not in page


def test_the_script_puts_the_counts_in_place(tmp_path, monkeypatch):
    """overview.js in chromium: the placeholders become the counts of the answer to ?part=checks."""
    from test_web_browser import _chrome, _need_browser, _wait

    _need_browser()
    import threading
    import time

    import uvicorn
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    import gwstats.analysis.brief as brief
    from gwstats.web.app import make_app
    from test_web_browser import _free_port

    ws = make_ws(tmp_path / "ws")
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10, "wulao_core": 12})
    monkeypatch.setattr(brief, "BIG_UNITS", 2)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(make_app(ws.root, allowed_hosts=["127.0.0.1"]), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    driver = _chrome(tmp_path, 1200, 900)
    try:
        driver.get(f"http://127.0.0.1:{port}/?year=2018")
        _wait(driver, "#check-errors")
        WebDriverWait(driver, 60).until(lambda d: d.find_element(By.CSS_SELECTOR, "#check-errors .num").text == "3")
        assert "校验错误" == driver.find_element(By.CSS_SELECTOR, "#check-errors div:last-child").text
        assert "3 处错误" in driver.find_element(By.ID, "check-step").text
        assert not driver.find_elements(By.CSS_SELECTOR, "[data-checks-later]")
    finally:
        driver.quit()
        srv.should_exit = True
        thread.join(10)


def test_the_pages_know_the_unit_list_is_there_from_the_tree(tmp_path, monkeypatch):
    """概览 and 校验 ask the kept tree whether there is a unit list, never load every unit for it (a
    province's 100,000: 0.5 s); without one they say so as before."""
    from gwstats.store.db import Store

    ws = make_ws(tmp_path / "a")
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10})
    loads = []
    real = Store.load_units
    monkeypatch.setattr(Store, "load_units", lambda self: loads.append(1) or real(self))
    c = client(ws)
    assert "应报" in c.get("/?year=2018").text and "校验" in c.get("/checks?year=2018").text
    assert loads == []
    from gwstats import Workspace

    empty = Workspace.init(tmp_path / "b", name="测试市关工委", year=2018)
    assert "工作区还没有单位名单" in client(empty).get("/?year=2018").text

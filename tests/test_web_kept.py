"""The pages keep a Workspace per reader thread while the store and the settings files are unchanged
(pages.WebApp), and long lists are paged and searchable (web/paging.py)."""

from __future__ import annotations

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from store_builders import add_submission, make_ws  # noqa: E402
from web_helpers import client  # noqa: E402


def _one_reader(ws):
    c = client(ws)
    web = c.app.state.web
    web.readers.shutdown(wait=True)  # one reader thread: every read lands on the same kept Workspace
    from concurrent.futures import ThreadPoolExecutor

    web.readers = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gwstats-read")
    return c


def test_check_is_kept_across_requests_and_dropped_when_the_store_changes(tmp_path, monkeypatch):
    import gwstats.analysis.checks as checks

    ws = make_ws(tmp_path)
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10, "wulao_core": 12})
    runs = []
    real = checks.run_checks
    monkeypatch.setattr(checks, "run_checks", lambda *a, **k: runs.append(1) or real(*a, **k))
    c = _one_reader(ws)
    first = c.get("/checks?year=2018&severity=error").text
    c.get("/checks?year=2018&severity=error")
    c.get("/?year=2018")
    assert len(runs) == 1 and "甲县一站：" in first and "乙县一站：" not in first
    add_submission(ws, "B1", 2018, {"wulao_volunteers": 10, "wulao_core": 13})  # another connection commits
    again = c.get("/checks?year=2018&severity=error").text
    assert len(runs) == 2 and "乙县一站：" in again


def test_an_edited_settings_file_is_seen_at_once(tmp_path):
    ws = make_ws(tmp_path)
    c = _one_reader(ws)
    assert "测试市关工委" in c.get("/").text
    cfg = ws.root / "gwstats.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("测试市关工委", "改名市关工委"), encoding="utf-8")
    assert "改名市关工委" in c.get("/").text


def test_findings_are_paged_and_searchable(tmp_path, monkeypatch):
    import gwstats.web.paging as paging

    monkeypatch.setattr(paging, "PER_PAGE", 2)
    monkeypatch.setattr(paging.paged, "__defaults__", (2,))
    ws = make_ws(tmp_path)
    for u in ("A1", "A2", "B1", "B2", "D"):
        add_submission(ws, u, 2018, {"wulao_volunteers": 10, "wulao_core": 12})
    c = client(ws)
    p1 = c.get("/checks?year=2018&severity=error").text
    assert "共 " in p1 and "下一页" in p1 and "上一页" not in p1
    p2 = c.get("/checks?year=2018&severity=error&page=2").text
    assert "上一页" in p2 and p1 != p2
    found = c.get("/checks?year=2018&q=乙县二站").text
    assert "乙县二站：" in found and "甲县一站：" not in found
    none = c.get("/checks?year=2018&q=没有这个单位").text
    assert "没有符合条件的校验结果" in none


def test_overview_names_a_few_units_of_a_file_and_pages_the_chase_list(tmp_path, monkeypatch):
    import gwstats.web.paging as paging
    from gwstats.web.views.overview import _few

    monkeypatch.setattr(paging.paged, "__defaults__", (2,))
    assert _few("、".join(f"单位{i}" for i in range(8))) == "单位0、单位1、单位2、单位3、单位4 等 8 个单位"
    ws = make_ws(tmp_path)
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10})
    c = client(ws)
    page = c.get("/?year=2018").text
    assert "下一页" in page
    assert "乙县二站" in c.get("/?year=2018&q=乙县二站").text
    assert "没有符合条件的未报单位" in c.get("/?year=2018&q=没有这个单位").text


def test_reader_threads_share_what_they_keep_and_never_a_stale_one(tmp_path, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    import gwstats.analysis.checks as checks
    from gwstats.web.kept import ReaderWorkspace, SharedKept

    ws = make_ws(tmp_path)
    add_submission(ws, "A1", 2018, {"wulao_volunteers": 10, "wulao_core": 12})
    runs = []
    real = checks.run_checks
    monkeypatch.setattr(checks, "run_checks", lambda *a, **k: runs.append(1) or real(*a, **k))
    shared = SharedKept()
    held = []

    def errors_on_a_new_thread():  # a thread of its own, its own connection, the shared values
        def go():  # left open like a reader thread's (closing checkpoints the store: its files move)
            r = ReaderWorkspace(ws.root, shared)
            held.append(r)
            return sorted(f.extra["unit"] for f in r.check(2018).findings if f.code == "rule")
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(go).result()

    assert errors_on_a_new_thread() == ["A1"] and errors_on_a_new_thread() == ["A1"] and len(runs) == 1
    add_submission(ws, "B1", 2018, {"wulao_volunteers": 10, "wulao_core": 13})  # committed meanwhile
    assert errors_on_a_new_thread() == ["A1", "B1"] and len(runs) == 2

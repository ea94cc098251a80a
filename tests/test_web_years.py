"""封账/解锁 beside the year's figures on 概览; a unit's 报送记录 with 恢复为此版本 beside earlier versions."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("starlette")

from web_helpers import client, close_clients, csrf_token, sample_workspace  # noqa: E402

CSV = "2020年度关心下一代工作统计表（城东街道）.csv"


@pytest.fixture(autouse=True)
def _closed_after_each_test():
    yield
    close_clients()


@pytest.fixture
def ws(tmp_path):
    ws, inputs = sample_workspace(tmp_path)
    ws.import_paths([inputs / "2020"])
    second = tmp_path / "改后" / CSV
    second.parent.mkdir()
    text = (inputs / "2020" / CSV).read_bytes().decode("gb18030")
    second.write_bytes(text.replace(",人,112,", ",人,150,").encode("gb18030"))
    rep = ws.import_paths([second])
    assert not rep.has_rejections
    return ws


def _code(ws):
    return ws.resolve_unit("城东街道")


def test_lock_and_unlock_from_the_overview(ws):
    c = client(ws)
    page = c.get("/?year=2020").text
    assert 'id="lock-year"' in page
    r = c.post("/year/lock", data={"csrftoken": csrf_token(c, "/?year=2020"), "year": "2020"}, follow_redirects=False)
    assert r.status_code == 303 and 2020 in ws.store.locked_years()
    page = c.get("/?year=2020").text
    assert 'id="unlock-year"' in page and "封账" in page
    c.post("/year/unlock", data={"csrftoken": csrf_token(c, "/?year=2020"), "year": "2020"})
    assert not ws.store.locked_years()


def test_history_and_revert_in_the_page(ws):
    code = _code(ws)
    c = client(ws)
    assert f"/history?unit={code}&amp;year=2020" in c.get("/units?year=2020").text
    page = c.get(f"/history?unit={code}&year=2020").text
    assert 'id="versions"' in page and "112" in page and "150" in page  # the change between the versions
    button = re.search(r'id="revert-(\S+)-1"', page)
    assert button and 'id="revert-' not in page.replace(button.group(0), "")  # only the earlier version
    r = c.post("/history/revert", data={"csrftoken": csrf_token(c, f"/history?unit={code}&year=2020"), "unit": code,
                                        "year": "2020", "scope": button.group(1), "to": "1"}, follow_redirects=False)
    assert r.status_code == 303
    page = c.get(r.headers["location"]).text
    assert "已恢复为第 1 版" in page
    versions = ws.history(code, 2020).versions
    assert len(versions) == 3 and versions[-1].in_force and "恢复为第 1 版" in versions[-1].note


def test_a_locked_year_has_no_revert_button_and_refuses_one(ws):
    code = _code(ws)
    ws.lock_year(2020)
    c = client(ws)
    page = c.get(f"/history?unit={code}&year=2020").text
    assert 'id="revert-' not in page and "请先在概览页解锁" in page
    r = c.post("/history/revert", data={"csrftoken": csrf_token(c, "/units"), "unit": code,
                                        "year": "2020", "scope": "本级", "to": "1"})
    assert r.status_code == 400 and "封账" in r.text


def test_lock_unlock_and_revert_record_the_colleague_logged_in(ws):
    """With a password, the page records the colleague's login name (not the server's account) for the
    lock, the reverted version and in 导入记录 for all three."""
    import getpass

    code = _code(ws)
    c = client(ws, password="口令123")
    r = c.post("/login", data={"csrftoken": csrf_token(c, "/login"), "name": "王芳", "password": "口令123", "next": "/"},
               follow_redirects=False)
    assert r.status_code == 303
    c.post("/year/lock", data={"csrftoken": csrf_token(c, "/?year=2020"), "year": "2020"})
    assert ws.store.locked_years()[2020][0] == "王芳"
    assert "由 王芳" in c.get("/?year=2020").text
    c.post("/year/unlock", data={"csrftoken": csrf_token(c, "/?year=2020"), "year": "2020"})
    assert not ws.store.locked_years()
    c.post("/history/revert", data={"csrftoken": csrf_token(c, f"/history?unit={code}&year=2020"), "unit": code,
                                    "year": "2020", "scope": "本级", "to": "1"})
    versions = ws.history(code, 2020).versions
    assert versions[-1].imported_by == "王芳" and versions[0].imported_by == getpass.getuser()
    page = c.get(f"/history?unit={code}&year=2020").text
    assert "<th>经办人</th>" in page and "<td>王芳</td>" in page
    log = c.get("/import/log").text
    for what in ("· 王芳", "2020 年度封账", "解除封账（2020 年度已于", "恢复为第 1 版"):
        assert what in log, what
    assert log.count("· 王芳") == 3


def test_the_library_default_is_this_computers_account(ws):
    import getpass

    ws.lock_year(2020)
    assert ws.store.locked_years()[2020][0] == getpass.getuser()
    ws.unlock_year(2020, by="李强")
    assert ws.import_log(1)[0]["by"] == "李强"

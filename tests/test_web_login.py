"""Login on a shared (LAN) page: a form with the colleague's name and the password, a random session id
in an HttpOnly SameSite=Strict cookie, kept in the server's memory; 退出; wrong passwords limited per
address; the name recorded with every import. Without a password (127.0.0.1) no login at all."""

import re
import time

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from web_helpers import client, csrf_token, sample_workspace, upload_files  # noqa: E402

PASSWORD = "口令123"


@pytest.fixture
def fresh(tmp_path):
    return sample_workspace(tmp_path)


def login(c, name="张敏", password=PASSWORD, next_="/"):
    token = csrf_token(c, "/login")
    return c.post("/login", data={"csrftoken": token, "name": name, "password": password, "next": next_},
                  follow_redirects=False)


def test_a_session_cookie_not_the_password(fresh):
    ws, _ = fresh
    c = client(ws, password=PASSWORD)
    r = login(c)
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("gwstats_session=") and "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    sid = c.cookies.get("gwstats_session")
    assert len(sid) >= 40 and PASSWORD not in sid
    page = c.get("/units")
    assert page.status_code == 200 and "已登录：张敏" in page.text
    # another login gets another id: the id is random, not derived from the password
    other = TestClient(c.app, client=("192.168.1.9", 50001))
    assert login(other).status_code == 303 and other.cookies.get("gwstats_session") != sid
    # a forged or guessed id logs nobody in; nor does the password in the address
    stranger = TestClient(c.app, client=("192.168.1.10", 50002))
    stranger.cookies.set("gwstats_session", "x" * 43)
    assert stranger.get("/units", follow_redirects=False).status_code == 303
    assert stranger.get(f"/units?token={PASSWORD}", follow_redirects=False).status_code == 303
    # 退出 ends the session on the server: the old id, sent again, no longer works
    r = c.post("/logout", data={"csrftoken": csrf_token(c, "/units")}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    replay = TestClient(c.app, client=("192.168.1.11", 50003))
    replay.cookies.set("gwstats_session", sid)
    assert replay.get("/units", follow_redirects=False).status_code == 303
    assert other.get("/units").status_code == 200  # the colleague's session goes on


def test_a_name_is_asked_for(fresh):
    ws, _ = fresh
    c = client(ws, password=PASSWORD)
    r = login(c, name="  ")
    assert r.status_code == 400 and "请填写您的姓名" in r.text
    assert c.get("/units", follow_redirects=False).status_code == 303


def test_wrong_passwords_are_limited(fresh):
    ws, _ = fresh
    c = client(ws, password=PASSWORD)
    throttle = c.app.state.throttle
    now = [1000.0]
    throttle.clock = lambda: now[0]
    for _ in range(4):
        r = login(c, password="猜的")
        assert r.status_code == 403 and "口令不对" in r.text
    r = login(c, password="猜的")  # the fifth wrong try: a minute's wait
    assert r.status_code == 429 and "口令输错的次数太多，请 60 秒后再试" in r.text
    # while waiting even the right password is not tried
    r = login(c)
    assert r.status_code == 429 and "口令输错的次数太多" in r.text
    assert c.get("/units", follow_redirects=False).status_code == 303
    # a colleague at another address is not held up
    other = TestClient(c.app, client=("192.168.1.9", 50001))
    assert login(other).status_code == 303
    # the wait over, one more wrong try doubles it; then the right password works
    now[0] += 61
    r = login(c, password="又猜的")
    assert r.status_code == 429 and "请 2 分钟后再试" in r.text
    now[0] += 121
    assert login(c).status_code == 303 and c.get("/units").status_code == 200
    # 30 quick tries (all went through before): 5 tried, the rest refused without trying
    c2 = TestClient(c.app, client=("192.168.1.20", 50004))
    codes = [login(c2, password=f"试{i}").status_code for i in range(30)]
    assert codes == [403] * 4 + [429] * 26


def test_each_import_records_who_imported_it(fresh):
    ws, inputs = fresh
    c = client(ws, password=PASSWORD)
    assert login(c, name="王丽").status_code == 303
    token = csrf_token(c)
    files = sorted((inputs / "2020").iterdir())[:2]
    r = c.post("/import", data={"csrftoken": token}, files=upload_files(files))
    batch = re.search(r'name="batch" value="([0-9a-f]{16})"', r.text).group(1)
    r = c.post("/import/confirm", data={"csrftoken": token, "batch": batch})
    assert r.status_code == 200 and "导入结果" in r.text
    by = {row[0] for row in ws.store.conn.execute("SELECT imported_by FROM files").fetchall()}
    assert by == {"王丽"}
    log = c.get("/import/log").text
    assert re.search(r"<h2>[^<]*· 王丽</h2>", log), log
    assert "<td>王丽</td>" in c.get("/?year=2020").text  # 最近导入的文件: 导入人


def test_no_password_no_login(fresh):
    """127.0.0.1 without a password: as easy as before, every page at once, no 退出 button."""
    ws, _ = fresh
    c = client(ws)
    r = c.get("/units", follow_redirects=False)
    assert r.status_code == 200 and 'id="logout"' not in r.text and "gwstats_session" not in r.headers.get("set-cookie", "")

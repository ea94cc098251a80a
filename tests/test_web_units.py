"""单位 page: one change at a time through Workspace.edit_units, with errors and the year lock shown."""

from __future__ import annotations

import pytest

pytest.importorskip("starlette")

from web_helpers import client, close_clients, csrf_token, sample_workspace  # noqa: E402


@pytest.fixture(autouse=True)
def _closed_after_each_test():
    yield
    close_clients()


@pytest.fixture
def ws(tmp_path):
    return sample_workspace(tmp_path)[0]


def _post(c, **data):
    return c.post("/units", data={"csrftoken": csrf_token(c, "/units"), "shown_year": "2020", **data}, follow_redirects=False)


def test_the_page_adds_renames_moves_and_stops(ws):
    c = client(ws)
    page = c.get("/units?year=2020").text
    assert 'id="unit-add"' in page and 'id="unit-stop"' in page
    r = _post(c, action="add", code="JA99", name="新区关工委", parent="JA", year="2021")
    assert r.status_code == 303 and r.headers["location"] == "/units?year=2020&done=add&code=JA99"
    assert "已新增：新区关工委[JA99]" in c.get(r.headers["location"]).text
    assert _post(c, action="rename", code="JA99", name="开发区关工委").status_code == 303
    assert _post(c, action="move", code="JA99", parent="JA02").status_code == 303
    assert _post(c, action="stop", code="JA01", year="2020").status_code == 303
    units = {u.code: u for u in ws.store.load_units()}
    assert units["JA99"].name == "开发区关工委" and units["JA99"].parent == "JA02" and units["JA01"].active_to == 2020
    page = c.get("/units?year=2021").text
    assert "开发区关工委" in page


def test_an_error_is_shown_on_the_page(ws):
    c = client(ws)
    r = _post(c, action="move", code="JA", parent="JA01")
    assert r.status_code == 400 and "成环" in r.text and "未保存" in r.text


def test_a_locked_year_refuses_the_change(ws):
    ws.lock_year(2020)
    c = client(ws)
    r = _post(c, action="rename", code="JA01", name="台上镇关心下一代工作委员会")
    assert r.status_code == 400 and "这次修改会改变该年度的单位" in r.text
    assert {u.code: u for u in ws.store.load_units()}["JA01"].name == "台上镇关工委"


def test_the_message_comes_from_known_actions_only(ws):
    c = client(ws)
    assert "假消息" not in c.get("/units?done=假消息&code=JA01").text
    assert "已停用：台上镇关工委[JA01]" in c.get("/units?done=stop&code=JA01").text

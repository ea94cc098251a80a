"""Small faults of the page (issue 22): 校验 without units, ?notice= text, /file/<huge number>."""

from __future__ import annotations

import pytest

pytest.importorskip("starlette")

from web_helpers import client, close_clients  # noqa: E402

from gwstats import Workspace  # noqa: E402


@pytest.fixture(autouse=True)
def _closed_after_each_test():
    yield
    close_clients()


def test_faults(tmp_path):
    ws = Workspace.init(tmp_path / "ws", name="集安市关工委", year=2020)
    c = client(ws)
    r = c.get("/checks?year=2020")
    assert r.status_code == 200 and "IndexError" not in r.text and "还没有单位名单" in r.text
    assert "骗人的消息" not in c.get("/outputs?year=2020&notice=骗人的消息").text
    r = c.get("/file/99999999999999999999999")
    assert r.status_code == 400 and "没有编号为" in r.text

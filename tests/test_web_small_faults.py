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


def test_overview_and_templates_count_the_same_units(tmp_path):
    """应报 on 概览 and 模板's count are one number: the units that report to this workspace, not its
    own organisation (the root reports upward with export --as-return), which 模板 used to count too."""
    import re

    from web_helpers import sample_workspace

    ws, _ = sample_workspace(tmp_path / "s")
    c = client(ws)
    overview = c.get("/?year=2020").text
    expected = int(re.search(r'<div class="num">(\d+)</div><div>应报</div>', overview).group(1))
    templates = c.get("/templates?year=2020").text
    count = int(re.search(r"2020 年度共 (\d+) 个应报单位", templates).group(1))
    assert expected == count == 25 == len(ws.write_templates(2020, tmp_path / "t"))

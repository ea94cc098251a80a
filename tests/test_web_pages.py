"""gwstats.web.pages: reads on a few reader threads beside each other, writes one at a time on one
writer thread, and the app's shutdown ends them all."""

from __future__ import annotations

import asyncio
import re
import threading

import pytest

pytest.importorskip("starlette")
httpx = pytest.importorskip("httpx")

from web_helpers import client, close_clients, sample_workspace  # noqa: E402

from gwstats.web.app import make_app  # noqa: E402
from gwstats.web.views import outputs, units  # noqa: E402

WAIT = 30  # seconds; a test that waits this long has failed


@pytest.fixture(autouse=True)
def _closed_after_each_test():
    yield
    close_clients()


@pytest.fixture
def fresh(tmp_path):
    ws, _ = sample_workspace(tmp_path)
    return ws


def _serve(app, scenario):
    """Run ``scenario(client)`` against ``app`` in one event loop, as a server would, then shut it down."""

    async def main():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            return await scenario(c)

    try:
        return asyncio.run(main())
    finally:
        app.state.web.close()


def _threads(prefix: str) -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(prefix)]


def test_a_slow_read_does_not_hold_up_another_page(fresh, monkeypatch):
    started, release = threading.Event(), threading.Event()
    ran_on = []
    real = units._tree

    def slow_tree(ws, year, *args):  # a long report, say: the 单位 page's workspace call waits until told
        ran_on.append(threading.current_thread().name)
        started.set()
        assert release.wait(WAIT)
        return real(ws, year, *args)

    monkeypatch.setattr(units, "_tree", slow_tree)

    async def scenario(c):
        slow = asyncio.create_task(c.get("/units"))
        try:
            assert await asyncio.to_thread(started.wait, WAIT)
            other = await asyncio.wait_for(c.get("/checks?year=2020"), WAIT)  # fails here if reads queue up
            still_waiting = not slow.done()
        finally:
            release.set()
        return other, still_waiting, await slow

    other, still_waiting, slow = _serve(make_app(fresh.root), scenario)
    assert other.status_code == 200 and "年度数据校验" in other.text
    assert still_waiting  # the other page came back while the slow one was still at work
    assert slow.status_code == 200 and "集安市关工委" in slow.text
    assert len(ran_on) == 1 and ran_on[0].startswith("gwstats-read")


def test_writes_run_one_at_a_time_on_the_writer_while_pages_still_load(fresh, monkeypatch):
    first_started, release = threading.Event(), threading.Event()
    lock = threading.Lock()
    running, peak, ran_on = [0], [0], []

    def slow_make(ws, year, progress=None):  # a workbook that takes long; the first one waits until told
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
            ran_on.append(threading.current_thread().name)
        try:
            if len(ran_on) == 1:
                first_started.set()
                assert release.wait(WAIT)
        finally:
            with lock:
                running[0] -= 1
        return "已生成。"

    for kind in outputs.MAKERS:
        monkeypatch.setitem(outputs.MAKERS, kind, slow_make)

    async def scenario(c):
        token = re.search(r'name="csrftoken" value="([^"]+)"', (await c.get("/outputs")).text).group(1)
        try:  # each POST answers at once: its product is made in the background (web/jobs.py)
            posts = [await asyncio.wait_for(c.post(f"/outputs/make/{kind}", data={"csrftoken": token, "year": "2020"}), WAIT)
                     for kind in outputs.MAKERS]
            assert await asyncio.to_thread(first_started.wait, WAIT)
            page = await asyncio.wait_for(c.get("/units"), WAIT)  # a read is not held up by the write
            await asyncio.sleep(0.5)  # time for a second write to start, if writes were not serialised
            queued = len(ran_on)
        finally:
            release.set()
        shown = []
        for post in posts:
            job = post.headers["location"].rsplit("job=", 1)[1]
            for _ in range(WAIT * 20):
                if (await c.get(f"/jobs/{job}")).json()["over"]:
                    break
                await asyncio.sleep(0.05)
            shown.append(await c.get(post.headers["location"]))
        return page, queued, posts, shown

    page, queued, posts, shown = _serve(make_app(fresh.root), scenario)
    assert page.status_code == 200
    assert queued == 1  # the other writes waited for the first
    assert [r.status_code for r in posts] == [303] * len(outputs.MAKERS)
    assert all(r.status_code == 200 and '<p class="notice" id="notice">已生成。</p>' in r.text for r in shown)
    assert peak[0] == 1 and len(ran_on) == len(outputs.MAKERS)
    assert len(set(ran_on)) == 1 and ran_on[0].startswith("gwstats-write")


def test_the_shutdown_ends_every_thread_of_the_app(fresh):
    before = set(threading.enumerate())
    c = client(fresh)
    for path in ("/", "/units", "/checks", "/outputs"):
        assert c.get(path).status_code == 200
    assert _threads("gwstats-read") and _threads("gwstats-write") == []  # made when first needed
    close_clients()  # the app's lifespan ends, as when the server stops
    assert set(threading.enumerate()) <= before
    assert not _threads("gwstats-")

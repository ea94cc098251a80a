"""Shared set-up for the web tests: a jian-an sample workspace (units loaded) and a test client."""

from __future__ import annotations

import re
from pathlib import Path

TOKEN_RE = re.compile(r'name="csrftoken" value="([^"]+)"')


def sample_workspace(root: Path):
    from gwstats import Workspace
    from gwstats.cli.demo import copy_sample

    inputs = root / "收到的报表"
    copy_sample("jian-an", inputs)
    ws = Workspace.init(root / "ws", name="集安市关工委", year=2020)
    ws.import_units(inputs / "units.csv")
    return ws, inputs


OPEN: list = []  # the test clients started by client(), closed by close_clients()


def client(ws, **kw):
    """A test client of the app on ``ws``, started like a server (the app's lifespan runs), so that
    close_clients() shuts it down the same way: its reader and writer threads end."""
    from starlette.testclient import TestClient

    from gwstats.web.app import make_app

    c = TestClient(make_app(ws.root, **kw))
    c.__enter__()
    OPEN.append(c)
    return c


def close_clients():
    while OPEN:
        OPEN.pop().__exit__(None, None, None)


def csrf_token(c, path: str = "/import") -> str:
    return TOKEN_RE.search(c.get(path).text).group(1)


def upload_files(paths):
    return [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]


def job_done(c, r, timeout: float = 120):
    """The page a POST that started a background job led to (``?job=`` in its address), once the job is
    over: what static/jobs.js opens in the browser. Fails if the job is not over within ``timeout``."""
    import time

    where = r.headers.get("location") if r.is_redirect else str(r.url)  # the POST's answer, or the page it led to
    found = re.search(r"[?&]job=([\w-]+)", where or "")
    assert found, f"no job in {where}"
    deadline = time.monotonic() + timeout
    while True:
        answer = c.get(f"/jobs/{found.group(1)}").json()
        if answer["over"]:
            return c.get(answer["href"])
        assert time.monotonic() < deadline, f"the job is not over after {timeout} s: {answer}"
        time.sleep(0.05)

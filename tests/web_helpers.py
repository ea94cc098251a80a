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

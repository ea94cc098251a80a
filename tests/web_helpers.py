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


def client(ws, **kw):
    from starlette.testclient import TestClient

    from gwstats.web.app import make_app

    return TestClient(make_app(ws.root, **kw))


def csrf_token(c, path: str = "/import") -> str:
    return TOKEN_RE.search(c.get(path).text).group(1)


def upload_files(paths):
    return [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]

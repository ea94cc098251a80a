"""Uploads that were refused or never confirmed do not stay on disk."""

import os
import socket
import time

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from gwstats.web.uploads import STAGING, Staging  # noqa: E402

from web_helpers import client, csrf_token, sample_workspace  # noqa: E402


def test_a_batch_refused_whole_is_dropped_at_once(tmp_path):
    ws, _ = sample_workspace(tmp_path)
    c = client(ws)
    r = c.post("/import", data={"csrftoken": csrf_token(c)},
               files=[("files", ("不是报表.xlsx", b"not a workbook" * 1000, "application/octet-stream"))])
    assert r.status_code == 200 and "不是报表.xlsx" in r.text
    assert not list((ws.root / STAGING).glob("*/*"))  # nothing to confirm: nothing kept


def test_batches_never_confirmed_go_when_the_next_arrives(tmp_path):
    s = Staging(tmp_path)
    old, path = s.new_batch()
    (path / "0000").mkdir()
    (path / "0000" / "a.xlsx").write_bytes(b"x" * 1000)
    three_hours_ago = time.time() - 3 * 3600
    os.utime(path, (three_hours_ago, three_hours_ago))
    new, _ = s.new_batch()
    assert s.batch_dir(old) is None and s.batch_dir(new) is not None


def test_the_page_starting_drops_every_earlier_upload(tmp_path, monkeypatch):
    import uvicorn

    from gwstats.web import server

    ws, _ = sample_workspace(tmp_path)
    s = Staging(ws.root)
    batch, path = s.new_batch()
    (path / "0000").mkdir()
    (path / "0000" / "a.xlsx").write_bytes(b"x")
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: None)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server.serve(ws.root, host="127.0.0.1", port=port, password=None, open_browser=False, echo=lambda *a: None)
    assert s.batch_dir(batch) is None

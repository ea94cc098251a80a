"""备份 in the page: one consistent copy of the store, written to <workspace>/备份/ and downloaded."""

import re
import sqlite3

import pytest

pytest.importorskip("starlette")

from web_helpers import client, csrf_token, sample_workspace  # noqa: E402


def test_the_backup_button_writes_a_whole_store_and_offers_it(tmp_path):
    ws, inputs = sample_workspace(tmp_path)
    ws.import_paths([inputs / "2020"])
    files = ws.store.counts()["files"]
    ws.store.close()
    c = client(ws)
    page = c.get("/settings")
    assert 'id="backup-button"' in page.text
    assert c.post("/backup", data={}).status_code == 403  # a writing request: CSRF token needed
    r = c.post("/backup", data={"csrftoken": csrf_token(c, "/settings")})
    assert r.status_code == 200 and "已备份到" in r.text
    href = re.search(r'<a href="(/backup/[^"]+)" download id="backup-download">', r.text).group(1)
    (written,) = list((ws.root / "备份").glob("*.sqlite"))
    assert str(written) in r.text and written.name.startswith("集安市关工委-备份-")
    got = c.get(href)
    assert got.status_code == 200 and got.content == written.read_bytes()
    assert "attachment" in got.headers["content-disposition"]
    copy = tmp_path / "U盘" / "copy.sqlite"
    copy.parent.mkdir()
    copy.write_bytes(got.content)
    con = sqlite3.connect(copy)
    try:  # self-contained (no -wal needed) and holding every imported file
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT COUNT(*) FROM files").fetchone()[0] == files > 0
    finally:
        con.close()
    # only backups are served, from the backup folder
    for bad in ("/backup/..%2Fgwstats.sqlite", "/backup/gwstats.sqlite", "/backup/x.txt"):
        assert c.get(bad).status_code == 404, bad

"""A store that cannot be used: a Chinese message naming the file and exit 2, from every command;
never an sqlite3 traceback, never a silent new empty store."""

import os
import sqlite3

import pytest
from typer.testing import CliRunner

from gwstats.cli.app import app
from gwstats.core.errors import StoreError
from gwstats.store.db import Store, store_reason

from helpers_returns import long_rows, make_workspace, write_xlsx

runner = CliRunner()
COMMANDS = [
    ["units", "check"],
    ["import", "{ret}"],
    ["import", "--dry-run", "{ret}"],
    ["history", "--unit", "岳西县局", "--year", "2018"],
    ["rollup", "--year", "2018"],
    ["status", "--year", "2018"],
    ["check", "--year", "2018"],
    ["trace", "--year", "2018", "--unit", "岳西县局", "--metric", "法制课场次"],
    ["report", "--year", "2018", "-o", "{out}/r.md"],
    ["template", "--year", "2018", "-o", "{out}/t"],
]


@pytest.fixture
def ws(tmp_path):
    ws = make_workspace(tmp_path)
    ws.import_paths([write_xlsx(tmp_path / "in" / "岳西县局2018.xlsx", {"统计表": long_rows({"法制课场次": 3})})])
    ws.store.close()
    return ws


def _garbage(p):
    p.write_bytes(os.urandom(8192))


def _truncated(p):
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 3])


def _missing(p):
    p.unlink()


def _directory(p):
    p.unlink()
    p.mkdir()


def _newer(p):
    con = sqlite3.connect(p)
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()


def _wal_away(p):
    for extra in ("-wal", "-shm"):
        q = p.with_name(p.name + extra)
        if q.exists():
            q.unlink()


@pytest.mark.parametrize("damage, words", [
    (_garbage, "不是 gwstats 数据库文件"),
    (_truncated, "已损坏"),
    (_missing, "没有数据库文件"),
    (_directory, "是一个文件夹"),
    (_newer, "更新版本的 gwstats"),
])
def test_every_command_refuses_a_bad_store_with_the_path(ws, tmp_path, damage, words):
    path = ws.root / "gwstats.sqlite"
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    _wal_away(path)
    damage(path)
    ret = tmp_path / "in" / "岳西县局2018.xlsx"
    for cmd in COMMANDS:
        args = [a.format(ret=ret, out=tmp_path / "out") for a in cmd] + ["-w", str(ws.root)]
        r = runner.invoke(app, args)
        text = r.stdout + r.stderr
        assert r.exit_code == 2, (cmd, r.exit_code, text[-500:], r.exception)
        assert words in text and str(path) in text, (cmd, text[-500:])
        assert "Traceback" not in text and "sqlite3" not in text
    assert not path.is_file() or damage is not _missing  # a missing store is not recreated


def test_a_missing_store_is_not_recreated(ws):
    (ws.root / "gwstats.sqlite").unlink()
    from gwstats import Workspace

    with pytest.raises(StoreError):
        Workspace.open(ws.root).store
    assert not (ws.root / "gwstats.sqlite").exists()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes read-only files anyway")
def test_a_read_only_store_is_refused(ws):
    path = ws.root / "gwstats.sqlite"
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    _wal_away(path)
    path.chmod(0o444)
    try:
        r = runner.invoke(app, ["units", "check", "-w", str(ws.root)])
        assert r.exit_code == 2 and "只读" in r.stderr
    finally:
        path.chmod(0o644)


def test_the_read_only_message_is_chinese(tmp_path):
    path = tmp_path / "s.sqlite"
    Store(path).close()
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.Error) as exc:
        con.execute("CREATE TABLE x (a)")
    assert "只读" in store_reason(exc.value)


def test_a_full_disk_during_a_command_gives_exit_2_and_the_path(ws, tmp_path, monkeypatch):
    def full(self, units):  # what SQLite raises when the disk fills during the transaction
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "replace_units", full)
    r = runner.invoke(app, ["units", "import", str(tmp_path / "units.csv"), "-w", str(ws.root)])
    assert r.exit_code == 2 and "磁盘空间不足" in r.stderr and str(ws.root / "gwstats.sqlite") in r.stderr
    assert "Traceback" not in r.stdout + r.stderr

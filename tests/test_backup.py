"""The store a clerk copies: self-contained when a command ends, `gwstats backup`, a 0-byte file refused."""

import shutil
import sqlite3

import pytest

from typer.testing import CliRunner

from gwstats import Workspace
from gwstats.cli.app import app

from helpers_returns import long_rows, make_workspace, write_xlsx

runner = CliRunner()


def _files(path) -> int:
    c = sqlite3.connect(str(path))
    try:
        return c.execute("SELECT count(*) FROM files").fetchone()[0]
    finally:
        c.close()


def _folder(tmp_path, n=3):
    for i, name in enumerate(["岳西县公安局关工委"] * n):
        write_xlsx(tmp_path / "in" / f"报表{i}.xlsx", {"统计表": long_rows({"关工委组织数": i + 1}, unit=name, year=2015 + i)})
    return tmp_path / "in"


def test_copying_the_store_file_alone_keeps_the_last_import(tmp_path):
    ws = make_workspace(tmp_path)
    ws.store.close()
    r = runner.invoke(app, ["import", str(_folder(tmp_path)), "-w", str(ws.root), "-q"])
    assert r.exit_code == 0, r.output
    keep = tmp_path / "copy"
    keep.mkdir()
    shutil.copy(ws.root / "gwstats.sqlite", keep / "gwstats.sqlite")  # the -wal left behind, as on a USB stick
    assert _files(keep / "gwstats.sqlite") == 3


def test_backup_writes_one_consistent_file(tmp_path):
    ws = make_workspace(tmp_path)
    ws.import_paths([_folder(tmp_path)])
    r = runner.invoke(app, ["backup", str(tmp_path / "备份.sqlite"), "-w", str(ws.root)])
    assert r.exit_code == 0, r.output
    assert "已备份到" in r.output
    assert _files(tmp_path / "备份.sqlite") == 3
    assert not (tmp_path / "备份.sqlite-wal").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_zero_byte_store_is_refused_and_left_alone(tmp_path):
    ws = make_workspace(tmp_path)
    root = ws.root
    ws.store.close()
    (root / "gwstats.sqlite").write_bytes(b"")
    for f in root.glob("gwstats.sqlite-*"):
        f.unlink()
    r = runner.invoke(app, ["status", "-w", str(root)])
    assert r.exit_code == 2
    out = r.output + (r.stderr or "")
    assert "是空的（0 字节" in out and "工作区还没有单位名单" not in out and "Traceback" not in out
    assert (root / "gwstats.sqlite").stat().st_size == 0  # never written into
    assert Workspace.open(root) is not None


def test_a_backup_place_that_is_not_there_is_named(tmp_path):
    from gwstats import Workspace
    from gwstats.core.errors import UsageError

    ws = Workspace.init(tmp_path / "ws", name="测试关工委", year=2020)
    with pytest.raises(UsageError, match="找不到备份位置"):
        ws.backup(tmp_path / "没有插上的U盘" / "备份.sqlite")

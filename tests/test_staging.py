"""Copies written ahead on the pool path (gwstats.ingest.staging): renamed into files/ in their file's
transaction, gone with the staging folder when their file is not stored."""

import os
import threading
import time
from pathlib import Path

import pytest

from gwstats.ingest import pool as import_pool
from gwstats.ingest import staging

from helpers_returns import long_rows, make_workspace, write_xlsx

UNITS = ("岳西县局", "怀宁县公安局关工委", "望江县局")


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("GWSTATS_IMPORT_WORKERS", "1")  # the pool, even for a handful of files
    return make_workspace(tmp_path)


def yx_file(tmp_path, name, unit, **values):
    return write_xlsx(tmp_path / "in" / name, {"统计表": long_rows(values or {"法制课场次": 100}, unit=unit)})


def listing(ws) -> list[str]:
    return sorted(p.relative_to(ws.root).as_posix() for p in (ws.root / "files").rglob("*"))


def spy(ws, monkeypatch, name) -> list[str]:
    calls = []
    real = getattr(type(ws), name)

    def wrapped(self, first, fname, sha):
        calls.append(fname)
        return real(self, first, fname, sha)

    monkeypatch.setattr(type(ws), name, wrapped)
    return calls


def test_the_pool_path_moves_staged_copies_in_and_leaves_no_staging_folder(ws, tmp_path, monkeypatch):
    moved, written = spy(ws, monkeypatch, "move_in"), spy(ws, monkeypatch, "copy_in_bytes")
    paths = [yx_file(tmp_path, f"{u}.xlsx", u) for u in UNITS]
    # two files of one unit that disagree: both refused, so neither may leave a copy
    paths += [yx_file(tmp_path, "桐城a.xlsx", "桐城市公安局关工委", 法制课场次=1),
              yx_file(tmp_path, "桐城b.xlsx", "桐城市公安局关工委", 法制课场次=2)]
    report = ws.import_paths(paths)
    assert import_pool.last_stats["workers"] == 1
    assert [f.status for f in report.files] == ["accepted"] * 3 + ["rejected"] * 2
    assert {f.errors[0].code for f in report.files[3:]} == {"batch-conflict"}
    assert moved == [f"{u}.xlsx" for u in UNITS] and written == []  # renamed into place, not written again
    rows = dict(ws.store.conn.execute("SELECT name, stored_path FROM files").fetchall())
    assert sorted(rows) == sorted(f"{u}.xlsx" for u in UNITS)
    for name, rel in rows.items():
        assert (ws.root / rel).read_bytes() == (tmp_path / "in" / name).read_bytes()
    copies = [p for p in listing(ws) if "." in Path(p).name]
    assert sorted(copies) == sorted(rows.values())  # nothing of the refused files, no staging folder
    folders = {str(Path(p).parent) for p in copies}
    assert [p for p in listing(ws) if "." not in Path(p).name] == sorted(folders)  # no folder left empty
    assert not (ws.files_dir / staging.INCOMING).exists()


def test_a_dry_run_stages_nothing(ws, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr("gwstats.ingest.importer.open_stage", lambda d: opened.append(d))
    report = ws.import_paths([yx_file(tmp_path, f"{u}.xlsx", u) for u in UNITS], dry_run=True)
    assert [f.status for f in report.files] == ["accepted"] * 3 and opened == [] and listing(ws) == []


def test_a_staged_copy_that_went_missing_is_written_from_the_bytes_read(ws, tmp_path, monkeypatch):
    written = spy(ws, monkeypatch, "copy_in_bytes")
    real = type(ws).move_in

    def vanish(self, staged, name, sha):
        os.unlink(staged)  # say, removed by a virus scanner
        return real(self, staged, name, sha)

    monkeypatch.setattr(type(ws), "move_in", vanish)
    path = yx_file(tmp_path, "岳西.xlsx", "岳西县局")
    report = ws.import_paths([path, yx_file(tmp_path, "望江.xlsx", "望江县局")])
    assert [f.status for f in report.files] == ["accepted", "accepted"] and written == ["岳西.xlsx", "望江.xlsx"]
    (rel,) = ws.store.conn.execute("SELECT stored_path FROM files WHERE name = '岳西.xlsx'").fetchone()
    assert (ws.root / rel).read_bytes() == path.read_bytes()


def test_a_staging_folder_left_by_a_killed_import_goes_once_it_is_a_day_old(tmp_path):
    files = tmp_path / "files"
    old = files / staging.INCOMING / "import-old"
    running = files / staging.INCOMING / "import-running"  # another clerk's import, still going
    for d in (old, running):
        d.mkdir(parents=True)
        (d / "0.part").write_bytes(b"x")
    day_ago = time.time() - staging.STALE_SECONDS - 60
    os.utime(old, (day_ago, day_ago))
    (files / "cd").mkdir()  # a hash folder from before, empty
    stage = staging.open_stage(files)
    assert Path(stage.dir).parent == files / staging.INCOMING and not old.exists() and running.exists()
    for stored in ("files/ab/ab12.xlsx", "files/cd/cd12.xlsx", "files/ef/ef12.xlsx"):
        stage.note_file(stored)
    staged = staging.stage_copy(stage, 3, b"abc", "files/ab/ab12.xlsx")
    assert staged == os.path.join(stage.dir, "3.part") and Path(staged).read_bytes() == b"abc"
    assert (files / "ab").is_dir()  # the copy's folder, made ahead
    staging.stage_copy(stage, 4, b"x", "files/ef/ef12.xlsx")
    (files / "ef" / "ef12.xlsx").write_bytes(b"x")  # as if that copy had been stored
    staging.close_stage(stage)
    assert not Path(stage.dir).exists() and running.exists()  # the other import's folder is left alone
    assert not (files / "ab").exists()  # made ahead and left empty: removed
    assert (files / "cd").is_dir() and (files / "ef" / "ef12.xlsx").exists()  # there before / holds a copy


def test_workers_are_forked_only_where_that_is_safe(monkeypatch):
    monkeypatch.setattr("sys.platform", "win32")
    assert import_pool.start_method() == "spawn"
    monkeypatch.setattr("sys.platform", "linux")
    # only this test's thread runs (an earlier test's web app, say, must have ended its threads)
    assert import_pool.start_method() == "fork", [t.name for t in threading.enumerate()]
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert import_pool.start_method() == "spawn"  # a threaded process (the web UI's server) must not fork
    finally:
        stop.set()
        t.join()


def empty_folders(ws) -> list[str]:
    return [p for p in listing(ws) if (ws.root / p).is_dir() and not any((ws.root / p).iterdir())]


def test_a_worker_that_dies_after_making_a_folder_leaves_none(ws, tmp_path, monkeypatch):
    # found in review: the folder made ahead was only removed when the worker's result came back
    parent = os.getpid()
    real = import_pool.stage_copy

    def dying(stage, index, data, stored):
        out = real(stage, index, data, stored)
        if os.getpid() != parent:
            os._exit(1)  # the worker dies (the OOM killer, say) after making the folder
        return out

    monkeypatch.setattr(import_pool, "stage_copy", dying)
    paths = [yx_file(tmp_path, "桐城a.xlsx", "桐城市公安局关工委", 法制课场次=1),
             yx_file(tmp_path, "桐城b.xlsx", "桐城市公安局关工委", 法制课场次=2)]
    report = ws.import_paths(paths)
    assert [f.status for f in report.files] == ["rejected", "rejected"]  # read again here, then refused
    assert ws.store.conn.execute("SELECT count(*) FROM files").fetchone()[0] == 0
    assert listing(ws) == []


def test_an_interrupt_while_reading_leaves_no_folder(ws, tmp_path, monkeypatch):
    paths = [yx_file(tmp_path, f"f{i}.xlsx", "桐城市公安局关工委", 法制课场次=i + 1) for i in range(24)]

    def progress(done, total, phase):
        if done == 1:
            time.sleep(1.0)  # chunks finish in the worker meanwhile, their folders made
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ws.import_paths(paths, progress=progress)
    assert ws.store.conn.execute("SELECT count(*) FROM files").fetchone()[0] == 0
    assert empty_folders(ws) == [] and listing(ws) == []


def _owned(folder: Path, **owner):
    import json

    folder.mkdir(parents=True)
    (folder / "0.part").write_bytes(b"x")
    (folder / staging.OWNER).write_text(json.dumps(owner), encoding="utf-8")
    return folder


def _dead_pid() -> int:
    """The id of a process that has ended."""
    import subprocess
    import sys

    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_a_staging_folder_whose_import_was_killed_goes_at_once(tmp_path):
    """A killed import's folder goes at the next import, young as it is; a running one's stays."""
    import socket

    import psutil

    files = tmp_path / "files"
    incoming = files / staging.INCOMING
    host = socket.gethostname()
    me = psutil.Process()
    dead = _owned(incoming / "import-dead", host=host, pid=_dead_pid(), started=time.time() - 5)
    # the id of a running process, but that process started after the import did: the id was reused
    reused = _owned(incoming / "import-reused", host=host, pid=me.pid, started=me.create_time() - 3600)
    alive = _owned(incoming / "import-alive", host=host, pid=me.pid, started=me.create_time())
    remote = _owned(incoming / "import-remote", host=host + "-other-pc", pid=_dead_pid(), started=time.time())
    stage = staging.open_stage(files)
    assert not dead.exists() and not reused.exists()
    assert alive.exists() and remote.exists()  # still running here / another computer's, young
    assert (Path(stage.dir) / staging.OWNER).is_file()
    assert not staging._abandoned(stage.dir, time.time())  # the new folder names this process
    staging.close_stage(stage)
    assert alive.exists()


def test_the_page_starting_removes_abandoned_import_folders(tmp_path):
    import socket

    from web_helpers import client, sample_workspace

    ws, _ = sample_workspace(tmp_path)
    dead = _owned(ws.files_dir / staging.INCOMING / "import-x", host=socket.gethostname(), pid=_dead_pid(),
                  started=time.time())
    client(ws)
    assert not dead.exists()

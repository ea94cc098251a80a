"""Two clerks, one workspace: two imports at once, an import beside a rollup, the lock file."""

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time

import pytest

from gwstats import Workspace
from gwstats.store.years import who

from helpers_returns import long_rows, write_xlsx

N = 24
BAD_WORDS = ("database is locked", "UNIQUE constraint", "Traceback", "sqlite3")


@pytest.fixture
def ws(tmp_path):
    ws = Workspace.init(tmp_path / "ws", name="测试市关工委", year=2018)
    lines = ["编码,单位名称,上级编码,别名", "R,测试市关工委,,"] + [f"U{i:02d},第{i}单位关工委,R," for i in range(N)]
    (tmp_path / "units.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ws.import_units(tmp_path / "units.csv")
    folder = tmp_path / "in"
    for i in range(N):
        write_xlsx(folder / f"第{i}单位2018.xlsx",
                   {"统计表": long_rows({"法制课场次": 1, "关工委组织数": 2}, unit=f"第{i}单位关工委")})
    ws.store.close()
    return Workspace.open(ws.root)


def gwstats(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "gwstats", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8", **kw)


def test_two_imports_of_the_same_folder_at_once(ws, tmp_path):
    procs = [gwstats("import", str(tmp_path / "in"), "-w", str(ws.root), "-f", "json", "-q") for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert not any(w in out + err for w in BAD_WORDS), err
    results: dict[str, list[str]] = {}
    for out, _ in outs:
        for rec in json.loads(out):
            results.setdefault(rec["文件"], []).append(rec["结果"])
            if rec["结果"] == "未变化":
                assert "替换" not in rec["提醒"]
    assert len(results) == N
    for name, got in results.items():
        assert sorted(got) == ["已导入", "未变化"], (name, got)  # stored once, reported truthfully by both
    c = ws.store.conn
    assert c.execute("SELECT count(*) FROM files").fetchone()[0] == N
    assert c.execute("SELECT count(*) FROM submissions WHERE superseded_by IS NULL").fetchone()[0] == N
    assert ws.rollup(2018).value("R", "legal_lessons") == N


def test_readers_beside_an_import_see_whole_files(ws, tmp_path):
    proc = gwstats("import", str(tmp_path / "in"), "-w", str(ws.root), "-q")
    seen = set()
    while proc.poll() is None:
        with ws.snapshot():  # a report reads rollup and status: one state for both
            r = ws.rollup(2018, compare=None)
            st = ws.status(2018)
        lessons, orgs = r.value("R", "legal_lessons") or 0, r.value("R", "org_total") or 0
        assert orgs == 2 * lessons
        assert st.reported == lessons, (st.reported, lessons)  # status and rollup from the same state
        seen.add(int(lessons))
    out, err = proc.communicate()
    assert proc.returncode == 0 and not any(w in out + err for w in BAD_WORDS), err
    assert ws.rollup(2018).value("R", "legal_lessons") == N
    assert seen <= set(range(N + 1))


def _holder(root, info: dict | None = None):
    """A process that holds the workspace lock (naming itself ``info``) until its stdin closes."""
    code = ("import json, sys; from gwstats.store.lock import workspace_lock, INFO_NAME; from pathlib import Path\n"
            "with workspace_lock(Path(sys.argv[1])) as me:\n"
            "    info = json.loads(sys.argv[2]) if sys.argv[2] else None\n"
            "    if info: (Path(sys.argv[1]) / INFO_NAME).write_text(json.dumps(info, ensure_ascii=False), encoding='utf-8')\n"
            "    print('held', flush=True)\n"
            "    sys.stdin.read()\n")
    p = subprocess.Popen([sys.executable, "-c", code, str(root), json.dumps(info or {}, ensure_ascii=False) if info else ""],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    assert p.stdout.readline().strip() == "held"
    return p


def test_a_second_clerk_is_told_who_is_importing_and_waits(ws, tmp_path):
    user, pc = who()
    since = dt.datetime.now().replace(microsecond=0)
    holder = _holder(ws.root, {"user": "张敏", "computer": pc, "since": since.isoformat(), "action": "导入"})
    proc = gwstats("import", str(tmp_path / "in"), "-w", str(ws.root), "-q")
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    deadline = time.monotonic() + 60
    want = f"张敏（电脑 {pc}）正在导入，开始于 {since:%H:%M}，请稍后"
    while time.monotonic() < deadline and not any(want in ln for ln in lines):
        time.sleep(0.1)
    assert any(want in ln for ln in lines), lines
    assert proc.poll() is None  # waiting, not writing
    assert ws.store.conn.execute("SELECT count(*) FROM files").fetchone()[0] == 0
    holder.stdin.close()  # 张敏 is done
    holder.wait(30)
    proc.wait(60)
    reader.join(5)
    assert proc.returncode == 0, lines
    assert ws.store.conn.execute("SELECT count(*) FROM files").fetchone()[0] == N
    assert not (ws.root / "gwstats.lock.json").exists()  # the holder's name goes with the lock


def test_a_lock_held_by_a_killed_process_is_free_at_once(ws, tmp_path):
    holder = _holder(ws.root)
    holder.kill()  # kill -9: no finally runs, the information file stays
    holder.wait(30)
    report = ws.import_paths([tmp_path / "in"])
    assert not report.has_rejections


def test_an_old_lock_file_blocks_nothing(ws, tmp_path):
    """An empty gwstats.lock (a full disk between creating and writing it) or one naming a process that
    still runs, written by an older gwstats: only a held OS lock makes a clerk wait."""
    lock = ws.root / "gwstats.lock"
    lock.write_bytes(b"")
    t = time.monotonic()
    with ws.writing():
        pass
    lock.write_text(json.dumps({"user": "张敏", "computer": who()[1], "pid": os.getpid(),
                                "since": "2020-01-01T10:02:00"}), encoding="utf-8")
    report = ws.import_paths([tmp_path / "in"])
    assert not report.has_rejections and time.monotonic() - t < 30


def test_network_paths_use_a_rollback_journal(tmp_path, monkeypatch):
    from gwstats.store.netpath import is_network_path
    from gwstats.store.db import Store

    mounts = [("/", "ext4"), ("/mnt/share", "cifs"), ("/srv/nfs", "nfs4"), ("/home", "ext4")]
    assert is_network_path("/mnt/share/关工委/gwstats.sqlite", mounts)
    assert is_network_path("/srv/nfs/x", mounts)
    assert not is_network_path("/home/x/gwstats.sqlite", mounts)
    assert not is_network_path("/mnt/shared/x", mounts)  # not under /mnt/share
    assert is_network_path(r"\\server\share\gwstats.sqlite")
    monkeypatch.setenv("GWSTATS_NETWORK", "1")
    s = Store(tmp_path / "a.sqlite")
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    s.close()
    monkeypatch.setenv("GWSTATS_NETWORK", "0")
    s = Store(tmp_path / "a.sqlite")  # the same file back on a local disk: WAL again
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    s.close()


def test_a_mapped_network_drive_is_told_from_a_local_one(monkeypatch):
    """Windows: Z:\\ mapped to \\\\server\\share is a network path (GetDriveTypeW says DRIVE_REMOTE, 4),
    C:\\ is not (DRIVE_FIXED, 3). The Windows call is stood in for here; the rest is the real code."""
    import ctypes
    from pathlib import PureWindowsPath
    from types import SimpleNamespace

    from gwstats.store.netpath import _windows_remote_drive

    asked = []

    def drive_type(root):
        asked.append(root)
        return {"Z:\\": 4, "C:\\": 3}.get(root, 0)

    monkeypatch.setattr(ctypes, "windll", SimpleNamespace(kernel32=SimpleNamespace(GetDriveTypeW=drive_type)),
                        raising=False)
    assert _windows_remote_drive(PureWindowsPath(r"Z:\关工委\gwstats.sqlite"))
    assert not _windows_remote_drive(PureWindowsPath(r"C:\关工委\gwstats.sqlite"))
    assert _windows_remote_drive(PureWindowsPath(r"\\server\share\gwstats.sqlite"))  # UNC: no call needed
    assert asked == ["Z:\\", "C:\\"]

"""The workspace lock: an OS lock that the system lets go of when its process ends, never taken twice."""

import json
import os
import subprocess
import sys
import time

import pytest

from gwstats.store.lock import INFO_NAME, LOCK_NAME, WorkspaceBusy, holder_text, read_lock, workspace_lock

WORKER = r"""
import json, os, sys, time
from pathlib import Path
from gwstats.store.lock import workspace_lock
root, rounds = Path(sys.argv[1]), int(sys.argv[2])
for _ in range(rounds):
    with workspace_lock(root, wait_seconds=120):
        # inside: nobody else; a read-modify-write that any overlap would lose
        marker = root / "inside"
        assert not marker.exists(), "two holders at once"
        marker.write_text(str(os.getpid()))
        n = int((root / "count").read_text())
        time.sleep(0.005)
        (root / "count").write_text(str(n + 1))
        marker.unlink()
"""


def test_an_empty_lock_file_does_not_block(tmp_path):
    (tmp_path / LOCK_NAME).write_bytes(b"")
    with workspace_lock(tmp_path, wait_seconds=0.5) as me:
        assert read_lock(tmp_path) == me  # the holder is named beside the lock
    assert read_lock(tmp_path) is None
    assert (tmp_path / LOCK_NAME).exists()  # never unlinked: nobody can race on re-creating it


def test_a_held_lock_makes_the_other_wait_and_names_the_holder(tmp_path):
    told = []
    with workspace_lock(tmp_path, "导入单位名单"):
        info = read_lock(tmp_path)
        with pytest.raises(WorkspaceBusy) as exc:
            with workspace_lock(tmp_path, wait_seconds=0.3, on_wait=told.append):
                pass
    assert f"正在导入单位名单" in str(exc.value) and told and told[0].startswith(info["user"] or "另一位用户")
    with workspace_lock(tmp_path, wait_seconds=0.3):  # let go: free again
        pass


def test_the_information_file_is_only_information(tmp_path):
    """A damaged or missing holder file changes the wording, nothing else."""
    (tmp_path / INFO_NAME).write_text("{broken", encoding="utf-8")
    with workspace_lock(tmp_path, wait_seconds=0.3):
        (tmp_path / INFO_NAME).unlink()
        with pytest.raises(WorkspaceBusy, match="另一位用户正在导入"):
            with workspace_lock(tmp_path, wait_seconds=0.3):
                pass
    assert holder_text({}) .startswith("另一位用户")


def test_a_killed_holder_lets_go(tmp_path):
    p = subprocess.Popen([sys.executable, "-c", "import sys; from gwstats.store.lock import workspace_lock\n"
                          f"with workspace_lock({str(tmp_path)!r}):\n    print('held', flush=True); sys.stdin.read()"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "held"
    with pytest.raises(WorkspaceBusy):
        with workspace_lock(tmp_path, wait_seconds=0.3):
            pass
    p.kill()
    p.wait(30)
    t = time.monotonic()
    with workspace_lock(tmp_path, wait_seconds=5):
        pass
    assert time.monotonic() - t < 2


def test_many_waiters_on_a_stale_lock_never_hold_it_together(tmp_path):
    """An old-style lock naming a dead process: the old takeover (read, judge, unlink, re-create) let two
    waiters both take it. Four processes, 15 rounds each, count in a read-modify-write."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / LOCK_NAME).write_text(json.dumps({"user": "张敏", "computer": os.uname().nodename if hasattr(os, "uname")
                                                  else None, "pid": int(dead.stdout), "since": "2020-01-01T10:02:00"}),
                                      encoding="utf-8")
    (tmp_path / "count").write_text("0")
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path), "15"], stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errs
    assert int((tmp_path / "count").read_text()) == 60

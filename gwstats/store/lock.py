"""The workspace lock file (gwstats.lock): one clerk writes at a time, and the others are told who.

While an import (or units import, lock, revert) writes, ``gwstats.lock`` in the workspace names the
holder: user, computer, process and since when. A second clerk's command waits, telling them
``张敏（电脑 XX）正在导入，开始于 10:02，请稍后``, and goes on when the first is done. The file is
created with O_EXCL (atomic on local disks and on SMB/NFS shares), so two clerks never both hold
it. A lock left by a process that no longer runs on this computer, or older than STALE_HOURS from
another computer, is taken over.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

from gwstats.core.errors import UsageError
from gwstats.store.years import who

LOCK_NAME = "gwstats.lock"
STALE_HOURS = 12
POLL_SECONDS = 0.2
WAIT_SECONDS = 15 * 60


class WorkspaceBusy(UsageError):
    """Another clerk held the workspace for longer than we waited (exit 2)."""


def holder_text(info: dict) -> str:
    user = info.get("user") or "（未知用户）"
    pc = info.get("computer")
    since = str(info.get("since", ""))
    try:
        t = dt.datetime.fromisoformat(since)
        when = t.strftime("%H:%M") if t.date() == dt.date.today() else t.strftime("%Y-%m-%d %H:%M")
    except ValueError:
        when = since or "不明时间"
    action = info.get("action") or "导入"
    return f"{user}" + (f"（电脑 {pc}）" if pc else "") + f"正在{action}，开始于 {when}"


def read_lock(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}  # being written, or damaged: treated as held (and stale after STALE_HOURS by mtime)


def _alive_here(info: dict) -> bool | None:
    """Whether the holder process still runs, if it is on this computer (None: cannot tell)."""
    _, pc = who()
    if not info or info.get("computer") != pc or not isinstance(info.get("pid"), int):
        return None
    try:
        import psutil

        if not psutil.pid_exists(info["pid"]):
            return False
        p = psutil.Process(info["pid"])
        created = info.get("created")
        return created is None or abs(p.create_time() - created) < 2
    except Exception:
        return None


def _stale(path: Path, info: dict) -> bool:
    alive = _alive_here(info)
    if alive is not None:
        return not alive
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    return age > STALE_HOURS * 3600


@contextmanager
def workspace_lock(root: Path, action: str = "导入", on_wait=None, wait_seconds: float | None = None):
    """Hold gwstats.lock in ``root`` for the block; ``on_wait(text)`` is called once if we must wait."""
    path = Path(root) / LOCK_NAME
    user, pc = who()
    me = {"user": user, "computer": pc, "pid": os.getpid(), "since": dt.datetime.now().replace(microsecond=0).isoformat(),
          "action": action}
    try:
        import psutil

        me["created"] = psutil.Process().create_time()
    except Exception:
        pass
    deadline = time.monotonic() + (WAIT_SECONDS if wait_seconds is None else wait_seconds)
    told = False
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            info = read_lock(path)
            if info is None:
                continue  # released just now
            if _stale(path, info):
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass
                continue
            text = holder_text(info)
            if time.monotonic() > deadline:
                raise WorkspaceBusy(f"{text}，已等待 {int((WAIT_SECONDS if wait_seconds is None else wait_seconds) // 60)} 分钟仍未结束，"
                                    f"请稍后再试（如确定对方已不在使用，可删除 {path}）") from None
            if not told and on_wait is not None:
                on_wait(f"{text}，请稍后……（等对方完成后自动继续）")
                told = True
            time.sleep(POLL_SECONDS)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(me, fh, ensure_ascii=False)
        break
    try:
        yield me
    finally:
        try:
            if read_lock(path) == me:
                path.unlink()
        except OSError:
            pass

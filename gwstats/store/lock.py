"""The workspace lock (gwstats.lock): one clerk writes at a time, and the others are told who.

While an import (or units import, lock, revert) writes, the process holds an operating-system lock
on ``gwstats.lock`` in the workspace (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows, both
behind :func:`_try_lock`). The system releases it when the process ends, however it ends (kill -9,
a crash, a power cut of the client), so a lock is never left behind and nothing is ever taken over:
there is no read → judge → unlink → re-create step for two waiters to race through. The file itself
is never deleted and its contents do not matter (an empty one, left by a full disk or an older
gwstats, blocks nothing).

Beside it, ``gwstats.lock.json`` names the holder (user, computer, process, since when) so that a
second clerk's command can say ``张敏（电脑 XX）正在导入，开始于 10:02，请稍后`` while it waits.
That file is information only: it is written after the lock is taken, removed before it is let go,
and a missing or damaged one changes nothing but the wording.
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
INFO_NAME = "gwstats.lock.json"
POLL_SECONDS = 0.2
WAIT_SECONDS = 15 * 60


class WorkspaceBusy(UsageError):
    """Another clerk held the workspace for longer than we waited (exit 2)."""


def holder_text(info: dict | None) -> str:
    info = info or {}
    user = info.get("user") or "另一位用户"
    pc = info.get("computer")
    since = str(info.get("since", ""))
    try:
        t = dt.datetime.fromisoformat(since)
        when = t.strftime("%H:%M") if t.date() == dt.date.today() else t.strftime("%Y-%m-%d %H:%M")
    except ValueError:
        when = since or "不明时间"
    action = info.get("action") or "导入"
    return f"{user}" + (f"（电脑 {pc}）" if pc else "") + f"正在{action}，开始于 {when}"


def read_lock(root: Path) -> dict | None:
    """Who holds the workspace, as its information file says (None: no such file; {}: unreadable)."""
    try:
        info = json.loads((Path(root) / INFO_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def _try_lock(fd: int) -> bool:
    """Take the OS lock on the open file ``fd`` without waiting; False when another holds it."""
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        return False
    except OSError as exc:
        import errno

        if exc.errno in (errno.EACCES, errno.EAGAIN, errno.EDEADLK):
            return False
        raise
    return True


def _unlock(fd: int):
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass  # closing the file lets go of it as well


def _write_info(root: Path, me: dict):
    """Name the holder beside the lock; best effort (a full disk must not stop the write itself)."""
    path = Path(root) / INFO_NAME
    tmp = path.with_name(f"{INFO_NAME}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(me, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass


def _remove_info(root: Path, me: dict):
    try:
        if read_lock(root) == me:
            (Path(root) / INFO_NAME).unlink()
    except OSError:
        pass


@contextmanager
def workspace_lock(root: Path, action: str = "导入", on_wait=None, wait_seconds: float | None = None):
    """Hold the workspace lock in ``root`` for the block; ``on_wait(text)`` is called once if we must wait."""
    root = Path(root)
    path = root / LOCK_NAME
    user, pc = who()
    me = {"user": user, "computer": pc, "pid": os.getpid(),
          "since": dt.datetime.now().replace(microsecond=0).isoformat(), "action": action}
    waited = WAIT_SECONDS if wait_seconds is None else wait_seconds
    deadline = time.monotonic() + waited
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    told = False
    try:
        while not _try_lock(fd):
            text = holder_text(read_lock(root))
            if time.monotonic() > deadline:
                raise WorkspaceBusy(f"{text}，已等待 {int(waited // 60)} 分钟仍未结束，请稍后再试"
                                    "（对方的程序一旦退出，锁会自动解除）")
            if not told and on_wait is not None:
                on_wait(f"{text}，请稍后……（等对方完成后自动继续）")
                told = True
            time.sleep(POLL_SECONDS)
    except BaseException:
        os.close(fd)
        raise
    try:
        _write_info(root, me)
        yield me
    finally:
        _remove_info(root, me)
        _unlock(fd)
        os.close(fd)

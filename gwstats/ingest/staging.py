"""Copies of received files written ahead, while a big batch is still being parsed.

Making a file is the costliest part of writing one return on some disks (measured: 0.35-1.4 ms of
kernel time per new file on this machine's ext4, against 0.03 ms for a rename). On the pool path
(gwstats.ingest.pool) the process that parsed a file writes its copy to a staging folder inside
the workspace (``files/.incoming/<one folder per import>/``) while both cores are busy anyway; the
file's write transaction then only renames it into ``files/`` (a rename in the same file system:
whole or not at all). So the copy is still made inside the transaction's decision, as on the serial
path, and a refused file changes nothing in ``files/``: its staged copy goes with the staging folder
when the import ends (also when it fails or is interrupted). A folder left by an import that was
killed is removed at the start of the next import and when the page starts: each folder names its
owner (``owner.json``: computer, process id and the process's start time, so a reused id is not
taken for it), and one whose owner is no longer running on this computer goes; one of another
computer (a shared folder) goes once it is a day old; never one whose owner still runs.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

INCOMING = ".incoming"
STALE_SECONDS = 24 * 3600  # a staging folder this old belongs to no running import
OWNER = "owner.json"  # in each staging folder: who is using it
UNOWNED_SECONDS = 600  # a folder without its owner record (an older gwstats) this old is abandoned


@dataclass
class Stage:
    """An import's staging folder. ``new_folders``: the hash folders under ``files/`` that did not
    exist when the batch's files were read, before any process could make one ahead for a copy;
    removed at the end if no copy went into them (also when a worker died or the import was
    interrupted before telling the parent what it made)."""

    dir: str
    root: str  # the workspace's folder
    new_folders: set[str] = field(default_factory=set)
    _seen: set[str] = field(default_factory=set)

    def folder_of(self, stored: str) -> str:
        return os.path.join(self.root, os.path.dirname(stored))

    def note_file(self, stored: str):
        """Called for each file to parse, as it is read (before its chunk goes to a worker)."""
        folder = self.folder_of(stored)
        if folder not in self._seen:
            self._seen.add(folder)
            if not os.path.isdir(folder):
                self.new_folders.add(folder)


def open_stage(files_dir: Path) -> Stage | None:
    """A new staging folder under ``files_dir``, or None when one cannot be made (copies are then
    written in the transaction, as on the serial path)."""
    import tempfile

    root = Path(files_dir) / INCOMING
    try:
        remove_abandoned(files_dir)
        root.mkdir(parents=True, exist_ok=True)
        folder = tempfile.mkdtemp(prefix="import-", dir=root)
        with open(os.path.join(folder, OWNER), "w", encoding="utf-8") as fh:
            json.dump(_me(), fh)
        return Stage(folder, str(Path(files_dir).parent))
    except OSError:
        return None


def _started(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch), None when it is not running."""
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except psutil.NoSuchProcess:
        return None
    except psutil.Error:  # running, but its details are not ours to read
        return -1.0


def _me() -> dict:
    return {"host": socket.gethostname(), "pid": os.getpid(), "started": _started(os.getpid())}


def _abandoned(folder: str, now: float) -> bool:
    """True when no running import uses ``folder``."""
    try:
        with open(os.path.join(folder, OWNER), encoding="utf-8") as fh:
            owner = json.load(fh)
        pid, started, host = int(owner["pid"]), owner.get("started"), owner.get("host")
    except FileNotFoundError:  # made by an older gwstats, or its owner killed before it wrote the record
        return now - os.stat(folder).st_mtime > UNOWNED_SECONDS
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return now - os.stat(folder).st_mtime > STALE_SECONDS
    if host != socket.gethostname():  # another computer's import through a shared folder: cannot ask it
        return now - os.stat(folder).st_mtime > STALE_SECONDS
    running = _started(pid)
    if running is None:
        return True
    # the same id given to a later process: its owner is gone
    return isinstance(started, (int, float)) and running >= 0 and abs(running - started) > 1.0


def remove_abandoned(files_dir: Path) -> int:
    """Remove the staging folders under ``files_dir/.incoming`` that no running import uses (the
    start of an import; the page starting). Returns how many went."""
    import shutil

    root = Path(files_dir) / INCOMING
    now, gone = time.time(), 0
    try:
        entries = [e.path for e in os.scandir(root) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return 0
    for folder in entries:
        try:
            if _abandoned(folder, now):
                shutil.rmtree(folder, ignore_errors=True)
                gone += 1
        except OSError:
            pass
    return gone


def close_stage(stage: Stage | None):
    """Remove the staging folder with what is left in it (copies of files that were not stored),
    and the folders made ahead that stayed empty: files/ is then as the stored rows say."""
    if stage is None:
        return
    import shutil

    shutil.rmtree(stage.dir, ignore_errors=True)
    for d in [os.path.dirname(stage.dir), *sorted(stage.new_folders)]:  # files/.incoming, when no other import uses it
        try:
            os.rmdir(d)  # only when empty
        except OSError:
            pass


def stage_copy(stage: Stage | None, index: int, data: bytes | None, stored: str) -> str | None:
    """Write ``data`` (the ``index``-th file of the batch) to the staging folder, and make the folder
    its copy goes to (``stored``: its path in the workspace, ``files/ab/….xlsx``). Returns the staged
    path, or None when it could not be written (the transaction then writes the copy itself and
    reports why)."""
    if stage is None or data is None:
        return None
    path = os.path.join(stage.dir, f"{index}.part")
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except OSError:
        try:
            os.unlink(path)
        except OSError:
            pass
        return None
    try:
        os.mkdir(stage.folder_of(stored))
    except OSError:  # there already (or not makeable: the transaction makes it or says why)
        pass
    return path

"""What the reader threads' Workspaces keep (``Workspace.kept``: tree, rollup totals, check, status),
held once for all of them: a province's check computed by one page is read by the next, whichever
reader thread serves it, and held in memory once, not once per thread.

When is a kept value still true? Each thread's own connection says whether anyone committed since
it last looked (``Store.change_key``: PRAGMA data_version and its own writes). A thread that sees a
change drops everything kept, and a value is kept only when the connection that computed it saw no
commit meanwhile. A thread's connection opened after the values were kept cannot tell what happened
before it was opened: for that the values carry the state of the store's files when they were kept
(size and modification time of gwstats.sqlite and its -wal file, where every commit is written), and
anything kept under other files is dropped.
"""

from __future__ import annotations

import threading
from pathlib import Path

from gwstats.workspace import Workspace

KEPT_PER_KIND = Workspace.KEPT_PER_KIND


def store_files(root: Path, settings: tuple) -> tuple:
    """The settings files' key and the store files' state (a commit moves the -wal file's)."""
    from gwstats.workspace import STORE_NAME

    out = [settings]
    for p in (root / STORE_NAME, root / (STORE_NAME + "-wal")):
        try:
            st = p.stat()
            out.append((st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:
            out.append(None)
    return tuple(out)


class SharedKept:
    """The values kept for every reader thread; a lock guards the dict, never a computation.

    ``building``: the computations under way, by key, each with the ``entries`` dict it will be kept in
    and an Event set when it ends: a thread that needs the same value meanwhile waits for that one
    computation (the warm-up's, or another page's) instead of starting a second."""

    def __init__(self):
        self.lock = threading.Lock()
        self.files: tuple | None = None
        self.entries: dict = {}
        self.building: dict = {}
        self.writes = 0  # moved by the app's writer before and after each write (pages.WebApp._run)
        self.dropped_at = -1  # ``writes`` when the entries were last dropped


class ReaderWorkspace(Workspace):
    """A reader thread's Workspace whose ``kept`` values are shared with the other reader threads."""

    def __init__(self, root, shared: SharedKept):
        super().__init__(root)
        self._shared = shared
        self.settings_key: tuple = ()  # set by the web app (pages.WebApp._files_key)
        self._seen = None  # this connection's change key when it last looked

    def _valid(self) -> tuple:
        """(change key, files) after dropping what may be older than this connection's view."""
        change = self.store.change_key()
        files = store_files(self.root, self.settings_key)
        sh = self._shared
        with sh.lock:
            # a commit this connection sees for the first time: dropped unless another thread dropped the
            # entries after the app's last write ended (else the warm-up's values, computed after that
            # write, would go again with each reader thread's first look)
            moved = self._seen is not None and change != self._seen and sh.dropped_at != sh.writes
            if moved or sh.files != files:
                sh.entries = {}
                sh.files = files
                sh.dropped_at = sh.writes
            self._seen = change
        return change, files

    def kept(self, key: tuple, build):
        sh = self._shared
        while True:
            self._valid()
            with sh.lock:
                if key in sh.entries:
                    sh.entries[key] = sh.entries.pop(key)  # most recently used last
                    return sh.entries[key]
                entries = sh.entries
                under_way = sh.building.get(key)
                if under_way is None or under_way[0] is not entries:
                    done = threading.Event()
                    sh.building[key] = (entries, done)
                    break
            under_way[1].wait()  # the same value computed by another thread: wait for it, then look again
        try:
            value = build()
            change, files = self.store.change_key(), store_files(self.root, self.settings_key)
            with sh.lock:
                if change != self._seen or sh.entries is not entries or files != sh.files:
                    return value  # a commit, or another thread dropped what was kept: keep nothing
                same = [k for k in entries if k[0] == key[0]]
                for k in same[: max(0, len(same) + 1 - KEPT_PER_KIND)]:
                    del entries[k]
                entries[key] = value
            return value
        finally:  # kept (or not) before the waiting threads look again
            with sh.lock:
                if sh.building.get(key, (None, None))[1] is done:
                    del sh.building[key]
            done.set()

    def kept_of(self, kind: str) -> list[tuple[tuple, object]]:
        self._valid()
        with self._shared.lock:
            return [(k, v) for k, v in self._shared.entries.items() if k[0] == kind]


def unit_count(ws) -> int:
    """Units in the list, kept: one count, not the tree of a province (0.5 s) read to know its size."""
    return ws.kept(("unit-count",), ws.store.unit_count)


def has_units(ws) -> bool:
    """Whether the workspace has its unit list."""
    return unit_count(ws) > 0


def big_list(ws) -> bool:
    """A province's list (analysis/brief.is_big of the whole tree), known from the count: a page decides
    to answer with a placeholder without building the tree first."""
    from gwstats.analysis.brief import BIG_UNITS

    return unit_count(ws) > BIG_UNITS

"""The received copies of an import's files, written by a thread ahead of the writer.

The writer (gwstats.importer) stores one file per SQLite transaction, in the order given, and each
file's copy under ``files/`` must be complete before the transaction that names it commits.
Writing a copy is file-system work (create, write, rename: kernel time, done without the GIL), so
a thread makes the copies while the files are still being parsed and then written: a file is
queued (:meth:`CopyAhead.add`) as soon as it has been read and parsed without error, and the writer
takes its copy (:meth:`CopyAhead.result`) inside the file's transaction, just before it adds the
file's row. On a 2-core machine this takes ~1,000 file creations (0.1–0.7 s of kernel time, measured
in bench/import_bench.py runs) off the writer's path.

Rules that keep the import's guarantees:
- A file may still be refused after its copy was made (two files of the batch disagree, a year is
  locked, kept values would disappear, --keep-existing). :meth:`finish` removes every copy this
  import created for a file it did not store, and the folders it created for them, unless the
  store has a row for that file (another clerk's import stored the same file meanwhile). It runs
  inside the workspace lock (``Workspace.writing``), so no other writer is between its check and
  its removal: a refused file leaves ``files/`` as it was.
- Copies are made before the workspace lock is taken, so another import may remove a copy this one
  found in place (one it had made itself, for a file it then refused). :meth:`result` (inside the
  lock) therefore checks that the copy is there and writes it again if not.
- Two imports may copy the same file at once: ``Workspace.copy_in_bytes`` writes each to a
  temporary name of its own, then renames it into place, so a copy is always whole.
- A process stopped before the lock (Ctrl-C while parsing, a crash) leaves at most whole copies
  that no row names (named by checksum, so the next import of that file uses them) and, for a crash
  during a write, a ``*.part`` file; never a row naming a missing or partial copy.
"""

from __future__ import annotations

import threading
from collections import deque
from pathlib import Path


class CopyAhead:
    """A thread making the copies of the files queued with :meth:`add`, in that order."""

    def __init__(self, ws):
        self.ws = ws
        self._jobs: deque = deque()
        self._queued: set[str] = set()
        self._done: dict[str, tuple[str | None, OSError | None]] = {}
        self._made: dict[str, list[Path]] = {}  # sha -> the copy and folders this import created for it
        self._cond = threading.Condition()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="gwstats-copy-ahead", daemon=True)
        self._thread.start()

    def add(self, ld):
        """Queue the copy of a file that was read and parsed without error (importer._Loaded)."""
        res = ld.result
        if res.status != "accepted" or not res.sha256:
            return
        with self._cond:
            if res.sha256 in self._queued or self._stop:
                return
            self._queued.add(res.sha256)
            self._jobs.append((res.sha256, res.name, res.path, ld.data))
            self._cond.notify_all()

    def _run(self):
        known_dirs: set[Path] = set()
        while True:
            with self._cond:
                while not self._jobs and not self._stop:
                    self._cond.wait()
                if self._stop:
                    return
                sha, name, path, data = self._jobs.popleft()
            rel, error, made = self._copy(sha, name, path, data, known_dirs)
            with self._cond:
                self._made.setdefault(sha, []).extend(made)
                self._done[sha] = (rel, error)
                self._cond.notify_all()

    def _copy(self, sha, name, path, data, known_dirs: set[Path] | None = None):
        """(relative path or None, OSError or None, paths this call created: folders, then the copy)."""
        made: list[Path] = []
        try:
            dest = self.ws.root / self.ws.stored_name(name, sha)
            for d in (dest.parent.parent, dest.parent):
                if known_dirs is None or d not in known_dirs:
                    if not d.exists():
                        made.append(d)
                    if known_dirs is not None:
                        known_dirs.add(d)
            existed = dest.exists()
            rel = self.ws.copy_in_bytes(data, name, sha) if data is not None else self.ws.copy_in(path, sha)
            if not existed:
                made.append(dest)
            return rel, None, made
        except OSError as exc:
            if known_dirs is not None:
                known_dirs.difference_update(made)
            return None, exc, made
        except Exception as exc:  # never leave the writer waiting
            return None, OSError(str(exc)), made

    def result(self, ld) -> str:
        """The file's copy (path relative to the workspace), whole and in place; raises OSError
        when it could not be written. Call inside the workspace lock."""
        res = ld.result
        sha = res.sha256
        with self._cond:
            queued = sha in self._queued
            while queued and sha not in self._done and self._thread.is_alive():
                self._cond.wait(0.5)
            rel, error = self._done.get(sha, (None, None))
        if error is not None:
            raise error
        if rel is None or not (self.ws.root / rel).is_file():  # not queued, or removed by another import meanwhile
            rel, error, made = self._copy(sha, res.name, res.path, ld.data)
            with self._cond:
                self._made.setdefault(sha, []).extend(made)
            if error is not None:
                raise error
        return rel

    def stop(self):
        """Stop the thread (copies already made stay); idempotent."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        self._thread.join()

    def finish(self, stored: set[str], store):
        """Stop, and remove what this import created for files not stored (by checksum), unless the
        store has that file from another import. Call inside the workspace lock."""
        self.stop()
        files: list[Path] = []
        dirs: list[Path] = []
        for sha, made in self._made.items():
            if sha in stored or store.file_by_sha(sha) is not None:
                continue
            for p in made:
                (dirs if p.is_dir() else files).append(p)
        for p in files:
            try:
                p.unlink()
            except OSError:
                pass
        for d in sorted(set(dirs), key=lambda d: len(d.parts), reverse=True):  # deepest first, if left empty
            try:
                d.rmdir()
            except OSError:
                pass

"""A child process for work that may hang, eat memory or crash (reading .xls/.ods/.et files).

The parent watches the child: past ``timeout`` seconds or ``max_rss`` bytes of resident memory it
kills it and raises :class:`WorkerFailed`; the next call starts a fresh child. Ctrl-C (or any
exception) in the parent while it waits kills the child too. The child watches its parent and exits
when the parent is gone (killed with -9, closed window), so it never runs on as an orphan.
Portable: ``spawn`` start method, no POSIX-only calls.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

POLL_SECONDS = 0.02


class WorkerFailed(Exception):
    """The child was killed or died; ``why`` is "timeout", "memory" or "died"."""

    def __init__(self, why: str, detail: str = ""):
        super().__init__(why, detail)
        self.why = why
        self.detail = detail


def _watch_parent():
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    from multiprocessing.connection import wait

    wait([parent.sentinel])  # returns when the parent process has ended
    os._exit(3)


MEMORY_EXIT = 86  # the child's exit code when it stopped itself over the memory limit
_LIMIT = [0]


def _watch_memory():
    """The child watches its own memory too (every 10 ms; the reader releases the GIL): a
    parent slowed down by a busy machine cannot poll often enough for a reader that grows fast."""
    try:
        import psutil

        me = psutil.Process()
    except Exception:
        return
    while True:
        limit = _LIMIT[0]
        if limit and me.memory_info().rss > limit:
            os._exit(MEMORY_EXIT)
        time.sleep(0.01)


def _main(conn):
    threading.Thread(target=_watch_parent, daemon=True).start()
    threading.Thread(target=_watch_memory, daemon=True).start()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        func, args, _LIMIT[0] = job
        try:
            out = ("ok", func(*args))
        except Exception as exc:  # sent back and raised again in the parent
            out = ("raise", exc)
        try:
            conn.send(out)
        except Exception as exc:  # an unpicklable result or exception
            conn.send(("raise", RuntimeError(f"{type(exc).__name__}: {exc}")))


class Worker:
    """One reusable child process; :meth:`call` runs ``func(*args)`` in it under the limits."""

    def __init__(self, timeout: float, max_rss: int):
        self.timeout = timeout
        self.max_rss = max_rss
        self._proc = None
        self._conn = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def _start(self):
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_main, args=(child,), daemon=True, name="gwstats-reader")
        self._proc.start()
        child.close()

    def call(self, func, *args):
        if self._proc is None or not self._proc.is_alive():
            self.kill()
            self._start()
        import psutil

        try:
            watched = psutil.Process(self._proc.pid)
        except psutil.Error:
            watched = None
        try:
            self._conn.send((func, args, self.max_rss))
            started = time.monotonic()
            while not self._conn.poll(POLL_SECONDS):
                if not self._proc.is_alive():
                    if self._proc.exitcode == MEMORY_EXIT:
                        raise WorkerFailed("memory", "stopped itself")
                    raise WorkerFailed("died", f"exit code {self._proc.exitcode}")
                if time.monotonic() - started > self.timeout:
                    raise WorkerFailed("timeout")
                if watched is not None:
                    try:
                        rss = watched.memory_info().rss
                    except psutil.Error:
                        rss = 0
                    if rss > self.max_rss:
                        raise WorkerFailed("memory", f"{rss // 2**20} MB")
            kind, value = self._conn.recv()
        except WorkerFailed:
            self.kill()
            raise
        except (EOFError, OSError, BrokenPipeError) as exc:  # the child ended while we waited
            proc = self._proc
            if proc is not None:
                proc.join(1)
            why = "memory" if proc is not None and proc.exitcode == MEMORY_EXIT else "died"
            self.kill()
            raise WorkerFailed(why, str(exc)) from None
        except BaseException:  # Ctrl-C while waiting: the child must not run on
            self.kill()
            raise
        if kind == "raise":
            raise value
        return value

    def kill(self):
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            try:
                conn.close()
            except OSError:
                pass
        if proc is not None:
            if proc.is_alive():
                proc.kill()
            proc.join(5)
            try:
                proc.close()
            except ValueError:
                pass

    def close(self):
        """Ask the child to exit (it is killed if it does not within a second)."""
        if self._proc is not None and self._proc.is_alive() and self._conn is not None:
            try:
                self._conn.send(None)
                self._proc.join(1)
            except OSError:
                pass
        self.kill()

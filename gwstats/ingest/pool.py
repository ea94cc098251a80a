"""Reading and parsing a batch of received files, on all cores for big batches.

The importer's writer stays one SQLite transaction per file, in the order given; only the
reading and parsing (calamine, layout, header fields, labels, numbers) are spread over a process
pool. The parent reads each file's bytes and checksum and asks the store whether it has the file
already (workers never touch the store), then hands the bytes to the workers in chunks, in order,
and takes the results back in the same order, so the summary and everything written are the same
as on the serial path (tests/test_import_pool.py compares the stores).

- Small batches (fewer than MIN_FILES files) never start a pool: no start-up cost.
- Workers are forked on Linux when the process runs a single thread (they inherit the catalog and
  hierarchy), and started with "spawn" elsewhere (Windows, macOS, the web UI's threaded server; the
  CLI calls multiprocessing.freeze_support()), getting the catalog and hierarchy once, at start.
- The process that parsed an accepted file also writes its copy to a staging folder
  (gwstats.ingest.staging), so the writer only renames it into ``files/`` in the file's transaction.
- Files that the reader sends to its own isolated worker (.xls, .et, .ods, .xlsb: calamine may
  abort the process on a corrupt one) are not read in the pool: the parent reads them as before.
- If a pool worker dies, the files it had not finished are read by the parent, as on the serial path.
- The parent parses too: while the next chunk in order is still in a worker, it takes the last
  chunk not yet sent. So a 2-core machine runs one worker besides the parent.
- No pool either when the machine's cores are busy with other work (1-minute load average at least
  2 x cores):
  the pool then only adds its start-up and hand-over (about 0.5 s of CPU for 1,000 files).
- ``GWSTATS_IMPORT_WORKERS``: number of worker processes besides the parent (0 = serial; default:
  one less than the cores, when enabled); setting it skips the load check.
- The pool is on by default only under the ``gwstats`` command (its main calls :func:`enable`):
  "spawn" starts each worker by importing the caller's main module again, which is harmless for the
  CLI and for a notebook but would run an unguarded script's top level (and with it, say, a
  second import) in every worker. Library callers opt in with :func:`enable` (after
  ``if __name__ == "__main__":``) or ``GWSTATS_IMPORT_WORKERS``.
- Under spawn the catalog and hierarchy go to the workers through a temporary pickle file, so what is sent
  when a worker starts stays small (a worker that died while the parent was still writing a big
  start-up message would leave the parent blocked in multiprocessing).
"""

from __future__ import annotations

import os

from gwstats.ingest.staging import Stage, stage_copy

MIN_FILES = 200  # below this, a worker's start-up (~0.2 s) costs more than it saves (~1 ms of parsing a file)
MAX_WORKERS = 8
_POOL_SUFFIXES = {".xlsx", ".xlsm", ".csv"}  # read in-process by the reader, so safe in a pool worker
_ZIP = b"PK\x03\x04"


_ENABLED = False
last_stats: dict[str, int] = {}  # of the latest batch: workers, files parsed in the pool and here (for the bench)


def enable(on: bool = True):
    """Allow the process pool for big batches (the CLI does; see the module notes)."""
    global _ENABLED
    _ENABLED = on


def _idle_core(cores: int) -> bool:
    """Whether another core is free: with every core busy (other work on the machine), a worker's
    start-up and the hand-over only add CPU time (measured: +0.5 s for 1,000 files). Unknown (Windows
    has no load average): assume yes."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return True
    return load < cores * 2  # measured on 2 cores (bench/import_pool_bench.py): still faster at load 2.2-3.2


def worker_count(n_files: int) -> int:
    """Worker processes for a batch of ``n_files`` files to parse (0: serial, in this process)."""
    env = os.environ.get("GWSTATS_IMPORT_WORKERS", "").strip()
    if env:
        try:
            n = int(env)
        except ValueError:
            n = -1
        if n >= 0:
            return 0 if n < 1 or n_files < 2 else min(n, MAX_WORKERS)
    cores = os.cpu_count() or 1
    if not _ENABLED or cores < 2 or n_files < MIN_FILES or not _idle_core(cores):
        return 0
    return min(cores - 1, MAX_WORKERS)  # the parent parses too, while it waits


def _poolable(ld) -> bool:
    suffix = ld.result.path.suffix.lower()
    if suffix not in _POOL_SUFFIXES:
        return False
    return suffix == ".csv" or (ld.data or b"").startswith(_ZIP)


def load_files(files, ctx, store, max_bytes: int, progress=None, n_workers: int | None = None,
               stage: Stage | None = None) -> list:
    """[loading.Loaded] for ``files``, in order; ``progress(done, total, "读取")`` as files are done.
    ``n_workers``: as :func:`worker_count` gives (its default). ``stage``: a staging folder
    (gwstats.ingest.staging) for the copies of accepted files, written on the pool path."""
    from gwstats.ingest.loading import parse_file, read_file

    total = len(files)
    loaded = []
    if n_workers is None:
        n_workers = worker_count(total)
    last_stats.clear()
    last_stats.update(workers=n_workers, pool=0, here=0)
    if n_workers == 0:
        for i, path in enumerate(files):
            ld = read_file(path, store, max_bytes, ctx)
            if ld.to_parse:
                parse_file(ld, ctx)
            _drop_data(ld)
            loaded.append(ld)
            if progress:
                progress(i + 1, total, "读取")
        return loaded
    return _load_parallel(files, ctx, store, max_bytes, progress, n_workers, stage)


def _drop_data(ld):
    if ld.result.status != "accepted":
        ld.data = None


def start_method() -> str:
    """How workers are started: "fork" on Linux when this process runs no other thread (a worker is
    then ready in milliseconds, with the modules and the catalog already loaded; measured 0.1-0.2 s
    less than spawn for 1,000 files), else "spawn" (the only method on Windows; fork is unsafe on
    macOS and in a process with other threads, such as the web UI's server)."""
    import sys
    import threading

    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _parse_here(ld, ctx, stage, index, stored):
    from gwstats.ingest.loading import parse_file

    parse_file(ld, ctx)
    if ld.result.status == "accepted":
        ld.staged = stage_copy(stage, index, ld.data, stored)
    last_stats["here"] += 1


def _stored_name(res) -> str:
    from gwstats.store.received import stored_name

    return stored_name(res.name, res.sha256)


def _load_parallel(files, ctx, store, max_bytes, progress, n_workers, stage) -> list:
    total = len(files)
    chunk_size = max(4, min(64, total // (n_workers * 6) or 1))
    pool, state_path = _start_pool(ctx, n_workers)
    run = _Run(pool, ctx, stage, n_workers, total, progress)
    try:
        run.read(files, store, max_bytes, chunk_size)
        run.collect()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if state_path:
            try:
                os.unlink(state_path)
            except OSError:
                pass
    return run.loaded


def _start_pool(ctx, n_workers):
    """(the process pool, the path of the pickled context it was sent or None when forked)."""
    import multiprocessing
    import pickle
    import tempfile
    from concurrent.futures import ProcessPoolExecutor

    method = start_method()
    state_path = None
    if method == "fork":  # the workers inherit the context: nothing to send
        initargs = (None, ctx)
    else:
        fd, state_path = tempfile.mkstemp(prefix="gwstats-import-", suffix=".pickle")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((ctx.catalog, ctx.h, ctx.year_option, ctx.unit_option), fh, protocol=pickle.HIGHEST_PROTOCOL)
        initargs = (state_path, None)
    try:
        pool = ProcessPoolExecutor(max_workers=n_workers, mp_context=multiprocessing.get_context(method),
                                   initializer=_init_worker, initargs=initargs)
    except BaseException:
        if state_path:
            os.unlink(state_path)
        raise
    return pool, state_path


class _Run:
    """One parallel load: the parent reads the files in order and sends chunks of them to the pool;
    while it waits for the pool it parses the last chunk nobody has started; results are taken in
    file order (progress and the import's report keep the files' order)."""

    def __init__(self, pool, ctx, stage, n_workers: int, total: int, progress):
        self.pool, self.ctx, self.stage, self.total, self.progress = pool, ctx, stage, total, progress
        self.sent_stage = Stage(stage.dir, stage.root) if stage is not None else None  # without the growing sets
        self.loaded: list = []
        self.stored: list[str | None] = []  # each file's copy's path in the workspace (files/ab/…), when it is to parse
        self.chunks: list[list[int]] = []  # indices into loaded, in order
        self.futures: dict[int, object] = {}  # chunk number -> future (sent to the pool)
        self.finished: set[int] = set()  # chunks whose results are in ``loaded``
        self.ahead = n_workers * 2  # chunks in flight at most; the parent parses from the far end meanwhile
        self.front = 0  # next chunk to send
        self.back = 0  # chunks >= back were parsed here
        self.broken = False
        self.done = 0  # files handed on (progress)

    def send(self):
        while (not self.broken and self.front < self.back
               and sum(1 for k in self.futures if k not in self.finished) < self.ahead):
            k = self.front
            items = [(i, self.loaded[i].result.path, self.loaded[i].data, self.stored[i]) for i in self.chunks[k]]
            self.futures[k] = self.pool.submit(_parse_chunk, items, self.sent_stage)
            self.front += 1

    def parse_here(self, k: int):
        for i in self.chunks[k]:
            if self.loaded[i].to_parse:
                _parse_here(self.loaded[i], self.ctx, self.stage, i, self.stored[i])
        self.finished.add(k)

    def advance(self, upto: int):
        while self.done < upto:
            ld = self.loaded[self.done]
            if ld.to_parse:  # not for the pool (an .xls…), or the pool broke: here, as on the serial path
                _parse_here(ld, self.ctx, self.stage, self.done, self.stored[self.done])
            _drop_data(ld)
            self.done += 1
            if self.progress:
                self.progress(self.done, self.total, "读取")

    def read(self, files, store, max_bytes, chunk_size: int):
        """Read every file; the workers start on the first chunks while the parent still reads."""
        from gwstats.ingest.loading import read_file

        chunk: list[int] = []
        for path in files:
            ld = read_file(path, store, max_bytes, self.ctx)
            self.loaded.append(ld)
            self.stored.append(_stored_name(ld.result) if ld.to_parse else None)
            if self.stored[-1] and self.stage is not None:
                self.stage.note_file(self.stored[-1])
            if ld.to_parse and _poolable(ld):
                chunk.append(len(self.loaded) - 1)
                if len(chunk) >= chunk_size:
                    self.chunks.append(chunk)
                    chunk = []
                    self.back = len(self.chunks)
                    self.send()
        if chunk:
            self.chunks.append(chunk)
        self.back = len(self.chunks)
        self.send()

    def collect(self):
        """Every chunk's results, in order: from the pool, or parsed here while waiting for it."""
        for k in range(len(self.chunks)):
            while k not in self.finished:
                self._step(k)
            self.send()
            self.advance(self.chunks[k][-1] + 1)
        self.advance(self.total)

    def _step(self, k: int):
        from concurrent.futures.process import BrokenProcessPool

        fut = self.futures.get(k)
        if fut is None:  # not sent (yet): parse it here
            self.parse_here(k)
            self.front = max(self.front, k + 1)
        elif fut.done() or self.back <= self.front:
            try:
                results = fut.result()
            except BrokenProcessPool:
                self.broken = True  # a worker died: the parent reads what is left
                results = [None] * len(self.chunks[k])
            for i, out in zip(self.chunks[k], results):
                if out is not None:
                    _merge(self.loaded[i], out)
            self.finished.add(k)
        else:  # waiting for the pool: take the last chunk nobody has started
            self.back -= 1
            self.parse_here(self.back)


def _merge(ld, out):
    last_stats["pool"] = last_stats.get("pool", 0) + 1
    status, errors, warnings, returns, infos, staged = out
    res = ld.result
    res.status, res.errors, res.warnings, res.returns = status, errors, warnings, infos
    ld.returns, ld.staged = returns, staged
    ld.to_parse = False


# ---- in the worker process -----------------------------------------------------------------------
_CTX = None


class _NotHere(Exception):
    """The file needs the reader's isolated worker: the parent reads it."""


def _refuse_isolated(data, name):
    raise _NotHere(name)


def _init_worker(state_path, ctx=None):
    global _CTX
    import pickle

    from gwstats.read import reader
    from gwstats.parse.context import Context

    if ctx is None:
        with open(state_path, "rb") as fh:
            catalog, hierarchy, year, unit = pickle.load(fh)
        ctx = Context(catalog, hierarchy, year=year, unit=unit)
    _CTX = ctx
    reader.refuse_isolated_reads(_refuse_isolated)  # no process of its own from inside a pool worker


def _parse_chunk(items, stage=None):
    from gwstats.ingest.loading import Loaded, parse_file
    from gwstats.ingest.report import FileResult

    out = []
    for index, path, data, stored in items:
        ld = Loaded(FileResult(path), data=data)
        try:
            parse_file(ld, _CTX)
        except _NotHere:
            out.append(None)
            continue
        res = ld.result
        staged = stage_copy(stage, index, data, stored) if res.status == "accepted" else None
        out.append((res.status, res.errors, res.warnings, ld.returns, res.returns, staged))
    return out

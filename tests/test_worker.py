"""gwstats.read.worker: the child process that reads .xls files under a time and memory limit."""

import _thread
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

import worker_jobs
from gwstats.read.worker import Worker, WorkerFailed

HERE = Path(__file__).resolve().parent


def gone(pid, within=5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


def test_results_exceptions_and_reuse():
    w = Worker(timeout=20, max_rss=300 * 2**20)
    try:
        assert w.call(worker_jobs.echo, [1, "二"]) == [1, "二"]
        pid = w.pid
        with pytest.raises(ValueError, match="bad"):
            w.call(worker_jobs.fail)
        assert w.call(worker_jobs.echo, 3) == 3 and w.pid == pid  # one child for the batch
    finally:
        w.close()
    assert gone(pid)


def test_a_hung_child_is_killed_at_the_time_limit_and_the_next_call_works():
    # The limit is for the job, so it is set once the child is up: starting a child (spawn: a fresh
    # Python) may itself take longer than 0.5 s on a loaded machine, and that is not a hang.
    w = Worker(timeout=60, max_rss=300 * 2**20)
    try:
        w.call(worker_jobs.echo, 0)  # the child is started and ready
        pid = w.pid
        w.timeout = 0.5
        t0 = time.monotonic()
        with pytest.raises(WorkerFailed) as exc:
            w.call(worker_jobs.sleep, 60)
        waited = time.monotonic() - t0
        assert exc.value.why == "timeout" and 0.5 <= waited < 5
        assert gone(pid)
        w.timeout = 60  # the next call starts a fresh child
        assert w.call(worker_jobs.echo, "again") == "again"
    finally:
        w.close()


def test_a_growing_child_is_killed_at_the_memory_limit():
    w = Worker(timeout=30, max_rss=150 * 2**20)
    try:
        w.call(worker_jobs.echo, 0)
        pid = w.pid
        with pytest.raises(WorkerFailed) as exc:
            w.call(worker_jobs.grow, 10, 100)  # would reach 1 GB
        assert exc.value.why == "memory"
        assert gone(pid)
    finally:
        w.close()


def test_a_child_that_dies_is_reported():
    w = Worker(timeout=30, max_rss=300 * 2**20)
    try:
        with pytest.raises(WorkerFailed) as exc:
            w.call(worker_jobs.die)
        assert exc.value.why == "died"
        assert w.call(worker_jobs.echo, 1) == 1
    finally:
        w.close()


def test_ctrl_c_while_waiting_kills_the_child():
    w = Worker(timeout=60, max_rss=300 * 2**20)
    w.call(worker_jobs.echo, 0)
    pid = w.pid
    # a Ctrl-C as Python takes it from a console; a process started in the background by a
    # non-interactive shell (`cmd &`) inherits SIGINT ignored, and interrupt_main then does nothing
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Timer(0.3, _thread.interrupt_main).start()
        with pytest.raises(KeyboardInterrupt):
            w.call(worker_jobs.sleep, 60)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert gone(pid)
    w.close()


PARENT = """
import sys, time
sys.path.insert(0, {tests!r})
import worker_jobs
from gwstats.read.worker import Worker
w = Worker(timeout=600, max_rss=2**30)
w.call(worker_jobs.echo, 0)
print(w.pid, flush=True)
w.call(worker_jobs.sleep, 600)
"""


def test_a_killed_parent_takes_the_child_with_it():
    parent = subprocess.Popen([sys.executable, "-c", PARENT.format(tests=str(HERE))], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert psutil.pid_exists(child)
        parent.kill()  # kill -9: no clean-up code runs in the parent
        parent.wait(10)
        assert gone(child, within=10), "the worker outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()


def test_the_oleloop_xls_is_refused_and_the_batch_goes_on(tmp_path):
    corpus = HERE.parent.parent / "shared" / "corpus" / "hostile" / "oleloop-batch"
    if not corpus.is_dir():
        pytest.skip(f"语料库 {corpus} 不存在: skipped")
    from helpers_returns import make_workspace

    ws = make_workspace(tmp_path, name="集安市关工委", year=2020)
    ws.import_units(HERE.parent / "sample_data" / "jian-an" / "units.csv")
    t0 = time.monotonic()
    report = ws.import_paths([corpus])
    assert time.monotonic() - t0 < 30
    by = {f.name: f for f in report.files}
    assert by["a-台上镇2020（修改）.xlsx"].status == "accepted"
    assert by["z-oleloop.xls"].status == "rejected"
    assert "已停止" in by["z-oleloop.xls"].errors[0].message

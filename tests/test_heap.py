"""analysis/heap.py: a province-sized array comes from the heap, where a dropped one is reused, instead
of a mapping of its own that is returned to the system and faulted in again (Linux with glibc)."""

import platform
import subprocess
import sys

import pytest

from gwstats.analysis.heap import keep_freed_memory

PROGRAM = """
import sys
import numpy as np
from gwstats.analysis.heap import keep_freed_memory
if sys.argv[1] == "keep":
    assert keep_freed_memory()
a = np.ones((100_000, 32), dtype=np.int64)  # 25.6 MB, one matrix of a province
at = a.ctypes.data
heap = [line.split()[0] for line in open("/proc/self/maps") if line.rstrip().endswith("[heap]")]
lo, hi = (int(x, 16) for x in heap[0].split("-")) if heap else (0, 0)
del a
b = np.ones((100_000, 32), dtype=np.int64)
print(lo <= at < hi, b.ctypes.data == at)
"""


def _run(mode: str) -> str:
    return subprocess.run([sys.executable, "-c", PROGRAM, mode], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_a_province_sized_array_is_taken_from_the_heap_and_reused():
    assert _run("plain").split()[0] == "False"  # glibc's default: a mapping of its own
    assert _run("keep").split() == ["True", "True"]


def test_elsewhere_it_says_no_and_changes_nothing(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    assert keep_freed_memory() is False

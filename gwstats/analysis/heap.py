"""Freed memory kept for reuse in a one-shot command (Linux with glibc only).

A province's rollup makes and drops dozens of 25 MB arrays (100,000 units × 32 metrics). glibc hands
each out as a fresh mapping and returns it to the system when dropped, so the next one is faulted in
and zeroed again page by page: ~30,000 page faults and up to a second of system time per command on
the 100k bench. Raising the mapping threshold (to glibc's ceiling, 32 MB) and the trim threshold lets
dropped arrays be reused from the heap instead. Only for short commands (the CLI's rollup and check):
a long-running process (the web server) would keep its peak memory.
"""

from __future__ import annotations

import ctypes
import platform
import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_MMAP_MAX = 32 * 1024 * 1024  # DEFAULT_MMAP_THRESHOLD_MAX on 64-bit glibc
_TRIM = 1 << 30


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed blocks up to 32 MB for reuse; False where that is not glibc (Windows,
    macOS, musl) or it refused. Nothing else changes: the same results, a little more peak memory."""
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_MAX)) and bool(mallopt(_M_TRIM_THRESHOLD, _TRIM))

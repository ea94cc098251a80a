"""Jobs for tests of gwstats.read.worker (importable by the spawned child, which unpickles them by name)."""

import os
import time


def echo(x):
    return x


def sleep(seconds):
    time.sleep(seconds)
    return "woke"


def grow(mb_per_step, steps):
    """Allocate memory step by step (like the .xls reader that loops on a 1 KB file)."""
    keep = []
    for _ in range(steps):
        keep.append(bytearray(os.urandom(16)) * (mb_per_step * 65536))
        time.sleep(0.01)
    return len(keep)


def fail():
    raise ValueError("bad")


def die():
    os._exit(7)

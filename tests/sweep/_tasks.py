"""Cheap pure-Python/numpy tasks for the sweep tests (imported by file path, see conftest)."""

from __future__ import annotations

import math
import os
import time

import numpy as np


def product(a, b):
    """A scalar and a 1-D array with its own dim name."""
    return {"x": a * b, "v": np.array([a, b, a + b])}


def logged(a, b, *, log=None, delay=0.0):
    """Product that appends "a b" to a log file (one line per computation) and sleeps."""
    if log is not None:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{a!r} {b!r}\n")
            fh.flush()
            os.fsync(fh.fileno())
    if delay:
        time.sleep(delay)
    return {"x": a * b, "s": math.sin(a) + b}


def dies_at(seed, *, fatal=2):
    """Kills its own worker process at ``seed == fatal`` (like a segfault or the OOM killer)."""
    if seed == fatal:
        os._exit(3)
    return {"square": seed * seed}

"""Explicit BLAS thread counts (private).

On the project's 2-core machines two BLAS threads speed up one process, but worker processes
that each take two oversubscribe the cores and run 2-4x slower (DESIGN.md). Heavy paths take a
thread count and apply it only around the heavy call, restoring it afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["blas_threads", "available_cores", "blas_info", "current_blas_threads"]


def available_cores() -> int:
    """Cores this process may use (CPU affinity, then SLURM's allocation, then os.cpu_count)."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        n = os.cpu_count() or 1
    slurm = os.environ.get("SLURM_CPUS_PER_TASK")
    if slurm and slurm.isdigit():
        n = min(n, int(slurm))
    return max(1, n)


@contextmanager
def blas_threads(n: int | None) -> Iterator[None]:
    """Limit BLAS/OpenMP threads to ``n`` inside the block (None: leave as is)."""
    if n is None:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=int(n)):
        yield


def blas_info() -> list[dict]:
    """The thread pools numpy/scipy loaded (library, version, threads), as threadpoolctl reports."""
    from threadpoolctl import threadpool_info

    return [{k: d.get(k) for k in ("user_api", "internal_api", "version", "num_threads")}
            for d in threadpool_info()]


def current_blas_threads() -> int:
    """The largest thread count of the BLAS/OpenMP pools loaded now (1 if none reports one)."""
    from threadpoolctl import threadpool_info

    return max([int(d.get("num_threads") or 1) for d in threadpool_info()
                if d.get("user_api") == "blas"] or [1])

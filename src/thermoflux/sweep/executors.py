"""Where the chunks of a sweep run: in this process, in local worker processes, or on Dask.

Every executor runs the same function on a chunk of points (:func:`run_chunk`): each point is
tried ``1 + retries`` times (an :class:`~thermoflux.InputError` is not retried: bad input stays
bad) and then recorded as failed, so one bad point never stops a sweep. Worker processes, local
or Dask, get ONE BLAS thread each (threadpoolctl, plus the usual environment variables for
libraries loaded later): on a machine with n cores, n workers with one thread each beat n
workers that each spawn n threads by 2-4x (DESIGN.md).

Worker processes end with the sweep: when the process that runs it dies, even by SIGKILL,
every local worker exits by itself (:func:`_exit_with_owner`; measured on a loaded 2-core
machine: all gone 0.05 s after the kill with ``fork``, 0.5-0.7 s with ``forkserver``, whose
server takes longest). Dask's LocalCluster workers already do (0.05 s): their nanny's pipe
closes.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from thermoflux.errors import InputError
from thermoflux.sweep.results import stack_points, to_point_result

__all__ = ["ChunkJob", "ChunkOutcome", "run_chunk", "dump_task", "run_serial", "run_processes",
           "run_dask", "DASK_HINT", "limit_worker_threads"]

DASK_HINT = ("executor='dask' needs dask.distributed, which is not installed: "
             "pip install 'thermoflux[dask]' (or: pip install 'dask[distributed]')")

#: how long to wait for a Dask scheduler given by address.
CONNECT_TIMEOUT = "20s"

_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


@dataclass
class ChunkJob:
    """A chunk to run: its index, its ``(point index, parameters)`` pairs, precomputed values."""

    index: int
    points: list[tuple[int, dict[str, Any]]]
    precomputed: dict[int, Any] = field(default_factory=dict)


@dataclass
class ChunkOutcome:
    """A finished chunk: Dataset of its successful points (or None), failures, wall time."""

    index: int
    dataset: Any
    points: list[int]
    failed: list[dict[str, Any]]
    seconds: float


def limit_worker_threads(n: int | None) -> None:
    """Set BLAS/OpenMP threads of this (worker) process to ``n`` for good (None: leave)."""
    if n is None:
        return
    for name in _THREAD_ENV:
        os.environ[name] = str(n)  # for libraries loaded after this point
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=int(n))  # for the ones already loaded (not a context: stays)


def _batched(task: Callable[..., Any], job: ChunkJob) -> dict[int, Any]:
    """Point results from the task's batched form, ``task.run_batch(points)``, by point index.

    ``run_batch`` gets the parameters of the chunk's points (those not precomputed) and returns
    one entry per point: what ``task(**params)`` returns for it, or None for a point it leaves
    to run alone. If it raises or answers with the wrong length, every point runs alone, so a
    failure is always found, retried and recorded per point.
    """
    run_batch = getattr(task, "run_batch", None)
    todo = [(index, params) for index, params in job.points if index not in job.precomputed]
    if not callable(run_batch) or len(todo) < 2:
        return {}
    try:
        values = run_batch([params for _, params in todo])
    except Exception:  # noqa: BLE001 - the points run alone and meet the error themselves
        return {}
    if values is None or len(values) != len(todo):
        return {}
    out = {}
    for (index, _), value in zip(todo, values):
        if value is not None:
            try:
                out[index] = to_point_result(value)
            except Exception:  # noqa: BLE001 - that point runs alone
                continue
    return out


def run_chunk(task: Callable[..., Any], job: ChunkJob, retries: int, reserved: Sequence[str]) -> ChunkOutcome:
    """Run every point of ``job``; a point that raises is retried, then recorded as failed.

    A task with a batched form (``task.run_batch``, :func:`_batched`) computes the points it
    takes in one call; the others run alone, as every point of a task without one.
    """
    start = time.perf_counter()
    ok_indices, ok_results, failed = [], [], []
    batched = _batched(task, job)
    for index, params in job.points:
        error: BaseException | None = None
        attempts = 0
        if index in batched:
            ok_results.append(batched[index])
            ok_indices.append(index)
            continue
        if index in job.precomputed:
            value, attempts = job.precomputed[index], 1
            try:
                ok_results.append(to_point_result(value))
                ok_indices.append(index)
                continue
            except Exception as exc:  # noqa: BLE001 - recorded below
                error = exc
        else:
            for attempts in range(1, retries + 2):
                try:
                    result = to_point_result(task(**params))
                except InputError as exc:  # deterministic: retrying cannot help
                    error = exc
                    break
                except Exception as exc:  # noqa: BLE001 - any failure of user code is recorded
                    error = exc
                else:
                    ok_results.append(result)
                    ok_indices.append(index)
                    error = None
                    break
        if error is not None:
            failed.append({"index": int(index), "parameters": params, "error": type(error).__name__,
                           "message": str(error), "attempts": attempts})
    dataset = stack_points(ok_indices, ok_results, reserved) if ok_results else None
    return ChunkOutcome(job.index, dataset, ok_indices, failed, time.perf_counter() - start)


# -- shipping the task to workers --------------------------------------------------------------
def dump_task(task: Callable[..., Any]) -> bytes:
    """Serialise the task for worker processes (cloudpickle if installed: lambdas and closures)."""
    try:
        import cloudpickle

        dumps = cloudpickle.dumps
    except ImportError:  # pragma: no cover - cloudpickle comes with dask
        dumps = pickle.dumps
    try:
        return dumps(task)
    except Exception as exc:  # noqa: BLE001 - any pickling failure means the same thing
        raise InputError(f"task cannot be sent to worker processes ({type(exc).__name__}: {exc}); "
                         "use a module-level function or executor='serial'") from exc


_TASKS: dict[str, Callable[..., Any]] = {}


def _load_task(blob: bytes) -> Callable[..., Any]:
    key = hashlib.sha1(blob).hexdigest()
    task = _TASKS.get(key)
    if task is None:
        if len(_TASKS) > 8:
            _TASKS.clear()
        task = _TASKS[key] = pickle.loads(blob)
    return task


# -- serial -------------------------------------------------------------------------------------
def run_serial(task: Callable[..., Any], jobs: Sequence[ChunkJob], *, retries: int,
               reserved: Sequence[str]) -> Iterator[ChunkOutcome]:
    """Run the chunks one after the other in this process (BLAS threads left as they are)."""
    for job in jobs:
        yield run_chunk(task, job, retries, reserved)


# -- local processes ---------------------------------------------------------------------------
_WORKER_TASK: list[Callable[..., Any]] = []

#: how often a ``fork`` worker checks that the sweep process is still its parent (s). Only the
#: fallback where prctl is missing (macOS): on Linux the kernel kills the worker at once.
OWNER_POLL = 0.2

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _kill_me_with_parent() -> None:
    """Linux: have the kernel SIGKILL this process when its parent dies (PR_SET_PDEATHSIG).

    Unlike a watcher thread it acts even while a task holds the GIL in a long C call.
    Elsewhere, or if the call fails, nothing happens and the watcher thread does the job.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(ctypes.c_int(_PR_SET_PDEATHSIG), ctypes.c_ulong(signal.SIGKILL),
                   ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
    except (OSError, AttributeError):  # pragma: no cover - no usable libc: the thread remains
        pass


def _wait_for_owner_death(start_method: str) -> None:
    """Block until the process that started this worker (the sweep) has died, then exit.

    Nothing else tells a worker: after a SIGKILL of the sweep no cleanup runs, and a worker
    waiting for its next chunk never reads EOF, because it holds both ends of the task queue's
    pipe itself. What tells it depends on how it was started:

    - ``fork``: the sweep is the parent; when it dies the worker is re-parented, so
      ``os.getppid()`` changes (polled). Its sentinel pipe would not do: workers forked later
      hold copies of its write end.
    - ``forkserver``, ``spawn``: the sentinel pipe's write end is held by the sweep process
      alone, so it reads EOF the moment the sweep dies (a process handle on Windows). The
      parent of a ``forkserver`` worker is the fork server, which outlives the sweep (every
      worker holds its "alive" pipe open), so its pid is of no use.
    """
    owner = multiprocessing.parent_process()
    if owner is None:  # pragma: no cover - not a multiprocessing child: nothing to watch
        return
    if start_method == "fork":
        while os.getppid() == owner.pid:
            time.sleep(OWNER_POLL)
    else:
        multiprocessing.connection.wait([owner.sentinel])
    os._exit(1)  # the sweep is gone: nobody will collect a result (no cleanup to run)


def _release_fork_server() -> None:
    """Close this worker's copy of the fork server's "alive" pipe (forkserver workers only).

    The fork server exits when every holder of that pipe's write end is gone; every worker
    inherits one, so without this the server outlives the sweep as long as its workers do, and
    its death cannot signal them. A task that starts processes of its own still can: in a
    worker, multiprocessing starts a fork server of the worker's own when one is needed.
    (``_forkserver_alive_fd`` is private to multiprocessing: if it is absent, nothing is done
    and the watcher thread still ends the worker.)
    """
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(fd, int):
        os.close(fd)
        server._forkserver_alive_fd = None


def _exit_with_owner(start_method: str) -> None:
    """Make this worker exit by itself when the sweep process dies, however it dies."""
    if start_method == "forkserver":
        _release_fork_server()  # the server now exits with the sweep, and its death kills us
    _kill_me_with_parent()  # fast path; if the parent died before this line, the thread sees it
    threading.Thread(target=_wait_for_owner_death, args=(start_method,), name="thermoflux-owner-watch",
                     daemon=True).start()


def _process_init(blob: bytes, blas: int | None, start_method: str) -> None:
    _exit_with_owner(start_method)
    limit_worker_threads(blas)
    _WORKER_TASK[:] = [pickle.loads(blob)]


def _process_chunk(job: ChunkJob, retries: int, reserved: Sequence[str]) -> ChunkOutcome:
    return run_chunk(_WORKER_TASK[0], job, retries, reserved)


def _context() -> Any:
    """How worker processes start.

    ``fork`` when this process runs no other thread (fastest: workers inherit the imports);
    otherwise ``forkserver`` (fork is unsafe with threads), whose server imports numpy, xarray
    and thermoflux once, so later pools start in milliseconds; ``spawn`` where neither exists.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["thermoflux.sweep._preload"])
        return context
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


def _pool(workers: int, blob: bytes, blas: int | None) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that load the task, set ``blas`` threads and watch us."""
    context = _context()
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_process_init,
                               initargs=(blob, blas, context.get_start_method()))


def _crashed(job: ChunkJob, exc: BaseException, attempts: int) -> ChunkOutcome:
    failed = [{"index": int(i), "parameters": p, "error": type(exc).__name__,
               "message": f"worker process lost while running this chunk: {exc}", "attempts": attempts}
              for i, p in job.points]
    return ChunkOutcome(job.index, None, [], failed, 0.0)


def run_processes(blob: bytes, jobs: Sequence[ChunkJob], *, workers: int, retries: int,
                  reserved: Sequence[str], blas: int | None) -> Iterator[ChunkOutcome]:
    """Run the chunks in ``workers`` local processes with ``blas`` BLAS threads each.

    A worker that dies (segfault, out of memory, ``os._exit``) breaks the whole pool. The
    unfinished chunks then run one at a time in a fresh one-worker pool (at least once, up to
    ``retries`` times each), so that a crash is pinned to its own chunk; a chunk that keeps
    killing its worker is recorded as failed and the others finish.
    """
    if not jobs:
        return
    n = max(1, min(workers, len(jobs)))
    broken: BaseException | None = None
    done: set[int] = set()
    with _pool(n, blob, blas) as pool:
        futures = {pool.submit(_process_chunk, job, retries, reserved): job for job in jobs}
        try:
            for future in as_completed(futures):
                try:
                    outcome = future.result()
                except BrokenProcessPool as exc:
                    broken = exc
                    continue
                done.add(futures[future].index)
                yield outcome
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    pending = [job for job in jobs if job.index not in done]
    if not pending:
        return
    pool = None
    try:
        for job in pending:
            tries = max(1, retries)
            for _ in range(tries):
                if pool is None:
                    pool = _pool(1, blob, blas)
                try:
                    outcome = pool.submit(_process_chunk, job, retries, reserved).result()
                except BrokenProcessPool as exc:
                    broken = exc
                    pool.shutdown(wait=True)
                    pool = None
                    continue
                yield outcome
                break
            else:
                yield _crashed(job, broken, tries + 1)
    finally:
        if pool is not None:
            pool.shutdown(wait=True)


# -- dask ---------------------------------------------------------------------------------------
def _dask_chunk(blob: bytes, job: ChunkJob, retries: int, reserved: Sequence[str]) -> ChunkOutcome:
    return run_chunk(_load_task(blob), job, retries, reserved)


def _blas_plugin(distributed: Any, n: int) -> Any:
    """A Dask WorkerPlugin that gives every worker process ``n`` BLAS threads."""

    class BlasThreads(distributed.WorkerPlugin):
        def __init__(self, blas_threads: int) -> None:
            self.blas_threads = blas_threads

        def setup(self, worker: Any) -> None:
            limit_worker_threads(self.blas_threads)

    return BlasThreads(n)


def run_dask(blob: bytes, jobs: Sequence[ChunkJob], *, scheduler: Any, workers: int | None,
             retries: int, reserved: Sequence[str], blas: int | None) -> Iterator[ChunkOutcome]:
    """Run the chunks on a dask.distributed cluster.

    ``scheduler`` is an address (``"tcp://host:port"``), a ``distributed.Client``, or None for a
    ``LocalCluster`` of ``workers`` processes with one thread each, made and closed here. A
    Client or address given by the caller is left running. A chunk whose worker is lost is
    resubmitted ``retries`` times, then recorded as failed.
    """
    try:
        import distributed
    except ImportError as exc:
        raise ImportError(DASK_HINT) from exc
    from thermoflux._threads import available_cores

    cluster = client = None
    own_client = not isinstance(scheduler, distributed.Client)
    try:
        if scheduler is None:
            cluster = distributed.LocalCluster(n_workers=workers or available_cores(), threads_per_worker=1,
                                               processes=True, dashboard_address=None)
            client = distributed.Client(cluster)
        elif isinstance(scheduler, str):
            try:
                client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
            except OSError as exc:
                raise InputError(f"scheduler: cannot reach a Dask scheduler at {scheduler!r} ({exc})") from exc
        else:
            client = scheduler
        if blas is not None:
            # a worker plugin also reaches workers that join later (adaptive jobqueue clusters)
            client.register_plugin(_blas_plugin(distributed, blas), name="thermoflux-blas-threads")
        by_key = {}
        attempts: dict[int, int] = {}
        futures = []
        for job in jobs:
            future = client.submit(_dask_chunk, blob, job, retries, reserved, pure=False)
            by_key[future.key] = job
            attempts[job.index] = 1
            futures.append(future)
        queue = distributed.as_completed(futures)
        for future in queue:
            job = by_key[future.key]
            if future.status == "error":
                exc = future.exception()
                if isinstance(exc, InputError):
                    raise exc
                if attempts[job.index] <= retries:
                    attempts[job.index] += 1
                    retry = client.submit(_dask_chunk, blob, job, retries, reserved, pure=False)
                    by_key[retry.key] = job
                    queue.add(retry)
                else:
                    yield _crashed(job, exc, attempts[job.index])
                continue
            yield future.result()
            future.release()
    finally:
        if own_client and client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

"""``thermoflux.sweep.run``: a task over a grid, serially, in local processes or on Dask."""

from __future__ import annotations

import functools
import inspect
import json
import math
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thermoflux._progress import progress_bar
from thermoflux._threads import available_cores
from thermoflux._validation import check_callable, check_choice
from thermoflux.errors import InputError
from thermoflux.io import software_attrs
from thermoflux.sweep.checkpoint import CheckpointStore
from thermoflux.sweep.executors import ChunkJob, ChunkOutcome, dump_task, run_dask, run_processes, run_serial
from thermoflux.sweep.grid import POINT_DIM, Grid
from thermoflux.sweep.results import STACK_DIM, assemble, failed_points_attr

__all__ = ["run", "SweepSummary", "PointFailedWarning", "EXECUTORS", "task_fingerprint"]

EXECUTORS = ("serial", "processes", "dask")


class PointFailedWarning(UserWarning):
    """Some points of a sweep failed; they are listed in ``attrs["failed_points"]``."""


@dataclass(frozen=True)
class SweepSummary:
    """What a sweep did: points in the grid, computed now, reused, failed, and the time taken."""

    points: int
    computed: int
    reused: int
    failed: int
    seconds: float
    executor: str
    workers: int
    chunk_size: int

    @property
    def seconds_per_point(self) -> float:
        """Wall time per point computed in this run (NaN when none was)."""
        return self.seconds / self.computed if self.computed else math.nan

    def __str__(self) -> str:
        per = f"{self.seconds_per_point * 1e3:.3g} ms/point" if self.computed else "nothing to compute"
        reused = f", {self.reused} from checkpoint" if self.reused else ""
        return (f"sweep: {self.points} points ({self.computed} computed{reused}, {self.failed} failed) "
                f"in {self.seconds:.3g} s, {per}; executor {self.executor} x{self.workers}, "
                f"chunks of {self.chunk_size}")


def task_fingerprint(task: Callable[..., Any]) -> str:
    """What identifies a task in a checkpoint: ``task.sweep_fingerprint()`` if it has one, the
    function and bound arguments of a ``functools.partial``, else the qualified name."""
    method = getattr(task, "sweep_fingerprint", None)
    if callable(method):
        return f"{type(task).__qualname__}:{method()}"
    if isinstance(task, functools.partial):
        return f"partial({task_fingerprint(task.func)}, {task.args!r}, {sorted(task.keywords.items())!r})"
    module = getattr(task, "__module__", None) or type(task).__module__
    name = getattr(task, "__qualname__", None) or type(task).__qualname__
    return f"{module}.{name}"


def _task_name(task: Callable[..., Any]) -> str:
    if isinstance(task, functools.partial):
        return _task_name(task.func)
    return str(getattr(task, "__name__", None) or type(task).__name__)


def _default_chunk_size(n_points: int, workers: int) -> int:
    """About 8 chunks per worker (load balance, checkpoint granularity), at most 2000 points.

    Each chunk costs a few ms (a task message, a stack, a file when checkpointing), so for
    10^4 cheap points this keeps the overhead per point in the µs range.
    """
    return max(1, min(2000, math.ceil(n_points / (8 * max(1, workers)))))


def _as_count(value: Any, name: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return value


def _check_signature(task: Callable[..., Any], grid: Grid) -> None:
    """Refuse a grid whose parameter names the task cannot take, before any work."""
    try:
        signature = inspect.signature(task)
    except (TypeError, ValueError):  # builtins and some callables have none: nothing to check
        return
    try:
        signature.bind(**grid.point(0))
    except TypeError as exc:
        raise InputError(f"grid parameters {list(grid.names)} do not fit task{signature}: {exc}") from None


@dataclass(frozen=True)
class _Settings:
    """The checked options of one sweep (``workers`` as given, ``n_workers`` as used)."""

    executor: str
    scheduler: Any
    retries: int
    workers: int | None
    n_workers: int
    chunk_size: int | None
    blas_threads: int | None


@dataclass(frozen=True)
class _Plan:
    """The chunking of one sweep: chunk size, pending chunk jobs, checkpoint, reserved names."""

    chunk_size: int
    jobs: list[ChunkJob]
    store: CheckpointStore | None
    reserved: tuple[str, ...]

    @property
    def pending(self) -> int:
        """Points computed in this run (those not already in the checkpoint)."""
        return sum(len(job.points) for job in self.jobs)


def _check(task: Callable[..., Any], grid: Any, *, executor: str, scheduler: Any,
           checkpoint: str | Path | None, resume: bool, retries: Any, workers: Any,
           chunk_size: Any, blas_threads: Any) -> tuple[Grid, _Settings]:
    """Check the task, grid and options of :func:`run` before any work; InputError names them."""
    check_callable(task, "task")
    grid = Grid(grid)
    check_choice(executor, "executor", EXECUTORS)
    retries = _as_count(retries, "retries", minimum=0)
    if workers is not None:
        workers = _as_count(workers, "workers", minimum=1)
    if chunk_size is not None:
        chunk_size = _as_count(chunk_size, "chunk_size", minimum=1)
    if blas_threads is not None:
        blas_threads = _as_count(blas_threads, "blas_threads", minimum=1)
    if scheduler is not None and executor != "dask":
        raise InputError(f"scheduler is used only with executor='dask'; got executor={executor!r}")
    if resume and checkpoint is None:
        raise InputError("resume=True needs checkpoint=FOLDER (the folder of the run to resume)")
    if hasattr(task, "check_parameters"):
        task.check_parameters(grid.names)
    _check_signature(task, grid)
    n_workers = 1 if executor == "serial" else (workers or available_cores())
    return grid, _Settings(executor=executor, scheduler=None if scheduler == "local" else scheduler,
                           retries=retries, workers=workers, n_workers=n_workers,
                           chunk_size=chunk_size, blas_threads=blas_threads)


def _plan(task: Callable[..., Any], grid: Grid, settings: _Settings, *,
          checkpoint: str | Path | None, resume: bool) -> _Plan:
    """Cut the grid into chunks and keep those the checkpoint (if any) does not hold yet."""
    size = settings.chunk_size or _default_chunk_size(grid.size, settings.n_workers)
    store = None
    finished: dict[int, dict[str, Any]] = {}
    if checkpoint is not None:
        store = CheckpointStore(checkpoint, _manifest(task, grid, size), resume=resume)
        size = store.chunk_size  # a resumed checkpoint keeps its own chunk size
        finished = store.done()
    jobs = [ChunkJob(c, list(enumerate(grid.points(c * size, (c + 1) * size), start=c * size)))
            for c in range(math.ceil(grid.size / size)) if c not in finished]
    return _Plan(chunk_size=size, jobs=jobs, store=store, reserved=(*grid.names, POINT_DIM, STACK_DIM))


def _manifest(task: Callable[..., Any], grid: Grid, chunk_size: int) -> dict[str, Any]:
    """What a checkpoint folder records about its sweep, to refuse another grid or task."""
    return {"grid_fingerprint": grid.fingerprint(), "task_fingerprint": task_fingerprint(task),
            "task": _task_name(task), "n_points": grid.size, "chunk_size": chunk_size,
            "grid": {"kind": grid.kind, "names": list(grid.names), "shape": list(grid.shape)}}


def _run_first_point(task: Callable[..., Any], job: ChunkJob) -> None:
    """Run the first pending point here: raise its InputError at once, keep its result."""
    index, params = job.points[0]
    try:
        job.precomputed[index] = task(**params)
    except InputError as exc:
        shown = ", ".join(f"{k}={v!r}" for k, v in params.items())
        raise InputError(f"{exc} (at the first point of the sweep: {shown})") from exc
    except Exception:  # noqa: BLE001 - other failures go through the retry/record path
        pass


def _dispatch(task: Callable[..., Any], blob: Any, plan: _Plan,
              settings: _Settings) -> Iterator[ChunkOutcome]:
    """Hand the pending chunks to the chosen executor; its outcomes arrive as they finish."""
    if settings.executor == "serial":
        return run_serial(task, plan.jobs, retries=settings.retries, reserved=plan.reserved)
    if settings.executor == "processes":
        return run_processes(blob, plan.jobs, workers=settings.n_workers, retries=settings.retries,
                             reserved=plan.reserved, blas=settings.blas_threads)
    return run_dask(blob, plan.jobs, scheduler=settings.scheduler, workers=settings.workers,
                    retries=settings.retries, reserved=plan.reserved, blas=settings.blas_threads)


def _collect(outcomes: Iterator[ChunkOutcome], plan: _Plan, *,
             progress: bool | None) -> dict[int, ChunkOutcome]:
    """Take the chunks as they finish, writing each to the checkpoint, behind a progress bar."""
    fresh: dict[int, ChunkOutcome] = {}

    def drive() -> Iterator[None]:
        for outcome in outcomes:
            if plan.store is not None:
                plan.store.write_chunk(outcome.index, outcome.dataset, outcome.points, outcome.failed)
            fresh[outcome.index] = outcome
            for _ in range(len(outcome.points) + len(outcome.failed)):
                yield None

    for _ in progress_bar(drive(), total=plan.pending, desc="sweep", enabled=progress):
        pass
    return fresh


def _assemble(task: Callable[..., Any], grid: Grid, plan: _Plan,
              fresh: Mapping[int, ChunkOutcome]) -> tuple[Any, list[dict[str, Any]]]:
    """One labelled Dataset of every chunk, and the failed points, in chunk order."""
    if plan.store is not None:  # always assemble from disk: a resumed run is identical by construction
        records = plan.store.done()
        datasets = [plan.store.load_chunk(c, records[c]) for c in sorted(records)]
        failures = [f for c in sorted(records) for f in records[c]["failed"]]
    else:
        datasets = [fresh[c].dataset for c in sorted(fresh)]
        failures = [f for c in sorted(fresh) for f in fresh[c].failed]
    attrs = {"sweep_parameters": json.dumps(list(grid.names)), "sweep_grid_kind": grid.kind,
             "sweep_task": _task_name(task), "failed_points": failed_points_attr(failures),
             **software_attrs()}
    units = getattr(task, "parameter_units", None)
    units = units(grid.names) if callable(units) else {}
    return assemble(datasets, grid, attrs=attrs, units=units), failures


def _warn_failed(failures: Sequence[Mapping[str, Any]], n_points: int) -> None:
    """Issue the PointFailedWarning of a sweep with failed points, at the caller of run."""
    first = min(failures, key=lambda f: f["index"])
    warnings.warn(f"{len(failures)} of {n_points} sweep points failed and are NaN in the result "
                  f"(attrs['failed_points'] lists them); first: point {first['index']} "
                  f"{first['parameters']}: {first['error']}: {first['message']}",
                  PointFailedWarning, stacklevel=3)  # 3: _warn_failed <- run <- the user's line


def _report(done: SweepSummary, summary: bool | Callable[[SweepSummary], Any] | None) -> None:
    """Pass the summary to a callable, or print it to stderr (default: only on a terminal)."""
    if callable(summary):
        summary(done)
    elif summary or (summary is None and sys.stderr.isatty()):
        print(done, file=sys.stderr)


def run(task: Callable[..., Any], grid: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]], *,
        executor: str = "processes", scheduler: Any = None, checkpoint: str | Path | None = None,
        resume: bool = False, retries: int = 1, workers: int | None = None,
        chunk_size: int | None = None, blas_threads: int | None = 1, check_first: bool = False,
        progress: bool | None = None,
        summary: bool | Callable[[SweepSummary], Any] | None = None) -> Any:
    """Run ``task(**params)`` at every point of ``grid`` and return one labelled Dataset.

    Parameters
    ----------
    task : callable
        ``task(**params)`` returns a :class:`~thermoflux.Flows`, a mapping of scalars/arrays,
        or an ``xarray.Dataset``. For ``processes``/``dask`` it must be picklable (cloudpickle:
        lambdas and closures work). A task with a batched form, ``task.run_batch(points)``
        (one entry per point: its result, or None to run it alone), computes each chunk in one
        call (:class:`ConfigTask` of Landauer configs, :class:`thermoflux.landauer.JunctionTask`).
        A task with ``task.parameter_units(names)`` (a mapping name -> units) labels the swept
        coordinates with their ``units``; :class:`ConfigTask` derives them from the config keys.
    grid : mapping name -> 1-D values, or list of mappings
        Outer product (one output dim per parameter, named by it) or explicit points (one
        output dim ``point``, a coordinate per parameter), e.g. the seeds of an ensemble.
    executor : {"processes", "serial", "dask"}
        ``processes`` (default): local worker processes, one per core, each with
        ``blas_threads`` BLAS threads. ``dask``: a dask.distributed cluster (optional extra).
    scheduler : str, distributed.Client or None
        For ``dask``: an address ``"tcp://host:port"``, a Client (left open), or None /
        ``"local"`` for a LocalCluster made and closed here.
    checkpoint : path, optional
        A folder where every finished chunk is written atomically as it completes.
    resume : bool
        Continue the sweep in ``checkpoint``: only the missing chunks are computed and the
        result is identical to an uninterrupted run. A folder made by another grid or task
        is refused; without ``resume`` a folder holding finished chunks is refused.
    retries : int
        Extra attempts of a point that raises (not for InputError); then it is recorded in
        ``attrs["failed_points"]`` (JSON), its values are NaN, and a PointFailedWarning is
        issued. Also the attempts at a chunk whose worker process died.

    Other Parameters
    ----------------
    workers : int, optional
        Worker processes (default: the cores available, counting affinity and SLURM).
    chunk_size : int, optional
        Points per chunk (default: about 8 chunks per worker, at most 2000 points). A resumed
        checkpoint keeps its own chunk size.
    blas_threads : int or None
        BLAS threads per worker process (default 1; None leaves them). ``serial`` leaves the
        threads of this process as they are.
    check_first : bool
        Run the first pending point here before the others and raise its InputError at once
        (a bad config is then one error, not a failed grid); its result is reused.
    progress : bool, optional
        tqdm bar; default only when stderr is a terminal.
    summary : bool or callable, optional
        Print the :class:`SweepSummary` to stderr (default: only on a terminal), or pass it to
        a callable.

    Returns
    -------
    xarray.Dataset
        The task's variables with the grid dims first and the task's own dims kept; the
        swept parameters as coordinates; ``attrs``: the task's attributes common to all points,
        ``sweep_parameters`` (JSON list), ``sweep_grid_kind``, ``sweep_task``,
        ``failed_points`` (JSON list of {index, parameters, error, message, attempts}) and the
        software version.

    Raises
    ------
    InputError
        Bad grid, executor, options or checkpoint, before any point runs.
    ImportError
        ``executor="dask"`` without dask.distributed (the message says how to install it).
    """
    started = time.perf_counter()
    grid, settings = _check(task, grid, executor=executor, scheduler=scheduler, checkpoint=checkpoint,
                            resume=resume, retries=retries, workers=workers, chunk_size=chunk_size,
                            blas_threads=blas_threads)
    blob = None if executor == "serial" else dump_task(task)  # refuse an unpicklable task now
    plan = _plan(task, grid, settings, checkpoint=checkpoint, resume=resume)
    if check_first and plan.jobs:
        _run_first_point(task, plan.jobs[0])
    fresh = _collect(_dispatch(task, blob, plan, settings), plan, progress=progress)
    result, failures = _assemble(task, grid, plan, fresh)
    if failures:
        _warn_failed(failures, grid.size)
    _report(SweepSummary(points=grid.size, computed=plan.pending, reused=grid.size - plan.pending,
                         failed=len(failures), seconds=time.perf_counter() - started,
                         executor=executor, workers=settings.n_workers, chunk_size=plan.chunk_size),
            summary)
    return result

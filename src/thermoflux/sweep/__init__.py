"""Parameter sweeps and ensembles: one call, on this machine or on a Dask cluster.

>>> from thermoflux import sweep
>>> ds = sweep.run(task, {"mu": np.linspace(-1, 1, 41), "beta": [1.0, 10.0]})   # doctest: +SKIP

``task(**params)`` returns a :class:`~thermoflux.Flows`, a mapping of scalars/arrays or an
``xarray.Dataset``; the result has one dim per swept parameter (or a ``point`` dim for a list
of explicit points) and keeps the task's own dims. Executors: ``"serial"``, ``"processes"``
(default; one worker per core, ONE BLAS thread each) and ``"dask"`` (dask.distributed, an
optional extra). With ``checkpoint=FOLDER`` every finished chunk is written atomically, so a
killed run resumes (``resume=True``) computing only the missing points; a failing point is
retried, then recorded in ``attrs["failed_points"]`` without stopping the sweep.
:class:`ConfigTask` sweeps dotted keys of a run configuration (``thermoflux sweep``).

A task may offer a batched form, ``task.run_batch(points) -> list`` (one entry per point: what
``task(**params)`` returns, or None for a point to run alone): every executor's chunk runner
calls it once per chunk. :class:`ConfigTask` has one where the method does (Landauer: swept
temperatures, chemical potentials and transmission parameters, one Junction per chunk), and
:class:`thermoflux.landauer.JunctionTask` is the explicit opt-in for a Python function that
builds a Junction (issue 15).
"""

from __future__ import annotations

from thermoflux.sweep.checkpoint import CheckpointStore
from thermoflux.sweep.executors import DASK_HINT
from thermoflux.sweep.grid import POINT_DIM, Grid
from thermoflux.sweep.runner import EXECUTORS, PointFailedWarning, SweepSummary, run, task_fingerprint
from thermoflux.sweep.tasks import ConfigTask, get_by_path, parse_values, set_by_path

__all__ = [
    "run",
    "Grid",
    "POINT_DIM",
    "EXECUTORS",
    "SweepSummary",
    "PointFailedWarning",
    "CheckpointStore",
    "ConfigTask",
    "get_by_path",
    "set_by_path",
    "parse_values",
    "task_fingerprint",
    "DASK_HINT",
]

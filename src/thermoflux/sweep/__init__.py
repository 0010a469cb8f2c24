"""Parameter sweeps and ensembles: one call, on this machine (processes) or on a Dask cluster.

Use it to run a task over a grid of parameters, with checkpoints and resume; the result is one xarray Dataset.
Start: ``from thermoflux import sweep; ds = sweep.run(task, {"mu": np.linspace(-1, 1, 41), "beta": [1.0, 10.0]})``.
"""

from __future__ import annotations

from thermoflux.sweep.checkpoint import CheckpointStore
from thermoflux.sweep.grid import POINT_DIM, Grid
from thermoflux.sweep.runner import EXECUTORS, PointFailedWarning, SweepSummary, run
from thermoflux.sweep.tasks import ConfigTask

__all__ = [
    "run",
    "Grid",
    "ConfigTask",
    "SweepSummary",
    "PointFailedWarning",
    "CheckpointStore",
    "POINT_DIM",
    "EXECUTORS",
]

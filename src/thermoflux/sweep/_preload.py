"""Imported once by the forkserver of the ``processes`` executor (private).

The first ``xarray.Dataset`` built in a fresh process costs ~1 s of lazy imports; doing it here,
in the server, lets every worker forked from it start warm (pools then start in ~50 ms).
"""

from __future__ import annotations

import threadpoolctl  # noqa: F401 - sets the workers' BLAS threads

try:
    import cloudpickle  # noqa: F401 - unpickles the task in every worker
except ImportError:  # pragma: no cover - cloudpickle comes with dask
    pass

from thermoflux.sweep.results import stack_points, to_point_result

__all__: list[str] = []

stack_points([0], [to_point_result({"warm": 1.0})], ())

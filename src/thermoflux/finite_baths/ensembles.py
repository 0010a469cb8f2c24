"""Pure-state ensembles (seed 001, Sec. IV C) and log-time window averages (Fig. 6).

:func:`pure_state_ensemble` runs :func:`~thermoflux.finite_baths.simulate` from several sampled
pure states and stacks the results along a ``realization`` dim; :func:`window_average` averages a
Dataset over a window of a log-spaced time axis (Fig. 6 averages regime III over
Γt ∈ [10⁵, 10⁸]).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from thermoflux._validation import as_positive, describe
from thermoflux.distributions import FermiDirac
from thermoflux.errors import InputError
from thermoflux.finite_baths.model import QuadraticModel
from thermoflux.finite_baths.simulate import simulate
from thermoflux.finite_baths.states import sampled_pure_state

__all__ = ["pure_state_ensemble", "window_average"]


def pure_state_ensemble(model: QuadraticModel, reservoirs: Mapping[str, FermiDirac],
                        realizations: int | Sequence[np.random.Generator], times: Any, *,
                        rng: np.random.Generator | None = None, system_occupation: Any = 0.0,
                        solver: str = "structured", blas_threads: int | None = None,
                        progress: bool | None = None) -> Any:
    """Simulate from sampled pure initial states, one per generator, stacked on ``realization``.

    Parameters
    ----------
    model : QuadraticModel
    reservoirs : mapping bath -> FermiDirac
        Ensembles the pure states are sampled from (:func:`sampled_pure_state`).
    realizations : int or sequence of numpy.random.Generator
        Either the generators to draw with, or a count; a count needs ``rng``, from which that
        many independent child generators are spawned (``Generator.spawn``).
    times : array_like
        As in :func:`simulate`.
    rng : numpy.random.Generator, optional
        Parent generator when ``realizations`` is a count.
    system_occupation, solver, blas_threads, progress
        As in :func:`sampled_pure_state` and :func:`simulate`.

    Returns
    -------
    xarray.Dataset
        The Datasets of :func:`simulate` concatenated along a new ``realization`` dim.

    Notes
    -----
    Seed 001, Sec. IV C and Fig. 8.
    """
    import xarray as xr

    if isinstance(realizations, (int, np.integer)) and not isinstance(realizations, bool):
        if realizations < 1:
            raise InputError(f"realizations must be >= 1; got {realizations!r}")
        if not isinstance(rng, np.random.Generator):
            raise InputError("rng (a numpy.random.Generator) is needed when realizations is a count; "
                             f"got rng={describe(rng)}")
        gens = list(rng.spawn(int(realizations)))
    elif isinstance(realizations, Sequence) and realizations and all(
            isinstance(g, np.random.Generator) for g in realizations):
        gens = list(realizations)
    else:
        raise InputError("realizations must be a positive count or a non-empty sequence of "
                         f"numpy.random.Generator; got {describe(realizations)}")
    runs = []
    for gen in gens:
        state = sampled_pure_state(model, reservoirs, gen, system_occupation)
        runs.append(simulate(model, state, times, solver=solver, blas_threads=blas_threads, progress=progress))
    out = xr.concat(runs, dim="realization", combine_attrs="override")
    return out.assign_coords(realization=("realization", np.arange(len(gens)),
                                          {"long_name": "index of the sampled pure state", "units": "1"}))


def window_average(ds: Any, start: float, stop: float, *, dim: str = "time", scale: float = 1.0) -> Any:
    """Average of a Dataset over start <= scale·t <= stop, uniform in ln t (trapezoid rule).

    For log-spaced samples this is the plain mean over the window up to end corrections; for a
    quantity linear in ln t it is exact. Variables without ``dim`` are returned unchanged.

    Parameters
    ----------
    ds : xarray.Dataset or DataArray
    start, stop : float
        Window bounds, 0 < start <= stop, in units of ``scale · t`` (e.g. Γt with scale=Γ).
    dim : str, default "time"
    scale : float, default 1.0

    Returns
    -------
    Same type as ``ds``, without ``dim``.

    Notes
    -----
    Seed 001, Fig. 6 (regime-III averages over Γt ∈ [10⁵, 10⁸]).
    """
    start = as_positive(start, "start")
    stop = as_positive(stop, "stop")
    scale = as_positive(scale, "scale")
    if stop < start:
        raise InputError(f"stop must be >= start; got start={start!r}, stop={stop!r}")
    if dim not in ds.dims:
        raise InputError(f"dim {dim!r} is not a dimension of the data; dims are {list(ds.dims)}")
    t = np.asarray(ds[dim].values, dtype=float) * scale
    inside = (t >= start) & (t <= stop)
    if not np.any(inside):
        raise InputError(f"no samples with {start!r} <= scale*{dim} <= {stop!r}")
    sel = ds.isel({dim: np.flatnonzero(inside)})
    ts = t[inside]
    if ts.size == 1:
        return sel.isel({dim: 0}, drop=True)
    x = np.log(ts)
    order = np.argsort(x)
    x = x[order]
    sel = sel.isel({dim: order})
    w = np.zeros_like(x)
    dx = np.diff(x)
    w[:-1] += dx / 2
    w[1:] += dx / 2
    import xarray as xr

    weights = xr.DataArray(w / w.sum(), dims=[dim])
    if hasattr(sel, "data_vars"):
        out = {}
        for name, v in sel.data_vars.items():
            out[name] = (v * weights).sum(dim) if dim in v.dims else v
        res = xr.Dataset(out, attrs=sel.attrs)
        for name in out:
            res[name].attrs = sel[name].attrs
        return res
    return (sel * weights).sum(dim)

"""Pure-state ensembles (Sec. IV C) and the log-window average (Fig. 6)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from thermoflux import FermiDirac, InputError
from thermoflux.finite_baths import pure_state_ensemble, resonant_level, window_average

RES = {"L": FermiDirac(1.0, 1.0), "R": FermiDirac(1.0, -1.0)}  # hot: no bath starts in its ground state


def test_ensemble_stacks_realizations():
    m = resonant_level(25, 10.0, 3.0)
    times = np.array([0.0, 1.0, 10.0])
    ds = pure_state_ensemble(m, RES, 3, times, rng=np.random.default_rng(1))
    assert ds.sizes["realization"] == 3
    # different draws give different initial bath particle numbers (a pure state is random)
    n0 = ds.bath_particles.isel(time=0, bath=0).values
    assert len(set(n0)) > 1
    same = pure_state_ensemble(m, RES, [np.random.default_rng(9)], times)
    again = pure_state_ensemble(m, RES, [np.random.default_rng(9)], times)
    assert np.array_equal(same.entropy_production.values, again.entropy_production.values)
    with pytest.raises(InputError, match="rng"):
        pure_state_ensemble(m, RES, 2, times)


def test_window_average_is_uniform_in_log_time():
    t = np.geomspace(1e-2, 1e8, 41)
    ds = xr.Dataset({"a": ("time", np.log(t)), "b": ("time", np.ones_like(t)), "c": ((), 5.0)},
                    coords={"time": t})
    avg = window_average(ds, 1e5, 1e8)
    # ln t is linear in ln t: the trapezoid average over [1e5, 1e8] is exactly its midpoint
    assert abs(float(avg.a) - np.log(10**6.5)) < 1e-12
    assert float(avg.b) == pytest.approx(1.0, abs=1e-15)
    assert float(avg.c) == 5.0
    # scale: the window is in units of Γt
    avg3 = window_average(ds, 3e5, 3e8, scale=3.0)
    assert abs(float(avg3.a) - np.log(10**6.5)) < 1e-12
    with pytest.raises(InputError, match="no samples"):
        window_average(ds, 1e9, 1e10)

"""Pure-state ensembles (Sec. IV C) and the log-window average (Fig. 6)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from thermoflux import FermiDirac, InputError
from thermoflux.finite_baths import pure_state_ensemble, resonant_level
from thermoflux.finite_baths.ensembles import window_average

RES = {"L": FermiDirac(beta=1.0, mu=1.0), "R": FermiDirac(beta=1.0, mu=-1.0)}  # hot: no bath starts in its ground state


def test_ensemble_stacks_realizations():
    m = resonant_level(25, 10.0, 3.0)
    times = np.array([0.0, 1.0, 10.0])
    ds = pure_state_ensemble(m, RES, 3, times, rng=np.random.default_rng(1))
    assert ds.sizes["realization"] == 3
    # different draws give different initial bath particle numbers (a pure state is random)
    n0 = ds.bath_particles.isel(time=0, reservoir=0).values
    assert len(set(n0)) > 1
    same = pure_state_ensemble(m, RES, [np.random.default_rng(9)], times)
    again = pure_state_ensemble(m, RES, [np.random.default_rng(9)], times)
    assert np.array_equal(same.entropy_produced.values, again.entropy_produced.values)
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


#: Sampling-error factor: a deviation beyond 5 standard errors has probability 5.7e-7 per
#: comparison for a normal mean; over the ~1e4 entries compared below the false-failure
#: probability is < 6e-3 (union bound; measured largest deviation 4.5 standard errors), and the
#: seeded generator makes the test deterministic.
N_SIGMA = 5.0


def _within_sampling_error(samples: np.ndarray, expected: np.ndarray, floor: float) -> float:
    """Largest |mean − expected| / (N_SIGMA · standard error + floor) over all entries."""
    m = samples.shape[0]
    mean = samples.mean(axis=0)
    stderr = samples.std(axis=0, ddof=1) / np.sqrt(m)
    return float(np.max(np.abs(mean - expected) / (N_SIGMA * stderr + floor)))


def test_ensemble_mean_is_the_thermal_correlation_matrix():
    """Seed 001, Sec. IV C: sampled pure (Fock) states average to the grand-canonical state, and
    the dynamics is linear in 𝒞(0), so the ensemble mean of 𝒞(t) is the thermal 𝒞(t) at every
    time, within its statistical error (computed from the sample variance, M = 400 draws)."""
    from thermoflux.finite_baths import sampled_pure_state, simulate, thermal_state
    from thermoflux.finite_baths.dynamics import correlation_matrix

    # Hot, narrow band: every mode has 0.2 <= f <= 0.8, so no bath entry has zero sample
    # variance, and a draw that fills or empties a whole bath (β* = ±inf) has probability ~1e-6.
    res = {"L": FermiDirac(beta=0.5, mu=0.5), "R": FermiDirac(beta=0.5, mu=-0.5)}
    m = resonant_level(24, 6.0, 1.0)
    times = np.array([0.0, 0.7, 3.0])
    n_draws = 400
    ds = pure_state_ensemble(m, res, n_draws, times, rng=np.random.default_rng(2024))
    thermal = simulate(m, thermal_state(m, res), times)
    # Round-off floor where the sample variance vanishes (the system site at t = 0 is empty in
    # every draw): the dynamics is exact to ~1e-14.
    floor = 1e-12
    occupations = ds.site_occupation.values                       # (realization, time, site)
    assert _within_sampling_error(occupations, thermal.site_occupation.values, floor) <= 1.0
    for name in ("bath_particles", "bath_energy"):
        assert _within_sampling_error(ds[name].values, thermal[name].values, floor) <= 1.0, name

    # Off-diagonal coherences appear at t > 0: the full matrix, from the same draws (the
    # ensemble spawns its child generators from rng in order).
    gens = np.random.default_rng(2024).spawn(n_draws)
    occ0 = np.array([sampled_pure_state(m, res, g).occupations for g in gens])
    # the same draws as the ensemble (its t = 0 occupations carry the round-off of U(0) = V V†)
    assert np.max(np.abs(occ0 - occupations[:, 0, :])) < 1e-12
    g0 = thermal_state(m, res).occupations
    for t in times[1:]:
        samples = np.array([correlation_matrix(m, occ, t) for occ in occ0])
        expected = correlation_matrix(m, g0, t)
        assert _within_sampling_error(samples.real, expected.real, floor) <= 1.0
        assert _within_sampling_error(samples.imag, expected.imag, floor) <= 1.0

"""A sweep chunk shares the drift's eigenbasis and probe matrix (issue 15); results stay per point.

References: the closed form of seed 003, eq. 29 (uniform chain with probes) at every swept
occupation, and the same point solved alone (fresh decomposition), compared exactly: the
reused arrays are the ones a fresh solve builds, so tolerance 0.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import xarray as xr

from harmonic_helpers import closed_form_chain, random_network
from thermoflux import InputError, sweep
from thermoflux.harmonic_networks import Network, lyapunov
from thermoflux.harmonic_networks.batch import run_batch
from thermoflux.harmonic_networks.config import run
from thermoflux.harmonic_networks.lyapunov import EigenCache
from thermoflux.sweep.tasks import set_by_path

L, HOPPING, GAMMA, BIG_GAMMA, N_COLD = 12, 0.1, 0.05, 0.02, 0.5


def chain_config(solver: str = "eigen") -> dict:
    return {"network": {"kind": "chain", "n_sites": L, "frequency": 1.0, "hopping": HOPPING},
            "reservoirs": {"cold": {"site": 0, "rate": GAMMA, "occupation": N_COLD},
                           "hot": {"site": L - 1, "rate": GAMMA, "occupation": 1.0}},
            "probes": {"rate": BIG_GAMMA}, "solver": {"method": solver}}


def alone(config: dict, params: dict):
    """``run`` of one point with a fresh decomposition (no cache)."""
    point = copy.deepcopy(config)
    for path, value in params.items():
        set_by_path(point, path, value)
    return run(point)


def test_occupation_sweep_matches_eq29_and_the_points_alone(monkeypatch):
    built = []

    class CountingDriftEigen(lyapunov.DriftEigen):
        def __init__(self, drift):
            built.append(1)
            super().__init__(drift)

    hot = np.linspace(0.5, 3.0, 6)
    points = [{"reservoirs.hot.occupation": float(n)} for n in hot]
    monkeypatch.setattr(lyapunov, "DriftEigen", CountingDriftEigen)
    batch = run_batch(chain_config(), points)
    assert len(built) == 1  # one decomposition for the six points
    monkeypatch.undo()
    for n, params, ds in zip(hot, points, batch):
        assert ds.attrs["solver"] == "eigen"
        occ, _, _, _ = closed_form_chain(L, HOPPING, GAMMA, BIG_GAMMA, N_COLD, n)
        # eq. 29a: O(1) occupations from the eigenbasis solve of a 12-mode drift; measured 3.2e-14
        np.testing.assert_allclose(ds["occupation"].values, occ, rtol=0, atol=3e-13)
        xr.testing.assert_identical(ds, alone(chain_config(), params))  # exact: the same arrays


def small_network(occupation: float, rate: float, probe_rate: float) -> Network:
    net = random_network(np.random.default_rng(5), 8)
    net.attach_bath(3, rate, occupation=occupation, name="extra")
    return net.add_self_consistent_probes(probe_rate)


def test_the_cache_is_reused_only_for_the_same_drift_and_probes():
    """A changed bath rate or probe rate changes M: a stale eigenbasis would solve the old drift."""
    cache = EigenCache()
    cases = [(1.0, 0.4, 0.2, False), (2.5, 0.4, 0.2, True), (2.5, 0.9, 0.2, False),
             (2.5, 0.9, 0.3, False), (0.3, 0.9, 0.3, True)]
    for occupation, rate, probe_rate, reused in cases:
        hits = cache.hits
        cached = small_network(occupation, rate, probe_rate).steady_state(solver="eigen", eigen_cache=cache)
        fresh = small_network(occupation, rate, probe_rate).steady_state(solver="eigen")
        assert cached.solver == "eigen"
        np.testing.assert_array_equal(cached.covariance, fresh.covariance)  # exact: the same arithmetic
        assert cache.hits == hits + reused


def test_sweep_through_config_task_equals_points_run_alone():
    config = {"method": "harmonic_networks", **chain_config()}
    grid = {"reservoirs.hot.occupation": [0.5, 1.5, 2.5], "network.hopping": [0.1, 0.2]}

    class Alone:  # the same task without its batched form
        def __init__(self) -> None:
            self.task = sweep.ConfigTask(config)

        def __call__(self, **params):
            return self.task(**params)

        def parameter_units(self, names):
            return self.task.parameter_units(names)

    batched = sweep.run(sweep.ConfigTask(config), grid, executor="serial", summary=False, chunk_size=6)  # one batch
    single = sweep.run(Alone(), grid, executor="serial", summary=False)
    single.attrs["sweep_task"] = batched.attrs["sweep_task"]
    xr.testing.assert_identical(batched, single)  # exact, also where the hopping changes the drift


def test_a_point_that_raises_runs_alone():
    points = [{"reservoirs.hot.occupation": 1.0}, {"reservoirs.hot.occupation": -1.0},
              {"reservoirs.hot.occupation": 2.0}]
    out = run_batch(chain_config(), points)
    assert out[0] is not None and out[1] is None and out[2] is not None


def test_a_wrong_eigen_cache_is_named():
    with pytest.raises(InputError, match="eigen_cache must be"):
        run(chain_config(), eigen_cache={})

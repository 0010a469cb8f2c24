"""Batched sweeps (issue 15): points that differ only in what the Landauer engine vectorizes go
through one Junction per chunk, and the result is the per-point one, failures and resume included.

The reference is the per-point path (every point builds its junction and runs alone). Rows of a
batched junction are integrated on the panels of their point alone, so the two agree bit for
bit (measured: max difference 0.0 on every variable, including the quadrature error
estimates); the comparisons allow 1e-14 of each variable's largest value for summation order.
"""

from __future__ import annotations

import json
import sys
import warnings

import numpy as np
import pytest
import xarray as xr

from thermoflux import FermiDirac, sweep
from thermoflux.landauer import Junction, JunctionTask, lorentzian
from thermoflux.sweep import ConfigTask, PointFailedWarning
from thermoflux.sweep.results import to_point_result
from required_extras import require

# Worker processes of the "processes" executor unpickle the task; this module (imported by
# pytest under a name like tests.sweep.test_batched) is not importable there when pytest is
# started as `pytest` rather than `python -m pytest` (no rootdir on sys.path, as in CI), so its
# functions travel by value (cloudpickle, as tests/sweep/conftest.py does for _tasks.py).
require("cloudpickle").register_pickle_by_value(sys.modules[__name__])

CONFIG = {
    "method": "landauer",
    "reservoirs": {"hot": {"statistics": "fermion", "temperature": 1.0, "mu": 0.0},
                   "cold": {"statistics": "fermion", "beta": 3.0, "mu": 0.2}},
    "transmission": [{"between": ["hot", "cold"], "kind": "lorentzian", "level": 1.0,
                      "widths": {"hot": 0.1, "cold": 0.2}}],
}
GRID = {"reservoirs.cold.mu": [-0.4, 0.0, 0.3, 0.5], "reservoirs.hot.temperature": [0.5, 1.5, 4.0],
        "transmission.0.level": [0.2, 1.0]}
# rounding of sums over differently padded panels; measured difference 0.0
RTOL = 1e-14


class PerPoint(ConfigTask):
    """The same task without its batched form: the reference path."""

    run_batch = None


class Counted(ConfigTask):
    """ConfigTask counting its per-point calls and its batched calls (serial executor only)."""

    calls: list = []
    batches: list = []

    def __call__(self, **params):
        Counted.calls.append(params)
        return super().__call__(**params)

    def run_batch(self, points):
        Counted.batches.append(len(points))
        return super().run_batch(points)


def assert_same(batched: xr.Dataset, reference: xr.Dataset) -> None:
    """Same dims, coords, attrs and variable attrs; values equal to RTOL of each variable's scale."""
    assert batched.attrs.keys() == reference.attrs.keys()
    for key, value in reference.attrs.items():
        np.testing.assert_array_equal(batched.attrs[key], value, err_msg=key)
    assert sorted(batched.variables) == sorted(reference.variables)  # (a netCDF round trip reorders)
    for name, var in reference.variables.items():
        got = batched[name]
        assert got.dims == var.dims and got.attrs == var.attrs, name
        if var.dtype.kind != "f":
            np.testing.assert_array_equal(got.values, var.values)
            continue
        scale = float(np.nanmax(np.abs(var.values), initial=0.0))
        np.testing.assert_allclose(got.values, var.values, rtol=0, atol=RTOL * scale, equal_nan=True, err_msg=name)


def test_config_batch_returns_each_point_as_run_alone():
    points = list(sweep.Grid(GRID).points(0, 24))
    task = ConfigTask(CONFIG)
    out = task.run_batch(points)
    assert out is not None and all(r is not None for r in out)          # every point was taken
    for params, record in zip(points, out):
        alone = to_point_result(task(**params))
        assert record.attrs.keys() == alone.attrs.keys()
        for key, value in alone.attrs.items():
            np.testing.assert_array_equal(record.attrs[key], value, err_msg=key)
        for name, (dims, values, attrs) in alone.data.items():
            got = record.data[name]
            assert got[0] == dims and got[2] == attrs
            scale = float(np.max(np.abs(values), initial=0.0))
            np.testing.assert_allclose(got[1], values, rtol=0, atol=RTOL * scale, err_msg=f"{name} at {params}")


def test_serial_sweep_goes_through_batches_and_equals_per_point():
    Counted.calls.clear()
    Counted.batches.clear()
    batched = sweep.run(Counted(CONFIG), GRID, executor="serial", chunk_size=7)
    assert Counted.calls == [] and Counted.batches == [7, 7, 7, 3]     # no point ran alone
    assert_same(batched, sweep.run(PerPoint(CONFIG), GRID, executor="serial", chunk_size=7))


def test_processes_sweep_equals_per_point():
    batched = sweep.run(ConfigTask(CONFIG), GRID, executor="processes", workers=2, chunk_size=5)
    assert_same(batched, sweep.run(PerPoint(CONFIG), GRID, executor="serial"))


def test_dask_sweep_equals_per_point():
    distributed = require("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, worker_dashboard_address=None) as cluster:
        batched = sweep.run(ConfigTask(CONFIG), GRID, executor="dask", scheduler=cluster.scheduler_address,
                            chunk_size=6)
    assert_same(batched, sweep.run(PerPoint(CONFIG), GRID, executor="serial"))


def test_a_failing_point_in_a_batch_is_recorded_per_point():
    grid = {"reservoirs.hot.temperature": [0.5, -1.0, 2.0, 3.0], "reservoirs.cold.mu": [0.0, 0.1]}
    Counted.calls.clear()
    with pytest.warns(PointFailedWarning):
        batched = sweep.run(Counted(CONFIG), grid, executor="serial", retries=1, chunk_size=8)
    # only the two points of temperature -1 ran alone (InputError: not retried)
    assert [c["reservoirs.hot.temperature"] for c in Counted.calls] == [-1.0, -1.0]
    failed = json.loads(batched.attrs["failed_points"])
    assert [(f["index"], f["error"], f["attempts"]) for f in failed] == [(2, "InputError", 1), (3, "InputError", 1)]
    assert "temperature" in failed[0]["message"]
    assert np.isnan(batched["particle_current"].sel({"reservoirs.hot.temperature": -1.0})).all()
    with pytest.warns(PointFailedWarning):
        assert_same(batched, sweep.run(PerPoint(CONFIG), grid, executor="serial", retries=1))


def _build(mu, temperature):
    """A resonant level between a lead at (mu, temperature) and one at (0, 0.5); elementwise."""
    leads = {"L": FermiDirac(temperature=temperature, mu=mu), "R": FermiDirac(temperature=0.5, mu=0.0)}
    return Junction(leads, lorentzian(0.2, {"L": 0.1, "R": 0.2}))


def _fails_at_mu_03(mu, temperature):
    if np.any(np.asarray(mu) == 0.3):
        raise RuntimeError("no junction at mu = 0.3")
    return _build(mu, temperature)


JGRID = {"mu": [-0.5, 0.0, 0.3, 0.6], "temperature": [0.2, 1.0, 2.5]}


@pytest.mark.parametrize("executor", ["serial", "processes"])
def test_junction_task_equals_per_point_flows(executor):
    batched = sweep.run(JunctionTask(_build), JGRID, executor=executor, chunk_size=5)
    reference = sweep.run(lambda mu, temperature: _build(mu, temperature).flows(), JGRID, executor="serial")
    reference.attrs["sweep_task"] = batched.attrs["sweep_task"]          # the task's name only
    assert_same(batched, reference)


def test_junction_task_takes_every_point_of_a_batch():
    points = list(sweep.Grid(JGRID).points(0, 12))
    out = JunctionTask(_build).run_batch(points)
    assert out is not None and all(r is not None for r in out)


def test_a_batch_that_raises_runs_its_points_alone_and_records_the_failure():
    with pytest.warns(PointFailedWarning):
        ds = sweep.run(JunctionTask(_fails_at_mu_03), JGRID, executor="serial", retries=1, chunk_size=12)
    failed = json.loads(ds.attrs["failed_points"])
    assert [(f["parameters"]["mu"], f["error"], f["attempts"]) for f in failed] == [(0.3, "RuntimeError", 2)] * 3
    reference = sweep.run(lambda mu, temperature: _build(mu, temperature).flows(), JGRID, executor="serial")
    ok = ds.sel(mu=[-0.5, 0.0, 0.6])
    np.testing.assert_allclose(ok["heat_current"], reference.sel(mu=[-0.5, 0.0, 0.6])["heat_current"],
                               rtol=0, atol=RTOL * float(np.abs(reference["heat_current"]).max()))


def test_resume_after_a_partial_checkpoint_with_batches(tmp_path):
    full = sweep.run(Counted(CONFIG), GRID, executor="serial", chunk_size=5, checkpoint=tmp_path / "ck")
    for chunk in (1, 4):
        (tmp_path / "ck" / f"chunk-{chunk:06d}.json").unlink()
    Counted.calls.clear()
    Counted.batches.clear()
    resumed = sweep.run(Counted(CONFIG), GRID, executor="serial", resume=True, checkpoint=tmp_path / "ck")
    assert Counted.batches == [5, 4] and Counted.calls == []          # only the missing chunks, batched
    xr.testing.assert_identical(resumed, full)
    assert_same(resumed, sweep.run(PerPoint(CONFIG), GRID, executor="serial"))


@pytest.mark.parametrize(("change", "grid"), [
    ({"reservoirs": {"hot": {"statistics": "boson", "temperature": 1.0, "mu": -0.1},
                     "cold": {"statistics": "boson", "beta": 3.0, "mu": -0.2}}},
     {"reservoirs.cold.mu": [-0.4, -0.3]}),                                   # bosons: never batched
    ({}, {"transmission.0.between.0": ["hot", "cold"]}),                       # not a vectorized value
])
def test_what_the_engine_does_not_vectorize_runs_per_point(change, grid):
    task = ConfigTask({**CONFIG, **change})
    assert task.run_batch(list(sweep.Grid(grid).points(0, 2))) is None


def test_swept_values_the_config_refuses_are_left_to_run_alone():
    points = [{"reservoirs.hot.temperature": t} for t in (1.0, "warm", 0.0, 2.0, True)]
    out = ConfigTask(CONFIG).run_batch(points)
    assert [r is not None for r in out] == [True, False, False, True, False]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ConfigTask(CONFIG, runner=lambda c: {}).run_batch(points) is None   # own runner: no batch


class _Batched:
    """A plain task whose batched form raises, answers short, or takes every other point."""

    def __init__(self, mode):
        self.mode = mode

    def __call__(self, a):
        if a == 2.0:
            raise ArithmeticError("bad a")
        return {"x": a * a}

    def run_batch(self, points):
        if self.mode == "raise":
            raise RuntimeError("the batch failed")
        if self.mode == "short":
            return [{"x": 0.0}]
        return [{"x": p["a"] * p["a"]} if i % 2 else None for i, p in enumerate(points)]


@pytest.mark.parametrize("mode", ["raise", "short", "half"])
def test_chunk_runner_falls_back_to_points_when_the_batch_cannot_answer(mode):
    with pytest.warns(PointFailedWarning):
        ds = sweep.run(_Batched(mode), {"a": [0.0, 1.0, 2.0, 3.0, 4.0]}, executor="serial", chunk_size=5)
    np.testing.assert_array_equal(ds["x"].values, [0.0, 1.0, np.nan, 9.0, 16.0])
    failed = json.loads(ds.attrs["failed_points"])
    assert [(f["index"], f["error"], f["attempts"]) for f in failed] == [(2, "ArithmeticError", 2)]


def _steep(w, mu):
    """Transmission expit((E - 0.37)/w): below w ~ 0.005 the panels do not resolve it."""
    from scipy.special import expit

    w = np.asarray(w, float)

    def transmission(energies):
        return expit((energies - 0.37) / np.reshape(w, w.shape + (1,) * (np.ndim(energies) - w.ndim)))

    leads = {"L": FermiDirac(temperature=0.2, mu=mu), "R": FermiDirac(temperature=0.1, mu=0.0)}
    return Junction(leads, {("L", "R"): transmission})


def test_points_whose_flows_would_raise_are_not_taken_and_fail_alone():
    grid = {"w": [1e-4, 1e-3, 0.003, 0.05], "mu": [0.3, 0.5]}
    task = JunctionTask(_steep)
    for _ in range(2):  # the second time with the template (a point run alone) already made
        out = task.run_batch(list(sweep.Grid(grid).points(0, 8)))
        assert [r is not None for r in out] == [False] * 6 + [True] * 2
    with pytest.warns(PointFailedWarning):
        batched = sweep.run(JunctionTask(_steep), grid, executor="serial", chunk_size=8, retries=0)
    with pytest.warns(PointFailedWarning):
        reference = sweep.run(lambda w, mu: _steep(w, mu).flows(), grid, executor="serial", retries=0)
    failed = json.loads(batched.attrs["failed_points"])
    assert [f["index"] for f in failed] == list(range(6)) and {f["error"] for f in failed} == {"ConvergenceError"}
    reference.attrs["sweep_task"] = batched.attrs["sweep_task"]
    assert_same(batched, reference)

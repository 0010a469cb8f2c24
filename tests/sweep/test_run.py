"""sweep.run: results equal point-by-point calls, every executor agrees, failures are recorded."""

from __future__ import annotations

import functools
import json
import math
import warnings

import numpy as np
import pytest
import xarray as xr

from thermoflux import FermiDirac, Flows, InputError, sweep
from thermoflux.io import load_dataset, save_dataset
from thermoflux.sweep import PointFailedWarning

GRID = {"a": [0.5, 1.0, 2.0], "b": [-1.0, 3.0]}


def test_outer_grid_equals_point_by_point(sweep_tasks):
    ds = sweep.run(sweep_tasks.product, GRID, executor="serial")
    assert ds["x"].dims == ("a", "b")
    assert ds["v"].dims == ("a", "b", "v_dim_0")
    for a in GRID["a"]:
        for b in GRID["b"]:
            direct = sweep_tasks.product(a, b)
            # exact: the sweep stores the very floats the task returned
            assert ds["x"].sel(a=a, b=b).item() == direct["x"]
            np.testing.assert_array_equal(ds["v"].sel(a=a, b=b).values, direct["v"])
    np.testing.assert_array_equal(ds["a"].values, GRID["a"])
    assert json.loads(ds.attrs["sweep_parameters"]) == ["a", "b"]
    assert ds.attrs["failed_points"] == "[]"
    assert ds.attrs["software"] == "thermoflux" and ds.attrs["software_version"]


@pytest.mark.parametrize("chunk_size", [1, 4])
def test_processes_equal_serial(sweep_tasks, chunk_size):
    serial = sweep.run(sweep_tasks.product, GRID, executor="serial")
    processes = sweep.run(sweep_tasks.product, GRID, executor="processes", workers=2, chunk_size=chunk_size)
    xr.testing.assert_identical(serial, processes)


def test_list_of_points_gives_point_dim(sweep_tasks):
    points = [{"a": 1.0, "b": 2.0}, {"a": 1.0, "b": 5.0}, {"a": -3.0, "b": 2.0}]
    ds = sweep.run(sweep_tasks.product, points, executor="serial")
    assert ds["x"].dims == ("point",)
    np.testing.assert_array_equal(ds["a"].values, [1.0, 1.0, -3.0])
    np.testing.assert_array_equal(ds["x"].values, [2.0, 5.0, -6.0])


def _flows_task(mu):
    """Two thermal leads, a made-up conserving particle current: Flows is flattened by reservoir."""
    reservoirs = {"L": FermiDirac(beta=1.0, mu=mu), "R": FermiDirac(beta=2.0, mu=0.0)}
    jn = 0.1 * mu
    return Flows.from_currents(reservoirs, {"L": jn, "R": -jn}, {"L": 0.0, "R": 0.0})


def test_flows_task_keeps_reservoir_dim():
    mus = [0.0, 0.5, 1.0]
    ds = sweep.run(_flows_task, {"mu": mus}, executor="serial")
    assert ds["heat_current"].dims == ("mu", "reservoir")
    assert list(ds["reservoir"].values) == ["L", "R"]
    for mu in mus:
        flows = _flows_task(mu)
        assert ds["heat_current"].sel(mu=mu, reservoir="L").item() == flows.heat["L"]
        assert ds["entropy_production"].sel(mu=mu).item() == flows.entropy_production
    assert "sign_convention" in ds.attrs  # the task's attrs common to all points survive


def test_dataset_task_dims_and_netcdf_round_trip(tmp_path):
    def task(beta):
        energies = np.linspace(-1, 1, 5)
        occupation = FermiDirac(beta=beta).occupation(energies)
        return xr.Dataset({"occupation": ("energy", occupation)}, coords={"energy": energies},
                          attrs={"beta": beta, "units": "hbar = k_B = 1"})

    ds = sweep.run(task, {"beta": [0.5, 4.0]}, executor="serial")
    assert ds["occupation"].dims == ("beta", "energy")
    assert "beta" not in ds.attrs  # differs between points: it is the swept coordinate instead
    assert ds.attrs["units"] == "hbar = k_B = 1"
    path = save_dataset(ds, tmp_path / "sweep.nc")
    xr.testing.assert_identical(load_dataset(path), ds)


def test_failed_point_is_recorded_and_the_rest_finish():
    calls = []

    def task(seed):
        calls.append(seed)
        if seed == 3:
            raise RuntimeError("no convergence at seed 3")
        return {"value": float(seed) ** 2}

    with pytest.warns(PointFailedWarning, match="1 of 6 sweep points failed"):
        ds = sweep.run(task, [{"seed": s} for s in range(6)], executor="serial", retries=2)
    assert calls.count(3) == 3  # one attempt plus two retries
    assert np.isnan(ds["value"].values[3])
    np.testing.assert_array_equal(np.delete(ds["value"].values, 3), [0, 1, 4, 16, 25])
    failed = json.loads(ds.attrs["failed_points"])
    assert failed == [{"index": 3, "parameters": {"seed": 3}, "error": "RuntimeError",
                       "message": "no convergence at seed 3", "attempts": 3}]


def test_point_failed_warning_points_at_the_callers_line():
    def task(seed):
        raise RuntimeError("always")

    with pytest.warns(PointFailedWarning) as caught:
        sweep.run(task, [{"seed": 0}], executor="serial", retries=0)
    (warning,) = caught
    assert warning.filename == __file__  # STYLE.md: warnings point at the user's line, not runner.py


def test_flaky_point_succeeds_on_retry():
    seen = set()

    def task(k):
        if k not in seen:
            seen.add(k)
            raise OSError("transient")
        return {"k2": k * 2}

    with warnings.catch_warnings():
        warnings.simplefilter("error", PointFailedWarning)
        ds = sweep.run(task, {"k": [1, 2, 3]}, executor="serial", retries=1)
    np.testing.assert_array_equal(ds["k2"].values, [2, 4, 6])


def test_input_error_of_a_point_is_not_retried():
    calls = []

    def task(t):
        calls.append(t)
        if t <= 0:
            raise InputError(f"temperature must be positive; got {t}")
        return {"beta": 1 / t}

    with pytest.warns(PointFailedWarning):
        ds = sweep.run(task, {"t": [-1.0, 1.0]}, executor="serial", retries=3)
    assert calls == [-1.0, 1.0]
    assert json.loads(ds.attrs["failed_points"])[0]["error"] == "InputError"


def test_all_points_failing_gives_empty_dataset_with_coords():
    def task(a):
        raise ValueError("always")

    with pytest.warns(PointFailedWarning, match="2 of 2"):
        ds = sweep.run(task, {"a": [1, 2]}, executor="serial", retries=0)
    assert list(ds.data_vars) == [] and list(ds["a"].values) == [1, 2]


def test_check_first_raises_input_error_and_reuses_result():
    calls = []

    def task(t):
        calls.append(t)
        if t < 0:
            raise InputError("reservoirs.L.temperature: must be positive")
        return {"t_out": t}

    with pytest.raises(InputError, match="reservoirs.L.temperature.*first point"):
        sweep.run(task, {"t": [-1.0, 1.0]}, executor="serial", check_first=True)
    calls.clear()
    ds = sweep.run(task, {"t": [1.0, 2.0]}, executor="serial", check_first=True)
    assert calls == [1.0, 2.0]  # the first point ran once, not twice
    np.testing.assert_array_equal(ds["t_out"].values, [1.0, 2.0])


def test_lambdas_and_partials_run_in_processes(sweep_tasks):
    task = functools.partial(sweep_tasks.logged, delay=0.0)
    ds = sweep.run(task, GRID, executor="processes", workers=2)
    expect = [[a * b for b in GRID["b"]] for a in GRID["a"]]
    np.testing.assert_array_equal(ds["x"].values, expect)
    offset = 7.0
    ds2 = sweep.run(lambda c: {"y": c + offset}, {"c": [1.0, 2.0]}, executor="processes", workers=2)
    np.testing.assert_array_equal(ds2["y"].values, [8.0, 9.0])


def test_points_with_different_shapes_are_padded():
    def task(n):
        return {"values": ("index", np.arange(float(n)))}

    ds = sweep.run(task, {"n": [1, 3]}, executor="serial")
    assert ds["values"].shape == (2, 3)
    assert np.isnan(ds["values"].values[0, 1:]).all()


@pytest.mark.parametrize(("grid", "match"), [
    ({}, "at least one parameter"),
    ([], "at least one point"),
    ({"a": []}, r"grid\['a'\] must be a non-empty 1-D"),
    ({"a": [[1, 2]]}, r"grid\['a'\] must be a non-empty 1-D"),
    ({"a": [1.0, 1.0]}, "repeats a value"),
    ({"a": [float("nan")]}, "must be finite"),
    ([{"a": 1}, {"b": 2}], r"grid\[1\] has the parameters"),
    ([{"point": 1}], "other than 'point'"),
    ({"c": [1.0]}, "do not fit task"),
    (3.0, "grid must be"),
])
def test_bad_grid_is_refused_before_work(sweep_tasks, grid, match):
    with pytest.raises(InputError, match=match):
        sweep.run(sweep_tasks.product, grid, executor="serial")


@pytest.mark.parametrize(("options", "match"), [
    ({"executor": "threads"}, "executor"),
    ({"retries": -1}, "retries must be an integer >= 0"),
    ({"workers": 0}, "workers must be"),
    ({"chunk_size": 0}, "chunk_size must be"),
    ({"resume": True}, "resume=True needs checkpoint"),
    ({"scheduler": "tcp://127.0.0.1:1"}, "scheduler is used only with executor='dask'"),
])
def test_bad_options_are_refused(sweep_tasks, options, match):
    with pytest.raises(InputError, match=match):
        sweep.run(sweep_tasks.product, GRID, **{"executor": "serial", **options})


def test_unpicklable_task_is_refused_for_processes():
    import threading

    lock = threading.Lock()
    with pytest.raises(InputError, match="cannot be sent to worker processes"):
        sweep.run(lambda a: {"x": a if lock else 0}, {"a": [1.0]}, executor="processes")


def test_task_output_named_like_a_parameter_is_renamed():
    def task(temperature):
        reservoirs = {"L": FermiDirac(temperature=temperature), "R": FermiDirac(temperature=1.0)}
        return Flows.from_currents(reservoirs, {"L": 0.0, "R": 0.0}, {"L": 0.1, "R": -0.1})

    ds = sweep.run(task, {"temperature": [2.0, 3.0]}, executor="serial")
    assert ds["temperature"].dims == ("temperature",)
    assert ds["temperature_task"].dims == ("temperature", "reservoir")
    np.testing.assert_array_equal(ds["temperature_task"].sel(reservoir="L").values, [2.0, 3.0])


def test_summary_callable_counts_points(sweep_tasks):
    got = []
    sweep.run(sweep_tasks.product, GRID, executor="serial", summary=got.append)
    (summary,) = got
    assert (summary.points, summary.computed, summary.reused, summary.failed) == (6, 6, 0, 0)
    assert math.isfinite(summary.seconds_per_point) and "6 points" in str(summary)


def test_grid_point_order_is_c_order():
    grid = sweep.Grid({"a": [1, 2], "b": [10, 20, 30]})
    assert [tuple(p.values()) for p in grid] == [(1, 10), (1, 20), (1, 30), (2, 10), (2, 20), (2, 30)]
    assert grid.shape == (2, 3) and len(grid) == 6


def test_a_point_that_kills_its_worker_is_recorded_and_the_rest_finish(sweep_tasks):
    with pytest.warns(PointFailedWarning, match="1 of 6"):
        ds = sweep.run(sweep_tasks.dies_at, [{"seed": s} for s in range(6)], executor="processes",
                       workers=2, chunk_size=1, retries=1)
    (failed,) = json.loads(ds.attrs["failed_points"])
    assert failed["parameters"] == {"seed": 2} and failed["error"] == "BrokenProcessPool"
    assert "worker process lost" in failed["message"]
    np.testing.assert_array_equal(np.delete(ds["square"].values, 2), [0, 1, 9, 16, 25])

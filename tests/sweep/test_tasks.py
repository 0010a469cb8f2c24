"""Dotted keys of run configs, the --over value syntax and ConfigTask."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from thermoflux import InputError, sweep
from thermoflux.sweep import ConfigTask
from thermoflux.sweep.tasks import get_by_path, parse_values, set_by_path

CONFIG = {"method": "landauer", "reservoirs": {"L": {"mu": 0.5, "temperature": 1.0}, "R": {"mu": 0}},
          "transmission": [{"between": ["L", "R"], "width": 0.1}], "modes": 10}


def test_set_and_get_dotted_paths():
    config = {"reservoirs": {"L": {"mu": 0.5}}, "transmission": [{"width": 0.1}], "modes": 10}
    set_by_path(config, "reservoirs.L.mu", -1.5)
    set_by_path(config, "transmission.0.width", np.float64(0.3))
    set_by_path(config, "modes", 20.0)
    assert config == {"reservoirs": {"L": {"mu": -1.5}}, "transmission": [{"width": 0.3}], "modes": 20}
    assert type(config["modes"]) is int and type(config["transmission"][0]["width"]) is float
    assert get_by_path(config, "reservoirs.L.mu") == -1.5


@pytest.mark.parametrize(("path", "match"), [
    ("reservoirs.L.muu", r"reservoirs.L.muu: no key 'muu' in reservoirs.L \(it has: mu, temperature\)"),
    ("reservoirs.X.mu", "no key 'X' in reservoirs"),
    ("transmission.3.width", "list of 1 entries"),
    ("reservoirs.L.mu.x", "is a value, not a table"),
    ("reservoirs", "is a table, not a value"),
    ("a..b", "dotted path"),
])
def test_bad_paths_name_the_key(path, match):
    with pytest.raises(InputError, match=match):
        ConfigTask(CONFIG).check_parameters([path])


@pytest.mark.parametrize(("spec", "log", "expected"), [
    ("0:1:5", False, [0.0, 0.25, 0.5, 0.75, 1.0]),
    ("1:100:3", True, [1.0, 10.0, 100.0]),
    ("2.5:2.5:1", False, [2.5]),
    ("0.1, 0.2,0.4", False, [0.1, 0.2, 0.4]),
    ("exact,pauli", False, ["exact", "pauli"]),
])
def test_parse_values(spec, log, expected):
    np.testing.assert_allclose(parse_values(spec, log=log), expected, rtol=1e-15) if not isinstance(
        expected[0], str) else None
    if isinstance(expected[0], str):
        assert parse_values(spec) == expected


@pytest.mark.parametrize(("spec", "log", "match"), [
    ("0:1", False, "start:stop:num"),
    ("0:1:x", False, "must be an integer"),
    ("0:1:0", False, "at least 1"),
    ("a:1:3", False, "not a number"),
    ("0:1:3", True, "start, stop > 0"),
    ("1:1:3", False, "equal"),
    ("1,,2", False, "comma-separated"),
    ("1,1", False, "repeats"),
    ("1,2", True, "--log applies"),
    ("inf:1:2", False, "not finite"),
])
def test_parse_values_errors(spec, log, match):
    with pytest.raises(InputError, match=match):
        parse_values(spec, log=log, name="--over x")


def _runner(config):
    level = config["level"]
    return xr.Dataset({"current": level["gamma"] * np.tanh(level["bias"])},
                      attrs={"method": "toy", "gamma": level["gamma"], "bias": level["bias"]})


def test_config_task_sweep_equals_direct_runs():
    base = {"level": {"gamma": 0.5, "bias": 0.0}}
    task = ConfigTask(base, runner=_runner)
    biases = [-1.0, 0.0, 2.0]
    ds = sweep.run(task, {"level.bias": biases}, executor="serial")
    for bias in biases:
        direct = _runner({"level": {"gamma": 0.5, "bias": bias}})
        assert ds["current"].sel({"level.bias": bias}).item() == direct["current"].item()
    assert base == {"level": {"gamma": 0.5, "bias": 0.0}}  # the caller's config is not mutated
    assert ds.attrs["gamma"] == 0.5 and "bias" not in ds.attrs
    with pytest.raises(InputError, match="level.width: no key"):
        sweep.run(task, {"level.width": [1.0]}, executor="serial")


def test_swept_config_keys_carry_their_units():
    # The result contract (DESIGN.md): every coordinate, swept parameters included, has units.
    task = ConfigTask({"level": {"gamma": 0.5, "bias": 0.0, "repeats": 1}}, runner=_runner)
    ds = sweep.run(task, {"level.bias": [-0.2, 0.2], "level.gamma": [0.5, 1.0], "level.repeats": [1, 2]},
                   executor="serial")
    assert ds.attrs["failed_points"] == "[]"
    assert ds["level.bias"].attrs["units"] == "energy"
    assert ds["level.gamma"].attrs["units"] == "energy"
    assert ds["level.repeats"].attrs["units"] == "1"  # an integer count


def test_a_plain_task_leaves_its_swept_coordinates_unlabelled():
    ds = sweep.run(lambda x: {"y": 2 * x}, {"x": [1.0, 2.0]}, executor="serial")
    assert "units" not in ds["x"].attrs

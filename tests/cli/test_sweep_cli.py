"""`thermoflux sweep`: dims named by dotted keys, exit status 2 on a bad config or grid."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from click.testing import CliRunner

from thermoflux import InputError, cli, configs, run_config
from thermoflux.io import load_dataset

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

TOY = """
method = "toy"
[level]
gamma = 0.5
bias = 0.0
count = 2
"""


def _toy_run(config):
    """Stands in for a method's config.run: a current that a test can predict."""
    level = config["level"]
    if level["gamma"] <= 0:
        raise InputError(f"level.gamma: must be positive; got {level['gamma']}")
    if level["bias"] > 10:
        raise RuntimeError("solver diverged")
    return xr.Dataset({"current": level["gamma"] * np.tanh(level["bias"]) * level["count"],
                       "count_seen": level["count"]}, attrs={"method": "toy"})


@pytest.fixture
def toy(tmp_path, monkeypatch):
    monkeypatch.setattr(configs, "run_config", _toy_run)
    path = tmp_path / "toy.toml"
    path.write_text(TOY)
    return path


def _invoke(*args):
    return CliRunner().invoke(cli.main, ["sweep", *map(str, args)])


def test_sweep_writes_dims_named_by_keys(toy, tmp_path):
    out = tmp_path / "out.nc"
    result = _invoke(toy, "--over", "level.bias=-1:1:5", "--over", "level.gamma=0.1:10:3", "--log",
                     "level.gamma", "--over", "level.count=1,3", "--executor", "serial", "-o", out)
    assert result.exit_code == 0, result.output
    ds = load_dataset(out)
    assert ds["current"].dims == ("level.bias", "level.gamma", "level.count")
    np.testing.assert_allclose(ds["level.gamma"].values, [0.1, 1.0, 10.0], rtol=1e-15)  # geomspace, exact up to rounding
    for bias in ds["level.bias"].values:
        for count in (1, 3):
            got = ds["current"].sel({"level.bias": bias, "level.gamma": 1.0, "level.count": count}, method="nearest")
            assert got.item() == _toy_run({"level": {"gamma": 1.0, "bias": float(bias), "count": count}})["current"].item()
    assert ds["count_seen"].dtype.kind in "iu" and set(np.unique(ds["count_seen"].values)) == {1, 3}  # ints stay ints
    assert "sweep: 30 points" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    ((), "--over: give at least one"),
    (("--over", "level.bias"), "expected KEY=start:stop:num"),
    (("--over", "level.biass=0:1:3"), "no key 'biass' in level (it has: bias, count, gamma)"),
    (("--over", "level=0:1:3"), "is a table"),
    (("--over", "level.bias=0:1"), "must be start:stop:num"),
    (("--over", "level.bias=0:1:0"), "at least 1"),
    (("--over", "level.bias=-1:1:3", "--log", "level.bias"), "start, stop > 0"),
    (("--over", "level.bias=0:1:3", "--log", "level.gamma"), "--log level.gamma: not one of the --over keys"),
    (("--over", "level.bias=0:1:3", "--over", "level.bias=1,2"), "given twice"),
    (("--over", "level.bias=0:1:3", "--resume"), "--resume needs --checkpoint"),
    (("--over", "level.bias=0:1:3", "--scheduler", "local", "--executor", "serial"), "cannot be combined"),
    (("--over", "level.gamma=-1,1"), "level.gamma: must be positive; got -1.0 (at the first point"),
])
def test_bad_grid_or_config_exits_2_with_one_line(toy, tmp_path, args, message):
    result = _invoke(toy, *args, "--executor", "serial", "-o", tmp_path / "out.nc")
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert message in result.stderr
    assert not (tmp_path / "out.nc").exists()


def test_unparsable_or_missing_config_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("method = \n")
    for path in (bad, tmp_path / "missing.toml"):
        result = _invoke(path, "--over", "a=0:1:2", "-o", tmp_path / "o.nc")
        assert result.exit_code == 2 and result.stderr.startswith("error: config:")


def test_unknown_method_exits_2(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('method = "nonsense"\nx = 1.0\n')
    result = _invoke(path, "--over", "x=0:1:2", "--executor", "serial", "-o", tmp_path / "o.nc")
    assert result.exit_code == 2 and "method: must be one of" in result.stderr


def test_failed_points_exit_1_and_are_recorded(toy, tmp_path):
    out = tmp_path / "out.nc"
    result = _invoke(toy, "--over", "level.bias=0,20", "--executor", "serial", "--retries", "0", "-o", out)
    assert result.exit_code == 1, result.output
    assert "warning: 1 of 2 sweep points failed" in result.stderr
    ds = load_dataset(out)
    assert json.loads(ds.attrs["failed_points"])[0]["message"] == "solver diverged"
    assert np.isnan(ds["current"].values[1]) and ds["current"].values[0] == 0.0


def test_checkpoint_and_resume_from_the_command_line(toy, tmp_path):
    args = [toy, "--over", "level.bias=-1:1:7", "--executor", "serial", "--chunk-size", "2",
            "--checkpoint", tmp_path / "ck"]
    assert _invoke(*args, "-o", tmp_path / "a.nc").exit_code == 0
    again = _invoke(*args, "-o", tmp_path / "b.nc")
    assert again.exit_code == 2 and "pass resume=True (--resume)" in again.stderr
    (tmp_path / "ck" / "chunk-000001.json").unlink()
    resumed = _invoke(*args, "--resume", "-o", tmp_path / "b.nc")
    assert resumed.exit_code == 0 and "2 computed, 5 from checkpoint" in resumed.stderr
    xr.testing.assert_identical(load_dataset(tmp_path / "a.nc"), load_dataset(tmp_path / "b.nc"))


@pytest.mark.skipif(not (EXAMPLES / "landauer.toml").exists()
                    or importlib.util.find_spec("thermoflux.landauer.config") is None,
                    reason="the landauer method or its example config is not present")
def test_landauer_example_sweep_equals_single_runs(tmp_path):
    from thermoflux.io import load_config
    from thermoflux.sweep.tasks import get_by_path, set_by_path

    config = load_config(EXAMPLES / "landauer.toml")
    names = list(config["reservoirs"])
    key = f"reservoirs.{names[-1]}.mu"
    start = float(get_by_path(config, key))
    out = tmp_path / "landauer.nc"
    result = _invoke(EXAMPLES / "landauer.toml", "--over", f"{key}={start - 0.2}:{start + 0.2}:3",
                     "--executor", "serial", "-o", out)
    assert result.exit_code == 0, result.output
    ds = load_dataset(out)
    assert ds["entropy_production"].dims == (key,)
    for mu in ds[key].values:
        set_by_path(config, key, float(mu))
        direct = run_config(config)
        # identical arithmetic on the same inputs: equal to the last bit
        np.testing.assert_array_equal(ds["particle_current"].sel({key: mu}).values, direct["particle_current"].values)
        assert ds["entropy_production"].sel({key: mu}).item() >= 0  # second law at every point

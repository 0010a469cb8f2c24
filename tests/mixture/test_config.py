"""The mixture run configuration: the example runs, bad keys are named, the Dataset round-trips."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from thermoflux import InputError
from thermoflux.io import load_config, load_dataset, save_dataset
from thermoflux.mixture.config import run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mixture.toml"


def test_example_runs_and_round_trips(tmp_path):
    config = load_config(EXAMPLE)
    ds = run(config)
    j = float(ds["bulk_particle_current"])
    assert float(ds["particle_current"].sel(reservoir="hot")) == j == -float(ds["particle_current"].sel(reservoir="cold"))
    assert float(ds["entropy_production"]) > 0
    eta = float(ds["efficiency"])
    assert 0 < eta < 1 - 0.5 / 2.0                       # Carnot bound, eq. 105
    for name in ("hot", "cold"):   # κ_2 of each outflow is the diagonal of the noise matrix
        assert float(ds["current_cumulant"].sel(reservoir=name, order=2)) == pytest.approx(
            float(ds["noise"].sel(reservoir=name, reservoir_=name)), rel=1e-13)
    assert float(ds["current_cumulant"].sel(reservoir="cold", order=1)) == -j
    for key in ("method", "software_version", "units", "sign_convention"):
        assert key in ds.attrs, key
    assert ds.attrs["config.reservoirs.hot.temperature"] == 2.0
    out = save_dataset(ds, tmp_path / "mixture.nc")
    back = load_dataset(out)
    for name in ("lorenz_number", "current_cumulant", "entropy_production_moment", "heat_current"):
        np.testing.assert_array_equal(back[name].values, ds[name].values)
    assert back.attrs["config.weights.kind"] == "step"


def test_cli_dispatch_runs_the_example(tmp_path):
    from thermoflux import run_config

    ds = run_config(load_config(EXAMPLE))
    assert float(ds["entropy_production"]) > 0 and ds.attrs["method"] == "mixture"


def test_numpy_numbers_from_a_sweep_are_accepted():
    config = copy.deepcopy(load_config(EXAMPLE))
    config["reservoirs"]["cold"]["mu"] = np.float64(0.25)
    config["outputs"]["cumulants"] = np.int64(3)
    ds = run(config)
    assert ds.sizes["order"] == 3 and float(ds["chemical_potential"].sel(reservoir="cold")) == 0.25


def test_gaussian_and_bosons():
    config = {"method": "mixture",
              "reservoirs": {"a": {"statistics": "boson", "beta": 1.0, "mu": -0.2},
                             "b": {"statistics": "boson", "temperature": 2.0, "mu": -1.0}},
              "weights": {"kind": "gaussian", "xi": 0.5}}
    ds = run(config)
    assert float(ds["entropy_production"]) > 0
    # σ = Σ_α −J^Q_α/T_α from the Dataset's own columns (eq. 95); sums of two numbers: rounding
    heat, temp = ds["heat_current"].values, ds["temperature"].values
    assert float(ds["entropy_production"]) == pytest.approx(float(np.sum(-heat / temp)), rel=1e-12)
    # heat flows into both reservoirs here (eq. 103, q1 > q2 > 0, fails): not a heat engine, NaN
    assert np.all(heat < 0) and np.isnan(float(ds["efficiency"]))


@pytest.mark.parametrize(
    "path, value, match",
    [
        (("reservoirs", "hot", "temperature"), -1.0, r"^reservoirs\.hot\.temperature: temperature of FermiDirac must be positive"),
        (("reservoirs", "hot", "mu"), "x", r"^reservoirs\.hot\.mu: must be a number"),
        (("reservoirs", "hot", "spin"), 1, r"^reservoirs\.hot\.spin: unknown key"),
        (("weights", "c_plus"), 0.9, r"^weights\.c_plus: c_plus must lie in \[-1/2, 1/2\]"),
        (("weights", "kind"), "box", r"^weights\.kind"),
        (("weights", "xi"), 1.0, r"^weights\.xi: unknown key"),
        (("mass",), 0.0, r"^mass: mass must be positive"),
        (("colour",), 1, r"^colour: unknown key"),
        (("method",), "landauer", r"^method"),
        (("outputs", "cumulants"), 1, r"^outputs\.cumulants"),
        (("statistics",), "fermion", r"^statistics: unknown key"),       # the old top-level dialect
        (("reservoirs", "cold", "statistics"), "anyon", r"^reservoirs\.cold\.statistics: must be one of"),
        (("reservoirs", "cold", "statistics"), "boson", r"^reservoirs: reservoirs must share one statistics"),
        (("reservoirs", "cold", "occupation"), {"energies": [0, 1], "values": [0.5, 0.4]}, r"^reservoirs\.cold\.occupation: give either"),
    ],
)
def test_bad_config_names_the_key(path, value, match):
    config = copy.deepcopy(load_config(EXAMPLE))
    target = config
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InputError, match=match):
        run(config)


def test_missing_keys_are_named():
    config = copy.deepcopy(load_config(EXAMPLE))
    del config["reservoirs"]["cold"]["statistics"]
    with pytest.raises(InputError, match=r"^reservoirs\.cold\.statistics: missing"):
        run(config)
    config = copy.deepcopy(load_config(EXAMPLE))
    config["reservoirs"]["third"] = {"statistics": "fermion", "beta": 1.0, "mu": 0.0}
    with pytest.raises(InputError, match=r"^reservoirs: exactly two"):
        run(config)
    config = copy.deepcopy(load_config(EXAMPLE))
    for spec in config["reservoirs"].values():
        spec["statistics"] = "boson"
    with pytest.raises(InputError, match=r"^reservoirs: mu of the Bose reservoir 'hot' must lie below"):
        run(config)
    config = copy.deepcopy(load_config(EXAMPLE))
    config["reservoirs"]["cold"] = {"statistics": "fermion", "occupation": {"energies": [0, 1], "values": [0.5, 0.4]}}
    with pytest.raises(InputError, match=r"^reservoirs: reservoir 'cold' must be a FermiDirac or BoseEinstein"):
        run(config)

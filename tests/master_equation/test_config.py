"""config.run: the example config, validation messages naming the dotted key, netCDF round trip."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from thermoflux import InputError
from thermoflux.io import load_config, load_dataset, save_dataset
from thermoflux.master_equation.config import run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "master_equation.toml"


def test_example_config_runs_and_round_trips(tmp_path):
    config = load_config(EXAMPLE)
    ds = run(config)
    assert float(ds.heat_current.sel(reservoir="hot")) > 0 > float(ds.heat_current.sel(reservoir="cold"))
    assert float(ds.entropy_production) > 0
    np.testing.assert_allclose(float(ds.populations.sum()), 1.0, rtol=1e-14)
    back = load_dataset(save_dataset(ds, tmp_path / "me.nc"))
    np.testing.assert_array_equal(back.micro_energy_current.values, ds.micro_energy_current.values)  # float64 netCDF: exact
    assert back.attrs["config.reservoirs.hot.temperature"] == 2.0
    # DESIGN result contract: one per-reservoir dim, self-explaining attrs, units on every variable
    assert back.micro_energy_current.dims == ("reservoir", "upper", "lower")
    assert (back.attrs["method"], back.attrs["seed"]) == ("master_equation", "002")
    assert {"software_version", "units", "sign_convention", "equations"} <= set(back.attrs)
    assert all("units" in back[n].attrs for n in back.data_vars if n != "detailed_balance")


def test_dotted_override_changes_result():
    config = load_config(EXAMPLE)
    hot = float(run(config).heat_current.sel(reservoir="hot"))
    config["reservoirs"]["hot"]["temperature"] = 0.5  # what a sweep over reservoirs.hot.temperature sets
    same = run(config)
    assert abs(float(same.heat_current.sel(reservoir="hot"))) < 1e-15 * abs(hot) + 1e-18  # equal temperatures
    assert int(same.detailed_balance) == 1


@pytest.mark.parametrize("path, value, message", [
    (("reservoirs", "hot", "temperature"), -1.0, r"^reservoirs\.hot\.temperature: temperature of BoseEinstein must be positive"),
    (("reservoirs", "hot", "colour"), 1, r"^reservoirs\.hot\.colour: unknown key"),
    (("reservoirs", "hot", "statistics"), "anyon", r"^reservoirs\.hot\.statistics: must be"),
    (("reservoirs", "hot", "spectral_density", "strength"), "big", r"^reservoirs\.hot\.spectral_density\.strength: must be a number"),
    (("energies",), [0.0, 1.0], r"^reservoirs\.hot\.coupling: must be a 2x2 matrix"),
    (("fields",), {}, r"^fields: unknown key"),                   # the old dialect
    (("lamb_shift",), "yes", r"^lamb_shift: must be true or false"),
])
def test_bad_config_names_the_key(path, value, message):
    config = copy.deepcopy(load_config(EXAMPLE))
    node = config
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(InputError, match=message):
        run(config)


def test_missing_key():
    config = load_config(EXAMPLE)
    del config["reservoirs"]["cold"]["coupling"]
    with pytest.raises(InputError, match=r"^reservoirs\.cold\.coupling: missing"):
        run(config)
    config = load_config(EXAMPLE)
    del config["reservoirs"]["cold"]["statistics"]
    with pytest.raises(InputError, match=r"^reservoirs\.cold\.statistics: missing"):
        run(config)


def test_tabulated_field_equals_the_thermal_one_at_the_bohr_frequencies():
    # the rates see a field's occupation only at the Bohr frequencies 1, 1.5, 2.5 of the
    # example: a table holding the Bose-Einstein values there gives the same energy currents
    config = load_config(EXAMPLE)
    thermal = run(copy.deepcopy(config))
    bohr = np.array([1.0, 1.5, 2.5])
    for spec in config["reservoirs"].values():
        n = 1.0 / np.expm1(bohr / spec.pop("temperature"))
        spec.pop("mu", None)
        spec["occupation"] = {"energies": bohr.tolist(), "values": n.tolist()}
    tabulated = run(config)
    # the same rates: currents ~2e-3, measured difference 0; 1e-15 allows for rounding in the interpolation
    np.testing.assert_allclose(tabulated.energy_current.values, thermal.energy_current.values, rtol=0, atol=1e-15)
    np.testing.assert_allclose(tabulated.populations.values, thermal.populations.values, rtol=0, atol=1e-14)

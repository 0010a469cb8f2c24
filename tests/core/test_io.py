"""io: netCDF-safe attributes, atomic writes, config errors."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from thermoflux import InputError
from thermoflux.io import load_config, load_dataset, netcdf_attrs, save_dataset


def test_netcdf_attrs_flatten_and_sanitize():
    attrs = netcdf_attrs({"a": {"b": 1, "c": None, "d": True}, "grid": [1, 2.5], "names": ["L", "R"],
                          "big": 2**40})
    assert attrs == {"a.b": 1, "a.c": "none", "a.d": 1, "grid": pytest.approx(np.array([1.0, 2.5])),
                     "names": '["L", "R"]', "big": str(2**40)}


def test_save_is_atomic_and_round_trips(tmp_path):
    ds = xr.Dataset({"x": ("t", np.arange(3.0))}, attrs={"params": {"beta": 2.0, "label": None}})
    path = save_dataset(ds, tmp_path / "sub" / "out.nc")
    assert sorted(p.name for p in path.parent.iterdir()) == ["out.nc"]  # no temporary left behind
    back = load_dataset(path)
    np.testing.assert_array_equal(back["x"].values, [0.0, 1.0, 2.0])
    assert back.attrs["params.beta"] == 2.0 and back.attrs["params.label"] == "none"
    assert ds.attrs == {"params": {"beta": 2.0, "label": None}}  # the caller's Dataset is untouched


def test_config_errors_name_the_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("a = [1,\n")
    with pytest.raises(InputError, match="not valid TOML"):
        load_config(bad)
    with pytest.raises(InputError, match="no such file"):
        load_dataset(tmp_path / "missing.nc")


def test_result_attrs_are_netcdf_safe_and_own_their_keys(tmp_path):
    import thermoflux
    from thermoflux.flows import SIGN_CONVENTION
    from thermoflux.io import UNITS, result_attrs

    attrs = result_attrs("landauer", seed="004", equations="6", sign_note="extra: a sentence",
                         parameters={"beta": {"L": 2.0}, "note": None}, solver="quad")
    assert attrs["method"] == "landauer" and attrs["seed"] == "004" and attrs["equations"] == "6"
    assert attrs["units"] == UNITS and attrs["software_version"] == thermoflux.__version__
    assert attrs["sign_convention"] == SIGN_CONVENTION + "; extra: a sentence"
    assert attrs["parameters.beta.L"] == 2.0 and attrs["parameters.note"] == "none"
    assert attrs["solver"] == "quad"
    assert "seed" not in result_attrs("")  # flows built by hand: no seed to name
    back = load_dataset(save_dataset(xr.Dataset(attrs=attrs), tmp_path / "a.nc"))
    assert back.attrs["parameters.beta.L"] == 2.0 and back.attrs["sign_convention"] == attrs["sign_convention"]
    with pytest.raises(InputError, match="^units: set by result_attrs"):
        result_attrs("landauer", units="SI")
    with pytest.raises(InputError, match="method must be a string"):
        result_attrs(None)


def test_time_series_dataset_layout_and_errors():
    from thermoflux.io import TIME_UNITS, result_attrs, time_series_dataset

    t = np.array([0.0, 1.0, 2.0])
    ds = time_series_dataset(
        t, ["hot", "cold"],
        per_reservoir={"heat_current": (np.ones((3, 2)), "J^Q", "energy/time", "seed 001, eq. 4")},
        series={"entropy_produced": (t, "Sigma(t)", "nat")},
        other={"level_population": (("time", "level"), np.zeros((3, 4)), "p_l(t)", "1"),
               "initial_value": ((), 0.5, "x(0)", "1")},
        coords={"level": ("level", np.arange(4), "level index", "1")},
        attrs=result_attrs("finite_baths"))
    assert ds.heat_current.dims == ("time", "reservoir") and ds.entropy_produced.dims == ("time",)
    assert ds.heat_current.attrs == {"long_name": "J^Q", "units": "energy/time", "reference": "seed 001, eq. 4"}
    assert ds.time.attrs["units"] == TIME_UNITS and list(ds.reservoir.values) == ["hot", "cold"]
    assert all("units" in ds[name].attrs for name in ds.variables)
    assert ds.attrs["method"] == "finite_baths"
    with pytest.raises(InputError, match=r"^heat_current: must have shape \(3, 2\)"):
        time_series_dataset(t, ["hot", "cold"], per_reservoir={"heat_current": (np.ones((3, 3)), "J^Q", "energy/time")})
    with pytest.raises(InputError, match=r"^energy: must have shape \(3,\)"):
        time_series_dataset(t, ["hot"], series={"energy": (np.ones(2), "E", "energy")})
    with pytest.raises(InputError, match="^energy: must be"):
        time_series_dataset(t, ["hot"], series={"energy": (t, "E")})

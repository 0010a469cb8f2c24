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

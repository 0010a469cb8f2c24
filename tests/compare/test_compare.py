"""compare(): the Dataset contract, the reference difference and its floor, scans (issue 10)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import thermoflux.compare as compare_pkg
from thermoflux import FermiDirac, InputError
from thermoflux.compare import OpenSystem, compare, scan
from thermoflux.compare.compare import relative_difference
from thermoflux.io import load_dataset, save_dataset

LEADS = {"L": FermiDirac(temperature=0.25, mu=0.4), "R": FermiDirac(temperature=0.4, mu=-0.3)}
DOT = OpenSystem([[0.15, 0.3], [0.3, -0.1]], "fermion",
                 {"L": (LEADS["L"], [0.01, 0.0]), "R": (LEADS["R"], [0.0, 0.01])})


def test_public_names_import():
    for name in compare_pkg.__all__:
        assert getattr(compare_pkg, name) is not None


def test_dataset_contract_and_netcdf_round_trip(tmp_path):
    ds = compare(DOT, ["landauer", "master_equation"])
    for var in ("particle_current", "energy_current", "heat_current", "entropy_flow",
                "particle_current_error", "energy_current_error"):
        assert ds[var].dims == ("method", "reservoir") and "units" in ds[var].attrs
    for var in ("entropy_production", "power", "validity_parameter", "validity_threshold",
                "expected_to_hold", "relative_difference", "particle_relative_difference",
                "energy_relative_difference"):
        assert ds[var].dims == ("method",) and "units" in ds[var].attrs
    assert "out of" in ds.attrs["sign_convention"] and ds.attrs["reference"] == "landauer"
    # steady state: particle and energy currents add to zero in every method (rounding of ~1e-3)
    np.testing.assert_allclose(ds.particle_current.sum("reservoir"), 0.0, atol=1e-15)
    assert np.all(ds.entropy_production.values > 0)
    # heat = energy − μ particle, per reservoir
    mu = np.array([0.4, -0.3])
    np.testing.assert_allclose(ds.heat_current, ds.energy_current - mu * ds.particle_current, atol=1e-17)
    me = ds.sel({"method": "master_equation"})
    assert float(me.relative_difference) == max(float(me.particle_relative_difference),
                                                 float(me.energy_relative_difference))
    path = save_dataset(ds, tmp_path / "compare.nc")
    back = load_dataset(path)
    np.testing.assert_array_equal(back.particle_current.values, ds.particle_current.values)
    assert list(back.method.values) == ["landauer", "master_equation"]


def test_relative_difference_has_a_floor():
    # a reservoir with no reference current is judged against the largest current, not against 0
    assert relative_difference({"a": 1.0, "b": 1e-9}, {"a": 1.0, "b": 0.0}) == pytest.approx(1e-6)
    assert relative_difference({"a": 1.1, "b": -1.1}, {"a": 1.0, "b": -1.0}) == pytest.approx(0.1)
    assert math.isnan(relative_difference({"a": 1e-12}, {"a": 0.0}))   # equilibrium: nothing to compare


def test_relative_difference_ignores_nan_whatever_the_order():
    # Review item 8: max() with one NaN reference gave NaN or a number by dict order.
    ref = {"a": math.nan, "b": 2.0}
    val = {"a": math.nan, "b": 2.2}
    forward = relative_difference(val, ref)
    backward = relative_difference(dict(reversed(val.items())), dict(reversed(ref.items())))
    assert forward == backward == pytest.approx(0.1, rel=1e-12)    # |2.2 − 2|/2
    assert math.isnan(relative_difference({"a": 1.0}, {"a": math.nan}))


def test_equilibrium_gives_nan_difference_not_a_division_by_zero():
    same = FermiDirac(temperature=0.3, mu=0.1)
    system = OpenSystem([[0.2]], "fermion", {"L": (same, 0.01), "R": (same, 0.02)})
    ds = compare(system, ["landauer", "master_equation"])
    assert math.isnan(float(ds.relative_difference.sel({"method": "master_equation"})))
    np.testing.assert_allclose(ds.particle_current, 0.0, atol=1e-15)


def test_methods_that_do_not_apply_are_refused_or_skipped():
    interacting = OpenSystem(np.diag([0.1, 0.1]), "fermion",
                             {"L": (LEADS["L"], [0.01, 0.01]), "R": (LEADS["R"], [0.01, 0.01])}, interaction=0.5)
    with pytest.raises(InputError, match="methods: landauer does not apply.*interaction"):
        compare(interacting, ["landauer"])
    with pytest.raises(InputError, match="methods: unknown method 'kwant'"):
        compare(DOT, ["kwant"])
    with pytest.raises(InputError, match="methods: harmonic_networks does not apply"):
        compare(DOT, ["harmonic_networks"])
    ds = compare(interacting)
    assert list(ds.method.values) == ["master_equation"]
    assert "interaction" in ds.attrs["not_run.landauer"]


def test_scan_stacks_compare_along_the_coupling_scale():
    factors = np.geomspace(0.1, 10.0, 3)
    ds = scan(DOT, factors, ["landauer", "master_equation"])
    assert ds.particle_current.dims == ("coupling_scale", "method", "reservoir")
    assert ds.coupling_scale.attrs["units"] == "1"
    gap = ds.relative_difference.sel({"method": "master_equation"}).values
    assert np.all(np.diff(gap) > 0)           # the master equation departs as the coupling grows
    param = ds.validity_parameter.sel({"method": "master_equation"}).values
    np.testing.assert_allclose(param / param[0], factors / factors[0], rtol=1e-12)   # ∝ Γ
    with pytest.raises(InputError, match="factors"):
        scan(DOT, [0.0, 1.0])


def test_scan_figure(tmp_path):
    from thermoflux.plotting import plot_compare_scan

    ds = scan(DOT, np.geomspace(0.1, 10.0, 3), ["landauer", "master_equation"])
    path = plot_compare_scan(ds, path=tmp_path / "scan.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bosons_with_a_full_width_matrix_skip_the_local_baths():
    from thermoflux import BoseEinstein

    # μ < 0: with μ = 0 and T(0) > 0 the wide-band boson particle current diverges (soft quanta)
    bath = {"hot": BoseEinstein(temperature=0.5, mu=-0.1), "cold": BoseEinstein(temperature=0.2, mu=-0.1)}
    system = OpenSystem([[1.0, 0.1], [0.1, 1.2]], "boson",
                        {"hot": (bath["hot"], [[0.02, 0.01], [0.01, 0.02]]), "cold": (bath["cold"], [0.0, 0.03])})
    ds = compare(system)
    assert list(ds.method.values) == ["landauer"]
    assert "diagonal" in ds.attrs["not_run.harmonic_networks"]
    assert "bosonic Fock space" in ds.attrs["not_run.master_equation"]


def test_config_with_band_interaction_and_options():
    from thermoflux.compare.config import system_from_config

    config = {"hamiltonian": [[0.1, 0.0], [0.0, 0.1]], "bandwidth": 8.0,
              "interaction": [[0.0, 0.6], [0.6, 0.0]], "methods": ["master_equation"],
              "options": {"master_equation_rates": "gksl", "max_modes": 100},
              "reservoirs": {"L": {"statistics": "fermion", "temperature": 0.3, "mu": 0.5,
                                   "coupling": [[0.01, 0.0], [0.0, 0.01]]},
                             "R": {"statistics": "fermion", "beta": 2.0, "coupling": [0.01, 0.01]}}}
    system, options = system_from_config(config)
    assert system.bandwidth == 8.0 and system.interaction[0, 1] == 0.6
    assert options == {"methods": ["master_equation"], "master_equation_rates": "gksl", "max_modes": 100}
    assert system.distributions["R"].mu == 0.0
    with pytest.raises(InputError, match="options.colour: unknown key"):
        system_from_config({**config, "options": {"colour": 1}})
    with pytest.raises(InputError, match="bandwidth: must be positive"):
        system_from_config({**config, "bandwidth": 0.0})

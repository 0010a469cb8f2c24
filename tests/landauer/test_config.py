"""``thermoflux run`` schema for Landauer junctions: examples, closed form, every error path."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

import thermoflux
from thermoflux import InputError
from thermoflux.io import load_config, load_dataset, save_dataset
from thermoflux.landauer.config import build_junction, run

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

BASE = {
    "method": "landauer",
    "reservoirs": {
        "L": {"statistics": "fermion", "temperature": 0.4, "mu": 0.3},
        "R": {"statistics": "fermion", "beta": 2.0, "mu": -0.1},
    },
    "transmission": [{"between": ["L", "R"], "kind": "constant", "value": 0.7}],
}


@pytest.mark.parametrize("name", ["landauer.toml", "landauer_ndemon.toml"])
def test_examples_run_and_roundtrip(name, tmp_path):
    ds = run(load_config(EXAMPLES / name))
    for var in ("particle_current", "energy_current", "heat_current", "entropy_flow", "entropy_production"):
        assert var in ds
    assert ds["particle_current"].dims == ("reservoir",)
    # Conservation: an algebraic identity on shared nodes (rounding only).
    assert abs(float(ds["particle_current"].sum())) < 1e-14
    assert float(ds["entropy_production"]) >= 0
    path = save_dataset(ds, tmp_path / "out.nc")
    back = load_dataset(path)
    np.testing.assert_array_equal(back["heat_current"].values, ds["heat_current"].values)
    assert back.attrs["method"] == "landauer"
    # the result contract (issue 13): provenance and conventions survive the file
    assert back.attrs["software_version"] == thermoflux.__version__
    assert back.attrs["seed"] == "004" and "out of" in back.attrs["sign_convention"]
    assert "hbar" in back.attrs["units"]


def test_constant_transmission_closed_form_and_override():
    ds = run(BASE)
    # Wide band: J^N = T0 (μ_L − μ_R)/2π exactly (quadrature error ~1e-16 relative).
    assert float(ds["particle_current"].sel(reservoir="L")) == pytest.approx(0.7 * 0.4 / (2 * np.pi), rel=1e-12)
    cfg = copy.deepcopy(BASE)
    cfg["reservoirs"]["R"]["mu"] = 0.3       # what a sweep over reservoirs.R.mu does
    ds2 = run(cfg)
    assert abs(float(ds2["particle_current"].sel(reservoir="L"))) < 1e-15


def test_lorentzian_three_terminal_and_boxcar():
    cfg = {
        "reservoirs": {"a": {"statistics": "fermion", "temperature": 0.3},
                       "b": {"statistics": "fermion", "temperature": 0.1, "mu": 0.2},
                       "c": {"statistics": "fermion", "temperature": 0.2}},
        "transmission": [{"between": ["a", "b", "c"], "kind": "lorentzian", "level": 0.1,
                          "widths": {"a": 0.1, "b": 0.05, "c": 0.02}}],
        "integration": {"breakpoints": [0.0], "energy_range": [-5.0, 5.0]},
    }
    junction = build_junction(cfg)
    assert set(junction.transmission) == {("a", "b"), ("b", "a"), ("a", "c"), ("c", "a"), ("b", "c"), ("c", "b")}
    assert float(run(cfg)["entropy_production"]) > 0


def _with(path, value):
    cfg = copy.deepcopy(BASE)
    node = cfg
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[int(k)] if isinstance(node, list) else node[k]
    if value is _DELETE:
        del node[keys[-1]]
    elif isinstance(node, list):
        node[int(keys[-1])] = value
    else:
        node[keys[-1]] = value
    return cfg


_DELETE = object()


@pytest.mark.parametrize("path, value, key", [
    ("reservoirs.L.temperature", -1.0, "reservoirs.L.temperature: temperature of FermiDirac must be positive"),
    ("reservoirs.L.temperature", "hot", "reservoirs.L.temperature: must be a number"),
    ("reservoirs.R.beta", 0.0, "reservoirs.R.beta: beta of FermiDirac must be positive"),
    ("reservoirs.L.beta", 1.0, "reservoirs.L.temperature: give exactly one"),
    ("reservoirs.L.mu", float("nan"), "reservoirs.L.mu: must be finite"),
    ("reservoirs.L.statistics", "boltzmann", "reservoirs.L.statistics: must be one of"),
    ("reservoirs.L.statistics", _DELETE, "reservoirs.L.statistics: missing"),
    ("reservoirs.L.distribution", "fermi", "reservoirs.L.distribution: unknown key"),   # the old dialect
    ("reservoirs.L.occupation", {"energies": [0.0, 1.0], "values": [0.5, 1.5]}, "reservoirs.L.occupation: give either"),
    ("reservoirs.L.colour", 1, "reservoirs.L.colour: unknown key"),
    ("reservoirs.L", 3, "reservoirs.L: must be a table"),
    ("reservoirs.R", _DELETE, "reservoirs: need at least two"),
    ("reservoirs.R.statistics", "boson", "reservoirs: reservoirs must be all fermions or all bosons"),
    ("reservoirs", _DELETE, "reservoirs: missing"),
    ("transmission", _DELETE, "transmission: missing"),
    ("transmission", [], "transmission: must be a non-empty"),
    ("transmission.0.kind", "gaussian", "transmission.0.kind: must be one of"),
    ("transmission.0.kind", _DELETE, "transmission.0.kind: missing"),
    ("transmission.0.value", -0.5, "transmission.0.value: must be non-negative"),
    ("transmission.0.value", _DELETE, "transmission.0.value: missing"),
    ("transmission.0.between", ["L", "X"], "transmission.0.between.1: 'X' is not a reservoir"),
    ("transmission.0.between", ["L"], "transmission.0.between: must list"),
    ("transmission.0.between", ["L", "L"], "transmission.0.between: names must be different"),
    ("transmission.0.between", _DELETE, "transmission.0.between: missing"),
    ("transmission.0.level", 0.0, "transmission.0.level: unknown key"),
    ("method", "mixture", "method: must be \"landauer\""),
    ("solver", "fast", "solver: unknown key"),
    ("integration", {"energy_range": [1.0, 0.0]}, "integration.energy_range"),
    ("integration", {"tolerance": 1e-3}, "integration.tolerance: unknown key"),
])
def test_errors_name_the_key(path, value, key):
    with pytest.raises(InputError) as info:
        run(_with(path, value))
    assert str(info.value).startswith(key)


@pytest.mark.parametrize("entry, key", [
    ({"between": ["L", "R"], "kind": "lorentzian", "level": 0.0, "widths": {"L": 0.1}}, "transmission.0.widths.R: missing"),
    ({"between": ["L", "R"], "kind": "lorentzian", "level": 0.0, "widths": {"L": 0.1, "R": 0.1, "Q": 1}}, "transmission.0.widths.Q: unknown"),
    ({"between": ["L", "R"], "kind": "lorentzian", "level": 0.0, "widths": {"L": 0.0, "R": 0.0}}, "transmission.0.widths: the total"),
    ({"between": ["L", "R"], "kind": "lorentzian", "level": 0.0, "widths": {"L": -1.0, "R": 0.1}}, "transmission.0.widths.L: must be non-negative"),
    ({"between": ["L", "R"], "kind": "boxcar", "centres": [0.0, 0.01], "width": 0.1}, "transmission.0.centres"),
    ({"between": ["L", "R"], "kind": "boxcar", "centres": [], "width": 0.1}, "transmission.0.centres: must be a non-empty"),
    ({"between": ["L", "R"], "kind": "boxcar", "centres": [0.0], "width": 0.0}, "transmission.0.width: must be positive"),
    ({"between": ["L", "R"], "kind": "boxcar", "centres": [0.0], "width": 0.1, "height": -1}, "transmission.0.height"),
    ({"between": ["L", "R", "X"], "kind": "constant", "value": 1.0}, "transmission.0.between.2"),
    ({"between": ["L", "R"], "kind": "constant", "value": True}, "transmission.0.value: must be a number"),
])
def test_transmission_errors(entry, key):
    cfg = copy.deepcopy(BASE)
    cfg["transmission"] = [entry]
    with pytest.raises(InputError) as info:
        run(cfg)
    assert str(info.value).startswith(key)


def test_duplicate_pair():
    cfg = copy.deepcopy(BASE)
    cfg["transmission"].append({"between": ["R", "L"], "kind": "constant", "value": 0.1})
    with pytest.raises(InputError, match=r"^transmission\.1\.between: the pair"):
        run(cfg)


def test_tour_script_runs():
    import runpy

    runpy.run_path(str(EXAMPLES / "landauer_tour.py"), run_name="__main__")


def test_tabulated_reservoir_closed_form():
    # R holds a non-thermal occupation: a ramp from v0 at e0 to v1 at e1, held outside; L is
    # Fermi-Dirac, whose integral is E - T ln(1 + e^((E-mu)/T)). Through a boxcar T = h on
    # [-A, A]: J^N_L = h/2π (∫ f_L dE - ∫ f_R dE), ∫ f_R dE by the trapezoid rule, exactly.
    (e0, e1), (v0, v1) = (-0.5, 1.0), (0.8, 0.1)
    big_a, t, mu, h = 4.0, 0.4, 0.3, 0.7
    cfg = copy.deepcopy(BASE)
    cfg["reservoirs"]["R"] = {"statistics": "fermion", "occupation": {"energies": [e0, e1], "values": [v0, v1]}}
    cfg["transmission"] = [{"between": ["L", "R"], "kind": "boxcar", "centres": [0.0], "width": 2 * big_a,
                            "height": h}]
    cfg["integration"] = {"breakpoints": [e0, e1]}           # the ramp's kinks
    ds = run(cfg)
    antiderivative = lambda e: e - t * np.log1p(np.exp((e - mu) / t))   # noqa: E731
    f_r = v0 * (e0 + big_a) + (v0 + v1) / 2 * (e1 - e0) + v1 * (big_a - e1)
    expected = h / (2 * np.pi) * (antiderivative(big_a) - antiderivative(-big_a) - f_r)
    # measured relative error 2.2e-16 (smooth panels between the kinks); 1e-14 allows for rounding
    assert float(ds["particle_current"].sel(reservoir="L")) == pytest.approx(expected, rel=1e-14)
    assert abs(float(ds["particle_current"].sum())) < 1e-15   # conservation, an identity on shared nodes

"""The TOML runner: the example config, dotted-key errors, the netCDF round trip."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import numpy as np
import pytest

from harmonic_helpers import closed_form_chain
from thermoflux import InputError
from thermoflux.harmonic_networks.config import run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harmonic_networks.toml"


def example():
    with EXAMPLE.open("rb") as fh:
        return tomllib.load(fh)


def test_example_runs_and_matches_eq29(tmp_path):
    from thermoflux.io import load_dataset, save_dataset

    ds = run(example())
    occ, _, _, pi = closed_form_chain(10, 1e-5, 1e-5, 1e-6, 1.0, 2.0)
    np.testing.assert_allclose(ds["occupation"].values, occ, atol=1e-12)  # O(1) values, exact solve
    assert float(ds["entropy_production"]) == pytest.approx(pi, rel=1e-8, abs=0)  # C2 cancellation ~1e-10; Π ~ 1e-6
    assert ds.attrs["config.reservoirs.hot.occupation"] == 2.0
    back = load_dataset(save_dataset(ds, tmp_path / "h.nc"))
    np.testing.assert_array_equal(back["entropy_production_by_reservoir"].values,
                                  ds["entropy_production_by_reservoir"].values)


def test_cli_dispatch(tmp_path):
    from thermoflux import run_config

    ds = run_config(example())
    assert "entropy_production_probes" in ds


def test_matrix_kind_and_temperature():
    cfg = {"network": {"kind": "matrix", "hamiltonian": [[1.0, 0.0], [0.0, 1.0]],
                       "hamiltonian_imag": [[0.0, 0.2], [-0.2, 0.0]]},
           "reservoirs": {"a": {"site": 0, "rate": 0.3, "temperature": 1.0},
                     "b": {"site": 1, "rate": 0.3, "occupation": 2.0}}}
    ds = run(cfg)
    assert float(ds["reservoir_occupation"].sel(reservoir="a")) == pytest.approx(1 / np.expm1(1.0), rel=1e-14)


@pytest.mark.parametrize("path, value, message", [
    (("network", "hopping"), "x", r"^network.hopping: must be a number"),
    (("network", "n_sites"), 0, r"^network.n_sites: must be an integer >= 1"),
    (("network", "colour"), 1, r"^network.colour: unknown key"),
    (("network", "kind"), "ring", r"^network.kind: must be one of"),
    (("reservoirs", "hot", "temperature"), -1.0, r"^reservoirs\.hot\.occupation: give either an occupation or"),
    (("reservoirs", "cold", "rate"), -1.0, r"^reservoirs\.cold\.rate: rate must be non-negative"),
    (("reservoirs", "cold", "occupation"), -0.5, r"^reservoirs\.cold\.occupation: occupation must be non-negative"),
    (("reservoirs", "cold", "site"), 10, r"^reservoirs\.cold\.site: site must be a mode index in \[0, 9\]"),
    (("reservoirs", "cold", "statistics"), "fermion", r"^reservoirs\.cold\.statistics: this method's reservoirs are 'boson'"),
    (("baths",), {}, r"^baths: unknown key"),                     # the old dialect
    (("probes", "sites"), [0, 12], r"^probes.sites: site 12 does not exist"),
    (("probes", "rate"), -1.0, r"^probes.rate: must be non-negative"),
    (("solver", "method"), "magic", r"^solver.method: must be one of"),
    (("method",), "landauer", r"^method: must be one of 'harmonic_networks'"),
])
def test_errors_start_with_the_dotted_key(path, value, message):
    cfg = copy.deepcopy(example())
    target = cfg
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InputError, match=message):
        run(cfg)


def test_missing_keys():
    cfg = example()
    del cfg["reservoirs"]["cold"]["rate"]
    with pytest.raises(InputError, match=r"^reservoirs\.cold\.rate: missing"):
        run(cfg)
    cfg = example()
    cfg["reservoirs"]["cold"]["temperature"] = 1.0
    with pytest.raises(InputError, match=r"^reservoirs\.cold\.occupation: give either an occupation or temperature"):
        run(cfg)
    with pytest.raises(InputError, match=r"^network: missing"):
        run({"reservoirs": {}})
    with pytest.raises(InputError, match=r"^network.hamiltonian: hamiltonian must be Hermitian"):
        run({"network": {"kind": "matrix", "hamiltonian": [[1.0, 0.5], [0.0, 1.0]]},
             "reservoirs": {"a": {"site": 0, "rate": 1.0, "occupation": 1.0}}})


def test_thermal_bath_errors():
    cfg = example()
    del cfg["reservoirs"]["cold"]["occupation"]
    cfg["reservoirs"]["cold"]["temperature"] = -1.0
    with pytest.raises(InputError, match=r"^reservoirs\.cold\.temperature: temperature of BoseEinstein must be positive"):
        run(cfg)
    cfg["reservoirs"]["cold"]["temperature"] = 1.0
    cfg["reservoirs"]["cold"]["mu"] = 2.0
    with pytest.raises(InputError, match=r"^reservoirs\.cold: energies: a Bose-Einstein occupation needs E >= mu"):
        run(cfg)


def test_tabulated_bath_is_read_at_the_site_frequency():
    # a ramp from 2.5 at E = 0 to 0.5 at E = 4 is n_L = 2 at the site frequency omega = 1: the
    # chain of the example, whose occupations eq. 29 gives in closed form
    cfg = example()
    del cfg["reservoirs"]["hot"]["occupation"]
    cfg["reservoirs"]["hot"]["occupation"] = {"energies": [0.0, 4.0], "values": [2.5, 0.5]}
    ds = run(cfg)
    occ, _, _, _ = closed_form_chain(10, 1e-5, 1e-5, 1e-6, 1.0, 2.0)
    np.testing.assert_allclose(ds["occupation"].values, occ, atol=1e-12)  # O(1) values, exact solve

"""DESIGN.md "Result contract" for every method: dims, attrs and units of the Datasets users save.

Each example config (``examples/*.toml``) runs as ``thermoflux run`` runs it
(:func:`thermoflux.configs.run_config`; the compare example through
:func:`thermoflux.compare.compare`), and the time series of the three methods with dynamics
(:func:`thermoflux.io.time_series_dataset`) are checked the same way: per-reservoir variables on
the dim ``reservoir``, attrs from :func:`thermoflux.io.result_attrs` (method, software version,
units, sign convention), ``units`` on every variable and coordinate, all surviving a netCDF
round trip.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import thermoflux
from thermoflux.configs import run_config
from thermoflux.flows import SIGN_CONVENTION
from thermoflux.io import TIME_UNITS, UNITS, load_config, load_dataset, save_dataset

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TOMLS = sorted(p.name for p in EXAMPLES.glob("*.toml"))

#: quantities that belong to one reservoir, whatever the method (DESIGN.md names)
PER_RESERVOIR = {"particle_current", "energy_current", "heat_current", "entropy_flow",
                 "heat_exchanged", "temperature", "chemical_potential"}
#: the old spellings of the per-reservoir dim (issue 13)
OLD_DIMS = {"bath", "field", "channel", "lead"}


def run_example(name: str):
    config = load_config(EXAMPLES / name)
    if "method" not in config and "hamiltonian" in config:  # a `thermoflux compare` config
        from thermoflux.compare import compare
        from thermoflux.compare.config import system_from_config

        system, options = system_from_config(config)
        return "compare", config, compare(system, **options)
    return config["method"], config, run_config(config)


def check_contract(ds, method: str) -> None:
    """The parts of the result contract every Dataset keeps."""
    assert not OLD_DIMS & set(ds.dims), ds.dims
    for name in PER_RESERVOIR & set(ds.data_vars):
        assert "reservoir" in ds[name].dims, (name, ds[name].dims)
    assert ds.attrs["method"] == method
    assert ds.attrs["software"] == "thermoflux"
    assert ds.attrs["software_version"] == thermoflux.__version__
    assert ds.attrs["numpy_version"] == np.__version__
    assert ds.attrs["units"] == UNITS  # one spelling for every method
    assert ds.attrs["sign_convention"].startswith(SIGN_CONVENTION)
    missing = [name for name in ds.variables if not str(ds[name].attrs.get("units", ""))]
    assert not missing, f"variables or coordinates without units: {missing}"


@pytest.mark.parametrize("name", TOMLS)
def test_every_example_keeps_the_result_contract(name, tmp_path):
    method, config, ds = run_example(name)
    check_contract(ds, method)
    assert set(config["reservoirs"]) <= set(ds.reservoir.values.tolist())
    if method != "compare":
        # what ``thermoflux run -o`` writes explains itself: the contract survives netCDF
        check_contract(load_dataset(save_dataset(ds, tmp_path / "out.nc")), method)


def test_time_series_of_every_method_keep_the_contract(tmp_path):
    from thermoflux import BoseEinstein
    from thermoflux.harmonic_networks import chain
    from thermoflux.master_equation.config import model_from_config

    times = np.array([0.0, 0.5, 2.0])
    model = model_from_config({k: v for k, v in load_config(EXAMPLES / "master_equation.toml").items()
                               if k != "method"})
    pops = np.zeros(model.n_levels)
    pops[0] = 1.0
    network = chain(3, frequency=1.0, hopping=0.4).attach_bath(0, 0.3, distribution=BoseEinstein(temperature=1.5)) \
        .attach_bath(2, 0.2, occupation=0.5)
    series = {
        "finite_baths": run_config(load_config(EXAMPLES / "finite_baths.toml")),
        "master_equation": model.evolve(pops, times),
        "harmonic_networks": network.evolve(np.eye(3), times, store_covariance=True),
    }
    for method, ds in series.items():
        for back in (ds, load_dataset(save_dataset(ds, tmp_path / f"{method}.nc"))):
            check_contract(back, method)
            assert back.time.attrs["units"] == TIME_UNITS
            for name in ("particle_current", "energy_current"):
                assert back[name].dims == ("time", "reservoir"), (method, name)


def test_junction_dataset_and_audit_report_keep_the_contract():
    from thermoflux.configs import audit_config
    from thermoflux.landauer.config import build_junction

    config = load_config(EXAMPLES / "landauer.toml")
    check_contract(build_junction({k: v for k, v in config.items() if k != "method"}).to_dataset(), "landauer")
    check_contract(audit_config(config).to_dataset(), "audit")

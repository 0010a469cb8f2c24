"""config.run: the example TOML runs; bad entries raise InputError starting with the dotted key."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from thermoflux import InputError
from thermoflux.finite_baths import resonant_level
from thermoflux.finite_baths.config import run
from thermoflux.io import load_config

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "finite_baths.toml"


@pytest.fixture(scope="module")
def config():
    cfg = load_config(EXAMPLE)
    cfg["model"]["n_modes"] = 20   # keep the test fast; the schema is what is tested
    cfg["times"]["num"] = 6
    return cfg


def test_example_runs(config, identity_tolerance):
    ds = run(config)
    assert ds.sizes["time"] == 7  # include_zero adds t = 0
    assert ds.attrs["config.reservoirs.L.beta"] == 10.0
    m = resonant_level(20, config["model"]["bandwidth"], config["model"]["coupling"], config["model"]["level"])
    # eq. 12 at every time, to round-off: measured 3.2e-13, allowed 20 eps Σ|x| = 2.9e-12
    assert np.max(np.abs(ds.decomposition_residual.values)) <= identity_tolerance(m, ds)
    # times are Γt / Γ with Γ = 3
    assert ds.time.values[1] == pytest.approx(0.01 / 3.0, rel=1e-14)


def test_pure_state_config(config):
    cfg = copy.deepcopy(config)
    cfg["state"] = {"kind": "pure", "seed": 5, "system_occupation": 0.0}
    cfg["reservoirs"]["L"]["beta"] = 1.0  # hot enough that the draw is not a ground state (beta* = inf)
    assert run(cfg).attrs["parameters.initial_state"] == "pure"


@pytest.mark.parametrize("path, value, prefix", [
    (("reservoirs", "L", "beta"), -1.0, "reservoirs.L.beta: beta of FermiDirac must be positive"),
    (("reservoirs", "L", "statistics"), "boson", "reservoirs.L.statistics: this method's reservoirs are 'fermion'"),
    (("reservoirs", "L", "distribution"), "fermi", "reservoirs.L.distribution: unknown key"),
    (("reservoirs", "L", "occupation"), {"energies": [0, 1], "values": [1, 0]}, "reservoirs.L.occupation: give either"),
    (("model", "n_modes"), 1, "model.n_modes"),
    (("model", "coupling"), "big", "model.coupling"),
    (("times", "num"), 2.5, "times.num"),
    (("state", "kind"), "mixed", "state.kind"),
    (("model", "colour"), 3, "model.colour"),
    (("options", "solver"), "fast", "options.solver"),
    (("options", "blas_threads"), 0, "options.blas_threads"),
    (("options", "threads"), 1, "options.threads: unknown key"),   # one name: blas_threads
    (("times", "stop"), 1e-5, "times.stop"),
])
def test_bad_entries_name_the_key(config, path, value, prefix):
    cfg = copy.deepcopy(config)
    node = cfg
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(InputError) as err:
        run(cfg)
    assert str(err.value).startswith(prefix)


def test_a_tabulated_bath_is_refused_by_the_initial_state(config):
    cfg = copy.deepcopy(config)
    cfg["reservoirs"]["L"] = {"occupation": {"energies": [-1.0, 1.0], "values": [0.9, 0.1]}}
    with pytest.raises(InputError, match=r"^reservoirs\.L: reservoirs\['L'\] must be a FermiDirac"):
        run(cfg)


def test_missing_and_unknown_top_level(config):
    cfg = copy.deepcopy(config)
    del cfg["times"]
    with pytest.raises(InputError, match="^times: missing"):
        run(cfg)
    cfg = copy.deepcopy(config)
    cfg["extra"] = 1
    with pytest.raises(InputError, match="^extra: unknown"):
        run(cfg)


def test_cli_dispatch_runs_the_example(config, tmp_path):
    """``thermoflux run`` drops ``method`` and calls config.run; the result saves to netCDF."""
    from thermoflux import run_config
    from thermoflux.io import load_dataset, save_dataset

    ds = run_config(copy.deepcopy(config))
    back = load_dataset(save_dataset(ds, tmp_path / "out.nc"))
    assert np.allclose(back.entropy_produced.values, ds.entropy_produced.values, rtol=0, atol=0)
    cfg = copy.deepcopy(config)
    cfg["method"] = "landauer"
    with pytest.raises(InputError, match="^method"):
        run(cfg)

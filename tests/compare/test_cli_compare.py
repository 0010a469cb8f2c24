"""`thermoflux compare CONFIG.toml`: the table, the Dataset, the figure and exit codes (issue 10)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from thermoflux import InputError
from thermoflux.cli import main
from thermoflux.compare.config import system_from_config
from thermoflux.io import load_dataset

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "compare.toml"

CONFIG = """
hamiltonian = [[0.15, 0.3], [0.3, -0.1]]
methods = ["landauer", "master_equation"]
[reservoirs.L]
statistics = "fermion"
temperature = 0.25
mu = 0.4
coupling = [0.01, 0.0]
[reservoirs.R]
statistics = "fermion"
temperature = 0.4
mu = -0.3
coupling = [0.0, 0.01]
"""


def write(tmp_path, text):
    path = tmp_path / "system.toml"
    path.write_text(text)
    return path


def test_example_prints_one_table_and_writes_the_dataset(tmp_path):
    out = tmp_path / "out.nc"
    result = CliRunner().invoke(main, ["compare", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    for text in ("landauer", "master_equation", "finite_baths", "entropy prod.", "rel. diff.",
                 "Gamma/min(T, bohr_gap)", "reference: landauer"):
        assert text in result.output
    ds = load_dataset(out)
    assert ds.particle_current.dims == ("method", "reservoir")
    # the double dot at Γ = 0.01: the master equation within 0.3% of Landauer in the particle current
    me = ds.particle_current.sel({"method": "master_equation", "reservoir": "L"})
    exact = ds.particle_current.sel({"method": "landauer", "reservoir": "L"})
    assert float(me / exact) == pytest.approx(1.0, abs=3e-3)


def test_scan_and_plot(tmp_path):
    out, figure = tmp_path / "scan.nc", tmp_path / "scan.png"
    result = CliRunner().invoke(main, ["compare", str(write(tmp_path, CONFIG)), "--scan", "0.1:10:3",
                                       "--plot", str(figure), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    np.testing.assert_allclose(load_dataset(out).coupling_scale.values, [0.1, 1.0, 10.0], rtol=1e-12)


@pytest.mark.parametrize(("edit", "key"), [
    (("coupling = [0.01, 0.0]", "coupling = [0.01, 0.0, 0.0]"), "reservoirs.L.coupling: must hold 2 numbers"),
    (("coupling = [0.01, 0.0]\n", ""), "reservoirs.L.coupling: missing"),
    (("temperature = 0.25", "temperature = -0.25"), "reservoirs.L.temperature: temperature of FermiDirac must be positive"),
    (("[[0.15, 0.3], [0.3, -0.1]]", "[[0.15, 0.3], [0.2, -0.1]]"), "hamiltonian: must be Hermitian"),
    (("coupling = [0.01, 0.0]", "coupling = [[0.01, 0.02], [0.02, 0.01]]"),
     "reservoirs.L.coupling: must be positive semidefinite"),
    (('statistics = "fermion"\ntemperature = 0.4', 'statistics = "boson"\ntemperature = 0.4'),
     "reservoirs.R.statistics: has boson statistics; the system is made of fermions"),
    (('statistics = "fermion"\ntemperature = 0.25', 'temperature = 0.25'), "reservoirs.L.statistics: missing"),
    (('methods = ["landauer", "master_equation"]', 'methods = ["kwant"]'), "methods.0: must be one of"),
    (('methods = ["landauer", "master_equation"]', 'methods = ["landauer", "master_equation"]\ncolour = 3'),
     "colour: unknown key"),
    (('methods = ["landauer", "master_equation"]', 'methods = ["landauer", "master_equation"]\nstatistics = "fermion"'),
     "statistics: unknown key"),                       # the old top-level dialect
])
def test_bad_config_is_one_line_naming_the_key_and_exit_2(tmp_path, edit, key):
    text = CONFIG.replace(*edit, 1)
    assert text != CONFIG
    result = CliRunner().invoke(main, ["compare", str(write(tmp_path, text))])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and key in lines[0], result.output
    with pytest.raises(InputError, match=key.split(":")[0]):
        import tomllib

        system_from_config(tomllib.loads(text))


def test_bad_scan_spec_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["compare", str(write(tmp_path, CONFIG)), "--scan", "1:10"])
    assert result.exit_code == 2 and "--scan" in result.output


def test_bosons_at_mu_zero_have_no_particle_current_but_finite_energy_flows(tmp_path):
    """μ = 0 bosons: the number of soft quanta Landauer counts diverges (n ~ T/E at E → 0, issue
    14), so its particle current is undefined, while energy, heat and entropy flows are finite and
    the run succeeds (exit 0); Landauer's energy current meets the harmonic network's within the
    O(Γ/ω) of local baths (Γ/ω = 0.05 here; measured 1.1e-2)."""
    text = """
hamiltonian = [[1.0]]
[reservoirs.hot]
statistics = "boson"
temperature = 0.5
coupling = 0.02
[reservoirs.cold]
statistics = "boson"
temperature = 0.2
coupling = 0.03
"""
    out = tmp_path / "bosons.nc"
    result = CliRunner().invoke(main, ["compare", str(write(tmp_path, text)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    landauer_row = next(line for line in result.output.splitlines() if line.startswith("landauer "))
    assert "undefined" in landauer_row
    ds = load_dataset(out)
    exact = ds.sel({"method": "landauer"})
    assert np.all(np.isnan(exact.particle_current.values))
    energy = exact.energy_current.sel(reservoir="hot").item()
    local = ds.sel({"method": "harmonic_networks"}).energy_current.sel(reservoir="hot").item()
    assert energy > 0 and abs(energy - local) <= 0.05 * energy   # Γ/ω = 0.05 bounds the gap


def test_an_interaction_between_bosons_is_refused_naming_the_key():
    import tomllib

    text = "interaction = 0.5\n" + CONFIG.replace('"fermion"', '"boson"').replace("mu = 0.4", "mu = -0.4")
    with pytest.raises(InputError, match="^interaction: only fermions"):
        system_from_config(tomllib.loads(text))

"""`thermoflux demo` and `thermoflux run` through the CLI entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from thermoflux.cli import main
from thermoflux.io import load_dataset

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "landauer.toml"


def test_demo_prints_table_and_writes_figure(tmp_path):
    figure = tmp_path / "demo.png"
    result = CliRunner().invoke(main, ["demo", "-o", str(figure)])
    assert result.exit_code == 0, result.output
    assert "entropy production" in result.output and "COP" in result.output
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_run_example_config_writes_dataset(tmp_path):
    out = tmp_path / "out.nc"
    result = CliRunner().invoke(main, ["run", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    ds = load_dataset(out)
    for name in ("particle_current", "energy_current", "heat_current", "entropy_flow"):
        assert ds[name].dims == ("reservoir",)
    # Steady state: currents conserved; second law.
    assert abs(float(ds["particle_current"].sum())) < 1e-12
    assert abs(float(ds["energy_current"].sum())) < 1e-12
    assert float(ds["entropy_production"]) > 0
    np.testing.assert_allclose(ds["entropy_flow"].values, -ds["heat_current"].values / ds["temperature"].values,
                               rtol=1e-12)
    # The printed table keeps every column apart (issue 14: "chemical_potentialparticle_current_error").
    lines = result.output.splitlines()
    names = [v for v in ds.data_vars if ds[v].dims == ("reservoir",)]
    assert "chemical_potential" in names and "particle_current_error" in names
    assert lines[0].split() == ["reservoir", *names]
    for i, label in enumerate(ds.reservoir.values):
        cells = lines[2 + i].split()
        assert cells[0] == label
        np.testing.assert_allclose([float(c) for c in cells[1:]], [float(ds[n][i]) for n in names],
                                   rtol=1e-7, atol=0)  # printed with 8 significant digits


@pytest.mark.parametrize("text, key", [
    (EXAMPLE.read_text().replace("temperature = 0.3", "temperature = -0.3"), "reservoirs.cold.temperature"),
    ('method = "nonsense"\n', "method"),
    ('method = "landauer"\nbogus = 1\n', "bogus"),
    ("a = [1,\n", "not valid TOML"),
])
def test_bad_config_is_one_line_and_exit_2(tmp_path, text, key):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    result = CliRunner().invoke(main, ["run", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and key in lines[0], result.output
    assert "Traceback" not in result.output


def test_entry_point_runs_as_a_module(tmp_path):
    # The installed console script and `python -m thermoflux` share cli.main.
    out = subprocess.run([sys.executable, "-m", "thermoflux", "run", str(EXAMPLE)], capture_output=True,
                         text=True, cwd=tmp_path, timeout=120,
                         env={**__import__("os").environ, "PYTHONPATH": str(ROOT / "src")})
    assert out.returncode == 0, out.stderr
    assert "entropy_production" in out.stdout


def test_describe_dataset_keeps_long_names_apart():
    import xarray as xr

    from thermoflux.cli import describe_dataset

    long_name = "system_bath_mutual_information_normalized"   # 41 characters, over the old 32
    ds = xr.Dataset({"chemical_potential_of_the_reservoir": ("reservoir", [-1.2345678e-300, 0.5]),
                     "particle_current_error": ("reservoir", [5.2621262e-18, 1.0]),
                     long_name: ((), 1.2345678901)},
                    coords={"reservoir": ["a_bath_with_a_long_label", "b"]})
    lines = describe_dataset(ds).splitlines()
    assert lines[0].split() == ["reservoir", "chemical_potential_of_the_reservoir", "particle_current_error"]
    assert lines[2].split() == ["a_bath_with_a_long_label", "-1.2345678e-300", "5.2621262e-18"]
    assert [line.split() for line in lines if line.startswith(long_name)] == [[long_name, "1.23456789"]]

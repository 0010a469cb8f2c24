"""`thermoflux audit CONFIG.toml` and the audit lines under `thermoflux run` (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from thermoflux.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ME_EXAMPLE = EXAMPLES / "master_equation.toml"

# examples/finite_baths.toml is seed 001's case (a) at K = 60: it runs to Γt = 1e8, far past the
# recurrence time 2π/Δε, until the bath temperatures drift to global equilibrium (regimes II and
# III, the paper's subject), with a band W = 10 only 0.67·Γ beyond μ. The finite baths are the
# physics there, not a stand-in for infinite ones, and the audit says so with these warnings;
# bath L at T = 0.1 also has a spacing Δε = 0.17 > T (2πT/Δε = 3.7 modes in its Fermi step).
# examples/compare.toml is a compare config (issue 10): the double dot at Γ/T <= 0.04 gives no
# warning; its finite baths are not run (about 9e3 modes needed) and harmonic networks do not
# apply to fermions, two info lines (tests/compare/test_audit.py).
EXPECTED_WARNINGS = {"finite_baths.toml": {"recurrence", "continuum", "bandwidth", "heat-capacity"}}


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.toml")))
def test_examples_audit_without_error_and_only_expected_warnings(tmp_path, name):
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["audit", str(EXAMPLES / name), "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["ok"] is True
    assert {f["check"] for f in data["findings"] if f["severity"] == "warning"} == EXPECTED_WARNINGS.get(name, set())


def strong(tmp_path, strength):
    text = ME_EXAMPLE.read_text().replace("strength = 0.005", f"strength = {strength}")
    path = tmp_path / "strong.toml"
    path.write_text(text)
    return path


def test_audit_exits_1_on_an_error_and_prints_the_table(tmp_path):
    result = CliRunner().invoke(main, ["audit", str(strong(tmp_path, 1.0))])
    assert result.exit_code == 1, result.output
    assert "error" in result.output and "weak-coupling" in result.output and "secular" in result.output


def test_audit_exits_0_with_warnings_only(tmp_path):
    result = CliRunner().invoke(main, ["audit", str(strong(tmp_path, 0.05))])
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "secular" in result.output


def test_threshold_option_overrides_a_check(tmp_path):
    path = strong(tmp_path, 0.05)
    result = CliRunner().invoke(main, ["audit", str(path), "--threshold", "secular=0,0"])
    assert result.exit_code == 0 and "secular" not in result.output.split("checks run")[0], result.output
    bad = CliRunner().invoke(main, ["audit", str(path), "--threshold", "nonsense=1,2"])
    assert bad.exit_code == 2 and "'nonsense'" in bad.output


@pytest.mark.parametrize("text, key", [
    (ME_EXAMPLE.read_text().replace("temperature = 0.5", "temperature = -0.5"), "reservoirs.cold.temperature"),
    ('method = "nonsense"\n', "method"),
    ("a = [1,\n", "not valid TOML"),
])
def test_bad_config_is_one_line_and_exit_2(tmp_path, text, key):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    result = CliRunner().invoke(main, ["audit", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and key in lines[0]


def test_run_prints_warnings_and_errors_under_its_table(tmp_path):
    result = CliRunner().invoke(main, ["run", str(strong(tmp_path, 1.0))])
    assert result.exit_code == 0, result.output
    table, _, audit = result.output.partition("audit of")
    assert "entropy_production" in table
    assert "weak-coupling" in audit and "thermoflux audit CONFIG.toml" in audit
    warned = CliRunner().invoke(main, ["run", str(strong(tmp_path, 0.05))])      # warnings only
    assert warned.exit_code == 0 and "secular" in warned.output.partition("audit of")[2]
    quiet = CliRunner().invoke(main, ["run", str(ME_EXAMPLE)])
    assert quiet.exit_code == 0 and "audit of" not in quiet.output

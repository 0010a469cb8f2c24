"""Audit of a compare system: every applicable method's model, one report (issues 10 and 12)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from thermoflux import BoseEinstein, FermiDirac, InputError
from thermoflux.cli import main
from thermoflux.compare import OpenSystem, applicability

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "compare.toml"

# The double dot of examples/compare.toml with every width scaled to g.
H = np.array([[0.15, 0.3], [0.3, -0.1]])
LEADS = {"L": FermiDirac(temperature=0.25, mu=0.4), "R": FermiDirac(temperature=0.4, mu=-0.3)}


def double_dot(g):
    return OpenSystem(H, "fermion", {"L": (LEADS["L"], [g, 0.0]), "R": (LEADS["R"], [0.0, g])})


def method_of(finding):
    return finding.subject.split(":")[0]


def test_strong_coupling_trips_the_master_equation_weak_coupling_check():
    """Γ/T > 1: error, with the value of the closed form g·|⟨site 0|level⟩|²/T_L, led by its method."""
    report = double_dot(1.0).audit()
    assert not report.ok
    found = {f.subject: f for f in report.by_check("weak-coupling") if f.severity == "error"}
    assert set(found) == {"master_equation: L#0", "master_equation: R#0"}
    # the largest bare rate of lead L (site 0) is g times the largest weight of site 0 in an
    # eigenvector of h; eigh of a 2x2 and the Fock-space amplitudes agree to rounding (~1e-16)
    weights = np.abs(np.linalg.eigh(H)[1]) ** 2
    assert found["master_equation: L#0"].value == pytest.approx(weights[0].max() / 0.25, rel=1e-12)
    assert found["master_equation: R#0"].value == pytest.approx(weights[1].max() / 0.4, rel=1e-12)
    # the Bohr frequencies 0.35 and -0.3 of the double dot are 0.65 apart, below the width ~1.1
    assert {method_of(f) for f in report.by_check("secular") if f.severity == "error"} == {"master_equation"}


def test_weak_coupling_double_dot_has_no_warning():
    """The same double dot at Γ = 0.01 (Γ/T = 0.03): no error, no warning; only the info lines."""
    report = double_dot(0.01).audit()
    assert report.ok and not report.warnings
    assert {"weak-coupling", "secular", "markov", "detailed-balance", "wide-band", "second-law"} <= set(report.checks)
    reasons = applicability(double_dot(0.01))
    info = {f.subject: f.message for f in report if f.check == "applicability"}
    assert set(info) == {"finite_baths", "harmonic_networks"}
    assert reasons["harmonic_networks"] in info["harmonic_networks"]
    assert "modes per channel" in info["finite_baths"]      # compare would not run it at max_modes=600


def test_thresholds_reach_every_method_and_unknown_ids_are_refused():
    """A wide-band warn threshold below 0 flags every lead of the Landauer audit, led by 'landauer'."""
    report = double_dot(0.01).audit(thresholds={"wide-band": (-1.0, math.inf)})
    assert {f.subject for f in report.warnings} == {"landauer: L", "landauer: R"}
    # a check only the finite baths run is accepted, though their model is not built here
    assert double_dot(0.01).audit(thresholds={"recurrence": (2.0, math.inf)}).ok
    with pytest.raises(InputError, match="'nonsense'"):
        double_dot(0.01).audit(thresholds={"nonsense": (1.0, 2.0)})
    with pytest.raises(InputError, match="local-lindblad"):
        double_dot(0.01).audit(methods=["master_equation"], thresholds={"local-lindblad": (1.0, 2.0)})
    with pytest.raises(InputError, match="methods: unknown method 'exact'"):
        double_dot(0.01).audit(methods=["exact"])


def test_finite_baths_are_audited_on_both_bands_of_their_plateau_window():
    """K = 40 modes on W = 14.4: a spacing of 0.36 against Γ = 0.01 is no continuum (error)."""
    report = double_dot(0.01).audit(methods=["finite_baths"], n_modes=40)
    continuum = {f.subject for f in report.by_check("continuum") if f.severity == "error"}
    assert continuum == {f"finite_baths: W={w} {b}" for w in ("14.4", "28.8") for b in ("L", "R")}
    # recurrence: the window ends at 0.7 t_rec, inside the audit's limit t_max/t_rec = 1
    assert not report.by_check("recurrence")


def test_interacting_system_audits_the_master_equation_alone():
    """A spinful level with U: the master equation is audited, the three others say why not."""
    eps, u = 0.1, 0.8
    leads = {"L": FermiDirac(temperature=0.3, mu=0.5), "R": FermiDirac(temperature=0.2, mu=-0.4)}

    def level(g):
        return OpenSystem(np.diag([eps, eps]), "fermion", {k: (d, [g, g]) for k, d in leads.items()}, interaction=u)

    weak = level(1e-3).audit()
    assert weak.ok and not weak.warnings
    assert {"weak-coupling", "secular", "detailed-balance"} <= set(weak.checks)
    info = {f.subject: f.message for f in weak if f.check == "applicability"}
    assert set(info) == {"landauer", "finite_baths", "harmonic_networks"}
    assert all("interaction" in m for m in info.values())
    strong = level(0.5).audit()
    # each spin channel of L has the bare rate g on 0 -> σ: Γ/T = 0.5/0.3 (exact: the amplitude is 1)
    values = {f.subject: f.value for f in strong.by_check("weak-coupling") if f.severity == "error"}
    assert values["master_equation: L#0"] == pytest.approx(0.5 / 0.3, rel=1e-12)
    assert {method_of(f) for f in strong if f.severity != "info"} == {"master_equation"}


def test_bosonic_system_audits_landauer_and_harmonic_networks():
    """Coupled modes at T = 1 with hopping 0.5: the local baths get a local-lindblad warning.

    The local model carries energy ω_k per quantum, the normal modes 1.1 ± 0.51: its energy
    current into R (site 1.2) is the worst, 44% off Landauer (compare).
    """
    system = OpenSystem([[1.0, 0.5], [0.5, 1.2]], "boson",
                        {"L": (BoseEinstein(temperature=1.0, mu=-0.1), [0.01, 0.0]),
                         "R": (BoseEinstein(temperature=0.5, mu=-0.1), [0.0, 0.01])})
    report = system.audit()
    assert report.ok
    assert [f.subject for f in report.warnings] == ["harmonic_networks: R@1"]
    assert {"bosonic-mu", "local-lindblad", "stability"} <= set(report.checks)
    assert {f.subject for f in report if f.check == "applicability"} == {"master_equation", "finite_baths"}


def test_a_model_that_cannot_be_solved_is_an_error_of_its_method(monkeypatch):
    """A ConvergenceError while a model is built becomes a 'convergence' error led by the method."""
    from thermoflux.errors import ConvergenceError

    def fails(system):
        raise ConvergenceError("landauer: the integral did not converge")

    monkeypatch.setattr("thermoflux.compare.audit.landauer_junction", fails)
    report = double_dot(0.01).audit(methods=["landauer", "master_equation"])
    assert [(f.check, f.subject) for f in report.errors] == [("convergence", "landauer")]
    assert "did not converge" in report.errors[0].message


# -- thermoflux audit on a compare config ------------------------------------------------------
def scaled_example(tmp_path, coupling):
    path = tmp_path / "system.toml"
    path.write_text(EXAMPLE.read_text().replace("0.01", coupling))
    return path


def test_cli_audit_of_the_compare_example_exits_0(tmp_path):
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["audit", str(EXAMPLE), "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["ok"] and {f["severity"] for f in data["findings"]} == {"info"}


def test_cli_audit_of_a_strongly_coupled_compare_config_exits_1(tmp_path):
    result = CliRunner().invoke(main, ["audit", str(scaled_example(tmp_path, "1.0"))])
    assert result.exit_code == 1, result.output
    assert "weak-coupling" in result.output and "master_equation: L#0" in result.output


@pytest.mark.parametrize("text, key", [
    (EXAMPLE.read_text().replace("[0.01, 0.0]", "[0.01, 0.0, 0.0]"), "reservoirs.L.coupling"),
    ('methods = ["exact"]\n' + EXAMPLE.read_text(), "methods.0"),
    (EXAMPLE.read_text().replace('statistics = "fermion"', 'statistics = "anyon"', 1), "reservoirs.L.statistics"),
])
def test_cli_audit_of_a_bad_compare_config_is_one_line_and_exit_2(tmp_path, text, key):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    result = CliRunner().invoke(main, ["audit", str(path)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and key in lines[0]


def test_bosons_at_one_temperature_and_mu_trip_the_zeroth_law_of_local_baths():
    """Equal T = 0.5, μ = −0.1 on sites 1.0 and 1.2: the local baths move a current that should
    not flow. Their audit sees each reservoir's T and μ (not n at h_kk read as μ = 0): a
    zeroth-law error, and the local drive with no normal-mode counterpart, value 1 exactly
    (δ_modes = Σ_j w_j [n(λ_j) − n(λ_j)] = 0)."""
    same = BoseEinstein(temperature=0.5, mu=-0.1)
    system = OpenSystem([[1.0, 0.05], [0.05, 1.2]], "boson", {"L": (same, [1e-3, 0.0]), "R": (same, [0.0, 1e-3])})
    report = system.audit(methods=["harmonic_networks"])
    assert {f.severity for f in report.by_check("zeroth-law")} == {"error"}
    (finding,) = report.by_check("local-lindblad")
    assert finding.severity == "warning" and finding.value == pytest.approx(1.0, abs=1e-12)   # rounding only

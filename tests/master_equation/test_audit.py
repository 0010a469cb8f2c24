"""StochasticLimit.audit: weak coupling, Markov, secular, detailed balance (issue 12)."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import BoseEinstein, FermiDirac, InputError, NonThermal, TemperatureFunction
from thermoflux.master_equation import Field, StochasticLimit, System

DIPOLE = np.array([[0.0, 1.0], [1.0, 0.0]])


def qubit(temperature_hot=2.0, temperature_cold=0.5, gamma=0.05, omega=1.0):
    """The README's two-level system between a hot and a cold field, J = γ (wide band)."""
    return StochasticLimit(System([0.0, omega], {"hot": DIPOLE, "cold": DIPOLE}),
                           {"hot": Field(BoseEinstein(temperature=temperature_hot), gamma),
                            "cold": Field(BoseEinstein(temperature=temperature_cold), gamma)})


def test_readme_model_gives_no_finding():
    report = qubit().audit()
    assert len(report) == 0 and report.ok
    assert set(report.checks) >= {"weak-coupling", "markov", "secular", "detailed-balance", "second-law"}


def test_equilibrium_model_gives_no_error():
    report = qubit(1.0, 1.0).audit()
    assert not report.errors and not report.warnings


# -- weak coupling ---------------------------------------------------------------------------------
@pytest.mark.parametrize("gamma, severity", [(5.0, "error"), (0.02, "warning"), (0.004, None)])
def test_weak_coupling_gamma_over_temperature(gamma, severity):
    # Γ/T with T = 0.1 (cold field): 50 (the γ = 5 ≫ T = 0.1), 0.2, 0.04.
    found = qubit(0.1, 0.1, gamma).audit().by_check("weak-coupling")
    if severity is None:
        assert not found
        return
    worst = max(found, key=lambda f: f.value)
    assert worst.severity == severity
    assert worst.value == pytest.approx(gamma / 0.1, rel=1e-12)   # Γ/T exactly, |D| = 1


@pytest.mark.parametrize("gamma, severity", [(0.03, "error"), (0.003, "warning"), (3e-4, None)])
def test_weak_coupling_thermal_coherence_decay_over_bohr_frequency(gamma, severity):
    # Review s1/s16: at T = 100 ≫ ω = 1, Γ/T = 3e-4 is fine but the coherences decay at
    # G = ½ Σ_j Γ coth(ω/2T_j) = 6.0 ≫ ω for Γ = 0.03 (closed form; seed 002, eq. 23).
    found = [f for f in qubit(100.0, 100.0, gamma).audit().by_check("weak-coupling") if "2ω_min" in f.message]
    if severity is None:
        assert not found
        return
    (finding,) = found
    decay = gamma / np.tanh(1.0 / (2 * 100.0))       # ½·2 fields·Γ coth(ω/2T)
    assert finding.severity == severity
    assert finding.value == pytest.approx(decay / 2.0, rel=1e-9)   # G/(2ω_min): rounding of the rates only


def test_weak_coupling_readme_qubit_is_weak():
    # G = ½ Γ (coth(1/4) + coth(1)) = 0.1349 against 2ω = 2: 0.067 < 0.1, no warning.
    assert not qubit().audit().by_check("weak-coupling")
    louder = qubit(gamma=0.1).audit().by_check("weak-coupling")     # 0.135: warns (and Γ/T = 0.2)
    decay = 0.5 * 0.1 * (1 / np.tanh(0.25) + 1 / np.tanh(1.0))
    assert [f.value for f in louder if "2ω_min" in f.message] == [pytest.approx(decay / 2.0, rel=1e-9)]


def test_thresholds_can_be_overridden_and_unknown_ids_are_named():
    found = qubit().audit(thresholds={"weak-coupling": (0.01, 1.0)}).by_check("weak-coupling")
    assert found and found[0].severity == "warning"
    with pytest.raises(InputError, match="'recurrence'"):
        qubit().audit(thresholds={"recurrence": (1, 2)})


# -- Markov ---------------------------------------------------------------------------------------
def structured(width):
    """A Lorentzian J(ω) = s κ²/((ω − ω0)² + κ²) of width κ, probed at ω = ω0 + κ (the qubit)."""
    s, omega = 0.02, 1.0
    centre = omega - width
    spectral = lambda w: s * width**2 / ((w - centre) ** 2 + width**2)  # noqa: E731
    return StochasticLimit(System([0.0, omega], {"bath": DIPOLE}),
                           {"bath": Field(BoseEinstein(temperature=1.0), spectral)})


@pytest.mark.parametrize("width, severity", [(0.001, "error"), (0.1, "warning"), (1.0, None)])
def test_markov_at_the_peak_of_a_resonant_lorentzian(width, severity):
    # Review s5: J = s κ²/((ω − ω0)² + κ²) peaked on the qubit, ω0 = ω: the slope vanishes but
    # the curvature does not, (ln J)'' = −2/κ² (closed form), so Γτ_B = s√2/κ with Γ = J(ω0) = s.
    s = 0.02
    model = StochasticLimit(System([0.0, 1.0], {"bath": DIPOLE}),
                            {"bath": Field(BoseEinstein(temperature=1.0),
                                           lambda w: s * width**2 / ((w - 1.0) ** 2 + width**2))})
    found = model.audit().by_check("markov")
    if severity is None:                    # s√2/κ = 0.028 and s/(2πT) = 0.003: no finding
        assert not found
        return
    (finding,) = found
    assert finding.severity == severity
    # three-point second difference, h = 1e-4: truncation (h/κ)²/2 <= 0.5% at κ = 1e-3
    assert finding.value == pytest.approx(s * np.sqrt(2) / width, rel=1e-2)


def test_markov_trips_on_a_narrow_spectral_density():
    # Closed form: at ω0 + κ, |d ln J/dω| = 2Δ/(Δ² + κ²) = 1/κ and Γ = J = s/2, so Γτ_B = s/(2κ).
    (finding,) = structured(0.01).audit().by_check("markov")
    assert finding.severity == "warning"
    assert finding.value == pytest.approx(0.02 / (2 * 0.01), rel=1e-6)   # central difference, h = 1e-5 ω: error ~1e-10
    assert not structured(1.0).audit().by_check("markov")                # s/(2κ) = 0.01, 1/(2πT) = 0.16: 0.0016


# -- secular ----------------------------------------------------------------------------------------
def v_system(split, gamma=0.01, temperature=0.02):
    """Ground state 0 and two excited levels 1 and 1 + split, both dipole-coupled to one cold field."""
    d = np.zeros((3, 3))
    d[0, 1] = d[0, 2] = 1.0
    return StochasticLimit(System([0.0, 1.0, 1.0 + split], {"bath": d}),
                           {"bath": Field(BoseEinstein(temperature=temperature), gamma)})


@pytest.mark.parametrize("split, severity", [(0.004, "error"), (0.02, "warning"), (0.2, None)])
def test_secular_compares_bohr_splitting_with_coherence_decay(split, severity):
    found = v_system(split).audit().by_check("secular")
    if severity is None:
        assert not found
        return
    (finding,) = found
    assert finding.severity == severity
    # At T = 0.02 the absorption is e^{-50}: each excited level decays at γ = 0.01, the ground
    # state not at all, so the coherences ρ_10 and ρ_20 decay at G = γ/2 (seed 002, eq. 23).
    assert finding.value == pytest.approx(split / 0.005, rel=1e-12)


# -- detailed balance -------------------------------------------------------------------------------
def three_level(distribution):
    d = np.array([[0.0, 1.0, 1.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    return StochasticLimit(System([0.0, 1.0, 2.5], {"bath": d, "cold": d}),
                           {"bath": Field(distribution, 0.005),
                            "cold": Field(BoseEinstein(temperature=0.5), 0.005)})


def test_detailed_balance_flags_a_field_with_three_temperatures():
    # Bohr frequencies 1, 1.5, 2.5 with T = 1, 3, 2: the median is 2, the temperature is none.
    beta = lambda w: np.select([w < 1.2, w < 2.0], [1.0, 1 / 3], 0.5)  # noqa: E731
    (finding,) = three_level(TemperatureFunction(beta)).audit().by_check("detailed-balance")
    assert finding.severity == "warning" and finding.subject == "bath"
    assert finding.value == pytest.approx(0.5, rel=1e-12)    # max |T − 2|/2 with T ∈ {1, 3, 2}
    constant = three_level(TemperatureFunction(lambda w: 0.5 + 0.0 * w))
    assert not constant.audit().by_check("detailed-balance")


def test_detailed_balance_accounts_for_mu_of_fermionic_leads():
    # A dot between two leads at μ = ±0.3: Γ_−/Γ_+ = e^{(ε − μ)/T} for each lead.
    lower = np.array([[0.0, 1.0], [0.0, 0.0]])
    model = StochasticLimit(System([0.0, 0.2], {"L": lower, "R": lower}, particle_numbers=[0, 1]),
                            {"L": Field(FermiDirac(temperature=0.5, mu=0.3), 0.01),
                             "R": Field(FermiDirac(temperature=0.5, mu=-0.3), 0.01)})
    report = model.audit()
    assert not report.by_check("detailed-balance") and not report.errors


def test_detailed_balance_flags_an_inverted_field():
    inverted = NonThermal(lambda e: 0.9 + 0.0 * e, "fermion", mu=0.0)      # f = 0.9 above μ
    lower = np.array([[0.0, 1.0], [0.0, 0.0]])
    model = StochasticLimit(System([0.0, 1.0], {"gain": lower, "lead": lower}, particle_numbers=[0, 1]),
                            {"gain": Field(inverted, 0.01), "lead": Field(FermiDirac(temperature=0.5), 0.01)})
    (finding,) = model.audit().by_check("detailed-balance")
    assert finding.severity == "error" and finding.subject == "gain"
    assert finding.value == pytest.approx(1.0 / np.log(0.1 / 0.9), rel=1e-12)   # T = ω/ln((1−f)/f) < 0


def test_biased_dot_flows_include_mu():
    # The biased dot: σ = Δμ·I/T, not ~1e-18; the chemical-potential check stays silent.
    lower = np.array([[0.0, 1.0], [0.0, 0.0]])
    model = StochasticLimit(System([0.0, 0.0], {"L": lower, "R": lower}, particle_numbers=[0, 1]),
                            {"L": Field(FermiDirac(temperature=0.5, mu=0.1), 0.01),
                             "R": Field(FermiDirac(temperature=0.5, mu=-0.1), 0.01)})
    flows = model.flows()
    assert flows.entropy_production == pytest.approx(0.2 * flows.particle["L"] / 0.5, rel=1e-12)
    assert not model.audit().by_check("chemical-potential")

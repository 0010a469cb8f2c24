"""Micro-currents and macro-currents: signs, first and second law, eqs. 38, 42-43, 47."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thermoflux import BoseEinstein, FermiDirac, TemperatureFunction
from thermoflux.master_equation import Field, StochasticLimit, System


def test_heat_flows_from_hot_to_cold_and_energy_is_conserved(make_model, rng):
    model = make_model(rng, 5, beta_hot=0.3, beta_cold=3.0)
    flows = model.flows()
    assert flows.heat["hot"] > 0 > flows.heat["cold"]  # DESIGN sign: out of the hot field
    assert flows.energy_residual == pytest.approx(0.0, abs=1e-14)  # Σ_j J^E_j = 0 in the steady state (rounding)
    # log-odds entropy route equals the core's thermal −J^Q/T
    for k in flows.reservoirs:
        assert flows.entropy[k] == pytest.approx(-flows.heat[k] / flows.temperature[k], rel=1e-12)
    assert flows.entropy_production > 0


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # make_model is a pure factory
@given(beta_hot=st.floats(0.05, 5.0), ratio=st.floats(1.0, 20.0), mu=st.floats(-1.0, 0.0),
       seed=st.integers(0, 2**31))
def test_second_law_random_models(make_model, beta_hot, ratio, mu, seed):
    model = make_model(np.random.default_rng(seed), 4, beta_hot=beta_hot,
                                   beta_cold=beta_hot * ratio, mu=mu)
    flows = model.flows()  # Flows.check runs: a ThermodynamicsWarning would fail the test (pytest config)
    t, p = model.transitions, model.stationary_populations()
    betas = np.array([beta_hot, beta_hot * ratio])[t.field]
    # scale: the one-way entropy flows Σ β|ω − μ|(Γ−ρ_m + Γ+ρ_n), whose differences make σ
    scale = np.sum(betas * np.abs(t.omega - mu) * (t.emission * p[t.upper] + t.absorption * p[t.lower]))
    assert flows.entropy_production >= -1e-12 * scale  # rounding of the stationary solve


def test_micro_current_formula_eq38(make_model, rng):
    model = make_model(rng, 4)
    p = model.stationary_populations()
    t = model.transitions
    table = model.micro_currents("particle", layout="transitions")
    k = 3
    field = model.fields[t.fields[t.field[k]]]
    emit, absorb = field.rates(np.array([t.omega[k]]))
    w = abs(t.amplitude[k]) ** 2
    # eq. 38a: J = Γ_− ρ_mm − Γ_+ ρ_nn, with the last form Γ_+ρ_mm e^x (1 − e^{−x} ρ_nn/ρ_mm)... checked as the first
    assert table.values[k] == pytest.approx(w * (emit[0] * p[t.upper[k]] - absorb[0] * p[t.lower[k]]), rel=1e-13)
    mat = model.micro_currents("energy")
    assert mat.sel(reservoir=t.fields[t.field[k]], upper=t.upper[k], lower=t.lower[k]).item() == pytest.approx(
        t.omega[k] * table.values[k], rel=1e-13)


def test_eq42_as_printed_vanishes(make_model, rng):
    model = make_model(rng, 5)
    je = model.micro_currents("energy").values  # [field, upper m, lower n]
    n = model.n_levels
    printed = sum(je[:, m, :m].sum() - je[:, m + 1:, m].sum() for m in range(n))
    assert printed == pytest.approx(0.0, abs=1e-15)  # identically zero: both sums run over the same pairs
    flows = model.flows()
    assert abs(je[0].sum()) > 1e-3 and je[0].sum() == pytest.approx(-flows.energy["hot"], rel=1e-12)


def test_two_fields_micro_currents_cancel_only_at_detailed_balance(make_model, rng):
    neq = make_model(rng, 4, beta_hot=0.4, beta_cold=2.0)
    j = neq.micro_currents().values
    assert np.abs(j[0] + j[1]).max() > 1e-4  # eq. 47a: ≠ 0 out of equilibrium
    eq = make_model(np.random.default_rng(1), 4, beta_hot=1.1, beta_cold=1.1)
    j = eq.micro_currents().values
    assert np.abs(j[0] + j[1]).max() < 1e-14  # equal temperatures: J_1,mn = −J_2,mn pair by pair (rounding)


def test_non_thermal_field_entropy_and_second_law():
    # a temperature-function field (eq. 95) and a thermal one
    energies = np.array([0.0, 0.8, 2.1])
    d = np.triu(np.ones((3, 3)), 1)
    fields = {"tf": Field(TemperatureFunction(lambda w: 0.5 + 0.8 * w), 0.3),
              "th": Field(BoseEinstein(beta=1.0), 0.2)}
    model = StochasticLimit(System(energies, {"tf": d, "th": d}), fields)
    flows = model.flows()
    assert flows.temperature["tf"] is None
    assert flows.entropy_production > 0
    # Independent route for the non-thermal entropy rate: each quantum emitted at ω raises the
    # field's entropy by ln((1 + n)/n) = β(ω) ω (eq. 95), β from the user's function, not log_odds.
    j = model.micro_currents("particle").sel(reservoir="tf").values  # [upper m, lower n], emitted
    omega = energies[:, None] - energies[None, :]
    expected = np.sum(np.where(omega > 0, (0.5 + 0.8 * omega) * omega * j, 0.0))
    assert abs(expected) > 1e-3  # the field does exchange entropy here
    assert flows.entropy["tf"] == pytest.approx(expected, rel=1e-12)  # same currents, rounding only


def test_quantum_dot_particle_conservation_is_checked():
    system = System([0.0, 0.3], {"L": [[0, 1], [0, 0]], "R": [[0, 1], [0, 0]]}, particle_numbers=[0, 1])
    fields = {"L": Field(FermiDirac(beta=2.0, mu=0.5), 0.01), "R": Field(FermiDirac(beta=2.0, mu=-0.5), 0.02)}
    model = StochasticLimit(system, fields)
    flows = model.flows()
    t, p = model.transitions, model.stationary_populations()
    flux = np.max(np.maximum(t.emission * p[t.upper], t.absorption * p[t.lower]))  # one-way Γρ, 5e-3
    # J_L + J_R cancels one-way fluxes: rounding floor 16 eps of them (abs=1e-18 was below one ulp).
    assert flows.particle["L"] > 0 and flows.particle_residual == pytest.approx(0.0, abs=16 * np.finfo(float).eps * flux)
    gl, gr = 0.01, 0.02
    fl, fr = 1 / (np.exp(2.0 * (0.3 - 0.5)) + 1), 1 / (np.exp(2.0 * (0.3 + 0.5)) + 1)
    # closed form; abs=0: J ~ 3e-3, so approx's default abs=1e-12 would allow 3e-10 relative
    assert flows.particle["L"] == pytest.approx(gl * gr / (gl + gr) * (fl - fr), rel=1e-13, abs=0)


def test_degenerate_levels_currents_include_coherences(rng):
    # degenerate excited pair: the emission of E_ω is tr(Γ E†E ρ) with E†E not diagonal (eq. 35a)
    energies = np.array([0.0, 1.0, 1.0, 2.0])
    d = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    fields = {"a": Field(BoseEinstein(beta=0.4), lambda w: 0.2 * w), "b": Field(BoseEinstein(beta=2.0), 0.1)}
    model = StochasticLimit(System(energies, {"a": d, "b": d.conj()}), fields)
    a = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    rho = a @ a.conj().T
    rho /= np.trace(rho).real
    drho = (model.liouvillian() @ rho.reshape(-1, order="F")).reshape(4, 4, order="F")
    emitted = model.micro_currents("energy", state=rho).values.sum()
    assert emitted == pytest.approx(-np.trace(np.diag(energies) @ drho).real, rel=1e-12)  # first law at any time
    populations_only = model.micro_currents("energy", state=np.diag(rho).real).values.sum()
    assert abs(populations_only - emitted) > 1e-4  # ignoring the coherences would break it
    flows = model.flows()
    assert flows.energy_residual == pytest.approx(0.0, abs=1e-14)


@pytest.mark.parametrize("beta_cold", [1e3, 1e4])
def test_extreme_cold_field_stays_finite(beta_cold):
    # β ω up to 4e4: the cold field's occupation underflows to exactly 0, its log-odds stay exact
    energies = np.array([0.0, 1.0, 2.5, 4.0])
    d = np.triu(np.ones((4, 4)), 1)
    fields = {"hot": Field(BoseEinstein(beta=1e-6), lambda w: 0.1 * w), "cold": Field(BoseEinstein(beta=beta_cold), 0.1)}
    model = StochasticLimit(System(energies, {"hot": d, "cold": d}), fields)
    flows = model.flows()
    values = [*flows.energy.values(), *flows.entropy.values(), flows.entropy_production]
    assert np.all(np.isfinite(values))
    assert flows.heat["hot"] > 0 > flows.heat["cold"] and flows.entropy_production > 0
    # the cold field's entropy gain is β_cold |J^Q_cold| computed from the exponent, not from n
    assert flows.entropy["cold"] == pytest.approx(-beta_cold * flows.heat["cold"], rel=1e-12)

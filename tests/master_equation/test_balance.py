"""Detailed balance (eqs. 25-26, 47), eqs. 44-45, temperature function (27-28, 83), local KMS (74),
generators and dynamical detailed balance (eqs. 62, 65, 68, 87-90)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thermoflux import BoseEinstein, InputError
from thermoflux.master_equation import Field, StochasticLimit, System
from thermoflux.master_equation.balance import (
    backward_generator,
    detailed_balance_defect,
    forward_generator,
    has_inverted_populations,
    kms_adjoint,
    kolmogorov_residual,
    local_kms_residual,
    schrodinger_generator,
    temperature_function,
)


def triangle_residual(w):
    """Eq. 26 literally: max over triples of |ln(Γ_ml/Γ_lm) − ln(Γ_mk/Γ_km) − ln(Γ_kl/Γ_lk)|."""
    rate = w.T  # rate[m, l] = rate m -> l
    n = rate.shape[0]
    worst = 0.0
    for m, l, k in itertools.permutations(range(n), 3):
        lhs = np.log(rate[m, l] / rate[l, m])
        rhs = np.log(rate[m, k] / rate[k, m]) + np.log(rate[k, l] / rate[l, k])
        worst = max(worst, abs(lhs - rhs))
    return worst


def test_kolmogorov_spanning_tree_equals_triangle_criterion(make_model, rng):
    neq = make_model(rng, 5, beta_hot=0.3, beta_cold=2.0)
    w = neq.pauli_rate_matrix().toarray()
    assert triangle_residual(w) > 1e-3
    assert kolmogorov_residual(neq.pauli_rate_matrix()) > 1e-3
    assert not neq.satisfies_detailed_balance()
    assert not neq.satisfies_detailed_balance(criterion="currents")
    eq = make_model(rng, 5, beta_hot=0.9, beta_cold=0.9)
    assert triangle_residual(eq.pauli_rate_matrix().toarray()) < 1e-12  # rounding of logs
    assert eq.satisfies_detailed_balance(1e-12)
    assert eq.satisfies_detailed_balance(1e-12, criterion="currents")


def test_kolmogorov_on_a_ring_without_triangles():
    # 4 levels, transitions 0-1, 1-2, 2-3, 3-0 only: eq. 26's triangles miss the 4-cycle
    e = np.array([0.0, 0.7, 1.5, 2.6])
    d = np.zeros((4, 4))
    d[0, 1] = d[1, 2] = d[2, 3] = d[0, 3] = 1.0
    fields = {"a": Field(BoseEinstein(beta=0.5), lambda w: 0.1 * w), "b": Field(BoseEinstein(beta=3.0), 0.05)}
    model = StochasticLimit(System(e, {"a": d, "b": d}), fields)
    w = model.pauli_rate_matrix().toarray()
    r = w.T
    affinity = np.log(r[0, 1] * r[1, 2] * r[2, 3] * r[3, 0] / (r[1, 0] * r[2, 1] * r[3, 2] * r[0, 3]))
    assert kolmogorov_residual(model.pauli_rate_matrix()) == pytest.approx(abs(affinity), rel=1e-12)


def test_temperature_function_gibbs(make_model, rng):
    beta = 1.7
    model = make_model(rng, 5, beta_hot=beta, beta_cold=beta)
    beta_s = model.temperature_function()
    np.testing.assert_allclose(beta_s.values[1:], beta, rtol=1e-10)  # Gibbs: constant (rounding of the solve)
    assert np.isnan(beta_s.values[0])
    # eq. 27 as printed (Z = 1, energies from 0) is not constant for the same Gibbs state
    p, e = model.stationary_populations(), model.system.energies
    printed = -np.log(p[1:]) / e[1:]
    assert np.ptp(printed) > 1e-2
    # a shifted reference level gives the same β for a Gibbs state
    np.testing.assert_allclose(np.delete(temperature_function(e, p, reference=2), 2), beta, rtol=1e-10)


def test_local_kms_closed_form_against_matrix_units(rng):
    n = 3
    e = np.array([0.0, 0.9, 2.3])
    beta = np.array([np.nan, 1.1, 0.6])

    def brute(rho):
        worst = 0.0
        g = np.nan_to_num(beta) * e
        for a, b, c, d in itertools.product(range(n), repeat=4):
            x = np.zeros((n, n)); x[a, b] = 1.0
            y = np.zeros((n, n)); y[c, d] = 1.0
            y_shift = np.diag(np.exp(-g)) @ y @ np.diag(np.exp(g))  # y(iβ(H)), eq. 73a
            worst = max(worst, abs(np.trace(rho @ x @ y_shift) - np.trace(rho @ y @ x)))
        return worst / np.abs(rho).max()

    a = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    rho = a @ a.conj().T
    rho /= np.trace(rho)
    assert local_kms_residual(rho, e, beta=beta) == pytest.approx(brute(rho), rel=1e-12)
    kms_state = np.diag(np.exp(-np.nan_to_num(beta) * e))
    kms_state /= np.trace(kms_state)
    assert local_kms_residual(kms_state, e, beta=beta) < 1e-15  # Theorem 1: zero for e^{−β(H)H}/Z
    assert brute(kms_state) < 1e-15


def test_stationary_state_satisfies_local_kms_with_its_temperature_function(make_model, rng):
    model = make_model(rng, 4, beta_hot=0.4, beta_cold=2.5)
    assert model.local_kms_residual() < 1e-13  # Theorem 2 (rounding)


def test_generators_identities(make_model, rng):
    model = make_model(rng, 4, lamb_shift=True)
    n = 4
    x = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    y = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    delta = model.lamb_shift_hamiltonian.toarray()
    # eq. 68a: L − L_B = 2i[Δ, X]
    np.testing.assert_allclose(forward_generator(model, x) - backward_generator(model, x),
                               2j * (delta @ x - x @ delta), rtol=0, atol=1e-13)
    # eq. 62: tr(X L*(ρ)) = tr(L(X) ρ)
    rho = y @ y.conj().T
    assert np.trace(x @ schrodinger_generator(model, rho)) == pytest.approx(
        np.trace(forward_generator(model, x) @ rho), rel=1e-12)
    rho_s = model.stationary_state(solver="sector")
    # eq. 87: ⟨⟨L_G^+(X) Y⟩⟩ = ⟨⟨X L(Y)⟩⟩
    assert np.trace(rho_s @ kms_adjoint(model, x) @ y) == pytest.approx(
        np.trace(rho_s @ x @ forward_generator(model, y)), rel=1e-10)
    # eq. 88a: L_G^+ = L_B + Σ Π̂_ω
    np.testing.assert_allclose(kms_adjoint(model, x),
                               backward_generator(model, x) + detailed_balance_defect(model, x), rtol=0, atol=1e-10)
    # Π̂ itself is non-zero out of equilibrium ...
    assert np.abs(detailed_balance_defect(model, x)).max() > 1e-3
    # ... but L_G^+(1) = ρ^{-1} L*(ρ) = 0 in any stationary state, and so Σ Π̂(1) = 0 (eq. 41 at
    # stationarity), contrary to the remark after eq. 93 that L_G^+(1) = Σ Π̂(1) ≠ 0
    assert np.abs(kms_adjoint(model, np.eye(n))).max() < 1e-13  # rounding
    assert np.abs(detailed_balance_defect(model, np.eye(n))).max() < 1e-12


def test_equilibrium_has_no_defect(make_model, rng):
    model = make_model(rng, 4, beta_hot=1.3, beta_cold=1.3, lamb_shift=False)
    x = rng.normal(size=(4, 4))
    assert np.abs(detailed_balance_defect(model, x)).max() < 1e-12  # Π̂ = 0: L_B = L_G^+ (end of Sec. V)


def test_dynamical_detailed_balance_eq68b(make_model, rng):
    model = make_model(rng, 5, lamb_shift=True)
    for _ in range(3):
        x = rng.normal(size=(5, 5)) + 1j * rng.normal(size=(5, 5))
        y = rng.normal(size=(5, 5)) + 1j * rng.normal(size=(5, 5))
        scale = np.abs(x).max() * np.abs(y).max() * np.abs(model.pauli_rate_matrix().toarray()).max()
        assert model.dynamical_detailed_balance_residual(x, y) < 1e-12 * scale  # rounding
    # eq. 70 with projectors: the right side is the pair current itself, not zero out of equilibrium
    pa, pb = np.diag([0, 0, 1.0, 0, 0]), np.diag([1.0, 0, 0, 0, 0])
    rho = model.stationary_state(solver="sector")
    lhs = np.trace(rho @ pa @ forward_generator(model, pb)) - np.trace(rho @ backward_generator(model, pa) @ pb)
    j = model.micro_currents().sum("reservoir").values
    assert lhs.real == pytest.approx(j[2, 0], rel=1e-10) and abs(j[2, 0]) > 1e-4


def test_dynamical_detailed_balance_with_degenerate_bohr_frequencies_diagonal_operators(rng):
    e = np.array([0.0, 1.0, 2.0, 3.0])
    d = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    fields = {"a": Field(BoseEinstein(beta=0.4), lambda w: 0.2 * w), "b": Field(BoseEinstein(beta=3.0), 0.1)}
    model = StochasticLimit(System(e, {"a": d, "b": d.T.copy()}), fields)
    x, y = np.diag(rng.normal(size=4)), np.diag(rng.normal(size=4))
    assert model.dynamical_detailed_balance_residual(x, y) < 1e-12


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(seed=st.integers(0, 2**31), beta_hot=st.floats(0.1, 2.0), ratio=st.floats(1.2, 10.0))
def test_eq44_no_inversion_means_heat_into_the_cold_field(make_model, seed, beta_hot, ratio):
    model = make_model(np.random.default_rng(seed), 4, beta_hot=beta_hot, beta_cold=beta_hot * ratio)
    if model.no_inverted_populations():
        assert model.flows().energy["cold"] < 0  # energy emitted into the colder field (eq. 43-44)


def test_gibbs_domination_eq45(make_model, rng):
    for seed in range(5):
        model = make_model(np.random.default_rng(seed), 5)   # β_hot = 0.5, β_cold = 2, μ = 0
        table = model.gibbs_domination()
        opposite = table.opposite.values.astype(bool)
        assert opposite.sum() >= 5                           # the hypothesis of eq. 45 is met
        assert np.all(table.holds.values[opposite] == 1)
        # Independently of the table's own columns: e^{−2ω} <= ρ_mm/ρ_nn <= e^{−0.5ω} (rounding 1e-12)
        p, e = model.stationary_populations(), model.system.energies
        m, n = table.upper_level.values[opposite], table.lower_level.values[opposite]
        ratio, omega = p[m] / p[n], e[m] - e[n]
        assert np.all(ratio >= np.exp(-2.0 * omega) * (1 - 1e-12))
        assert np.all(ratio <= np.exp(-0.5 * omega) * (1 + 1e-12))
    two = make_model(rng, 2).gibbs_domination()
    assert two.opposite.values.all() and two.holds.values.all()  # two levels: J_1 = −J_2 always


def test_kolmogorov_one_way_rate_raises():
    from thermoflux import NonThermal

    vacuum = NonThermal(lambda e: np.zeros_like(e), "boson")
    model = StochasticLimit(System([0.0, 1.0], {"a": [[0, 1], [0, 0]]}), {"a": Field(vacuum, 0.1)})
    with pytest.raises(InputError, match="one way only"):
        model.satisfies_detailed_balance()
    assert model.satisfies_detailed_balance(criterion="currents")  # ground state: no current


def test_has_inverted_populations_against_pairwise_definition():
    """Eq. 44 literally (no ε_m > ε_n with ρ_mm > ρ_nn), on degenerate, zero and one-level inputs."""

    def brute(e, p):
        return any(e[m] > e[n] and p[m] > p[n] for m in range(len(e)) for n in range(len(e)))

    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(1, 6))
        e = rng.integers(0, 3, n).astype(float)        # many equal energies (degenerate levels)
        p = rng.integers(0, 4, n).astype(float)        # ties and exact zeros
        assert has_inverted_populations(e, p) == brute(e, p), (e, p)
    assert not has_inverted_populations([0.3], [1.0])                   # one level
    assert not has_inverted_populations([0.0, 1.0, 1.0], [0.5, 0.5, 0.0])  # equal, not greater
    assert has_inverted_populations([0.0, 1.0], [0.0, 1e-300])          # above an empty level
    assert not has_inverted_populations([0.0, 1.0], [0.5, 0.5 * (1 + 1e-9)], tol=1e-8)

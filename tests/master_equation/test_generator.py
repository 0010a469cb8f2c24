"""Generator: Pauli rates, GKSL Liouvillian against a projector-built reference, Lamb shift."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, optimize

from thermoflux import BoseEinstein, NonThermal
from thermoflux.master_equation import Field, StochasticLimit, System


def reference_liouvillian(energies, couplings, fields, tol=1e-9):
    """Seed 002, eqs. 15b and 22a built literally: E_ω = Σ_{ε_m − ε_n = ω} P_n D P_m, dense krons."""
    n = len(energies)
    eye = np.eye(n)
    lv = -1j * (np.kron(eye, np.diag(energies)) - np.kron(np.diag(energies).T, eye))
    omegas = np.unique(np.round([a - b for a in energies for b in energies if a - b > tol], 9))
    for name, d in couplings.items():
        for w in omegas:
            a = np.zeros((n, n), dtype=complex)
            for m in range(n):
                for l in range(n):
                    if abs(energies[m] - energies[l] - w) < 1e-8:
                        a[l, m] += d[l, m]
            if not a.any():
                continue
            g_minus, g_plus = (float(v[0]) for v in fields[name].rates(np.array([w])))
            for rate, op in ((g_minus, a), (g_plus, a.conj().T)):
                k = op.conj().T @ op
                lv += rate * (np.kron(op.conj(), op) - 0.5 * np.kron(eye, k) - 0.5 * np.kron(k.T, eye))
    return lv


def test_pauli_matrix_is_the_population_block_of_the_liouvillian(make_model, rng):
    model = make_model(rng, 6)
    w = model.pauli_rate_matrix().toarray()
    np.testing.assert_allclose(w.sum(axis=0), 0.0, atol=1e-14 * np.abs(w).max())  # columns conserve probability
    lv = model.liouvillian().toarray()
    n = model.n_levels
    diag_idx = np.arange(n) * (n + 1)
    np.testing.assert_allclose(lv[np.ix_(diag_idx, diag_idx)], w, rtol=0, atol=1e-13 * np.abs(w).max())  # rounding


def test_liouvillian_matches_projector_construction_with_degenerate_bohr_frequencies(rng):
    # equally spaced ladder: three transitions share ω = 1 (one E_ω, eq. 15b), two share ω = 2
    energies = np.array([0.0, 1.0, 2.0, 3.0])
    d1 = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    d2 = rng.normal(size=(4, 4))
    fields = {"a": Field(BoseEinstein(beta=0.7), lambda w: 0.2 * w), "b": Field(BoseEinstein(beta=2.5), 0.1)}
    model = StochasticLimit(System(energies, {"a": d1, "b": d2}), fields)
    ref = reference_liouvillian(energies, {"a": d1, "b": d2}, fields)
    np.testing.assert_allclose(model.liouvillian().toarray(), ref, rtol=0, atol=1e-13)  # rounding of sums


def test_liouvillian_preserves_trace_and_hermiticity(make_model, rng):
    model = make_model(rng, 5)
    lv = model.liouvillian().toarray()
    n = model.n_levels
    trace_row = np.eye(n).reshape(-1, order="F")
    np.testing.assert_allclose(trace_row @ lv, 0.0, atol=1e-13 * np.abs(lv).max())
    x = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    x = x + x.conj().T
    y = (lv @ x.reshape(-1, order="F")).reshape(n, n, order="F")
    np.testing.assert_allclose(y, y.conj().T, rtol=0, atol=1e-12 * np.abs(y).max())


def test_lamb_shift_closed_form_flat_band_zero_temperature():
    # n(ω) = 0 exactly: S_−(ω) = −(J0/2π) ln((W − ω)/ω), S_+ = 0 (PV ∫_0^W dω'/(ω' − ω))
    j0, width, omega = 0.3, 5.0, 1.7
    vacuum = NonThermal(lambda e: np.zeros_like(e), "boson")
    field = Field(vacuum, lambda w: j0 * (w < width), frequency_range=(0.0, width))
    model = StochasticLimit(System([0.0, omega], {"f": [[0, 1], [0, 0]]}), {"f": field}, lamb_shift=True)
    h = model.lamb_shift_hamiltonian.toarray()
    expected = -j0 / (2 * np.pi) * np.log((width - omega) / omega)
    assert h[1, 1].real == pytest.approx(expected, rel=1e-9)  # quad tolerance
    assert h[0, 0] == 0.0


def _pv_by_subtraction(g, c):
    """PV ∫_0^∞ g(x)/(x − c) dx = ∫_0^{2c} (g(x) − g(c))/(x − c) dx + ∫_{2c}^∞ g(x)/(x − c) dx."""
    near, _ = integrate.quad(lambda x: (g(x) - g(c)) / (x - c) if x != c else 0.0, 0.0, 2 * c, limit=200)
    far, _ = integrate.quad(lambda x: g(x) / (x - c), 2 * c, np.inf, limit=200)
    return near + far


def test_lamb_shift_thermal_against_singularity_subtraction():
    beta, omega = 1.3, 1.1
    spectral = lambda w: 0.4 * w * np.exp(-w / 3.0)  # noqa: E731
    field = Field(BoseEinstein(beta=beta), spectral)
    model = StochasticLimit(System([0.0, omega], {"f": [[0, 1], [0, 0]]}), {"f": field}, lamb_shift=True)
    h = model.lamb_shift_hamiltonian.toarray().real
    n = lambda w: np.exp(-beta * w) / -np.expm1(-beta * w)  # noqa: E731  (no overflow)
    s_minus = -_pv_by_subtraction(lambda w: spectral(w) * (1 + n(w)), omega) / (2 * np.pi)
    s_plus = _pv_by_subtraction(lambda w: spectral(w) * n(w), omega) / (2 * np.pi)
    assert h[1, 1] == pytest.approx(s_minus, rel=1e-7)  # two quadratures, each to ~1e-9
    assert h[0, 0] == pytest.approx(s_plus, rel=1e-7)


def test_lamb_shift_leaves_populations_and_currents_unchanged(make_model):
    with_shift = make_model(np.random.default_rng(5), 4, lamb_shift=True)
    without = make_model(np.random.default_rng(5), 4, lamb_shift=False)
    assert np.abs(with_shift.lamb_shift_hamiltonian.toarray()).max() > 1e-3  # the shift is there
    rho = with_shift.stationary_state(solver="full")
    np.testing.assert_allclose(np.diag(rho).real, without.stationary_populations(), rtol=0, atol=1e-12)  # LU rounding


def test_lamb_shift_sign_and_scale_against_exact_diagonalization():
    # A level at ω = 1 below a flat band [2, 5] of M discrete modes (vacuum): the single-excitation
    # Hamiltonian [[ω, g], [g, diag(ω_k)]] has a bound state at ω + S_−(ω) + O(J0²), with
    # g_k² = J0 Δω/(2π) so that J(ω) = 2π Σ g_k² δ(ω_k − ω) = J0 on the band.
    j0, lo, hi, omega, m = 2e-3, 2.0, 5.0, 1.0, 600
    grid = lo + (np.arange(m) + 0.5) * (hi - lo) / m
    g2 = j0 * (hi - lo) / m / (2 * np.pi)
    # exact bound state below the band: the root of E − ω − Σ_k g²/(E − ω_k) (the secular equation
    # of that Hamiltonian, monotonic for E < ω_k)
    bound = optimize.brentq(lambda en: en - omega - np.sum(g2 / (en - grid)), omega - 1.0, lo - 1e-9, xtol=1e-15)
    vacuum = NonThermal(lambda e: np.zeros_like(e), "boson")
    field = Field(vacuum, lambda w: j0 * ((w >= lo) & (w <= hi)), frequency_range=(lo, hi))
    model = StochasticLimit(System([0.0, omega], {"f": [[0, 1], [0, 0]]}), {"f": field}, lamb_shift=True)
    shift = model.lamb_shift_hamiltonian.toarray().real
    assert shift[1, 1] < 0  # repelled downwards by the band above it
    # second order vs exact: the rest is O(J0²)/|S| ~ 1e-3 relative; the mode grid adds ~1e-6
    assert shift[1, 1] - shift[0, 0] == pytest.approx(bound - omega, rel=5e-3)

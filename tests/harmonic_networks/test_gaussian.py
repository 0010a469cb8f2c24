"""Gaussian states: Wigner/Renyi-2/von Neumann entropies and eq. 17 vs eq. C2, independently."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmonic_helpers import random_state
from thermoflux import InputError
from thermoflux.entropy import bosonic_gaussian_entropy
from thermoflux.harmonic_networks import GaussianState
from thermoflux.harmonic_networks.gaussian import (
    WIGNER_RENYI_OFFSET,
    renyi2_entropy,
    symplectic_eigenvalues,
    von_neumann_entropy,
    wigner_entropy,
)
from thermoflux.harmonic_networks.entropy_production import (
    channel_entropy_production,
    inverse_theta_diagonal,
)


def real_covariance(state):
    """Covariance of r = (x_1..x_L, y_1..y_L), alpha = x + i y, from <alpha alpha*>, <alpha alpha>."""
    k = state.covariance.T + 0.5 * np.eye(state.n_modes)  # <alpha_i alpha_j*>
    s = state.anomalous
    xx = 0.5 * (s + k).real
    yy = 0.5 * (k - s).real
    xy = 0.5 * (s - k).imag
    return np.block([[xx, xy], [xy.T, yy]])


@given(st.integers(0, 10_000), st.integers(1, 4))
def test_wigner_minus_renyi_and_purity_from_symplectic_spectrum(seed, n):
    rng = np.random.default_rng(seed)
    state, occ = random_state(rng, n)
    nu = symplectic_eigenvalues(state.theta)
    # The symplectic spectrum is that of the thermal state we squeezed and rotated.
    np.testing.assert_allclose(nu, np.sort(occ + 0.5), rtol=1e-9, atol=1e-12)
    # tr rho^2 = prod 1/(2 nu) (Williamson), so S_2 = sum ln(2 nu): independent of det Theta.
    assert state.renyi2_entropy() == pytest.approx(np.sum(np.log(2 * nu)), rel=1e-9, abs=1e-12)
    assert state.wigner_entropy() - state.renyi2_entropy() == pytest.approx(n * WIGNER_RENYI_OFFSET, rel=1e-12)
    s_vn = state.von_neumann_entropy()
    expected = np.sum((occ + 1) * np.log1p(occ) - np.where(occ > 0, occ * np.log(np.where(occ > 0, occ, 1)), 0))
    assert s_vn == pytest.approx(expected, rel=1e-8, abs=1e-10)
    assert s_vn >= state.renyi2_entropy() - 1e-12  # S_vN >= S_2 for every state


def test_wigner_entropy_by_quadrature_single_mode():
    """-int W ln W on a grid, W built from the real (x, y) covariance: independent of Theta."""
    rng = np.random.default_rng(5)
    state, _ = random_state(rng, 1)
    sigma = real_covariance(state)
    mu = np.array([state.mean.real[0], state.mean.imag[0]])
    half_width = 9 * np.sqrt(np.linalg.eigvalsh(sigma).max())
    x = np.linspace(mu[0] - half_width, mu[0] + half_width, 801)
    y = np.linspace(mu[1] - half_width, mu[1] + half_width, 801)
    xx, yy = np.meshgrid(x, y, indexing="ij")
    d = np.stack([xx - mu[0], yy - mu[1]], axis=-1)
    inv = np.linalg.inv(sigma)
    quad = np.einsum("...i,ij,...j->...", d, inv, d)
    log_w = -0.5 * quad - np.log(2 * np.pi * np.sqrt(np.linalg.det(sigma)))
    w = np.exp(log_w)
    dx = x[1] - x[0]
    norm = w.sum() * dx * dx
    s = -(w * log_w).sum() * dx * dx
    # Trapezoid on a smooth Gaussian over +-9 sigma converges spectrally: ~1e-12 here.
    assert norm == pytest.approx(1.0, abs=1e-10)
    assert wigner_entropy(state.covariance, state.anomalous) == pytest.approx(s, abs=1e-9)


def test_vacuum_and_thermal_values():
    vac = GaussianState(np.zeros((2, 2)))
    assert vac.wigner_entropy() == pytest.approx(2 * np.log(np.pi * np.e / 2), rel=1e-15)
    assert vac.renyi2_entropy() == pytest.approx(0.0, abs=1e-15)
    assert vac.von_neumann_entropy() == 0.0
    c = np.array([[0.7, 0.2 - 0.1j], [0.2 + 0.1j, 1.5]])
    # Without squeezing the symplectic spectrum is eig(C) + 1/2 (the core's route).
    nu = symplectic_eigenvalues(GaussianState(c).theta)
    np.testing.assert_allclose(nu - 0.5, np.linalg.eigvalsh(c), rtol=1e-12)
    assert von_neumann_entropy(c) == pytest.approx(float(bosonic_gaussian_entropy(c)), rel=1e-12)
    assert renyi2_entropy(c) == pytest.approx(np.log(np.linalg.det(2 * c + np.eye(2)).real), rel=1e-12)


@given(st.integers(0, 10_000), st.integers(1, 3), st.floats(0.0, 5.0), st.floats(0.05, 2.0))
def test_eq17_in_real_variables_equals_eq_c2(seed, n, n_bath, rate):
    """Pi_k = 4/(gamma(n+1/2)) int |J_k|^2/W (eq. 17) computed in real variables, exactly.

    With J_k = gamma/2 W [alpha_k + (n+1/2) d*_k ln W] (eq. 8), Pi_k = gamma/(n+1/2) E_W|Q|^2,
    Q = alpha_k - (n+1/2)/2 (e_xk + i e_yk)^T Sigma^-1 (r - m): linear in r, so E|Q|^2 =
    |m_k|^2 + w^T Sigma conj(w) exactly. Sigma is the real covariance; Theta is never used.
    """
    rng = np.random.default_rng(seed)
    state, _ = random_state(rng, n)
    sigma = real_covariance(state)
    inv = np.linalg.inv(sigma)
    k = int(rng.integers(0, n))
    e = np.zeros(2 * n, dtype=complex)
    e[k], e[n + k] = 1.0, 1j
    w = e - (n_bath + 0.5) / 2 * inv @ e
    expected = rate / (n_bath + 0.5) * (abs(state.mean[k]) ** 2 + (w @ sigma @ w.conj()).real)
    fisher = inverse_theta_diagonal(state.covariance, state.anomalous)
    got = channel_entropy_production(np.array([rate]), np.array([n_bath]),
                                     state.occupations[[k]], fisher[[k]])[0]
    # Both are exact closed forms; the inverses of O(1)-conditioned 2L-matrices agree to ~1e-13.
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert got >= 0


def test_state_validation():
    with pytest.raises(InputError, match="covariance must be Hermitian"):
        GaussianState([[1.0, 0.3], [0.1, 1.0]])
    with pytest.raises(InputError, match="uncertainty principle"):
        GaussianState([[0.0]], [[0.4]])  # |S| too large for C = 0
    with pytest.raises(InputError, match="anomalous must be symmetric"):
        GaussianState(np.eye(2), [[0.0, 0.1], [0.2, 0.0]])
    with pytest.raises(InputError, match="mean must be a finite vector of length 2"):
        GaussianState(np.eye(2), mean=[1.0])
    with pytest.raises(InputError, match="quantum state|positive definite|uncertainty"):
        GaussianState([[-0.7]])  # negative occupation


def test_tridiagonal_fast_path_of_the_inverse_diagonal():
    """The O(L) pivots route equals a dense inverse (Sec. IV chains have tridiagonal C)."""
    rng = np.random.default_rng(9)
    n = 50
    c = np.diag(rng.uniform(0, 3, n)).astype(complex)
    off = 0.4 * (rng.normal(size=n - 1) + 1j * rng.normal(size=n - 1))
    c += np.diag(off, 1) + np.diag(off.conj(), -1)
    c += np.eye(n) * max(0.0, -np.linalg.eigvalsh(c).min())  # make it a state
    dense = np.linalg.inv(c + 0.5 * np.eye(n)).diagonal().real
    # Both are backward stable for a well-conditioned (cond ~ 10) positive matrix: ~1e-15.
    np.testing.assert_allclose(inverse_theta_diagonal(c), dense, rtol=1e-12)

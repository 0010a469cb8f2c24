"""Wigner entropy flow and entropy production of each dissipation channel (seed 003, Sec. III).

For a channel c of rate γ_c and occupation n_c acting on mode k, with ⟨a_k† a_k⟩ the mode's
occupation (displacement included) and F_k = [Θ⁻¹]_kk (equal to [Θ⁻¹]_{L+k,L+k}):

* entropy flow (eq. 20):        Φ_c = γ_c (⟨a_k† a_k⟩ − n_c) / (n_c + ½),
* entropy production (eq. C2):  Π_c = Φ_c − γ_c + γ_c (n_c + ½) F_k.

Eq. C2 is rewritten here, with a = ⟨a_k† a_k⟩ + ½ and b = n_c + ½, as

    Π_c = (γ_c / b) [ (a − b)² / a + b² (F_k − 1/a) ],

whose two terms are non-negative (F_k >= 1/a is the Cramér-Rao bound of the Gaussian W), so
Π_c >= 0 is manifest; the first term alone is the Φ-like "occupation mismatch" part and the
second the cost of correlations. The Wigner entropy balances as dS_W/dt = Σ_c (Π_c − Φ_c)
= Σ_c γ_c [(n_c + ½) F_k − 1] (eq. 14).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as la

from thermoflux.harmonic_networks.gaussian import augmented_covariance

__all__ = ["inverse_theta_diagonal", "channel_entropy_flow", "channel_entropy_production"]


def inverse_theta_diagonal(covariance: np.ndarray, anomalous: np.ndarray | None = None) -> np.ndarray:
    """F_k = [Θ⁻¹]_kk for every mode k (length L), through a Cholesky factor.

    Without squeezing Θ⁻¹ is block diagonal and F_k = [(C + ½)⁻¹]_kk. With squeezing the two
    diagonal blocks of Θ⁻¹ have the same diagonal; their mean is returned.
    """
    c = np.asarray(covariance)
    n = c.shape[0]
    if anomalous is None or not np.any(anomalous):
        if n > 2 and not np.any(np.triu(c, 2)):
            return _tridiagonal_inverse_diagonal(c.diagonal().real + 0.5, c.diagonal(1))
        chol = la.cholesky(c + 0.5 * np.eye(n), lower=True)
        inv = la.solve_triangular(chol, np.eye(n), lower=True)
        return np.sum(np.abs(inv) ** 2, axis=0)
    theta = augmented_covariance(c, anomalous)
    chol = la.cholesky(theta, lower=True)
    inv = la.solve_triangular(chol, np.eye(2 * n), lower=True)
    d = np.sum(np.abs(inv) ** 2, axis=0)
    return 0.5 * (d[:n] + d[n:])


def _tridiagonal_inverse_diagonal(diag: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """diag(T⁻¹) of a Hermitian positive-definite tridiagonal T in O(L).

    With the forward pivots d_i = a_i − |b_{i−1}|²/d_{i−1} and the backward pivots
    e_i = a_i − |b_i|²/e_{i+1} (both positive for T > 0, so no overflow and no cancellation
    beyond that of the LDLᵀ factorisation), [T⁻¹]_ii = 1/(d_i + e_i − a_i).
    """
    n = diag.size
    b2 = np.abs(upper) ** 2
    d = np.empty(n)
    e = np.empty(n)
    d[0] = diag[0]
    for i in range(1, n):
        d[i] = diag[i] - b2[i - 1] / d[i - 1]
    e[-1] = diag[-1]
    for i in range(n - 2, -1, -1):
        e[i] = diag[i] - b2[i] / e[i + 1]
    return 1.0 / (d + e - diag)


def channel_entropy_flow(rates: np.ndarray, occupations: np.ndarray,
                         mode_occupations: np.ndarray) -> np.ndarray:
    """Φ_c = γ_c (⟨a_k† a_k⟩ − n_c)/(n_c + ½) (seed 003, eq. 20): dS_c/dt of reservoir c, positive
    when entropy flows from the system into the reservoir (the reservoir's entropy grows)."""
    return rates * (mode_occupations - occupations) / (occupations + 0.5)


def channel_entropy_production(rates: np.ndarray, occupations: np.ndarray,
                               mode_occupations: np.ndarray, fisher: np.ndarray) -> np.ndarray:
    """Π_c of seed 003, eq. C2 (= eq. 17), in the manifestly non-negative form of the module doc.

    Parameters
    ----------
    rates, occupations : ndarray
        γ_c and n_c of each channel.
    mode_occupations : ndarray
        ⟨a_k† a_k⟩ of the channel's mode.
    fisher : ndarray
        F_k = [Θ⁻¹]_kk of the channel's mode (:func:`inverse_theta_diagonal`).

    Returns
    -------
    ndarray
        Π_c (1/time), >= 0 up to round-off of order eps · γ_c (n_c + ½) F_k.
    """
    a = mode_occupations + 0.5
    b = occupations + 0.5
    return rates / b * ((a - b) ** 2 / a + b ** 2 * (fisher - 1.0 / a))

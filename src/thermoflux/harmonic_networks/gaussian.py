"""Bosonic Gaussian states of L modes: covariances, Wigner, Rényi-2 and von Neumann entropies.

A zero- or finite-mean Gaussian state is fixed by

* ``covariance``  C_ij = ⟨a_i† a_j⟩ − ⟨a_i†⟩⟨a_j⟩   (seed 003, eq. A3a; Hermitian, L × L),
* ``anomalous``   S_ij = ⟨a_i a_j⟩ − ⟨a_i⟩⟨a_j⟩     (seed 003, eq. A3b; symmetric, zero
  without squeezing),
* ``mean``        μ_i = ⟨a_i⟩.

The augmented (symmetrically ordered) covariance matrix used here orders the phase-space
vector as v = (α_1 … α_L, α_1* … α_L*) and reads

    Θ = [[Cᵀ + 1/2, S], [S*, C + 1/2]],   Θ = ⟨v v†⟩_W − ⟨v⟩⟨v⟩†,

which is seed 003's Θ of eq. A1 with the modes grouped by block instead of interleaved
(eq. A2). With this Θ the Wigner function is eq. A5, W = exp(−½ (v−⟨v⟩)† Θ⁻¹ (v−⟨v⟩)) /
(π^L √det Θ), normalised on d²α = d(Re α) d(Im α).

Note on seed 003, eq. A4: it places C in the (a, a) block and Cᵀ in the (a†, a†) block; from
eq. A1, Θ_{a_i, a_j} = ½⟨a_i a_j† + a_j† a_i⟩ = C_ji + δ_ij/2, i.e. Cᵀ. The two agree whenever C
is real (as in Sec. IV) and the diagonal of Θ⁻¹ (all that eq. C2 uses) is the same either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg as la

from thermoflux._validation import check_hermitian
from thermoflux.entropy import bosonic_gaussian_entropy, mode_entropy
from thermoflux.errors import InputError

__all__ = [
    "GaussianState",
    "augmented_covariance",
    "wigner_entropy",
    "renyi2_entropy",
    "von_neumann_entropy",
    "symplectic_eigenvalues",
    "WIGNER_RENYI_OFFSET",
]

#: S_W − S_2 per mode, ln(π e / 2): the Wigner entropy exceeds the Rényi-2 entropy by this
#: constant per mode for every Gaussian state (see :func:`wigner_entropy`).
WIGNER_RENYI_OFFSET = float(np.log(np.pi * np.e / 2.0))


@dataclass(frozen=True)
class GaussianState:
    """A bosonic Gaussian state of L modes, C_ij = ⟨a_i† a_j⟩_c, S_ij = ⟨a_i a_j⟩_c, μ_i = ⟨a_i⟩.

    Parameters
    ----------
    covariance : array_like, shape (L, L)
        Hermitian, positive semidefinite connected correlation C (seed 003, eq. A3a).
    anomalous : array_like, shape (L, L), optional
        Symmetric S (seed 003, eq. A3b); zero (no squeezing) when omitted.
    mean : array_like, shape (L,), optional
        Displacements ⟨a_i⟩; zero when omitted.

    Raises
    ------
    InputError
        Non-square or non-Hermitian ``covariance``, a non-symmetric ``anomalous``, wrong shapes,
        or a covariance that violates the uncertainty principle (Θ + Z/2 not positive
        semidefinite, i.e. a symplectic eigenvalue below 1/2).
    """

    covariance: np.ndarray
    anomalous: np.ndarray
    mean: np.ndarray

    def __init__(self, covariance: Any, anomalous: Any = None, mean: Any = None) -> None:
        c = np.array(check_hermitian(covariance, "covariance", rtol=1e-10), dtype=complex)
        c = 0.5 * (c + c.conj().T)
        n = c.shape[0]
        if n == 0:
            raise InputError("covariance must describe at least one mode; got shape (0, 0)")
        if anomalous is None:
            s = np.zeros((n, n), dtype=complex)
        else:
            s = np.array(anomalous, dtype=complex)
            if s.shape != (n, n):
                raise InputError(f"anomalous must have shape {(n, n)}; got {s.shape}")
            if not np.all(np.isfinite(s)):
                raise InputError("anomalous must be finite")
            scale = max(1.0, float(np.max(np.abs(s))))
            if np.max(np.abs(s - s.T)) > 1e-10 * scale:
                raise InputError("anomalous must be symmetric (S_ij = ⟨a_i a_j⟩ = S_ji)")
            s = 0.5 * (s + s.T)
        if mean is None:
            m = np.zeros(n, dtype=complex)
        else:
            m = np.array(mean, dtype=complex).reshape(-1)
            if m.shape != (n,) or not np.all(np.isfinite(m)):
                raise InputError(f"mean must be a finite vector of length {n}; got shape {np.shape(mean)}")
        object.__setattr__(self, "covariance", c)
        object.__setattr__(self, "anomalous", s)
        object.__setattr__(self, "mean", m)
        nu = symplectic_eigenvalues(self.theta)
        # Round-off of the eigensolver is ~ L·eps·||Θ||; 1e-9 relative is far above it and far
        # below any physical violation of ν >= 1/2 worth accepting.
        if nu.size and nu.min() < 0.5 - 1e-9 * max(1.0, float(nu.max())):
            raise InputError(
                f"covariance/anomalous do not describe a quantum state: smallest symplectic "
                f"eigenvalue {nu.min():.6g} < 1/2 (uncertainty principle)"
            )

    @property
    def n_modes(self) -> int:
        """Number of modes L."""
        return self.covariance.shape[0]

    @property
    def theta(self) -> np.ndarray:
        """Augmented covariance Θ = [[Cᵀ + ½, S], [S*, C + ½]] (seed 003, eqs. A1-A4)."""
        return augmented_covariance(self.covariance, self.anomalous)

    @property
    def occupations(self) -> np.ndarray:
        """⟨a_k† a_k⟩ = C_kk + |μ_k|² (quanta per mode, including the displacement)."""
        return self.covariance.diagonal().real + np.abs(self.mean) ** 2

    @property
    def is_squeezed(self) -> bool:
        """True when S ≠ 0."""
        return bool(np.any(self.anomalous != 0))

    def wigner_entropy(self) -> float:
        """S_W = −∫ W ln W d²ᴸα = L ln(π e) + ½ ln det Θ (seed 003, eq. 12)."""
        return wigner_entropy(self.covariance, self.anomalous)

    def renyi2_entropy(self) -> float:
        """S_2 = −ln tr ρ² = L ln 2 + ½ ln det Θ."""
        return renyi2_entropy(self.covariance, self.anomalous)

    def von_neumann_entropy(self) -> float:
        """S_vN = Σ_j [(ν_j + ½) ln(ν_j + ½) − (ν_j − ½) ln(ν_j − ½)], ν_j symplectic eigenvalues."""
        return von_neumann_entropy(self.covariance, self.anomalous)


def augmented_covariance(covariance: np.ndarray, anomalous: np.ndarray | None = None) -> np.ndarray:
    """Θ = [[Cᵀ + ½, S], [S*, C + ½]] for v = (α_1…α_L, α_1*…α_L*) (seed 003, eq. A4).

    Parameters
    ----------
    covariance : ndarray, shape (L, L)
        C_ij = ⟨a_i† a_j⟩_c.
    anomalous : ndarray, shape (L, L), optional
        S_ij = ⟨a_i a_j⟩_c (zero when None).

    Returns
    -------
    ndarray, shape (2L, 2L)
        Hermitian, positive definite for a quantum state.
    """
    c = np.asarray(covariance)
    n = c.shape[0]
    s = np.zeros((n, n), dtype=complex) if anomalous is None else np.asarray(anomalous)
    half = 0.5 * np.eye(n)
    return np.block([[c.T + half, s], [s.conj(), c + half]])


def _logdet_theta(covariance: np.ndarray, anomalous: np.ndarray | None) -> float:
    c = np.asarray(covariance)
    if anomalous is None or not np.any(anomalous):
        # det Θ = det(C + ½)², and C + ½ is Hermitian positive definite.
        k = c + 0.5 * np.eye(c.shape[0])
        return 4.0 * float(np.sum(np.log(np.diag(la.cholesky(k, lower=True)).real)))
    theta = augmented_covariance(c, anomalous)
    return 2.0 * float(np.sum(np.log(np.diag(la.cholesky(theta, lower=True)).real)))


def wigner_entropy(covariance: Any, anomalous: Any = None) -> float:
    """Wigner entropy S_W = −∫ W ln W d²ᴸα = L ln(π e) + ½ ln det Θ.

    Parameters
    ----------
    covariance : array_like, shape (L, L)
        C_ij = ⟨a_i† a_j⟩_c.
    anomalous : array_like, shape (L, L), optional
        S_ij = ⟨a_i a_j⟩_c.

    Returns
    -------
    float
        Dimensionless (k_B = 1), on the measure d²α = d(Re α) d(Im α). The vacuum has
        S_W = ln(π e / 2) per mode; S_W = S_2 + L ln(π e / 2) for every Gaussian state.

    Notes
    -----
    Seed 003, eq. 12 with the Gaussian W of eq. A5. The Rényi-2 relation (seed 003, Sec. II B
    and its ref. [60]) follows from tr ρ² = π^L ∫ W² d²ᴸα = 1 / (2^L √det Θ). The additive
    constant depends on the phase-space measure; ref. [60] uses quadrature variables with unit
    vacuum variance and states S_W = S_2 + L(1 + ln π) in those units. Tested against a direct
    quadrature of −∫ W ln W (``tests/harmonic_networks/test_gaussian.py``).
    """
    c = np.asarray(covariance)
    return c.shape[0] * float(np.log(np.pi * np.e)) + 0.5 * _logdet_theta(c, anomalous)


def renyi2_entropy(covariance: Any, anomalous: Any = None) -> float:
    """Rényi-2 entropy S_2 = −ln tr ρ² = L ln 2 + ½ ln det Θ (zero for a pure state).

    Returns
    -------
    float
        Dimensionless. Equals :func:`wigner_entropy` − L ln(π e / 2).
    """
    c = np.asarray(covariance)
    return c.shape[0] * float(np.log(2.0)) + 0.5 * _logdet_theta(c, anomalous)


def symplectic_eigenvalues(theta: Any) -> np.ndarray:
    """Symplectic eigenvalues ν_j >= ½ of an augmented covariance Θ (ascending, length L).

    The eigenvalues of Θ Z, Z = diag(1_L, −1_L), come in pairs ±ν_j; they are computed as the
    eigenvalues of the Hermitian matrix R Z R† with Θ = R† R (Cholesky), via ``eigvalsh``.
    """
    theta = np.asarray(theta)
    n2 = theta.shape[0]
    n = n2 // 2
    try:
        r = la.cholesky(theta, lower=False)
    except la.LinAlgError as exc:
        raise InputError("covariance is not positive definite: not a quantum state") from exc
    z = np.concatenate([np.ones(n), -np.ones(n)])
    values = np.linalg.eigvalsh((r * z) @ r.conj().T)
    return np.sort(values[n:])


def von_neumann_entropy(covariance: Any, anomalous: Any = None) -> float:
    """S_vN = Σ_j g(ν_j − ½), g(n) = (n + 1) ln(n + 1) − n ln n, ν_j symplectic eigenvalues.

    For S = 0 the ν_j − ½ are the eigenvalues of C and this equals
    :func:`thermoflux.entropy.bosonic_gaussian_entropy`; with squeezing only this form applies.

    Returns
    -------
    float
        Dimensionless; zero for a pure state. Always S_vN >= S_2 (tested).
    """
    c = np.asarray(covariance)
    if anomalous is None or not np.any(anomalous):
        # ν_j − ½ = eig(C): the core's eigvalsh route, exact (0) for pure number states.
        return float(bosonic_gaussian_entropy(c))
    nu = symplectic_eigenvalues(augmented_covariance(c, anomalous))
    excess = nu - 0.5
    # Pure-state modes give ν − ½ of order n·eps·||Θ|| either sign; beyond 1e-9 relative it is
    # not round-off (GaussianState refuses such input), so clip only within that band.
    tol = 1e-9 * max(1.0, float(nu.max()))
    if excess.min() < -tol:
        raise InputError(f"symplectic eigenvalue {nu.min():.6g} < 1/2: not a quantum state")
    return float(np.sum(mode_entropy(np.clip(excess, 0.0, None), "boson")))

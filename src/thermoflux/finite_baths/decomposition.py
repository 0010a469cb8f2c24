"""Entropy production and its microscopic contributions at one time (seed 001, eqs. 7–14, 21, 23).

With S(·) von Neumann entropies of Gaussian states (eq. 21, eigenvalues of Hermitian blocks),
n_νk = 𝒞_νk,νk(t) the mode occupations and π_ν(t) the grand-canonical ensemble at the effective
(β*_ν,t, μ*_ν,t) of eqs. 5–6 with von Neumann entropy 𝒮_ν(t):

    Σ(t)        = ΔS_S + Σ_ν [𝒮_ν(t) − 𝒮_ν(0)]                         (eq. 7)
    I_{S−B}     = S_S + S_B − S_SB                                       (eq. 8)
    I_{L−R}     = S_L + S_R − S_B   (for more baths: Σ_ν S_ν − S_B)       (eq. 9)
    I_{oν}      = D[ρ_ν ‖ ⊗_k ρ_νk] = Σ_k s(n_νk) − S_ν                  (eq. 10)
    D*_env      = Σ_νk D[ρ_νk ‖ π_νk(t)]                                 (eq. 11)
    Σ           = I_{S−B} + I_{L−R} + Σ_ν I_{oν} + D*_env(t) − D*_env(0) (eqs. 12, 23)
    σ(t)        = ΔS_S − Σ_ν β*_ν,0 Q_ν(t)                               (eq. 13)
    σ − Σ       = Σ_νk D[π_νk(t) ‖ π_νk(0)] = D^eq_env                    (eq. 14)

Typo in seed 001, eq. 10: it is printed as Σ_k D[ρ_ν ‖ ⊗_k ρ_νk]; the sum over k does not
belong there (k is bound inside the tensor product, and eq. 12 only holds without it).
``tests/finite_baths/test_many_body.py`` computes D[ρ_ν ‖ ⊗_k ρ_νk] from exact many-body density
matrices and matches Σ_k s(n_νk) − S_ν.

Heat (eq. 22, integrated): Q_ν(t) = −[ΔE_ν − μ*_ν,0 ΔN_ν], the heat that left bath ν (positive
out of the bath into the system, the library's sign). Eq. 22 as printed,
Σ_k [𝒞(t) − 𝒞(t + dt)(ε − μ)], misplaces a bracket; the consistent form is
Σ_k [𝒞_νk,νk(t) − 𝒞_νk,νk(t + dt)](ε_νk − μ_ν). For a non-thermal initial state (a sampled pure
state) T_ν(0), μ_ν(0) in eq. 13 are the effective values at t = 0, which is what makes eq. 14
hold "even if the initial bath states are not in thermal equilibrium".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thermoflux._validation import check_occupations
from thermoflux.distributions import fermi
from thermoflux.entropy import (
    fermionic_gaussian_entropy,
    mode_entropy,
    mode_entropy_from_log_odds,
    relative_entropy_to_log_odds,
)

__all__ = ["BathTerms", "bath_terms", "checked_occupations"]

#: Occupations computed as Σ_j g_j |U_kj|² can exceed 1 by round-off (~N eps); beyond this they
#: are an error, within it they are clipped back to [0, 1] so that entr() stays finite.
OCCUPATION_TOL = 1e-10


def checked_occupations(values: np.ndarray, name: str) -> np.ndarray:
    """Occupations checked to lie in [0, 1] within :data:`OCCUPATION_TOL`, then clipped (round-off)."""
    values = check_occupations(values, name, "fermion", tol=OCCUPATION_TOL)
    return np.clip(values, 0.0, 1.0)


@dataclass(frozen=True)
class BathTerms:
    """Per-bath quantities at one time (seed 001, eqs. 5, 6, 10, 11, 14)."""

    energy: float                #: E_ν = Σ_k ε_νk n_νk
    particles: float             #: N_ν = Σ_k n_νk
    entropy: float               #: S_ν, von Neumann entropy of the bath's reduced state
    mode_entropy: float          #: Σ_k s(n_νk)
    gibbs_entropy: float         #: 𝒮_ν(t) = S[π_ν(β*, μ*)]
    local_athermality: float     #: Σ_k D[ρ_νk ‖ π_νk(t)]
    finite_bath_effect: float    #: Σ_k D[π_νk(t) ‖ π_νk(0)]


def bath_terms(energies: np.ndarray, occupations: np.ndarray, block: np.ndarray | None,
               beta: float, mu: float, initial_log_odds: np.ndarray, *,
               log_odds: np.ndarray | None = None, entropy: float | None = None) -> BathTerms:
    """Per-bath terms from the mode occupations, the bath block and the effective (β*, μ*).

    ``block`` is the bath's correlation block (None: the entropy is taken as Σ_k s(n_k), valid
    for a diagonal block such as at t = 0), or ``entropy`` its von Neumann entropy S_ν computed
    elsewhere (eq. 21; it takes precedence). ``log_odds`` overrides β*(ε − μ*) (exact values of
    a thermal initial state).
    """
    x = beta * (energies - mu) if log_odds is None else log_odds
    s_modes = float(np.sum(mode_entropy(occupations, "fermion")))
    if entropy is not None:
        s_bath = float(entropy)
    else:
        s_bath = s_modes if block is None else float(fermionic_gaussian_entropy(block))
    gibbs = float(np.sum(mode_entropy_from_log_odds(x, "fermion")))
    athermal = float(np.sum(relative_entropy_to_log_odds(occupations, x, "fermion")))
    finite = float(np.sum(relative_entropy_to_log_odds(fermi(x), initial_log_odds, "fermion")))
    return BathTerms(float(np.dot(energies, occupations)), float(np.sum(occupations)), s_bath,
                     s_modes, gibbs, athermal, finite)

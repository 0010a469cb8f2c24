"""Shared tolerance of the finite-bath entropy identities (seed 001, eqs. 12, 14, 23)."""

from __future__ import annotations

import numpy as np
import pytest

#: Units in the last place of Σ_νk |x_νk| allowed to the identities; see :func:`_identity_tolerance`.
IDENTITY_ULPS = 20


def _identity_tolerance(model, ds, ulps: float = IDENTITY_ULPS) -> float:
    """Round-off floor of Σ − (I_SB + I_LR + Σ I_o + D*(t) − D*(0)) (eqs. 12, 23), of
    σ − Σ − D^eq_env (eq. 14), and of the structured-vs-dense difference of entropies.

    Each identity cancels sums whose largest terms are n_k x_k with x_k = β*_ν(ε_k − μ*_ν) (β E,
    βμ N, Gibbs and relative entropies; the eigenvalue entropies carry the same log-odds as
    s'(λ)), each term exact to a few ulps, so the residual is a few eps · Σ_νk |x_νk|. Measured
    residual / (eps Σ|x|) = 0.2–3.6 over K = 3…120, thermal and pure initial states, both
    methods, and three OpenBLAS kernels (OPENBLAS_CORETYPE=SkylakeX, Haswell, Prescott), so
    the floor scales with the problem, not with one machine's rounding; 20 ulps leaves 5×.
    Tiny random models (K = 3…8) and the two-level system reach 6–9.7 (400 random models:
    the t = 0 occupations of U(0) = V V† carry relative errors of several ulps), so their
    tests pass ``ulps=50``.
    Before the (β*, μ*) solver polished its root, the residual was its matching error,
    β*(ΔE − μ* ΔN) up to 6e-12 = 28 eps Σ|x| at K = 30, and this tolerance caught it.
    """
    total = 0.0
    for j, name in enumerate(ds.reservoir.values):
        eps_k = model.bath_energies[str(name)]
        beta = np.append(ds.beta_eff.values[:, j], ds.attrs[f"parameters.initial_beta.{name}"])
        mu = np.append(ds.mu_eff.values[:, j], ds.attrs[f"parameters.initial_mu.{name}"])
        total += float(np.max(np.sum(np.abs(beta[:, None] * (eps_k[None, :] - mu[:, None])), axis=1)))
    return ulps * np.finfo(float).eps * total


@pytest.fixture(scope="session")
def identity_tolerance():
    """The function (model, dataset, ulps=20) -> round-off tolerance of the entropy identities."""
    return _identity_tolerance

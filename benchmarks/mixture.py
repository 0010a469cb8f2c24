"""Benchmark: a 100 x 100 grid of Lorenz numbers L(βμ, ξ) of mixture states (seed 000, eq. 83).

New code: ``MixtureState(...).lorenz_number(0)`` with the reservoir's μ an array of 100 values
(one vectorized Gauss-Legendre pass per imbalance ξ, derivatives taken analytically under the
integral), for 100 imbalances I(k) = e^{−ξk²} (gaussian weights, eq. 11).
Baseline: the same two integrals σ ∝ ∫ dE I f(1−f), κ ∝ ∫ dE I x² f(1−f) by
``scipy.integrate.quad`` (split at E = μ), timed on a subset of the grid and extrapolated.
Both run in this process with 1 BLAS thread (the work is elementwise; BLAS is not used).

Run: PYTHONPATH=src python benchmarks/mixture.py
"""

from __future__ import annotations

import time

import numpy as np
from scipy.integrate import quad

from thermoflux._threads import blas_threads
from thermoflux.distributions import FermiDirac
from thermoflux.mixture import MixtureState, gaussian_weights

N = 100
BETA_MU = np.linspace(-5.0, 25.0, N)
XI = np.logspace(-2, 1, N)
BETA, MASS = 1.0, 1.0
COLD = FermiDirac(beta=2.0, mu=0.5)


def new_grid() -> np.ndarray:
    out = np.empty((N, N))
    for row, xi in enumerate(XI):
        state = MixtureState([FermiDirac(beta=BETA, mu=BETA_MU / BETA), COLD], gaussian_weights(xi), mass=MASS)
        out[row] = state.lorenz_number(0)
    return out


def quad_lorenz(beta_mu: float, xi: float) -> float:
    mu = beta_mu / BETA

    def slope(E):
        x = BETA * (E - mu)
        return np.exp(-2 * MASS * xi * E) * np.exp(-abs(x)) / (1 + np.exp(-abs(x))) ** 2

    pieces = [(0.0, max(mu, 0.0)), (max(mu, 0.0), np.inf)] if mu > 0 else [(0.0, np.inf)]
    opts = dict(epsabs=0.0, epsrel=1e-11, limit=200)
    sig = sum(quad(slope, a, b, **opts)[0] for a, b in pieces)
    kap = sum(quad(lambda E: slope(E) * (BETA * (E - mu)) ** 2, a, b, **opts)[0] for a, b in pieces)
    return kap / sig


def main() -> None:
    with blas_threads(1):
        new_grid()                                   # warm-up (imports, caches)
        t0 = time.perf_counter()
        grid = new_grid()
        t_new = time.perf_counter() - t0
        rng = np.random.default_rng(0)
        subset = [(int(i), int(j)) for i, j in zip(rng.integers(0, N, 200), rng.integers(0, N, 200))]
        t0 = time.perf_counter()
        ref = [quad_lorenz(BETA_MU[j], XI[i]) for i, j in subset]
        t_quad = (time.perf_counter() - t0) / len(subset) * N * N
    diff = max(abs(grid[i, j] - r) / abs(r) for (i, j), r in zip(subset, ref))
    print(f"mixture Lorenz grid {N}x{N} (1 BLAS thread)")
    print(f"  new (vectorized Gauss-Legendre, analytic derivatives): {t_new:8.3f} s")
    print(f"  baseline scipy.integrate.quad, {len(subset)} points timed, extrapolated to {N * N}: {t_quad:8.3f} s")
    print(f"  speed-up: {t_quad / t_new:6.1f}x    max relative difference on the subset: {diff:.2e}")


if __name__ == "__main__":
    main()

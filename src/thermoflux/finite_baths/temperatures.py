"""Effective inverse temperature and chemical potential of a bath (seed 001, eqs. 5–6; App. B).

Given the mode energies ε_k of a bath of free fermions and its actual energy E and particle
number N, find (β*, μ*) such that the grand-canonical ensemble π(β*, μ*) has the same E and N:

    Σ_k ε_k f(β*(ε_k − μ*)) = E,      Σ_k f(β*(ε_k − μ*)) = N.

In the natural parameters a = β, b = βμ these are the stationarity conditions of the strictly
convex function (a log-partition function plus a linear term)

    F(a, b) = Σ_k ln(1 + e^{b − a ε_k}) + a E − b N,

so a damped Newton method with a backtracking line search on F converges whenever a solution
exists, and the solution is unique. A solution exists exactly when 0 < N < K and E lies strictly
between the lowest and the highest energy N particles can have; otherwise β* = ±∞ and
:class:`~thermoflux.ConvergenceError` says so.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import expit

from thermoflux._validation import as_finite, as_real_array
from thermoflux.errors import ConvergenceError

__all__ = ["effective_beta_mu", "filling_energy_range"]

MAX_LOG_ODDS_STEP = 8.0


def filling_energy_range(energies: np.ndarray, particles: float) -> tuple[float, float]:
    """Lowest and highest energy of ``particles`` (possibly fractional) fermions in ``energies``."""
    e = np.sort(energies)
    n_full = int(np.floor(particles))
    frac = particles - n_full
    low = e[:n_full].sum() + (frac * e[n_full] if n_full < e.size else 0.0)
    high = e[e.size - n_full:].sum() + (frac * e[e.size - n_full - 1] if n_full < e.size else 0.0)
    return float(low), float(high)


def effective_beta_mu(energies: Any, energy: float, particles: float, *,
                          guess: tuple[float, float] | None = None, where: str = "",
                          rtol: float = 1e-14, max_iterations: int = 200) -> tuple[float, float]:
    """Solve Σ_k ε_k f(β(ε_k − μ)) = E and Σ_k f(β(ε_k − μ)) = N for (β, μ).

    Parameters
    ----------
    energies : array_like, shape (K,)
        Mode energies of the bath (or, for the global ensemble of App. B, the eigenvalues of 𝓗).
    energy, particles : float
        The target mean energy E and particle number N.
    guess : (beta, mu), optional
        Warm start (the previous time's solution).
    where : str
        Which bath and time, for the error message.
    rtol : float, default 1e-14
        Convergence when |N(β, μ) − N| and |E(β, μ) − E|/max|ε| are below rtol · K (a few
        times the round-off of the sums); up to three more full Newton steps then polish the root
        while they shrink the residual, to round-off (the entropy identities of seed 001, eqs. 12
        and 14, inherit it as β ΔE − βμ ΔN; ``tests/finite_baths/test_temperatures.py`` pins it).
        If round-off stalls Newton within 100× of the tolerance, the stalled point is accepted.
    max_iterations : int, default 200

    Returns
    -------
    beta, mu : float
        Effective inverse temperature (1/energy; negative for a population-inverted bath) and
        chemical potential (energy units).

    Raises
    ------
    ConvergenceError
        If no finite solution exists (N not strictly between 0 and K, or E at or beyond the
        lowest/highest energy of N particles: β* = ±∞), or Newton fails; the message names
        ``where``, the iterations and the last residual.

    Notes
    -----
    Seed 001, eqs. 5–6 (bath) and App. B (global ensemble, with the eigenvalues of 𝓗). The paper
    suggests solving directly or through the heat-capacity matrix; this is the direct solve,
    made globally convergent by using the convexity of F.
    """
    eps = as_real_array(energies, "energies", ndim=1)
    energy = as_finite(energy, "energy")
    particles = as_finite(particles, "particles")
    label = f" of {where}" if where else ""
    _require_finite_solution(eps, energy, particles, label)
    # Centre the energies: better conditioning of the Hessian.
    centre = float(np.mean(eps))
    potential = _GrandPotential(eps - centre, energy - centre * particles, particles)
    tol_n = rtol * eps.size
    tol_e = tol_n * max(1.0, float(np.max(np.abs(eps))))
    if guess is not None and np.all(np.isfinite(guess)):
        a, b = float(guess[0]), float(guess[0]) * (float(guess[1]) - centre)
    else:
        a, b = 1.0 / max(float(np.std(potential.e)), 1e-300), 0.0

    value = potential.value(a, b)
    g, hess = potential.gradient(a, b)
    iteration = 0
    for iteration in range(1, max_iterations + 2):
        if abs(g[1]) <= tol_n and abs(g[0]) <= tol_e:
            a, b = _polish(a, b, g, hess, potential.gradient, tol_e, tol_n)
            return float(a), float(centre + b / a) if a != 0 else float("nan")
        if iteration > max_iterations:
            break
        accepted = _damped_newton_step(potential, a, b, value, g, hess, tol_e, tol_n)
        if accepted is None:
            if abs(g[1]) <= 100 * tol_n and abs(g[0]) <= 100 * tol_e:
                return float(a), float(centre + b / a) if a != 0 else float("nan")
            break
        a, b, value = accepted
        g, hess = potential.gradient(a, b)
    raise ConvergenceError(
        f"effective (beta, mu){label}: damped Newton on the convex grand potential did not converge "
        f"in {iteration} iterations; last residuals |N - N*| = {abs(g[1]):.3g} (tol {tol_n:.3g}), "
        f"|E - E*| = {abs(g[0]):.3g} (tol {tol_e:.3g}) at beta={a!r}")


def _require_finite_solution(eps: np.ndarray, energy: float, particles: float, label: str) -> None:
    """Raise ConvergenceError unless 0 < N < K and E lies strictly inside the range N particles allow."""
    k = eps.size
    if not 0.0 < particles < k:
        raise ConvergenceError(
            f"no effective (beta, mu){label}: the particle number N={particles!r} must lie strictly "
            f"between 0 and the number of modes {k} (otherwise beta* = +-inf); 0 iterations")
    if np.ptp(eps) == 0:
        raise ConvergenceError(
            f"no unique effective (beta, mu){label}: all {k} modes have the same energy, so E = eps N "
            "fixes only one combination of beta and mu; 0 iterations")
    low, high = filling_energy_range(eps, particles)
    margin = 1e-12 * max(1.0, float(np.max(np.abs(eps)))) * k
    if not low + margin < energy < high - margin:
        side = "lowest" if energy <= low + margin else "highest"
        raise ConvergenceError(
            f"no effective (beta, mu){label}: the energy E={energy!r} is at or beyond the {side} "
            f"energy {low if side == 'lowest' else high!r} that N={particles!r} particles can have, "
            f"so beta* = {'+' if side == 'lowest' else '-'}inf; 0 iterations")


class _GrandPotential:
    """F(a, b) = Σ_k ln(1 + e^{b − a e_k}) + a E − b N (centred energies e_k), its gradient and Hessian."""

    def __init__(self, e: np.ndarray, target_energy: float, particles: float) -> None:
        self.e, self.target_energy, self.particles = e, target_energy, particles

    def value(self, a: float, b: float) -> float:
        e = self.e
        return float(np.sum(np.logaddexp(0.0, b - a * e)) + a * self.target_energy - b * self.particles)

    def gradient(self, a: float, b: float) -> tuple[np.ndarray, np.ndarray]:
        e = self.e
        f = expit(b - a * e)
        w = f * expit(a * e - b)  # f (1 − f), without cancellation
        g = np.array([self.target_energy - np.dot(e, f), np.sum(f) - self.particles])
        hess = np.array([[np.dot(e * e, w), -np.dot(e, w)], [-np.dot(e, w), np.sum(w)]])
        return g, hess


def _damped_newton_step(potential: _GrandPotential, a: float, b: float, value: float, g: np.ndarray,
                        hess: np.ndarray, tol_e: float, tol_n: float) -> tuple[float, float, float] | None:
    """One Newton step with a trust region and backtracking; (a, b, F) after it, or None if none is accepted."""
    try:
        step = -np.linalg.solve(hess + 1e-300 * np.eye(2), g)
        if not np.all(np.isfinite(step)) or np.dot(step, g) >= 0:
            raise np.linalg.LinAlgError
    except np.linalg.LinAlgError:
        step = -g / max(np.linalg.norm(g), 1e-300)
    # Trust region: no mode's log-odds may move by more than MAX_LOG_ODDS_STEP per step, so a
    # poor warm start cannot jump into the saturated region where F is flat.
    move = float(np.max(np.abs(step[0] * potential.e - step[1])))
    t = min(1.0, MAX_LOG_ODDS_STEP / move) if move > 0 else 1.0
    gnorm = np.hypot(g[0] / tol_e, g[1] / tol_n)
    for _ in range(60):
        a_new, b_new = a + t * step[0], b + t * step[1]
        v_new = potential.value(a_new, b_new)
        if np.isfinite(v_new) and v_new <= value + 1e-4 * t * float(np.dot(g, step)):
            return a_new, b_new, v_new
        # Near the minimum F is flat to round-off; accept a step that shrinks the residual.
        g_try, _ = potential.gradient(a_new, b_new)
        if np.hypot(g_try[0] / tol_e, g_try[1] / tol_n) < 0.5 * gnorm:
            return a_new, b_new, v_new
        t *= 0.5
    return None


def _polish(a: float, b: float, g: np.ndarray, hess: np.ndarray, gradient: Any, tol_e: float,
            tol_n: float, steps: int = 3) -> tuple[float, float]:
    """Full Newton steps from a converged (a, b) while they shrink the residual.

    Newton converges quadratically, so once inside the tolerance one more step brings E and N to
    round-off; without it the matching error (anywhere below ``rtol · K``) would be inherited by
    the entropy identities of seed 001 (eqs. 12, 14) as β ΔE − βμ ΔN, 100× above round-off.
    """
    norm = np.hypot(g[0] / tol_e, g[1] / tol_n)
    for _ in range(steps):
        if norm == 0.0:
            break
        try:
            step = -np.linalg.solve(hess, g)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)):
            break
        g_new, hess_new = gradient(a + step[0], b + step[1])
        norm_new = np.hypot(g_new[0] / tol_e, g_new[1] / tol_n)
        if not norm_new < norm:
            break
        a, b, g, hess, norm = a + step[0], b + step[1], g_new, hess_new, norm_new
    return a, b

"""Linear response of a mixture state to a static external potential (seed 000, Sec. 3.6).

With H = H_0 + ∫ dx V(x) ψ*ψ, the Hamiltonian of the equation of motion (seed 000, eq. 125),
Kubo's formula (eq. 128) in the quasi-free state Ω_mix gives the first-order density

    δρ(x) = ∫ dk_1/2π ∫ dk_2/2π V̂(k_1 − k_2) e^{ix(k_1−k_2)} [d_mix(k_1) − d_mix(k_2)]
            / [ω(k_1) − ω(k_2) − iε]
          = ∫ dq/2π V̂(q) e^{iqx} χ(q),      V̂(q) = ∫ dx V(x) e^{−iqx},

with the response function χ(q) = ∫ dk/2π [d(k + q) − d(k)]/[ω(k + q) − ω(k) − iε]. For
ω = k²/2m the denominator is (q/m)(k − k_0), k_0 = −q/2, so

    χ(q) = m/(2πq) [ PV∫ dk g(k)/(k − k_0) + iπ sign(q) g(k_0) ],   g(k) = d(k + q) − d(k).

The principal value is computed as ∫_0^∞ du [g(k_0 + u) − g(k_0 − u)]/u, whose integrand is
finite at u = 0, on Gauss panels with edges where k_0 ± u or k_0 ± u + q crosses k = 0 (the
weights may jump there) or a thermal step of a reservoir. The pole term g(k_0) = d(q/2) −
d(−q/2) vanishes for even weights and is the new, dissipative part of a non-equilibrium
mixture. χ(−q) = conj χ(q), so δρ(x) = (1/π) ∫_0^∞ dq Re[V̂(q) e^{iqx} χ(q)].

For the current, (k_1 + k_2)/2m divided by ω(k_1) − ω(k_2) is exactly 1/q: no pole, and the
inner integral ∫ dk [d(k + q) − d(k)] vanishes by translation, so the first-order current is
zero (current conservation in a static potential; the barrier changes it at second order).

The functions taking ``self`` are bound as methods of :class:`~thermoflux.mixture.MixtureState`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from thermoflux._validation import as_positive, as_real_array, call_user, check_callable
from thermoflux.errors import InputError
from thermoflux.mixture import grid as quad

if TYPE_CHECKING:
    from thermoflux.mixture.state import MixtureState

# The functions taking ``self`` are MixtureState methods (bound in state.py), not listed here.
__all__: list[str] = []


def _check(state: MixtureState, what: str) -> None:
    if state.dispersion is not None:
        raise InputError(f"{what} is implemented for the dispersion k^2/2m of seed 000, eq. 38 only")
    if state.shape:
        raise InputError(f"{what} needs scalar reservoir parameters; got parameter shape {state.shape}")


def _u_grid(state: MixtureState, half: np.ndarray) -> quad.HalfLineGrid:
    """Panels in u >= 0 for momenta k_0 ± u, k_0 ± u + q with |k_0| = |q|/2 = half."""
    edges_k = state.grid.edges
    top = float(edges_k[-1])
    h = half[..., None]
    parts = [np.zeros_like(h), h, np.abs(edges_k - h), edges_k + h, top + h]
    edges = np.sort(np.concatenate(parts, axis=-1), axis=-1)
    return quad.build_grid(edges)


def density_response(self: MixtureState, q: Any) -> np.ndarray:
    """Static response function χ(q) = ∫ dk/2π [d_mix(k+q) − d_mix(k)]/[ω(k+q) − ω(k) − iε].

    Parameters
    ----------
    q : array_like
        Non-zero momentum transfers. The state needs scalar parameters and the dispersion k²/2m.

    Returns
    -------
    ndarray of complex, shape of ``q``
        Density per unit length per unit energy of potential: δρ = V χ for V(x) = V cos(qx)
        gives δρ(x) = V Re[χ(q) e^{iqx}] (a repulsive V > 0 depletes the density where it is
        large, χ < 0 at equilibrium). Im χ = m [d(q/2) − d(−q/2)]/(2|q|), zero for even weights.

    Notes
    -----
    Seed 000, eq. 129 (its kernel). Accuracy: relative 1e-9 on the panels described in the
    module docstring, tested against ``scipy.integrate.quad(weight="cauchy")`` and against the
    zero-temperature Lindhard function χ(q) = (m/πq) ln|(q − 2k_F)/(q + 2k_F)|.
    """
    state = self
    _check(state, "density_response")
    q = as_real_array(q, "q")
    if np.any(q == 0):
        raise InputError("q must be non-zero (χ(0) is the limit of χ(q); use a small q)")
    half = 0.5 * np.abs(q)
    grid = _u_grid(state, half)
    u = grid.k
    a = half[..., None]
    # h(u) = [g(k0+u) − g(k0−u)]/u for q > 0, k0 = −a: g(k) = d(k+2a) − d(k)
    dp = state.distribution
    num = (dp(a + u) - dp(u - a)) - (dp(a - u) - dp(-a - u))
    pv, _ = grid.integrate(num / u)
    pole = np.asarray(dp(half)) - np.asarray(dp(-half))
    m = state.mass
    # For q < 0, substituting k -> −k maps χ(q) to χ(|q|) of the reflected distribution: the PV
    # part is even in q and the pole part odd (χ(−q) = conj χ(q)).
    chi = m / (2 * np.pi * 2 * half) * pv + 1j * m * pole / (2 * 2 * half)
    return np.where(q > 0, chi, np.conj(chi))


def _q_nodes(state: MixtureState, potential_ft: Callable, q_max: float | None) -> quad.HalfLineGrid:
    edges_k = state.grid.edges
    k_top = float(edges_k[-1])
    if q_max is None:
        scan = k_top * np.logspace(-6, 3, 901)
        values = np.abs(np.asarray(call_user(potential_ft, "potential_ft", scan)))
        if values.shape != scan.shape or not np.all(np.isfinite(values)):
            raise InputError("potential_ft must return finite values shaped like its argument")
        if not np.any(values > 0):
            raise InputError("potential_ft vanishes on the scanned momenta; give q_max")
        big = np.nonzero(values > 1e-16 * values.max())[0]
        if big[-1] == scan.size - 1:
            raise InputError("potential_ft does not decay within 1000 thermal momenta; give q_max")
        q_max = float(scan[big[-1]]) * 1.5
    fermi_k = state.momentum_of_energy(np.maximum(state.mus, state.band_bottom)
                                 + np.array([-4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0])[:, None] / state.betas)
    kinks = np.concatenate([(2 * fermi_k).ravel(), (fermi_k[:, :, None] + fermi_k[:, None, :]).ravel()])
    geometric = q_max * np.logspace(-5, 0, 41)
    edges = np.unique(np.clip(np.concatenate([[0.0, q_max], kinks, geometric]), 0.0, q_max))
    return quad.build_grid(edges)


def _fold(state: MixtureState, potential_ft: Callable, x: Any, q_max: float | None, what: str,
          kernel: Callable) -> Any:
    """(1/π) ∫_0^∞ dq Re[V̂(q) e^{iqx} K(q)] for a kernel with K(−q) = conj K(q)."""
    _check(state, what)
    check_callable(potential_ft, "potential_ft")
    if q_max is not None:
        q_max = as_positive(q_max, "q_max")
    x = as_real_array(x, "x")
    grid = _q_nodes(state, potential_ft, q_max)
    q = grid.k
    vq = np.asarray(call_user(potential_ft, "potential_ft", q), dtype=complex)
    if vq.shape != q.shape or not np.all(np.isfinite(vq)):
        raise InputError("potential_ft must return finite values shaped like its argument")
    phase = np.exp(1j * np.multiply.outer(x, q))
    value, _ = grid.integrate(np.real(vq * kernel(q) * phase))
    value = value / np.pi
    return float(value) if np.ndim(value) == 0 else value


def linear_response_density(self: MixtureState, potential_ft: Callable, x: Any, *,
                            q_max: float | None = None) -> Any:
    """First-order density δρ(x) = ∫ dq/2π V̂(q) e^{iqx} χ(q) (seed 000, eqs. 128–129, corrected).

    Parameters
    ----------
    potential_ft : callable
        Vectorized V̂(q) = ∫ dx V(x) e^{−iqx} of a real potential (so V̂(−q) = conj V̂(q));
        called for q >= 0 only. It should be smooth and decay.
    x : array_like
        Positions.

    Other Parameters
    ----------------
    q_max : float, optional
        Momentum beyond which V̂ is negligible; by default the largest scanned q where
        |V̂| > 1e-16 max|V̂|, times 1.5.

    Returns
    -------
    float or ndarray shaped like ``x``
        Change of the particle density (per unit length) to first order in V. The zeroth
        order is :meth:`density`. The state needs scalar parameters and the dispersion k²/2m.

    Notes
    -----
    Seed 000, eq. 129 prints the bracket [d_mix(k_1) + d_mix(k_2)]; Kubo's formula with a
    quasi-free state gives the difference (the commutator of eq. 128 is ⟨a*a⟩ terms
    d(k_2) − d(k_1)), without which the integral diverges already for a constant V. The overall
    sign follows eq. 125 (H_int = +∫Vψ*ψ); eq. 126's minus sign would flip it. Tested by the
    constant-potential limit δρ = −V Σ_i ∂ρ/∂μ_i (step weights) and by the equilibrium
    Lindhard function (``test_linear_response.py``). Accuracy about 1e-8 relative for smooth
    V̂ at finite temperature (two nested Gauss–Legendre rules).
    """
    return _fold(self, potential_ft, x, q_max, "linear_response_density", lambda q: density_response(self, q))


def linear_response_current(self: MixtureState, potential_ft: Callable, x: Any, *,
                            q_max: float | None = None) -> Any:
    """First-order current δj(x) = ∫∫ (k_1+k_2)/2m V̂ e^{ix(k_1−k_2)} [d(k_1) − d(k_2)]/[ω_1 − ω_2 − iε].

    Seed 000, eq. 130 (with the difference of occupations, as for :meth:`linear_response_density`).
    The kernel reduces to V̂(q) e^{iqx}/q · ∫ dk/2π [d(k + q) − d(k)], evaluated numerically;
    the inner integral vanishes identically, so the result is zero up to quadrature error (a
    static potential changes the current only at second order).

    Returns
    -------
    float or ndarray shaped like ``x``
        Particles per unit time, positive from G_1 to G_2.
    """
    def kernel(q: np.ndarray) -> np.ndarray:
        half = 0.5 * q
        ugrid = _u_grid(self, half)
        u, a, dp = ugrid.k, half[..., None], self.distribution
        shift, _ = ugrid.integrate((dp(a + u) - dp(u - a)) + (dp(a - u) - dp(-a - u)))
        return shift / (2 * np.pi) / q

    return _fold(self, potential_ft, x, q_max, "linear_response_current", kernel)

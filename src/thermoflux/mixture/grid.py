"""The momentum grid of a mixture state: quadrature nodes and the state evaluated on them.

Internal to :mod:`thermoflux.mixture` (listed in no package ``__all__``): the modules that
implement :class:`~thermoflux.mixture.MixtureState`'s analyses share a state's
:class:`MomentumGrid` (``state.grid``) instead of reaching into its private attributes.

Every observable of a mixture state is ∫_{−∞}^{∞} dk/2π F(k). The integral is split at k = 0
(weights such as eq. 9 jump there) and written as ∫_0^∞ dk [F(k) + F(−k)]/2π. Panel edges on
k > 0 are the images k(E) of energies where the reservoir distributions change: E = μ_i + s·T_i
for s in a fixed template (the Fermi/Bose step and its exponential tail), a geometric ladder
above the band bottom for bosons (whose occupation is a Lorentzian of width √(2m(ω₀ − μ)) in
k), the momenta where the weights change character, and the cut-off E_max = max_i(μ_i⁺ + 80 T_i)
beyond which every occupation is below e^{−80} ≈ 2e-35 of its peak. Each panel carries the
20-point Gauss–Legendre rule, whose result is used, and an interpolatory 10-point rule on every
second Gauss node, whose difference from it is a (pessimistic) error estimate at no extra
integrand evaluation.

All arrays carry the parameter shape S of the state in front (scalar parameters: S = ()), so a
state whose reservoirs hold arrays of β and μ integrates every parameter point in one pass.

Not shared with :mod:`thermoflux.landauer.quadrature` (Gauss–Kronrod 21/10 on energy panels
with mapped tails): the rules, the error estimates and the panel placement differ, the common
part is the four-line affine panel map, and sharing the node tables would change this rule's
results at rounding level; methods depend on the core only, never on each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["MomentumGrid", "HalfLineGrid", "build_grid", "energy_edges", "THERMAL_STEPS", "THERMAL_SPAN"]

TWO_PI = 2.0 * np.pi

ORDER = 20
_NODES, _GAUSS = np.polynomial.legendre.leggauss(ORDER)


def _subrule() -> np.ndarray:
    """Weights of the interpolatory rule on every second Gauss node (exact to degree 9)."""
    sub = _NODES[::2]
    vander = np.polynomial.legendre.legvander(sub, sub.size - 1).T  # P_j(x_i), j rows
    moments = np.zeros(sub.size)
    moments[0] = 2.0  # ∫_{-1}^{1} P_0 = 2, ∫ P_j = 0 for j > 0
    w = np.zeros(ORDER)
    w[::2] = np.linalg.solve(vander, moments)
    return w


_LOW = _subrule()

#: Panel edges around each reservoir's step, in units of its temperature.
THERMAL_STEPS = np.array([-40.0, -30.0, -22.0, -16.0, -11.0, -7.0, -4.0, -2.0, -1.0, 0.0, 1.0,
                          2.0, 4.0, 7.0, 11.0, 16.0, 22.0, 30.0, 40.0, 52.0, 66.0])
#: Cut-off above max(μ, band bottom), in units of the temperature: e^{-80} ≈ 1.8e-35.
THERMAL_SPAN = 80.0
#: Rungs of the geometric ladder above the band bottom (bosons).
_LADDER = 24


@dataclass(frozen=True)
class HalfLineGrid:
    """Nodes and weights for ∫_0^∞ dk of a batch of integrands.

    Attributes
    ----------
    k : ndarray, shape S + (n,)
        Positive momenta.
    weights, low_weights : ndarray, shape S + (n,)
        Gauss weights and the embedded low-order weights (times each panel's Jacobian).
    panels : int
        Number of panels (n = 20 · panels).
    """

    k: np.ndarray
    weights: np.ndarray
    low_weights: np.ndarray
    panels: int

    def integrate(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """∫_0^∞ dk g(k) and an error estimate from values of shape (..., *S, n)."""
        v = np.asarray(values)
        shape = v.shape[:-1] + (self.panels, ORDER)
        v = v.reshape(shape)
        w = self.weights.reshape(self.weights.shape[:-1] + (self.panels, ORDER))
        lw = self.low_weights.reshape(w.shape)
        value = np.sum(v * w, axis=(-2, -1))
        error = np.sum(np.abs(np.sum(v * (w - lw), axis=-1)), axis=-1)
        return value, error


def build_grid(k_edges: np.ndarray) -> HalfLineGrid:
    """Gauss panels between sorted momenta ``k_edges`` of shape S + (m,), m >= 2."""
    a, b = k_edges[..., :-1], k_edges[..., 1:]
    half = 0.5 * (b - a)
    mid = 0.5 * (b + a)
    k = mid[..., None] + half[..., None] * _NODES
    w = half[..., None] * _GAUSS
    lw = half[..., None] * _LOW
    flat = k.shape[:-2] + (-1,)
    return HalfLineGrid(k.reshape(flat), w.reshape(flat), lw.reshape(flat), int(a.shape[-1]))


def energy_edges(betas: np.ndarray, mus: np.ndarray, band_bottom: float, bosons: bool) -> tuple[np.ndarray, np.ndarray]:
    """Energy panel edges, shape S + (m,), and the cut-off E_max, shape S.

    ``betas`` and ``mus`` have shape (R,) + S (one row per reservoir).
    """
    temps = 1.0 / betas
    top = np.maximum(mus, band_bottom)
    e_max = np.max(top + THERMAL_SPAN * temps, axis=0)
    steps = THERMAL_STEPS
    below = mus[..., None] + temps[..., None] * steps[steps < 0]
    above = top[..., None] + temps[..., None] * steps[steps >= 0]
    parts = [below, above]
    if bosons:
        gap = band_bottom - mus  # > 0, checked by the caller
        start = 0.25 * gap
        span = np.maximum(e_max[None] - band_bottom, start * 1.0000001)
        ratio = (span / start) ** (1.0 / (_LADDER - 1))
        ladder = band_bottom + start[..., None] * ratio[..., None] ** np.arange(_LADDER)
        parts.append(ladder)
    edges = np.concatenate(parts, axis=-1)                       # (R,) + S + (p,)
    edges = np.moveaxis(edges, 0, -2)                            # S + (R, p)
    edges = edges.reshape(edges.shape[:-2] + (-1,))
    return edges, e_max


def as_scalar(x: Any) -> Any:
    """A float for a 0-d result, the array otherwise (scalar parameters give plain floats)."""
    return float(x) if np.ndim(x) == 0 else x


@dataclass(frozen=True)
class MomentumGrid:
    """A mixture state evaluated on the Gauss nodes of the momentum half-line k > 0.

    Every observable is ∫_{−∞}^{∞} dk/2π F(k) = ∫_0^∞ dk/2π [F(k) + F(−k)]; the arrays hold the
    ingredients of F at the nodes k > 0 (``_plus``) and their mirror images −k (``_minus``).
    Shapes: S + (n,) with S the state's parameter shape, (R,) + S + (n,) per reservoir.

    Attributes
    ----------
    quadrature : HalfLineGrid
        Nodes and weights (Gauss–Legendre panels between ``edges``).
    edges : ndarray, shape S + (m,)
        Panel edges in momentum.
    k, omega, velocity : ndarray, shape S + (n,)
        Nodes k > 0, ω(k) and the group velocity v(k) there.
    log_odds, occupation : ndarray, shape (R,) + S + (n,)
        γ_i(k) = β_i(ω(k) − μ_i) and d_i(ω(k)) of each reservoir (seed 000, eq. 97).
    w_plus, w_minus : ndarray, shape (R,) + S + (n,)
        Weights w_i(k) and w_i(−k).
    d_plus, d_minus : ndarray, shape S + (n,)
        Mixed distribution d_mix(k) and d_mix(−k) (seed 000, eq. 2).
    imbalance : ndarray, shape (R,) + S + (n,)
        I_i(k) = w_i(k) − w_i(−k) (seed 000, eq. 6), exact where the weight carries it.
    """

    quadrature: HalfLineGrid
    edges: np.ndarray
    k: np.ndarray
    omega: np.ndarray
    velocity: np.ndarray
    log_odds: np.ndarray
    occupation: np.ndarray
    w_plus: np.ndarray
    w_minus: np.ndarray
    d_plus: np.ndarray
    d_minus: np.ndarray
    imbalance: np.ndarray

    def integrate(self, values: np.ndarray, return_error: bool = False) -> Any:
        """(1/2π) ∫_0^∞ dk values(k), with ``values`` already holding F(k) + F(−k) at :attr:`k`.

        Returns a float (scalar parameters) or an array of shape S; with ``return_error`` also
        the quadrature error estimate (Gauss minus the embedded low-order rule), same units.
        """
        value, error = self.quadrature.integrate(values)
        value, error = value / TWO_PI, error / TWO_PI
        return (as_scalar(value), as_scalar(error)) if return_error else as_scalar(value)

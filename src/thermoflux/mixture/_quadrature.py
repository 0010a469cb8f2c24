"""Fixed-rule quadrature on the momentum half-line for mixture-state integrals (private).

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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["HalfLineGrid", "build_grid", "THERMAL_STEPS", "THERMAL_SPAN"]

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

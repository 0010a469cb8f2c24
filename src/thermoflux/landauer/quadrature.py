"""Energy quadrature for Landauer integrals: Gauss–Kronrod panels split at the physics scales.

Every Landauer current is an integral over energy of a smooth function with a few sharp
features: Fermi/Bose steps of width T at each chemical potential, resonances of width Γ at
their positions, and jumps at the edges of boxcar transmissions (seed 004, eq. C2). This module
builds, once per junction (or once per batch of junctions), a fixed set of nodes and weights
that resolves all of them:

* each feature (centre c, scale s) puts panel edges at c ± s·{0, ¼, ½, 1, 2, 4, …} (geometric
  growth, so a feature costs O(log(range/s)) panels);
* breakpoints (discontinuities) are panel edges exactly, so a boxcar is integrated exactly;
* the two semi-infinite tails are mapped, E = b ± L·u/(1 − u), onto a few panels in u;
* each panel carries the 21-point Kronrod rule with its embedded 10-point Gauss rule, so the
  same integrand values give the integral and an error estimate Σ_panels |K21 − G10|.

The same nodes serve every integrand of a junction (all reservoirs, particle, energy and
entropy), which is what makes a junction cheap, and every array carries a leading batch axis
so that many parameter points are integrated in one vectorized pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from thermoflux._validation import describe
from thermoflux.distributions import Tabulated
from thermoflux.errors import InputError
from thermoflux.landauer.transmissions import Transmission

__all__ = ["EnergyGrid", "build_energy_grid", "plan_energy_grid"]

#: h = 2π (ħ = 1): every Landauer integral carries ∫ dE/2π. Shared by the junction and its analyses
#: (counting, noise, linear response), re-exported by ``landauer.junction``.
TWO_PI = 2.0 * np.pi

# Gauss–Kronrod 21/10 nodes and weights on [-1, 1] (QUADPACK qk21; the 10-point Gauss nodes are
# the odd-indexed Kronrod nodes).
_X = np.array([
    0.995657163025808080735527280689003, 0.973906528517171720077964012084452,
    0.930157491355708226001207180059508, 0.865063366688984510732096688423493,
    0.780817726586416897063717578345042, 0.679409568299024406234327365114874,
    0.562757134668604683339000099272694, 0.433395394129247190799265943165784,
    0.294392862701460198131126603103866, 0.148874338981631210884826001129720, 0.0])
_WK = np.array([
    0.011694638867371874278064396062192, 0.032558162307964727478818972459390,
    0.054755896574351996031381300244580, 0.075039674810919952767043140916190,
    0.093125454583697605535065465083366, 0.109387158802297641899210590325805,
    0.123491976262065851077958109831074, 0.134709217311473325928054001771707,
    0.142775938577060080797094273138717, 0.147739104901338491374841515972068,
    0.149445554002916905664936468389821])
_WG10 = np.array([0.066671344308688137593568809893332, 0.149451349150580593145776339657697,
                  0.219086362515982043995534934228163, 0.269266719309996355091226921569469,
                  0.295524224714752870173892994651338])
NODES = np.concatenate([-_X[:-1], _X[::-1]])             # 21 nodes, increasing
KRONROD = np.concatenate([_WK[:-1], _WK[::-1]])
_g = np.zeros(11)
_g[1:10:2] = _WG10
GAUSS = np.concatenate([_g[:-1], _g[::-1]])               # zero at Kronrod-only nodes
NODES_PER_PANEL = NODES.size

# Template of panel edges around a feature, in units of its scale: 0, ±1/2, ±1, ±2, ...
_INNER = np.array([0.5])
# Tails E = b ± L u/(1-u): panels in u.
_TAIL_PANELS = np.array([0.0, 0.25, 0.5, 0.75, 0.9, 0.97, 1.0])
# A thermal step decays as e^{-|E-μ|/T}: beyond 60 T it is below e^{-60} ~ 1e-26 of its size.
THERMAL_SPAN = 60.0


@dataclass(frozen=True)
class EnergyGrid:
    """Quadrature nodes for a batch of energy integrals.

    Attributes
    ----------
    energies : ndarray, shape (*batch, panels, 21)
        Nodes.
    weights : ndarray, same shape
        Kronrod weights (times the panel's Jacobian), so ``sum(weights * g)`` is the integral.
    gauss_weights : ndarray, same shape
        Embedded Gauss weights (zero at the Kronrod-only nodes); the error estimate is
        Σ_panels |Σ (weights − gauss_weights)·g|.
    tails : (bool, bool)
        Whether the nodes include the mapped semi-infinite tail below / above the core range,
        where the outermost nodes lie ~1.5e4 core widths out (used to diagnose integrands
        that decay too slowly to be integrable, :meth:`Junction.flows`).
    """

    energies: np.ndarray
    weights: np.ndarray
    gauss_weights: np.ndarray
    tails: tuple[bool, bool] = (False, False)

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self.energies.shape[:-2]

    @property
    def flat_energies(self) -> np.ndarray:
        """Nodes as an array of shape (*batch, panels·21), for evaluating integrands."""
        return self.energies.reshape(self.batch_shape + (-1,))

    def integral(self, values: np.ndarray) -> np.ndarray:
        """The Kronrod sum alone (no error estimate) of finite integrand values at :attr:`flat_energies`."""
        shape = self.energies.shape
        v = np.asarray(values).reshape(np.shape(values)[:-1] + shape[-2:])
        return np.einsum("...pn,...pn->...", v, self.weights)

    def integrate(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Integral and error estimate of integrand values given at :attr:`flat_energies`.

        ``values`` has shape (*extra, *batch, panels·21); the result has shape (*extra, *batch).
        Non-finite values propagate (an infinite entropy rate stays infinite).
        """
        shape = self.energies.shape
        v = np.asarray(values).reshape(np.shape(values)[:-1] + shape[-2:])
        with np.errstate(invalid="ignore"):
            kron = np.einsum("...pn,...pn->...", v, self.weights)
            panel_diff = np.einsum("...pn,...pn->...p", v, self.weights - self.gauss_weights)
            error = np.sum(np.abs(panel_diff), axis=-1)
            if not np.all(np.isfinite(kron)):
                # An infinite integrand (e.g. an entropy rate where f is exactly 0 or 1) must not
                # meet the zero weights of empty panels: inf · 0 would give NaN, not +-inf.
                empty = self.weights == 0
                vm = np.where(empty, 0.0, v)
                kron = np.sum(vm * self.weights, axis=(-2, -1))
                diff = np.where(empty, 0.0, vm * (self.weights - self.gauss_weights))
                error = np.sum(np.abs(np.sum(diff, axis=-1)), axis=-1)
        return kron, error


def _feature_edges(centres: np.ndarray, scales: np.ndarray, extent: np.ndarray) -> np.ndarray:
    """Edges c ± s·{0, 1/2, 1, 2, 4, ...} up to ±extent, per batch row; shape (*batch, n).

    Each feature k of each batch row gets its own number of doublings, ceil(log2(extent/s)) + 1,
    as it would alone; rows that need fewer than the largest of the batch get +inf in the
    place of the extra edges (clipped to the upper end: empty panels after the row's own), so
    that a row of a batch has the panels of the same point integrated alone (issue 15: a
    batched sweep reproduces the per-point results and error estimates to rounding).
    """
    out = []
    for k in range(centres.shape[-1]):
        c, s, x = centres[..., k], scales[..., k], extent[..., k]
        levels = np.ceil(np.log2(np.maximum(np.asarray(x / s, dtype=float), 1.0))).astype(int) + 1
        steps = np.arange(int(np.max(levels)))
        template = np.concatenate([[0.0], _INNER, 2.0 ** steps])
        template = np.concatenate([-template[:0:-1], template])
        # the doubling 2^j of the template belongs to a row only when j < its own levels
        order = np.concatenate([[-1, -1], steps])
        order = np.concatenate([order[:0:-1], order])
        mine = order < levels[..., None]
        out.append(np.where(mine, c[..., None] + s[..., None] * template, np.inf))
    return np.concatenate(out, axis=-1)


def _prune(edges: np.ndarray, centres: np.ndarray, scales: np.ndarray, extents: np.ndarray,
           breakpoints: np.ndarray | None) -> np.ndarray:
    """Drop redundant edges where the templates of several features overlap.

    An interior edge is removed when the panel that would replace its two neighbours is still
    no wider than every feature asks for: width <= max(s_k/2, distance to c_k) for each feature
    k whose reach (extent) covers the panel. Even and odd edges are treated in alternate passes,
    so two neighbouring edges are never dropped against the same stale neighbours. Breakpoints
    and the range ends are kept. Rows keep a common length (the largest), padded with copies
    of the upper end (empty panels, weight 0).
    """
    e = edges
    c = centres[..., None, :]
    s = scales[..., None, :]
    x = extents[..., None, :]
    for parity in (1, 2, 1, 2):
        a, b = e[..., :-2], e[..., 2:]
        dist = np.maximum(0.0, np.maximum(a[..., None] - c, c - b[..., None]))
        allowed = np.where(dist > x, np.inf, np.maximum(0.5 * s, dist)).min(axis=-1)
        drop = (b - a) <= allowed
        mask = np.zeros(e.shape, dtype=bool)
        mask[..., 1:-1] = drop
        mask[..., :parity] = False
        mask[..., parity::2] &= True
        sel = np.zeros(e.shape, dtype=bool)
        sel[..., parity:-1:2] = True
        mask &= sel
        if breakpoints is not None:
            mask &= ~np.any(np.isclose(e[..., :, None], breakpoints[..., None, :], rtol=0, atol=0), axis=-1)
        keep = ~mask
        count = int(np.max(np.sum(keep, axis=-1)))
        top = e[..., -1:]
        e = np.sort(np.where(keep, e, np.inf), axis=-1)[..., :count]
        e = np.where(np.isinf(e), top, e)
    return e


def build_energy_grid(
    centres: np.ndarray,
    scales: np.ndarray,
    breakpoints: np.ndarray,
    *,
    lower: np.ndarray | float,
    upper: np.ndarray | float,
    lower_tail: bool,
    upper_tail: bool,
    extents: np.ndarray | None = None,
) -> EnergyGrid:
    """Build Gauss–Kronrod panels on [lower, upper] plus optional mapped tails.

    Parameters
    ----------
    centres, scales : ndarray, shape (*batch, K)
        Features: panel edges are placed at c ± s·{0, ¼, ½, 1, 2, 4, …}, within [lower, upper].
        Scales must be positive.
    breakpoints : ndarray, shape (*batch, B)
        Exact panel edges (discontinuities), clipped to [lower, upper].
    lower, upper : float or ndarray of shape batch
        The finite core range, lower < upper.
    lower_tail, upper_tail : bool
        Whether to add the mapped semi-infinite tail below ``lower`` / above ``upper``.
    extents : ndarray, shape (*batch, K), optional
        How far (in energy) each feature's geometric edges reach; default the whole range.
        A thermal step needs only ~60 T: beyond it the occupation is flat to e^{-60}.

    Returns
    -------
    EnergyGrid
    """
    centres = np.asarray(centres, dtype=float)
    scales = np.asarray(scales, dtype=float)
    breakpoints = np.asarray(breakpoints, dtype=float)
    lower = np.asarray(lower, dtype=float)
    upper = np.asarray(upper, dtype=float)
    batch = np.broadcast_shapes(centres.shape[:-1], breakpoints.shape[:-1], lower.shape, upper.shape)
    if np.any(scales <= 0) or not np.all(np.isfinite(scales)):
        raise InputError("energy-grid scales must be positive and finite")
    if np.any(~(upper > lower)):
        raise InputError("the energy range must have upper > lower")
    width = upper - lower
    ext = None
    edges = [lower[..., None] * np.ones(batch + (1,)), upper[..., None] * np.ones(batch + (1,))]
    if centres.shape[-1]:
        full = np.broadcast_to(width[..., None], np.broadcast_shapes(width.shape + (1,), centres.shape))
        ext = full if extents is None else np.minimum(np.asarray(extents, dtype=float), full)
        ext = np.broadcast_to(ext, centres.shape)
        fe = _feature_edges(centres, scales, ext)
        edges.append(np.broadcast_to(fe, batch + fe.shape[-1:]))
    if breakpoints.shape[-1]:
        edges.append(np.broadcast_to(breakpoints, batch + breakpoints.shape[-1:]))
    e = np.concatenate([np.broadcast_to(a, batch + a.shape[-1:]) for a in edges], axis=-1)
    e = np.clip(e, lower[..., None], upper[..., None])
    e = np.sort(e, axis=-1)
    if centres.shape[-1]:
        bp = np.broadcast_to(breakpoints, batch + breakpoints.shape[-1:]) if breakpoints.shape[-1] else None
        e = _prune(e, np.broadcast_to(centres, batch + centres.shape[-1:]),
                   np.broadcast_to(scales, batch + scales.shape[-1:]),
                   np.broadcast_to(ext, batch + centres.shape[-1:]), bp)
    a, b = e[..., :-1], e[..., 1:]
    half = 0.5 * (b - a)
    mid = 0.5 * (b + a)
    # Duplicate edges give empty panels (weight 0); put their nodes at a harmless interior
    # energy so no integrand is evaluated at a singular point such as E = 0 for bosons.
    mid = np.where(half == 0, 0.5 * (lower + upper)[..., None], mid)
    energies = mid[..., None] + half[..., None] * NODES
    weights = half[..., None] * KRONROD
    gauss = half[..., None] * GAUSS
    parts = [(energies, weights, gauss)]
    # Mapped tails: E = b + L u/(1-u), dE = L/(1-u)^2 du, with L the core width.
    ua, ub = _TAIL_PANELS[:-1], _TAIL_PANELS[1:]
    uh = 0.5 * (ub - ua)
    u = (0.5 * (ub + ua))[:, None] + uh[:, None] * NODES
    jac = 1.0 / (1.0 - u) ** 2
    for use, sign, base in ((lower_tail, -1.0, lower), (upper_tail, 1.0, upper)):
        if not use:
            continue
        L = np.broadcast_to(width, batch)[..., None, None]
        en = base[..., None, None] + sign * L * (u / (1.0 - u))
        w = L * (uh[:, None] * KRONROD) * jac
        g = L * (uh[:, None] * GAUSS) * jac
        parts.append((np.broadcast_to(en, batch + en.shape[-2:]),
                      np.broadcast_to(w, batch + w.shape[-2:]),
                      np.broadcast_to(g, batch + g.shape[-2:])))
    energies = np.concatenate([p[0] for p in parts], axis=-2)
    weights = np.concatenate([p[1] for p in parts], axis=-2)
    gauss = np.concatenate([p[2] for p in parts], axis=-2)
    return EnergyGrid(energies, weights, gauss, (bool(lower_tail), bool(upper_tail)))


def plan_energy_grid(reservoirs: Mapping[str, Any], transmissions: Mapping[Any, Callable], n: int | None, *,
                     statistics: str, breakpoints: np.ndarray, features: tuple[np.ndarray, np.ndarray],
                     energy_range: np.ndarray | None) -> EnergyGrid:
    """The panels of a junction: its chemical potentials, resonances, features and breakpoints.

    ``n`` is the batch size (None for one point). Thermal reservoirs contribute (μ, T) with a
    reach of 60 T; :class:`~thermoflux.landauer.Transmission` objects their resonances,
    breakpoints and support; tabulated distributions their table energies (kinks of the linear
    interpolation). With every transmission of compact support there are no tails. Bosons are
    integrated over E > 0 with panels refined geometrically down to 1e-12 T at E = 0.
    """
    batch = () if n is None else (n,)

    def rows(a: Any) -> np.ndarray:
        a = np.asarray(a, dtype=float)
        if a.ndim == 1 and batch:
            return np.broadcast_to(a, batch + a.shape)
        return np.broadcast_to(a, batch + a.shape[-1:]) if a.ndim else np.broadcast_to(a, batch + (1,))

    centres, scales, extents = [], [], []
    breaks = [rows(breakpoints)] if breakpoints.size else []
    for d in reservoirs.values():
        if isinstance(d, Tabulated):    # linear interpolation: kinks at the table energies
            breaks.append(rows(d.energies))
    spans = []   # (low, high) candidates of the core range
    for d in reservoirs.values():
        if d.is_thermal:
            mu = np.broadcast_to(np.asarray(d.mu, float), batch)[..., None]
            t = np.broadcast_to(1.0 / np.asarray(d.beta, float), batch)[..., None]
            centres.append(mu)
            scales.append(t)
            extents.append(THERMAL_SPAN * t)
            spans += [mu - THERMAL_SPAN * t, mu + THERMAL_SPAN * t]
    if features[0].size:
        c, s = rows(features[0]), rows(features[1])
        centres.append(c)
        scales.append(s)
        extents.append(np.full(c.shape, np.inf))
        spans += [c - THERMAL_SPAN * s, c + THERMAL_SPAN * s]
    compact = True
    supports = []
    seen_t: set[int] = set()
    seen_f: set[bytes] = set()
    for t in transmissions.values():
        if id(t) in seen_t:
            continue
        seen_t.add(id(t))
        if isinstance(t, Transmission):
            key = t.centres.tobytes() + b"|" + t.scales.tobytes()
            if t.centres.size and key not in seen_f:     # one resonance shared by many pairs
                seen_f.add(key)
                c = np.broadcast_to(t.centres, batch + t.centres.shape[-1:])
                s = np.broadcast_to(t.scales, batch + t.scales.shape[-1:])
                centres.append(c)
                scales.append(s)
                extents.append(np.full(c.shape, np.inf))
                if t.support is None:
                    spans += [c - THERMAL_SPAN * s, c + THERMAL_SPAN * s]
            if t.breakpoints.size:
                breaks.append(np.broadcast_to(t.breakpoints, batch + t.breakpoints.shape[-1:]))
            if t.support is None:
                compact = False
            else:
                supports.append((np.broadcast_to(t.support[0], batch), np.broadcast_to(t.support[1], batch)))
        else:
            compact = False
    if breaks:
        b = np.concatenate(breaks, axis=-1)
        spans += [b, b]
    if compact:
        lower = np.min(np.stack([s[0] for s in supports]), axis=0)
        upper = np.max(np.stack([s[1] for s in supports]), axis=0)
    elif energy_range is not None:
        lower = np.broadcast_to(energy_range[0], batch)
        upper = np.broadcast_to(energy_range[1], batch)
    else:
        if not spans:
            raise InputError("the junction has no energy scale to integrate over: no thermal reservoir, "
                             "no resonance; pass features=[(centre, scale)] or energy_range=(low, high)")
        allspan = np.concatenate([np.reshape(s, batch + (-1,)) for s in spans], axis=-1)
        lower, upper = np.min(allspan, axis=-1), np.max(allspan, axis=-1)
    lower_tail, upper_tail = not compact, not compact
    if statistics == "boson":
        tmin = min((float(np.min(1.0 / np.asarray(d.beta))) for d in reservoirs.values() if d.is_thermal),
                   default=float(np.min(upper)) if np.all(upper > 0) else 1.0)
        # Bose factors grow like T/E as E -> 0: refine geometrically down to 1e-12 T.
        centres.append(np.zeros(batch + (1,)))
        scales.append(np.full(batch + (1,), 1e-12 * tmin))
        extents.append(np.full(batch + (1,), np.inf))
        lower = np.maximum(lower, 0.0)
        lower_tail = False
        if np.any(upper <= 0):
            raise InputError("bosonic junction: the transmissions vanish for all E > 0")
    if np.any(~(upper > lower)):
        raise InputError(f"empty energy range [{describe(lower)}, {describe(upper)}]")
    cen = np.concatenate(centres, axis=-1) if centres else np.zeros(batch + (0,))
    sca = np.concatenate(scales, axis=-1) if scales else np.zeros(batch + (0,))
    ext = np.concatenate(extents, axis=-1) if extents else np.zeros(batch + (0,))
    brk = np.concatenate(breaks, axis=-1) if breaks else np.zeros(batch + (0,))
    return build_energy_grid(cen, sca, brk, lower=lower, upper=upper,
                             lower_tail=lower_tail, upper_tail=upper_tail, extents=ext)

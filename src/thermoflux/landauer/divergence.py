"""Landauer integrals that diverge: integrands falling off no faster than 1/|E| at an end.

A current ∫ g(E) dE is infinite when E·g(E) does not vanish at |E| → ∞ or, for bosons, at
E → 0⁺; the quadrature then returns a number that grows with the cutoff. Two physical cases
matter (issue 14): a transmission T(E) ~ 1/E² (wide-band leads on the same site) between
occupations that differ at high energy makes the energy current diverge logarithmically; and
μ = 0 bosons through T(0) > 0 exchange infinitely many soft quanta (n ~ T/E), a particle
current that is undefined while energy and entropy currents are finite. This module finds
such ends on the quadrature nodes and says what they mean.
"""

from __future__ import annotations

import numpy as np

from thermoflux.landauer.quadrature import EnergyGrid

__all__ = ["find_divergences", "divergence_message"]

# An integrand g(E) with E·g(E) not falling off at a tail (|E| → ∞), or for bosons at E → 0⁺,
# makes ∫ g dE grow like the logarithm of the cutoff. It is judged between the outermost node E1
# and the node E2 nearest E1/16 (16·E1 at E → 0⁺): a power law g ~ |E|^{-1-p} gives
# |E1 g(E1)|/|E2 g(E2)| = 16^{-p}, so a ratio >= 1/2 flags p <= 1/4: p <= 0 diverges, and
# 0 < p <= 1/4 converges too slowly for any cutoff (the remainder beyond E1 is (E1 g(E1))/p, more
# than 4 E1·g(E1)). Every integrand of a thermal reservoir decays exponentially (ratio ~ 0).
# Nodes less than 8 apart in |E| (no real tail, e.g. a compact support) are not judged.
_FLAT_RATIO = 0.5
_TAIL_SPAN = 16.0
_MIN_SPAN = 8.0


def find_divergences(grid: EnergyGrid, rows: np.ndarray, magnitudes: np.ndarray, *,
                     accuracy: float, soft_end: bool) -> list[list[tuple[str, float, float]]]:
    """Per row of integrand values, the ends where E·g(E) does not fall off: (end, E1, E1·g(E1)).

    The ends examined are the mapped tails of ``grid`` ("high": |E| → ∞) and, with
    ``soft_end``, E → 0⁺ ("soft"). An end counts only when |E1·g(E1)| exceeds ``accuracy``
    times ∫|g| (``magnitudes``, one per row), i.e. when the part of the integral lost per
    factor e of cutoff matters at the accuracy asked of :meth:`Junction.flows`.
    """
    live = grid.weights.reshape(-1) != 0
    energies = grid.flat_energies.reshape(-1)[live]
    values = rows.reshape(rows.shape[0], -1)[:, live]
    pairs = []
    lower_tail, upper_tail = grid.tails
    for use, side in ((upper_tail, energies > 0), (lower_tail, energies < 0)):
        if use and np.any(side):
            idx = np.nonzero(side)[0]
            i1 = idx[np.argmax(np.abs(energies[idx]))]
            pairs.append(("high", i1, np.abs(energies[i1]) / _TAIL_SPAN, idx))
    if soft_end and np.any(energies > 0):
        idx = np.nonzero(energies > 0)[0]
        i1 = idx[np.argmin(energies[idx])]
        pairs.append(("soft", i1, energies[i1] * _TAIL_SPAN, idx))
    out: list[list[tuple[str, float, float]]] = [[] for _ in range(values.shape[0])]
    for end, i1, target, idx in pairs:
        i2 = idx[np.argmin(np.abs(np.log(np.abs(energies[idx]) / target)))]
        span = np.abs(energies[i1]) / np.abs(energies[i2])
        if max(span, 1.0 / span) < _MIN_SPAN:
            continue
        with np.errstate(invalid="ignore", over="ignore"):
            h1 = np.abs(energies[i1] * values[:, i1])
            h2 = np.abs(energies[i2] * values[:, i2])
        for r in np.nonzero((h1 >= _FLAT_RATIO * h2) & (h1 > accuracy * magnitudes))[0]:
            out[r].append((end, float(energies[i1]), float(energies[i1] * values[r, i1])))
    return out


def divergence_message(name: str, quantity: str, end: str, energy: float, tail: float,
                        particle_finite: bool) -> str:
    """What a divergent Landauer integral means, in physical terms."""
    where = "|E| → ∞" if end == "high" else "E → 0⁺"
    cause = (
        "the transmission falls off too slowly (only as 1/E² for wide-band leads coupled to the "
        "same site or a single level; not at all for a constant one) while the occupations of the "
        "reservoirs still differ there (non-thermal or tabulated occupations that do not vanish at "
        "high energy). Give the leads a finite band (a transmission that vanishes outside it) or "
        "occupations that vanish at high energy"
        if end == "high" else
        "infinitely many soft quanta: an occupation n(E) ~ 1/E (μ = 0 bosons) at a reservoir whose "
        "chemical potential or entropy needs their number")
    rest = "; integrals() returns the finite particle current" if particle_finite and quantity != "particle" else ""
    return (f"landauer: the {quantity} current of reservoir {name!r} diverges: its integrand falls "
            f"off no faster than 1/E as {where} (E × integrand → {tail:.3g} at E = {energy:.3g}), "
            f"so the integral grows at least like the logarithm of the cutoff. The physics: "
            f"{cause}{rest}")

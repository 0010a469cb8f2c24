"""Caroli transmissions of a system between reservoirs with a flat band of finite width.

Each reservoir α has a flat band [−W/2, W/2] with energy-independent couplings, Γ_α its
level-width matrix inside the band. Its retarded self-energy is (seed 001, Sec. III, in the
continuum limit of the discretized bath; the one-level form is ``tests/crosscheck/
test_finite_baths_landauer.py``)

    Σ_α(E) = Γ_α [λ(E) − (i/2) θ(W/2 − |E|)],    λ(E) = (1/2π) ln|(E + W/2)/(E − W/2)|,

so G(E) = (E − h − Σ_α Σ_α(E))^{-1} and T_αβ(E) = Tr[Γ_α G Γ_β G†] inside the band, 0 outside
(seed 004, eq. 17 with these transmissions). As W → ∞, λ = O(E/W) and this tends to
``landauer.from_hamiltonian`` (wide band) as 1/W.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from thermoflux._validation import as_positive
from thermoflux.landauer import Transmission

# The dark-state reduction is the wide-band one (the same argument holds for any Σ(E) ∝ Γ_α):
# reused, not copied, from the landauer engine.
from thermoflux.landauer.transmissions import without_dark_states

__all__ = ["finite_band_transmissions", "band_shift"]


def band_shift(energies: np.ndarray, bandwidth: float) -> np.ndarray:
    """λ(E) = (1/2π) ln|(E + W/2)/(E − W/2)|, the level shift per unit width of a flat band."""
    half = 0.5 * bandwidth
    with np.errstate(divide="ignore"):
        return (np.log(np.abs(energies + half)) - np.log(np.abs(energies - half))) / (2 * np.pi)


class _FiniteBandCache:
    """G(E) at the last energies asked for (every pair of reservoirs shares it)."""

    def __init__(self, hamiltonian: np.ndarray, gammas: dict[str, np.ndarray], bandwidth: float) -> None:
        self.hamiltonian = hamiltonian
        self.gammas = gammas
        self.total = sum(gammas.values())
        self.bandwidth = bandwidth
        self._energies: np.ndarray | None = None
        self._green: np.ndarray | None = None

    def green(self, energies: np.ndarray) -> np.ndarray:
        if self._energies is not None and self._energies.shape == energies.shape and np.array_equal(
                self._energies, energies):
            return self._green
        n = self.hamiltonian.shape[0]
        e = energies.reshape(-1)
        inside = np.abs(e) < 0.5 * self.bandwidth
        shift = np.where(np.isfinite(band_shift(e, self.bandwidth)), band_shift(e, self.bandwidth), 0.0)
        sigma = (shift - 0.5j * inside)[:, None, None] * self.total
        matrix = e[:, None, None] * np.eye(n) - self.hamiltonian - sigma
        green = np.zeros_like(matrix)
        # only energies inside the band carry current; outside T = 0 and G is not needed
        green[inside] = np.linalg.inv(matrix[inside])
        self._energies, self._green = energies.copy(), green.reshape(energies.shape + (n, n))
        return self._green

    def transmission(self, energies: np.ndarray, a: str, b: str) -> np.ndarray:
        g = self.green(energies)
        m = np.einsum("ij,...jk,kl,...ml->...im", self.gammas[a], g, self.gammas[b], g.conj(), optimize=True)
        return np.real(np.trace(m, axis1=-2, axis2=-1))


def finite_band_transmissions(hamiltonian: np.ndarray, couplings: Mapping[str, np.ndarray],
                              bandwidth: float) -> dict[tuple[str, str], Transmission]:
    """T_αβ(E) of ``hamiltonian`` between flat-band reservoirs of width ``bandwidth``.

    Parameters
    ----------
    hamiltonian : ndarray, shape (n, n)
        Hermitian h (already validated, e.g. by :class:`~thermoflux.compare.OpenSystem`).
    couplings : mapping name -> ndarray (n, n)
        Level-width matrices Γ_α (PSD) inside the band.
    bandwidth : float
        W > 0: every band is [−W/2, W/2].

    Returns
    -------
    dict
        (α, β) → :class:`~thermoflux.landauer.Transmission` T_{α←β} for every unordered pair
        (every ordered pair when three or more leads and a complex h or Γ_α break time
        reversal), with the band edges as breakpoints, compact support and the broadened levels
        as features.
    """
    width = as_positive(bandwidth, "bandwidth")
    # Three or more leads with a complex h or Γ_α (a flux) break T_{α←β} = T_{β←α}: then every
    # ordered pair is returned, as landauer.from_hamiltonian does (Büttiker: T_αβ(B) = T_βα(−B)).
    directed = len(couplings) > 2 and any(np.any(np.asarray(m).imag != 0)
                                          for m in (hamiltonian, *couplings.values()))
    h, gammas = without_dark_states(np.asarray(hamiltonian, dtype=complex),
                                     {k: np.asarray(g, dtype=complex) for k, g in couplings.items()})
    cache = _FiniteBandCache(h, gammas, width)
    lam = np.linalg.eigvals(h - 0.5j * cache.total)
    edge_scale = 1e-3 * width           # λ(E) is logarithmic at the edges: refine next to them
    centres = np.concatenate([lam.real, [-0.5 * width, 0.5 * width]])
    scales = np.concatenate([np.maximum(-lam.imag, 1e-3 * max(1.0, float(np.max(np.abs(lam))))),
                             [edge_scale, edge_scale]])
    names = list(gammas)
    out = {}
    for i, a in enumerate(names):
        for b in (names if directed else names[i + 1:]):
            if a == b:
                continue
            out[(a, b)] = Transmission(lambda e, _a=a, _b=b: cache.transmission(e, _a, _b),
                                       centres=centres, scales=scales,
                                       breakpoints=[-0.5 * width, 0.5 * width],
                                       support=(-0.5 * width, 0.5 * width),
                                       description=(f"Caroli, flat band W={width:g}, from {b!r} to {a!r}" if directed
                                                    else f"Caroli, flat band W={width:g}, between {a!r} and {b!r}"))
    return out

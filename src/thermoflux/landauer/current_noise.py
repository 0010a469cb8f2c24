"""Zero-frequency current noise of a Landauer junction (thermal plus shot noise).

Noise here is S_αβ = ∫ dt ⟨δI_α(t) δI_β(0)⟩ (symmetrized), so S_αα is the scaled second
cumulant κ_2 of :meth:`~thermoflux.landauer.Junction.current_cumulants` (tested), and at equilibrium
S_αα = 2 T G (fluctuation–dissipation; tested).

Two terminals (σ = +1 fermions, −1 bosons):

    S_LL = (1/2π) ∫ dE { T [f_L(1 − σf_L) + f_R(1 − σf_R)]  +  σ T(1 − T)(f_L − f_R)² }

with the first ("thermal") and second ("shot", partition) terms reported separately (for
bosons the partition term is negative: bunching enters through the thermal-like term).
Many terminals and channels, from S(E) (Büttiker, Phys. Rev. B 46, 12485 (1992)):

    S_αβ = (1/4π) Σ_γδ ∫ dE Tr[A_γδ(α) A_δγ(β)] [f_γ(1 − σf_δ) + f_δ(1 − σf_γ)],
    A_γδ(α) = 1_α δ_αγ δ_αδ − s_αγ† s_αδ,

with s_αγ the block of S from the channels of γ to those of α. S(E) is the user's, or the
one carried by the transmissions of :func:`from_hamiltonian` (Fisher–Lee), used whenever there
are more than two reservoirs or several channels in a lead (the two-terminal formula above
holds for one channel per lead).

Energy-current noise weights every integrand with E².
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from thermoflux.flows import Noise
from thermoflux.landauer.counting import counting_nodes
from thermoflux.landauer.quadrature import TWO_PI

if TYPE_CHECKING:
    from thermoflux.landauer.junction import Junction

# noise(self, ...) is the method Junction.noise (bound in junction.py), not listed here.
__all__: list[str] = []

_METHOD = "landauer"  # as in Junction.flows()


def noise(self: Junction, *, counting: str = "particle",
          scattering_matrix: Callable | None = None) -> Noise:
    """Zero-frequency current noise S_αβ (thermal + shot) of the junction.

    Büttiker's formula (:mod:`thermoflux.landauer.current_noise`); the junction must be one
    parameter point.

    Parameters
    ----------
    counting : {"particle", "energy"}, default "particle"
    scattering_matrix : callable, optional
        S(E), required for more than two reservoirs unless the junction's transmissions carry
        one (:func:`from_hamiltonian`); see :meth:`Junction.current_cumulants`.

    Returns
    -------
    thermoflux.Noise
        ``matrix`` of shape (N, N) over the junction's ``reservoirs`` (particles²/time, or
        energy²/time for energy counting; rows sum to zero by current conservation), with
        its ``thermal`` and ``shot`` parts for two single-channel terminals from T(E) (None
        when computed from S(E)).
    """
    names = list(self.reservoirs)
    grid, occ, holes, tvals, smat, sigma, weight, _, channels = counting_nodes(self, names[0], counting,
                                                                       scattering_matrix)
    w2 = weight ** 2
    if smat is None:
        a, b = names
        t = tvals[(b, a)]
        fa, fb = occ[a], occ[b]
        thermal_d = t * (fa * holes[a] + fb * holes[b]) * w2
        shot_d = sigma * t * (1 - t) * (fa - fb) ** 2 * w2
        (th, sh), _ = grid.integrate(np.stack([thermal_d, shot_d]))
        th, sh = th / TWO_PI, sh / TWO_PI
        sign = np.array([[1.0, -1.0], [-1.0, 1.0]])
        return Noise(tuple(names), (th + sh) * sign, counting, th * sign, sh * sign, method=_METHOD)
    f = np.stack([occ[k] for k in channels], axis=-1)                 # (M, N) over channels
    # A(α)_γδ = 1_α δ_αγ δ_αδ − s_αγ† s_αδ over channels γ, δ: the channel form
    # δ_cγ δ_cδ − S*_cγ S_cδ summed over the channels c of α, shape (M, α, γ, δ)
    member = np.array([[k == a for k in channels] for a in names], dtype=float)   # (α, c)
    amat = (member[:, :, None] * np.eye(len(channels)))[None] - np.einsum("ac,mcg,mcd->magd", member,
                                                                            smat.conj(), smat)
    hole_occ = np.stack([holes[k] for k in channels], axis=-1)
    occ_pair = f[:, :, None] * hole_occ[:, None, :]                    # f_γ(1 − σ f_δ)
    occ_sym = occ_pair + np.swapaxes(occ_pair, 1, 2)
    dens = np.einsum("mags,mbsg,mgs->mab", amat, amat, occ_sym).real * w2[:, None, None]
    vals, _ = grid.integrate(np.moveaxis(dens, 0, -1))
    return Noise(tuple(names), vals / (2 * TWO_PI), counting, method=_METHOD)

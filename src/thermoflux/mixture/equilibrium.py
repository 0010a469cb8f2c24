"""Is a mixture state an equilibrium state? (seed 000, eqs. 51–52 and Sec. 3.4).

Two different statements are checked:

* KMS: the two-point function (eq. 39) is that of a Gibbs state iff d_mix(k) is one
  Fermi/Bose function of ω(k), which happens iff every reservoir that is exchanged with at some
  momentum has the same β and μ — case (a), eq. 51.
* No transport: the currents and the entropy production vanish. This holds in case (a) and
  also when every imbalance vanishes, I_i(k) = 0 (even weights), case (b), eq. 52, even though
  the state is then not KMS when the reservoirs differ.

:func:`equilibrium_check` is bound as the method ``MixtureState.equilibrium_check``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from thermoflux._validation import as_positive

if TYPE_CHECKING:
    from thermoflux.mixture.state import MixtureState

# equilibrium_check is a MixtureState method (bound in state.py), not listed here.
__all__ = ["EquilibriumCheck"]


@dataclass(frozen=True)
class EquilibriumCheck:
    """Result of :meth:`MixtureState.equilibrium_check <thermoflux.mixture.MixtureState.equilibrium_check>`.

    Attributes
    ----------
    kms : bool
        The two-point function satisfies the KMS condition (case (a), eq. 51).
    balanced : bool
        Every imbalance I_i(k) vanishes on the check grid (case (b), eq. 52).
    currents_vanish : bool
        |⟨j⟩| and |⟨ϑ⟩| below rtol times their scale ∫ dk/2π |v| d_mix (and ω-weighted).
    entropy_production_vanishes : bool
        |⟨Ṡ⟩| below rtol times its scale (two reservoirs; True otherwise when balanced or KMS).
    case : str
        "a", "b", "a+b" or "" (not in equilibrium).
    """

    kms: bool
    balanced: bool
    currents_vanish: bool
    entropy_production_vanishes: bool
    case: str

    @property
    def is_equilibrium(self) -> bool:
        """True when currents and entropy production vanish (cases (a) or (b))."""
        return self.currents_vanish and self.entropy_production_vanishes


def equilibrium_check(self: MixtureState, *, rtol: float = 1e-10) -> EquilibriumCheck:
    """Tell whether a (scalar-parameter) mixture state is an equilibrium state.

    Parameters
    ----------
    rtol : float, default 1e-10
        Relative tolerance of "vanishes": quadrature errors are ~1e-13 relative.

    Returns
    -------
    EquilibriumCheck

    Notes
    -----
    Seed 000, after eq. 41 (KMS only for β_1 = β_2, μ_1 = μ_2) and eqs. 50–52, 96: the mean
    current and entropy production vanish in cases (a) and (b).
    """
    state = self
    rtol = as_positive(rtol, "rtol")
    g = state.grid
    used = [np.any(np.asarray(state.weights[i](state.check_momenta())) > 0) for i in range(len(state.names))]
    params = {(float(np.max(state.betas[i])), float(np.max(state.mus[i])),
               float(np.min(state.betas[i])), float(np.min(state.mus[i])))
              for i in range(len(state.names)) if used[i]}
    kms = len(params) == 1
    k = state.check_momenta()
    balanced = all(np.all(np.asarray(state.imbalance(k, i)) == 0.0) for i in range(len(state.names)))
    speed = np.abs(g.velocity)
    scale_j = np.asarray(g.integrate(speed * (g.d_plus + g.d_minus)))
    scale_e = np.asarray(g.integrate(speed * g.omega * (g.d_plus + g.d_minus)))
    currents = bool(np.all(np.abs(state.particle_current()) <= rtol * scale_j)
                    and np.all(np.abs(state.energy_current()) <= rtol * scale_e))
    if len(state.names) == 2:
        x, occ = g.log_odds, g.occupation
        scale_s = np.asarray(g.integrate(speed * np.abs((x[1] - x[0]) * (occ[0] - occ[1]))))
        entropy = bool(np.all(np.abs(state.entropy_production()) <= rtol * scale_s + 1e-300))
    else:
        entropy = kms or balanced
    case = "+".join(c for c, ok in (("a", kms), ("b", balanced)) if ok)
    return EquilibriumCheck(kms, balanced, currents, entropy, case)

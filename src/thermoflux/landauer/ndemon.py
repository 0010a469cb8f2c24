"""The N-demon heat pump of seed 004 (Sec. V, App. C), built on the general Landauer junction.

Three reservoirs meet in a conductor: a hot (h) and a cold (c) Fermi reservoir at a common
chemical potential μ0, and a non-thermal reservoir l (the "N-demon"). Boxcar transmissions
(eq. C2) of width Γ connect h–l at ε1, ε2 and c–l at ε3, ε4. The demon occupation of eqs.
20/C4,

    f_l(ε_{1,2}) = f_h(ε_{1,2}) ∓ R [f_c(ε4) − f_l(ε4)],   R = (ε3 − ε4)/(ε1 − ε2),
    f_l(ε3) = f_c(ε3) + f_c(ε4) − f_l(ε4),
    f_l(ε4) = 2 f_c(ε4) − f_c(ε3),

exchanges no particles and no energy with the conductor, yet pumps heat from c to h:

    ε̇_h = −(Γ/h)(ε3 − ε4)[f_c(ε3) − f_c(ε4)] >= 0        (eqs. 21/C6; into h),
    COP = ε̇_h / (T_h Ṡ_l)                                  (eq. 22, T0 = T_h),

with the closed form C10 and the limit COP → T_c/(3T_h − T_c) as ε4 → ε3 (eq. 24).

Seed typos (corrected here, tests in ``tests/landauer/test_ndemon.py``): eq. 23 prints both
logarithms with inverted arguments, i.e. −C10 (a negative COP); C10 is the right form
(``test_eq23_sign_typo``). Eq. C19 prints the C17 logarithm with its argument inverted but
keeps the limit −3/(k_B T_c); with the argument of C17 the limit is −3/(k_B T_c), with the
inverted one +3/(k_B T_c) (``test_c16_c19_limits``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from thermoflux._validation import as_finite, as_positive, as_real_array, check_choice
from thermoflux.distributions import FermiDirac, NonThermal, log_odds_from_occupation
from thermoflux.errors import InputError
from thermoflux.flows import Flows, MachinePerformance, machine_performance
from thermoflux.landauer.junction import TWO_PI, Junction
from thermoflux.landauer.transmissions import boxcar

__all__ = ["NDemon", "n_demon"]


@dataclass(frozen=True)
class NDemon:
    """The N-demon heat pump of seed 004 for one set of parameters (build with :func:`n_demon`).

    Attributes
    ----------
    t_hot, t_cold, mu0 : float
        Temperatures of h and c (T_h > T_c) and their common chemical potential μ0.
    energies : ndarray, shape (4,)
        Resonance centres ε1, ε2 (h–l) and ε3, ε4 (c–l).
    width : float
        Boxcar width Γ.
    demon_occupations : ndarray, shape (4,)
        f_l(ε_i) of eqs. 20/C4.
    physical : bool
        Whether 0 <= f_l(ε_i) <= 1 for all four (seed 004, Sec. V); if not, the demon cannot
        pump heat under these conditions and no distribution is built.
    profile : {"flat", "matched"}
        Demon occupation inside the windows: "flat" holds f_l(ε_i) constant across window i
        (the seed's assumption that distributions are constant over Γ); "matched" uses
        f_l(E) = f_r(E) + [f_l(ε_i) − f_r(ε_i)], so that the demon conditions J^N_l = J^E_l = 0
        and the power C6 hold exactly for any Γ.
    """

    t_hot: float
    t_cold: float
    mu0: float
    energies: np.ndarray
    width: float
    demon_occupations: np.ndarray
    physical: bool
    profile: str = "flat"

    # -- closed forms -------------------------------------------------------------------------
    def _fc(self, e: Any) -> np.ndarray:
        return FermiDirac(temperature=self.t_cold, mu=self.mu0).occupation(e)

    def _fh(self, e: Any) -> np.ndarray:
        return FermiDirac(temperature=self.t_hot, mu=self.mu0).occupation(e)

    def power_closed_form(self) -> float:
        """ε̇_h = −(Γ/2π)(ε3 − ε4)[f_c(ε3) − f_c(ε4)] (seed 004, eqs. 21/C6).

        Returns
        -------
        float
            Energy (= heat, since μ_h = μ_c and no net particles flow) per unit time INTO the
            hot reservoir, ħ = 1 (h = 2π): the seed's sign. In thermoflux's convention this is
            −J^E_h = J^E_c.
        """
        e1, e2, e3, e4 = self.energies
        return float(-(self.width / TWO_PI) * (e3 - e4) * (self._fc(e3) - self._fc(e4)))

    def cop_closed_form(self) -> float:
        """COP of eq. C10 with T0 = T_h (seed 004).

        COP = [T_h/(ε1−ε2) · ln(((1−f2)/(1−f1)) f1/f2) + T_h/(ε3−ε4) · ln(((1−f3)/(1−f4)) f4/f3)]^{-1}
        with f_i = f_l(ε_i). Eq. 23 of the seed prints the arguments inverted (−C10).
        """
        if not self.physical:
            raise InputError("the N-demon occupations are not physical (0 <= f_l <= 1 fails); no COP")
        x = log_odds_from_occupation(self.demon_occupations, "fermion")   # ln((1-f)/f)
        e1, e2, e3, e4 = self.energies
        inv = self.t_hot * ((x[1] - x[0]) / (e1 - e2) + (x[2] - x[3]) / (e3 - e4))
        return float(1.0 / inv)

    # -- through the general engine -----------------------------------------------------------
    def distribution(self) -> NonThermal:
        """The demon's occupation f_l(E) as a :class:`~thermoflux.NonThermal` distribution.

        Inside window i it follows :attr:`profile`; outside the windows (where no transmission
        reaches the demon, so nothing depends on it) it equals the hot reservoir's occupation.
        """
        if not self.physical:
            raise InputError("the N-demon occupations are not physical (0 <= f_l <= 1 fails); "
                             "the demon cannot pump heat at these parameters")
        lows = self.energies - 0.5 * self.width
        highs = self.energies + 0.5 * self.width
        values = self.demon_occupations
        shifts = values - np.array([self._fh(self.energies[0]), self._fh(self.energies[1]),
                                    self._fc(self.energies[2]), self._fc(self.energies[3])])
        matched = self.profile == "matched"
        fh, fc = self._fh, self._fc

        def occupation(e: np.ndarray) -> np.ndarray:
            e = np.asarray(e, dtype=float)
            out = fh(e)
            for i in range(4):
                inside = (e >= lows[i]) & (e < highs[i])
                if matched:
                    base = fh(e) if i < 2 else fc(e)
                    out = np.where(inside, base + shifts[i], out)
                else:
                    out = np.where(inside, values[i], out)
            return out

        if matched:
            # f_r is monotonic, so f_r + shift is extreme at the window edges.
            f_edges = occupation(np.concatenate([lows, highs - 1e-12 * self.width]))
            if np.any(f_edges < 0) or np.any(f_edges > 1):
                raise InputError("profile='matched': f_r(E) + shift leaves [0, 1] inside a window; "
                                 "use a smaller width or profile='flat'")
        return NonThermal(occupation, "fermion", mu=self.mu0)

    def junction(self) -> Junction:
        """The three-terminal :class:`Junction` h, c, l with the boxcars of eq. C2."""
        res = {"h": FermiDirac(temperature=self.t_hot, mu=self.mu0),
               "c": FermiDirac(temperature=self.t_cold, mu=self.mu0),
               "l": self.distribution()}
        trans = {("h", "l"): boxcar(self.energies[:2], self.width),
                 ("c", "l"): boxcar(self.energies[2:], self.width)}
        return Junction(res, trans)

    def flows(self) -> Flows:
        """Flows of h, c and the demon l through the general engine (thermoflux signs)."""
        return self.junction().flows()

    def performance(self, flows: Flows | None = None) -> MachinePerformance:
        """Second-law performance of the heat pump (seed 004, eq. 16) with T0 = T_h.

        ``ratio`` = COP / COP_Carnot <= 1, COP_Carnot = T_c/(T_h − T_c).
        """
        flows = self.flows() if flows is None else flows
        return machine_performance(flows, "heat_pump", reference_temperature=self.t_hot,
                                   reference_mu=self.mu0)

    def cop(self, flows: Flows | None = None) -> float:
        """COP = J^Q_c / (T_h dS_l/dt) from the engine's flows (seed 004, eq. 22)."""
        flows = self.flows() if flows is None else flows
        return flows.heat["c"] / (self.t_hot * flows.entropy["l"])


def n_demon(t_hot: float, t_cold: float, mu0: float, energies: Any, width: float, *,
            profile: str = "flat") -> NDemon:
    """Build the N-demon heat pump of seed 004 (eqs. 20/C4 for f_l; eq. C2 transmissions).

    Parameters
    ----------
    t_hot, t_cold : float
        Temperatures, T_h > T_c > 0.
    mu0 : float
        Common chemical potential of h and c.
    energies : array_like, shape (4,)
        ε1, ε2 (h–l windows) and ε3, ε4 (c–l windows); ε1 ≠ ε2, ε3 ≠ ε4.
    width : float
        Window width Γ > 0; the four windows must not overlap.
    profile : {"flat", "matched"}, default "flat"
        Demon occupation inside the windows (see :class:`NDemon`).

    Returns
    -------
    NDemon
        With ``physical`` telling whether 0 <= f_l(ε_i) <= 1.

    Notes
    -----
    Seed 004, eqs. 20–24 and C1–C10. The closed forms C6 (power) and C10 (COP) assume the
    distributions constant over each window, so the engine agrees with them up to O(Γ²)
    relative corrections ("flat"), or exactly for the power ("matched").
    """
    t_hot = as_positive(t_hot, "t_hot")
    t_cold = as_positive(t_cold, "t_cold")
    if not t_cold < t_hot:
        raise InputError(f"t_cold must be below t_hot; got t_hot={t_hot}, t_cold={t_cold}")
    mu0 = as_finite(mu0, "mu0")
    e = as_real_array(energies, "energies", ndim=1)
    if e.shape != (4,):
        raise InputError(f"energies must hold ε1, ε2, ε3, ε4; got shape {e.shape}")
    if e[0] == e[1] or e[2] == e[3]:
        raise InputError(f"energies: need ε1 ≠ ε2 and ε3 ≠ ε4; got {e.tolist()}")
    width = as_positive(width, "width")
    srt = np.sort(e)
    if np.any(np.diff(srt) < width):
        raise InputError(f"width: the windows of width {width} around {e.tolist()} overlap")
    check_choice(profile, "profile", ("flat", "matched"))
    fh = FermiDirac(temperature=t_hot, mu=mu0).occupation(e[:2])
    fc = FermiDirac(temperature=t_cold, mu=mu0).occupation(e[2:])
    f4 = -fc[0] + 2 * fc[1]
    d = fc[1] - f4
    r = (e[2] - e[3]) / (e[0] - e[1])
    f = np.array([fh[0] - r * d, fh[1] + r * d, fc[0] + fc[1] - f4, f4])
    physical = bool(np.all((f >= 0) & (f <= 1)))
    return NDemon(t_hot, t_cold, mu0, e, width, f, physical, profile)

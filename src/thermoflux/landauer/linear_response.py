"""Linear response of a Landauer junction: Onsager matrix and thermoelectric coefficients.

Around the common equilibrium (T, μ) of a reference reservoir, small shifts δμ_β, δT_β of the
other reservoirs drive (currents out of reservoir α; σ = +1 fermions, −1 bosons)

    J^N_α = Σ_β G⁰_αβ δμ_β + G¹_αβ δT_β / T,     J^Q_α = Σ_β G¹_αβ δμ_β + G²_αβ δT_β / T,
    Gⁿ_αβ = −(1/2π) ∫ dE (E − μ)ⁿ (−∂f/∂E) [T_{α←β}(E) − δ_αβ Σ_γ T_{γ←α}(E)],

so the Onsager matrix for the forces X^N_β = δμ_β/T, X^Q_β = δT_β/T² is L = T [[G⁰, G¹],
[G¹, G²]] over the non-reference reservoirs; it is symmetric for a reciprocal conductor
(Onsager; tested), and reproduces the nonlinear currents for small biases (tested).

For two terminals, with I_n = (1/2π) ∫ (E − μ)ⁿ T(E)(−∂f/∂E) dE: conductance G = I_0,
thermopower S = I_1/(T I_0) (= −δμ/δT at zero current), electronic thermal conductance
κ = (I_2 − I_1²/I_0)/T, Lorenz ratio κ/(G T) → π²/3 (Wiedemann–Franz, Sommerfeld limit;
tested) and ZT = G S² T/κ. Units e = ħ = k_B = 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from thermoflux.errors import InputError
from thermoflux.landauer.quadrature import TWO_PI

if TYPE_CHECKING:
    from thermoflux.landauer.junction import Junction

# onsager_matrix(self, ...) is the method Junction.onsager_matrix (bound in junction.py).
__all__ = ["LinearResponse"]


@dataclass(frozen=True)
class LinearResponse:
    """Onsager matrix of a junction around the equilibrium of a reference reservoir.

    Attributes
    ----------
    reference : str
        The reservoir whose (T, μ) is the equilibrium.
    temperature, mu : float
        That equilibrium.
    reservoirs : tuple of str
        The other reservoirs, in the order of the blocks.
    matrix : ndarray, shape (2n, 2n)
        L = T [[G⁰, G¹], [G¹, G²]]: rows (J^N of each reservoir, then J^Q), columns (forces
        δμ/T, then δT/T²). Currents are positive out of the reservoir.
    """

    reference: str
    temperature: float
    mu: float
    reservoirs: tuple[str, ...]
    matrix: np.ndarray

    def _two_terminal(self) -> tuple[float, float, float]:
        if len(self.reservoirs) != 1:
            raise InputError("the thermoelectric coefficients are defined here for two-terminal junctions; "
                             f"this one has {len(self.reservoirs) + 1} reservoirs (use .matrix)")
        t = self.temperature
        return self.matrix[0, 0] / t, self.matrix[0, 1] / t, self.matrix[1, 1] / t

    @property
    def conductance(self) -> float:
        """G = I_0 = (1/2π) ∫ T(E)(−∂f/∂E) dE (particles per time per energy; e = ħ = 1)."""
        return self._two_terminal()[0]

    @property
    def thermopower(self) -> float:
        """Seebeck coefficient S = −δμ/δT at zero particle current = I_1/(T I_0)."""
        i0, i1, _ = self._two_terminal()
        return i1 / (self.temperature * i0)

    @property
    def thermal_conductance(self) -> float:
        """Electronic thermal conductance at zero particle current, κ = (I_2 − I_1²/I_0)/T."""
        i0, i1, i2 = self._two_terminal()
        return (i2 - i1 * i1 / i0) / self.temperature

    @property
    def lorenz_number(self) -> float:
        """Lorenz number L = κ/(G T); π²/3 in the Sommerfeld (Wiedemann–Franz) limit (k_B = e = 1)."""
        return self.thermal_conductance / (self.conductance * self.temperature)

    @property
    def figure_of_merit(self) -> float:
        """ZT = G S² T / κ (electronic part only)."""
        return self.conductance * self.thermopower ** 2 * self.temperature / self.thermal_conductance


def onsager_matrix(self: Junction, reference: str) -> LinearResponse:
    """Onsager matrix around the equilibrium (T, μ) of ``reference`` (:mod:`thermoflux.landauer.linear_response`).

    The junction must be one parameter point; its transmissions are used, and every reservoir
    is taken at the reference equilibrium.

    Parameters
    ----------
    reference : str
        A thermal reservoir of the junction.

    Returns
    -------
    LinearResponse
        With ``matrix`` L and, for two terminals, ``conductance``, ``thermopower``,
        ``thermal_conductance``, ``lorenz_number`` and ``figure_of_merit``.
    """
    self.require_point(reference, "reference", "onsager_matrix")
    ref = self.reservoirs[reference]
    if not ref.is_thermal:
        raise InputError(f"reference reservoir {reference!r} must be thermal (it sets the equilibrium)")
    temp, mu = float(ref.temperature), float(ref.mu)
    names = list(self.reservoirs)
    equilibrium = {k: ref for k in names}
    grid, occ, _, tvals, _ = self.quadrature_nodes(equilibrium, self.transmission, None)
    energies = grid.flat_energies
    f = occ[reference]
    sigma = 1.0 if self.statistics == "fermion" else -1.0
    minus_df = f * (1.0 - sigma * f) / temp                 # −∂f/∂E, from the occupation
    n = len(names)
    kernel = np.zeros((n, n) + energies.shape)
    for (a, b), t in tvals.items():                          # key (a, b): T_{a←b}
        ia, ib = names.index(a), names.index(b)
        kernel[ia, ib] -= t
        kernel[ib, ib] += t                                  # Σ_γ T_{γ←b} on the diagonal of b
    x = energies - mu
    stacked = np.stack([kernel * minus_df, kernel * minus_df * x, kernel * minus_df * x * x])
    g, _ = grid.integrate(stacked)
    g = g / TWO_PI                                           # (3, n, n): G⁰, G¹, G²
    keep = [i for i, k in enumerate(names) if k != reference]
    sub = g[:, keep][:, :, keep]
    matrix = temp * np.block([[sub[0], sub[1]], [sub[1], sub[2]]])
    return LinearResponse(reference, temp, mu, tuple(names[i] for i in keep), matrix)

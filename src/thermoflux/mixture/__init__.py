"""Mixture states of free fields between reservoirs (seed 000, Mintchev): flows, fluctuations, response.

For a free field on a line whose momentum modes are exchanged with N >= 2 Gibbs reservoirs with
probabilities w_i(k): d_mix(k) = Σ_i w_i(k) d_i(ω(k)). Start with ``state = MixtureState(
{"hot": FermiDirac(temperature=2.0), "cold": FermiDirac(temperature=0.5)}, step_weights(0.5, 0.0))``,
then ``state.flows()``; ``noise()``, ``current_cumulants()``, ``lorenz_number()``, ... are methods.

Units ħ = k_B = e = 1. Currents of a reservoir are positive out of the reservoir into the
system; the bulk current is positive from gate G_1 (reservoir 0) to G_2 (reservoir 1).
"""

from __future__ import annotations

from thermoflux.mixture.equilibrium import EquilibriumCheck
from thermoflux.mixture.state import MixtureState
from thermoflux.mixture.weights import WeightFunction, check_weights, gaussian_weights, step_weights

__all__ = [
    "MixtureState",
    "WeightFunction",
    "step_weights",
    "gaussian_weights",
    "check_weights",
    "EquilibriumCheck",
]

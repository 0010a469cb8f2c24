"""Finite baths: exact correlation-matrix dynamics and the entropy-production decomposition (seed 001).

A quadratic fermionic system tunnel-coupled to baths of finitely many free modes is evolved
exactly through its single-particle correlation matrix, from the first instants to global
thermalization, with the entropy production Σ = I_SB + I_LR + Σ_ν I_oν + D*_env and its
information-theoretic contributions at every time (Usui, Ptaszyński, Esposito, Strasberg).
"""

from __future__ import annotations

from thermoflux.finite_baths.dynamics import Propagator, correlation_matrix
from thermoflux.finite_baths.ensembles import pure_state_ensemble, window_average
from thermoflux.finite_baths.model import QuadraticModel, resonant_level, wide_band_coupling
from thermoflux.finite_baths.rates import flows
from thermoflux.finite_baths.secular import compression_eigenvalues
from thermoflux.finite_baths.simulate import (
    currents,
    global_bath_parameters,
    global_equilibrium,
    simulate,
)
from thermoflux.finite_baths.states import (
    InitialState,
    diagonal_state,
    sampled_pure_state,
    thermal_state,
)
from thermoflux.finite_baths.temperatures import effective_beta_mu

__all__ = [
    "QuadraticModel",
    "resonant_level",
    "wide_band_coupling",
    "InitialState",
    "thermal_state",
    "sampled_pure_state",
    "diagonal_state",
    "Propagator",
    "correlation_matrix",
    "effective_beta_mu",
    "compression_eigenvalues",
    "simulate",
    "flows",
    "currents",
    "global_equilibrium",
    "global_bath_parameters",
    "pure_state_ensemble",
    "window_average",
]

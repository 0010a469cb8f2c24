"""Finite baths: exact correlation-matrix dynamics and the entropy-production decomposition (seed 001).

Use it for a quadratic fermionic system between baths of finitely many modes, from t = 0 to thermalization.
Start: ``m = resonant_level(60, 10.0, 3.0)``, then ``simulate(m, thermal_state(m, {"L": FermiDirac(beta=10.0, mu=1.0), "R": FermiDirac(beta=2.0, mu=-1.0)}), times)``.

The system's single-particle correlation matrix is evolved exactly, with the entropy production
Σ = I_SB + I_LR + Σ_ν I_oν + D*_env and its information-theoretic contributions at every time
(Usui, Ptaszyński, Esposito, Strasberg); :func:`flows` gives the :class:`~thermoflux.Flows` at a
time or averaged over a window. Advanced building blocks stay importable from their modules:
:mod:`~thermoflux.finite_baths.dynamics` (``Propagator``, ``correlation_matrix``),
:mod:`~thermoflux.finite_baths.secular` (``compression_eigenvalues``),
:mod:`~thermoflux.finite_baths.simulate` (``currents``, ``global_equilibrium``,
``global_bath_parameters``) and :mod:`~thermoflux.finite_baths.ensembles` (``window_average``).
"""

from __future__ import annotations

from thermoflux.finite_baths.ensembles import pure_state_ensemble
from thermoflux.finite_baths.model import QuadraticModel, resonant_level, wide_band_coupling
from thermoflux.finite_baths.rates import flows
from thermoflux.finite_baths.simulate import simulate
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
    "simulate",
    "flows",
    "pure_state_ensemble",
    "effective_beta_mu",
]

"""Weak-coupling (stochastic-limit, GKSL/Pauli) master equations of a discrete system between fields (seed 002).

Use it for a few-level system, interactions included, weakly coupled to bosonic fields or fermionic leads.
Start: ``StochasticLimit(System(energies, {"L": D}), {"L": Field(FermiDirac(beta=..., mu=...), 0.1)}).flows()``.
"""

from __future__ import annotations

from thermoflux.master_equation.linear_response import (
    finite_difference_onsager,
    linear_entropy_production,
    onsager_coefficients,
)
from thermoflux.master_equation.stochastic_limit import StochasticLimit
from thermoflux.master_equation.system import Field, System

__all__ = [
    "System",
    "Field",
    "StochasticLimit",
    "onsager_coefficients",
    "linear_entropy_production",
    "finite_difference_onsager",
]

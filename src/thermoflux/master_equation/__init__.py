"""Stochastic-limit master equations with micro-currents, detailed balance and local KMS (seed 002).

A discrete quantum system coupled weakly to several fields (bosonic, with any distribution or a
temperature function, or fermionic leads): the GKSL generator of the stochastic limit, the Pauli
rates, stationary states, evolution, one micro-current per field and Bohr frequency, the tests of
detailed balance, dynamical detailed balance and the local KMS condition, Onsager coefficients and
the three-level examples of Accardi & Imafuku (seed 002).
"""

from __future__ import annotations

from thermoflux.master_equation.balance import (
    backward_generator,
    detailed_balance_defect,
    dynamical_detailed_balance_residual,
    forward_generator,
    gibbs_domination,
    has_inverted_populations,
    kms_adjoint,
    kolmogorov_residual,
    local_kms_residual,
    satisfies_detailed_balance,
    schrodinger_generator,
    temperature_function,
)
from thermoflux.master_equation.linear_response import (
    finite_difference_onsager,
    linear_entropy_production,
    onsager_coefficients,
)
from thermoflux.master_equation.stochastic_limit import StochasticLimit
from thermoflux.master_equation.system import Field, System
from thermoflux.master_equation.three_level import (
    cycle_affinity,
    inversion_condition,
    printed_eq109a,
    rate_matrix_eq103,
    spanning_tree_sum,
    three_level_currents,
    three_level_model,
    three_level_rates,
)

__all__ = [
    "System",
    "Field",
    "StochasticLimit",
    "kolmogorov_residual",
    "satisfies_detailed_balance",
    "has_inverted_populations",
    "gibbs_domination",
    "temperature_function",
    "local_kms_residual",
    "forward_generator",
    "backward_generator",
    "schrodinger_generator",
    "kms_adjoint",
    "detailed_balance_defect",
    "dynamical_detailed_balance_residual",
    "onsager_coefficients",
    "linear_entropy_production",
    "finite_difference_onsager",
    "three_level_model",
    "three_level_rates",
    "cycle_affinity",
    "spanning_tree_sum",
    "three_level_currents",
    "printed_eq109a",
    "rate_matrix_eq103",
    "inversion_condition",
]

"""thermoflux: thermodynamics of quantum systems exchanging particles and energy with reservoirs.

The top level holds the shared vocabulary: reservoir distributions, :class:`Flows` and the
efficiency bounds, the zero-frequency :class:`Noise` matrix, the entropy functions
(``thermoflux.entropy``) and the error types. Each method lives in its own subpackage (``thermoflux.landauer``, ``thermoflux.mixture``,
``thermoflux.finite_baths``, ``thermoflux.master_equation``, ``thermoflux.harmonic_networks``).

A run config (the TOML of ``thermoflux run``, DESIGN.md "Run configs") runs with
:func:`run_config` and is audited with :func:`audit_config`.

Units: ħ = k_B = e = 1 (so h = 2π). Currents of a reservoir are positive when they flow out of
the reservoir into the system.
"""

from __future__ import annotations

from thermoflux import entropy
from thermoflux.configs import audit_config, run_config
from thermoflux.distributions import (
    BoseEinstein,
    Distribution,
    FermiDirac,
    NonThermal,
    Tabulated,
    TemperatureFunction,
)
from thermoflux.errors import ConvergenceError, InputError, ThermodynamicsWarning
from thermoflux.flows import (
    Flows,
    MachinePerformance,
    Noise,
    carnot_cop,
    carnot_efficiency,
    exergy_rates,
    heat_engine_efficiency,
    machine_performance,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "entropy",
    "Distribution",
    "FermiDirac",
    "BoseEinstein",
    "NonThermal",
    "Tabulated",
    "TemperatureFunction",
    "Flows",
    "Noise",
    "MachinePerformance",
    "exergy_rates",
    "machine_performance",
    "heat_engine_efficiency",
    "carnot_efficiency",
    "carnot_cop",
    "InputError",
    "ConvergenceError",
    "ThermodynamicsWarning",
    "run_config",
    "audit_config",
]

"""One system, every method: describe a system once and compare the methods on it (issue 10).

An :class:`OpenSystem` (a single-particle Hamiltonian, the statistics, reservoirs with
distributions and level-width matrices Γ_α, optionally a bandwidth and, for fermions, an
interaction) runs through every method whose physics applies — Landauer (exact for a quadratic
system), the master equation (weak coupling; alone once there is an interaction), finite baths
(as K and W grow) and harmonic networks (bosons) — and :func:`compare` returns their flows side by
side with the parameter that controls each method's validity.

This subpackage is the one place in the library, besides ``tests/crosscheck``, allowed to import
several methods (DESIGN.md: methods never depend on each other). Only ``landauer`` is imported
with the package (its ``Transmission`` carries the finite-band transmissions of ``bands.py``);
the other methods are imported inside their runners.
"""

from __future__ import annotations

from thermoflux.compare.compare import (
    DIFFERENCE_FLOOR,
    REFERENCE,
    compare,
    relative_difference,
    scan,
    table,
)
from thermoflux.compare.bands import finite_band_transmissions
from thermoflux.compare.config import load_system, system_from_config
from thermoflux.compare.fock import FockBasis, fock_basis
from thermoflux.compare.runners import (
    METHODS,
    MethodResult,
    Validity,
    applicability,
    run_finite_baths,
    run_harmonic_networks,
    run_landauer,
    run_master_equation,
)
from thermoflux.compare.system import OpenSystem, Reservoir

__all__ = [
    "OpenSystem",
    "Reservoir",
    "compare",
    "scan",
    "table",
    "relative_difference",
    "REFERENCE",
    "DIFFERENCE_FLOOR",
    "METHODS",
    "MethodResult",
    "Validity",
    "applicability",
    "run_landauer",
    "run_master_equation",
    "run_finite_baths",
    "run_harmonic_networks",
    "finite_band_transmissions",
    "FockBasis",
    "fock_basis",
    "system_from_config",
    "load_system",
]

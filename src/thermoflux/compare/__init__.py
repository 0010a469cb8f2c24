"""One system, every method: describe an open system once and compare the methods on it (issue 10).

Use it to see which of Landauer, master equation, finite baths, harmonic networks apply, and if they agree.
Start: ``ds = compare(OpenSystem(h, "fermion", {"L": (FermiDirac(beta=1.0, mu=0.5), 0.1), "R": ...}))``, ``table(ds)``.
"""

from __future__ import annotations

from thermoflux.compare.compare import compare, scan, table
from thermoflux.compare.config import load_system
from thermoflux.compare.runners import METHODS, MethodResult, Validity, applicability
from thermoflux.compare.system import OpenSystem, Reservoir

__all__ = [
    "OpenSystem",
    "Reservoir",
    "compare",
    "scan",
    "table",
    "METHODS",
    "MethodResult",
    "Validity",
    "applicability",
    "load_system",
]

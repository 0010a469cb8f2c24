"""Regenerate the seed papers' figures and check their claims: one module per seed.

Each module ``seedNNN`` defines ``SEED``, ``TITLE`` and ``reproduce(outdir, *, full=False)``
returning a :class:`Report`. ``full=False`` runs reduced sizes in seconds to a minute;
``full=True`` uses the paper's sizes. A module whose full run is long also takes ``resume=False``
and keeps a checkpoint under ``outdir`` (seed 001; the gallery passes ``resume`` only to those).
``thermoflux reproduce`` runs them and writes an index.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["Claim", "Report", "SEEDS", "available", "load", "worst_error_ratio"]

#: seed number -> module name, in the order of ``shared/seeds``; then ``"methods"``, the
#: cross-method page (one system through every method, :mod:`thermoflux.reproduce.methods`).
SEEDS = {
    "000": "seed000",
    "001": "seed001",
    "002": "seed002",
    "003": "seed003",
    "004": "seed004",
    "methods": "methods",
}


@dataclass(frozen=True)
class Claim:
    """One checkable claim of a paper: what it says, the value found, the value expected."""

    claim: str
    found: Any
    expected: Any
    passed: bool


@dataclass
class Report:
    """What one reproduction produced: figures written, claims checked, models audited.

    ``audits`` maps a label of a model the reproduction used ("three-level system, κ = 0.25")
    to its :class:`thermoflux.audit.Report`: where the paper's model stands against its
    method's regime (weak coupling, secular approximation, local baths...). The gallery shows
    them under the claims; they inform and do not decide whether the reproduction passed.
    """

    seed: str
    title: str
    figures: list[Path] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    audits: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """True when every claim passed."""
        return all(c.passed for c in self.claims)

    def claims_table(self) -> str:
        """The claims as text, one per line pair: ``[pass] claim`` / ``found ...; expected ...``."""
        from thermoflux.reproduce.gallery import format_value

        return "\n".join(f"[{'pass' if c.passed else 'FAIL'}] {c.claim}\n       found "
                          f"{format_value(c.found)}; expected {format_value(c.expected)}"
                          for c in self.claims)


def worst_error_ratio(found: Any, reference: Any, *, rtol: float, atol: Any) -> float:
    """max |found − reference| / (rtol·|reference| + atol) over all points; <= 1 means all agree.

    The well-posed form of a relative comparison when a reference can be exactly 0 (a current
    at detailed balance): there ``|found|`` is rounding of the quantity's own scale and must be
    compared with the absolute floor ``atol`` (> 0, scalar or per point, stated by the caller
    with its reason), not divided by ``|reference|``.
    """
    import numpy as np

    from thermoflux.errors import InputError

    found, reference = np.asarray(found, dtype=float), np.asarray(reference, dtype=float)
    bound = rtol * np.abs(reference) + np.asarray(atol, dtype=float)
    if np.any(bound <= 0):
        raise InputError(f"atol must be a positive absolute floor (rtol*|reference| + atol > 0); got atol={atol!r}")
    return float(np.max(np.abs(found - reference) / bound))


def available() -> dict[str, ModuleType]:
    """The reproduction modules that are installed, by seed number."""
    out = {}
    for seed, name in SEEDS.items():
        try:
            out[seed] = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    return out


def load(seed: str) -> ModuleType:
    """The reproduction module of one seed ("004" or "4")."""
    from thermoflux.errors import InputError

    key = str(seed).zfill(3)
    modules = available()
    if key not in modules:
        raise InputError(f"seed must be one of {sorted(modules)}; got {seed!r}")
    return modules[key]

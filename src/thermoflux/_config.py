"""Validation of run configurations (parsed TOML), shared by every method's ``config.py`` (private).

Every error is an :class:`~thermoflux.InputError` whose message starts with the dotted key of
the offending value ("reservoirs.L.temperature: must be positive; got -1"), so that the command
line can print one line that names it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from numbers import Integral, Real
from typing import Any

import numpy as np

from thermoflux.distributions import BoseEinstein, FermiDirac
from thermoflux.errors import InputError

__all__ = ["table", "number", "integer", "numbers", "matrix", "choice", "thermal_distribution", "join"]


def join(prefix: str, key: Any) -> str:
    """Dotted path ``prefix.key`` (just ``key`` at the top level)."""
    return f"{prefix}.{key}" if prefix else str(key)


def table(value: Any, key: str, *, allowed: Collection[str] | None = None,
          required: Collection[str] = ()) -> Mapping[str, Any]:
    """A TOML table with only ``allowed`` keys (if given) and every ``required`` one."""
    if not isinstance(value, Mapping):
        raise InputError(f"{key or 'config'}: must be a table; got {value!r}")
    if allowed is not None:
        extra = sorted(set(value) - set(allowed))
        if extra:
            raise InputError(f"{join(key, extra[0])}: unknown key (allowed: {', '.join(sorted(allowed))})")
    missing = sorted(set(required) - set(value))
    if missing:
        raise InputError(f"{join(key, missing[0])}: missing")
    return value


def number(value: Any, key: str, *, positive: bool = False, nonnegative: bool = False,
           minimum: float | None = None, maximum: float | None = None) -> float:
    """A finite real number (booleans refused), optionally > 0, >= 0 or within [minimum, maximum]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise InputError(f"{key}: must be a number; got {value!r}")
    out = float(value)
    if not np.isfinite(out):
        raise InputError(f"{key}: must be finite; got {value!r}")
    if positive and out <= 0:
        raise InputError(f"{key}: must be positive; got {value!r}")
    if nonnegative and out < 0:
        raise InputError(f"{key}: must be non-negative; got {value!r}")
    if minimum is not None and out < minimum:
        raise InputError(f"{key}: must be >= {minimum}; got {value!r}")
    if maximum is not None and out > maximum:
        raise InputError(f"{key}: must be <= {maximum}; got {value!r}")
    return out


def integer(value: Any, key: str, *, minimum: int = 0) -> int:
    """An integer >= ``minimum`` (booleans refused)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral) or value < minimum:
        raise InputError(f"{key}: must be an integer >= {minimum}; got {value!r}")
    return int(value)


def numbers(value: Any, key: str, *, length: int | None = None, **checks: Any) -> list[float]:
    """A non-empty list of numbers (each checked as :func:`number`), of ``length`` if given."""
    if not isinstance(value, (list, tuple)) or not value:
        raise InputError(f"{key}: must be a non-empty list of numbers; got {value!r}")
    if length is not None and len(value) != length:
        raise InputError(f"{key}: must hold {length} numbers; got {len(value)}")
    return [number(v, f"{key}.{i}", **checks) for i, v in enumerate(value)]


def matrix(value: Any, key: str, *, shape: tuple[int, int] | None = None) -> np.ndarray:
    """A matrix given as a list of equal-length lists of numbers."""
    if (not isinstance(value, (list, tuple)) or not value
            or not all(isinstance(r, (list, tuple)) and len(r) == len(value[0]) for r in value)):
        raise InputError(f"{key}: must be a list of equal-length lists of numbers")
    out = np.array([[number(v, f"{key}.{i}.{j}") for j, v in enumerate(row)] for i, row in enumerate(value)])
    if shape is not None and out.shape != tuple(shape):
        raise InputError(f"{key}: must be a {shape[0]}x{shape[1]} matrix; got {out.shape[0]}x{out.shape[1]}")
    return out


def choice(value: Any, key: str, choices: Collection[str]) -> str:
    """One of ``choices``."""
    if value not in choices:
        raise InputError(f"{key}: must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value


def thermal_distribution(spec: Mapping[str, Any], key: str, statistics: str, *,
                         default_mu: float | None = 0.0) -> FermiDirac | BoseEinstein:
    """A Fermi-Dirac or Bose-Einstein distribution from ``temperature`` or ``beta`` and ``mu``.

    ``spec`` must already be a table (extra keys are the caller's business). Exactly one of
    ``temperature`` and ``beta`` is required; ``mu`` defaults to ``default_mu`` (None: required).
    """
    if ("beta" in spec) == ("temperature" in spec):
        raise InputError(f"{join(key, 'temperature')}: give exactly one of temperature or beta")
    if "mu" not in spec and default_mu is None:
        raise InputError(f"{join(key, 'mu')}: missing")
    mu = number(spec.get("mu", default_mu), join(key, "mu"))
    cls = FermiDirac if statistics == "fermion" else BoseEinstein
    if "beta" in spec:
        return cls(beta=number(spec["beta"], join(key, "beta"), positive=True), mu=mu)
    return cls(temperature=number(spec["temperature"], join(key, "temperature"), positive=True), mu=mu)

"""Validation of run configurations (parsed TOML), shared by every method's ``config.py`` (private).

Every error is an :class:`~thermoflux.InputError` whose message starts with the dotted key of
the offending value ("reservoirs.L.temperature: must be positive; got -1"), so that the command
line can print one line that names it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from numbers import Integral, Real
from typing import Any

import numpy as np

from thermoflux.distributions import STATISTICS, BoseEinstein, Distribution, FermiDirac, Tabulated
from thermoflux.errors import InputError

__all__ = ["table", "number", "integer", "numbers", "matrix", "choice", "reservoir", "built", "join",
           "RESERVOIR_KEYS"]

#: the keys of a ``[reservoirs.NAME]`` table that :func:`reservoir` reads (a method adds its own).
RESERVOIR_KEYS = frozenset({"statistics", "temperature", "beta", "mu", "occupation"})


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


def built(key: str, factory: Callable[..., Any], *args: Any, keys: Mapping[str, str] | None = None,
          **kwargs: Any) -> Any:
    """``factory(*args, **kwargs)``, its :class:`~thermoflux.InputError` led by a dotted key.

    A config module hands numbers to a constructor, which checks them; the error is reported
    once, naming the TOML key ("reservoirs.L.temperature: temperature of FermiDirac must be
    positive ..."), instead of being checked twice. ``keys`` maps the argument a message starts
    with (constructors name the argument first: "mass must be positive") to its dotted key;
    a message about one entry of ``key`` ("reservoirs['L'] must be ...") is led by that entry's
    key (``reservoirs.L``); other messages are led by ``key``.
    """
    try:
        return factory(*args, **kwargs)
    except InputError as exc:
        text = str(exc)
        head = text.split(" ", 1)[0].rstrip(":")
        entry = re.match(rf"{re.escape(key.rsplit('.', 1)[-1])}\[(['\"])(.+?)\1\]", head)
        where = join(key, entry.group(2)) if entry else (keys or {}).get(head, key)
        raise InputError(f"{where}: {text}") from exc


def reservoir(spec: Any, key: str, *, statistics: str | None = None, extra: Collection[str] = (),
              number_occupation: bool = False) -> Distribution | float:
    """The distribution of one ``[reservoirs.NAME]`` table: the one reservoir form of every method.

    Keys (DESIGN.md, "Run configs")::

        statistics = "fermion"     # or "boson"; required unless the method fixes it
        temperature = 0.5          # or beta = 2.0: a FermiDirac / BoseEinstein reservoir
        mu = 0.1                   # default 0.0 (thermal); the reference μ of an occupation
        occupation = { energies = [-1.0, 0.0, 1.0], values = [0.9, 0.5, 0.1] }
                                   # instead of temperature/beta: a Tabulated occupation

    Parameters
    ----------
    spec : mapping
        The reservoir's table.
    key : str
        Its dotted path (``"reservoirs.L"``), which leads every error message.
    statistics : {"fermion", "boson"}, optional
        The statistics the method fixes (finite baths: fermions; harmonic networks: bosons):
        then ``statistics`` may be omitted, and any other value is refused. None: required.
    extra : collection of str
        The method's own keys allowed in the table (couplings, sites, rates, ...).
    number_occupation : bool
        Also accept ``occupation = n``, one number, returned as a float: for methods that see a
        reservoir at one energy only (a harmonic bath at its site frequency).

    Returns
    -------
    Distribution or float
        :class:`~thermoflux.FermiDirac`, :class:`~thermoflux.BoseEinstein` or
        :class:`~thermoflux.Tabulated` (or the number ``occupation``).

    Raises
    ------
    InputError
        Led by the dotted key; the constructors' own checks (T > 0, physical occupations, ...)
        are reported through :func:`built`.
    """
    spec = table(spec, key, allowed=RESERVOIR_KEYS | set(extra))
    stats = _statistics(spec, key, statistics)
    thermal = "temperature" in spec or "beta" in spec
    if "occupation" in spec:
        if thermal:
            raise InputError(f"{join(key, 'occupation')}: give either an occupation or temperature/beta, not both")
        return _occupation(spec, key, stats, number_occupation)
    if "beta" in spec and "temperature" in spec:
        raise InputError(f"{join(key, 'temperature')}: give exactly one of temperature or beta")
    if not thermal:
        raise InputError(f"{join(key, 'temperature')}: missing; give temperature or beta (or an occupation)")
    mu = number(spec.get("mu", 0.0), join(key, "mu"))
    name = "beta" if "beta" in spec else "temperature"
    value = number(spec[name], join(key, name))
    cls = FermiDirac if stats == "fermion" else BoseEinstein
    return built(join(key, name), cls, mu=mu, **{name: value})


def _statistics(spec: Mapping[str, Any], key: str, fixed: str | None) -> str:
    """The reservoir's statistics: its own ``statistics`` key, or the one its method fixes."""
    where = join(key, "statistics")
    if "statistics" not in spec:
        if fixed is None:
            raise InputError(f'{where}: missing; give "fermion" or "boson"')
        return fixed
    stats = choice(spec["statistics"], where, STATISTICS)
    if fixed is not None and stats != fixed:
        raise InputError(f"{where}: this method's reservoirs are {fixed!r}; got {stats!r}")
    return stats


def _occupation(spec: Mapping[str, Any], key: str, statistics: str, allow_number: bool) -> Distribution | float:
    """A Tabulated distribution from the reservoir ``key``'s ``occupation = {energies, values}``
    (or one number, where allowed); ``mu``, if given, is its reference chemical potential."""
    where = join(key, "occupation")
    mu = number(spec["mu"], join(key, "mu")) if "mu" in spec else None
    if allow_number and not isinstance(spec["occupation"], Mapping):
        if mu is not None:
            raise InputError(f"{join(key, 'mu')}: only meaningful with temperature or beta")
        return number(spec["occupation"], where)
    tab = table(spec["occupation"], where, allowed={"energies", "values"}, required=("energies", "values"))
    energies = numbers(tab["energies"], join(where, "energies"))
    values = numbers(tab["values"], join(where, "values"))
    return built(where, Tabulated, energies, values, statistics, mu=mu)

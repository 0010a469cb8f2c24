"""Input validation shared by all entry points (private).

Every check raises :class:`thermoflux.InputError` with the argument's name, the value or shape
received and what was expected, so that bad input is refused before any heavy work starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from thermoflux.errors import InputError

__all__ = [
    "as_real_array",
    "as_finite",
    "as_positive",
    "check_hermitian",
    "check_occupations",
    "check_choice",
    "check_callable",
    "call_user",
    "describe",
]


def describe(value: Any) -> str:
    """A short description of a value for an error message."""
    if isinstance(value, np.ndarray):
        if value.size <= 4:
            return f"array {np.array2string(value, precision=6)}"
        return f"array of shape {value.shape}, dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_real_array(x: Any, name: str, *, ndim: int | None = None, finite: bool = True) -> np.ndarray:
    """Convert ``x`` to a float array, checking it is real, of the given ndim and finite."""
    try:
        arr = np.asarray(x)
    except Exception as exc:  # pragma: no cover - numpy accepts nearly anything
        raise InputError(f"{name} must be array-like; got {describe(x)}") from exc
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise InputError(f"{name} must be numeric; got {describe(x)}")
    if np.iscomplexobj(arr):
        if np.any(arr.imag != 0):
            raise InputError(f"{name} must be real; got complex values")
        arr = arr.real
    arr = arr.astype(float, copy=False)
    if ndim is not None and arr.ndim != ndim:
        raise InputError(f"{name} must be {ndim}-dimensional; got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        raise InputError(f"{name} must be finite; got {describe(arr)}")
    return arr


def as_finite(value: Any, name: str) -> float:
    """A finite real scalar."""
    if isinstance(value, bool) or not np.isscalar(value) and np.ndim(value) != 0:
        raise InputError(f"{name} must be a real number; got {describe(value)}")
    try:
        out = float(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must be a real number; got {describe(value)}") from exc
    if not np.isfinite(out):
        raise InputError(f"{name} must be finite; got {name}={out!r}")
    return out


def as_positive(value: Any, name: str, *, allow_zero: bool = False) -> float:
    """A finite scalar that is > 0 (or >= 0 with ``allow_zero``)."""
    out = as_finite(value, name)
    if out < 0 or (out == 0 and not allow_zero):
        what = "non-negative" if allow_zero else "positive"
        raise InputError(f"{name} must be {what} and finite; got {name}={out!r}")
    return out


def check_hermitian(matrix: Any, name: str, *, rtol: float = 1e-10) -> np.ndarray:
    """Check a square matrix is Hermitian to ``rtol * max(1, ||M||_max)``; return it as an array."""
    m = np.asarray(matrix)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise InputError(f"{name} must be a square matrix; got shape {m.shape}")
    if not np.issubdtype(m.dtype, np.number):
        raise InputError(f"{name} must be numeric; got dtype {m.dtype}")
    if not np.all(np.isfinite(m)):
        raise InputError(f"{name} must be finite")
    scale = max(1.0, float(np.max(np.abs(m))) if m.size else 1.0)
    deviation = float(np.max(np.abs(m - m.conj().T))) if m.size else 0.0
    if deviation > rtol * scale:
        raise InputError(
            f"{name} must be Hermitian; max |M - M^dagger| = {deviation:.3g} exceeds "
            f"{rtol:g} * max(1, max|M|) = {rtol * scale:.3g}"
        )
    return m


def check_occupations(f: Any, name: str, statistics: str, *, tol: float = 0.0) -> np.ndarray:
    """Check occupations are physical: 0 <= f <= 1 for fermions, f >= 0 for bosons.

    Values outside by at most ``tol`` are accepted unchanged (the caller decides whether to clip
    and says why); anything further out raises.
    """
    arr = as_real_array(f, name, finite=False)
    if np.any(np.isnan(arr)):
        raise InputError(f"{name} contains NaN")
    low = arr < -tol
    high = (arr > 1.0 + tol) if statistics == "fermion" else np.zeros_like(low)
    if np.any(low) or np.any(high):
        bad = arr[low | high]
        bound = "[0, 1]" if statistics == "fermion" else "[0, inf)"
        raise InputError(
            f"{name} must lie in {bound} for {statistics}s; got {bad.size} value(s) outside, "
            f"e.g. {bad.flat[0]!r}"
        )
    return arr


def check_choice(value: Any, name: str, choices: Iterable[str]) -> str:
    """Check ``value`` is one of ``choices``."""
    options = tuple(choices)
    if value not in options:
        raise InputError(f"{name} must be one of {', '.join(map(repr, options))}; got {value!r}")
    return value


def check_callable(f: Any, name: str) -> Callable:
    """Check ``f`` is callable."""
    if not callable(f):
        raise InputError(f"{name} must be callable; got {describe(f)}")
    return f


def call_user(f: Callable, name: str, *args: Any) -> Any:
    """Call a user-supplied function; a failure inside it is re-raised, chained, naming ``name``."""
    try:
        return f(*args)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"the user function given as {name} raised {type(exc).__name__}: {exc}") from exc

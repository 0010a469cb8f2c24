"""Momentum-dependent exchange probabilities w_i(k) of a mixture state (seed 000, Sec. 2.1).

The weights are the probabilities that a particle of momentum k is exchanged with reservoir i;
they satisfy Σ_i w_i(k) = 1 and w_i(k) >= 0 for every k (seed 000, eqs. 1 and 4). Their odd
part, the emission-absorption imbalance I_i(k) = w_i(k) − w_i(−k) (eq. 6), drives the state
away from equilibrium; Σ_i I_i(k) = 0 (eqs. 7 and 131).

A weight is any vectorized callable of momentum. The builders here return
:class:`WeightFunction` objects, which also carry the momenta where the weight changes
character (``breakpoints``), so that the quadrature puts panel edges there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from thermoflux._validation import as_finite, as_positive, call_user, check_callable, describe
from thermoflux.errors import InputError

__all__ = ["WeightFunction", "step_weights", "gaussian_weights", "check_weights"]

#: Tolerance on |Σ_i w_i(k) − 1|: a few roundings of numbers of order one.
SUM_TOLERANCE = 1e-12


class WeightFunction:
    """A vectorized weight w(k) with the momenta where it changes character.

    Parameters
    ----------
    function : callable
        Vectorized w(k) for real momenta k.
    breakpoints : sequence of float, optional
        Momenta (of either sign; their absolute values are used) where w or its derivatives
        jump or where w varies on a scale of its own; the quadrature puts panel edges at ±them.
    imbalance : callable, optional
        The exact odd part I(k) = w(k) − w(−k) (seed 000, eq. 6). Where w(k) and w(−k) agree
        to many digits (I(k) below ~1e-16 of w), their difference is pure rounding; with this
        callable the currents keep full relative accuracy there. It is checked against
        w(k) − w(−k) to 1e-12 on the state's check grid.
    description : str, optional
        Shown by ``repr``.
    """

    def __init__(self, function: Callable, *, breakpoints: Sequence[float] = (),
                 imbalance: Callable | None = None, description: str = "") -> None:
        self.function = check_callable(function, "function")
        self.breakpoints = tuple(abs(as_finite(b, "breakpoints")) for b in breakpoints)
        self.imbalance = None if imbalance is None else check_callable(imbalance, "imbalance")
        self.description = description or repr(function)

    def __call__(self, k: Any) -> np.ndarray:
        return self.function(np.asarray(k, dtype=float))

    def __repr__(self) -> str:
        return f"WeightFunction({self.description})"


def step_weights(c_plus: float, c_minus: float) -> list[WeightFunction]:
    """Scale-invariant step weights w_1 = (½ + c₊)θ(k) + (½ + c₋)θ(−k), w_2 = 1 − w_1.

    Parameters
    ----------
    c_plus, c_minus : float
        In [−½, ½]. Emission of reservoir 1 for k > 0 and k < 0.

    Returns
    -------
    list of WeightFunction
        ``[w_1, w_2]``; the imbalance is the constant I(k) = c₊ − c₋ (eq. 10).

    Notes
    -----
    Seed 000, eqs. 9–10. At k = 0 the value is the k > 0 one (a set of measure zero: no
    integral depends on it).
    """
    c_plus = as_finite(c_plus, "c_plus")
    c_minus = as_finite(c_minus, "c_minus")
    for name, value in (("c_plus", c_plus), ("c_minus", c_minus)):
        if not -0.5 <= value <= 0.5:
            raise InputError(f"{name} must lie in [-1/2, 1/2] (seed 000, eq. 9); got {name}={value!r}")
    a, b = 0.5 + c_plus, 0.5 + c_minus

    def w1(k: np.ndarray) -> np.ndarray:
        return np.where(k >= 0, a, b) + 0.0 * k

    def w2(k: np.ndarray) -> np.ndarray:
        return np.where(k >= 0, 1.0 - a, 1.0 - b) + 0.0 * k

    def i1(k: np.ndarray) -> np.ndarray:
        return (a - b) * np.sign(k)

    def i2(k: np.ndarray) -> np.ndarray:
        return (b - a) * np.sign(k)

    text = f"step, c_plus={c_plus!r}, c_minus={c_minus!r}"
    return [WeightFunction(w1, imbalance=i1, description=f"w_1 {text}"),
            WeightFunction(w2, imbalance=i2, description=f"w_2 {text}")]


def gaussian_weights(xi: float) -> list[WeightFunction]:
    """Weights w_1 = ½(1 + e^{−ξk²})θ(k) + ½(1 − e^{−ξk²})θ(−k), w_2 = 1 − w_1.

    Parameters
    ----------
    xi : float
        ξ > 0, the inverse squared momentum scale of the imbalance.

    Returns
    -------
    list of WeightFunction
        ``[w_1, w_2]`` with imbalance I(k) = e^{−ξk²} for k > 0 (eq. 12).

    Notes
    -----
    Seed 000, eqs. 11–12. w_2 is written as ½(1 ∓ e^{−ξk²}) directly rather than 1 − w_1,
    so that it keeps full relative accuracy where it is small, and the imbalance ±e^{−ξk²} is
    carried exactly (``WeightFunction.imbalance``): ½(1 + g) − ½(1 − g) is 0 once g < 1e-16.
    """
    xi = as_positive(xi, "xi")

    def w1(k: np.ndarray) -> np.ndarray:
        g = np.exp(-xi * k * k)
        return 0.5 * np.where(k >= 0, 1.0 + g, 1.0 - g)

    def w2(k: np.ndarray) -> np.ndarray:
        g = np.exp(-xi * k * k)
        return 0.5 * np.where(k >= 0, 1.0 - g, 1.0 + g)

    def i1(k: np.ndarray) -> np.ndarray:
        return np.sign(k) * np.exp(-xi * k * k)

    def i2(k: np.ndarray) -> np.ndarray:
        return -np.sign(k) * np.exp(-xi * k * k)

    scale = 1.0 / np.sqrt(xi)
    breaks = tuple(scale * s for s in (0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0))
    text = f"gaussian, xi={xi!r}"
    return [WeightFunction(w1, breakpoints=breaks, imbalance=i1, description=f"w_1 {text}"),
            WeightFunction(w2, breakpoints=breaks, imbalance=i2, description=f"w_2 {text}")]


def check_weights(weights: Sequence[Callable], momenta: np.ndarray, n_reservoirs: int) -> list[Callable]:
    """Check Σ_i w_i(k) = 1 and w_i(k) >= 0 on ``momenta`` (seed 000, eq. 1); return the list.

    Raises :class:`~thermoflux.InputError` naming the weight and the momentum where a
    condition fails. Nothing is clipped: a weight of −1e-17 is refused.
    """
    if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence):
        raise InputError(f"weights must be a sequence of callables w_i(k); got {describe(weights)}")
    weights = list(weights)
    if len(weights) != n_reservoirs:
        raise InputError(f"weights must give one callable per reservoir ({n_reservoirs}); got {len(weights)}")
    total = 0.0
    for i, w in enumerate(weights):
        check_callable(w, f"weights[{i}]")
        value = np.asarray(call_user(w, f"weights[{i}]", momenta))
        if value.dtype == object or not np.issubdtype(value.dtype, np.number) or np.iscomplexobj(value):
            raise InputError(f"weights[{i}] must return real numbers; got dtype {value.dtype}")
        try:
            value = np.broadcast_to(value, np.broadcast_shapes(value.shape, momenta.shape)).astype(float)
        except ValueError as exc:
            raise InputError(f"weights[{i}] must return an array shaped like its argument "
                             f"{momenta.shape}; got {value.shape}") from exc
        bad = ~np.isfinite(value) | (value < 0)
        if np.any(bad):
            where = np.argwhere(bad)[0]
            k_bad = momenta[tuple(where[-momenta.ndim:])]
            raise InputError(f"weights[{i}] must be finite and >= 0 for every k (seed 000, eq. 1); "
                             f"got w({k_bad:.6g}) = {value[tuple(where)]!r}")
        odd = getattr(w, "imbalance", None)
        if odd is not None:
            given = np.asarray(call_user(odd, f"weights[{i}].imbalance", momenta), dtype=float)
            direct = value - np.asarray(call_user(w, f"weights[{i}]", -momenta), dtype=float)
            worst = np.max(np.abs(given - direct)) if given.size else 0.0
            if not np.isfinite(worst) or worst > SUM_TOLERANCE:
                raise InputError(f"weights[{i}].imbalance must equal w(k) - w(-k) (seed 000, eq. 6); "
                                 f"it differs by {worst!r}")
        total = total + value
    deviation = np.abs(total - 1.0)
    if np.any(deviation > SUM_TOLERANCE):
        where = np.unravel_index(np.argmax(deviation), deviation.shape)
        k_bad = momenta[tuple(where[-momenta.ndim:])]
        raise InputError(f"weights must sum to 1 for every k (seed 000, eq. 1); at k = {k_bad:.6g} "
                         f"the sum is {total[where]!r} (tolerance {SUM_TOLERANCE:g})")
    return weights

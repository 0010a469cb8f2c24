"""Entropy functions of free fermions and bosons, exact at occupations 0 and 1.

Per-mode entropies and relative entropies (the building blocks of seed 004, eq. 4, and of the
entropy-production decompositions of seeds 001 and 003), and the von Neumann entropy of
number-conserving Gaussian states from their single-particle correlation matrix.

Everything is written with ``scipy.special.entr`` / ``rel_entr`` (0 ln 0 = 0) or, where an
occupation is known only through its log-odds x = ln((1 ∓ f)/f), directly from x, so that no
digits are lost when f saturates at 0 or 1.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import entr, expit, rel_entr

from thermoflux._validation import check_choice, check_hermitian, check_occupations
from thermoflux.distributions import STATISTICS
from thermoflux.errors import InputError

__all__ = [
    "mode_entropy",
    "mode_entropy_from_log_odds",
    "relative_entropy",
    "relative_entropy_to_log_odds",
    "occupation_spectrum",
    "fermionic_gaussian_entropy",
    "bosonic_gaussian_entropy",
]


def minus_log1mexp(x: np.ndarray) -> np.ndarray:
    """−ln(1 − e^{−x}) for x >= 0, accurate for every x (Mächler's log1mexp switch at ln 2).

    Internal (in no ``__all__``): also used by ``compare/runners.py`` for ln n of a Bose factor.
    """
    with np.errstate(divide="ignore", over="ignore"):
        small = x < np.log(2.0)
        return np.where(small, -np.log(-np.expm1(-np.where(small, x, 1.0))),
                        -np.log1p(-np.exp(-np.where(small, 1.0, x))))


def mode_entropy(f: Any, statistics: str) -> np.ndarray:
    """Entropy of one mode with mean occupation f.

    Fermions: s = −f ln f − (1 − f) ln(1 − f); bosons: s = (1 + f) ln(1 + f) − f ln f
    (seed 004, eq. 4). Exact (zero) at f = 0 and, for fermions, f = 1.

    Raises
    ------
    InputError
        If f is outside [0, 1] (fermions) or negative (bosons).
    """
    check_choice(statistics, "statistics", STATISTICS)
    f = check_occupations(f, "f", statistics)
    if statistics == "fermion":
        return entr(f) + entr(1.0 - f)
    return entr(f) - entr(1.0 + f)


def mode_entropy_from_log_odds(x: Any, statistics: str) -> np.ndarray:
    """Entropy of one mode from its log-odds x = ln((1 ∓ f)/f), without forming f.

    Fermions: s = ln(1 + e^{−|x|}) + |x| / (e^{|x|} + 1); bosons (x >= 0):
    s = −ln(1 − e^{−x}) + x / (e^x − 1). These are the same functions as :func:`mode_entropy`,
    written so that s stays accurate (relative) when f is far below machine epsilon. s = 0 at
    |x| = inf; for bosons s = +inf at x = 0.
    """
    check_choice(statistics, "statistics", STATISTICS)
    x = np.asarray(x, dtype=float)
    if np.any(np.isnan(x)):
        raise InputError("x (log-odds) contains NaN")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if statistics == "fermion":
            a = np.abs(x)
            s = np.log1p(np.exp(-a)) + a * expit(-a)
            return np.where(np.isinf(a), 0.0, s)
        if np.any(x < 0):
            raise InputError("x (log-odds) of a boson mode must be >= 0 (occupation f >= 0)")
        s = minus_log1mexp(x) + x / np.expm1(x)
        s = np.where(np.isinf(x), 0.0, s)
        return np.where(x == 0, np.inf, s)


def relative_entropy(p: Any, q: Any, statistics: str) -> np.ndarray:
    """Relative entropy D(p‖q) of one mode with occupation p to one with occupation q.

    Fermions (Bernoulli): D = p ln(p/q) + (1 − p) ln((1 − p)/(1 − q)). Bosons (geometric
    number distributions, i.e. Gaussian states): D = p ln(p/q) − (1 + p) ln((1 + p)/(1 + q)).
    D >= 0, zero only for p = q, and +inf where q puts no weight on what p does (q = 0 < p).
    """
    check_choice(statistics, "statistics", STATISTICS)
    p = check_occupations(p, "p", statistics)
    q = check_occupations(q, "q", statistics)
    if statistics == "fermion":
        return rel_entr(p, q) + rel_entr(1.0 - p, 1.0 - q)
    return rel_entr(p, q) - rel_entr(1.0 + p, 1.0 + q)


def relative_entropy_to_log_odds(p: Any, x_q: Any, statistics: str) -> np.ndarray:
    """D(p‖q) with the reference occupation q given by its log-odds x_q = ln((1 ∓ q)/q).

    Fermions: D = −s(p) + p ln(1 + e^{x}) + (1 − p) ln(1 + e^{−x});
    bosons:   D = −s(p) + p x − ln(1 − e^{−x}).
    Use it against a thermal reference (x_q = β(E − μ)) when q itself would round to 0 or 1:
    the cross-entropy terms are then evaluated from the exponent.
    """
    check_choice(statistics, "statistics", STATISTICS)
    p = check_occupations(p, "p", statistics)
    x = np.asarray(x_q, dtype=float)
    p, x = np.broadcast_arrays(p, x)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if statistics == "fermion":
            # p * ln(1 + e^x) with 0 * inf = 0: the mode is empty, the term is absent.
            up = np.where(p == 0, 0.0, p * np.logaddexp(0.0, x))
            down = np.where(p == 1, 0.0, (1.0 - p) * np.logaddexp(0.0, -x))
            return (up + down) - mode_entropy(p, statistics)
        if np.any(x < 0):
            raise InputError("x_q (log-odds) of a boson mode must be >= 0")
        cross = np.where(p == 0, 0.0, p * x) + minus_log1mexp(x)
        return cross - mode_entropy(p, statistics)


def occupation_spectrum(correlation: Any, statistics: str, *, tol: float | None = None) -> np.ndarray:
    """Eigenvalues of a single-particle correlation matrix C_ij = ⟨a_i† a_j⟩, checked.

    Uses ``eigvalsh`` (stacks of matrices allowed, shape (..., n, n)). Eigenvalues that lie
    outside the physical range ([0, 1] for fermions, [0, inf) for bosons) by at most ``tol``
    are rounding errors of the eigensolver (of order n·eps·||C||) and are clipped to the range;
    anything further out raises :class:`~thermoflux.InputError`, since the matrix is then not a
    state.

    Parameters
    ----------
    correlation : array_like, shape (..., n, n)
        Hermitian correlation matrix (or a stack of them).
    statistics : {"fermion", "boson"}
    tol : float, optional
        Default ``1e3 · n · eps · max(1, max|C|)``, a generous multiple of eigvalsh's backward
        error bound.
    """
    check_choice(statistics, "statistics", STATISTICS)
    c = np.asarray(correlation)
    if c.ndim < 2 or c.shape[-1] != c.shape[-2]:
        raise InputError(f"correlation must be a square matrix (or a stack); got shape {c.shape}")
    if c.ndim == 2:
        check_hermitian(c, "correlation", rtol=1e-8)
    if c.shape[-1] == 0:
        return np.zeros(c.shape[:-1])
    values = np.linalg.eigvalsh(c)
    scale = max(1.0, float(np.max(np.abs(values))))
    if tol is None:
        tol = 1e3 * c.shape[-1] * np.finfo(float).eps * scale
    upper = 1.0 if statistics == "fermion" else np.inf
    if np.any(values < -tol) or np.any(values > upper + tol):
        worst = values[(values < -tol) | (values > upper + tol)].flat[0]
        raise InputError(
            f"correlation is not a {statistics} state: eigenvalue {worst!r} lies outside "
            f"[0, {upper}] by more than tol={tol:.3g}"
        )
    # Within tol the excursion is eigensolver round-off; clip so that entr() stays finite.
    return np.clip(values, 0.0, upper)


def fermionic_gaussian_entropy(correlation: Any, *, tol: float | None = None) -> np.ndarray:
    """Von Neumann entropy S = Σ_k s(λ_k) of a fermionic Gaussian state, λ_k = eig(C).

    C_ij = ⟨c_i† c_j⟩ is the single-particle correlation matrix of a number-conserving
    (quasi-free) state; s is :func:`mode_entropy`. Stacks (..., n, n) give an array of entropies.
    See :func:`occupation_spectrum` for the treatment of round-off.
    """
    lam = occupation_spectrum(correlation, "fermion", tol=tol)
    return np.sum(entr(lam) + entr(1.0 - lam), axis=-1)


def bosonic_gaussian_entropy(correlation: Any, *, tol: float | None = None) -> np.ndarray:
    """Von Neumann entropy S = Σ_k [(1 + n_k) ln(1 + n_k) − n_k ln n_k] of a bosonic Gaussian state.

    For a number-conserving state (no squeezing, ⟨a_i a_j⟩ = 0) with C_ij = ⟨a_i† a_j⟩ and
    n_k = eig(C). States with squeezing need symplectic eigenvalues instead.
    """
    n = occupation_spectrum(correlation, "boson", tol=tol)
    return np.sum(entr(n) - entr(1.0 + n), axis=-1)

"""Transmission functions T(E) for Landauer junctions, with the scales the quadrature needs.

A transmission is any vectorized callable T(E) >= 0. The builders here return
:class:`Transmission` objects, which are such callables and also carry the energies where
T(E) has structure (resonance centres and widths, discontinuities, compact support), so that
:class:`~thermoflux.landauer.Junction` places its quadrature panels on them.

Parameters of a builder may be arrays of shape (n,): then the transmission describes n
junctions at once (a batch); it is evaluated on energies of shape (n, m) and each row uses its
own parameters.

Conventions: ħ = 1 (h = 2π); widths Γ are the full widths at half maximum of the level
(Γ_α = 2π Σ_k |t_αk|² δ(E − ε_k) in the wide-band limit).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from thermoflux._validation import as_real_array, check_hermitian, describe
from thermoflux.errors import InputError

__all__ = ["Transmission", "lorentzian", "boxcar", "constant", "from_hamiltonian"]


def _column(p: np.ndarray, energies: np.ndarray) -> np.ndarray:
    """Align a batch parameter of shape (n,) with energies of shape (n, m)."""
    p = np.asarray(p)
    if p.ndim == 0:
        return p
    return p.reshape(p.shape + (1,) * (np.ndim(energies) - p.ndim))


class Transmission:
    """A vectorized transmission probability T(E) with its energy features.

    Parameters
    ----------
    function : callable
        ``function(energies, **params)`` → array of the shape of ``energies``.
    params : mapping, optional
        Parameters passed to ``function``; arrays of shape (n,) describe a batch of n
        junctions (each row of ``energies`` uses its own entry).
    centres, scales : array_like, shape (K,) or (n, K), optional
        Resonance positions and widths (half widths): quadrature panels refine around them.
    breakpoints : array_like, shape (B,) or (n, B), optional
        Discontinuities of T(E): they become exact panel edges.
    support : (float, float) or None
        An interval outside which T(E) = 0 exactly (compact support), or None.
    description : str
        Short text for ``repr`` and result attrs.
    core_ndim : mapping name → int, optional
        Trailing axes of a parameter that are not batch axes (e.g. 1 for a list of windows);
        such parameters are passed to ``function`` unchanged.
    scattering_matrix : callable or None
        The scattering matrix S(E) this transmission derives from (set by
        :func:`from_hamiltonian`): counting statistics and noise of a junction whose
        transmissions all carry the same S(E) use it (multi-terminal, multi-channel).
    """

    def __init__(self, function: Callable, params: Mapping[str, Any] | None = None, *,
                 centres: Any = (), scales: Any = (), breakpoints: Any = (),
                 support: tuple[Any, Any] | None = None, description: str = "",
                 core_ndim: Mapping[str, int] | None = None,
                 scattering_matrix: Callable | None = None) -> None:
        self.function = function
        self.params = dict(params or {})
        self.core_ndim = dict(core_ndim or {})
        self.centres = np.asarray(centres, dtype=float)
        self.scales = np.asarray(scales, dtype=float)
        self.breakpoints = np.asarray(breakpoints, dtype=float)
        self.support = support
        self.description = description
        self.scattering_matrix = scattering_matrix

    @property
    def batch_shape(self) -> tuple[int, ...]:
        shapes = [np.shape(v)[:np.ndim(v) - self.core_ndim.get(k, 0)] for k, v in self.params.items()]
        shapes += [self.centres.shape[:-1], self.breakpoints.shape[:-1]]
        return np.broadcast_shapes(*shapes) if shapes else ()

    def __call__(self, energies: Any) -> np.ndarray:
        energies = np.asarray(energies, dtype=float)
        params = {k: (v if self.core_ndim.get(k, 0) else _column(v, energies)) for k, v in self.params.items()}
        out = np.asarray(self.function(energies, **params), dtype=float)
        return np.broadcast_to(out, np.broadcast_shapes(out.shape, energies.shape))

    def take(self, index: Any) -> Transmission:
        """The same transmission for a sub-batch ``index`` (a slice or index array)."""
        def sub(a: Any, core: int = 0) -> Any:
            a = np.asarray(a)
            return a[index] if a.ndim - core >= 1 else a

        def sub2(a: np.ndarray) -> np.ndarray:
            return a[index] if a.ndim == 2 else a

        support = self.support
        if support is not None:
            support = (sub(support[0]), sub(support[1]))
        return Transmission(self.function, {k: sub(v, self.core_ndim.get(k, 0)) for k, v in self.params.items()},
                            centres=sub2(self.centres), scales=sub2(self.scales),
                            breakpoints=sub2(self.breakpoints), support=support,
                            description=self.description, core_ndim=self.core_ndim,
                            scattering_matrix=self.scattering_matrix)

    def __repr__(self) -> str:
        return f"Transmission({self.description or self.function!r})"


class _LevelShape:
    """1/((E − ε)² + (Γ/2)²) of one level, cached for the last energies (shared by all pairs)."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._value: np.ndarray | None = None

    def __call__(self, energies: np.ndarray, level: Any, width_total: Any) -> np.ndarray:
        key = (id(energies), energies.shape)
        if (self._key is not None and self._key[0] == key and np.array_equal(self._key[1], level)
                and np.array_equal(self._key[2], width_total)):
            return self._value
        value = 1.0 / ((energies - level) ** 2 + 0.25 * width_total ** 2)
        # keep a reference to the energies so that their id cannot be reused while cached
        self._key, self._value, self._energies = (key, np.copy(level), np.copy(width_total)), value, energies
        return value


def _lorentzian_function(energies: np.ndarray, level: Any, width_a: Any, width_b: Any,
                         width_total: Any, shape: _LevelShape | None = None) -> np.ndarray:
    if shape is None:
        return width_a * width_b / ((energies - level) ** 2 + 0.25 * width_total ** 2)
    return (width_a * width_b) * shape(energies, level, width_total)


def lorentzian(level: Any, widths: Mapping[str, Any]) -> dict[tuple[str, str], Transmission]:
    """Transmissions of a single resonant level, T_αβ(E) = Γ_α Γ_β / ((E − ε)² + (Γ/2)²).

    Γ = Σ_α Γ_α is the total width (wide-band leads, Breit–Wigner form).

    Parameters
    ----------
    level : float or array_like of shape (n,)
        Level energy ε.
    widths : mapping name → float or array_like of shape (n,)
        Coupling width Γ_α >= 0 of each reservoir; the total must be positive.

    Returns
    -------
    dict
        (α, β) → :class:`Transmission` for every unordered pair α < β (in the mapping's order),
        ready to pass to :class:`~thermoflux.landauer.Junction`.

    Notes
    -----
    The one-site case of the Caroli formula (:func:`from_hamiltonian`); the tests check that
    identity and the zero-temperature current of seed 004's two-terminal Landauer formula
    (eq. 17): J = (Γ_LΓ_R/Γ)/(2π) · 2[arctan(2(μ_L−ε)/Γ) − arctan(2(μ_R−ε)/Γ)].
    """
    level = as_real_array(level, "level")
    if not isinstance(widths, Mapping) or len(widths) < 2:
        raise InputError(f"widths must map at least two reservoir names to widths; got {describe(widths)}")
    w = {}
    for name, value in widths.items():
        arr = as_real_array(value, f"widths[{name!r}]")
        if np.any(arr < 0):
            raise InputError(f"widths[{name!r}] must be non-negative; got {describe(arr if arr.ndim else float(arr))}")
        w[name] = arr
    total = sum(w.values())
    if np.any(total <= 0):
        raise InputError("widths: the total width must be positive; got all widths zero")
    if level.ndim > 1 or any(a.ndim > 1 for a in w.values()):
        raise InputError("level and widths must be scalars or 1-D arrays (a batch)")
    centres = level[..., None] if level.ndim else level.reshape(1)
    scales = (0.5 * total)[..., None] if np.ndim(total) else np.reshape(0.5 * total, 1)
    centres, scales = np.broadcast_arrays(centres, scales)
    names = list(w)
    out = {}
    shape = _LevelShape()
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            out[(a, b)] = Transmission(
                functools.partial(_lorentzian_function, shape=shape),
                {"level": level, "width_a": w[a], "width_b": w[b], "width_total": total},
                centres=centres, scales=scales,
                description=f"Lorentzian level between {a!r} and {b!r}")
    return out


def _boxcar_function(energies: np.ndarray, lows: Any, highs: Any, height: Any) -> np.ndarray:
    e = energies[..., None]
    if np.ndim(lows) > 1:           # batch (n, k) against energies (n, m)
        lows, highs = lows[:, None, :], highs[:, None, :]
    return height * np.sum((e >= lows) & (e < highs), axis=-1)


def boxcar(centres: Any, width: Any, *, height: float = 1.0) -> Transmission:
    """Sum of unit-height windows, T(E) = h Σ_i [Θ(E − (ε_i − Γ/2)) − Θ(E − (ε_i + Γ/2))].

    Seed 004, eq. C2 (the resonances of the N-demon heat pump).

    Parameters
    ----------
    centres : array_like, shape (k,) or (n, k)
        Window centres ε_i (a 2-D array is a batch of n junctions).
    width : float or array_like of shape (n,)
        Window width Γ > 0.
    height : float, default 1.0
        Transmission inside a window, 0 <= h (1 for a perfect single channel).

    Returns
    -------
    Transmission
        With the window edges as breakpoints (integrated exactly) and compact support.
    """
    c = as_real_array(centres, "centres")
    if c.ndim == 0:
        c = c.reshape(1)
    if c.ndim > 2 or c.shape[-1] == 0:
        raise InputError(f"centres must be a non-empty 1-D array (or 2-D batch); got shape {c.shape}")
    g = as_real_array(width, "width")
    if np.any(g <= 0):
        raise InputError(f"width must be positive; got width={describe(g if g.ndim else float(g))}")
    if g.ndim > 1:
        raise InputError(f"width must be a scalar or 1-D batch; got shape {g.shape}")
    h = as_real_array(height, "height")
    if h.ndim or h < 0:
        raise InputError(f"height must be a non-negative scalar; got {describe(height)}")
    gc = g[..., None] if g.ndim else g
    lows, highs = c - 0.5 * gc, c + 0.5 * gc
    order = np.sort(np.concatenate([lows, highs], axis=-1), axis=-1)
    if np.any(order[..., 1:] < order[..., :-1]) or np.any(np.sort(lows, -1)[..., 1:] < np.sort(highs, -1)[..., :-1]):
        raise InputError("centres: boxcar windows must not overlap (|ε_i − ε_j| >= Γ)")
    support = (np.min(lows, axis=-1), np.max(highs, axis=-1))
    return Transmission(_boxcar_function, {"lows": lows, "highs": highs, "height": float(h)},
                        centres=c, scales=np.broadcast_to(0.5 * gc, c.shape),
                        breakpoints=np.concatenate([lows, highs], axis=-1), support=support,
                        core_ndim={"lows": 1, "highs": 1}, description=f"boxcar windows of width {describe(g if g.ndim else float(g))}")


def _constant_function(energies: np.ndarray, value: Any) -> np.ndarray:
    return np.broadcast_to(value, energies.shape)


def constant(value: Any) -> Transmission:
    """Energy-independent transmission T(E) = T₀ >= 0 (wide-band limit; T₀ = N for N channels).

    Parameters
    ----------
    value : float or array_like of shape (n,)
        T₀ >= 0.
    """
    v = as_real_array(value, "value")
    if np.any(v < 0) or v.ndim > 1:
        raise InputError(f"value must be non-negative (scalar or 1-D batch); got {describe(value)}")
    return Transmission(_constant_function, {"value": v}, description=f"constant {describe(value)}")


class _CaroliCache:
    """Green's function G(E) = (E − H + (i/2) Σ_α Γ_α)^{-1} at the last energies asked for."""

    def __init__(self, hamiltonian: np.ndarray, gammas: dict[str, np.ndarray]) -> None:
        self.hamiltonian = hamiltonian
        self.gammas = gammas
        self.effective = hamiltonian - 0.5j * sum(gammas.values())
        self._energies: np.ndarray | None = None
        self._green: np.ndarray | None = None

    def green(self, energies: np.ndarray) -> np.ndarray:
        if self._energies is not None and (self._energies is energies or (
                self._energies.shape == energies.shape and np.array_equal(self._energies, energies))):
            return self._green
        n = self.hamiltonian.shape[0]
        e = energies.reshape(-1)
        # Batched inverse of (E - H_eff); a linear solve stays accurate for defective H_eff,
        # where an eigen-decomposition would not.
        green = np.linalg.inv(e[:, None, None] * np.eye(n) - self.effective).reshape(energies.shape + (n, n))
        self._energies, self._green = energies.copy(), green
        return green

    def transmission(self, energies: np.ndarray, a: str, b: str) -> np.ndarray:
        g = self.green(energies)
        # T_{a←b} = Tr[Γ_a G Γ_b G†], from lead b to lead a
        m = np.einsum("ij,...jk,kl,...ml->...im", self.gammas[a], g, self.gammas[b], g.conj(), optimize=True)
        return np.real(np.trace(m, axis1=-2, axis2=-1))


def without_dark_states(h: np.ndarray, gammas: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """H and Γ_α restricted to the complement of the eigenstates of H that no lead couples to.

    Internal (not in ``__all__``): shared with ``landauer/fisher_lee.py`` and ``compare/bands.py``.

    Such a dark state v (H v = ε v, Γ_α v = 0 for every α; generic for degenerate levels, e.g. two
    equal levels coupled to one lead channel) is an eigenvector of H_eff with the real eigenvalue
    ε, so E − H_eff is singular at E = ε, a quadrature node. It carries no current: its complement
    is H_eff-invariant and Γ_α v = 0, so every Tr[Γ_a G Γ_b G†] is unchanged by dropping it.
    """
    total = sum(gammas.values())
    evals, vecs = np.linalg.eigh(h)
    n = evals.size
    tol_e = 1e-12 * max(1.0, float(np.abs(evals).max()))       # degenerate to rounding of eigh
    tol_g = 1e-12 * max(float(np.linalg.norm(total, 2)), np.finfo(float).tiny)
    dark = []
    start = 0
    while start < n:
        stop = start + 1
        while stop < n and evals[stop] - evals[stop - 1] <= tol_e:
            stop += 1
        block = vecs[:, start:stop]
        _, sv, vh = np.linalg.svd(total @ block)
        rank = int(np.sum(sv > tol_g))
        if rank < block.shape[1]:
            dark.append(block @ vh[rank:].conj().T)
        start = stop
    if not dark or sum(d.shape[1] for d in dark) == n:
        return h, gammas          # nothing to drop (or nothing couples at all: T = 0 everywhere)
    _, _, vh = np.linalg.svd(np.hstack(dark).conj().T)
    keep = vh[sum(d.shape[1] for d in dark):].conj().T          # orthonormal complement
    return keep.conj().T @ h @ keep, {k: keep.conj().T @ g @ keep for k, g in gammas.items()}


def central_region(hamiltonian: Any, couplings: Any) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Validated H (n × n Hermitian) and Γ_α (n × n Hermitian PSD, complex) of a central region.

    Internal (not in ``__all__``): shared with ``landauer/fisher_lee.py``.
    """
    h = check_hermitian(np.atleast_2d(np.asarray(hamiltonian)), "hamiltonian")
    n = h.shape[0]
    if not isinstance(couplings, Mapping) or len(couplings) < 2:
        raise InputError(f"couplings must map at least two lead names to width matrices; got {describe(couplings)}")
    gammas = {}
    for name, value in couplings.items():
        g = np.asarray(value)
        if g.ndim == 0:
            g = np.eye(n) * g if n == 1 else None
            if g is None:
                raise InputError(f"couplings[{name!r}] must be a vector of length {n} or an ({n}, {n}) matrix; got a scalar")
        elif g.ndim == 1:
            if g.shape != (n,):
                raise InputError(f"couplings[{name!r}] must have length {n}; got shape {g.shape}")
            g = np.diag(g)
        g = check_hermitian(g, f"couplings[{name!r}]")
        if g.shape != (n, n):
            raise InputError(f"couplings[{name!r}] must be ({n}, {n}); got {g.shape}")
        ev = np.linalg.eigvalsh(g)
        if ev.min() < -1e-12 * max(1.0, abs(ev).max()):
            raise InputError(f"couplings[{name!r}] must be positive semidefinite; got an eigenvalue {ev.min():.3g}")
        gammas[name] = g.astype(complex)
    return h.astype(complex), gammas


def from_hamiltonian(hamiltonian: Any, couplings: Mapping[str, Any]) -> dict[tuple[str, str], Transmission]:
    """Caroli transmissions T_αβ(E) = Tr[Γ_α G(E) Γ_β G(E)†] of a tight-binding central region.

    G(E) = (E − H + (i/2) Σ_α Γ_α)^{-1} with wide-band (energy-independent) lead self-energies
    Σ_α = −(i/2) Γ_α; any number of leads.

    Parameters
    ----------
    hamiltonian : array_like, shape (n, n)
        Hermitian Hamiltonian H of the central region.
    couplings : mapping name → array_like
        Level-width matrix Γ_α of each lead: an (n, n) Hermitian positive-semidefinite matrix,
        a length-n vector (a diagonal Γ_α, one width per site), or a scalar when n = 1.

    Returns
    -------
    dict
        (α, β) → :class:`Transmission` T_{α←β} for every unordered pair, or for every ordered
        pair when time reversal may be broken (Notes), with the resonances (real and imaginary
        parts of the eigenvalues of H − (i/2)ΣΓ) as quadrature features. Each carries
        the scattering matrix of the same region (:func:`scattering_matrix_from_hamiltonian`) as
        ``scattering_matrix``, so a junction built from them has counting statistics and noise
        for any number of leads and channels.

    Notes
    -----
    For one site, H = ε and Γ_α scalars, this is :func:`lorentzian` (tested). With real H and
    Γ_α (time-reversal symmetric) the transmission is symmetric, T_αβ = T_βα, and so it is for
    any two leads (unitarity); with three or more leads and a complex H or Γ_α (a magnetic flux)
    T_{α←β} ≠ T_{β←α} in general (Büttiker: T_αβ(B) = T_βα(−B)), and both orders are returned
    (``tests/landauer/test_junction.py::test_caroli_broken_time_reversal_reciprocity``). Eigenstates of H that no lead couples
    to (dark states of degenerate levels) are dropped first: they carry no current, and they would
    make E − H_eff singular at their real energy.
    """
    h, gammas = central_region(hamiltonian, couplings)
    n = h.shape[0]
    directed = len(gammas) > 2 and any(np.any(m.imag != 0) for m in (h, *gammas.values()))
    h, gammas = without_dark_states(h, gammas)
    cache = _CaroliCache(h, gammas)
    from thermoflux.landauer.fisher_lee import ScatteringMatrix      # local: fisher_lee imports us

    smatrix = ScatteringMatrix(h, gammas)
    lam = np.linalg.eigvals(cache.effective)
    scale = np.maximum(-lam.imag, 1e-3 * max(1.0, float(np.max(np.abs(lam)))))
    names = list(gammas)
    out = {}
    for i, a in enumerate(names):
        for b in (names if directed else names[i + 1:]):
            if a == b:
                continue
            out[(a, b)] = Transmission(
                lambda e, _a=a, _b=b: cache.transmission(e, _a, _b), centres=lam.real, scales=scale,
                description=f"Caroli ({n} sites) from {b!r} to {a!r}" if directed else
                f"Caroli ({n} sites) between {a!r} and {b!r}", scattering_matrix=smatrix)
    return out

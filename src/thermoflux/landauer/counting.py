"""Full counting statistics of a Landauer junction: the Levitov–Lesovik generating function.

The scaled cumulant generating function of the number (or energy) of particles that leave
reservoir α into the conductor, per unit time, with a real counting field s:

two terminals (α, β), transmission T(E), fermions (σ = +1) or bosons (σ = −1),

    χ(s) = (σ/2π) ∫ dE ln{1 + σ T(E) [A(E)(e^{θ} − 1) + B(E)(e^{−θ} − 1)]},
    A = f_α(1 − σ f_β),  B = f_β(1 − σ f_α),  θ = s (particles) or s·E (energy);

many terminals and channels, from a unitary scattering matrix S(E) over the channels:

    χ(s) = (σ/2π) ∫ dE ln det[1 + σ f (S† Φ S Φ^{-1} − 1)],   f = diag(f_γ(c) per channel c),
    Φ = diag(e^{−θ} on every channel of α, 1 elsewhere)  (Levitov–Lesovik; Klich's determinant form).

S(E) is given by the user, or carried by the transmissions of :func:`from_hamiltonian`
(Fisher–Lee, :func:`scattering_matrix_from_hamiltonian`). The two-terminal formula holds for one
channel per lead; with several, T(E) = Σ_n τ_n hides the τ_n and S(E) is needed.

Cumulants κ_n = d^n χ/ds^n at s = 0 are computed exactly from the Taylor series of the
integrand (power-series logarithm; for the determinant, the series of tr ln), not by finite
differences. κ_1 is the mean current of :meth:`Junction.flows`; κ_2 the zero-frequency noise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from math import factorial
from typing import TYPE_CHECKING, Any

import numpy as np

from thermoflux._validation import as_real_array, call_user, check_choice, describe
from thermoflux.errors import InputError
from thermoflux.landauer.quadrature import TWO_PI

if TYPE_CHECKING:
    from thermoflux.landauer.junction import Junction

# current_cumulants(self, ...) is the method Junction.current_cumulants (bound in junction.py),
# not listed here.
__all__ = ["cumulant_generating_function", "lorentzian_scattering_matrix"]

_MAX_ORDER = 12
# Unitarity of a user S(E) is checked to 1e-8: S from a Green's function is unitary to rounding
# (~1e-14); 1e-8 catches a wrong formula while tolerating ill-conditioned inversions.
_UNITARY_TOL = 1e-8


def lorentzian_scattering_matrix(level: float, widths: Mapping[str, float]) -> Callable:
    """S(E) of a single resonant level: S_αβ(E) = δ_αβ − i √(Γ_α Γ_β) / (E − ε + iΓ/2).

    Channels are ordered as ``widths``; |S_αβ|² (α ≠ β) is :func:`lorentzian`'s T_αβ.

    Returns
    -------
    callable
        S(E) with shape ``E.shape + (N, N)``.
    """
    level = float(as_real_array(level, "level"))
    names = list(widths)
    g = np.array([float(widths[k]) for k in names])
    if np.any(g < 0) or g.sum() <= 0:
        raise InputError(f"widths must be non-negative with a positive total; got {describe(widths)}")
    root = np.sqrt(g)
    coupling = np.outer(root, root)
    total = g.sum()

    def smatrix(energies: Any) -> np.ndarray:
        e = np.asarray(energies, dtype=float)[..., None, None]
        return np.eye(g.size) - 1j * coupling / (e - level + 0.5j * total)

    smatrix.reservoirs = tuple(names)  # type: ignore[attr-defined]
    smatrix.channels = tuple(names)  # type: ignore[attr-defined]
    return smatrix


def _carried_scattering_matrix(junction: Junction) -> Callable | None:
    """The S(E) every transmission of ``junction`` derives from (e.g. :func:`from_hamiltonian`), or None."""
    found = {id(getattr(t, "scattering_matrix", None)): getattr(t, "scattering_matrix", None)
             for t in junction.transmission.values()}
    return next(iter(found.values())) if len(found) == 1 else None


def _channels_of(scattering_matrix: Callable, names: list[str]) -> list[str]:
    """The reservoir of every channel (row) of S: its ``channels`` attribute, else one per reservoir."""
    channels = getattr(scattering_matrix, "channels", None)
    if channels is None:
        return list(names)
    channels = list(channels)
    unknown = [k for k in channels if k not in names]
    if unknown:
        raise InputError(f"scattering_matrix.channels names {unknown[0]!r}, which is not a reservoir "
                         f"(reservoirs: {', '.join(map(repr, names))})")
    return channels


def counting_nodes(junction: Junction, reservoir: str, counting: str, scattering_matrix: Callable | None):
    """Nodes, occupations, hole factors 1 − σf, transmissions and (where needed) S(E) at the nodes.

    Internal (not in ``__all__``): shared with ``landauer/current_noise.py``.

    S(E) is the user's ``scattering_matrix``, else the one the junction's transmissions carry
    (:func:`from_hamiltonian`) when there are more than two reservoirs or a reservoir has several
    channels (the two-terminal, one-channel formula from T(E) alone is exact and cheaper).
    ``channels`` lists the reservoir of every row of S (the reservoirs themselves without S).
    """
    if not callable(getattr(junction, "require_point", None)):
        raise InputError(f"junction must be a Junction; got {type(junction).__name__}")
    junction.require_point(reservoir, "reservoir", "counting statistics")
    check_choice(counting, "counting", ("particle", "energy"))
    names = list(junction.reservoirs)
    source = "scattering_matrix"
    if scattering_matrix is None:
        carried = _carried_scattering_matrix(junction)
        if carried is not None:
            channels = _channels_of(carried, names)
            if len(names) != 2 or len(channels) != len(set(channels)):
                scattering_matrix, source = carried, "the scattering matrix of the junction's transmissions"
    if scattering_matrix is None and len(names) != 2:
        raise InputError(f"a junction of {len(names)} reservoirs needs scattering_matrix=S(E) for its "
                         "counting statistics (the transmissions alone do not fix them); a junction "
                         "built from from_hamiltonian carries its own")
    grid, occ, odds, tvals, _ = junction.quadrature_nodes(junction.reservoirs, junction.transmission, None)
    energies = grid.flat_energies
    smat, channels = None, names
    if scattering_matrix is not None:
        if not callable(scattering_matrix):
            raise InputError(f"scattering_matrix must be callable S(E); got {describe(scattering_matrix)}")
        channels = _channels_of(scattering_matrix, names)
        smat = np.asarray(call_user(scattering_matrix, "scattering_matrix", energies), dtype=complex)
        n = len(channels)
        if smat.shape != energies.shape + (n, n):
            layout = (f"one row per channel, channels {channels}" if hasattr(scattering_matrix, "channels")
                      else f"one channel per reservoir, in the order {names}")
            raise InputError(f"{source} must return shape {energies.shape + (n, n)} ({layout}); got {smat.shape}")
        dev = np.max(np.abs(np.einsum("...ji,...jk->...ik", smat.conj(), smat) - np.eye(n)), initial=0.0)
        if not dev <= _UNITARY_TOL:
            raise InputError(f"{source} must be unitary; max |S†S − 1| = {dev:.3g}")
        # T_{a←b} = Σ_{i∈a, j∈b} |S_ij|² must be the junction's transmission (0 for a missing pair).
        member = np.array([[k == a for k in channels] for a in names], dtype=float)      # (N_res, N_ch)
        tmat = member @ (np.abs(smat) ** 2) @ member.T
        for ia, a in enumerate(names):
            for ib, b in enumerate(names):
                if a == b:
                    continue
                t = tvals.get((a, b), 0.0)
                mismatch = np.max(np.abs(tmat[:, ia, ib] - t))
                if mismatch > _UNITARY_TOL * max(1.0, float(np.max(t))):
                    raise InputError(f"{source}: Σ|S[{a!r}, {b!r}]|² differs from transmission[({a!r}, {b!r})] "
                                     f"by {mismatch:.3g}")
    sigma = 1.0 if junction.statistics == "fermion" else -1.0
    weight = np.ones_like(energies) if counting == "particle" else energies
    holes = {k: _complement(x, sigma) for k, x in odds.items()}
    return grid, occ, holes, tvals, smat, sigma, weight, names, channels


def _complement(log_odds: np.ndarray, sigma: float) -> np.ndarray:
    """1 − σf from the log-odds x = ln((1 − σf)/f), without cancellation where f → 1 (fermions).

    Fermions: 1 − f = 1/(1 + e^{−x}); bosons: 1 + n = 1/(1 − e^{−x}).
    """
    from scipy.special import expit

    if sigma > 0:
        return expit(log_odds)
    with np.errstate(divide="ignore"):
        return -1.0 / np.expm1(-log_odds)


def _log_series(u: list[np.ndarray], sigma: float) -> list[np.ndarray]:
    """Taylor coefficients of σ ln(1 + σ u) from those of u (u_0 = 0)."""
    w = [np.zeros_like(u[1])]
    for n in range(1, len(u)):
        acc = u[n].copy()
        for k in range(1, n):
            acc = acc - sigma * (k / n) * w[k] * u[n - k]
        w.append(acc)
    return w


def _logdet_series(uterms: list[np.ndarray]) -> list[np.ndarray]:
    """Taylor coefficients of ln det(1 + U(s)) from U_n (U_0 = 0), for stacks of matrices."""
    order = len(uterms) - 1
    shape = uterms[1].shape
    eye = np.broadcast_to(np.eye(shape[-1]), shape)
    inv = [eye]                                   # series of (1 + U)^{-1}
    for n in range(1, order + 1):
        acc = np.zeros(shape, dtype=complex)
        for k in range(1, n + 1):
            acc -= uterms[k] @ inv[n - k]
        inv.append(acc)
    q = [np.zeros(shape[:-2])]
    for n in range(1, order + 1):
        acc = np.zeros(shape[:-2], dtype=complex)
        for k in range(0, n):
            acc += (n - k) * np.trace(inv[k] @ uterms[n - k], axis1=-2, axis2=-1)
        q.append((acc / n).real)
    return q


def current_cumulants(self: Junction, reservoir: str, max_order: int, *,
                      counting: str = "particle", scattering_matrix: Callable | None = None) -> dict[int, float]:
    """Scaled cumulants κ_n = d^n χ/ds^n|₀ of the particles (or energy) leaving ``reservoir``.

    Levitov–Lesovik generating function (:mod:`thermoflux.landauer.counting`): two terminals
    from T(E), any number of terminals from a scattering matrix S(E). The junction must be one
    parameter point.

    Parameters
    ----------
    reservoir : str
        The reservoir whose outflow is counted.
    max_order : int
        Highest cumulant, 1..12.
    counting : {"particle", "energy"}, default "particle"
    scattering_matrix : callable, optional
        S(E) → array of shape E.shape + (N, N): one channel per reservoir in the order of
        the junction's ``reservoirs``, or the reservoir of each row in a ``channels`` attribute (as
        :func:`scattering_matrix_from_hamiltonian` sets). Required for more than two reservoirs
        unless the junction's transmissions carry one (:func:`from_hamiltonian`), which is then
        used, as it is for a two-terminal junction with several channels per lead. Its
        Σ_{i∈α, j∈β} |S_ij|² must equal the junction's T_{α←β} and it must be unitary (both
        checked).

    Returns
    -------
    dict
        order n → κ_n per unit time (ħ = 1; energy counting: energy^n/time). κ_1 is the mean
        current out of ``reservoir`` (positive out of it, DESIGN.md), κ_2 the zero-frequency
        noise ∫dt ⟨δI(t) δI(0)⟩ (the diagonal of :meth:`Junction.noise`).
    """
    if isinstance(max_order, bool) or not isinstance(max_order, int | np.integer) or not 1 <= max_order <= _MAX_ORDER:
        raise InputError(f"max_order must be an integer in 1..{_MAX_ORDER}; got {max_order!r}")
    grid, occ, holes, tvals, smat, sigma, weight, names, channels = counting_nodes(self, reservoir, counting,
                                                                           scattering_matrix)
    order = int(max_order)
    if smat is None:
        other = names[1] if names[0] == reservoir else names[0]
        t = tvals[(other, reservoir)]
        fa, fb = occ[reservoir], occ[other]
        a, b = fa * holes[other], fb * holes[reservoir]
        u = [np.zeros_like(t)] + [t * (a + (-1) ** n * b) * weight ** n / factorial(n) for n in range(1, order + 1)]
        series = _log_series(u, sigma)
    else:
        f = np.stack([occ[k] for k in channels], axis=-1)         # (M, N) over channels
        sdag = np.swapaxes(smat.conj(), -1, -2)
        proj = np.array([k == reservoir for k in channels], dtype=float)   # every channel of α
        # Φ = 1 + (e^{−s c} − 1) P, Φ^{-1} = 1 + (e^{s c} − 1) P with c = 1 or E.
        phi = [None] + [((-weight) ** n / factorial(n))[:, None] * proj for n in range(1, order + 1)]
        phinv = [None] + [(weight ** n / factorial(n))[:, None] * proj for n in range(1, order + 1)]
        # Electron form 1 + f(Q − 1) where the states are mostly empty; hole form
        # 1 + (1 − f)(Q^{-1} − 1) (same determinant, det Q = 1) where mostly filled, so the deep
        # Fermi sea, where Q − 1 would cancel to rounding times E^n, contributes exactly zero.
        hole_occ = np.stack([holes[k] for k in channels], axis=-1)
        holes = (sigma > 0) & (np.sum(f, axis=-1) > 0.5 * f.shape[-1])
        occ_factor = np.where(holes[:, None], hole_occ, f)
        uterms = [None]
        for n in range(1, order + 1):
            q = sdag @ (smat * phinv[n][:, None, :])               # S† S Φinv_n  (Φ_0 = 1)
            q = q + (sdag * phi[n][:, None, :]) @ smat             # S† Φ_n S    (Φinv_0 = 1)
            for k in range(1, n):
                q = q + (sdag * phi[k][:, None, :]) @ (smat * phinv[n - k][:, None, :])
            # Q^{-1} = Φ S† Φ^{-1} S
            qi = (phi[n][:, :, None] * sdag) @ smat + sdag @ (phinv[n][:, :, None] * smat)
            for k in range(1, n):
                qi = qi + (phi[k][:, :, None] * sdag) @ (phinv[n - k][:, :, None] * smat)
            uterms.append(sigma * occ_factor[:, :, None] * np.where(holes[:, None, None], qi, q))
        uterms[0] = np.zeros_like(uterms[1])
        series = [sigma * q for q in _logdet_series(uterms)]
    values, _ = grid.integrate(np.stack(series[1:]))
    return {n: float(values[n - 1]) * factorial(n) / TWO_PI for n in range(1, order + 1)}


def cumulant_generating_function(junction: Junction, reservoir: str, counting_field: Any, *,
                                 energy_counting_field: Any = 0.0,
                                 scattering_matrix: Callable | None = None) -> np.ndarray:
    """χ(s, u): scaled CGF of the particles (field s) and energy (field u) leaving ``reservoir``.

    θ(E) = s + u·E replaces the counting phase in the module docstring's formulas;
    χ(0, 0) = 0. For thermal reservoirs the fluctuation theorem (Gallavotti–Cohen) reads
    χ(s, u) = χ(−s + β_β μ_β − β_α μ_α, −u − (β_β − β_α)) for two terminals α, β.

    Parameters
    ----------
    junction : Junction
    reservoir : str
    counting_field : float or array_like
        Real s values.
    energy_counting_field : float or array_like, default 0
        Real u values, broadcast against s.
    scattering_matrix : callable, optional
        As in :meth:`Junction.current_cumulants`.

    Returns
    -------
    ndarray
        χ per unit time at each (s, u); +inf/NaN where the bosonic series diverges.
    """
    s = as_real_array(counting_field, "counting_field")
    uu = as_real_array(energy_counting_field, "energy_counting_field")
    s, uu = np.broadcast_arrays(s, uu)
    grid, occ, holes, tvals, smat, sigma, _, names, channels = counting_nodes(junction, reservoir, "particle",
                                                                      scattering_matrix)
    energies = grid.flat_energies
    theta = s.reshape(-1)[:, None] + uu.reshape(-1)[:, None] * energies        # (K, M)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if smat is None:
            other = names[1] if names[0] == reservoir else names[0]
            t = tvals[(other, reservoir)]
            fa, fb = occ[reservoir], occ[other]
            a, b = fa * holes[other], fb * holes[reservoir]
            # 0 · e^{θ} = 0 where an occupation factor has underflowed (far tails, large |u E|).
            up = np.where(a == 0, 0.0, a * np.expm1(theta))
            down = np.where(b == 0, 0.0, b * np.expm1(-theta))
            integrand = sigma * np.log1p(sigma * t * (up + down))
        else:
            f = np.stack([occ[k] for k in channels], axis=-1)
            hole_occ = np.stack([holes[k] for k in channels], axis=-1)
            n = len(channels)
            counted = np.array([k == reservoir for k in channels])
            phase = np.ones(theta.shape + (n,))
            phase[..., counted] = np.exp(-theta)[..., None]
            sdag = np.swapaxes(smat.conj(), -1, -2)
            q = (sdag * phase[..., None, :]) @ (smat / phase[..., None, :])
            qi = (phase[..., :, None] * sdag) @ (smat / phase[..., :, None])
            holes = (sigma > 0) & (np.sum(f, axis=-1) > 0.5 * n)     # see current_cumulants
            f, hole_occ = f[None], hole_occ[None]
            def term(weight: np.ndarray, mat: np.ndarray) -> np.ndarray:
                # rows with zero weight contribute exactly nothing, even where the phases overflow
                return np.where(weight[..., :, None] == 0, 0.0, weight[..., :, None] * (mat - np.eye(n)))

            m = np.eye(n) + np.where(holes[:, None, None], term(hole_occ, qi), term(sigma * f, q))
            sign, logdet = np.linalg.slogdet(m)
            integrand = sigma * np.where(np.abs(sign - 1) < 1e-8, logdet, np.nan)
    values, _ = grid.integrate(integrand)
    return (values / TWO_PI).reshape(s.shape)

"""Spectrum of a rank-one compression by the secular equation (entropy of the environment block).

For a single-level system the environment block 𝒞_BB(t) of the correlation matrix is the
compression of 𝒞(t) to the complement of the system site. 𝒞(t) = U 𝒞(0) U† has the
time-independent spectrum g_j = diag 𝒞(0) and eigenvectors U(t) e_j, so with the weights
w_j = |U_dj(t)|² (Σ_j w_j = 1) the N − 1 eigenvalues of 𝒞_BB are (Cauchy interlacing)

* each pole value g of multiplicity m, m − 1 times, and each pole of zero weight;
* one root of the secular equation f(λ) = Σ_j w_j / (g_j − λ) = 0 between each pair of
  consecutive distinct poles of non-zero weight.

This replaces an O(N³) eigensolve of the 2K × 2K environment block by O(N²) work per time
(the suggestion of issue 4). The roots are found in coordinates shifted to the nearer pole, by
the "middle way" rational iteration (Li 1993; LAPACK dlaed4): the poles left and right of the
root are each modelled by one pole plus a constant, matching value and slope, which converges
quadratically; a bisection bracket guards every step.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from thermoflux.errors import ConvergenceError, InputError

__all__ = ["compression_eigenvalues"]

_EPS = np.finfo(float).eps


def compression_eigenvalues(poles: Any, weights: Any, *, pole_tol: float | None = None,
                            weight_tol: float | None = None, max_iterations: int = 80,
                            chunk: int = 256) -> np.ndarray:
    """Eigenvalues of A restricted to v⊥, where A = Σ_j g_j u_j u_j† and w_j = |⟨u_j, v⟩|².

    Parameters
    ----------
    poles : array_like, shape (n,)
        Eigenvalues g_j of A.
    weights : array_like, shape (n,)
        w_j = |u_j† v|² >= 0 for the unit vector v that is projected out.
    pole_tol : float, optional
        Poles closer than this are one pole (their m − 1 extra copies are eigenvalues, exact to
        within ``pole_tol``). Default 4 eps · max(1, max|g|).
    weight_tol : float, optional
        Poles of weight below ``weight_tol · Σ w`` are eigenvalues (deflation); default 1e-30,
        far below where it moves an eigenvalue by a rounding error.
    max_iterations : int, default 80
    chunk : int, default 256
        Roots processed together (memory ~ chunk · n floats).

    Returns
    -------
    ndarray, shape (n − 1,)
        Eigenvalues of the compression, sorted.

    Raises
    ------
    ConvergenceError
        If some root does not converge (which would indicate NaN input).
    """
    g = np.asarray(poles, dtype=float)
    w = np.asarray(weights, dtype=float)
    if g.ndim != 1 or w.shape != g.shape or g.size == 0:
        raise InputError(f"poles and weights must be 1-D of equal length >= 1; got {g.shape}, {w.shape}")
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(w))) or np.any(w < 0):
        raise InputError("poles must be finite and weights finite and non-negative")
    scale = max(1.0, float(np.max(np.abs(g))))
    pole_tol = 4 * _EPS * scale if pole_tol is None else float(pole_tol)
    total = float(w.sum())
    if total <= 0:
        raise InputError("weights must not all be zero (v must be a unit vector)")
    weight_tol = 1e-30 if weight_tol is None else float(weight_tol)
    order = np.argsort(g, kind="stable")
    g, w = g[order], w[order]
    starts = np.concatenate([[True], np.diff(g) > pole_tol])
    gid = np.cumsum(starts) - 1
    d = g[starts]
    dw = np.bincount(gid, weights=w, minlength=d.size)
    counts = np.bincount(gid, minlength=d.size)
    out = [np.repeat(d, counts - 1)]
    keep = dw > weight_tol * total
    out.append(d[~keep])
    out.append(_secular_roots(d[keep], dw[keep] / total, max_iterations, chunk))
    return np.sort(np.concatenate(out))


def _secular_roots(d: np.ndarray, w: np.ndarray, max_iterations: int, chunk: int) -> np.ndarray:
    """Roots of Σ_j w_j/(d_j − λ) = 0 in each (d_i, d_{i+1}); d strictly increasing, w > 0."""
    p = d.size
    if p < 2:
        return np.empty(0)
    roots = np.empty(p - 1)
    for start in range(0, p - 1, chunk):
        idx = np.arange(start, min(start + chunk, p - 1))
        roots[idx - start + start] = _solve_chunk(d, w, idx, max_iterations)
    return roots


def _sums(d: np.ndarray, w: np.ndarray, idx: np.ndarray, origin: np.ndarray,
          tau: np.ndarray) -> tuple[np.ndarray, ...]:
    """ψ, ψ', φ, φ' at origin + tau: sums over poles j <= i (ψ) and j > i (φ)."""
    r = (d[None, :] - origin[:, None]) - tau[:, None]
    terms = w[None, :] / r
    slopes = terms / r
    left = np.arange(d.size)[None, :] <= idx[:, None]
    psi = np.where(left, terms, 0.0).sum(axis=1)
    dpsi = np.where(left, slopes, 0.0).sum(axis=1)
    phi = terms.sum(axis=1) - psi
    dphi = slopes.sum(axis=1) - dpsi
    return psi, dpsi, phi, dphi


def _solve_chunk(d: np.ndarray, w: np.ndarray, idx: np.ndarray, max_iterations: int) -> np.ndarray:
    lo_pole, hi_pole = d[idx], d[idx + 1]
    gap = hi_pole - lo_pole
    half = gap / 2
    # Sign of f at the midpoint decides the half holding the root (f increases between poles).
    psi, _, phi, _ = _sums(d, w, idx, lo_pole, half)
    left_half = psi + phi >= 0
    origin = np.where(left_half, lo_pole, hi_pole)
    lo = np.where(left_half, 0.0, -half)
    hi = np.where(left_half, half, 0.0)
    a = lo_pole - origin  # shifted poles bounding the interval (one of them is 0)
    b = hi_pole - origin
    tau = np.where(left_half, half / 2, -half / 2)
    done = np.zeros(idx.size, dtype=bool)
    for _ in range(max_iterations):
        act = ~done
        if not np.any(act):
            break
        ia = np.flatnonzero(act)
        t = tau[ia]
        psi, dpsi, phi, dphi = _sums(d, w, idx[ia], origin[ia], t)
        f = psi + phi
        lo_a, hi_a = lo[ia], hi[ia]
        hi_a = np.where(f > 0, t, hi_a)
        lo_a = np.where(f < 0, t, lo_a)
        aa, bb = a[ia] - t, b[ia] - t  # pole positions relative to the current point
        s_left = dpsi * aa * aa
        s_right = dphi * bb * bb
        c = (psi - s_left / aa) + (phi - s_right / bb)
        # Model c + S/(a − x) + T/(b − x) = 0 in x (absolute shifted coordinate).
        A, B = a[ia], b[ia]
        q2 = c
        q1 = -(c * (A + B) + s_left + s_right)
        q0 = c * A * B + s_left * B + s_right * A
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            disc = np.sqrt(np.maximum(q1 * q1 - 4 * q2 * q0, 0.0))
            q = -0.5 * (q1 + np.copysign(disc, q1))
            r1 = np.where(q2 != 0, q / q2, np.nan)
            r2 = np.where(q != 0, q0 / q, np.nan)
        in1 = (r1 > lo_a) & (r1 < hi_a)
        in2 = (r2 > lo_a) & (r2 < hi_a)
        new = np.where(in2, r2, np.where(in1, r1, 0.5 * (lo_a + hi_a)))
        exact = f == 0
        new = np.where(exact, t, new)
        width = hi_a - lo_a
        conv = exact | (np.abs(new - t) <= 4 * _EPS * np.abs(new)) | (width <= 4 * _EPS * np.maximum(np.abs(lo_a), np.abs(hi_a)))
        tau[ia], lo[ia], hi[ia] = new, lo_a, hi_a
        done[ia] = conv
    if not np.all(done):
        bad = int(np.sum(~done))
        raise ConvergenceError(
            f"secular equation: {bad} root(s) of the environment spectrum did not converge in "
            f"{max_iterations} middle-way iterations (bracket widths up to "
            f"{float(np.max((hi - lo)[~done])):.3g})")
    return origin + tau

"""Stationary states and time evolution of the Pauli and GKSL master equations (seed 002, eqs. 22-24).

The Pauli stationary populations are found on the unique closed class of the rate graph, with
the subtraction-free Grassmann-Taksar-Heyman elimination for small N (exact to relative rounding
even for populations of 1e-300) and a sparse LU solve for large N. The GKSL stationary state is
found either in the zero-Bohr-frequency sector of the Liouvillian (the secular generator commutes
with [H_S, ·], so the sector is invariant and holds every stationary state) or on the full
Liouvillian with the trace condition, as QuTiP does. Evolution exponentiates each invariant block.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as la
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.sparse.csgraph import connected_components

from thermoflux.errors import ConvergenceError

__all__ = ["closed_classes", "stationary_populations", "gth_stationary", "gksl_stationary",
           "invariant_blocks", "evolve_vector"]

GTH_MAX = 400  # dense O(N^3) elimination below this size, sparse LU above


def closed_classes(rate_matrix: sp.csr_array) -> tuple[np.ndarray, list[np.ndarray]]:
    """Strongly connected components of the rate graph (edge m → n when W[n, m] > 0) and the closed ones.

    The null space of W has the dimension of the number of closed classes.
    """
    w = sp.csr_array(rate_matrix)
    adjacency = sp.csr_array(w.T)  # row m -> column n
    adjacency.setdiag(0)
    adjacency.eliminate_zeros()
    adjacency.data = (adjacency.data > 0).astype(float)
    adjacency.eliminate_zeros()
    n_comp, labels = connected_components(adjacency, directed=True, connection="strong")
    coo = adjacency.tocoo()
    leaving = labels[coo.row] != labels[coo.col]
    has_exit = np.zeros(n_comp, dtype=bool)
    has_exit[labels[coo.row[leaving]]] = True
    closed = [np.flatnonzero(labels == c) for c in range(n_comp) if not has_exit[c]]
    return labels, closed


def gth_stationary(rates: np.ndarray) -> np.ndarray:
    """Stationary distribution of an irreducible chain by Grassmann-Taksar-Heyman elimination.

    ``rates[i, j]`` is the rate i → j (diagonal ignored). Only additions, multiplications and
    divisions of non-negative numbers occur, so every population keeps full relative accuracy.
    """
    p = np.array(rates, dtype=float)
    np.fill_diagonal(p, 0.0)
    n = p.shape[0]
    for k in range(n - 1, 0, -1):
        s = p[k, :k].sum()
        if s <= 0:
            raise ConvergenceError(f"GTH elimination: state {k} has no path down at step {n - k}; the chain is reducible")
        p[:k, k] /= s
        p[:k, :k] += np.outer(p[:k, k], p[k, :k])
    pi = np.zeros(n)
    pi[0] = 1.0
    for k in range(1, n):
        pi[k] = pi[:k] @ p[:k, k]
    return pi / pi.sum()


def stationary_populations(rate_matrix: sp.csr_array) -> np.ndarray:
    """Unique solution of W p = 0, Σ p = 1, p >= 0 (seed 002, eq. 24).

    Raises
    ------
    ConvergenceError
        When the stationary state is not unique (more than one closed class: the null space of W
        has that dimension), or when the sparse solve leaves populations negative beyond rounding.

    Notes
    -----
    Transient states get exactly 0. On the closed class C, |C| <= 400 uses GTH elimination;
    larger classes solve W_CC p = 0 with one population fixed (sparse LU), then normalize;
    populations in [−1e3·eps·max p, 0) from rounding of that solve are set to 0 (stated here,
    not silent), anything more negative raises.
    """
    w = sp.csr_array(rate_matrix)
    n = w.shape[0]
    _, closed = closed_classes(w)
    if len(closed) != 1:
        sizes = [c.size for c in closed]
        raise ConvergenceError(f"the stationary state is not unique: the rate matrix has a null space of "
                               f"dimension {len(closed)} ({len(closed)} closed classes of sizes {sizes}); "
                               "couple the disconnected levels or give an initial state and use evolve()")
    c = closed[0]
    out = np.zeros(n)
    if c.size == 1:
        out[c] = 1.0
        return out
    sub = w[c][:, c]
    if c.size <= GTH_MAX:
        out[c] = gth_stationary(sub.toarray().T)
        return out
    k0 = int(np.argmax(-sub.diagonal()))
    rest = np.setdiff1d(np.arange(c.size), [k0])
    a = sp.csc_array(sub[rest][:, rest])
    rhs = -sub[rest][:, [k0]].toarray().ravel()
    x = spla.splu(a).solve(rhs)
    p = np.empty(c.size)
    p[k0] = 1.0
    p[rest] = x
    p /= p.sum()
    floor = 1e3 * np.finfo(float).eps * p.max()
    if np.any(p < -floor):
        raise ConvergenceError(f"sparse LU stationary solve left a population of {p.min():.3g} < 0 "
                               f"(beyond the rounding floor {floor:.3g}); the rate matrix is too ill-conditioned")
    p[p < 0] = 0.0
    out[c] = p / p.sum()
    return out


def invariant_blocks(lv: sp.csr_array) -> list[np.ndarray]:
    """Index sets of the invariant blocks of a Liouvillian (connected components of its sparsity graph)."""
    pattern = sp.csr_array(lv, copy=True)
    pattern.data = np.abs(pattern.data)
    pattern.eliminate_zeros()
    n_comp, labels = connected_components(pattern, directed=True, connection="weak")
    order = np.argsort(labels, kind="stable")
    splits = np.flatnonzero(np.diff(labels[order])) + 1
    return np.split(order, splits)


def gksl_stationary(lv: sp.csr_array, n_levels: int, *, sector: np.ndarray | None = None) -> np.ndarray:
    """Stationary density matrix: L vec(ρ) = 0 with tr ρ = 1, solved by sparse LU.

    ``sector`` (indices of vec(ρ)) restricts the solve to an invariant subspace that holds the
    stationary state (the zero-Bohr-frequency sector); None solves on all N² unknowns. The trace
    condition replaces the row of the first diagonal element.
    """
    n = n_levels
    idx = np.arange(n * n) if sector is None else np.asarray(sector)
    sub = sp.csr_array(lv[idx][:, idx]).tolil()
    diag_pos = np.flatnonzero(idx % (n + 1) == 0)  # positions of ρ_ii (vec index i + n i)
    trace_row = np.zeros(idx.size, dtype=complex)
    trace_row[diag_pos] = 1.0
    r0 = int(diag_pos[0])
    sub[r0, :] = trace_row
    rhs = np.zeros(idx.size, dtype=complex)
    rhs[r0] = 1.0
    try:
        x = spla.splu(sp.csc_array(sub)).solve(rhs)
    except RuntimeError as exc:
        raise ConvergenceError(f"GKSL stationary state: sparse LU of the {idx.size}x{idx.size} Liouvillian "
                               f"with the trace condition failed ({exc}); the stationary state is "
                               "probably not unique") from exc
    vec = np.zeros(n * n, dtype=complex)
    vec[idx] = x
    rho = vec.reshape(n, n, order="F")
    residual = float(np.max(np.abs(lv @ vec))) if vec.size else 0.0
    scale = float(abs(lv).max()) if lv.nnz else 1.0
    if not np.all(np.isfinite(rho)) or residual > 1e-8 * max(scale, 1.0):
        raise ConvergenceError(f"GKSL stationary state: residual max|L vec ρ| = {residual:.3g} after the "
                               "sparse LU solve; the stationary state is probably not unique")
    return 0.5 * (rho + rho.conj().T)


def evolve_vector(lv: sp.csr_array, vec0: np.ndarray, times: np.ndarray,
                  blocks: list[np.ndarray] | None = None) -> np.ndarray:
    """vec ρ(t) = exp(L t) vec ρ(0) for each time, block by block (1x1 blocks as scalars).

    Dense ``expm`` (scaling and squaring) on each invariant block: its cost grows only like
    log(‖L‖ t), unlike Krylov methods. Squaring doubles the rounding error along a conserved
    direction at each step (the trace of exp(L t) drifts by ~‖L‖ t · eps: 7e-9 at t = 1e8), so a
    block with a kernel is split with the spectral projector Π onto that kernel (L Π = Π L = 0; the
    zero eigenvalue of a GKSL generator is semisimple): exp(L t) v = Π v + exp(A t)(1 − Π) v with
    A = L − λΠ, λ > 0, whose exponential decays, so its squaring errors are damped instead of
    doubled. Accurate to rounding at any t (1e8 and beyond).
    """
    if blocks is None:
        blocks = invariant_blocks(lv)
    out = np.zeros((times.size, vec0.size), dtype=complex)
    singles = np.concatenate([b for b in blocks if b.size == 1]) if any(b.size == 1 for b in blocks) else np.zeros(0, int)
    if singles.size:
        diag = lv.diagonal()[singles]
        with np.errstate(over="ignore", under="ignore"):
            out[:, singles] = np.exp(np.outer(times, diag)) * vec0[singles]
    for b in blocks:
        if b.size == 1:
            continue
        v = vec0[b]
        if not np.any(v):
            continue
        dense = lv[b][:, b].toarray()
        projector = _kernel_projector(dense)
        if projector is None:
            stationary, transient, decaying = np.zeros_like(v), v, dense
        else:
            lam = max(float(np.abs(dense).sum(axis=0).max()), np.finfo(float).tiny)  # ‖L‖_1: any λ > 0 works
            stationary = projector @ v
            transient = v - stationary
            decaying = dense - lam * projector
        # Beyond α t < −800 (α < 0 the spectral abscissa of the decaying part) exp(A t) is below
        # e^{-800} times its eigenvector condition number: zero in double precision, where
        # scipy's expm of a matrix of norm ~1e20 and more no longer returns it.
        abscissa = float(np.max(np.linalg.eigvals(decaying).real))
        for i, t in enumerate(times):
            if abscissa < 0 and abscissa * t < -800.0:
                out[i, b] = stationary
            else:
                out[i, b] = stationary + la.expm(decaying * t) @ transient
    return out


def _kernel_projector(dense: np.ndarray) -> np.ndarray | None:
    """Spectral projector R (Wᴴ R)⁻¹ Wᴴ onto the kernel of a block (R, W right/left null bases), or None."""
    right = la.null_space(dense)
    if right.shape[1] == 0:
        return None
    left = la.null_space(dense.conj().T)
    if left.shape[1] != right.shape[1]:
        return None  # not a semisimple zero eigenvalue as far as rounding can tell: plain expm
    return right @ np.linalg.solve(left.conj().T @ right, left.conj().T)

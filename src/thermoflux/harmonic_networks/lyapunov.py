"""Steady-state solvers of the Lyapunov equation M C + C M† + F = 0 (seed 003, eqs. B5, D3).

C_ij = ⟨a_i† a_j⟩, M = i Hᵀ − G/2 (see :meth:`Network.drift`), F = diag(f) with
f_k = Σ_{baths on k} γ_c n_c + Σ_{probes on k} Γ_k ñ_k. A self-consistent probe has ñ_k = C_kk,
so the probe pumping is linear in C and the problem stays linear (eq. D3):

    M C + C M† + diag(f_r) + diag(Γ ∘ diag C) = 0.

Solvers (all exact up to round-off; none iterates on ñ):

* ``eigen``: M = V Λ V⁻¹, C = V [−(V⁻¹ F V⁻†) ∘ D] V†, D_ab = 1/(λ_a + λ_b*). One O(L³)
  decomposition, then a few GEMMs per right-hand side. Probes by the Woodbury identity: the
  P × P matrix A_pk = Γ_k [X_k]_pp, X_k solving M X + X M† = −e_k e_kᵀ, gives
  (1 − A) ñ = diag(C_r)_probes; building A costs O(P² L²) exactly, or O(r L² + r P² L) when
  the Cauchy matrix D has a low numerical rank r (see :meth:`DriftEigen.probe_matrix`).
* ``schur``: :func:`scipy.linalg.solve_continuous_lyapunov` (Bartels-Stewart), same Woodbury
  step with P + 2 solves. Used automatically when the eigenvectors are ill-conditioned.
* ``banded``: for tridiagonal H, the ansatz "C tridiagonal" turns eq. D3 into 3L − 2 real
  linear equations, solved sparse in O(L); accepted only if the full residual (including the
  entries two off the diagonal, which the ansatz does not impose) vanishes to round-off.
  Appendix D of seed 003 shows this holds for the uniform chain of eq. 27.
* ``kronecker``: the vectorised L² × L² system (I ⊗ M + M* ⊗ I + probe term), dense. The
  straightforward baseline of the benchmark; O(L⁶) time, O(L⁴) memory.

The eigenbasis of M and the probe matrix A depend on the drift and the probes only, not on the
bath occupations (which enter through f alone): :class:`EigenCache` keeps them for the next
solve whose drift and probes are identical, so a sweep over bath temperatures or occupations
pays the O(L³) decomposition and the O(P² L²) matrix once (issue 15).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.linalg as la
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from thermoflux._threads import blas_threads as _blas_threads
from thermoflux._validation import check_choice
from thermoflux.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from thermoflux.harmonic_networks.network import Network

__all__ = ["DriftEigen", "EigenSteadyState", "EigenCache", "solve_steady_state", "lyapunov_residual", "SOLVERS"]

SOLVERS = ("auto", "eigen", "schur", "banded", "kronecker")

#: Eigenvector condition numbers above this make the eigenbasis solve lose more than ~6 digits
#: (error ~ cond² · eps); the Schur solver is used instead.
_MAX_EIGENVECTOR_CONDITION = 1e5


class DriftEigen:
    """Eigen-decomposition M = V Λ V⁻¹ of the drift, with the stability check.

    Raises
    ------
    InputError
        When some eigenvalue has Re λ >= −1e-12 · max|M| (a mode no channel damps: the steady
        state is not unique, or the dynamics does not relax).
    """

    def __init__(self, drift: np.ndarray) -> None:
        self.drift = drift
        # Remove the mean frequency i·ω̄ before eig: it shifts every eigenvalue by the same
        # i·ω̄ and leaves the eigenvectors, D_ab and the C(t) phases unchanged, but eig's error
        # (~ eps · ||M||) would otherwise be set by ω instead of the rates and couplings, which
        # can be many orders smaller (seed 003 uses λ, γ ~ 1e-6 ω).
        shift = float(np.mean(drift.diagonal().imag))
        reduced = drift - 1j * shift * np.eye(drift.shape[0])
        lam, v = la.eig(reduced)
        self.eigenvalues = lam + 1j * shift
        self.vectors = v
        self.inverse = la.inv(v)
        scale = float(np.max(np.abs(reduced)))
        # A damped mode has Re λ <= −(smallest rate)/2 in practice; 1e-12 · max|M − iω̄| is the
        # round-off floor of eig (~ L·eps·||M − iω̄|| · cond) with a wide margin.
        if np.max(lam.real) >= -1e-12 * scale:
            worst = self.eigenvalues[np.argmax(lam.real)]
            raise InputError(
                "network: a normal mode is not damped by any channel (drift eigenvalue "
                f"{worst:.6g} has Re >= 0), so the steady state is not unique; attach a bath that "
                "couples to every part of the network"
            )
        self.condition = float(np.linalg.norm(v, 2) * np.linalg.norm(self.inverse, 2)) if v.shape[0] <= 400 \
            else float(np.linalg.norm(v) * np.linalg.norm(self.inverse) / v.shape[0])
        self.cauchy = 1.0 / (lam[:, None] + lam.conj()[None, :])

    @property
    def well_conditioned(self) -> bool:
        """Whether the eigenbasis is accurate enough to solve and propagate in (else use expm/Schur)."""
        return self.condition <= _MAX_EIGENVECTOR_CONDITION

    def solve(self, pumping: np.ndarray) -> np.ndarray:
        """C solving M C + C M† + diag(pumping) = 0 (or + pumping for a square matrix)."""
        u, v = self.inverse, self.vectors
        if pumping.ndim == 1:
            q = (u * pumping[None, :]) @ u.conj().T
        else:
            q = u @ pumping @ u.conj().T
        y = -q * self.cauchy
        c = v @ y @ v.conj().T
        return 0.5 * (c + c.conj().T)

    def probe_matrix(self, sites: np.ndarray, rates: np.ndarray, *, low_rank: bool | None = None) -> np.ndarray:
        """A_pk = Γ_k [X_k]_pp, X_k solving M X + X M† = −e_k e_kᵀ, for probe sites p, k.

        Exact route: A_pk = −Γ_k Σ_ab W_pa D_ab W_pb*, W_pa = V_pa U_ak, O(P² L²). Low-rank
        route: the Cauchy matrix D has its two point sets λ_a and −λ_b* on either side of the
        imaginary axis, so it is often numerically of low rank r (r ~ 70-80 for the chain of
        eq. 28 at L = 80-300; close to L for dense random networks). D ≈ Σ_q x_q y_qᵀ by
        adaptive cross approximation with full pivoting to 1e-14 · max|D|, then
        A = −Γ ∘ Re Σ_q (V_P diag(x_q) U_P) ∘ conj(V_P diag(y_q*) U_P), O(r L² + r P² L).
        ``low_rank=None`` (default) tries it for P >= 64 with r <= L/4 (where it pays) and
        otherwise takes the exact route; ``True`` forces it at any rank. The caller checks the
        final solution (C_kk = ñ_k) and redoes A exactly if that check fails.
        """
        u, v, d = self.inverse, self.vectors, self.cauchy
        vp = v[sites, :]
        up = u[:, sites]
        max_rank = d.shape[0] if low_rank else max(1, d.shape[0] // 4)
        if low_rank is None:
            low_rank = sites.size >= 64
        if low_rank:
            terms = _cross_approximation(d, 1e-14, max_rank)
            if terms is not None:
                acc = np.zeros((sites.size, sites.size), dtype=complex)
                for x, y in terms:
                    acc += (vp * x[None, :]) @ up * np.conj((vp * y.conj()[None, :]) @ up)
                return -(acc.real * rates[None, :])
        out = np.empty((sites.size, sites.size))
        for j, (k, g) in enumerate(zip(sites, rates)):
            w = vp * u[:, k][None, :]
            out[:, j] = g * np.einsum("pb,pb->p", w @ d, w.conj()).real
        return -out


def _cross_approximation(matrix: np.ndarray, rtol: float, max_rank: int) -> list | None:
    """Rank-1 terms (x_q, y_q), matrix ≈ Σ_q x_q y_qᵀ to rtol · max|·| (greedy full pivoting).

    Returns None when more than ``max_rank`` terms would be needed.
    """
    r = matrix.copy()
    scale = float(np.max(np.abs(r)))
    terms = []
    while True:
        i, j = np.unravel_index(np.argmax(np.abs(r)), r.shape)
        pivot = r[i, j]
        if abs(pivot) <= rtol * scale:
            return terms
        if len(terms) == max_rank:
            return None
        x = r[:, j].copy()
        y = r[i, :] / pivot
        r -= np.outer(x, y)
        terms.append((x, y))


def lyapunov_residual(drift: np.ndarray, covariance: np.ndarray, pumping: np.ndarray) -> float:
    """max |M C + C M† + diag(pumping)|."""
    r = drift @ covariance + covariance @ drift.conj().T
    r[np.diag_indices_from(r)] += pumping
    return float(np.max(np.abs(r)))


def _probe_solve(solve, n: int, f_bath: np.ndarray, sites: np.ndarray, rates: np.ndarray,
                 matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c_bath = solve(f_bath)
    if sites.size == 0:
        return c_bath, np.zeros(0)
    system = np.eye(sites.size) - matrix
    rhs = c_bath.diagonal().real[sites]
    try:
        occ = la.solve(system, rhs)
    except la.LinAlgError as exc:
        raise InputError("self-consistent probes: the zero-exchange conditions are singular "
                         "(no physical bath reaches the probed modes)") from exc
    f = f_bath.copy()
    np.add.at(f, sites, rates * occ)
    return solve(f), occ


class EigenSteadyState:
    """The ``eigen`` solve of eq. D3 split into its drift-only part and its per-pumping part.

    M = V Λ V⁻¹ (:class:`DriftEigen`) and the probe matrix A of the zero-exchange conditions
    (:meth:`DriftEigen.probe_matrix`) depend on the drift M and the probe sites and rates only;
    the bath pumping f (γ_c n_c: occupations, temperatures) enters only :meth:`solve`, two
    Lyapunov solves in the eigenbasis and the P × P system (1 − A) ñ = diag(C_r)_P (seed 003,
    eq. D3). Each A (low-rank or exact route) is built on first use and kept.

    Raises
    ------
    InputError
        When some mode of the drift is not damped (see :class:`DriftEigen`).
    """

    def __init__(self, drift: np.ndarray, sites: np.ndarray, rates: np.ndarray) -> None:
        self.eigen = DriftEigen(np.array(drift))  # its own copy: what matches() compares cannot change
        self.sites = np.array(sites, dtype=int)
        self.rates = np.array(rates, dtype=float)
        self._probe_matrices: dict[bool | None, np.ndarray] = {}

    def matches(self, drift: np.ndarray, sites: np.ndarray, rates: np.ndarray) -> bool:
        """Whether this is the decomposition of exactly this drift and these probes (bit for bit)."""
        return (np.array_equal(self.eigen.drift, drift) and np.array_equal(self.sites, sites)
                and np.array_equal(self.rates, rates))

    def probe_matrix(self, low_rank: bool | None) -> np.ndarray:
        """A of :meth:`DriftEigen.probe_matrix` for this route, built once."""
        if low_rank not in self._probe_matrices:
            self._probe_matrices[low_rank] = self.eigen.probe_matrix(self.sites, self.rates, low_rank=low_rank)
        return self._probe_matrices[low_rank]

    def solve(self, f_bath: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """(C, ñ) for the bath pumping ``f_bath``; None when the eigenbasis is ill-conditioned."""
        eig, sites, rates = self.eigen, self.sites, self.rates
        if not eig.well_conditioned:
            return None
        if not sites.size:
            return _probe_solve(eig.solve, eig.drift.shape[0], f_bath, sites, rates, np.zeros((0, 0)))
        c, occ = _probe_solve(eig.solve, eig.drift.shape[0], f_bath, sites, rates, self.probe_matrix(None))
        # Certificate: the probes must exchange nothing, C_kk = ñ_k, to the accuracy of the
        # Lyapunov solve itself (~ cond(V)² eps max C); otherwise redo A exactly.
        mismatch = float(np.max(np.abs(c.diagonal().real[sites] - occ)))
        allowed = 1e3 * eig.condition**2 * np.finfo(float).eps * max(1.0, float(np.max(np.abs(c))))
        if mismatch > allowed:
            return _probe_solve(eig.solve, eig.drift.shape[0], f_bath, sites, rates, self.probe_matrix(False))
        return c, occ


class EigenCache:
    """One :class:`EigenSteadyState`, reused while the drift and the probes stay the same.

    Pass one to :meth:`Network.steady_state` (``eigen_cache=``) for a series of networks that
    differ only in their bath occupations (a temperature sweep): the eigenbasis and the probe
    matrix are built for the first and reused, bit for bit the arrays a fresh solve would
    build. A network whose drift or probes differ in any bit replaces the entry. ``hits``
    counts the reuses.
    """

    def __init__(self) -> None:
        self._entry: EigenSteadyState | None = None
        self.hits = 0

    def steady_state_solver(self, drift: np.ndarray, sites: np.ndarray, rates: np.ndarray) -> EigenSteadyState:
        """The kept :class:`EigenSteadyState` if it matches, else a new one (which is kept)."""
        entry = self._entry
        if entry is not None and entry.matches(drift, sites, rates):
            self.hits += 1
            return entry
        self._entry = EigenSteadyState(drift, sites, rates)
        return self._entry


def _solve_eigen(net: Network, drift: np.ndarray, f_bath, sites, rates, *, cache: EigenCache | None = None):
    solver = EigenSteadyState(drift, sites, rates) if cache is None else cache.steady_state_solver(drift, sites, rates)
    return solver.solve(f_bath)


def _solve_schur(net: Network, drift: np.ndarray, f_bath, sites, rates):
    n = net.n_modes
    DriftEigen(drift)  # the stability check, with its message

    def solve(f):
        c = la.solve_continuous_lyapunov(drift, -np.diag(f).astype(complex))
        return 0.5 * (c + c.conj().T)

    matrix = np.zeros((sites.size, sites.size))
    for j, (k, g) in enumerate(zip(sites, rates)):
        e = np.zeros(n)
        e[k] = 1.0
        matrix[:, j] = g * solve(e).diagonal().real[sites]
    return _probe_solve(solve, n, f_bath, sites, rates, matrix)


def _solve_kronecker(net: Network, drift: np.ndarray, f_bath, sites, rates):
    n = net.n_modes
    DriftEigen(drift)
    eye = np.eye(n)
    # Column-major vec: vec(M C) = (1 ⊗ M) vec C, vec(C M†) = (M* ⊗ 1) vec C.
    big = np.kron(eye, drift) + np.kron(drift.conj(), eye)
    diag_index = np.arange(n) * (n + 1)
    probe = np.zeros(n)
    np.add.at(probe, sites, rates)
    big[diag_index, diag_index] += probe
    rhs = np.zeros(n * n, dtype=complex)
    rhs[diag_index] = -f_bath
    c = la.solve(big, rhs).reshape(n, n, order="F")
    c = 0.5 * (c + c.conj().T)
    return c, c.diagonal().real[sites].copy()


def _solve_banded(net: Network, drift: np.ndarray, f_bath, sites, rates):
    """Tridiagonal ansatz; returns None when H is not tridiagonal or the ansatz fails."""
    n = net.n_modes
    h = net.hamiltonian
    if n > 2 and np.any(np.triu(h, 2) != 0):
        return None
    probe = np.zeros(n)
    np.add.at(probe, sites, rates)
    m = drift
    rows, cols, vals = [], [], []

    def add(r, c, v):
        if v != 0.0:
            rows.append(r)
            cols.append(c)
            vals.append(v)

    nx = n - 1
    ip, iq = n, n + nx  # offsets of Re x_k and Im x_k in the unknown vector
    for i in range(n):
        add(i, i, 2.0 * m[i, i].real + probe[i])
        if i > 0:  # 2 Re(M_{i,i-1} x_{i-1})
            c = m[i, i - 1]
            add(i, ip + i - 1, 2.0 * c.real)
            add(i, iq + i - 1, -2.0 * c.imag)
        if i < n - 1:  # 2 Re(M_{i,i+1} conj(x_i))
            c = m[i, i + 1]
            add(i, ip + i, 2.0 * c.real)
            add(i, iq + i, 2.0 * c.imag)
    for i in range(nx):
        # (M_ii + conj M_{i+1,i+1}) x_i + M_{i,i+1} r_{i+1} + conj(M_{i+1,i}) r_i = 0
        c = m[i, i] + np.conj(m[i + 1, i + 1])
        a = m[i, i + 1]
        b = np.conj(m[i + 1, i])
        re_row, im_row = n + i, n + nx + i
        add(re_row, ip + i, c.real)
        add(re_row, iq + i, -c.imag)
        add(re_row, i + 1, a.real)
        add(re_row, i, b.real)
        add(im_row, ip + i, c.imag)
        add(im_row, iq + i, c.real)
        add(im_row, i + 1, a.imag)
        add(im_row, i, b.imag)
    for i in range(n - 2):
        # entry (i, i+2), which the ansatz must satisfy too: M_{i,i+1} x_{i+1} + conj(M_{i+2,i+1}) x_i = 0
        a = m[i, i + 1]
        b = np.conj(m[i + 2, i + 1])
        re_row, im_row = n + 2 * nx + 2 * i, n + 2 * nx + 2 * i + 1
        add(re_row, ip + i + 1, a.real)
        add(re_row, iq + i + 1, -a.imag)
        add(re_row, ip + i, b.real)
        add(re_row, iq + i, -b.imag)
        add(im_row, ip + i + 1, a.imag)
        add(im_row, iq + i + 1, a.real)
        add(im_row, ip + i, b.imag)
        add(im_row, iq + i, b.real)
    n_unknown = n + 2 * nx
    n_eq = n_unknown + 2 * max(n - 2, 0)
    matrix = sp.csc_matrix((vals, (rows, cols)), shape=(n_eq, n_unknown))
    rhs = np.zeros(n_eq)
    rhs[:n] = -f_bath
    # Overdetermined but consistent when the ansatz holds (some band equations are empty for a
    # ballistic chain, the (i, i+2) ones fix them). Least squares through the augmented system
    # [[1, A], [Aᵀ, 0]] [r; x] = [b; 0], whose conditioning is that of A, not Aᵀ A.
    augmented = sp.bmat([[sp.identity(n_eq), matrix], [matrix.T, None]], format="csc")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", spla.MatrixRankWarning)
        try:
            sol = spla.spsolve(augmented, np.concatenate([rhs, np.zeros(n_unknown)]))[n_eq:]
        except RuntimeError:  # pragma: no cover - singular factor
            return None
    if not np.all(np.isfinite(sol)):
        return None
    x = sol[ip:ip + nx] + 1j * sol[iq:iq + nx]
    c_band = sp.diags([x.conj(), sol[:n].astype(complex), x], [-1, 0, 1], format="csr")
    m_sp = sp.csr_matrix(m)
    pumping = f_bath + probe * sol[:n]
    resid = (m_sp @ c_band + c_band @ m_sp.conj().T).toarray() if n <= 64 else None
    if resid is None:
        r = m_sp @ c_band + c_band @ m_sp.conj().T
        r = r.tocoo()
        resid_max_diag = np.zeros(n, dtype=complex)
        off = r.row != r.col
        resid_off = float(np.max(np.abs(r.data[off]))) if np.any(off) else 0.0
        np.add.at(resid_max_diag, r.row[~off], r.data[~off])
        resid_diag = float(np.max(np.abs(resid_max_diag + pumping)))
        residual = max(resid_off, resid_diag)
    else:
        resid[np.diag_indices(n)] += pumping
        residual = float(np.max(np.abs(resid)))
    coherent = m - np.diag(1j * m.diagonal().imag)
    scale = float(np.max(np.abs(coherent))) * float(np.max(np.abs(sol))) + float(np.max(np.abs(f_bath)))
    # The ansatz either holds exactly (residual at round-off, ~ L·eps·scale) or fails at the
    # level of the physics (~ scale); 1e-10 relative separates the two by orders of magnitude.
    if residual > 1e-10 * max(scale, np.finfo(float).tiny):
        return None
    if np.any(sol[:n] < 0):  # pragma: no cover - a physical solution has C_kk >= 0
        return None
    c = c_band.toarray()
    return c, sol[:n][sites].copy()


def _bath_pumping(net: Network) -> np.ndarray:
    """f_k = Σ_{baths on k} γ_c n_c, the source of eq. B5 (probes excluded: their ñ are unknowns)."""
    f = np.zeros(net.n_modes)
    for c in net.baths:
        f[c.site] += c.rate * c.occupation
    return f


def solve_steady_state(net: Network, *, solver: str = "auto", blas_threads: int | None = None,
                       eigen_cache: EigenCache | None = None) -> tuple[np.ndarray, np.ndarray, str]:
    """Solve eq. D3 for the network; returns (C, probe occupations ñ, solver used).

    ``eigen_cache`` (an :class:`EigenCache`) lets the eigen solver reuse the decomposition and
    probe matrix of a previous network with the same drift and probes.
    """
    check_choice(solver, "solver", SOLVERS)
    if eigen_cache is not None and not isinstance(eigen_cache, EigenCache):
        raise InputError(f"eigen_cache must be a thermoflux.harmonic_networks.lyapunov.EigenCache or None; "
                         f"got {type(eigen_cache).__name__}")
    drift = net.drift()
    f_bath = _bath_pumping(net)
    probes = net.probes
    sites = np.array([c.site for c in probes], dtype=int)
    rates = np.array([c.rate for c in probes], dtype=float)
    with _blas_threads(blas_threads):
        if solver in ("auto", "banded"):
            out = _solve_banded(net, drift, f_bath, sites, rates)
            if out is not None:
                return out[0], out[1], "banded"
            if solver == "banded":
                raise InputError("solver='banded' needs a tridiagonal hamiltonian whose steady "
                                 "covariance is tridiagonal (e.g. the uniform chain of eq. 27); "
                                 "the ansatz fails here: use solver='eigen'")
        if solver == "kronecker":
            if net.n_modes > 120:
                raise InputError(f"solver='kronecker' builds an L^2 x L^2 dense matrix; L={net.n_modes} "
                                 "is too large (at most 120)")
            c, occ = _solve_kronecker(net, drift, f_bath, sites, rates)
            return c, occ, "kronecker"
        if solver in ("auto", "eigen"):
            out = _solve_eigen(net, drift, f_bath, sites, rates, cache=eigen_cache)
            if out is not None:
                return out[0], out[1], "eigen"
        c, occ = _solve_schur(net, drift, f_bath, sites, rates)
        return c, occ, "schur"

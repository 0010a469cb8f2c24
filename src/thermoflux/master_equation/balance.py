"""Detailed balance, temperature functions, local KMS and the generators of seed 002, Sec. V.

The building blocks on arrays (any rate matrix, populations or state, not only a model's
stationary one): the Kolmogorov criterion (eq. 26), its current form per level pair (eq. 47),
"no inverted populations" (eq. 44), the temperature function of a state (eqs. 27-28, 83) and the
local KMS residual (eq. 74). On a model: the forward and backward generators L, L_B (eq. 65), the
ρ-adjoint L_G^+ (eqs. 87-88) and the defect Π̂ of eq. 88b. The analyses of a model's stationary
state (detailed balance, eq. 45, eq. 68b, β_S) are methods of
:class:`~thermoflux.master_equation.StochasticLimit`, built on these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, connected_components

from thermoflux._validation import as_real_array
from thermoflux.errors import InputError
from thermoflux.master_equation.currents import transition_currents
from thermoflux.master_equation.generator import Transitions

if TYPE_CHECKING:  # pragma: no cover
    from thermoflux.master_equation.stochastic_limit import StochasticLimit

__all__ = [
    "kolmogorov_residual",
    "pair_net_currents",
    "has_inverted_populations",
    "temperature_function",
    "local_kms_residual",
    "jump_operators",
    "forward_generator",
    "backward_generator",
    "schrodinger_generator",
    "kms_adjoint",
    "detailed_balance_defect",
]


# -- detailed balance ------------------------------------------------------------------------------
def kolmogorov_residual(rate_matrix: sp.csr_array) -> float:
    """Largest |ln(Π forward rates / Π backward rates)| over the fundamental cycles of the rate graph.

    Seed 002, eq. 26 (Kolmogorov's criterion): detailed balance holds iff Γ_ml/Γ_lm =
    (Γ_mk/Γ_km)(Γ_kl/Γ_lk) for every triple, i.e. iff every cycle has zero affinity. A spanning
    tree assigns potentials φ with e^{φ_l − φ_m} = Γ_ml/Γ_lm on its edges; every other edge closes
    one fundamental cycle and its residual |φ_l − φ_m − ln(Γ_ml/Γ_lm)| is that cycle's affinity.
    Works for sparse graphs (where the triangles of eq. 26 do not cover the cycles).

    Raises
    ------
    InputError
        If some transition has a rate in one direction only (the logarithm is infinite): use
        the current criterion (eq. 47) instead.
    """
    w = sp.csr_array(rate_matrix).tocoo()
    off = w.row != w.col
    fwd = sp.coo_array((w.data[off].real, (w.col[off], w.row[off])), shape=w.shape).tocsr()  # [m, l] = rate m -> l
    fwd.eliminate_zeros()
    sym = (fwd + fwd.T).tocsr()
    coo = sym.tocoo()
    m, l = coo.row, coo.col
    rate_ml = np.asarray(fwd[m, l]).ravel()
    rate_lm = np.asarray(fwd[l, m]).ravel()
    one_way = (rate_ml > 0) != (rate_lm > 0)
    if np.any(one_way):
        k = int(np.flatnonzero(one_way)[0])
        raise InputError(f"rate_matrix: the transition between levels {m[k]} and {l[k]} goes one way only "
                         f"(rates {rate_ml[k]:.3g} and {rate_lm[k]:.3g}); the Kolmogorov criterion needs "
                         "reversible transitions, use criterion='currents'")
    log_ratio = np.log(rate_ml) - np.log(rate_lm)  # ln(Γ_ml/Γ_lm) = φ_l − φ_m
    n = w.shape[0]
    phi = np.full(n, np.nan)
    _, labels = connected_components(sym, directed=False)
    lookup = sp.csr_array((log_ratio, (m, l)), shape=(n, n))
    for comp in np.unique(labels):
        root = int(np.flatnonzero(labels == comp)[0])
        order, pred = breadth_first_order(sym, root, directed=False, return_predecessors=True)
        phi[root] = 0.0
        for node in order[1:]:
            parent = pred[node]
            phi[node] = phi[parent] + lookup[parent, node]
    resid = np.abs(phi[l] - phi[m] - log_ratio)
    return float(resid.max()) if resid.size else 0.0


def pair_net_currents(transitions: Transitions, state: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Σ_j J_{j,mn} per level pair (seed 002, eq. 47a), with the pair's largest one-way flow as scale.

    ``state`` is the populations (N,) or a density matrix (N, N). Returns (upper, lower, net,
    scale) over the distinct level pairs that have transitions. Shared by the detailed-balance
    methods of :class:`~thermoflux.master_equation.StochasticLimit`.
    """
    t = transitions
    state = np.asarray(state)
    cur = transition_currents(t, state)
    pops = np.real(np.diag(state)) if state.ndim == 2 else state
    one_way = np.maximum(t.emission * pops[t.upper], t.absorption * pops[t.lower])
    n = pops.size
    key = t.upper * n + t.lower
    uniq, inv = np.unique(key, return_inverse=True)
    net = np.bincount(inv, weights=cur, minlength=uniq.size)
    scale = np.zeros(uniq.size)
    np.maximum.at(scale, inv, one_way)
    return uniq // n, uniq % n, net, scale


def has_inverted_populations(energies: Any, populations: Any, *, tol: float = 0.0) -> bool:
    """True if some ε_m > ε_n has ρ_mm > ρ_nn (1 + tol): the negation of seed 002, eq. 44."""
    e = as_real_array(energies, "energies", ndim=1)
    p = as_real_array(populations, "populations", ndim=1)
    if p.shape != e.shape:
        raise InputError(f"populations must have the shape of energies {e.shape}; got {p.shape}")
    order = np.argsort(e, kind="stable")
    e, p = e[order], p[order]
    # for each level, the smallest population among strictly lower levels
    groups = np.concatenate([[0], np.cumsum(np.diff(e) > 0)])
    best_below = np.full(e.size, np.inf)
    running = np.inf
    for g in range(groups.max() + 1 if e.size else 0):
        idx = groups == g
        best_below[idx] = running
        running = min(running, p[idx].min())
    return bool(np.any(p > best_below * (1.0 + tol)))


# -- temperature function and local KMS ------------------------------------------------------------
def temperature_function(energies: Any, populations: Any, *, reference: int | None = None) -> np.ndarray:
    """β_S(ε_m) = ln(ρ_ref/ρ_mm)/(ε_m − ε_ref), so that ρ = e^{−β_S(H)(H − ε_ref)}/Z (seed 002, eqs. 27-28, 83).

    Parameters
    ----------
    energies, populations : array_like, shape (N,)
    reference : int, optional
        Index of the reference level, whose energy is the zero of H in e^{−β_S(H)H}; default the
        lowest level. Then Z = 1/ρ_ref.

    Returns
    -------
    ndarray, shape (N,)
        Inverse temperature per level (1/energy); NaN at levels degenerate with the reference
        (0/0: any β fits); +inf where ρ_mm = 0 above the reference.

    Notes
    -----
    Seed 002, eq. 27 prints β_S(ε_m) = −ln(ρ_mm)/ε_m, i.e. Z = 1 with energies from 0. That is not
    constant for a Gibbs state unless Z = 1 (−ln(e^{−βε}/Z)/ε = β + ln Z/ε), contradicting the
    statement after eq. 28. Measuring energies from a reference level with Z = 1/ρ_ref makes a
    Gibbs state give β_S ≡ β (``test_balance.py::test_temperature_function_gibbs``).
    """
    e = as_real_array(energies, "energies", ndim=1)
    p = as_real_array(populations, "populations", ndim=1)
    if p.shape != e.shape:
        raise InputError(f"populations must have the shape of energies {e.shape}; got {p.shape}")
    if np.any(p < 0):
        raise InputError(f"populations must be non-negative; got {p.min()!r}")
    ref = int(np.argmin(e)) if reference is None else int(reference)
    if not 0 <= ref < e.size:
        raise InputError(f"reference must index a level in [0, {e.size}); got {reference!r}")
    if p[ref] <= 0:
        raise InputError(f"the reference level {ref} must have a positive population; got {p[ref]!r}")
    with np.errstate(divide="ignore", invalid="ignore"):
        beta = (np.log(p[ref]) - np.log(p)) / (e - e[ref])
    beta[e == e[ref]] = np.nan
    return beta


def local_kms_residual(rho: Any, energies: Any, *, beta: Any) -> float:
    """max over matrix units x, y of |⟨⟨x y(iβ(H))⟩⟩ − ⟨⟨y x⟩⟩| (seed 002, eq. 74b, at t = 0), / max|ρ|.

    With y(iβ(H)) = e^{−β(H)H} y e^{β(H)H} (eq. 73a). For x = |a⟩⟨b|, y = |c⟩⟨d| the two sides
    are δ_bc ρ_da e^{−β_cε_c + β_dε_d} and δ_da ρ_bc, so the residual is the largest of
    |ρ_aa e^{β_aε_a − β_bε_b} − ρ_bb|, |ρ_da| e^{β_dε_d − β_bε_b} (d ≠ a) and |ρ_bc| (b ≠ c); a
    time t multiplies both sides by the same phase. Zero iff ρ = e^{−β(H)H}/Z (Theorem 1).

    ``energies`` fix the zero of H (use those measured from the reference of
    :func:`temperature_function`); ``beta`` gives β(ε_l) per level (NaN entries, where
    ε_l = 0, are irrelevant and taken as 0).
    """
    rho = np.asarray(rho, dtype=complex)
    e = as_real_array(energies, "energies", ndim=1)
    b = np.asarray(beta, dtype=float)
    if rho.shape != (e.size, e.size) or b.shape != e.shape:
        raise InputError(f"rho must be ({e.size}, {e.size}) and beta ({e.size},); got {rho.shape}, {b.shape}")
    b = np.where(np.isnan(b) & (e == 0), 0.0, b)
    g = b * e  # β_l ε_l
    diag = rho.diagonal().real
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        log_d = np.log(np.abs(diag))
        term = np.exp(log_d[:, None] + g[:, None] - g[None, :]) - diag[None, :]  # [a, b]
        off = np.abs(rho - np.diag(np.diag(rho)))
        r2 = off[:, :, None] * np.exp(g[None, :, None] - g[None, None, :])  # [d, a, b]: |ρ_da| e^{g_d − g_b}
    res = max(float(np.nanmax(np.abs(term))) if term.size else 0.0,
              float(np.max(r2)) if r2.size else 0.0, float(off.max()) if off.size else 0.0)
    return res / max(float(np.abs(rho).max()), np.finfo(float).tiny)


# -- generators of eq. 65 and the identities of eqs. 68, 88-90 -------------------------------------
def jump_operators(model: StochasticLimit) -> tuple[np.ndarray, list[np.ndarray]]:
    """(Δ, [L_k]) dense: the Lamb shift and the jump operators √Γ E_ω (one per field, grouped ω, ∓)."""
    n = model.n_levels
    cls, to, frm, amp, rate, _ = model.transitions.jump_entries()
    ops = []
    for c in np.unique(cls):
        sel = cls == c
        op = np.zeros((n, n), dtype=complex)
        np.add.at(op, (to[sel], frm[sel]), np.sqrt(rate[sel]) * amp[sel])
        ops.append(op)
    return model.lamb_shift_hamiltonian.toarray(), ops


def _dissipator_heisenberg(ops: list[np.ndarray], x: np.ndarray) -> np.ndarray:
    out = np.zeros_like(x, dtype=complex)
    for op in ops:
        k = op.conj().T @ op
        out += op.conj().T @ x @ op - 0.5 * (k @ x + x @ k)
    return out


def forward_generator(model: StochasticLimit, x: Any) -> np.ndarray:
    """L(X) = i[Δ, X] + Σ_k (L_k† X L_k − ½{L_k†L_k, X}) (seed 002, eq. 65a; interaction picture)."""
    delta, ops = jump_operators(model)
    x = np.asarray(x, dtype=complex)
    return 1j * (delta @ x - x @ delta) + _dissipator_heisenberg(ops, x)


def backward_generator(model: StochasticLimit, x: Any) -> np.ndarray:
    """L_B(X) = −i[Δ, X] + Σ_k (L_k† X L_k − ½{L_k†L_k, X}) (seed 002, eq. 65b), so L − L_B = 2i[Δ, ·] (eq. 68a)."""
    delta, ops = jump_operators(model)
    x = np.asarray(x, dtype=complex)
    return -1j * (delta @ x - x @ delta) + _dissipator_heisenberg(ops, x)


def schrodinger_generator(model: StochasticLimit, rho: Any) -> np.ndarray:
    """L*(ρ) = −i[Δ, ρ] + Σ_k (L_k ρ L_k† − ½{L_k†L_k, ρ}), the dual of L: tr(X L*(ρ)) = tr(L(X) ρ) (eq. 62)."""
    delta, ops = jump_operators(model)
    rho = np.asarray(rho, dtype=complex)
    out = -1j * (delta @ rho - rho @ delta)
    for op in ops:
        k = op.conj().T @ op
        out += op @ rho @ op.conj().T - 0.5 * (k @ rho + rho @ k)
    return out


def kms_adjoint(model: StochasticLimit, x: Any, state: Any = None) -> np.ndarray:
    """L_G^+(X) defined by ⟨⟨L_G^+(X) Y⟩⟩ = ⟨⟨X L(Y)⟩⟩ for all Y (seed 002, eq. 87): ρ^{-1} L*(ρ X).

    Needs a stationary state with all populations > 0.
    """
    rho = model.stationary_state(solver="sector") if state is None else np.asarray(state, dtype=complex)
    evals = np.linalg.eigvalsh(rho)
    if evals.min() <= 0:
        raise InputError(f"state must be invertible for L_G^+ (eq. 83 assumes ρ_ll > 0); smallest eigenvalue {evals.min():.3g}")
    x = np.asarray(x, dtype=complex)
    return np.linalg.solve(rho, schrodinger_generator(model, rho @ x))


def detailed_balance_defect(model: StochasticLimit, x: Any, populations: Any = None) -> np.ndarray:
    """Σ_ω Π̂_ω(X) of seed 002, eq. 88b, per transition m → n with E = ⟨n|D|m⟩|n⟩⟨m|:

    Π̂(X) = (Γ_+ ρ_nn/ρ_mm − Γ_−) E†XE + (Γ_− ρ_mm/ρ_nn − Γ_+) E X E†, using
    e^{β_S(ε_m)ε_m − β_S(ε_n)ε_n} = ρ_nn/ρ_mm (eq. 83). Eq. 88a: L_G^+ = L_B + Σ Π̂. Zero at equilibrium.
    Valid for transitions that are alone in their E_ω (no degenerate Bohr frequencies).

    Notes
    -----
    After eq. 93 the seed states L_G^+(1) = Σ Π̂(1) ≠ 0 out of equilibrium, so that L_G^+ is not a
    semigroup generator. In fact Σ Π̂(1) = Σ_{m>n} J_mn (|n⟩⟨n|/ρ_nn − |m⟩⟨m|/ρ_mm) is
    diag(dρ_ll/dt)/ρ_ll, which vanishes in a stationary state (eq. 41), and L_G^+(1) = ρ^{-1}L*(ρ) = 0;
    with a diagonal ρ, L_G^+ = Φ − ½{Φ(1), ·} − i[Δ, ·] with the completely positive
    Φ(X) = Σ (Γ_− ρ_mm/ρ_nn E X E† + Γ_+ ρ_nn/ρ_mm E†X E), a GKSL generator. Π̂(X) itself is non-zero
    for other X. ``test_balance.py::test_generators_identities`` shows both.
    """
    t = model.transitions
    p = model.stationary_populations() if populations is None else np.asarray(populations, dtype=float)
    x = np.asarray(x, dtype=complex)
    out = np.zeros_like(x)
    weight = np.abs(t.amplitude) ** 2
    for k in range(t.size):
        m, n_ = int(t.upper[k]), int(t.lower[k])
        g_minus, g_plus = t.emission[k] / weight[k], t.absorption[k] / weight[k]
        e = np.zeros_like(x)
        e[n_, m] = t.amplitude[k]
        a = g_plus * p[n_] / p[m] - g_minus
        b = g_minus * p[m] / p[n_] - g_plus
        out += a * (e.conj().T @ x @ e) + b * (e @ x @ e.conj().T)
    return out

"""Exact propagation of the single-particle correlation matrix (seed 001, eq. 19).

With 𝓗 = V Λ V† diagonalised once, the propagator U(t) = e^{−i𝓗t} = V e^{−iΛt} V† is exact at
any time (no time stepping, no ``expm`` of a large t𝓗): the only error at Γt = 10⁸ is that of
the phases λ_n t themselves. Internally we evolve G_ij = ⟨c†_j c_i⟩ = 𝒞_ji:

    G(t) = U(t) G(0) U(t)†,        𝒞(t) = G(t)ᵀ.

Seed 001, eq. 19 writes 𝒞(t) = e^{i𝓗t} 𝒞(0) e^{−i𝓗t}; that holds for a real 𝓗 (the paper's
model). For complex couplings the correct form is 𝒞(t) = e^{i𝓗*t} 𝒞(0) e^{−i𝓗*t} (i.e. the
transpose of G(t) above); ``tests/finite_baths/test_many_body.py`` confirms it against exact
many-body evolution with complex tunnel amplitudes.

Only the blocks the entropy decomposition needs are formed, without any N³ product per time.
Because [𝓗, U] = 0 and [𝓗, G] = U [𝓗, G(0)] U†, with 𝓗 = E + X (E = diag of the bare site
energies, X the couplings, X_BB = 0 between bath modes):

    (e_k − e_l) U_kl = Σ_s (U_ks X_sl − X_ks U_sl),
    (e_k − e_l) G_kl = (U [X, G(0)] U†)_kl − Σ_s (X_ks G_sl − G_ks X_sl),

for bath modes k, l (s runs over system sites). [X, G(0)] is non-zero only in system rows and
columns, so every bath–bath element follows in O(1) from O(N) vectors that cost a few
matrix–vector products with U. Pairs with (nearly) equal energies, and the diagonal, are
summed directly.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from thermoflux._validation import as_finite
from thermoflux.errors import InputError
from thermoflux.finite_baths.model import QuadraticModel

__all__ = ["Propagator", "correlation_matrix"]


class Propagator:
    """U(t) = V e^{−iΛt} V† of a :class:`QuadraticModel` and the blocks of G(t) = U G(0) U†.

    Parameters
    ----------
    model : QuadraticModel
    occupations : array_like, shape (N,)
        Diagonal of the initial correlation matrix (seed 001, eq. 20).
    degeneracy_tol : float, optional
        Site-energy differences below this are treated as degenerate and their elements summed
        directly. Default 1e-4 · max(1, max|e|): the displacement formula divides a numerator
        accurate to ~eps·‖X‖ by the difference, so elements stay accurate to ~1e-12·‖X‖.
    """

    def __init__(self, model: QuadraticModel, occupations: Any, *, degeneracy_tol: float | None = None) -> None:
        self.model = model
        self.g = np.asarray(occupations, dtype=float)
        if self.g.shape != (model.size,):
            raise InputError(f"occupations must have one value per site ({model.size}); got shape {self.g.shape}")
        self.lam, self.vec = model.eigensystem()
        self.vec_h = self.vec.conj().T
        self.n_s = model.n_system
        h = model.hamiltonian()
        self.e = model.site_energies
        scale = max(1.0, float(np.max(np.abs(self.e))))
        self.degeneracy_tol = 1e-4 * scale if degeneracy_tol is None else float(degeneracy_tol)
        s = slice(0, self.n_s)
        b = slice(self.n_s, model.size)
        self.x_bs = np.asarray(h[b, s])          # X_ks, bath rows, system columns
        self.x_sb = np.asarray(h[s, b])          # X_sk
        # [X, G(0)]_ij = X_ij (g_j − g_i): only system rows/columns are non-zero (formed in O(N));
        # 𝓗_ij may stand for X_ij, the diagonal (X_ii = 0) being multiplied by g_i − g_i = 0.
        self.p_rows = h[s, :] * (self.g[None, :] - self.g[s, None])     # system rows (all columns)
        p_cols = np.array(h[:, s]) * (self.g[None, s] - self.g[:, None])
        p_cols[s, :] = 0.0                        # system–system part is counted in p_rows
        self.p_cols = p_cols
        # V† applied to [e_s, conj(P_S·)ᵀ, P_·S]: time-independent, so U(t) of all three is one
        # product V (Φ(t) ∘ ·) per time.
        vs = self.vec[:self.n_s, :]
        self.column_sources = np.concatenate([vs.conj().T, self._mul(self.vec_h, self.p_rows.conj().T),
                                              self._mul(self.vec_h, p_cols)], axis=1)
        self._inverse_differences: dict = {}

    def inverse_differences(self, rows: slice, cols: slice, *, cache: bool = True
                            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """1/(e_k − e_l) for bath sites k in ``rows``, l in ``cols`` (0 where nearly degenerate),
        and the (row, col) positions of the nearly degenerate pairs. Time-independent, cached
        (unless ``cache`` is False: a one-off use need not keep an M × M array alive)."""
        key = (rows.start, rows.stop, cols.start, cols.stop)
        if key in self._inverse_differences:
            return self._inverse_differences[key]
        diff = self.e[rows][:, None] - self.e[cols][None, :]
        near = np.abs(diff) <= self.degeneracy_tol
        with np.errstate(divide="ignore"):
            inv = np.divide(1.0, diff, out=diff)
        inv[near] = 0.0
        ki, li = np.nonzero(near)
        if cache:
            self._inverse_differences[key] = (inv, ki, li)
        return inv, ki, li

    def diagonal_weights(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Time-independent parts of the bath diagonal of G, cached.

        W_kl = 1/(e_k − e_l)² over all bath pairs (0 if degenerate); the degenerate bath pairs
        k < l (bath indices) and their products P_n = V_kn conj(V_ln), so that
        U_kl = Σ_n P_n φ_n and U_lk = conj(Σ_n P_n conj φ_n) (half the pairs, each row once);
        and |V_kn|² of the bath rows (U_kk = Σ_n |V_kn|² φ_n). Symmetric baths (equal mode
        energies, the paper's case) make every mode degenerate with its partner in the other bath.
        """
        if "diag" not in self._inverse_differences:
            b = slice(self.n_s, self.model.size)
            inv, ki, li = self.inverse_differences(b, b, cache=False)   # kept only as W
            upper = ki < li
            ki, li = ki[upper], li[upper]
            vb = self.vec[b, :]
            pair_products = vb[ki]
            pair_products *= vb[li].conj() if np.iscomplexobj(vb) else vb[li]
            vb2 = np.abs(vb) ** 2 if np.iscomplexobj(vb) else np.square(vb, order="C")
            self._inverse_differences["diag"] = (np.square(inv, out=inv), ki, li, pair_products, vb2)
        return self._inverse_differences["diag"]

    # -- propagator ------------------------------------------------------------------------
    def phases(self, t: float) -> np.ndarray:
        """e^{−iλ_n t}."""
        return np.exp(-1j * self.lam * t)

    def apply(self, t: float, x: np.ndarray, phase: np.ndarray | None = None) -> np.ndarray:
        """U(t) x = V e^{−iΛt} V† x for a vector or an (N, m) array; O(N² m)."""
        ph = self.phases(t) if phase is None else phase
        y = self._mul(self.vec_h, x)
        y = (ph[:, None] * y) if y.ndim == 2 else ph * y
        return self._mul(self.vec, y)

    def _mul(self, a: np.ndarray, x: np.ndarray) -> np.ndarray:
        """a @ x without promoting a real ``a`` to complex (that copy would cost O(N²) per call)."""
        if np.iscomplexobj(a) or not np.iscomplexobj(x):
            return a @ x
        x2 = x if x.ndim == 2 else x[:, None]
        m = x2.shape[1]
        out = a @ np.concatenate([x2.real, x2.imag], axis=1)
        res = out[:, :m] + 1j * out[:, m:]
        return res if x.ndim == 2 else res[:, 0]

    def propagator(self, t: float) -> np.ndarray:
        """The dense N × N propagator U(t) (O(N³); for checks and small models)."""
        return (self.vec * self.phases(t)) @ self.vec_h

    def dense_g(self, t: float) -> np.ndarray:
        """Dense G(t) = U G(0) U† (O(N³); the straightforward method)."""
        u = self.propagator(t) * np.sqrt(self.g)[None, :]
        return u @ u.conj().T

    # -- structured blocks -----------------------------------------------------------------
    def snapshot(self, t: float) -> _Snapshot:
        """Everything the decomposition needs at time t, formed in O(N²)."""
        return _Snapshot(self, as_finite(t, "time"))


class _Snapshot:
    """System rows/columns of U(t) and G(t), the bath diagonal of G(t), and bath blocks on demand."""

    def __init__(self, prop: Propagator, t: float) -> None:
        self.prop = prop
        self.t = t
        n_s, g = prop.n_s, prop.g
        ph = prop.phases(t)
        self.phase = ph
        # U_{·s}, U conj(P_S·)ᵀ and U P_{B,S} (N × n_S each) in one product with V.
        cols = prop._mul(prop.vec, ph[:, None] * prop.column_sources)
        self._extra = (cols[:, :n_s], cols[:, n_s:2 * n_s], cols[:, 2 * n_s:])
        # Rows U_{s·} of U = V Φ V†, and G_{·s} = U G0 U†_{·s} = U (g ∘ conj(U_{s·})ᵀ).
        if np.iscomplexobj(prop.vec):
            vs = prop.vec[:n_s, :]                               # V_s·
            self.u_rows = (vs * ph[None, :]) @ prop.vec_h
        else:  # V real: U = V Φ Vᵀ is symmetric, so its system rows are its system columns
            self.u_rows = np.ascontiguousarray(cols[:, :n_s].T)
        self.g_cols = prop.apply(t, g[:, None] * self.u_rows.conj().T, ph)   # (N, n_s)
        self._u_bath_rows: np.ndarray | None = None
        self._diagonal: np.ndarray | None = None

    def _columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """U_{·s}, U conj(P_S·)ᵀ and U P_{B,S} (N × n_S each)."""
        return self._extra

    @property
    def u_cols(self) -> np.ndarray:
        """U_{·s}(t), (N, n_S)."""
        return self._columns()[0]

    @property
    def y1(self) -> np.ndarray:
        return self._columns()[1]

    @property
    def y2(self) -> np.ndarray:
        return self._columns()[2]

    @property
    def system_block(self) -> np.ndarray:
        """G_SS (n_S × n_S, Hermitian)."""
        blk = self.g_cols[: self.prop.n_s, :]
        return 0.5 * (blk + blk.conj().T)

    def u_bath_rows(self) -> np.ndarray:
        """U_{B·}(t): bath rows of the propagator, (M, N), from the displacement relation.

        Only needed for nearly degenerate off-diagonal pairs inside a requested block.
        """
        if self._u_bath_rows is None:
            p = self.prop
            n_s, e = p.n_s, p.e
            ub_s = self.u_cols[n_s:, :]            # U_ks
            us_b = self.u_rows[:, n_s:]            # U_sl
            eb = e[n_s:]
            num = ub_s @ p.x_sb - p.x_bs @ us_b
            diff = eb[:, None] - eb[None, :]
            near = np.abs(diff) <= p.degeneracy_tol
            with np.errstate(divide="ignore", invalid="ignore"):
                ubb = np.where(near, 0.0, num / np.where(near, 1.0, diff))
            ki, li = np.nonzero(near)
            if ki.size:
                vb = p.vec[n_s:, :]
                ubb[ki, li] = np.einsum("in,n,in->i", vb[ki], self.phase, vb[li].conj())
            self._u_bath_rows = np.concatenate([ub_s, ubb], axis=1)
        return self._u_bath_rows

    def bath_diagonal(self) -> np.ndarray:
        """G_kk(t) = Σ_j g_j |U_kj|² for every bath mode k (the mode occupations), in O(N²).

        With U_kl = Σ_r α_kr β_rl / (e_k − e_l) for non-degenerate bath pairs (α = [U_BS, −X_BS],
        β = [X_SB; U_SB]), Σ_l g_l |U_kl|² = Σ_rr' α_kr conj(α_kr') (W (g ∘ β_r ∘ conj β_r'))_k with
        the time-independent W = 1/(e_k − e_l)²; degenerate pairs and k = l are added directly.
        """
        if self._diagonal is None:
            p = self.prop
            n_s = p.n_s
            w, ki, li, pairs, vb2 = p.diagonal_weights()
            g_b = p.g[n_s:]
            ub_s = self.u_cols[n_s:, :]
            alpha = np.concatenate([ub_s, -p.x_bs], axis=1)                  # (M, 2 n_s)
            beta = np.concatenate([p.x_sb, self.u_rows[:, n_s:]], axis=0)    # (2 n_s, M)
            r = alpha.shape[1]
            y = (g_b[None, None, :] * beta[:, None, :] * beta.conj()[None, :, :]).reshape(r * r, -1).T
            z = p._mul(w, y).reshape(-1, r, r)                               # (M, r, r)
            far = np.real(np.einsum("kr,ks,krs->k", alpha, alpha.conj(), z))
            u_kk = p._mul(vb2, self.phase)                                   # U_kk = Σ_n |V_kn|² φ_n
            diag = (np.abs(ub_s) ** 2) @ p.g[:n_s] + far + g_b * np.abs(u_kk) ** 2
            if ki.size:
                u_pair = p._mul(pairs, np.stack([self.phase, self.phase.conj()], axis=1))
                np.add.at(diag, ki, g_b[li] * np.abs(u_pair[:, 0]) ** 2)     # |U_kl|² g_l
                np.add.at(diag, li, g_b[ki] * np.abs(u_pair[:, 1]) ** 2)     # |U_lk|² g_k
            self._diagonal = diag
        return self._diagonal

    def block(self, rows: slice, cols: slice) -> np.ndarray:
        """G[rows, cols] for bath index ranges (site indices), from the displacement relation.

        (e_k − e_l) G_kl = [U_BS, U P_BS, −X_BS, G_BS]_k · [U conj(P_S·)ᵀ, U_BS, G_BS, X_SBᴴ]_lᴴ:
        one K × 4n_S × K product and a multiplication by the cached 1/(e_k − e_l).
        """
        p = self.prop
        n_s = p.n_s
        r = slice(rows.start, rows.stop)
        c = slice(cols.start, cols.stop)
        a = np.concatenate([self.u_cols[r], self.y2[r], -p.x_bs[r.start - n_s:r.stop - n_s],
                            self.g_cols[r]], axis=1)
        b = np.concatenate([self.y1[c], self.u_cols[c], self.g_cols[c],
                            p.x_sb[:, c.start - n_s:c.stop - n_s].conj().T], axis=1)
        inv, ki, li = p.inverse_differences(rows, cols)
        out = (a @ b.conj().T) * inv
        if ki.size:
            diag = ki + rows.start == li + cols.start
            if np.any(diag):
                out[ki[diag], li[diag]] = self.bath_diagonal()[ki[diag] + rows.start - n_s]
            kk, ll = ki[~diag], li[~diag]
            if kk.size:
                u = self.u_bath_rows()
                out[kk, ll] = np.einsum("ij,j,ij->i", u[kk + rows.start - n_s], p.g,
                                        u[ll + cols.start - n_s].conj())
        return out

    def total_energy(self) -> float:
        """Tr[𝓗 𝒞(t)] = Σ_ij 𝓗_ij G_ji, from the bath diagonal and the system columns of G."""
        p = self.prop
        n_s = p.n_s
        h = p.model.hamiltonian()
        e_bath = float(np.dot(p.e[n_s:], self.bath_diagonal()))
        g_ss = self.g_cols[:n_s, :]
        e_sys = float(np.real(np.sum(h[:n_s, :n_s] * g_ss.T)))
        g_bs = self.g_cols[n_s:, :]       # G_ks
        # Σ_{s,k} (H_sk G_ks + H_ks G_sk) = 2 Re Σ H_sk G_ks
        e_int = float(2.0 * np.real(np.sum(p.x_sb.T * g_bs)))
        return e_bath + e_sys + e_int


def correlation_matrix(model: QuadraticModel, occupations: Any, t: float) -> np.ndarray:
    """𝒞_ij(t) = ⟨c†_i c_j⟩ at time t from 𝒞(0) = diag(occupations) (dense, O(N³)).

    Seed 001, eq. 18–19, in the form valid for any Hermitian 𝓗: 𝒞(t) = (U 𝒞(0) U†)ᵀ with
    U = e^{−i𝓗t} (for real 𝓗 this is eq. 19, e^{i𝓗t} 𝒞(0) e^{−i𝓗t}).

    Returns
    -------
    ndarray, shape (N, N)
        Hermitian, dimensionless.
    """
    prop = Propagator(model, occupations)
    return prop.dense_g(as_finite(t, "t")).T

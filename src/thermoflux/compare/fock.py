"""Fermionic Fock space of a few levels: the many-body eigenbasis a master equation needs.

H = Σ_ij h_ij c_i† c_j + Σ_{i<j} U_ij n_i n_j on the 2^n states |s⟩ (bit i of s = occupation of
level i), with Jordan–Wigner annihilators c_i|s⟩ = (−1)^{Σ_{j<i} s_j} |s − 2^i⟩. H conserves the
particle number, so it is diagonalized sector by sector; eigenstates never mix particle numbers
(a joint eigh of a degenerate pair from two sectors could). The coupling operator of a reservoir
channel, A_c = Σ_i conj(u_c,i) c_i (one particle leaves the system into the channel), is
returned in that eigenbasis, ready for ``master_equation.System`` (seed 002, eq. 12c).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from thermoflux.errors import InputError

__all__ = ["FockBasis", "fock_basis", "MAX_FOCK_LEVELS"]

#: 2^12 = 4096 many-body states: the rate matrix stays small; beyond it a dense sector eigh
#: (C(n, n/2)³) and the transition lists grow too fast for an interactive comparison.
MAX_FOCK_LEVELS = 12
#: Matrix elements of a channel operator below this fraction of its largest are eigensolver
#: rounding (measured ~1e-15 for n = 8): a physical amplitude that small gives rates ~1e-20.
AMPLITUDE_RTOL = 1e-10


def _annihilators(n: int) -> list[sp.csr_array]:
    """Jordan–Wigner c_i on the 2^n states (sparse, real)."""
    states = np.arange(2 ** n)
    out = []
    for i in range(n):
        occupied = (states >> i) & 1 == 1
        src = states[occupied]
        below = np.array([bin(s & ((1 << i) - 1)).count("1") for s in src], dtype=np.int64)
        sign = np.where(below % 2 == 0, 1.0, -1.0)
        out.append(sp.csr_array((sign, (src - (1 << i), src)), shape=(2 ** n, 2 ** n)))
    return out


@dataclass(frozen=True)
class FockBasis:
    """Many-body eigenstates of H, ordered by particle number then energy.

    Attributes
    ----------
    energies : ndarray, shape (2^n,)
        Eigenvalues E_a (energy units).
    particle_numbers : ndarray, shape (2^n,)
        N_a of each eigenstate.
    vectors : ndarray, shape (2^n, 2^n)
        Columns: eigenstates in the occupation-number basis (block diagonal by sector).
    annihilators : list of scipy.sparse arrays
        c_i in the occupation-number basis.
    """

    energies: np.ndarray
    particle_numbers: np.ndarray
    vectors: np.ndarray
    annihilators: list

    def channel_operator(self, u: np.ndarray) -> sp.csr_array:
        """⟨a|A|b⟩ with A = Σ_i conj(u_i) c_i in the eigenbasis (sparse, 2^n × 2^n).

        Elements below AMPLITUDE_RTOL · max|A| are rounding of the eigenvectors (for a
        quadratic H only transitions that move one quasiparticle survive) and are dropped:
        kept, each would be a spurious transition at an arbitrary Bohr frequency.
        """
        a = sum(np.conj(ui) * c for ui, c in zip(u, self.annihilators) if ui != 0)
        dense = self.vectors.conj().T @ (a @ self.vectors)
        scale = float(np.abs(dense).max()) if dense.size else 0.0
        dense[np.abs(dense) < AMPLITUDE_RTOL * scale] = 0.0
        return sp.csr_array(dense)


def fock_basis(hamiltonian: np.ndarray, interaction: np.ndarray | None = None) -> FockBasis:
    """Diagonalize H = Σ h_ij c_i†c_j + Σ_{i<j} U_ij n_i n_j in each particle-number sector.

    Parameters
    ----------
    hamiltonian : ndarray, shape (n, n)
        Hermitian single-particle matrix h.
    interaction : ndarray, shape (n, n), optional
        Symmetric U_ij with zero diagonal (the pair energy of levels i and j).

    Returns
    -------
    FockBasis

    Raises
    ------
    InputError
        More than :data:`MAX_FOCK_LEVELS` levels.
    """
    n = hamiltonian.shape[0]
    if n > MAX_FOCK_LEVELS:
        raise InputError(f"hamiltonian: the master equation works in the 2^n-dimensional Fock space "
                         f"and accepts at most {MAX_FOCK_LEVELS} levels; got n = {n}")
    c = _annihilators(n)
    dim = 2 ** n
    h_many = sp.csr_array((dim, dim), dtype=complex)
    for i in range(n):
        for j in range(n):
            if hamiltonian[i, j] != 0:
                h_many = h_many + hamiltonian[i, j] * (c[i].T @ c[j])
    states = np.arange(dim)
    occupation = ((states[:, None] >> np.arange(n)[None, :]) & 1).astype(float)
    if interaction is not None:
        pair = 0.5 * np.einsum("si,ij,sj->s", occupation, interaction, occupation)
        h_many = h_many + sp.diags_array(pair.astype(complex))
    dense = h_many.toarray()
    counts = occupation.sum(axis=1).astype(int)
    energies, numbers = [], []
    vectors = np.zeros((dim, dim), dtype=complex)
    col = 0
    for number in range(n + 1):
        idx = np.flatnonzero(counts == number)
        block = dense[np.ix_(idx, idx)]
        values, vecs = np.linalg.eigh(0.5 * (block + block.conj().T))
        vectors[idx, col:col + idx.size] = vecs
        energies.append(values)
        numbers.append(np.full(idx.size, number, dtype=float))
        col += idx.size
    return FockBasis(np.concatenate(energies), np.concatenate(numbers), vectors, c)

"""The scattering matrix S(E) of a central region with wide-band leads (Fisher–Lee).

The same Green's function as the Caroli transmissions of
:func:`~thermoflux.landauer.from_hamiltonian` gives the full scattering matrix (Fisher and Lee,
Phys. Rev. B 23, 6851 (1981); in the Mahaux–Weidenmüller form of wide-band leads):

    G(E) = [E − H + (i/2) Σ_α Γ_α]⁻¹,
    Γ_α = Σ_c γ_c u_c u_c†  (the channels c of lead α: eigenpairs with γ_c > 0),
    W_α = [√γ_c u_c]_c  (n × r_α),  so Γ_α = W_α W_α†,
    S_αβ(E) = δ_αβ 1 − i W_α† G(E) W_β.

S is unitary for every real E (an identity of the Γ/2 convention, tested), and
Tr[S_αβ† S_αβ] = Tr[Γ_α G Γ_β G†] is the Caroli transmission (tested). With S(E) the counting
statistics and the noise of any number of terminals and channels follow
(:meth:`~thermoflux.landauer.Junction.current_cumulants`, :meth:`~thermoflux.landauer.Junction.noise`), which the
transmissions alone do not fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from thermoflux.landauer.transmissions import central_region, without_dark_states

__all__ = ["scattering_matrix_from_hamiltonian"]

# A channel of lead α is an eigenvalue γ_c of Γ_α above 1e-12 ‖Γ_α‖₂: eigh resolves eigenvalues
# to ~n·eps·‖Γ_α‖, so anything smaller is the rounding of a lower-rank Γ_α (the same relative
# tolerance from_hamiltonian uses to accept Γ_α as positive semidefinite). A dropped channel
# would carry a transmission of at most ~1e-12 of the lead's own.
_CHANNEL_RTOL = 1e-12


def _lead_channels(gamma: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Widths γ_c > 0 and amplitudes W = [√γ_c u_c]_c (n × r) of one level-width matrix."""
    widths, vectors = np.linalg.eigh(gamma)
    keep = widths > _CHANNEL_RTOL * max(float(widths.max(initial=0.0)), 0.0)
    widths, vectors = widths[keep], vectors[:, keep]
    return widths, vectors * np.sqrt(widths)


class ScatteringMatrix:
    """S(E) = 1 − i W† (E − H + (i/2) W W†)⁻¹ W, channels grouped by lead (module docstring).

    Internal (not in ``__all__``): returned by :func:`scattering_matrix_from_hamiltonian` and
    built by ``transmissions.from_hamiltonian``, whose transmissions carry it.

    Attributes
    ----------
    reservoirs : tuple of str
        The leads, in the order of ``couplings``.
    channels : tuple of str
        The lead of every row (and column) of S.
    widths : ndarray, shape (N,)
        γ_c of every channel (energy), in the order of ``channels``.
    """

    def __init__(self, hamiltonian: np.ndarray, gammas: Mapping[str, np.ndarray]) -> None:
        self.reservoirs = tuple(gammas)
        parts = {name: _lead_channels(g) for name, g in gammas.items()}
        self.channels = tuple(name for name, (w, _) in parts.items() for _ in range(w.size))
        self.widths = np.concatenate([w for w, _ in parts.values()])
        n = hamiltonian.shape[0]
        self.amplitudes = np.concatenate([a for _, a in parts.values()], axis=1).reshape(n, -1)
        # The self-energy from the kept channels, Σ_α W_α W_α†, so that S is unitary exactly.
        self.effective = hamiltonian - 0.5j * (self.amplitudes @ self.amplitudes.conj().T)

    def block(self, reservoir: str) -> slice:
        """The rows (or columns) of S that belong to ``reservoir``."""
        idx = [i for i, k in enumerate(self.channels) if k == reservoir]
        return slice(idx[0], idx[-1] + 1) if idx else slice(0, 0)

    def __call__(self, energies: Any) -> np.ndarray:
        e = np.asarray(energies, dtype=float)
        n, m = self.amplitudes.shape
        if n == 0 or m == 0:
            return np.broadcast_to(np.eye(m, dtype=complex), e.shape + (m, m)).copy()
        flat = e.reshape(-1)
        # One batched LU solve (E − H_eff) X = W over all energies, then S = 1 − i W† X.
        lhs = flat[:, None, None] * np.eye(n) - self.effective
        solved = np.linalg.solve(lhs, np.broadcast_to(self.amplitudes, (flat.size, n, m)))
        smat = np.eye(m) - 1j * (self.amplitudes.conj().T @ solved)
        return smat.reshape(e.shape + (m, m))

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}: {self.channels.count(k)}" for k in self.reservoirs)
        return f"ScatteringMatrix(Fisher–Lee; channels {counts})"


def scattering_matrix_from_hamiltonian(hamiltonian: Any, couplings: Mapping[str, Any]) -> ScatteringMatrix:
    """S_αβ(E) = δ_αβ 1 − i W_α† G(E) W_β with G = [E − H + (i/2) Σ_α Γ_α]⁻¹ (Fisher–Lee).

    The scattering matrix of the same central region as :func:`from_hamiltonian` (wide-band
    leads); Γ_α = W_α W_α† splits into its channels (module docstring).

    Parameters
    ----------
    hamiltonian : array_like, shape (n, n)
        Hermitian Hamiltonian H of the central region.
    couplings : mapping name → array_like
        Level-width matrix Γ_α of each lead: an (n, n) Hermitian positive-semidefinite matrix,
        a length-n vector (diagonal Γ_α), or a scalar when n = 1 (as :func:`from_hamiltonian`).

    Returns
    -------
    callable
        ``S(energies)`` → complex array of shape ``energies.shape + (N, N)``, N = Σ_α rank Γ_α,
        evaluated with one batched solve. Row i is an outgoing and column j an incoming channel:
        |S_ij|² is the probability that a particle entering in channel j leaves in channel i.
        Attributes: ``reservoirs`` (the leads, in the order of ``couplings``), ``channels`` (the
        lead of each row/column, grouped by lead in that order), ``widths`` (γ_c of each
        channel) and ``block(name)`` (the slice of rows of one lead). A junction built from
        :func:`from_hamiltonian` carries this S(E) already, so its counting statistics and noise
        need no ``scattering_matrix=``.

    Raises
    ------
    InputError
        A non-Hermitian ``hamiltonian``; a coupling of the wrong shape, non-Hermitian or not
        positive semidefinite; fewer than two leads.

    Notes
    -----
    Fisher and Lee, Phys. Rev. B 23, 6851 (1981); Mahaux and Weidenmüller, *Shell-Model Approach
    to Nuclear Reactions* (1969), for S = 1 − i W† G W with a wide-band self-energy −(i/2)WW†.
    The channels of lead α are the eigenvectors of Γ_α with eigenvalue above 1e-12 ‖Γ_α‖₂
    (smaller ones are rounding of a lower-rank Γ_α); G is built from the kept channels, so S is
    unitary to rounding for every real E. Tr[S_αβ† S_αβ] is the Caroli transmission
    Tr[Γ_α G Γ_β G†] of seed 004's Landauer formula (eq. 17) with wide-band leads. Eigenstates of
    H that no lead couples to (dark states) are dropped first, as in :func:`from_hamiltonian`:
    W† vanishes on them, so S is unchanged, and E − H_eff stays invertible at their energy.

    Examples
    --------
    >>> import numpy as np
    >>> from thermoflux.landauer import scattering_matrix_from_hamiltonian
    >>> s = scattering_matrix_from_hamiltonian([[0.0, 0.3], [0.3, 0.1]],
    ...                                        {"L": [0.2, 0.0], "R": np.diag([0.1, 0.4])})
    >>> s.channels
    ('L', 'R', 'R')
    >>> m = s(np.linspace(-1, 1, 5))
    >>> bool(np.allclose(np.conj(np.swapaxes(m, -1, -2)) @ m, np.eye(3), atol=1e-14))
    True
    """
    h, gammas = central_region(hamiltonian, couplings)
    h, gammas = without_dark_states(h, gammas)
    return ScatteringMatrix(h, gammas)

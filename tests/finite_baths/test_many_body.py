"""Independent route: exact many-body evolution in Fock space (Jordan–Wigner), no Gaussian formulas.

For a tiny model (1 level + 2 + 2 modes, 32 states) we evolve the many-body density matrix with
the many-body Hamiltonian and take fermionic partial traces (modes of the subsystem placed first
in the Jordan–Wigner order). Every correlation-matrix quantity of the package must match:
𝒞(t) itself (including complex couplings, where seed 001 eq. 19 needs 𝓗* — see dynamics.py),
the block entropies (eq. 21), the corrected eq. 10 (no Σ_k) and D[ρ_ν‖π_ν] = I_oν + D*_ν
(Sec. IV A).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import eigh, logm

from thermoflux import FermiDirac
from thermoflux.finite_baths import (
    QuadraticModel,
    diagonal_state,
    simulate,
    thermal_state,
)
from thermoflux.finite_baths.dynamics import correlation_matrix

# Exact diagonalisation and matrix logarithms of 32×32 matrices: errors ~1e-13; 1e-10 leaves room.
TOL = 1e-10

_A = np.array([[0.0, 1.0], [0.0, 0.0]])  # annihilation on one mode, basis (|0>, |1>)
_Z = np.diag([1.0, -1.0])


def _operators(n: int) -> list[np.ndarray]:
    ops = []
    for j in range(n):
        mats = [_Z] * j + [_A] + [np.eye(2)] * (n - j - 1)
        op = mats[0]
        for m in mats[1:]:
            op = np.kron(op, m)
        ops.append(op)
    return ops


def _evolved_state(h: np.ndarray, occ: np.ndarray, t: float, order: np.ndarray) -> np.ndarray:
    """ρ(t) in the Jordan–Wigner ordering ``order`` (sites listed first come first)."""
    hp = h[np.ix_(order, order)]
    n = len(order)
    c = _operators(n)
    hmb = sum(hp[i, j] * c[i].conj().T @ c[j] for i in range(n) for j in range(n))
    rho = np.array([[1.0]])
    for k in order:
        rho = np.kron(rho, np.diag([1 - occ[k], occ[k]]))
    w, v = eigh(hmb)
    u = (v * np.exp(-1j * w * t)) @ v.conj().T
    return u @ rho @ u.conj().T


def _reduced(rho: np.ndarray, n_keep: int, n: int) -> np.ndarray:
    d1, d2 = 2 ** n_keep, 2 ** (n - n_keep)
    return np.trace(rho.reshape(d1, d2, d1, d2), axis1=1, axis2=3)


def _vn(rho: np.ndarray) -> float:
    p = np.linalg.eigvalsh(rho)
    p = p[p > 1e-300]
    return float(-np.sum(p * np.log(p)))


def _subsystem(h, occ, t, sites):
    """Reduced many-body state of ``sites`` (fermionic partial trace)."""
    n = h.shape[0]
    rest = [i for i in range(n) if i not in sites]
    rho = _evolved_state(h, occ, t, np.array(list(sites) + rest))
    return _reduced(rho, len(sites), n)


@pytest.fixture(scope="module")
def tiny():
    rng = np.random.default_rng(7)
    model = QuadraticModel(np.array([[0.3]]), {"L": np.array([-0.8, 0.5]), "R": np.array([-0.2, 0.9])},
                           {"L": np.array([0.4 + 0.3j, -0.2j]), "R": np.array([0.5, 0.35 - 0.1j])})
    occ = np.array([0.2, *rng.uniform(0.1, 0.9, 4)])
    return model, occ


@pytest.mark.parametrize("t", [0.0, 0.7, 5.3])
def test_correlation_matrix_matches_fock_space(tiny, t):
    model, occ = tiny
    h = model.hamiltonian()
    n = model.size
    rho = _evolved_state(h, occ, t, np.arange(n))
    c = _operators(n)
    exact = np.array([[np.trace(c[i].conj().T @ c[j] @ rho) for j in range(n)] for i in range(n)])
    assert np.max(np.abs(correlation_matrix(model, occ, t) - exact)) < TOL


def test_block_entropies_and_corrected_eq10(tiny):
    model, occ = tiny
    t = 2.1
    times = np.array([0.0, t])
    ds = simulate(model, diagonal_state(model, occ), times, solver="structured")
    h = model.hamiltonian()
    sl = model.bath_slices
    s_sys = _vn(_subsystem(h, occ, t, [0]))
    s_env = _vn(_subsystem(h, occ, t, [1, 2, 3, 4]))
    assert abs(float(ds.system_entropy[1]) - s_sys) < TOL
    assert abs(float(ds.environment_entropy[1]) - s_env) < TOL
    for b, name in enumerate(model.bath_names):
        sites = list(range(sl[name].start, sl[name].stop))
        rho_b = _subsystem(h, occ, t, sites)
        assert abs(float(ds.bath_entropy[1, b]) - _vn(rho_b)) < TOL
        # eq. 10 without the stray Σ_k: D[ρ_ν ‖ ρ_ν1 ⊗ ρ_ν2] from matrix logarithms.
        r1 = _subsystem(h, occ, t, [sites[0]])
        r2 = _subsystem(h, occ, t, [sites[1]])
        prod = np.kron(r1, r2)
        d = float(np.real(np.trace(rho_b @ (logm(rho_b) - logm(prod)))))
        assert abs(float(ds.intrabath_correlation[1, b]) - d) < 1e-9  # logm of 4×4 mixed states


def test_distance_to_gibbs_state_equals_intrabath_plus_athermality():
    """Sec. IV A: D[ρ_ν‖π_ν] = I_oν + D*_ν, with π_ν built in Fock space at (β*, μ*)."""
    model = QuadraticModel(np.array([[0.0]]), {"L": np.array([-0.7, 0.1, 0.6]), "R": np.array([-0.3, 0.4])},
                           {"L": np.array([0.3, 0.25, 0.2]), "R": np.array([0.3, 0.2])})
    state = thermal_state(model, {"L": FermiDirac(beta=3.0, mu=0.2), "R": FermiDirac(beta=0.5, mu=-0.1)}, 0.0)
    t = 3.7
    ds = simulate(model, state, np.array([0.0, t]))
    h = model.hamiltonian()
    sites = [1, 2, 3]
    rho = _subsystem(h, state.occupations, t, sites)
    beta, mu = float(ds.beta_eff[1, 0]), float(ds.mu_eff[1, 0])
    pi = np.array([[1.0]])
    for e in model.bath_energies["L"]:
        f = 1 / (np.exp(beta * (e - mu)) + 1)
        pi = np.kron(pi, np.diag([1 - f, f]))
    d = float(np.real(np.trace(rho @ (logm(rho) - logm(pi)))))
    expected = float(ds.intrabath_correlation[1, 0] + ds.bath_local_athermality[1, 0])
    assert abs(d - expected) < 1e-9  # logm of an 8×8 full-rank state
    # and D[ρ_ν‖π_ν] = 𝒮_ν − S_ν, the normalized distance of Fig. 4
    assert abs(d / float(ds.gibbs_entropy[1, 0]) - float(ds.normalized_distance[1, 0])) < 1e-9


def test_eq19_needs_conjugate_hamiltonian_for_complex_couplings(tiny):
    """Seed 001, eq. 19 (𝒞(t) = e^{i𝓗t} 𝒞(0) e^{−i𝓗t}) is right only for real 𝓗; with complex
    couplings the Fock-space answer is e^{i𝓗*t} 𝒞(0) e^{−i𝓗*t}, which is what we implement."""
    from scipy.linalg import expm

    model, occ = tiny
    h, t, n = model.hamiltonian(), 0.7, model.size
    rho = _evolved_state(h, occ, t, np.arange(n))
    c = _operators(n)
    exact = np.array([[np.trace(c[i].conj().T @ c[j] @ rho) for j in range(n)] for i in range(n)])
    as_printed = expm(1j * h * t) @ np.diag(occ) @ expm(-1j * h * t)
    corrected = expm(1j * h.conj() * t) @ np.diag(occ) @ expm(-1j * h.conj() * t)
    assert np.max(np.abs(as_printed - exact)) > 1e-2  # the printed form is visibly wrong here
    assert np.max(np.abs(corrected - exact)) < TOL

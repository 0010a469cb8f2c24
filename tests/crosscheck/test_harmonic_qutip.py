"""Harmonic networks vs a QuTiP Fock-space master equation with the same dissipators (seed 003).

The Lyapunov steady state and the exact Gaussian dynamics of thermoflux.harmonic_networks are
compared with a Fock-space solution of eq. 3 with the local dissipators of eq. 4, built with
QuTiP: the steady state from QuTiP's Liouvillian on an excitation-number-restricted space
(``enr_destroy``: at most N_exc quanta in total), the dynamics from ``mesolve``. Occupations are
kept low, so the weight beyond the cut-off, ~ (n/(n+1))^N_exc with n the total occupation, is
small; each tolerance is a multiple of that estimate.
"""

from __future__ import annotations

import numpy as np
import pytest

from required_extras import require

qutip = require("qutip")

import scipy.sparse as sp  # noqa: E402
import scipy.sparse.linalg as spla  # noqa: E402

from thermoflux._threads import blas_threads  # noqa: E402
from thermoflux.harmonic_networks import GaussianState, Network  # noqa: E402


def fock_steady_state(ham, c_ops):
    """rho with L(rho) = 0, tr rho = 1: QuTiP's Liouvillian, one sparse LU solve.

    (qutip.steadystate gives the same answer but takes ~10x longer here on the shared machine.)
    SuperLU calls BLAS on small blocks; one BLAS thread avoids oversubscription on the shared
    2-core machine (2.4 s instead of 15 s measured for the 3-mode case).
    """
    liou = qutip.liouvillian(ham, c_ops).to("csr").data.as_scipy().tocsr()
    d = ham.shape[0]
    trace = sp.csr_matrix((np.ones(d), (np.zeros(d, int), np.arange(d) * (d + 1))), shape=(1, d * d))
    system = sp.vstack([trace, liou[1:]]).tocsc()
    rhs = np.zeros(d * d, dtype=complex)
    rhs[0] = 1.0
    with blas_threads(1):
        return spla.spsolve(system, rhs).reshape(d, d, order="F")


def expect(op, rho):
    """tr(rho op) for a QuTiP operator and a dense density matrix."""
    return np.sum(op.full().T * rho)


def fock_model(h, channels, cutoff, *, restricted=False):
    """Annihilators, H and collapse operators of eqs. 3-4 on a truncated Fock space.

    ``restricted``: at most ``cutoff`` quanta in total (QuTiP's ENR states) instead of
    ``cutoff`` levels per mode.
    """
    n = h.shape[0]
    if restricted:
        ops = [op.to("csr") for op in qutip.enr_destroy([cutoff + 1] * n, cutoff)]
    else:
        ops = [qutip.tensor([qutip.destroy(cutoff) if j == k else qutip.qeye(cutoff) for j in range(n)]).to("csr")
               for k in range(n)]
    ham = sum(h[k, l] * ops[k].dag() * ops[l] for k in range(n) for l in range(n))
    c_ops = []
    for site, rate, occ in channels:
        c_ops.append(np.sqrt(rate * (occ + 1)) * ops[site])
        if occ > 0:
            c_ops.append(np.sqrt(rate * occ) * ops[site].dag())
    return ops, ham, c_ops


def random_h(rng, n):
    a = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    return 0.4 * (a + a.conj().T) / 2 + np.diag(rng.uniform(0.5, 1.5, n))


@pytest.mark.parametrize("n_modes, cutoff, n_hot, seed", [(2, 14, 0.4, 0), (3, 7, 0.08, 1)])
def test_steady_state_matches_fock_space(n_modes, cutoff, n_hot, seed):
    rng = np.random.default_rng(seed)
    h = random_h(rng, n_modes)
    net = Network(h)
    net.attach_bath(0, 0.6, occupation=0.02).attach_bath(n_modes - 1, 0.4, occupation=n_hot)
    net.add_self_consistent_probes(0.3, sites=[1 % n_modes])
    ness = net.steady_state()
    # QuTiP sees the probe as an ordinary bath at the occupation thermoflux found for it.
    channels = [(c.site, c.rate, ness.reservoir_occupations[c.name]) for c in net.channels]
    ops, ham, c_ops = fock_model(h, channels, cutoff, restricted=True)
    rho = fock_steady_state(ham, c_ops)
    c_fock = np.array([[expect(ops[i].dag() * ops[j], rho) for j in range(n_modes)]
                       for i in range(n_modes)])
    # The cut-off drops states with more than N_exc quanta, of weight ~ (n/(n+1))^N_exc for
    # the total occupation n: 2e-8 (2 modes) and 8e-7 (3 modes); 10x that is the tolerance.
    n_total = ness.occupations.sum()
    tol = 10 * (n_total / (1 + n_total)) ** cutoff
    np.testing.assert_allclose(ness.covariance, c_fock, atol=tol)
    # ...so the probe really exchanges nothing in the Fock-space steady state as well.
    probe = net.probes[0]
    assert c_fock[probe.site, probe.site].real == pytest.approx(
        ness.probe_occupations[probe.name], abs=tol)
    # and no squeezing is generated: <a_i a_j> = 0
    s_fock = np.array([[expect(ops[i] * ops[j], rho) for j in range(n_modes)]
                       for i in range(n_modes)])
    assert np.max(np.abs(s_fock)) < 1e-10


def test_dynamics_of_a_squeezed_displaced_state_matches_mesolve():
    rng = np.random.default_rng(4)
    h = random_h(rng, 2)
    net = Network(h).attach_bath(0, 0.5, occupation=0.2).attach_bath(1, 0.3, occupation=0.0)
    cutoff = 12
    a = qutip.destroy(cutoff)
    # Mode 0: squeezed vacuum (r = 0.3) displaced by alpha = 0.4; mode 1: vacuum.
    r, alpha = 0.3, 0.4
    psi0 = qutip.tensor(qutip.displace(cutoff, alpha) * qutip.squeeze(cutoff, r) * qutip.basis(cutoff, 0),
                        qutip.basis(cutoff, 0))
    ops, ham, c_ops = fock_model(h, [(0, 0.5, 0.2), (1, 0.3, 0.0)], cutoff)
    times = np.array([0.0, 0.7, 2.5])
    e_ops = [ops[i].dag() * ops[j] for i in range(2) for j in range(2)] + \
            [ops[i] * ops[j] for i in range(2) for j in range(2)] + list(ops)
    res = qutip.mesolve(ham, psi0, times, c_ops, e_ops=e_ops,
                        options={"atol": 1e-12, "rtol": 1e-10})
    moments = np.array(res.expect)
    # The same initial state as a GaussianState: qutip.squeeze(r) = exp((r* a^2 - r a^dag^2)/2),
    # so <a a> = -cosh r sinh r and <a^dag a> = sinh^2 r for real r.
    c0 = np.diag([np.sinh(r) ** 2, 0.0])
    s0 = np.diag([-np.cosh(r) * np.sinh(r), 0.0])
    state = GaussianState(c0, s0, [alpha, 0.0])
    ds = net.evolve(state, times, store_covariance=True)
    for i in range(times.size):
        mean = moments[8:10, i]
        full = moments[0:4, i].reshape(2, 2)
        cov = full - np.outer(mean.conj(), mean)
        got = ds["covariance_real"].values[i] + 1j * ds["covariance_imag"].values[i]
        # Fock truncation at 12 quanta of a state with <n> ~ 0.25: ~1e-7; ODE tolerance 1e-10.
        np.testing.assert_allclose(got, cov, atol=1e-6)
        np.testing.assert_allclose(ds["occupation"].values[i], full.diagonal().real, atol=1e-6)
        anomalous = moments[4:8, i].reshape(2, 2) - np.outer(mean, mean)
        ref_state = GaussianState(cov, 0.5 * (anomalous + anomalous.T), mean)
        assert float(ds["wigner_entropy"][i]) == pytest.approx(ref_state.wigner_entropy(), abs=1e-5)

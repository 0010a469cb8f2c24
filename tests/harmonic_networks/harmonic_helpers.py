"""Shared builders for the harmonic-network tests (closed forms typed from seed 003)."""

from __future__ import annotations

import numpy as np

from thermoflux.harmonic_networks import GaussianState, Network, chain


def closed_form_chain(n_sites, hopping, gamma, big_gamma, n1, nl):
    """Seed 003, eqs. 29a, 29b, 30, 31 as printed (sites k = 1..L)."""
    den = 4 * hopping**2 + gamma**2 + gamma * big_gamma * (n_sites - 1)
    k = np.arange(1, n_sites + 1)
    delta = (k == 1).astype(float) - (k == n_sites).astype(float)
    occ = (n1 + nl) / 2 + (n1 - nl) / 2 * (big_gamma * gamma * (n_sites - 2 * k + 1) + gamma**2 * delta) / den
    x = gamma * hopping * (nl - n1) / den
    j = 2 * hopping**2 * gamma * (nl - n1) / den
    pi = j * (1 / (n1 + 0.5) - 1 / (nl + 0.5))
    return occ, x, j, pi


def paper_chain(n_sites, hopping, gamma, big_gamma, n1, nl, frequency=1.0):
    net = chain(n_sites, frequency=frequency, hopping=hopping)
    net.attach_bath(0, gamma, occupation=n1, name="left")
    net.attach_bath(n_sites - 1, gamma, occupation=nl, name="right")
    if big_gamma > 0:
        net.add_self_consistent_probes(big_gamma)
    return net


def random_network(rng, n_modes, *, probes=False, bath_every=1, squeeze=False):
    """A dense random Hermitian H with baths on every ``bath_every``-th mode."""
    a = rng.normal(size=(n_modes, n_modes)) + 1j * rng.normal(size=(n_modes, n_modes))
    h = 0.3 * (a + a.conj().T) / 2 + np.diag(rng.uniform(1.0, 2.0, n_modes))
    net = Network(h)
    for k in range(0, n_modes, bath_every):
        net.attach_bath(k, rng.uniform(0.2, 1.0), occupation=rng.uniform(0.0, 3.0))
    if probes:
        net.add_self_consistent_probes(rng.uniform(0.1, 0.5, n_modes))
    return net


def random_state(rng, n, *, squeeze=True, mean=True):
    """A random physical Gaussian state: a random symplectic (Bogoliubov) map of a thermal state."""
    occ = rng.uniform(0.0, 2.0, n)
    a = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    u = np.linalg.qr(a)[0]  # passive unitary mixing
    r = rng.uniform(0.0, 0.6, n) if squeeze else np.zeros(n)
    # Modes b = U (cosh r a + sinh r a^dag) of a thermal state with occupations occ:
    # <b_i^dag b_j>, <b_i b_j> from the single-mode squeezed thermal moments.
    ch, sh = np.cosh(r), np.sinh(r)
    c_mode = (occ + 0.5) * (ch**2 + sh**2) - 0.5  # <a^dag a> after squeezing
    s_mode = (2 * occ + 1) * ch * sh             # <a a> after squeezing
    c = (u.conj() * c_mode) @ u.T                # C_ij = sum_k conj(U_ik) U_jk c_k
    s = (u * s_mode) @ u.T                       # S_ij = sum_k U_ik U_jk s_k
    m = rng.normal(size=n) + 1j * rng.normal(size=n) if mean else None
    return GaussianState(c, s, m), occ


def pumping(net, covariance):
    """Diagonal source of eq. D3: gamma_c n_c of each bath plus Gamma_k C_kk of each probe."""
    f = np.zeros(net.n_modes)
    for c in net.channels:
        f[c.site] += c.rate * (covariance[c.site, c.site].real if c.kind == "probe" else c.occupation)
    return f

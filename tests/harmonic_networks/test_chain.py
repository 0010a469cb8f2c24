"""The chain of seed 003, Sec. IV: closed forms (eqs. 29-31), positivity, probes, solvers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmonic_helpers import closed_form_chain, paper_chain

chains = st.tuples(
    st.integers(2, 40),                       # L
    st.floats(1e-3, 2.0),                     # lambda
    st.floats(1e-3, 2.0),                     # gamma
    st.floats(0.0, 2.0) | st.just(0.0),       # Gamma (0: ballistic)
    st.floats(0.0, 50.0),                     # n_1 (0 included: zero temperature)
    st.floats(0.0, 50.0),                     # n_L
)


@given(chains)
def test_closed_form_eq29_to_31(params):
    L, lam, g, big_g, n1, nl = params
    net = paper_chain(L, lam, g, big_g, n1, nl)
    ness = net.steady_state()
    occ, x, j, pi = closed_form_chain(L, lam, g, big_g, n1, nl)
    scale = max(1.0, n1, nl)
    # The profile is fixed through r_{k+1} - r_k = -(rate) x / lambda and x ~ lambda / rate, so
    # a backward-stable solve errs by ~ eps * L * (rate / lambda)^2; factor 100 is margin.
    kappa = (max(g, big_g, lam) / min(g, lam)) ** 2
    tol = 100 * L * np.finfo(float).eps * kappa * scale
    np.testing.assert_allclose(ness.occupations, occ, rtol=0, atol=tol)
    np.testing.assert_allclose(ness.covariance.diagonal(1), x, rtol=0, atol=tol)
    np.testing.assert_allclose(ness.currents.diagonal(1), j, rtol=0, atol=2 * lam * tol)
    # eq. 31 from the per-channel eq. C2: Pi is a difference of terms of size ~gamma*scale.
    assert ness.entropy_production() == pytest.approx(pi, rel=1e-6, abs=10 * g * tol)
    # Beyond the nearest neighbours the covariance vanishes (eq. D4).
    if L > 2:
        assert np.max(np.abs(np.triu(ness.covariance, 2))) <= tol


@pytest.mark.parametrize("method", ["eigen", "schur", "kronecker", "banded"])
@pytest.mark.parametrize("big_gamma", [0.0, 0.3])
def test_every_solver_gives_eq29(method, big_gamma):
    L, lam, g, n1, nl = 7, 0.4, 0.7, 0.5, 3.0
    ness = paper_chain(L, lam, g, big_gamma, n1, nl).steady_state(solver=method)
    assert ness.solver == method
    occ, x, _, _ = closed_form_chain(L, lam, g, big_gamma, n1, nl)
    # Dense O(L^3) solves of a well-conditioned 7-mode problem: ~1e-14; 1e-12 is margin.
    np.testing.assert_allclose(ness.occupations, occ, atol=1e-12)
    np.testing.assert_allclose(ness.covariance.diagonal(1), x, atol=1e-12)


@given(st.integers(2, 30), st.floats(1e-2, 1.0), st.floats(1e-2, 1.0), st.floats(0.0, 1.0),
       st.floats(0.0, 10.0), st.floats(0.0, 10.0))
def test_entropy_production_nonnegative_zero_only_at_equal_baths(L, lam, g, big_g, n1, nl):
    ness = paper_chain(L, lam, g, big_g, n1, nl).steady_state()
    per = ness.entropy_production_by_reservoir()
    # Each Pi_c is a sum of two non-negative terms; round-off of eq. C2 is ~eps*gamma*n.
    tol = 1e-12 * max(1.0, n1, nl)
    assert all(v >= -tol for v in per.values())
    total = ness.entropy_production()
    if n1 == nl:
        assert abs(total) <= tol
    else:  # Π ∝ (n1 − nl)² can lie below rounding (nl − n1 = 5e-324 was drawn): then only >= −tol
        _, _, _, pi = closed_form_chain(L, lam, g, big_g, n1, nl)
        assert total >= -tol and (total > 0 or pi <= 10 * tol)


def test_zero_only_at_equal_occupations_exactly():
    ness = paper_chain(10, 0.3, 0.5, 0.2, 1.3, 1.3).steady_state()
    np.testing.assert_allclose(ness.occupations, 1.3, rtol=1e-13)  # equilibrium: every site at n
    assert abs(ness.entropy_production()) < 1e-14  # all terms vanish identically up to eps
    assert ness.entropy_production() >= 0 or abs(ness.entropy_production()) < 1e-15


@pytest.mark.parametrize("big_gamma", [0.05, 0.5])
def test_probes_carry_no_net_energy_and_no_entropy_flow(big_gamma):
    ness = paper_chain(12, 0.3, 0.5, big_gamma, 1.0, 2.0).steady_state()
    flows = ness.flows()
    scale = abs(flows.particle["left"])
    for name in ness.probe_occupations:
        # Self-consistency holds to the solver's round-off relative to the physical current.
        assert abs(flows.particle[name]) <= 1e-12 * scale
        assert abs(flows.energy[name]) <= 1e-12 * scale
        assert abs(ness.entropy_flow()[name]) <= 1e-12 * scale
    # Probe occupations are the local occupations (Sec. IV).
    occ = ness.occupations
    for c in ness.network.probes:
        assert ness.probe_occupations[c.name] == pytest.approx(occ[c.site], rel=1e-13)
    # Heat flows from the hot (right) bath to the cold one and the first law closes.
    assert flows.particle["right"] > 0 > flows.particle["left"]
    assert flows.check()


def test_split_baths_probes_adds_up_and_ballistic_exceeds_diffusive():
    L, lam, g, big_g, n1, nl = 30, 3e-7, 1e-6, 1e-7, 1.0, 2.0
    ness = paper_chain(L, lam, g, big_g, n1, nl).steady_state()
    pi_r, pi_sc = ness.entropy_production("baths"), ness.entropy_production("probes")
    _, _, _, pi = closed_form_chain(L, lam, g, big_g, n1, nl)
    assert pi_r > 0 and pi_sc > 0
    assert pi_r + pi_sc == pytest.approx(pi, rel=1e-8, abs=0)  # eq. 31 = E1 + E2; C2 cancellation ~1e-10; Π ~ 1e-8
    ballistic = paper_chain(L, lam, g, 0.0, n1, nl).steady_state().entropy_production()
    assert ballistic > pi_r + pi_sc  # Sec. IV B, last paragraph


def test_scaling_exponents_large_L():
    """Fig. 3: Pi_r ~ L^-2 and Pi_sc ~ L^-1 at large L (slopes from L = 400 to 800)."""
    lam, g, big_g = 3e-7, 1e-6, 1e-7
    sizes = np.array([400, 800])
    pr, ps = [], []
    for L in sizes:
        ness = paper_chain(int(L), lam, g, big_g, 1.0, 2.0).steady_state()
        pr.append(ness.entropy_production("baths"))
        ps.append(ness.entropy_production("probes"))
    slope_r = np.diff(np.log(pr))[0] / np.log(2)
    slope_s = np.diff(np.log(ps))[0] / np.log(2)
    # Corrections are O(1/L) relative (the (L-1) of eq. 29 and 4 lambda^2 + gamma^2): ~0.05 here.
    assert slope_r == pytest.approx(-2, abs=0.1)
    assert slope_s == pytest.approx(-1, abs=0.1)


def test_one_site_chain():
    from thermoflux.harmonic_networks import chain

    net = chain(1, frequency=2.0, hopping=0.5).attach_bath(0, 0.3, occupation=0.7) \
        .attach_bath(0, 0.1, occupation=1.5)
    ness = net.steady_state()
    # One mode, two baths: the rate-weighted mean occupation, exactly.
    assert ness.occupations[0] == pytest.approx((0.3 * 0.7 + 0.1 * 1.5) / 0.4, rel=1e-14)
    assert ness.entropy_production() > 0
    assert sum(ness.entropy_flow().values()) == pytest.approx(ness.entropy_production(), rel=1e-10)

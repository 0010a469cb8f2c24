"""Exact Gaussian dynamics (eq. B1): against expm of the vectorised generator, eqs. 14 and 22."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as la

from harmonic_helpers import pumping, random_network, random_state
from thermoflux import InputError
from thermoflux.harmonic_networks import GaussianState, Network, chain


def reference_dynamics(net, state, t):
    """C(t), S(t), mu(t) from expm of the vectorised (affine) generators: no eigenvectors."""
    n = net.n_modes
    ness = net.steady_state(solver="kronecker")
    m = net.drift()
    pump = pumping(net, ness.covariance)
    gen = np.kron(np.eye(n), m) + np.kron(m.conj(), np.eye(n))
    aff = np.zeros((n * n + 1, n * n + 1), dtype=complex)
    aff[:-1, :-1] = gen
    aff[:-1, -1] = np.diag(pump).reshape(-1, order="F")
    vec = la.expm(aff * t) @ np.append(state.covariance.reshape(-1, order="F"), 1.0)
    c = vec[:-1].reshape(n, n, order="F")
    nn = m.conj()
    gen_s = np.kron(np.eye(n), nn) + np.kron(nn, np.eye(n))
    s = (la.expm(gen_s * t) @ state.anomalous.reshape(-1, order="F")).reshape(n, n, order="F")
    mu = la.expm(nn * t) @ state.mean
    return c, s, mu


@pytest.mark.parametrize("seed", range(3))
def test_matches_expm_of_vectorised_generator(seed):
    rng = np.random.default_rng(seed)
    net = random_network(rng, 3, probes=bool(seed % 2))
    state, _ = random_state(rng, 3)
    times = np.array([0.0, 0.3, 1.7, 6.0])
    ds = net.evolve(state, times, store_covariance=True)
    for i, t in enumerate(times):
        c, s, mu = reference_dynamics(net, state, t)
        got = ds["covariance_real"].values[i] + 1j * ds["covariance_imag"].values[i]
        # expm (Pade, scaling and squaring) and the eigenbasis are both accurate to ~1e-13 for
        # O(1) generators and t <= 6; 1e-10 is margin.
        np.testing.assert_allclose(got, c, atol=1e-10)
        np.testing.assert_allclose(ds["occupation"].values[i], c.diagonal().real + abs(mu) ** 2, atol=1e-10)
        # the Wigner entropy of the reference state (S enters only through it)
        assert ds["wigner_entropy"].values[i] == pytest.approx(GaussianState(c, s, mu).wigner_entropy(), abs=1e-9)


def five_point(values, h):
    """f'(t) from f(t-2h) .. f(t+2h): error h^4 |f^(5)| / 30 plus ~eps |f| / h."""
    return (values[0] - 8 * values[1] + 8 * values[3] - values[4]) / (12 * h)


STENCIL = np.array([-2, -1, 0, 1, 2])


def test_entropy_balance_eq14_by_finite_differences():
    rng = np.random.default_rng(11)
    net = random_network(rng, 4, probes=True, bath_every=2)
    state, _ = random_state(rng, 4)
    h = 1e-3
    for t in (0.2, 1.5, 5.0):
        ds = net.evolve(state, t + h * STENCIL)
        fd = five_point(ds["wigner_entropy"].values, h)
        pi, phi = float(ds["entropy_production"][2]), float(ds["entropy_flow"][2].sum())
        # Five-point stencil: h^4 |S^(5)| / 30 ~ 1e-12 * rate^5 plus eps |S| / h ~ 1e-12;
        # rates here reach ~10, so 1e-8 relative (+1e-9 absolute) bounds both.
        assert fd == pytest.approx(pi - phi, rel=1e-8, abs=1e-9)
        assert float(ds["system_entropy_rate"][2]) == pytest.approx(pi - phi, abs=1e-12)
        assert pi >= 0


def test_relative_entropy_eq22_by_finite_differences():
    rng = np.random.default_rng(12)
    net = random_network(rng, 3, bath_every=1)  # one bath per mode: W_eq of eq. 9 exists
    state, _ = random_state(rng, 3)
    h = 1e-3
    for t in (0.1, 2.0):
        ds = net.evolve(state, t + h * STENCIL)
        rel = ds["relative_entropy"].values
        fd = five_point(rel, h)
        rhs = float(ds["unitary_entropy_term"][2] - ds["entropy_production"][2])
        assert fd == pytest.approx(rhs, rel=1e-8, abs=1e-9)  # same budget as above
        assert rel[2] >= 0  # a relative entropy


def test_long_and_zero_times_edges():
    net = chain(5, frequency=1.0, hopping=0.2).attach_bath(0, 0.3, occupation=0.0) \
        .attach_bath(4, 0.3, occupation=2.0)
    ness = net.steady_state()
    c0 = np.diag([3.0, 0.0, 1.0, 0.5, 0.0])
    ds = net.evolve(c0, [1e8, 0.0, 1e3], store_covariance=True)
    np.testing.assert_allclose(ds["occupation"].values[1], np.diag(c0), atol=1e-13)
    np.testing.assert_allclose(ds["occupation"].values[0], ness.occupations, atol=1e-13)
    # At t = 1e8 the decaying part underflows to zero: the steady-state balance Pi = Phi (eq. 23).
    assert float(ds["entropy_production"][0]) == pytest.approx(float(ds["entropy_flow"][0].sum()), rel=1e-10)
    assert float(ds["entropy_production"][0]) == pytest.approx(ness.entropy_production(), rel=1e-10)
    assert np.all(ds["entropy_production"].values >= 0)


def test_thermal_equilibrium_is_stationary():
    net = chain(4, frequency=1.0, hopping=0.3)
    for k in range(4):
        net.attach_bath(k, 0.2, occupation=0.8)
    c0 = 0.8 * np.eye(4)
    ds = net.evolve(c0, [0.0, 1.0, 10.0])
    np.testing.assert_allclose(ds["occupation"].values, 0.8, atol=1e-14)
    np.testing.assert_allclose(ds["entropy_production"].values, 0.0, atol=1e-15)
    np.testing.assert_allclose(ds["relative_entropy"].values, 0.0, atol=1e-13)


def test_dataset_roundtrip(tmp_path):
    from thermoflux.io import load_dataset, save_dataset

    net = chain(2, frequency=1.0, hopping=0.2) \
        .attach_bath(0, 0.3, occupation=1.0).add_self_consistent_probes(0.1)
    ds = net.evolve(np.eye(2), np.linspace(0, 5, 4))
    assert np.all(np.isnan(ds["relative_entropy"].values))  # two channels on mode 0
    back = load_dataset(save_dataset(ds, tmp_path / "dyn.nc"))
    np.testing.assert_array_equal(back["wigner_entropy"].values, ds["wigner_entropy"].values)


def test_errors():
    net = chain(2, frequency=1.0, hopping=0.2).attach_bath(0, 0.3, occupation=1.0)
    with pytest.raises(InputError, match="times must be >= 0"):
        net.evolve(np.eye(2), [-1.0, 1.0])
    with pytest.raises(InputError, match="initial has 3 modes"):
        net.evolve(np.eye(3), [1.0])
    with pytest.raises(InputError, match="times must be finite"):
        net.evolve(np.eye(2), [np.inf])
    with pytest.raises(InputError, match="no bath"):
        chain(2, frequency=1.0, hopping=0.2).evolve(np.eye(2), [1.0])


def test_exceptional_point_falls_back_to_exact_methods():
    """A defective drift (gamma = 4 lambda on a dimer): eigenvectors are useless there.

    The steady state must come from the Schur solver and the dynamics from expm; both are
    compared with the vectorised references.
    """
    lam = 0.5
    net = Network(np.array([[1.0, 1j * lam], [-1j * lam, 1.0]])).attach_bath(0, 4 * lam, occupation=0.7)
    ness = net.steady_state(solver="eigen")
    assert ness.solver == "schur"  # eigenvector condition ~1e8 > 1e5
    ref = net.steady_state(solver="kronecker").covariance
    np.testing.assert_allclose(ness.covariance, ref, atol=1e-12)  # O(1) exact solves
    state = GaussianState(np.diag([2.0, 0.0]))
    times = np.array([0.5, 3.0])
    ds = net.evolve(state, times, store_covariance=True)
    assert ds.attrs["solver"] == "expm"
    for i, t in enumerate(times):
        c, _, _ = reference_dynamics(net, state, t)
        got = ds["covariance_real"].values[i] + 1j * ds["covariance_imag"].values[i]
        np.testing.assert_allclose(got, c, atol=1e-10)  # two expm routes, O(1) generator


def test_weak_rates_at_high_frequency():
    """gamma = 1e-9 at omega = 1e4 (13 orders apart): still damped, still exact."""
    net = chain(3, frequency=1e4, hopping=1e-8).attach_bath(0, 1e-9, occupation=1.0) \
        .attach_bath(2, 1e-9, occupation=2.0)
    ness = net.steady_state(solver="eigen")
    ref = net.steady_state(solver="banded")
    # The eigen solve works on M - i omega: its error scales with the rates, ~1e-15 on O(1)
    # occupations (measured 5e-15); at t = 1e12 the transient has decayed below eps.
    np.testing.assert_allclose(ness.covariance, ref.covariance, atol=1e-12)
    ds = net.evolve(np.diag([1.0, 1.5, 2.0]), [0.0, 1e12])
    np.testing.assert_allclose(ds["occupation"].values[1], ref.occupations, atol=1e-12)


def test_reservoir_currents_balance_the_total_occupation():
    """Σ_α J^N_α(t) = d/dt Σ_k ⟨a_k† a_k⟩: H conserves quanta, so only the reservoirs change N."""
    rng = np.random.default_rng(13)
    net = random_network(rng, 4, probes=True, bath_every=2)
    state, _ = random_state(rng, 4)
    h = 1e-3
    for t in (0.2, 1.5):
        ds = net.evolve(state, t + h * STENCIL)
        assert ds["particle_current"].dims == ("time", "reservoir")
        fd = five_point(ds["occupation"].sum("mode").values, h)
        # Same five-point budget as eq. 14 above (rates up to ~10): 1e-8 relative, 1e-9 absolute.
        assert fd == pytest.approx(float(ds["particle_current"][2].sum()), rel=1e-8, abs=1e-9)


def test_long_time_reservoir_rows_are_the_steady_flows():
    from thermoflux import BoseEinstein

    # a chemical potential on bath0, so that its heat and energy currents differ
    net = chain(3, frequency=1.0, hopping=0.4) \
        .attach_bath(0, 0.3, distribution=BoseEinstein(temperature=1.5, mu=0.4)) \
        .attach_bath(2, 0.2, occupation=0.5)
    ness = net.steady_state()
    ds = net.evolve(np.eye(3), [0.0, 1e6])
    flows = ness.flows()
    for name in ("bath0", "bath2"):
        last = ds.sel(reservoir=name).isel(time=1)
        # the decaying part has underflowed at t = 1e6; O(0.1) currents, round-off ~1e-16
        assert float(last["particle_current"]) == pytest.approx(flows.particle[name], abs=1e-14)
        assert float(last["heat_current"]) == pytest.approx(flows.heat[name], abs=1e-14)
        assert float(last["entropy_flow"]) == pytest.approx(ness.entropy_flow()[name], abs=1e-14)
    assert ds.attrs["method"] == "harmonic_networks" and "software_version" in ds.attrs

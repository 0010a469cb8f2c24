"""General networks: solvers agree, eq. C2 = eqs. 24/26, currents, flows, input errors."""

from __future__ import annotations

import numpy as np
import pytest

from harmonic_helpers import pumping, random_network
from thermoflux import InputError
from thermoflux.harmonic_networks import Network, chain
from thermoflux.harmonic_networks.ness import excitation_currents


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("probes", [False, True])
def test_solvers_agree_on_random_networks(seed, probes):
    rng = np.random.default_rng(seed)
    net = random_network(rng, 6, probes=probes, bath_every=2)
    ref = net.steady_state(solver="kronecker").covariance
    for solver in ("eigen", "schur", "auto"):
        c = net.steady_state(solver=solver).covariance
        # Three independent O(L^3)/O(L^6) solves of a well-conditioned 6-mode problem (rates
        # and couplings all O(1)): agreement to ~1e-13; 1e-11 is margin.
        np.testing.assert_allclose(c, ref, atol=1e-11)
    # The solution satisfies eq. B5 / D3 with the probe pumping Gamma_k C_kk.
    drift = net.drift()
    pump = pumping(net, ref)
    resid = drift @ ref + ref @ drift.conj().T + np.diag(pump)
    assert np.max(np.abs(resid)) < 1e-12  # backward error of a dense solve, O(1) entries


@pytest.mark.parametrize("seed", range(8))
def test_c2_equals_unitary_form_eq24_26(seed):
    """Pi from eqs. 17/C2 (per channel) equals the coherent-current form of eqs. 24/26."""
    rng = np.random.default_rng(100 + seed)
    net = random_network(rng, int(rng.integers(2, 9)), probes=bool(seed % 2), bath_every=int(rng.integers(1, 3)))
    ness = net.steady_state()
    per = ness.entropy_production_by_reservoir()
    assert min(per.values()) >= -1e-14  # each Pi_c >= 0; O(1) rates, round-off ~1e-15
    pi_c2 = ness.entropy_production()
    pi_u = ness.unitary_entropy_production()
    # Two algebraically different routes (Fisher information vs coherent currents) from the
    # same C; both are sums of O(1) terms, so ~1e-14 absolute; 1e-11 relative is margin.
    assert pi_c2 == pytest.approx(pi_u, rel=1e-11, abs=1e-13)
    # and the steady state balance Pi = Phi (dS/dt = 0, eq. 14)
    assert pi_c2 == pytest.approx(sum(ness.entropy_flow().values()), rel=1e-11, abs=1e-13)


def test_currents_are_the_coherent_rate():
    """j_kl (eq. 25a) sums to the coherent part of dC_kk/dt; eq. 25b as printed does not."""
    rng = np.random.default_rng(7)
    net = random_network(rng, 5, probes=True)
    ness = net.steady_state()
    c, h = ness.covariance, net.hamiltonian
    coherent = 1j * (h.T @ c - c @ h.T)  # the i[H^T, C] term of dC/dt
    j = ness.currents
    np.testing.assert_allclose(j.sum(axis=1), coherent.diagonal().real, atol=1e-13)
    np.testing.assert_allclose(j, -j.T, atol=0)
    # Eq. 25b as printed, -i H_kl (C_kl - C_lk), is not antisymmetric: the typo is real.
    printed = -1j * h * (c - c.T)
    np.fill_diagonal(printed, 0)
    assert np.max(np.abs(printed + printed.T)) > 1e-3
    # For the chain of eq. 27 the printed form vanishes while eq. 30 does not.
    ch = chain(4, frequency=1.0, hopping=0.3).attach_bath(0, 0.5, occupation=1.0) \
        .attach_bath(3, 0.5, occupation=2.0).steady_state()
    printed_chain = -1j * ch.network.hamiltonian * (ch.covariance - ch.covariance.T)
    assert np.max(np.abs(printed_chain)) < 1e-15
    assert abs(ch.currents[0, 1]) > 1e-2


def test_flows_conserve_particles_and_energy():
    rng = np.random.default_rng(3)
    net = random_network(rng, 5, probes=True)
    for c in net.baths:
        assert c.occupation >= 0
    # Give every bath a positive occupation so all have a temperature.
    net2 = Network(net.hamiltonian)
    for i, c in enumerate(net.baths):
        net2.attach_bath(c.site, c.rate, occupation=c.occupation + 0.1)
    net2.add_self_consistent_probes(0.2)
    ness = net2.steady_state()
    flows = ness.flows()
    scale = sum(abs(v) for v in flows.particle.values())
    assert abs(flows.particle_residual) < 1e-12 * scale  # quanta conserved by H (eq. 2)
    assert abs(flows.energy_residual) < 1e-12 * scale * 3  # omega <= 2.x: energy scale ~3*quanta
    assert flows.power != 0  # unequal frequencies: the couplings do work on <H_0>


def test_flows_from_distribution():
    from thermoflux import BoseEinstein

    net = chain(3, frequency=2.0, hopping=0.2)
    net.attach_bath(0, 0.3, distribution=BoseEinstein(temperature=1.0), name="cold")
    net.attach_bath(2, 0.3, distribution=BoseEinstein(temperature=3.0), name="hot")
    ness = net.steady_state()
    assert ness.reservoir_occupations["cold"] == pytest.approx(1 / np.expm1(2.0), rel=1e-14)
    flows = ness.flows()
    assert flows.temperature["hot"] == 3.0
    assert flows.energy["hot"] > 0 and flows.entropy_production > 0
    assert flows.check()


def test_flows_zero_occupation_needs_a_distribution():
    ness = chain(2, frequency=1.0, hopping=0.1).attach_bath(0, 0.1, occupation=0.0) \
        .attach_bath(1, 0.1, occupation=1.0).steady_state()
    with pytest.raises(InputError, match="bath0"):
        ness.flows()
    assert ness.entropy_production() > 0  # the Wigner bookkeeping works at zero temperature


def test_dataset_roundtrip(tmp_path):
    from thermoflux.io import load_dataset, save_dataset

    ness = chain(4, frequency=1.0, hopping=0.3).attach_bath(0, 0.5, occupation=1.0) \
        .attach_bath(3, 0.5, occupation=2.0) \
        .add_self_consistent_probes(0.1).steady_state()
    ds = ness.to_dataset(covariance=True)
    path = save_dataset(ds, tmp_path / "ness.nc")
    back = load_dataset(path)
    np.testing.assert_array_equal(back["occupation"].values, ness.occupations)
    np.testing.assert_array_equal(back["covariance_real"].values, ness.covariance.real)
    assert list(back["reservoir"].values) == list(ds["reservoir"].values) == ["bath0", "bath3", "probe0",
                                                                          "probe1", "probe2", "probe3"]
    assert float(back["entropy_production"]) == ness.entropy_production()
    assert back.attrs["seed"] == "003"


def test_excitation_currents_function():
    h = np.array([[1.0, 0.5j], [-0.5j, 1.0]])
    c = np.array([[1.0, 0.2], [0.2, 2.0]], dtype=complex)
    j = excitation_currents(h, c)
    assert j[0, 1] == pytest.approx(2 * 0.5 * 0.2)  # eq. 30 structure: 2 lambda x
    assert j[1, 0] == -j[0, 1]


# -- errors --------------------------------------------------------------------------------
def test_errors_name_the_argument():
    with pytest.raises(InputError, match="hamiltonian must be Hermitian"):
        Network([[1.0, 0.5], [0.2, 1.0]])
    net = chain(3, frequency=1.0, hopping=0.1)
    with pytest.raises(InputError, match="rate must be non-negative"):
        net.attach_bath(0, -0.1, occupation=1.0)
    with pytest.raises(InputError, match="occupation must be non-negative"):
        net.attach_bath(0, 0.1, occupation=-1.0)
    with pytest.raises(InputError, match="exactly one of occupation and distribution"):
        net.attach_bath(0, 0.1)
    with pytest.raises(InputError, match=r"site must be a mode index in \[0, 2\]"):
        net.attach_bath(3, 0.1, occupation=1.0)
    with pytest.raises(InputError, match=r"sites\[1\] must be a mode index"):
        net.add_self_consistent_probes(0.1, sites=[0, 5])
    with pytest.raises(InputError, match="rate must be non-negative"):
        net.add_self_consistent_probes(-0.1)
    with pytest.raises(InputError, match="no bath"):
        net.steady_state()
    with pytest.raises(InputError, match="no bath"):
        chain(3, frequency=1.0, hopping=0.1).add_self_consistent_probes(0.1).steady_state()
    from thermoflux import FermiDirac

    with pytest.raises(InputError, match="boson statistics"):
        net.attach_bath(0, 0.1, distribution=FermiDirac(temperature=1.0))
    with pytest.raises(InputError, match="reservoirs must be one of"):
        chain(1, frequency=1.0, hopping=0) \
            .attach_bath(0, 1, occupation=1).steady_state().entropy_production("real")


def test_dark_mode_has_no_unique_steady_state():
    # Two uncoupled modes, a bath on one only: the other is never damped.
    net = Network(np.diag([1.0, 2.0])).attach_bath(0, 0.2, occupation=1.0)
    with pytest.raises(InputError, match="not damped"):
        net.steady_state()
    # A bath of zero rate is no bath either.
    net = chain(2, frequency=1.0, hopping=0.3).attach_bath(0, 0.0, occupation=1.0)
    with pytest.raises(InputError, match="not damped"):
        net.steady_state()


def test_probes_without_a_reachable_bath_are_refused():
    # No hopping: the probed inner sites never see a physical bath, so ñ is undetermined.
    net = chain(4, frequency=1.0, hopping=0.0).attach_bath(0, 0.5, occupation=1.0) \
        .attach_bath(3, 0.5, occupation=2.0)
    net.add_self_consistent_probes(0.1)
    with pytest.raises(InputError, match="zero-exchange conditions are singular"):
        net.steady_state()


def test_low_rank_probe_matrix_equals_exact_route():
    """The cross-approximation route for A (many probes) against the exact O(P^2 L^2) sum."""
    from thermoflux.harmonic_networks.lyapunov import DriftEigen

    L = 70
    net = chain(L, frequency=1.0, hopping=0.3).attach_bath(0, 0.5, occupation=1.0) \
        .attach_bath(L - 1, 0.5, occupation=2.0)
    net.add_self_consistent_probes(0.1)
    eig = DriftEigen(net.drift())
    sites, rates = np.arange(L), np.full(L, 0.1)
    exact = eig.probe_matrix(sites, rates, low_rank=False)
    fast = eig.probe_matrix(sites, rates, low_rank=True)
    assert np.max(np.abs(fast - exact)) > 0  # really a different route (rank ~60 of 70)
    # D is approximated to 1e-14 max|D|; A entries are O(1) sums of O(L) such terms: ~1e-13.
    np.testing.assert_allclose(fast, exact, atol=1e-12)
    # The full eigen solve (exact route here: rank > L/4) still gives eq. 29.
    from harmonic_helpers import closed_form_chain

    ness = net.steady_state(solver="eigen")
    occ, _, _, _ = closed_form_chain(L, 0.3, 0.5, 0.1, 1.0, 2.0)
    np.testing.assert_allclose(ness.occupations, occ, atol=1e-11)  # O(L^3) solve, cond(V) ~ 5


# -- result contract ---------------------------------------------------------------------------
@pytest.mark.parametrize("n_cold, n_hot", [(40.0, 60.0), (60.0, 40.0)])
def test_entropy_flow_is_the_reservoirs_entropy_rate(n_cold, n_hot):
    """Φ_α (eq. 20) is dS_α/dt of the reservoir: it tends to Clausius −J^Q_α/T_α at large n.

    With J^Q_α = ω J^N_α and T_α = ω / ln(1 + 1/n_α), −J^Q_α/T_α = −J^N_α ln(1 + 1/n_α), while
    Φ_α = −J^N_α/(n_α + ½): Φ_α/(−J^Q_α/T_α) = 1/((n + ½) ln(1 + 1/n)) = 1 − 1/(12 n²) + O(n⁻³).
    """
    ness = chain(3, frequency=1.0, hopping=0.3).attach_bath(0, 0.2, occupation=n_cold, name="a") \
        .attach_bath(2, 0.2, occupation=n_hot, name="b").steady_state()
    flows = ness.flows()
    wigner = ness.entropy_flow()
    for name, n in (("a", n_cold), ("b", n_hot)):
        ratio = wigner[name] / flows.entropy[name]
        assert 0 < 1 - ratio <= 1 / (12 * n**2)  # the series bound above, 2.3e-5 to 5.2e-5
    # the colder reservoir receives entropy, the hotter one gives it away
    colder = "a" if n_cold < n_hot else "b"
    assert wigner[colder] > 0 > wigner[{"a": "b", "b": "a"}[colder]]


def test_dataset_follows_the_result_contract():
    from thermoflux import BoseEinstein

    dist = BoseEinstein(temperature=1.5, mu=0.4)
    ness = chain(3, frequency=1.0, hopping=0.3).attach_bath(0, 0.2, distribution=dist, name="hot") \
        .attach_bath(2, 0.2, occupation=0.3, name="cold").add_self_consistent_probes(0.05, [1]).steady_state()
    ds = ness.to_dataset()
    flows = ness.flows()
    assert list(ds["reservoir"].values) == ["hot", "cold", "probe1"]
    assert list(ds["kind"].values) == ["bath", "bath", "probe"]
    for name in ("particle_current", "energy_current", "heat_current", "entropy_flow",
                 "entropy_production_by_reservoir"):
        assert ds[name].dims == ("reservoir",) and ds[name].attrs["units"]
    for name in ("hot", "cold", "probe1"):
        row = ds.sel(reservoir=name)
        # O(0.1) currents computed two ways (Dataset columns vs Flows from distributions): round-off
        assert float(row["particle_current"]) == pytest.approx(flows.particle[name], abs=1e-15)
        assert float(row["energy_current"]) == pytest.approx(flows.energy[name], abs=1e-15)
        assert float(row["heat_current"]) == pytest.approx(flows.heat[name], abs=1e-15)
    # the chemical work: heat differs from energy by mu J^N on the bath with mu = 0.4
    assert float(ds["heat_current"].sel(reservoir="hot")) != pytest.approx(
        float(ds["energy_current"].sel(reservoir="hot")), abs=1e-3)
    assert float(ds["entropy_flow"].sum()) == pytest.approx(float(ds["entropy_production"]), rel=1e-10)
    for key in ("method", "seed", "equations", "software_version", "units", "sign_convention", "solver"):
        assert key in ds.attrs, key

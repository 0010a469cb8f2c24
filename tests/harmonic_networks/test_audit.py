"""Network.audit: local-Lindblad validity and stability of the drift (issue 12)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.integrate import quad

from thermoflux import BoseEinstein
from thermoflux.harmonic_networks import Network, chain


def test_weak_hopping_chain_gives_no_finding():
    network = chain(10, frequency=1.0, hopping=1e-5).attach_bath(0, 1e-5, occupation=1.0) \
        .attach_bath(9, 1e-5, occupation=2.0)
    network.add_self_consistent_probes(1e-6)
    assert len(network.audit()) == 0


def _dimer(g, t_left, t_right, *, detuning=0.0, gamma=1e-3):
    network = Network(np.array([[1.0, g], [g, 1.0 + detuning]]))
    network.attach_bath(0, gamma, distribution=BoseEinstein(temperature=t_left), name="L")
    network.attach_bath(1, gamma, distribution=BoseEinstein(temperature=t_right), name="R")
    return network


def _landauer_energy_current(g, t_left, t_right, gamma=1e-3):
    """J^E_L = ∫ E T(E) (n_L − n_R) dE/2π, T = γ²|G_01|², G = (E − H + iγ/2)⁻¹, by quadrature."""
    def integrand(e):
        green = np.linalg.inv(e * np.eye(2) - np.array([[1.0, g], [g, 1.0]]) + 0.5j * gamma * np.eye(2))
        n_l, n_r = (1.0 / np.expm1(e / t) for t in (t_left, t_right))
        return e * gamma**2 * abs(green[0, 1]) ** 2 * (n_l - n_r) / (2 * np.pi)
    # T(E) falls off as γ²g²/(E − 1)⁴ away from the peaks 1 ± g: [0.5, 1.5] holds all but ~1e-8 of it
    return quad(integrand, 0.5, 1.5, points=[1.0 - g, 1.0 + g], limit=400, epsabs=0, epsrel=1e-10)[0]


@pytest.mark.parametrize("g, severity", [(0.1, "warning"), (0.01, None)])
def test_local_lindblad_at_low_temperature_against_landauer(g, severity):
    # Review s3: resonant sites, γ = 1e-3 << g, T = 0.1 and 0.12 (n ~ e^{-10}, steep across 1 ± g).
    network = _dimer(g, 0.1, 0.12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        local = network.steady_state().flows().energy["L"]
    exact = _landauer_energy_current(g, 0.1, 0.12)
    error = abs(local / exact - 1)            # exact ~ -1e-7, far from 0
    found = network.audit().by_check("local-lindblad")
    if severity is None:
        assert error < 0.01 and not found     # measured 0.23%
        return
    (finding,) = found
    assert error > 0.1                        # measured 19%: the local model is off
    assert finding.severity == severity
    assert 0.5 * error < finding.value < 2 * error   # measured 0.247 against 0.194


def test_equal_baths_on_detuned_sites_break_the_zeroth_law():
    # Review s17: both baths at T = 1 on sites 1.0 and 1.2: the local model moves J^N = 7.5e-7
    # (with a spurious power); nothing should flow.
    detuned = _dimer(0.01, 1.0, 1.0, detuning=0.2).audit()
    assert {f.severity for f in detuned.by_check("zeroth-law")} == {"error"}
    (finding,) = detuned.by_check("local-lindblad")
    assert finding.value == pytest.approx(1.0, abs=0.01)   # the local difference has no counterpart
    # identical sites: C = n·1 is the exact steady state, nothing flows and nothing is flagged
    resonant = _dimer(0.01, 1.0, 1.0).audit()
    assert len(resonant) == 0


def test_occupation_only_bath_reads_as_thermal_at_zero_mu():
    t_left, t_right = 0.1, 0.12
    by_occupation = Network(np.array([[1.0, 0.1], [0.1, 1.0]]))
    by_occupation.attach_bath(0, 1e-3, occupation=1.0 / np.expm1(1.0 / t_left), name="L")
    by_occupation.attach_bath(1, 1e-3, occupation=1.0 / np.expm1(1.0 / t_right), name="R")
    (a,) = by_occupation.audit().by_check("local-lindblad")
    (b,) = _dimer(0.1, t_left, t_right).audit().by_check("local-lindblad")
    assert a.value == pytest.approx(b.value, rel=1e-9)   # same β, only rounding of n apart


def test_stability_flags_a_dark_mode():
    # A bath on the middle of a uniform 3-chain leaves (a_0 + a_2)/√2 (in this gauge) undamped.
    dark = chain(3, frequency=1.0, hopping=0.01).attach_bath(1, 0.1, occupation=1.0).audit()
    (finding,) = dark.by_check("stability")
    assert finding.severity == "error" and abs(finding.value) < 1e-12   # Re λ = 0 to rounding
    end = chain(3, frequency=1.0, hopping=0.01).attach_bath(0, 0.1, occupation=1.0).audit()
    assert not end.by_check("stability") and not end.errors

"""Master equation in the Fock eigenbasis vs Landauer (Γ/T → 0) and vs sequential tunnelling with U."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from thermoflux import FermiDirac
from thermoflux.compare import OpenSystem, compare
from thermoflux.compare.fock import fock_basis
from thermoflux.compare.runners import run_master_equation
from thermoflux.distributions import fermi

# A double dot with complex hopping, a full complex Γ_L (two channels) and a diagonal Γ_R:
# it exercises the channel decomposition Γ_α = Σ γ_c u_c u_c† and the operators Σ conj(u_i) c_i.
H = np.array([[0.3, 0.4 - 0.2j], [0.4 + 0.2j, -0.2]])
GAMMA_L = np.array([[1.0, 0.4 + 0.3j], [0.4 - 0.3j, 0.5]])
GAMMA_R = np.diag([0.3, 1.0])
LEADS = {"L": FermiDirac(temperature=1.0, mu=0.6), "R": FermiDirac(temperature=0.7, mu=-0.4)}


def double_dot(scale):
    return OpenSystem(H, "fermion", {"L": (LEADS["L"], scale * GAMMA_L), "R": (LEADS["R"], scale * GAMMA_R)})


def test_fock_spectrum_is_sums_of_single_particle_levels():
    """Without interaction the 2^n many-body energies are the sums over subsets of eig(h)."""
    rng = np.random.default_rng(3)
    a = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    h = a + a.conj().T
    levels = np.linalg.eigvalsh(h)
    subsets = [sum(c) for r in range(5) for c in itertools.combinations(levels, r)]
    basis = fock_basis(h)
    # eigh of sectors of norm ~10: agreement to ~1e-13
    np.testing.assert_allclose(np.sort(basis.energies), np.sort(subsets), atol=1e-12)
    counts = [sum(1 for _ in itertools.combinations(range(4), r)) for r in range(5)]
    assert np.bincount(basis.particle_numbers.astype(int)).tolist() == counts


def test_master_equation_approaches_landauer_linearly_in_gamma():
    scales = np.array([1e-2, 3e-3, 1e-3, 3e-4])
    gaps, params = [], []
    for s in scales:
        ds = compare(double_dot(s), ["landauer", "master_equation"])
        gaps.append(float(ds.relative_difference.sel({"method": "master_equation"})))
        params.append(float(ds.validity_parameter.sel({"method": "master_equation"})))
        assert ds.expected_to_hold.sel({"method": "master_equation"}) == 1
    slope, _ = np.polyfit(np.log(scales), np.log(gaps), 1)
    # first order in Γ/T: slope 1 (measured 0.9998; 0.05 leaves room for the O(Γ²) rest)
    assert slope == pytest.approx(1.0, abs=0.05)
    # and the gap is of the order of the validity parameter Γ/min(T, δω) (measured gap/param ≈ 0.14)
    assert 0.03 < gaps[-1] / params[-1] < 1.0


def sequential_tunnelling(eps, u, widths, leads):
    """Spinful level, states 0, ↑, ↓, 2, by hand: rates 0→σ a_α = γ_α f_α(ε), σ→0 γ_α(1 − f_α(ε)),
    σ→2 γ_α f_α(ε + U), 2→σ γ_α(1 − f_α(ε + U)). Balance: 2a P0 = b P1 and c P1 = 2d P2
    (P1 = P↑ + P↓), so P1 = (2a/b) P0, P2 = (c/2d) P1. Current out of α: particles entering the dot."""
    f1 = {k: float(fermi(d.beta * (eps - d.mu))) for k, d in leads.items()}
    f2 = {k: float(fermi(d.beta * (eps + u - d.mu))) for k, d in leads.items()}
    a = sum(widths[k] * f1[k] for k in leads)
    b = sum(widths[k] * (1 - f1[k]) for k in leads)
    c = sum(widths[k] * f2[k] for k in leads)
    d = sum(widths[k] * (1 - f2[k]) for k in leads)
    p0 = 1.0
    p1 = 2 * a / b * p0
    p2 = c / (2 * d) * p1
    z = p0 + p1 + p2
    p0, p1, p2 = p0 / z, p1 / z, p2 / z
    particle, energy = {}, {}
    for k in leads:
        g = widths[k]
        low = 2 * g * f1[k] * p0 - g * (1 - f1[k]) * p1          # 0 <-> σ transitions, energy ε
        high = g * f2[k] * p1 - 2 * g * (1 - f2[k]) * p2         # σ <-> 2 transitions, energy ε + U
        particle[k] = low + high
        energy[k] = eps * low + (eps + u) * high
    return particle, energy


@pytest.mark.parametrize("rates", ["auto", "gksl"])
def test_interacting_spinful_level_is_sequential_tunnelling(rates):
    eps, u = 0.1, 0.8
    widths = {"L": 0.02, "R": 0.05}
    leads = {"L": FermiDirac(temperature=0.3, mu=0.7), "R": FermiDirac(temperature=0.5, mu=-0.2)}
    system = OpenSystem(np.diag([eps, eps]), "fermion",
                        {k: (leads[k], [widths[k], widths[k]]) for k in leads}, interaction=u)
    ds = compare(system, master_equation_rates=rates)
    assert list(ds.method.values) == ["master_equation"]          # the only method with U
    assert ds.attrs["reference"] == "none" and "interaction" in ds.attrs["reference_note"]
    assert np.isnan(float(ds.relative_difference[0]))
    particle, energy = sequential_tunnelling(eps, u, widths, leads)
    for k in leads:
        # closed form vs the GKSL/Pauli solver on 4 states: rounding only (~1e-16 of the rates)
        assert float(ds.particle_current.sel({"method": "master_equation", "reservoir": k})) == pytest.approx(
            particle[k], rel=1e-10, abs=1e-16)
        assert float(ds.energy_current.sel({"method": "master_equation", "reservoir": k})) == pytest.approx(
            energy[k], rel=1e-10, abs=1e-16)
    # with U the current differs from the non-interacting one (the test is not blind to U)
    free = OpenSystem(np.diag([eps, eps]), "fermion", {k: (leads[k], [widths[k], widths[k]]) for k in leads})
    assert abs(run_master_equation(free).flows.particle["L"] / particle["L"] - 1) > 0.1


def test_entropy_production_is_positive_and_first_law_holds():
    flows = run_master_equation(double_dot(1e-3)).flows
    assert flows.entropy_production > 0
    assert abs(flows.energy_residual) < 1e-12 * sum(abs(v) for v in flows.energy.values()) + 1e-18


def test_bohr_frequencies_of_a_quadratic_chain_are_its_single_particle_levels():
    """Without interaction every transition moves one quasiparticle: the distinct Bohr frequencies
    are eig(h), so Γ/min(T, δω) uses the smallest level spacing (rounding-level amplitudes of the
    Fock eigenvectors must not add spurious frequencies)."""
    n = 6
    h = np.diag(np.linspace(-0.5, 0.5, n)) + 0.1 * (np.eye(n, k=1) + np.eye(n, k=-1))
    left, right = np.zeros(n), np.zeros(n)
    left[0], right[-1] = 1e-3, 2e-3
    system = OpenSystem(h, "fermion", {"L": (FermiDirac(temperature=0.3, mu=0.2), left),
                                       "R": (FermiDirac(temperature=0.3, mu=-0.2), right)})
    result = run_master_equation(system, rates="pauli")
    spacing = np.diff(np.linalg.eigvalsh(h)).min()
    assert result.details["bohr_gap"] == pytest.approx(spacing, rel=1e-9)   # grouped to 1e-9 tolerance
    assert result.validity.value == pytest.approx(2e-3 / min(0.3, spacing), rel=1e-9)

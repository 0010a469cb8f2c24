"""QuadraticModel.audit: recurrence, continuum, bandwidth, heat capacity of finite baths (issue 12)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate

from thermoflux import FermiDirac, InputError
from thermoflux.finite_baths import QuadraticModel, resonant_level
from thermoflux.finite_baths.audit import bath_widths, heat_current_estimate

LEADS = {"L": FermiDirac(temperature=0.1, mu=0.1), "R": FermiDirac(temperature=0.1, mu=-0.1)}


def checks(report, check):
    return {f.subject: f for f in report.by_check(check)}


@pytest.mark.parametrize("fraction, tripped", [(2.0, True), (0.5, False)])
def test_recurrence_time_is_two_pi_over_spacing(fraction, tripped):
    model = resonant_level(n_modes=201, bandwidth=10.0, coupling=0.5)   # Δε = 0.05, t_rec = 40π
    t_rec = 2 * np.pi / 0.05
    found = checks(model.audit(LEADS, times=[0.0, fraction * t_rec], thresholds={"heat-capacity": (np.inf, np.inf)}),
                   "recurrence")
    assert bool(found) is tripped
    if tripped:
        assert set(found) == {"L", "R"} and found["L"].severity == "warning"
        assert found["L"].value == pytest.approx(fraction, rel=1e-12)


@pytest.mark.parametrize("n_modes, severity", [(3, "error"), (21, "warning"), (101, None)])
def test_continuum_counts_modes_within_the_level_width(n_modes, severity):
    # Γ = Σ_ν Γ_ν = 1 (0.5 per bath); Δε = 10/(K − 1): Γ/Δε = 0.2, 2, 10. At T = 0.5 the Fermi
    # step, 2πT = 3.1, is wider than Γ: the level width limits.
    model = resonant_level(n_modes=n_modes, bandwidth=10.0, coupling=0.5)
    leads = {"L": FermiDirac(temperature=0.5, mu=0.1), "R": FermiDirac(temperature=0.5, mu=-0.1)}
    found = checks(model.audit(leads, times=[0.0, 1.0]), "continuum")
    if severity is None:
        assert not found
        return
    assert found["L"].severity == severity
    assert found["L"].value == pytest.approx(1.0 / (10.0 / (n_modes - 1)), rel=1e-12)   # t = √(ΓΔε/2π) inverted


@pytest.mark.parametrize("temperature, severity", [(0.01, "error"), (0.05, "warning"), (1.0, None)])
def test_continuum_resolves_the_fermi_step(temperature, severity):
    # Review s10: Γ = 0.5 ≫ T but Δε = 0.078 ≈ 8T leaves the currents 6% off. Here Δε = 0.1 and
    # 2πT/Δε = 0.63 (error), 3.1 (warning); at T = 1 the level width Γ = 1 limits: Γ/Δε = 10.
    model = resonant_level(n_modes=101, bandwidth=10.0, coupling=0.5)
    leads = {k: FermiDirac(temperature=temperature, mu=m) for k, m in (("L", 0.1), ("R", -0.1))}
    found = checks(model.audit(leads, times=[0.0, 1.0]), "continuum")
    if severity is None:
        assert not found
        return
    assert found["L"].severity == severity and "Fermi step" in found["L"].message
    assert found["L"].value == pytest.approx(2 * np.pi * temperature / 0.1, rel=1e-12)   # Δε = 10/100


@pytest.mark.parametrize("bandwidth, level, severity", [(10.0, 0.0, None), (2.0, 0.0, "warning"), (10.0, 6.0, "error")])
def test_bandwidth_margin_beyond_levels_and_bias(bandwidth, level, severity):
    model = resonant_level(n_modes=401, bandwidth=bandwidth, coupling=0.1, level=level)
    found = checks(model.audit(LEADS, times=[0.0, 1.0]), "bandwidth")
    if severity is None:
        assert not found
        return
    assert found["L"].severity == severity
    if level == 0.0:   # margin (W/2 − 0.1)/max(T, Γ) with T = 0.1, Γ = 0.2
        assert found["L"].value == pytest.approx((bandwidth / 2 - 0.1) / 0.2, rel=1e-12)


def two_channel_model(n_modes=40, width=4.0):
    """Γ_L = [[1, .4], [.4, .5]] (rank 2) as two channels g_c u_c u_c† on one grid; Γ_R = diag(0, 1).

    Channel c: K modes at the cell midpoints, each coupled by t = √(g_c Δε/2π) u_c† (seed 001,
    Sec. III), so that 2π ρ |t|² summed over the channels gives Γ back.
    """
    gamma_l = np.array([[1.0, 0.4], [0.4, 0.5]])
    spacing = width / n_modes
    grid = -width / 2 + spacing * (np.arange(n_modes) + 0.5)
    g, u = np.linalg.eigh(gamma_l)
    rows_l = np.concatenate([np.outer(np.full(n_modes, np.sqrt(gc * spacing / (2 * np.pi))), uc.conj())
                             for gc, uc in zip(g, u.T)])
    rows_r = np.outer(np.full(n_modes, np.sqrt(spacing / (2 * np.pi))), [0.0, 1.0])
    model = QuadraticModel(np.diag([0.3, -0.2]), {"L": np.tile(grid, 2), "R": grid}, {"L": rows_l, "R": rows_r})
    return model, gamma_l


def test_bath_widths_of_a_bath_with_two_channels():
    # Review s9: dividing by all K modes gave Γ_L/2 for two channels.
    model, gamma_l = two_channel_model()
    widths = bath_widths(model)
    np.testing.assert_allclose(widths["L"], gamma_l, rtol=0, atol=1e-13)          # rounding of √ and sums
    np.testing.assert_allclose(widths["R"], np.diag([0.0, 1.0]), rtol=0, atol=1e-13)   # one channel: as before
    # heat capacity of L: two modes per energy, C = (π²/3) T·2/Δε (Sommerfeld, density 2/Δε)
    leads = {"L": FermiDirac(temperature=0.3, mu=0.2), "R": FermiDirac(temperature=0.1, mu=-0.2)}
    found = checks(model.audit(leads, times=[0.0, 1e3]), "heat-capacity")
    j = abs(heat_current_estimate(model, leads)["L"])
    assert found["L"].value == pytest.approx(j * 1e3 * 0.1 / (np.pi**2 / 3 * 0.3**2 * 2), rel=1e-12)


def lorentzian_heat_current(leads, gamma, level):
    """J^Q_L = ∫ T (E − μ_L)(f_L − f_R) dE/2π over the band [−5, 5].

    T = Γ²/((E − ε)² + Γ²) with Γ per bath (Γ_LΓ_R/((E − ε)² + (Γ_total/2)²)), by quad.
    """
    trans = lambda e: gamma**2 / ((e - level) ** 2 + gamma**2)  # noqa: E731
    f = lambda d, e: float(d.occupation(e))  # noqa: E731
    mu_l = float(leads["L"].mu)
    integrand = lambda e: trans(e) * (e - mu_l) * (f(leads["L"], e) - f(leads["R"], e)) / (2 * np.pi)  # noqa: E731
    return integrate.quad(integrand, -5.0, 5.0, points=[level, *(float(d.mu) for d in leads.values())],
                          limit=400, epsabs=0, epsrel=1e-10)[0]


@pytest.mark.parametrize("coupling, n_modes", [(0.2, 41), (1e-3, 2001)])
def test_heat_current_estimate_matches_quadrature_of_the_lorentzian(coupling, n_modes):
    # Wide-band resonant level: T(E) = Γ_LΓ_R/((E − ε)² + (Γ/2)²);
    # J^Q_L = ∫ T (E − μ_L)(f_L − f_R) dE/2π.
    # Γ = 1e-3 is 2.5 grid steps of 4001 points over the band: 18% off before the resonance was refined.
    model = resonant_level(n_modes=n_modes, bandwidth=10.0, coupling=coupling, level=0.05)
    leads = {"L": FermiDirac(temperature=0.3, mu=0.2), "R": FermiDirac(temperature=0.1, mu=-0.2)}
    ref = lorentzian_heat_current(leads, coupling, 0.05)
    est = heat_current_estimate(model, leads)
    # trapezoid on nodes refined at the pole, its tails and each Fermi step: measured 1.0e-6 (Γ = 0.2), 4.0e-6 (1e-3)
    assert est["L"] == pytest.approx(ref, rel=1e-5)


def test_heat_capacity_drift_grows_with_time():
    model = resonant_level(n_modes=41, bandwidth=10.0, coupling=0.2)
    leads = {"L": FermiDirac(temperature=0.3, mu=0.2), "R": FermiDirac(temperature=0.1, mu=-0.2)}
    short = model.audit(leads, times=[0.0, 0.01]).by_check("heat-capacity")
    long_ = checks(model.audit(leads, times=[0.0, 100.0]), "heat-capacity")
    assert not short and long_["L"].severity == "warning"
    # ΔT/T = |J^Q| t / ((π²/3) T²/Δε), Δε = 0.25, J^Q by quadrature of the Lorentzian (level at 0)
    j = abs(lorentzian_heat_current(leads, 0.2, 0.0))
    # the estimate's trapezoid error (1e-5 above) is all that separates them
    assert long_["L"].value == pytest.approx(j * 100.0 * 0.25 / (np.pi**2 / 3 * 0.3**2), rel=1e-5)


def test_audit_refuses_bad_arguments():
    model = resonant_level(n_modes=11, bandwidth=10.0, coupling=0.5)
    with pytest.raises(InputError, match="reservoirs"):
        model.audit({"L": LEADS["L"]}, times=[1.0])
    with pytest.raises(InputError, match="times"):
        model.audit(LEADS, times=[-1.0])

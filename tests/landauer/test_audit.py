"""Junction.audit: bosonic μ, wide-band tails, integration range, and the Flows checks (issue 12)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit, log_expit

from thermoflux import BoseEinstein, FermiDirac, InputError, NonThermal
from thermoflux.landauer import Junction, boxcar, constant, lorentzian


def test_readme_junctions_give_no_finding():
    leads = {"hot": FermiDirac(temperature=1.0, mu=0.0), "cold": FermiDirac(temperature=0.5, mu=0.2)}
    assert len(Junction(leads, lorentzian(1.0, {"hot": 0.05, "cold": 0.05})).audit()) == 0
    a = lambda e: 8.0 * (e - 0.3)  # noqa: E731
    b = lambda e: 8.0 * (e + 0.3)  # noqa: E731
    demon = NonThermal(lambda e: 0.5 * (expit(-a(e)) + expit(-b(e))), "fermion",
                       log_odds=lambda e: np.logaddexp(log_expit(a(e)), log_expit(b(e)))
                       - np.logaddexp(log_expit(-a(e)), log_expit(-b(e))))
    reservoirs = {"demon": demon, "lead": FermiDirac(temperature=0.2)}
    assert len(Junction(reservoirs, lorentzian(0.1, {"demon": 0.1, "lead": 0.1})).audit()) == 0


def test_equilibrium_junction_gives_no_error():
    leads = {"L": FermiDirac(temperature=0.5, mu=0.2), "R": FermiDirac(temperature=0.5, mu=0.2)}
    report = Junction(leads, lorentzian(0.3, {"L": 0.1, "R": 0.1})).audit()
    assert not report.errors and not report.warnings


# -- bosonic μ -------------------------------------------------------------------------------------
@pytest.mark.parametrize("mu, transmission, severity", [
    (0.0, lorentzian(1.0, {"h": 0.1, "c": 0.1}), "info"),           # T(0⁺) > 0: J^N undefined
    (0.0, {("h", "c"): boxcar([1.0], 0.5)}, None),                   # T(0) = 0: J^N finite
    (-0.1, lorentzian(1.0, {"h": 0.1, "c": 0.1}), None),
])
def test_bosonic_mu_at_the_lowest_energy(mu, transmission, severity):
    leads = {"h": BoseEinstein(temperature=1.0, mu=mu), "c": BoseEinstein(temperature=0.5, mu=-0.1)}
    found = Junction(leads, transmission).audit().by_check("bosonic-mu")
    assert [f.severity for f in found] == ([] if severity is None else [severity])


def test_bosonic_mu_info_only_where_the_particle_current_is_undefined():
    # Review item 8: T(E) = E/(1 + E) e^{−E/5} vanishes linearly, so T·Δn stays bounded at E → 0
    # and J^N is finite (quad: 0.07464); the info said NaN because T(1e-12) > 0.
    from scipy.integrate import quad

    from thermoflux.landauer import Transmission

    leads = {"h": BoseEinstein(temperature=1.0), "c": BoseEinstein(temperature=0.5)}
    trans = lambda e: np.asarray(e) / (1.0 + np.asarray(e)) * np.exp(-np.asarray(e) / 5.0)  # noqa: E731
    junction = Junction(leads, {("h", "c"): Transmission(trans)})
    ref = quad(lambda e: trans(e) * (1 / np.expm1(e) - 1 / np.expm1(e / 0.5)), 0, 200, limit=200)[0] / (2 * np.pi)
    assert junction.flows(check=False).particle["h"] == pytest.approx(ref, rel=1e-8)   # quad epsrel 1.5e-8
    assert not junction.audit().by_check("bosonic-mu")


def test_mu_zero_bosons_audit_without_false_second_law_errors():
    """μ = 0 bosons through T(0) > 0: the particle current is NaN (undefined), which must not turn
    the rounding floors into NaN and every law check into an error; the energy flows are fine."""
    from thermoflux.landauer import from_hamiltonian

    res = {"h": BoseEinstein(temperature=1.5), "c": BoseEinstein(temperature=0.3)}
    trans = from_hamiltonian(np.array([[1.0, 0.15], [0.15, 1.0]]), {"h": [0.1, 0.0], "c": [0.0, 0.16]})
    report = Junction(res, trans).audit()
    assert not report.errors and not report.warnings, report.table()
    assert {f.subject for f in report.by_check("bosonic-mu")} == {"h", "c"}


def test_bosonic_mu_above_the_lowest_energy_is_refused_before_any_audit():
    leads = {"h": BoseEinstein(temperature=1.0, mu=0.2), "c": BoseEinstein(temperature=0.5, mu=-0.1)}
    with pytest.raises(InputError, match="mu of reservoir 'h'"):
        Junction(leads, {("h", "c"): boxcar([1.0], 0.5)})


# -- wide band ---------------------------------------------------------------------------------------
def heavy_tailed(transmission):
    """Occupation with power-law tails, f = ½(1 − E/√(E² + a²)) ~ a²/4E², against a thermal lead."""
    heavy = NonThermal(lambda e: 0.5 * (1 - e / np.sqrt(e**2 + 0.25)), "fermion")
    return Junction({"h": heavy, "c": FermiDirac(temperature=0.2)}, transmission, features=[(0.0, 0.5)])


def test_wide_band_transmission_against_heavy_tails_diverges():
    # E²·T·Δf → T₀·a²/4 = 1/16 per e-fold: ∫E g dE grows like log(cutoff).
    report = heavy_tailed({("h", "c"): constant(1.0)}).audit()
    assert {f.subject for f in report.by_check("wide-band") if f.severity == "error"} == {"h", "c"}
    assert not report.ok


def test_lorentzian_against_heavy_tails_converges():
    # T ~ Γ²/E² makes E²·T·Δf ~ 1/E²: no wide-band finding.
    assert not heavy_tailed(lorentzian(0.0, {"h": 0.1, "c": 0.1})).audit().by_check("wide-band")


# -- integration range -------------------------------------------------------------------------------
@pytest.mark.parametrize("energy_range, severity", [((-1.0, 1.0), "error"), ((-5.0, 5.0), "warning"),
                                                    ((-20.0, 20.0), None), (None, None)])
def test_integration_range_short_of_the_thermal_tails(energy_range, severity):
    leads = {"h": FermiDirac(temperature=0.2, mu=0.3), "c": FermiDirac(temperature=0.2)}
    junction = Junction(leads, lorentzian(0.0, {"h": 0.1, "c": 0.1}), energy_range=energy_range)
    found = junction.audit().by_check("integration-range")
    assert [f.severity for f in found] == ([] if severity is None else [severity])
    if severity:   # distance of μ_h = 0.3 from the upper edge, in units of T = 0.2
        assert found[0].value == pytest.approx((energy_range[1] - 0.3) / 0.2, rel=1e-12)


def test_batched_junction_is_refused():
    leads = {"h": FermiDirac(temperature=0.2, mu=np.array([0.1, 0.2])), "c": FermiDirac(temperature=0.2)}
    with pytest.raises(InputError, match="one parameter point"):
        Junction(leads, lorentzian(0.0, {"h": 0.1, "c": 0.1})).audit()


def test_bosonic_mu_has_no_thresholds_to_override():
    # information only: an override would be read by nothing, so it is refused by name
    leads = {"h": BoseEinstein(temperature=1.0), "c": BoseEinstein(temperature=0.5, mu=-0.1)}
    junction = Junction(leads, lorentzian(1.0, {"h": 0.1, "c": 0.1}))
    with pytest.raises(InputError, match="'bosonic-mu'"):
        junction.audit(thresholds={"bosonic-mu": (0.0, 0.0)})
    assert "bosonic-mu" in junction.audit().checks

"""Distributions: occupations, log-odds, entropy densities and effective temperatures."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from thermoflux import (BoseEinstein, FermiDirac, InputError, NonThermal, Tabulated,
                        TemperatureFunction)
from thermoflux.distributions import bose, fermi, log_odds_from_occupation, occupation_from_log_odds


def test_fermi_dirac_values_against_direct_formula():
    dist = FermiDirac(beta=2.0, mu=0.3)
    e = np.linspace(-3, 3, 41)
    # Away from saturation the naive formula is accurate to a few ulp.
    np.testing.assert_allclose(dist.occupation(e), 1 / (np.exp(2.0 * (e - 0.3)) + 1), rtol=1e-14)
    np.testing.assert_array_equal(dist.log_odds(e), 2.0 * (e - 0.3))


def test_temperature_and_beta_constructors_agree():
    assert FermiDirac(temperature=0.25, mu=1.0) == FermiDirac(beta=4.0, mu=1.0)
    assert BoseEinstein(temperature=2.0).beta == 0.5
    assert FermiDirac(beta=4.0).temperature == 0.25


@given(x=st.floats(min_value=-1e4, max_value=1e4))
def test_fermion_occupation_and_log_odds_finite_up_to_beta_e_of_1e4(x):
    dist = FermiDirac(beta=1.0)
    f = dist.occupation(np.array([x]))[0]
    assert 0.0 <= f <= 1.0
    assert np.isfinite(dist.log_odds(np.array([x]))[0])
    # Particle-hole symmetry of the Fermi function, exact in expit.
    assert f + fermi(-x) == pytest.approx(1.0, abs=1e-15)


def test_log_odds_survive_saturation():
    dist = FermiDirac(beta=100.0)
    # At x = -40 the occupation rounds to exactly 1, so log-odds from f is -inf; the
    # distribution's own log-odds keeps the exponent.
    assert dist.occupation(-0.4) == 1.0
    assert log_odds_from_occupation(dist.occupation(-0.4), "fermion") == -np.inf
    assert dist.log_odds(-0.4) == pytest.approx(-40.0)
    assert dist.log_odds(-100.0) == -1e4


def test_occupation_log_odds_round_trip():
    f = np.array([0.0, 1e-300, 0.2, 0.5, 1 - 1e-12, 1.0])
    x = log_odds_from_occupation(f, "fermion")
    assert x[0] == np.inf and x[-1] == -np.inf
    np.testing.assert_allclose(occupation_from_log_odds(x, "fermion"), f, rtol=1e-10, atol=0)
    n = np.array([0.0, 1e-200, 0.3, 1e8])
    np.testing.assert_allclose(occupation_from_log_odds(log_odds_from_occupation(n, "boson"), "boson"), n, rtol=1e-10)


def test_bose_einstein():
    dist = BoseEinstein(beta=1.0, mu=-0.5)
    e = np.array([0.0, 1e-9, 1.0, 50.0, 800.0])
    with np.errstate(over="ignore"):  # expm1(800.5) = inf, so the reference is exactly 0 there
        expected = 1.0 / np.expm1(e + 0.5)
    np.testing.assert_allclose(dist.occupation(e), expected, rtol=1e-14)
    assert BoseEinstein(beta=1.0).occupation(0.0) == np.inf
    assert bose(1e-10) == pytest.approx(1e10, rel=1e-9)
    with pytest.raises(InputError, match="E >= mu"):
        dist.occupation(np.array([-1.0, 0.0]))


def test_entropy_density_against_mode_entropy_formula():
    dist = FermiDirac(beta=1.5, mu=0.2)
    e = np.linspace(-5, 5, 21)
    f = dist.occupation(e)
    naive = -f * np.log(f) - (1 - f) * np.log(1 - f)
    np.testing.assert_allclose(dist.entropy_density(e), naive, rtol=1e-12)
    # Far in the tail s ~ x e^{-x}: relative accuracy holds where f itself is ~1e-300.
    x = 690.0
    s = FermiDirac(beta=1.0).entropy_density(np.array([x]))[0]
    assert s == pytest.approx((x + 1) * np.exp(-x), rel=1e-12, abs=0)  # approx's default abs=1e-12 made it vacuous


def test_effective_temperature_of_thermal_distribution_is_its_temperature():
    for dist in (FermiDirac(temperature=0.7, mu=0.1), BoseEinstein(temperature=0.7, mu=-0.1)):
        e = np.array([0.5, 1.0, 3.0])
        np.testing.assert_allclose(dist.effective_temperature(e, reference_mu=dist.mu), 0.7, rtol=1e-14)


def test_temperature_function_reduces_to_thermal_for_constant_beta():
    tf_ = TemperatureFunction(lambda e: np.full_like(e, 2.0), mu=0.1, statistics="fermion")
    e = np.linspace(-2, 2, 9)
    np.testing.assert_allclose(tf_.occupation(e), FermiDirac(beta=2.0, mu=0.1).occupation(e), rtol=1e-15)
    with pytest.raises(InputError, match="beta_of_energy"):
        TemperatureFunction(lambda e: -np.ones_like(e), statistics="fermion").occupation(e)


def test_non_thermal_checks_physical_occupation_and_names_user_failure():
    double_step = NonThermal(lambda e: np.where(np.abs(e) < 1, 0.5, np.where(e < 0, 1.0, 0.0)), "fermion")
    x = double_step.log_odds(np.array([-2.0, 0.0, 2.0]))
    assert x[0] == -np.inf and x[1] == 0.0 and x[2] == np.inf
    np.testing.assert_array_equal(double_step.entropy_density(np.array([-2.0, 0.0, 2.0])), [0.0, np.log(2), 0.0])
    with pytest.raises(InputError, match=r"occupation must lie in \[0, 1\]"):
        NonThermal(lambda e: 1.5 + 0 * e, "fermion").occupation(np.zeros(3))
    with pytest.raises(InputError, match="occupation raised ZeroDivisionError"):
        NonThermal(lambda e: 1 / 0, "fermion").occupation(np.zeros(3))
    exact = NonThermal(lambda e: fermi(e), "fermion", log_odds=lambda e: e)
    assert exact.log_odds(np.array([-800.0]))[0] == -800.0


def test_tabulated_interpolates_and_checks():
    tab = Tabulated([0.0, 1.0, 2.0], [1.0, 0.5, 0.0], "fermion")
    np.testing.assert_allclose(tab.occupation([-1.0, 0.5, 1.5, 3.0]), [1.0, 0.75, 0.25, 0.0])
    with pytest.raises(InputError, match="strictly increasing"):
        Tabulated([0.0, 0.0], [0.5, 0.5], "fermion")
    with pytest.raises(InputError, match="outside the tabulated range"):
        Tabulated([0.0, 1.0], [0.5, 0.5], "fermion", outside="raise").occupation([2.0])


@pytest.mark.parametrize("kwargs, match", [
    ({"beta": -2.0}, "beta of FermiDirac must be positive"),
    ({"beta": np.inf}, "large finite beta"),
    ({"temperature": 0.0}, "temperature of FermiDirac must be positive"),
    ({}, "exactly one of beta or temperature"),
    ({"beta": 1.0, "temperature": 1.0}, "exactly one of beta or temperature"),
    ({"beta": 1.0, "mu": np.nan}, "mu must be finite"),
])
def test_thermal_input_errors(kwargs, match):
    with pytest.raises(InputError, match=match):
        FermiDirac(**kwargs)


@pytest.mark.parametrize("cls", [FermiDirac, BoseEinstein])
def test_thermal_parameters_are_keyword_only(cls):
    """FermiDirac(0.7, -0.4) reads as T = 0.7 to many; it would be β = 0.7 (issue 13)."""
    with pytest.raises(TypeError):
        cls(0.7, -0.4)
    assert cls(beta=0.7, mu=-0.4).temperature == pytest.approx(1 / 0.7, rel=1e-15)


def test_statistics_choice_is_checked():
    with pytest.raises(InputError, match="statistics must be one of"):
        NonThermal(lambda e: e, "anyon")


def test_array_parameters_broadcast():
    dist = FermiDirac(beta=np.array([[1.0], [2.0]]), mu=0.0)
    assert dist.occupation(np.array([0.0, 1.0, 2.0])).shape == (2, 3)

"""Entropy functions: exact at 0 and 1, consistent between the occupation and log-odds forms."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from thermoflux import InputError, entropy
from required_extras import require


mpmath = require("mpmath")


@mpmath.workdps(50)  # 50 digits, whatever other tests set globally
def exact_fermion_entropy(x):
    x = abs(mpmath.mpf(x))  # s is even in x; f = 1/(e^|x|+1) keeps all digits
    f = 1 / (mpmath.exp(x) + 1)
    return float(-f * mpmath.log(f) - (1 - f) * mpmath.log1p(-f))


@mpmath.workdps(50)
def exact_boson_entropy(x):
    n = 1 / mpmath.expm1(mpmath.mpf(x))
    return float((1 + n) * mpmath.log1p(n) - n * mpmath.log(n))


@given(x=st.floats(min_value=-700, max_value=700))
def test_fermion_entropy_from_log_odds_is_accurate_to_rounding(x):
    # 50-digit reference; the log-odds form keeps ~1e-14 relative accuracy even where f < 1e-300.
    assert float(entropy.mode_entropy_from_log_odds(x, "fermion")) == pytest.approx(
        exact_fermion_entropy(x), rel=1e-13, abs=1e-305)


@given(x=st.floats(min_value=1e-6, max_value=700))
def test_boson_entropy_from_log_odds_is_accurate_to_rounding(x):
    assert float(entropy.mode_entropy_from_log_odds(x, "boson")) == pytest.approx(
        exact_boson_entropy(x), rel=1e-13, abs=1e-305)


@given(x=st.floats(min_value=-15, max_value=15))
def test_occupation_form_agrees_where_f_is_not_saturated(x):
    # From f the entropy carries f's rounding amplified by 1/min(f, 1-f) <= e^15: rel 1e-9 is ample.
    f = 1.0 / (np.exp(x) + 1.0)
    # abs=0: s >= 5e-6 here, so approx's default abs=1e-12 would allow 2e-7 relative.
    assert float(entropy.mode_entropy(f, "fermion")) == pytest.approx(exact_fermion_entropy(x), rel=1e-9, abs=0)


def test_exact_values_at_the_edges():
    np.testing.assert_array_equal(entropy.mode_entropy([0.0, 1.0], "fermion"), [0.0, 0.0])
    assert entropy.mode_entropy(0.5, "fermion") == pytest.approx(np.log(2), rel=1e-15)
    np.testing.assert_array_equal(entropy.mode_entropy_from_log_odds([np.inf, -np.inf], "fermion"), [0.0, 0.0])
    assert entropy.mode_entropy_from_log_odds(0.0, "boson") == np.inf
    assert entropy.mode_entropy_from_log_odds(np.inf, "boson") == 0.0
    assert entropy.mode_entropy(0.0, "boson") == 0.0


def test_relative_entropy_is_nonnegative_and_zero_only_on_the_diagonal():
    rng = np.random.default_rng(1)
    p, q = rng.uniform(size=200), rng.uniform(size=200)
    assert np.all(entropy.relative_entropy(p, q, "fermion") > 0)
    assert np.all(entropy.relative_entropy(p * 5, q * 5, "boson") > 0)
    np.testing.assert_array_equal(entropy.relative_entropy(p, p, "fermion"), 0.0)
    assert entropy.relative_entropy(0.5, 0.0, "fermion") == np.inf


def test_relative_entropy_to_log_odds_equals_occupation_form():
    rng = np.random.default_rng(2)
    # |x| <= 10 keeps q and 1 - q representable to ~1e-12 relative, so the occupation form is a
    # fair reference at rtol 1e-9 (beyond that it is the occupation form that loses digits).
    p, x = rng.uniform(size=50), rng.uniform(-10, 10, size=50)
    q = 1 / (np.exp(x) + 1)
    np.testing.assert_allclose(entropy.relative_entropy_to_log_odds(p, x, "fermion"),
                               entropy.relative_entropy(p, q, "fermion"), rtol=1e-9, atol=1e-12)
    xb = rng.uniform(0.01, 20, size=50)
    np.testing.assert_allclose(entropy.relative_entropy_to_log_odds(3 * p, xb, "boson"),
                               entropy.relative_entropy(3 * p, 1 / np.expm1(xb), "boson"), rtol=1e-8, atol=1e-12)


def test_relative_entropy_to_saturated_thermal_reference():
    # Reference f = 1/(e^x + 1) at x = 800 underflows to 0; D(0 || q) = -ln(1 - q) ~ e^{-800} -> 0,
    # D(1 || q) = -ln q = ln(1 + e^800) = 800 + ln(1 + e^-800): exact from the log-odds.
    d = entropy.relative_entropy_to_log_odds(np.array([0.0, 1.0]), np.array([800.0, 800.0]), "fermion")
    assert d[0] == pytest.approx(0.0, abs=1e-300)
    assert d[1] == pytest.approx(800.0, rel=1e-15)


def test_gaussian_entropies_from_correlation_matrix():
    rng = np.random.default_rng(3)
    occupations = np.array([0.0, 1.0, 0.3, 0.7, 0.5])
    u, _ = np.linalg.qr(rng.normal(size=(5, 5)) + 1j * rng.normal(size=(5, 5)))
    c = u @ np.diag(occupations) @ u.conj().T
    expected = float(np.sum(entropy.mode_entropy(occupations, "fermion")))
    assert entropy.fermionic_gaussian_entropy(c) == pytest.approx(expected, rel=1e-12)
    n = np.array([0.0, 0.1, 2.0, 30.0])
    u4 = u[:4, :4]
    u4, _ = np.linalg.qr(u4)
    cb = u4 @ np.diag(n) @ u4.conj().T
    assert entropy.bosonic_gaussian_entropy(cb) == pytest.approx(float(np.sum(entropy.mode_entropy(n, "boson"))), rel=1e-12)


def test_round_off_outside_unit_interval_is_tolerated_but_real_violations_raise():
    c = np.diag([1.0 + 1e-14, -1e-14, 0.5])
    assert entropy.fermionic_gaussian_entropy(c) == pytest.approx(np.log(2), rel=1e-12)
    with pytest.raises(InputError, match="not a fermion state"):
        entropy.fermionic_gaussian_entropy(np.diag([1.1, 0.2]))
    with pytest.raises(InputError, match="Hermitian"):
        entropy.fermionic_gaussian_entropy(np.array([[0.5, 0.1], [0.3, 0.5]]))
    with pytest.raises(InputError, match=r"f must lie in \[0, 1\]"):
        entropy.mode_entropy(-0.1, "fermion")


def test_stacked_correlation_matrices():
    stack = np.stack([np.diag([0.5, 0.5]), np.diag([0.0, 1.0])])
    # atol: eigenvalues 0 and 1 may come back one ulp off, and s(2.2e-16) = 8e-15 (not relative).
    np.testing.assert_allclose(entropy.fermionic_gaussian_entropy(stack), [2 * np.log(2), 0.0], atol=1e-14)

"""Linear response (seed 002, Sec. III B): analytic Onsager coefficients vs finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import BoseEinstein
from thermoflux.master_equation import (
    Field,
    StochasticLimit,
    System,
    finite_difference_onsager,
    linear_entropy_production,
    onsager_coefficients,
)

OHMIC = staticmethod(lambda w: 0.2 * w * np.exp(-w / 5.0))


def random_system(rng, n=4):
    e = np.sort(rng.uniform(0.5, 3.0, n))
    e[0] = 0.0
    return System(e, {"d": rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))})


@pytest.mark.parametrize("mu", [0.0, -0.3])
def test_onsager_matrix_equals_finite_differences_and_is_symmetric(rng, mu):
    system = random_system(rng)
    spectral = lambda w: 0.2 * w * np.exp(-w / 5.0)  # noqa: E731
    analytic = onsager_coefficients(system, spectral, beta=1.2, mu=mu).onsager.values
    numeric = finite_difference_onsager(system, spectral, beta=1.2, mu=mu, step=1e-4)
    # central differences: O(step²) ~ 1e-8 relative truncation, rounding ~1e-12/step
    np.testing.assert_allclose(numeric, analytic, rtol=1e-6, atol=1e-9 * np.abs(analytic).max())
    assert numeric[0, 1] == pytest.approx(numeric[1, 0], rel=1e-6)  # L12 = L21 (eq. 58), same tolerance
    assert analytic[0, 0] < 0 and analytic[1, 1] < 0  # no inversion in the reference state (eq. 57b)


def test_printed_signs_of_eq57c_contradict_the_exact_currents(rng):
    system = random_system(rng, 3)
    spectral = lambda w: 0.2 * w * np.exp(-w / 5.0)  # noqa: E731
    mu = -0.4
    coeffs = onsager_coefficients(system, spectral, beta=0.8, mu=mu)
    numeric = finite_difference_onsager(system, spectral, beta=0.8, mu=mu, step=1e-4)
    gamma, omega = coeffs.gamma.values, coeffs.omega.values
    printed_l = np.sum(-(omega - mu) * gamma)
    printed_m = np.sum(-(omega + mu) ** 2 * gamma)
    assert np.sign(numeric[0, 1]) == -np.sign(printed_l)
    assert np.sign(numeric[1, 1]) == -np.sign(printed_m)
    # per transition the corrected matrix is rank one: L² = ΓM (the paper's "L² + ΓM = 0" with its signs)
    np.testing.assert_allclose(coeffs.l_coefficient ** 2, coeffs.gamma * coeffs.m_coefficient, rtol=1e-12)


def test_linear_entropy_production_matches_exact_to_second_order(rng):
    system = random_system(rng, 3)
    spectral = lambda w: 0.2 * w * np.exp(-w / 5.0)  # noqa: E731
    beta0, mu0 = 1.0, 0.0  # μ0 = 0: the reference state is Gibbs (with μ0 ≠ 0 a cycle already produces entropy)
    onsager = onsager_coefficients(system, spectral, beta=beta0, mu=mu0).onsager.values
    d = system.couplings["d"]
    for dmu, dbeta in [(1e-3, 0.0), (0.0, 1e-3), (1e-3, -2e-3)]:
        b1, b2 = beta0 + dbeta / 2, beta0 - dbeta / 2
        m1, m2 = mu0 - dmu / 2, mu0 + dmu / 2
        model = StochasticLimit(System(system.energies, {"1": d, "2": d}),
                                {"1": Field(BoseEinstein(beta=b1, mu=m1), spectral), "2": Field(BoseEinstein(beta=b2, mu=m2), spectral)})
        exact = model.flows().entropy_production
        linear = linear_entropy_production(onsager, beta=beta0, delta_mu=dmu, delta_beta=dbeta)
        assert linear > 0
        assert exact == pytest.approx(linear, rel=5e-3)  # next order is O(δ) relative: δ = 1e-3 times O(1)


def test_single_transition_entropy_production_vanishes_on_eq60_line():
    system = System([0.0, 1.5], {"d": [[0, 1], [0, 0]]})
    beta0, mu0 = 1.0, 0.2
    onsager = onsager_coefficients(system, 0.3, beta=beta0, mu=mu0).onsager.values
    dbeta = 0.01
    on_line = -(1.5 - mu0) * dbeta / beta0  # corrected eq. 60: δμ = −(ω − μ0) δβ/β0
    assert abs(linear_entropy_production(onsager, beta=beta0, delta_mu=on_line, delta_beta=dbeta)) < 1e-16
    assert linear_entropy_production(onsager, beta=beta0, delta_mu=-on_line, delta_beta=dbeta) > 1e-6  # printed sign: not zero

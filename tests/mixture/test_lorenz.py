"""Conductances and Lorenz number from the derivative definitions (seed 000, eqs. 80-86)."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest

from thermoflux import BoseEinstein, FermiDirac
from thermoflux.mixture import MixtureState, gaussian_weights, step_weights

LORENZ_FREE_ELECTRON = np.pi ** 2 / 3   # L_0 (k_B = e = 1), seed 000, eq. 86

# Ratios of two Gauss-Legendre integrals good to ~1e-13 each.
RTOL = 1e-10


def L_closed(a: float) -> float:
    """Eq. 85."""
    a = mp.mpf(a)
    return float(a * (a - 2 * (1 + mp.e ** -a) * mp.log(1 + mp.e ** a)) - 2 * (1 + mp.e ** -a) * mp.polylog(2, -mp.e ** a))


def kappa_corrected(c, beta, mu):
    a = mp.mpf(beta) * mu
    return float(c / (2 * mp.pi * beta) * (a * (a / (1 + mp.e ** -a) - 2 * mp.log(1 + mp.e ** a)) - 2 * mp.polylog(2, -mp.e ** a)))


def kappa_printed(c, beta, mu):
    """Eq. 82 as printed (coefficient 1 on Li_2)."""
    a = mp.mpf(beta) * mu
    return float(c / (2 * mp.pi * beta) * (a * (a / (1 + mp.e ** -a) - 2 * mp.log(1 + mp.e ** a)) - mp.polylog(2, -mp.e ** a)))


BETA_MU = np.array([-6.0, -1.0, 0.0, 0.5, 2.0, 5.0, 12.0, 30.0])


@pytest.mark.parametrize("gate", [0, 1])
def test_lorenz_step_weights_eq_85_vectorized(gate):
    beta = 0.8
    mus = BETA_MU / beta
    other = FermiDirac(beta=1.7, mu=0.3)
    res = [FermiDirac(beta=beta, mu=mus), other] if gate == 0 else [other, FermiDirac(beta=beta, mu=mus)]
    s = MixtureState(res, step_weights(0.4, -0.2))
    expected = np.array([L_closed(a) for a in BETA_MU])
    assert np.allclose(s.lorenz_number(gate), expected, rtol=RTOL, atol=0)
    sigma, kappa = s.conductances(gate)
    # eq. 80 at both gates (currents entering the system through the gate)
    assert np.allclose(sigma, 0.6 / (2 * np.pi * (1 + np.exp(-BETA_MU))), rtol=RTOL, atol=0)
    assert np.allclose(kappa, [kappa_corrected(0.6, beta, m) for m in mus], rtol=RTOL, atol=0)


def test_kappa_closed_form_typo():
    """Eq. 82 as printed contradicts eq. 85; with 2 Li_2 it matches the general path."""
    beta, mu, c = 1.3, 0.0, 0.5
    s = MixtureState([FermiDirac(beta=beta, mu=mu), FermiDirac(beta=1.0, mu=0.4)], step_weights(0.5, 0.0))
    _, kappa = s.conductances(0)
    assert kappa == pytest.approx(kappa_corrected(c, beta, mu), rel=RTOL)
    # the printed form is off by c·π²/(24πβ) at βμ = 0 (it gives L(0) = π²/6)
    assert abs(kappa - kappa_printed(c, beta, mu)) > 0.1 * kappa
    assert beta * kappa_printed(c, beta, mu) / s.conductances(0)[0] == pytest.approx(np.pi**2 / 6, rel=1e-12)


def test_limits_eq_86_and_wiedemann_franz_claim():
    s = MixtureState([FermiDirac(beta=1.0, mu=np.array([0.0, 60.0])), FermiDirac(beta=1.0, mu=0.0)], step_weights(0.5, 0.0))
    # βμ = 60: the deviation is O(e^{-60}); βμ = 0 is exact (Sec. 3.3)
    assert np.allclose(s.lorenz_number(0), LORENZ_FREE_ELECTRON, rtol=RTOL, atol=0)
    grid = np.linspace(12.0, 40.0, 57)
    s = MixtureState([FermiDirac(beta=1.0, mu=grid), FermiDirac(beta=1.0, mu=0.0)], step_weights(0.5, 0.0))
    assert np.all(1 - s.lorenz_number(0) / LORENZ_FREE_ELECTRON < 1e-3)  # "< 1e-3 for βμ >= 12"


def finite_difference_conductances(build, beta, mu, h):
    """σ = ∂j/∂μ and κ = ∂(ϑ − μ j)/∂T at fixed μ by central differences (independent route)."""
    jp, jm = build(beta, mu + h).particle_current(), build(beta, mu - h).particle_current()
    T = 1 / beta
    qp = build(1 / (T + h), mu).heat_current(0)
    qm = build(1 / (T - h), mu).heat_current(0)
    return (jp - jm) / (2 * h), (qp - qm) / (2 * h)


@pytest.mark.parametrize("stats", ["fermion", "boson"])
def test_gaussian_weights_against_finite_differences(stats):
    dist = FermiDirac if stats == "fermion" else BoseEinstein
    beta, mu = 1.4, (0.7 if stats == "fermion" else -0.3)

    def build(b, m):
        return MixtureState([dist(beta=b, mu=m), dist(beta=0.6, mu=-0.8)], gaussian_weights(0.9))

    sigma, kappa = build(beta, mu).conductances(0)
    fd_sigma, fd_kappa = finite_difference_conductances(build, beta, mu, 1e-4)
    # central differences: truncation ~h^2 f''' ~ 1e-8, rounding ~1e-15/h ~ 1e-11
    assert sigma == pytest.approx(fd_sigma, rel=1e-7)
    assert kappa == pytest.approx(fd_kappa, rel=1e-7)
    assert build(beta, mu).lorenz_number(0) == pytest.approx(beta * fd_kappa / fd_sigma, rel=2e-7)


def test_tiny_imbalance_keeps_relative_accuracy():
    """βμ = 24, I(k) = e^{-ξk²} ~ 1e-12 at the Fermi level: ½(1+g) − ½(1−g) would be rounding
    only; the exact imbalance of gaussian_weights keeps L to 1e-12 (reference: mpmath, 30 digits)."""
    xi, mu = 0.5722367659350217, 24.393939393939394
    s = MixtureState([FermiDirac(beta=1.0, mu=mu), FermiDirac(beta=2.0, mu=0.5)], gaussian_weights(xi))
    with mp.workdps(30):  # local precision: a failure here must not leave mpmath at 30 digits
        f = lambda E: mp.e ** (-2 * mp.mpf(xi) * E) / (2 * mp.cosh((E - mu) / 2)) ** 2  # noqa: E731
        cuts = [0, mu / 2, mu, mu + 10, mu + 40, mp.inf]
        ref = mp.quad(lambda E: f(E) * (E - mu) ** 2, cuts) / mp.quad(f, cuts)
    assert s.lorenz_number(0) == pytest.approx(float(ref), rel=1e-12)  # Gauss-Legendre ~1e-15 here

"""Linear response to a static potential (seed 000, Sec. 3.6, eqs. 125-130 with eq. 129 corrected)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad

from thermoflux import FermiDirac, InputError
from thermoflux.mixture import MixtureState, gaussian_weights, step_weights


def nonequilibrium():
    return MixtureState([FermiDirac(beta=0.5, mu=1.0), FermiDirac(beta=2.0, mu=0.3)], step_weights(0.5, -0.1))


def test_lindhard_function_at_low_temperature():
    """Equal reservoirs at βE_F ~ 2e4: χ(q) = (m/πq) ln|(q − 2k_F)/(q + 2k_F)| (1D Lindhard)."""
    kF, beta = 1.3, 2e4
    s = MixtureState([FermiDirac(beta=beta, mu=kF**2 / 2)] * 2, gaussian_weights(0.5))
    q = np.array([0.1, 1.0, 2.0, 3.0, 5.0])
    chi = s.density_response(q)
    lindhard = np.log(np.abs((q - 2 * kF) / (q + 2 * kF))) / (np.pi * q)
    # finite-temperature corrections ~ (T/E_F)^2 ~ 4e-9, larger near the Kohn point q = 2k_F
    assert np.allclose(chi.real, lindhard, rtol=5e-8, atol=0)
    assert np.all(chi.imag == 0)                           # even weights: no pole term


@pytest.mark.parametrize("q", [0.3, 1.7, 4.0, -1.7])
def test_principal_value_against_quad_cauchy(q):
    s = nonequilibrium()
    k0 = -q / 2
    g = lambda k: s.distribution(k + q) - s.distribution(k)  # noqa: E731
    opts = dict(epsabs=0, epsrel=1e-13, limit=400)
    lo, hi = sorted((-q, 0.0))                              # the weights jump at k = 0 and k = −q
    pv = (quad(lambda k: g(k) / (k - k0), -60, lo, **opts)[0]
          + quad(g, lo, hi, weight="cauchy", wvar=k0, **opts)[0]
          + quad(lambda k: g(k) / (k - k0), hi, 60, **opts)[0])
    pole = 1j * np.pi * np.sign(q) * (s.distribution(q / 2) - s.distribution(-q / 2))
    expected = (pv + pole) / (2 * np.pi * q)
    # quad's relative accuracy 1e-13 on each piece; ours ~1e-15
    assert s.density_response(q) == pytest.approx(expected, rel=1e-11)


def test_constant_potential_limit_shifts_chemical_potentials():
    """A wide potential V(x) = V e^{-x²/2σ²} acts as μ_i → μ_i − V: δρ(0) = −V Σ_i ∂ρ/∂μ_i."""
    s = nonequilibrium()
    h = 1e-5

    def rho(shift):
        return MixtureState([FermiDirac(beta=0.5, mu=1.0 + shift), FermiDirac(beta=2.0, mu=0.3 + shift)], step_weights(0.5, -0.1)).density()

    drho_dmu = (rho(h) - rho(-h)) / (2 * h)
    sig = 400.0
    vft = lambda q: np.sqrt(2 * np.pi) * sig * np.exp(-((q * sig) ** 2) / 2)  # noqa: E731
    # finite width: corrections O((σ k_T)^-2) ~ 1e-7; central difference ~1e-10
    assert s.linear_response_density(vft, 0.0) == pytest.approx(-drho_dmu, rel=1e-6)


def test_first_order_current_vanishes():
    s = nonequilibrium()
    sig = 2.0
    vft = lambda q: np.sqrt(2 * np.pi) * sig * np.exp(-((q * sig) ** 2) / 2)  # noqa: E731
    x = np.array([-3.0, 0.0, 5.0])
    dj = s.linear_response_current(vft, x)
    scale = abs(s.particle_current())
    assert np.all(np.abs(dj) < 1e-12 * scale)   # zero up to quadrature rounding


def test_density_response_is_real_for_real_potential_and_reflection():
    s = nonequilibrium()
    q = np.array([0.4, 2.2])
    assert np.allclose(s.density_response(-q), np.conj(s.density_response(q)), rtol=1e-14, atol=0)


def test_linear_response_input_errors():
    s = nonequilibrium()
    with pytest.raises(InputError, match="non-zero"):
        s.density_response([0.0, 1.0])
    with pytest.raises(InputError, match="potential_ft"):
        s.linear_response_density(3.0, 0.0)
    with pytest.raises(InputError, match="decay"):
        s.linear_response_density(lambda q: np.ones_like(q), 0.0)
    arr = MixtureState([FermiDirac(beta=0.5, mu=[1.0, 2.0]), FermiDirac(beta=2.0, mu=0.3)], step_weights(0.5, -0.1))
    with pytest.raises(InputError, match="scalar"):
        arr.density_response(1.0)


def test_first_order_current_is_the_derivative_of_the_exact_current_through_a_barrier():
    """The exact (all orders) current through a δ barrier V δ(x) has zero slope at V = 0.

    Scattering states of k²/2m + V δ(x) transmit T_V(k) = k²/(k² + m²V²), so the mixture's
    current through the barrier is, in closed form up to one quadrature,
    J(V) = ∫_0^∞ dk/2π (k/m) T_V(k) [d_mix(k) − d_mix(−k)]. Its change is −(mV²/2π)∫ g/k over
    k ≳ mV: forward differences fall like V ln(1/V), so dJ/dV = 0 at V = 0, which the
    first-order response must reproduce for a narrow barrier (V̂ → V).
    """
    s = nonequilibrium()
    m = s.mass

    def current(v):
        def integrand(k):
            return k / m * k ** 2 / (k ** 2 + (m * v) ** 2) * (s.distribution(k) - s.distribution(-k)) / (2 * np.pi)
        return sum(quad(integrand, a, b, epsabs=1e-16, epsrel=1e-13, limit=200)[0]
                   for a, b in [(0, 0.5), (0.5, 2), (2, 8), (8, 60)])

    j0 = current(0.0)
    # The closed form at V = 0 is the bulk current (quad vs Gauss-Legendre panels: 1e-14).
    assert j0 == pytest.approx(s.particle_current(), rel=1e-12)
    slopes = [(current(h) - j0) / h for h in (1e-2, 5e-3, 2.5e-3)]
    # Measured slopes -3.0e-4, -1.4e-4, -6.7e-5: each halving of V divides them by 2.1-2.3
    # (V ln(1/V)), i.e. they extrapolate to dJ/dV = 0, not to a constant.
    for big, small in zip(slopes, slopes[1:]):
        assert 1.9 < big / small < 2.6
    sig = 0.05                                     # V̂(q) = V0 e^{-q²σ²/2} -> V0 (δ barrier)
    v0 = 1e-2
    dj = s.linear_response_current(lambda q: v0 * np.exp(-((q * sig) ** 2) / 2), np.array([-3.0, 0.0, 3.0]))
    # δj = V0 dJ/dV|₀ = 0: quadrature rounding only (measured ~1e-20 against J ~ 0.14, V0 = 1e-2),
    # far below the second-order change |J(V0) − J(0)| = 3e-6.
    assert np.all(np.abs(dj) < 1e-14 * abs(j0))

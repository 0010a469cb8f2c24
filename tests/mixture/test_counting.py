"""Counting statistics, noise and entropy-production fluctuations (seed 000, eqs. 58-70, 106-123)."""

from __future__ import annotations

from math import comb

import numpy as np
import pytest

from thermoflux import BoseEinstein, FermiDirac, InputError
from thermoflux.mixture import MixtureState, gaussian_weights, step_weights
from thermoflux.mixture.counting import mode_cumulant_polynomial

# Quadrature results are good to ~1e-13; 1e-10 leaves room for the sums in the closed forms.
RTOL = 1e-10


def fermions(b1=0.1, m1=2.0, b2=1.0, m2=5.0, weights=None):
    return MixtureState([FermiDirac(beta=b1, mu=m1), FermiDirac(beta=b2, mu=m2)], weights or step_weights(-0.25, 1 / 3))


def test_three_tooth_probabilities_eqs_68_to_71():
    s = fermions()
    k = np.linspace(-6, 6, 48)
    p12, p, p21 = s.fcs_probabilities(k)
    assert np.allclose(p12 + p + p21, 1.0, rtol=0, atol=1e-15)       # eq. 69
    assert np.all(p12 >= 0) and np.all(p >= 0) and np.all(p21 >= 0)   # eq. 70
    assert np.all(p12[k < 0] == 0) and np.all(p21[k > 0] == 0)
    # case (b): even weights give p12(k) = p21(-k) (eq. 71)
    e = fermions(weights=step_weights(0.2, 0.2))
    q12, _, q21 = e.fcs_probabilities(k)
    assert np.allclose(q12, q21[::-1], rtol=1e-14, atol=0)  # linspace is symmetric to rounding only
    with pytest.raises(InputError, match="fermionic"):
        MixtureState([BoseEinstein(beta=1, mu=-1), BoseEinstein(beta=2, mu=-1)], step_weights(0, 0)).fcs_probabilities(k)


def cumulants_from_teeth(transfers, probs, n):
    """Cumulants of the counted transfer from the explicit comb (independent of the polynomials)."""
    moments = [np.sum(probs * transfers.astype(float) ** j, axis=-1) for j in range(n + 1)]
    kappa = [None, moments[1]]
    for m in range(2, n + 1):
        kappa.append(moments[m] - sum(comb(m - 1, j - 1) * kappa[j] * moments[m - j] for j in range(1, m)))
    return kappa[n]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_cumulants_against_comb_and_generating_function(n):
    s = fermions(weights=gaussian_weights(0.5))
    k = np.linspace(-4, 4, 17)
    transfers, probs = s.counting_distribution(k)
    direct = cumulants_from_teeth(transfers, probs, n)
    eps = np.where(k >= 0, 1.0, -1.0)  # ε(k) of eq. 64, k = 0 counted as k > 0
    poly = mode_cumulant_polynomial(n, "fermion")(s.distribution(k)) * eps ** n
    assert np.allclose(poly, direct, rtol=1e-12, atol=1e-14)
    # eq. 63: (−i ∂_λ)^n χ at λ = 0 via a contour (Cauchy) integral of the generating function
    r, m = 0.5, 64
    lam = r * np.exp(2j * np.pi * np.arange(m) / m)
    from math import factorial
    chi = np.array([s.generating_function(kk, lam) for kk in k])  # χ analytic in λ near 0
    deriv = factorial(n) * np.mean(chi * lam ** (-n), axis=-1)     # ∂_λ^n χ(0), error ~ (r/R)^m
    assert np.allclose(((-1j) ** n * deriv).real, direct, rtol=1e-9, atol=1e-12)


def test_integrated_cumulants_and_noise_identity():
    s = fermions()
    kappa = s.current_cumulants(0, 2)
    assert kappa[1] == s.particle_current()
    assert kappa[2] == pytest.approx(s.noise().matrix[0, 0], rel=1e-14)  # eq. 116-117
    with pytest.raises(InputError, match="integer >= 1"):
        s.current_cumulants(0, 0)
    with pytest.raises(InputError, match="reservoir must be"):
        s.current_cumulants("nope", 2)


@pytest.mark.parametrize("beta,mu", [(0.5, 0.0), (2.0, 1.3), (1.0, -4.0)])
def test_equilibrium_noise_eqs_119_120(beta, mu):
    s = MixtureState([FermiDirac(beta=beta, mu=mu), FermiDirac(beta=beta, mu=mu)], gaussian_weights(0.3))
    assert s.noise().matrix[0, 0] == pytest.approx(1.0 / (np.pi * beta * (1 + np.exp(-beta * mu))), rel=RTOL)
    if mu == 0.0:
        assert s.noise().matrix[0, 0] == pytest.approx(1.0 / (2 * np.pi * beta), rel=RTOL)   # Johnson-Nyquist


@pytest.mark.parametrize("cp,cm", [(0.5, 0.0), (0.0, 0.0), (-0.3, 0.2)])
@pytest.mark.parametrize("mu1,mu2", [(1.0, -0.5), (2.5, 2.5 + 1e-3), (0.0, 3.0)])
def test_noise_step_weights_eqs_121_123(cp, cm, mu1, mu2):
    beta = 0.5
    s = MixtureState([FermiDirac(beta=beta, mu=mu1), FermiDirac(beta=beta, mu=mu2)], step_weights(cp, cm))
    c11 = 1 + 2 * cp**2 + 2 * cm**2 + 2 * cp + 2 * cm
    c22 = 1 + 2 * cp**2 + 2 * cm**2 - 2 * cp - 2 * cm
    c12 = 1 - 2 * cp**2 - 2 * cm**2
    d = beta * (mu1 - mu2)
    closed = (c11 / (1 + np.exp(-beta * mu1)) + c22 / (1 + np.exp(-beta * mu2))
              + c12 / np.tanh(d / 2) * (np.logaddexp(0, beta * mu1) - np.logaddexp(0, beta * mu2))) / (4 * np.pi * beta)
    # the coth·log term loses ~|log(βΔμ)| digits near Δμ = 0: 1e-9 covers Δμ = 1e-3
    assert s.noise().matrix[0, 0] == pytest.approx(closed, rel=1e-9)


def test_entropy_moments_eqs_110_to_114():
    s = fermions(b1=0.2, m1=1.0, b2=1.5, m2=2.0, weights=gaussian_weights(0.2))
    for n in range(1, 7):
        w = s.entropy_production_moment(n)
        assert w > 0                                            # eqs. 112 and 114 (I > 0)
    # eq. 110: moments of the explicit comb of eq. 108 at each k
    k = np.linspace(-5, 5, 21)
    pos, probs = s.entropy_production_distribution(k)
    p12, p, p21 = s.fcs_probabilities(k)
    g21 = pos[:, 2]
    # atol=0 throughout: np.allclose's default atol=1e-8 would override the stated rtol.
    # The comb's teeth are the same p12/p21 arrays (eq. 108 relabels eq. 68): rounding only.
    assert np.allclose(probs[:, 2], p12, rtol=1e-15, atol=0) and np.allclose(probs[:, 0], p21, rtol=1e-15, atol=0)
    for n in (2, 3):
        assert np.allclose(np.sum(probs * pos**n, axis=-1), g21**n * (p12 + (-1) ** n * p21), rtol=1e-13, atol=0)
    # eq. 113 for l = 0 reproduces ⟨Ṡ⟩ and eq. 111 is the even moment of |k|/m γ21^2 d_mix
    from scipy.integrate import quad
    b1, m1, b2, m2 = 0.2, 1.0, 1.5, 2.0
    g = lambda q: b2 * (q * q / 2 - m2) - b1 * (q * q / 2 - m1)  # noqa: E731
    even = sum(quad(lambda q: abs(q) * g(q) ** 2 * s.distribution(q) / (2 * np.pi), a, b,
                    epsabs=0, epsrel=1e-12, limit=200)[0] for a, b in ((-60, 0), (0, 60)))
    assert s.entropy_production_moment(2) == pytest.approx(even, rel=1e-9)  # quad's accuracy


def test_even_moments_positive_for_any_imbalance_eq_112():
    s = fermions()  # Fig. 2: c+ < c-, I < 0, so <S_dot> < 0 but even moments stay positive
    assert s.entropy_production_moment(1) < 0
    assert s.entropy_production_moment(3) < 0
    for n in (2, 4, 6):
        assert s.entropy_production_moment(n) > 0


def test_bosonic_many_tooth_comb_and_cumulants():
    s = MixtureState([BoseEinstein(beta=1.0, mu=-0.2), BoseEinstein(beta=0.5, mu=-1.0)], gaussian_weights(0.5))
    k = np.array([-1.5, -0.2, 0.3, 2.0])
    transfers, probs = s.counting_distribution(k, max_transfer=400)
    assert np.allclose(probs.sum(axis=-1), 1.0, rtol=0, atol=1e-13)   # tail (d/(1+d))^401 is negligible here
    d = s.distribution(k)
    # the mean of the geometric comb is d exactly; 400 teeth of rounding: 1e-12 (atol=0, see above)
    assert np.allclose(np.sum(probs * transfers, axis=-1), np.sign(k) * d, rtol=1e-12, atol=0)
    for n in (2, 3, 4):
        direct = cumulants_from_teeth(transfers, probs, n)
        poly = mode_cumulant_polynomial(n, "boson")(d) * np.sign(k) ** n
        # raw moments of a 400-tooth comb cancel in the cumulant recursion: a few digits lost, 1e-9
        assert np.allclose(poly, direct, rtol=1e-9, atol=0)
    # noise for bosons: ∫ |k|/m d(1+d); equilibrium closed form ∫_0^∞ dE n(1+n) = n(0)/β
    e = MixtureState([BoseEinstein(beta=1.0, mu=-0.2), BoseEinstein(beta=1.0, mu=-0.2)], gaussian_weights(0.5))
    n0 = 1 / np.expm1(0.2)
    assert e.noise().matrix[0, 0] == pytest.approx(2 * n0 / (2 * np.pi * 1.0), rel=RTOL)
    assert e.current_cumulants(1, 2)[2] == pytest.approx(e.noise().matrix[1, 1], rel=1e-13)
    for n in (1, 2, 3, 4):
        assert s.entropy_production_moment(n) > 0   # the argument of eqs. 112-114 holds for bosons


@pytest.mark.parametrize("beta, mu1, mu2, cp, cm", [(1e5, 2.0, 0.5, 0.3, -0.1), (1e4, 1.0, -0.5, 0.5, 0.0)])
def test_noise_at_large_beta_eqs_121_123(beta, mu1, mu2, cp, cm):
    """β|E − μ| up to ~1e5: occupations saturate to exactly 0 and 1 over most of the band."""
    from scipy.special import expit

    s = MixtureState([FermiDirac(beta=beta, mu=mu1), FermiDirac(beta=beta, mu=mu2)], step_weights(cp, cm))
    c11 = 1 + 2 * cp**2 + 2 * cm**2 + 2 * cp + 2 * cm
    c22 = 1 + 2 * cp**2 + 2 * cm**2 - 2 * cp - 2 * cm
    c12 = 1 - 2 * cp**2 - 2 * cm**2
    closed = (c11 * expit(beta * mu1) + c22 * expit(beta * mu2) + c12 / np.tanh(beta * (mu1 - mu2) / 2)
              * (np.logaddexp(0, beta * mu1) - np.logaddexp(0, beta * mu2))) / (4 * np.pi * beta)
    # eq. 123 evaluated without overflow; the general path's panels resolve the steps: 1e-10
    assert s.noise().matrix[0, 0] == pytest.approx(closed, rel=1e-10)
    # T = 0 by hand: d = w_1 for max(μ2, 0) < E < μ1 (0 or 1 elsewhere; the band starts at E = 0),
    # so P = (μ1 − max(μ2, 0))/2π Σ_± w_1(1 − w_1); thermal corrections are O(1/(β Δμ)) relative
    w_plus, w_minus = 0.5 + cp, 0.5 + cm
    window = mu1 - max(mu2, 0.0)
    zero_t = window / (2 * np.pi) * (w_plus * (1 - w_plus) + w_minus * (1 - w_minus))
    assert s.noise().matrix[0, 0] == pytest.approx(zero_t, rel=10 / (beta * window))


def test_integrated_higher_cumulants_eq_62_against_quad():
    """W_3, W_4 (eq. 62) = ∫ dk/2π |k|/m ε(k)^n κ_n(d_mix(k)), with the Bernoulli cumulants written
    out by hand (κ_3 = d(1−d)(1−2d), κ_4 = d(1−d)(1−6d+6d²)) and scipy quad (independent route)."""
    from scipy.integrate import quad

    s = fermions(b1=0.5, m1=1.0, b2=2.0, m2=0.2, weights=step_weights(0.3, -0.1))
    kappa = {3: lambda d: d * (1 - d) * (1 - 2 * d), 4: lambda d: d * (1 - d) * (1 - 6 * d + 6 * d * d)}
    for n, kn in kappa.items():
        def integrand(k, n=n, kn=kn):
            return abs(k) * np.sign(k) ** n * kn(s.distribution(k)) / (2 * np.pi)

        ref = sum(quad(integrand, a, b, epsabs=0, epsrel=1e-12, limit=200)[0] for a, b in ((-40, 0), (0, 40)))
        assert abs(ref) > 1e-3   # not a vanishing cumulant
        # quad at 1e-12 on each half line (the step weights jump at k = 0): 1e-9 relative
        assert s.current_cumulants(0, n)[n] == pytest.approx(ref, rel=1e-9)

"""Mean observables of the mixture state against the closed forms of seed 000 (eqs. 42-57, 74-75)."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest

from thermoflux import BoseEinstein, FermiDirac, InputError
from thermoflux.mixture import MixtureState, WeightFunction, gaussian_weights, step_weights

# The general path is Gauss-Legendre panels; 1e-10 relative is below the 1e-9 target
# and ~100x above the rounding of sums of ~1000 terms.
RTOL = 1e-10


def li(s: float, z) -> float:
    with mp.workdps(40):  # Li_s(z) near z = 1 (Bose μ → 0⁻) needs the extra digits
        return float(mp.re(mp.polylog(s, z)))


def rho_tilde(beta: float, mu: float, m: float = 1.0) -> float:
    """Eq. 44: density of one Fermi reservoir over the whole line."""
    return -np.sqrt(m / (2 * np.pi * beta)) * li(0.5, -mp.e ** (mp.mpf(beta) * mu))


def J_step(c: float, beta: float, mu: float) -> float:
    """Eq. 56."""
    return c / (2 * np.pi * beta) * float(mp.log(1 + mp.e ** (mp.mpf(beta) * mu)))


def J_gauss(xi: float, beta: float, mu: float, m: float = 1.0) -> float:
    """Eq. 57 (hypergeometric)."""
    a = 2 * m * xi / beta
    z = mp.e ** (mp.mpf(beta) * mu)
    return float(z / (2 * mp.pi * (2 * m * xi + beta)) * mp.hyp2f1(1, 1 + a, 2 + a, -z))


FIG2 = dict(b1=0.1, m1=2.0, b2=1.0, m2=5.0)


def fermi_state(b1, m1, b2, m2, weights, mass=1.0):
    return MixtureState({"hot": FermiDirac(beta=b1, mu=m1), "cold": FermiDirac(beta=b2, mu=m2)}, weights, mass=mass)


@pytest.mark.parametrize("cp,cm", [(-0.25, 1 / 3), (0.5, 0.0), (0.1, -0.4)])
@pytest.mark.parametrize("b1,m1,b2,m2", [(0.1, 2.0, 1.0, 5.0), (2.0, -3.0, 0.5, 1.0), (40.0, 0.7, 3.0, 0.2)])
def test_density_current_energy_step_weights(cp, cm, b1, m1, b2, m2):
    st = fermi_state(b1, m1, b2, m2, step_weights(cp, cm))
    a, b = 0.5 + cp, 0.5 + cm
    # eq. 42 with constant weights on each half line: each reservoir fills half of its eq.-44 density
    expected = 0.5 * (a + b) * rho_tilde(b1, m1) + 0.5 * (2 - a - b) * rho_tilde(b2, m2)
    assert st.density() == pytest.approx(expected, rel=RTOL)
    assert st.particle_current() == pytest.approx(J_step(cp - cm, b1, m1) - J_step(cp - cm, b2, m2), rel=RTOL)
    # eq. 75
    th = (cp - cm) / (2 * np.pi) * (li(2, -mp.e ** (mp.mpf(b2) * m2)) / b2**2 - li(2, -mp.e ** (mp.mpf(b1) * m1)) / b1**2)
    assert st.energy_current() == pytest.approx(th, rel=RTOL)


@pytest.mark.parametrize("xi", [0.05, 1.0, 20.0])
@pytest.mark.parametrize("mass", [1.0, 0.3])
def test_current_gaussian_weights_hypergeometric(xi, mass):
    b1, m1, b2, m2 = 0.5, 3.0, 2.0, -1.0
    st = fermi_state(b1, m1, b2, m2, gaussian_weights(xi), mass)
    expected = J_gauss(xi, b1, m1, mass) - J_gauss(xi, b2, m2, mass)
    assert st.particle_current() == pytest.approx(expected, rel=RTOL)


def test_zero_temperature_limits_eqs_47_55_57():
    """Large β (β μ = 2e5): the step functions of eq. 45 and the limits of eqs. 56-57."""
    beta, mu1, mu2, xi = 1e5, 2.0, 0.5, 0.7
    st = fermi_state(beta, mu1, beta, mu2, gaussian_weights(xi))
    limit = lambda mu: (1 - np.exp(-2 * mu * xi)) / (4 * np.pi * xi)  # noqa: E731
    # corrections are O((T/μ)^2) ~ 1e-10 (Sommerfeld)
    assert st.particle_current() == pytest.approx(limit(mu1) - limit(mu2), rel=1e-9)
    st = fermi_state(beta, mu1, beta, mu2, step_weights(0.3, -0.1))
    assert st.particle_current() == pytest.approx(0.4 / (2 * np.pi) * (mu1 - mu2), rel=1e-12)
    # eq. 47: sqrt(2 m mu)/pi bounds with inf/sup of the weights; here equalities per half line
    w1 = 0.5 * ((0.8) + (0.4))
    dens = (w1 * np.sqrt(2 * mu1) + (1 - w1) * np.sqrt(2 * mu2)) / np.pi
    assert st.density() == pytest.approx(dens, rel=1e-9)


def test_density_bounds_eq_43():
    xi = 0.3
    st = fermi_state(0.7, 1.0, 0.2, -2.0, gaussian_weights(xi))
    r1, r2 = rho_tilde(0.7, 1.0), rho_tilde(0.2, -2.0)
    # gaussian weights: inf w = 0, sup w = 1 for both reservoirs
    assert 0.0 <= st.density() <= r1 + r2
    st = fermi_state(0.7, 1.0, 0.2, -2.0, step_weights(0.3, -0.2))
    inf1, sup1 = 0.3, 0.8
    assert inf1 * r1 + (1 - sup1) * r2 <= st.density() <= sup1 * r1 + (1 - inf1) * r2


def test_equal_reservoirs_give_zero_current_exactly():
    st = fermi_state(1.3, 0.4, 1.3, 0.4, gaussian_weights(0.5))
    scale = 1.0 / 1.3
    assert abs(st.particle_current()) < 1e-15 * scale  # only roundings of I_1 + I_2 remain
    assert st.entropy_production() == 0.0


def test_array_parameters_match_scalar_loop():
    mus = np.linspace(-3, 8, 5)
    betas = np.array([[0.5], [2.0]])
    st = MixtureState([FermiDirac(beta=betas, mu=mus), FermiDirac(beta=1.0, mu=0.5)], gaussian_weights(0.4))
    j = st.particle_current()
    assert j.shape == (2, 5)
    for i, b in enumerate(betas[:, 0]):
        for l, m in enumerate(mus):
            single = MixtureState([FermiDirac(beta=b, mu=m), FermiDirac(beta=1.0, mu=0.5)], gaussian_weights(0.4))
            # identical panels up to the k_max of the batch: equal to quadrature accuracy
            assert j[i, l] == pytest.approx(single.particle_current(), rel=1e-12, abs=1e-15)


def test_extreme_chemical_potentials_stay_finite():
    # β|E − μ| up to 1e4 (deep Fermi sea and far-empty band): eqs. 56 still hold
    st = fermi_state(100.0, 100.0, 100.0, -100.0, step_weights(0.5, -0.5))
    assert st.particle_current() == pytest.approx(J_step(1.0, 100.0, 100.0) - J_step(1.0, 100.0, -100.0), rel=RTOL)
    assert np.isfinite(st.entropy_production()) and st.entropy_production() > 0


@pytest.mark.parametrize("m2", [-0.01, -1e-12])
def test_bosons_current_closed_form(m2):
    # bosonic eq. 56: ∫_0^∞ dE n(E) = −ln(1 − e^{βμ})/β; μ → 0⁻ puts a 1/E peak at the band bottom
    b1, m1, b2 = 1.0, -0.5, 2.0
    st = MixtureState([BoseEinstein(beta=b1, mu=m1), BoseEinstein(beta=b2, mu=m2)], step_weights(0.5, 0.0))
    J = lambda b, m: -0.5 / (2 * np.pi * b) * np.log(-np.expm1(b * m))  # noqa: E731
    assert st.particle_current() == pytest.approx(J(b1, m1) - J(b2, m2), rel=RTOL)
    # density: −sqrt(m/2πβ) Li_{1/2}(e^{βμ}) with the Bose sign, eq. 44's analogue
    def rho(b, m):
        with mp.workdps(40):  # e^{βμ} itself must carry the extra digits when βμ ~ −1e-12
            return np.sqrt(1 / (2 * np.pi * b)) * float(mp.re(mp.polylog(0.5, mp.exp(mp.mpf(b) * mp.mpf(m)))))

    assert st.density() == pytest.approx(0.75 * rho(b1, m1) + 0.25 * rho(b2, m2), rel=RTOL)


def test_custom_dispersion_reproduces_default():
    m = 0.7
    weights = gaussian_weights(0.3)
    st = fermi_state(0.5, 1.0, 1.5, 2.0, weights, m)
    custom = MixtureState([FermiDirac(beta=0.5, mu=1.0), FermiDirac(beta=1.5, mu=2.0)], weights, mass=m,
                          dispersion=lambda k: k * k / (2 * m), velocity=lambda k: k / m)
    for name in ("density", "particle_current", "energy_current", "entropy_production"):
        # the inverse k(E) is found by bisection to ~1e-16: panels agree to rounding
        assert getattr(custom, name)() == pytest.approx(getattr(st, name)(), rel=1e-11)
    # the noise matrix P_0 [[1, −1], [−1, 1]] (every entry |P_0| > 0.01): the same rounding
    np.testing.assert_allclose(custom.noise().matrix, st.noise().matrix, rtol=1e-11, atol=0)


def test_error_estimates_bound_the_actual_error():
    st = fermi_state(0.5, 3.0, 2.0, -1.0, gaussian_weights(1.0))
    value, error = st.particle_current(return_error=True)
    exact = J_gauss(1.0, 0.5, 3.0) - J_gauss(1.0, 2.0, -1.0)
    assert abs(value - exact) <= max(error, 1e-16 * abs(exact))
    assert error < 1e-9 * abs(exact)


def test_distribution_and_imbalance_pointwise():
    st = fermi_state(1.0, 0.5, 2.0, 1.5, step_weights(0.25, -0.25))
    k = np.array([-2.0, -0.5, 0.5, 2.0])
    f = lambda b, m: 1 / (np.exp(b * (k * k / 2 - m)) + 1)  # noqa: E731
    w1 = np.where(k > 0, 0.75, 0.25)
    assert np.allclose(st.distribution(k), w1 * f(1.0, 0.5) + (1 - w1) * f(2.0, 1.5), rtol=1e-15, atol=0)
    assert np.allclose(st.imbalance(k), np.sign(k) * 0.5, rtol=1e-15, atol=0)
    assert np.allclose(st.imbalance(k, 0) + st.imbalance(k, "cold"), 0.0, rtol=0, atol=1e-16)  # eq. 7
    assert isinstance(st.distribution(0.3), float)


def test_three_reservoirs_eq_131_and_current():
    def w(i):
        def f(k):
            base = np.array([0.2, 0.3, 0.5])[i]
            tilt = np.array([0.15, -0.05, -0.1])[i]
            return base + tilt * np.tanh(k)
        return WeightFunction(f, breakpoints=(1.0,))
    res = [FermiDirac(beta=1.0, mu=0.5), FermiDirac(beta=0.5, mu=1.0), FermiDirac(beta=2.0, mu=-0.3)]
    st = MixtureState(res, [w(0), w(1), w(2)])
    k = np.linspace(-3, 3, 13)
    assert np.allclose(sum(st.imbalance(k, i) for i in range(3)), 0.0, atol=1e-15)
    # independent route: eq. 49 by scipy quad on the full line
    from scipy.integrate import quad
    j_quad = quad(lambda k: k * st.distribution(k) / (2 * np.pi), -60, 60, points=[0.0], limit=400,
                  epsabs=0, epsrel=1e-12)[0]
    assert st.particle_current() == pytest.approx(j_quad, rel=1e-9)  # quad's own accuracy ~1e-11
    p_quad = quad(lambda k: abs(k) * st.distribution(k) * (1 - st.distribution(k)) / (2 * np.pi), -60, 60,
                  points=[0.0], limit=400, epsabs=0, epsrel=1e-12)[0]
    assert st.current_cumulants(0, 2)[2] == pytest.approx(p_quad, rel=1e-9)   # eq. 117 for N = 3
    with pytest.raises(InputError, match="two-gate"):
        st.noise()          # a matrix over reservoirs: their outflows are defined for two gates
    with pytest.raises(InputError, match="bulk current through the gates"):
        st.current_cumulants(2, 2)   # a third reservoir has no outflow of its own on the line
    with pytest.raises(InputError, match="two-gate"):
        st.flows()


@pytest.mark.parametrize(
    "build, match",
    [
        (lambda: MixtureState([FermiDirac(beta=1.0, mu=0.0)], [lambda k: 1.0 + 0 * k]), "at least two"),
        (lambda: MixtureState([FermiDirac(beta=1.0), BoseEinstein(beta=1.0, mu=-1.0)], step_weights(0, 0)), "one statistics"),
        (lambda: MixtureState([FermiDirac(beta=1.0), FermiDirac(beta=1.0)], step_weights(0, 0), mass=0.0), "mass"),
        (lambda: MixtureState([FermiDirac(beta=1.0), FermiDirac(beta=1.0)], step_weights(0, 0), mass=-1.0), "mass"),
        (lambda: MixtureState([BoseEinstein(beta=1.0, mu=0.1), BoseEinstein(beta=1.0, mu=-1.0)], step_weights(0, 0)), "below the bottom"),
        (lambda: MixtureState([BoseEinstein(beta=1.0, mu=-1.0), BoseEinstein(beta=1.0, mu=0.0)], step_weights(0, 0)), "R2"),
        (lambda: MixtureState([FermiDirac(beta=1.0), FermiDirac(beta=1.0)], [lambda k: 0.6 + 0 * k, lambda k: 0.6 + 0 * k]), "sum to 1"),
        (lambda: MixtureState([FermiDirac(beta=1.0), FermiDirac(beta=1.0)], [lambda k: 1.2 + 0 * k, lambda k: -0.2 + 0 * k]), r"weights\[1\]"),
        (lambda: MixtureState([FermiDirac(beta=1.0), FermiDirac(beta=1.0)], [lambda k: np.full_like(k, np.nan), lambda k: 0 * k]), "finite"),
        (lambda: MixtureState([FermiDirac(beta=1.0), FermiDirac(beta=1.0)], [lambda k: 1 + 0 * k]), "one callable per reservoir"),
        (lambda: MixtureState([FermiDirac(beta=1.0), FermiDirac(beta=1.0)], [lambda k: 1 + k["x"], lambda k: 0 * k]), r"weights\[0\] raised"),
        (lambda: MixtureState([FermiDirac(beta=1.0), FermiDirac(beta=1.0)], step_weights(0, 0), dispersion=lambda k: k * k), "velocity"),
        (lambda: MixtureState([FermiDirac(beta=1.0), FermiDirac(beta=1.0)], step_weights(0, 0), dispersion=lambda k: k ** 3, velocity=lambda k: 3 * k * k), "even"),
        (lambda: MixtureState("ab", step_weights(0, 0)), "mapping"),
        (lambda: MixtureState([FermiDirac(beta=1.0), FermiDirac(beta=1.0)], step_weights(0, 0), momentum_breakpoints=["x"]), "momentum_breakpoints"),
        (lambda: step_weights(0.6, 0.0), "c_plus"),
        (lambda: gaussian_weights(-1.0), "xi"),
    ],
)
def test_bad_input_is_refused(build, match):
    with pytest.raises(InputError, match=match):
        build()


def test_gate_argument_checked():
    st = fermi_state(1.0, 0.0, 2.0, 0.0, step_weights(0.1, 0.0))
    with pytest.raises(InputError, match="gate"):
        st.heat_current(2)
    with pytest.raises(InputError, match="gate"):
        st.lorenz_number("nope")
    assert st.heat_current("cold") == st.heat_current(1)


def test_constant_scalar_weights_and_breakpoints():
    """Weights returning a scalar broadcast; k-independent weights give equilibrium currents (eq. 52)."""
    s = MixtureState([FermiDirac(beta=1.0, mu=0.5), FermiDirac(beta=2.0, mu=3.0)], [lambda k: 0.25, lambda k: 0.75],
                     momentum_breakpoints=[1.0, -2.0])
    assert s.particle_current() == 0.0
    assert s.density() == pytest.approx(0.25 * rho_tilde(1.0, 0.5) + 0.75 * rho_tilde(2.0, 3.0), rel=RTOL)


def test_user_imbalance_must_match_weights():
    good = WeightFunction(lambda k: 0.5 + 0.25 * np.tanh(k), imbalance=lambda k: 0.5 * np.tanh(k))
    other = WeightFunction(lambda k: 0.5 - 0.25 * np.tanh(k), imbalance=lambda k: -0.5 * np.tanh(k))
    s = MixtureState([FermiDirac(beta=1.0, mu=0.5), FermiDirac(beta=2.0, mu=0.0)], [good, other])
    assert s.imbalance(1.0) == pytest.approx(0.5 * np.tanh(1.0), rel=1e-15)
    wrong = WeightFunction(lambda k: 0.5 - 0.25 * np.tanh(k), imbalance=lambda k: 0.5 * np.tanh(k))
    with pytest.raises(InputError, match=r"weights\[1\]\.imbalance"):
        MixtureState([FermiDirac(beta=1.0, mu=0.5), FermiDirac(beta=2.0, mu=0.0)], [good, wrong])


def test_to_dataset_is_the_flows_with_fluctuations_on_dim_reservoir():
    """The Dataset's per-reservoir columns are the Flows (same numbers), cumulants are per outflow."""
    st = fermi_state(0.5, 1.0, 2.0, 0.3, step_weights(0.5, 0.0))
    ds = st.to_dataset(max_order=3)
    flows = st.flows()
    for name in st.names:
        assert float(ds["particle_current"].sel(reservoir=name)) == flows.particle[name]
        assert float(ds["current_cumulant"].sel(reservoir=name, order=1)) == flows.particle[name]
    assert ds["noise"].dims == ("reservoir", "reservoir_") and ds.sizes["order"] == 3
    for key in ("method", "seed", "software_version", "units", "sign_convention"):
        assert key in ds.attrs, key
    with pytest.raises(InputError, match="max_order"):
        st.to_dataset(max_order=1)

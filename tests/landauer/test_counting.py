"""Full counting statistics and noise: binomial limit, fluctuation theorem, FDT, S(E) vs T(E)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate
from scipy.special import expit

from thermoflux import BoseEinstein, FermiDirac, InputError
from thermoflux.landauer import (
    Junction,
    constant,
    cumulant_generating_function,
    lorentzian,
)
from thermoflux.landauer.counting import lorentzian_scattering_matrix

TWO_PI = 2 * np.pi


@pytest.mark.parametrize("t0", [0.1, 0.5, 0.93])
def test_binomial_cumulants_low_temperature(t0):
    # Zero temperature, bias V: χ = (V/2π) ln(1 + T(e^s − 1)): binomial cumulants.
    bias, temp = 1.0, 1e-8
    res = {"L": FermiDirac(temperature=temp, mu=bias / 2), "R": FermiDirac(temperature=temp, mu=-bias / 2)}
    k = Junction(res, {("L", "R"): constant(t0)}).current_cumulants("L", 4)
    n = bias / TWO_PI
    expected = {1: n * t0, 2: n * t0 * (1 - t0), 3: n * t0 * (1 - t0) * (1 - 2 * t0),
                4: n * t0 * (1 - t0) * (1 - 6 * t0 + 6 * t0 ** 2)}
    for order in expected:
        # Thermal corrections are O(k_B T / V) = 1e-8 of n (κ2 gains (2T/2π) T0², ...);
        # relative to κ_n that is at most 1e-8 / (smallest |binomial factor| ~ 0.06): 1e-6.
        assert k[order] == pytest.approx(expected[order], rel=1e-6, abs=1e-8 * n)


@pytest.mark.parametrize("stats", ["fermion", "boson"])
def test_fluctuation_theorem_symmetry(stats):
    # Gallavotti–Cohen: χ(s, u) = χ(−s + β_R μ_R − β_L μ_L, −u − (β_R − β_L)) (joint counting).
    if stats == "fermion":
        bl, ml, br, mr = 2.0, 0.3, 5.0, -0.2
        res = {"L": FermiDirac(beta=bl, mu=ml), "R": FermiDirac(beta=br, mu=mr)}
    else:
        bl, ml, br, mr = 1.0, -0.3, 2.5, -0.1
        res = {"L": BoseEinstein(beta=bl, mu=ml), "R": BoseEinstein(beta=br, mu=mr)}
    # Counting fields u shift the decay of the integrand from e^{-β|E|} to e^{-(β-|u|)|E|}: a
    # wider core range than the thermal default (60 T) keeps the tails resolved.
    junction = Junction(res, lorentzian(0.4, {"L": 0.3, "R": 0.2}), energy_range=(-100.0, 100.0))
    s = np.array([0.0, 0.2, -0.3, 0.5])
    u = np.array([0.0, 0.1, 0.25, -0.2])
    lhs = cumulant_generating_function(junction, "L", s, energy_counting_field=u)
    rhs = cumulant_generating_function(junction, "L", -s + br * mr - bl * ml,
                                       energy_counting_field=-u - (br - bl))
    # Both sides are the same integral evaluated at different fields: quadrature accuracy.
    np.testing.assert_allclose(lhs, rhs, rtol=1e-10, atol=1e-14)
    assert lhs[0] == 0.0
    # The symmetry is not trivial: χ is not even.
    assert abs(lhs[1] - cumulant_generating_function(junction, "L", -s[1], energy_counting_field=-u[1])) > 1e-4


def test_first_cumulants_are_the_mean_currents():
    res = {"L": FermiDirac(temperature=0.3, mu=0.3), "R": FermiDirac(temperature=0.2, mu=-0.1)}
    junction = Junction(res, lorentzian(0.1, {"L": 0.2, "R": 0.3}))
    flows = junction.flows()
    # Same nodes, same integrand for κ1: rounding only.
    assert junction.current_cumulants("L", 1)[1] == pytest.approx(flows.particle["L"], rel=1e-13)
    assert junction.current_cumulants("R", 1, counting="energy")[1] == pytest.approx(flows.energy["R"], rel=1e-13)


def test_cumulants_are_derivatives_of_the_cgf():
    # Independent route: finite differences of χ(s) (central, h = 1e-2: O(h²) ~ 1e-4 relative).
    res = {"L": FermiDirac(temperature=0.3, mu=0.3), "R": FermiDirac(temperature=0.2, mu=-0.1)}
    junction = Junction(res, lorentzian(0.1, {"L": 0.2, "R": 0.3}))
    k = junction.current_cumulants("L", 3)
    h = 1e-2
    chi = cumulant_generating_function(junction, "L", np.array([-2 * h, -h, 0, h, 2 * h]))
    d2 = (chi[3] - 2 * chi[2] + chi[1]) / h ** 2
    d3 = (chi[4] - 2 * chi[3] + 2 * chi[1] - chi[0]) / (2 * h ** 3)
    assert d2 == pytest.approx(k[2], rel=1e-3)
    assert d3 == pytest.approx(k[3], rel=1e-3)


@pytest.mark.parametrize("stats", ["fermion", "boson"])
@pytest.mark.parametrize("counting", ["particle", "energy"])
def test_scattering_matrix_route_equals_two_terminal(stats, counting):
    cls = FermiDirac if stats == "fermion" else BoseEinstein
    mus = (0.3, -0.1) if stats == "fermion" else (-0.1, -0.2)
    res = {"L": cls(temperature=0.3, mu=mus[0]), "R": cls(temperature=0.2, mu=mus[1])}
    widths = {"L": 0.2, "R": 0.3}
    junction = Junction(res, lorentzian(0.5, widths))
    smat = lorentzian_scattering_matrix(0.5, widths)
    a = junction.current_cumulants("L", 4, counting=counting)
    b = junction.current_cumulants("L", 4, counting=counting, scattering_matrix=smat)
    for n in a:
        # ln det series vs scalar series of the same function on the same nodes.
        assert b[n] == pytest.approx(a[n], rel=1e-9, abs=1e-15)
    assert junction.noise(counting=counting, scattering_matrix=smat)["L", "L"] == pytest.approx(a[2], rel=1e-9)
    assert junction.noise(counting=counting)["L", "L"] == pytest.approx(a[2], rel=1e-12)


def test_multiterminal_cumulants_and_noise():
    widths = {"a": 0.2, "b": 0.3, "c": 0.1}
    res = {"a": FermiDirac(temperature=0.2, mu=0.4), "b": FermiDirac(temperature=0.3, mu=-0.1),
           "c": FermiDirac(temperature=0.5, mu=0.0)}
    junction = Junction(res, lorentzian(0.1, widths))
    smat = lorentzian_scattering_matrix(0.1, widths)
    flows = junction.flows()
    for name in res:
        k = junction.current_cumulants(name, 2, scattering_matrix=smat)
        assert k[1] == pytest.approx(flows.particle[name], rel=1e-10)
        nz = junction.noise(scattering_matrix=smat)
        assert nz[name, name] == pytest.approx(k[2], rel=1e-10)
    m = junction.noise(scattering_matrix=smat).matrix
    # Current conservation: rows and columns sum to zero; the matrix is symmetric.
    np.testing.assert_allclose(m.sum(axis=1), 0, atol=1e-14)
    np.testing.assert_allclose(m, m.T, rtol=0, atol=1e-15)
    with pytest.raises(InputError, match="scattering_matrix"):
        junction.current_cumulants("a", 2)


def test_equilibrium_noise_is_johnson_nyquist():
    temp = 0.25
    res = {"L": FermiDirac(temperature=temp, mu=0.1), "R": FermiDirac(temperature=temp, mu=0.1)}
    junction = Junction(res, lorentzian(0.3, {"L": 0.2, "R": 0.1}))
    nz = junction.noise()
    conductance = junction.onsager_matrix("R").conductance
    # FDT: S = 2 T G; same nodes, f(1-f) = T (-f'): rounding only.
    assert nz["L", "L"] == pytest.approx(2 * temp * conductance, rel=1e-12)
    assert np.all(nz.shot == 0)


def test_shot_noise_fano_factor():
    # Zero temperature, constant T: S = (V/2π) T(1−T), Fano factor 1 − T.
    t0, bias = 0.3, 0.8
    res = {"L": FermiDirac(temperature=1e-6, mu=bias), "R": FermiDirac(temperature=1e-6, mu=0.0)}
    nz = Junction(res, {("L", "R"): constant(t0)}).noise()
    # Thermal part ~ 2 T G ~ 1e-6 of the shot part: rel 1e-5.
    assert nz["L", "L"] == pytest.approx(bias / TWO_PI * t0 * (1 - t0), rel=1e-5)
    # ∫(f_L − f_R)² dE = V coth(V/2T) − 2T: relative correction 2T/V = 2.5e-6.
    assert nz.shot[0, 0] == pytest.approx(bias / TWO_PI * t0 * (1 - t0), rel=1e-5)


@pytest.mark.parametrize("call, match", [
    (lambda j, s: j.current_cumulants("X", 2), "reservoir"),
    (lambda j, s: j.current_cumulants("L", 0), "max_order"),
    (lambda j, s: j.current_cumulants("L", 13), "max_order"),
    (lambda j, s: j.current_cumulants("L", 2.0), "max_order"),
    (lambda j, s: j.current_cumulants("L", 2, counting="charge"), "counting"),
    (lambda j, s: j.current_cumulants("L", 2, scattering_matrix=3), "callable"),
    (lambda j, s: j.current_cumulants("L", 2, scattering_matrix=lambda e: np.ones(e.shape + (3, 3))), "shape"),
    (lambda j, s: j.current_cumulants("L", 2, scattering_matrix=lambda e: 2 * s(e)), "unitary"),
    (lambda j, s: j.current_cumulants("L", 2, scattering_matrix=lorentzian_scattering_matrix(0.9, {"L": 0.2, "R": 0.3})), "differs"),
    (lambda j, s: cumulant_generating_function(j, "L", np.nan), "counting_field"),
    (lambda j, s: cumulant_generating_function("junction", "L", 0.1), "junction must be a Junction"),
    (lambda j, s: cumulant_generating_function(j, "X", 0.1), "reservoir must be one of"),
    (lambda j, s: j.noise(counting="spin"), "counting"),
    (lambda j, s: j.onsager_matrix("Q"), "reference"),
])
def test_input_errors(call, match):
    res = {"L": FermiDirac(temperature=0.3, mu=0.3), "R": FermiDirac(temperature=0.2, mu=-0.1)}
    junction = Junction(res, lorentzian(0.1, {"L": 0.2, "R": 0.3}))
    with pytest.raises(InputError, match=match):
        call(junction, lorentzian_scattering_matrix(0.1, {"L": 0.2, "R": 0.3}))


def test_batch_refused():
    res = {"L": FermiDirac(beta=[1.0, 2.0]), "R": FermiDirac(beta=1.0)}
    junction = Junction(res, {("L", "R"): constant(0.5)})
    with pytest.raises(InputError, match="batch"):
        junction.current_cumulants("L", 2)


@pytest.mark.parametrize("t0", [0.3, 0.5, 0.8])
def test_third_cumulant_constant_transmission_finite_temperature_by_quad(t0):
    # χ(s) = (1/2π) ∫ ln(1 + u(s)) dE, u = T[A(e^s − 1) + B(e^{−s} − 1)], A = f_L(1 − f_R),
    # B = f_R(1 − f_L). By hand, d³ ln(1 + u)/ds³ at s = 0 (u = 0, u' = u''' = T(A − B),
    # u'' = T(A + B)) is u''' − 3u'u'' + 2u'³, integrated here by scipy quad.
    bias, theta = 0.8, 0.25
    res = {"L": FermiDirac(temperature=theta, mu=bias), "R": FermiDirac(temperature=theta, mu=0.0)}
    k = Junction(res, {("L", "R"): constant(t0)}).current_cumulants("L", 3)

    def density(e):
        fl, fr = expit(-(e - bias) / theta), expit(-e / theta)
        a, b = fl * (1 - fr), fr * (1 - fl)
        d1, d2 = t0 * (a - b), t0 * (a + b)
        return (d1 - 3 * d1 * d2 + 2 * d1 ** 3) / TWO_PI

    # Every term carries f_L − f_R or f(1 − f): below e^{-60} outside [−60θ, V + 60θ].
    reference = sum(integrate.quad(density, lo, hi, epsabs=0, epsrel=1e-13)[0]
                    for lo, hi in [(-60 * theta, 0.0), (0.0, bias), (bias, bias + 60 * theta)])
    # The thermal part is not small here (T = 1/2: C3 = 0 at zero temperature), |C3| > 1e-4.
    assert abs(reference) > 1e-4
    # quad asked for 1e-13 relative per piece; measured deviation <= 7e-16 (the zero-temperature
    # limit, C3 = (V/2π)T(1 − T)(1 − 2T), is test_binomial_cumulants_low_temperature).
    assert k[3] == pytest.approx(reference, rel=1e-14)

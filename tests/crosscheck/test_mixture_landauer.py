"""Mixture state vs Landauer junction: same mean flows for T(E) = I(k(E)) (DESIGN.md, seed 000 eq. 50).

For two reservoirs, eq. 50 reads ⟨j⟩ = ∫_0^∞ dk/2π (k/m) I(k)[d_1 − d_2]; with E = k²/2m,
dk k/m = dE, this is the Landauer current (1/2π)∫ dE T(E)[f_1 − f_2] with T(E) = I(√(2mE)) for
E > 0 and no channel below the band bottom. The energy current (eq. 74) follows with a factor E.
"""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import BoseEinstein, FermiDirac
from thermoflux.landauer import Junction
from thermoflux.mixture import MixtureState, gaussian_weights, step_weights

# Both sides integrate to ~1e-12 relative (each with its own quadrature); 1e-9 is the
# accuracy both promise.
RTOL = 1e-9


def compare(reservoirs, weights, transmission, mass):
    mixture = MixtureState(reservoirs, weights, mass=mass).flows()
    landauer = Junction(reservoirs, {("L", "R"): transmission}, breakpoints=[0.0]).flows()
    for field in ("particle", "energy", "heat", "entropy"):
        for name in reservoirs:
            a, b = getattr(mixture, field)[name], getattr(landauer, field)[name]
            assert a == pytest.approx(b, rel=RTOL), (field, name)
    assert mixture.entropy_production == pytest.approx(landauer.entropy_production, rel=RTOL)


@pytest.mark.parametrize("mass", [1.0, 0.4])
@pytest.mark.parametrize("params", [(0.5, 1.0, 2.0, 3.0), (3.0, -0.5, 0.2, 0.8), (40.0, 2.0, 1.0, 1.5)])
def test_gaussian_weights_equal_landauer(mass, params):
    b1, m1, b2, m2 = params
    xi = 0.35
    reservoirs = {"L": FermiDirac(beta=b1, mu=m1), "R": FermiDirac(beta=b2, mu=m2)}
    transmission = lambda E: np.where(E > 0, np.exp(-2 * mass * xi * np.maximum(E, 0.0)), 0.0)  # noqa: E731
    compare(reservoirs, gaussian_weights(xi), transmission, mass)


def test_step_weights_equal_landauer():
    reservoirs = {"L": FermiDirac(beta=0.5, mu=0.0), "R": FermiDirac(beta=2.0, mu=0.3)}
    transmission = lambda E: np.where(E > 0, 0.5, 0.0)  # noqa: E731   I = c+ − c− = 1/2
    compare(reservoirs, step_weights(0.5, 0.0), transmission, 1.0)


def test_bosons_equal_landauer():
    reservoirs = {"L": BoseEinstein(beta=1.0, mu=-0.3), "R": BoseEinstein(beta=0.4, mu=-1.2)}
    xi = 0.8
    transmission = lambda E: np.exp(-2 * xi * np.maximum(E, 0.0))  # noqa: E731  (bosons: E > 0 only)
    compare(reservoirs, gaussian_weights(xi), transmission, 1.0)


@pytest.mark.parametrize("name", ["L", "R"])
def test_ballistic_counting_statistics_equal_landauer(name):
    """Weights w_1 = θ(k) (c± = ±1/2) make d_mix(k>0) = d_1, d_mix(k<0) = d_2: a perfect channel.

    Its Levitov–Lesovik CGF with T = 1 factorizes into one Bernoulli mode per direction, which
    is eq. 64 of seed 000, so every cumulant of the outflow of either reservoir and the noise
    matrix agree between the two methods (same names, same calling convention, same signs).
    """
    reservoirs = {"L": FermiDirac(beta=0.7, mu=1.2), "R": FermiDirac(beta=2.0, mu=0.4)}
    state = MixtureState(reservoirs, step_weights(0.5, -0.5))
    junction = Junction(reservoirs, {("L", "R"): lambda E: np.where(E > 0, 1.0, 0.0)}, breakpoints=[0.0])
    mine, theirs = state.current_cumulants(name, 4), junction.current_cumulants(name, 4)
    assert set(mine) == set(theirs) == {1, 2, 3, 4}
    for n in mine:
        # both quadratures ~1e-12 relative; κ_3 ~ 0.03 is far from 0, so relative is safe
        assert mine[n] == pytest.approx(theirs[n], rel=RTOL), n
    noise, reference = state.noise(), junction.noise()
    # one Noise type: the same reservoirs, counting and a (2, 2) matrix S_αβ; rows sum to zero
    assert (noise.reservoirs, noise.counting, noise.matrix.shape) == (reference.reservoirs, "particle", (2, 2))
    assert np.allclose(noise.matrix, reference.matrix, rtol=RTOL, atol=0)

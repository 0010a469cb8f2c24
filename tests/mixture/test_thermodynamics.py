"""Flows, entropy production, heat conversion and efficiency of mixture states (seed 000, eqs. 76-105)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from thermoflux import FermiDirac, InputError, ThermodynamicsWarning, carnot_efficiency
from thermoflux.mixture import MixtureState, gaussian_weights, step_weights

# Sums of a few quadrature results of relative accuracy ~1e-13.
RTOL = 1e-11


def make(b1, m1, b2, m2, weights):
    return MixtureState({"hot": FermiDirac(beta=b1, mu=m1), "cold": FermiDirac(beta=b2, mu=m2)}, weights)


def test_flows_sign_convention_and_conservation():
    s = make(0.5, 1.0, 2.0, 3.0, gaussian_weights(0.2))
    f = s.flows()
    j, e = s.particle_current(), s.energy_current()
    assert f.particle == {"hot": j, "cold": -j}          # eq. 77, out of the reservoir positive
    assert f.energy == {"hot": e, "cold": -e}
    assert f.particle_residual == 0.0 and f.energy_residual == 0.0
    assert f.heat["hot"] == pytest.approx(s.heat_current(0), rel=RTOL)     # q(G_1) enters at G_1
    assert f.heat["cold"] == pytest.approx(-s.heat_current(1), rel=RTOL)   # q(G_2) leaves at G_2
    # eq. 95 from the Flows bookkeeping equals the integral eq. 96
    assert f.entropy_production == pytest.approx(s.entropy_production(), rel=1e-10)
    assert f.entropy_production == pytest.approx(2.0 * s.heat_current(1) - 0.5 * s.heat_current(0), rel=RTOL)
    # eq. 78: Q̇ = q1 − q2 = (μ2 − μ1) j = sum of the heats out of the reservoirs
    assert s.heat_conversion_rate() == pytest.approx(s.heat_current(0) - s.heat_current(1), rel=RTOL)
    assert s.heat_conversion_rate() == pytest.approx(sum(f.heat.values()), rel=RTOL)
    ds = f.to_dataset()
    assert float(ds["particle_current"].sel(reservoir="hot")) == j   # a copy: exact


def test_entropy_production_sign_typo():
    """Eq. 96 prints ∫ dk/2π (k/m)[γ1 − γ2] d_mix for its first form; eq. 95 gives [γ2 − γ1]."""
    from scipy.integrate import quad

    b1, m1, b2, m2 = 0.5, 1.0, 2.0, 3.0
    s = make(b1, m1, b2, m2, step_weights(0.5, 0.0))
    gamma = lambda k, b, m: b * (k * k / 2 - m)  # noqa: E731

    def printed(k):
        return k * (gamma(k, b1, m1) - gamma(k, b2, m2)) * s.distribution(k) / (2 * np.pi)

    full = sum(quad(printed, a, b, epsabs=0, epsrel=1e-12, limit=200)[0] for a, b in ((-40, 0), (0, 40)))
    # the printed first form is minus the second form and minus β2 q2 − β1 q1 (eq. 95)
    assert full == pytest.approx(-s.entropy_production(), rel=1e-9)
    assert s.entropy_production() == pytest.approx(b2 * s.heat_current(1) - b1 * s.heat_current(0), rel=1e-10)
    assert s.entropy_production() > 0


@given(b1=st.floats(0.05, 20), b2=st.floats(0.05, 20), m1=st.floats(-5, 5), m2=st.floats(-5, 5),
       xi=st.floats(0.01, 10))
def test_second_law_when_imbalance_positive(b1, b2, m1, m2, xi):
    """Eq. 101: I(k) > 0 on k > 0 implies ⟨Ṡ⟩ >= 0, and W_n[Ṡ] > 0 for odd n (eq. 114)."""
    s = make(b1, m1, b2, m2, gaussian_weights(xi))
    sigma = s.entropy_production()
    assert sigma >= 0.0
    assert s.entropy_production_moment(3) >= 0.0
    assert s.entropy_production_moment(2) >= 0.0          # eq. 112 (any imbalance)
    s.flows()                                             # no ThermodynamicsWarning (pytest turns it into an error)


def test_negative_imbalance_violates_second_law_and_warns():
    """Fig. 2's weights (c+ = −1/4 < c− = 1/3) break eq. 102: ⟨Ṡ⟩ < 0, which Flows.check reports."""
    s = make(0.1, 2.0, 1.0, 5.0, step_weights(-0.25, 1 / 3))
    assert s.entropy_production() < 0
    with pytest.warns(ThermodynamicsWarning, match="second law"):
        s.flows()


def test_heat_engine_efficiency_below_carnot():
    # hot R1 (T=2) at low μ, cold R2 (T=0.5) at higher μ: particles climb the potential
    s = make(0.5, 0.0, 2.0, 0.3, step_weights(0.5, 0.0))
    q1, q2 = s.heat_current(0), s.heat_current(1)
    assert q1 > q2 > 0                                           # regime of eq. 103
    eta = s.efficiency()
    assert eta == pytest.approx(s.heat_conversion_rate() / q1, rel=RTOL)   # eq. 104
    assert 0 < eta < carnot_efficiency(2.0, 0.5)                 # eq. 105
    with pytest.raises(InputError, match="not a heat engine"):
        make(0.5, 0.0, 2.0, 0.0, step_weights(0.5, 0.0)).efficiency()


def test_efficiency_array_nan_outside_regime():
    s = MixtureState([FermiDirac(beta=0.5, mu=0.0), FermiDirac(beta=2.0, mu=np.array([0.0, 0.3]))], step_weights(0.5, 0.0))
    eta = s.efficiency()
    assert np.isnan(eta[0]) and 0 < eta[1] < 0.75
    with pytest.raises(InputError, match="scalar"):
        s.flows()

"""Effective (β*, μ*) of eqs. 5–6: recovers known ensembles, converges, fails loudly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from thermoflux import ConvergenceError
from thermoflux.finite_baths import effective_beta_mu

EPS = np.linspace(-5, 5, 200)


def _moments(beta, mu):
    x = beta * (EPS - mu)
    f = 0.5 * (1 - np.tanh(x / 2))  # Fermi function written independently of the package
    return float(EPS @ f), float(f.sum())


@given(beta=st.floats(0.05, 30.0), mu=st.floats(-3.0, 3.0))
def test_recovers_grand_canonical_parameters(beta, mu):
    e, n = _moments(beta, mu)
    b, m = effective_beta_mu(EPS, e, n)
    # The inverse problem's conditioning grows with β (the energy depends weakly on β at low T);
    # the moments themselves must match to round-off (the root is polished by a last Newton
    # step): over 2000 random (β, μ) |ΔN| <= 2.2 eps N and |ΔE| <= 2.2 eps Σ|ε| f (160 and 230
    # without the polish, which the entropy identities of eqs. 12, 14 inherit); 20 ulps allowed.
    e2, n2 = _moments(b, m)
    f = 0.5 * (1 - np.tanh(beta * (EPS - mu) / 2))
    ulp = np.finfo(float).eps
    assert abs(n2 - n) <= 20 * ulp * n and abs(e2 - e) <= 20 * ulp * float(np.abs(EPS) @ f)
    assert abs(b - beta) < 1e-6 * beta and abs(m - mu) < 1e-6


def test_negative_temperature_and_warm_start():
    e, n = _moments(-2.0, 0.5)
    b, m = effective_beta_mu(EPS, e, n, guess=(10.0, -1.0))
    assert abs(b + 2.0) < 1e-8 and abs(m - 0.5) < 1e-8  # well conditioned at |β| = 2


def test_no_solution_names_where():
    with pytest.raises(ConvergenceError, match="bath 'L' at t=3.0.*strictly between 0"):
        effective_beta_mu(EPS, 0.0, 0.0, where="bath 'L' at t=3.0")
    ground = float(np.sort(EPS)[:50].sum())
    with pytest.raises(ConvergenceError, match="bath 'R' at t=1.*lowest"):
        effective_beta_mu(EPS, ground, 50.0, where="bath 'R' at t=1")

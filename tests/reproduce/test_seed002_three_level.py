"""Three-level examples of seed 002, Sec. VI: eqs. 103-113 (closed forms in reproduce/seed002_three_level.py)."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import TemperatureFunction
from thermoflux.reproduce.seed002_three_level import (
    cycle_affinity,
    inversion_condition,
    spanning_tree_sum,
    three_level_currents,
    three_level_model,
    three_level_rate_matrix,
    three_level_rates,
    unnormalized_cycle_currents,
)

LEVELS = (0.0, 1.0, 2.6)


def model_for(kappa, beta0=1.0, dipoles=(1.0, 0.7, 0.5)):
    # β(ω) = β0 + κω: x(ω) = β0 ω + κ ω², δ = −2κ ω21 ω32 (eq. 111)
    dist = TemperatureFunction(lambda w: beta0 + kappa * w)
    return three_level_model(LEVELS, dist, lambda w: 0.1 * w, dipoles)


def test_true_currents_are_eq109a_over_the_spanning_tree_sum():
    model = model_for(-0.2)
    j = model.micro_currents().sel(reservoir="field").values
    closed = three_level_currents(model)
    for key, (m, n) in {"21": (1, 0), "32": (2, 1), "31": (2, 0)}.items():
        # closed form vs GTH solve, rounding; abs=0: |J| ~ 4e-3 (no default abs=1e-12)
        assert j[m, n] == pytest.approx(closed[key], rel=1e-12, abs=0)
    c = spanning_tree_sum(three_level_rates(model))
    printed = unnormalized_cycle_currents(model)
    assert printed["21"] / j[1, 0] == pytest.approx(c, rel=1e-12)  # 109a lacks exactly the factor 1/c
    assert abs(c - 1.0) > 0.1  # so the printed value is not the current


def test_eq103_104_105():
    model = model_for(0.15)
    rates = three_level_rates(model)
    a = three_level_rate_matrix(rates)
    np.testing.assert_allclose(a, -model.pauli_rate_matrix().toarray(), rtol=1e-14)  # A = −W (eq. 24b)
    np.testing.assert_allclose(a.sum(axis=0), 0.0, atol=1e-15)
    printed = three_level_rate_matrix(rates, as_printed=True)
    assert np.abs(printed.sum(axis=0)).max() > 1e-3  # eq. 103 as printed does not conserve probability
    b = sum(rates.values())
    c = spanning_tree_sum(rates)
    ev = np.sort(np.linalg.eigvals(a).real)
    expected = np.sort([0.0, (b - np.sqrt(b * b - 4 * c)) / 2, (b + np.sqrt(b * b - 4 * c)) / 2])
    np.testing.assert_allclose(ev, expected, rtol=0, atol=1e-13 * b)  # eq. 104 (rounding of eigvals)
    assert np.trace(printed) != pytest.approx(b, rel=1e-6)
    p = model.stationary_populations()
    g = rates
    x = ((g["minus31"] * g["plus21"] + g["minus32"] * g["plus21"] + g["plus31"] * g["minus32"])
         / (g["minus31"] * g["minus21"] + g["minus31"] * g["plus32"] + g["minus32"] * g["minus21"]))
    assert p[1] / p[0] == pytest.approx(x, rel=1e-12)  # eq. 105b


@pytest.mark.parametrize("kappa", [-0.3, -0.05, 0.05, 0.3])
def test_direction_of_currents_set_by_delta(kappa):
    model = model_for(kappa)
    delta = cycle_affinity(model)
    e = LEVELS
    assert delta == pytest.approx(-2 * kappa * (e[1] - e[0]) * (e[2] - e[1]), rel=1e-12)
    je = model.micro_currents("energy").sel(reservoir="field").values
    j21, j32, j31 = je[1, 0], je[2, 1], je[2, 0]
    if delta > 0:  # eq. 112: one quantum ω31 -> two quanta (down-conversion)
        assert j21 > 0 and j32 > 0 and j31 < 0
    else:  # eq. 113
        assert j21 < 0 and j32 < 0 and j31 > 0
    assert j31 == pytest.approx(-(j21 + j32), rel=1e-12)  # eq. 110 (energy balance)


def test_constant_temperature_function_gives_no_current():
    model = model_for(0.0, beta0=0.8)
    assert abs(cycle_affinity(model)) < 1e-15  # rounding of β(ω)ω sums
    assert np.abs(model.micro_currents().values).max() < 1e-16  # Gibbs: δ = 0, all currents vanish
    assert model.satisfies_detailed_balance()


def test_inversion_condition():
    # ⟨1|D|2⟩ = 0 (eq. 107). Constant β = 1: Gibbs, no inversion; the printed eq. 108 says inversion.
    beta = lambda w: 1.0 + 0 * np.asarray(w, float)  # noqa: E731
    assert inversion_condition(LEVELS, beta, as_printed=True)
    assert not inversion_condition(LEVELS, beta)
    model = three_level_model(LEVELS, TemperatureFunction(beta), lambda w: 0.1 * w, (0.0, 1.0, 1.0))
    p = model.stationary_populations()
    assert p[1] < p[0]
    # β(ω32) large enough: corrected condition holds and level 2 is inverted
    steep = lambda w: 4.0 - 1.2 * np.asarray(w, float)  # β(1.6) = 2.08 > (2.6/1.6) β(2.6) = 1.43  # noqa: E731
    assert inversion_condition(LEVELS, steep)
    model = three_level_model(LEVELS, TemperatureFunction(steep), lambda w: 0.1 * w, (0.0, 1.0, 1.0))
    p = model.stationary_populations()
    assert p[1] > p[0]
    assert not model.no_inverted_populations()

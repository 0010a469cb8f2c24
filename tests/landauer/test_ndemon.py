"""The N-demon heat pump of seed 004: engine vs closed forms C6, C10, eq. 24, and seed typos."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import InputError, carnot_cop
from thermoflux.distributions import log_odds_from_occupation
from thermoflux.landauer import n_demon
from thermoflux.reproduce.seed004 import n_demon_cop_limit

FIG2 = dict(t_hot=1.0, mu0=1.0)          # seed 004, Fig. 2: k_B T_h = μ = ε1 = 1, ε2 = 2, ε3 = 1.5


def energies(e4):
    return [1.0, 2.0, 1.5, e4]


def test_matched_profile_reproduces_c6_and_demon_conditions_exactly():
    demon = n_demon(1.0, 0.5, 1.0, energies(1.4), 0.02, profile="matched")
    flows = demon.flows()
    scale = abs(demon.power_closed_form())
    # "matched" makes f_r - f_l constant per window: the integrals are C3/C5 exactly, up to
    # rounding of ~1e-16 per node times ~100 nodes.
    assert abs(flows.particle["l"]) < 1e-13 * scale
    assert abs(flows.energy["l"]) < 1e-13 * scale
    assert abs(flows.particle["h"]) < 1e-13 * scale and abs(flows.particle["c"]) < 1e-13 * scale
    # abs=0: the power is 1.3e-5, so approx's default abs=1e-12 would allow 8e-8 relative.
    assert -flows.energy["h"] == pytest.approx(demon.power_closed_form(), rel=1e-12, abs=0)
    assert flows.heat["c"] == pytest.approx(demon.power_closed_form(), rel=1e-12, abs=0)


@pytest.mark.parametrize("profile", ["flat", "matched"])
def test_cop_converges_to_c10_as_width_shrinks(profile):
    # C10 neglects the variation of the distributions over a window: O(Γ²) relative error.
    errs = []
    for width in (0.02, 0.01):
        demon = n_demon(1.0, 0.5, 1.0, energies(1.4), width, profile=profile)
        errs.append(abs(demon.cop() / demon.cop_closed_form() - 1))
    # Γ = 0.01: measured coefficients ~15 Γ² (flat) and ~0.02 Γ² (matched); 2e-3 bounds both.
    assert errs[1] < 2e-3
    # Second-order convergence: halving Γ divides the error by 4 (3.5..4.5 allows the O(Γ⁴) term).
    assert 3.5 < errs[0] / errs[1] < 4.5


def test_flat_power_converges_to_c6():
    errs = []
    for width in (0.02, 0.01):
        demon = n_demon(1.0, 0.5, 1.0, energies(1.4), width)
        errs.append(abs(-demon.flows().energy["h"] / demon.power_closed_form() - 1))
    assert 3.5 < errs[0] / errs[1] < 4.5   # O(Γ²), as above


@pytest.mark.parametrize("e4", [1.3, 1.45, 1.6])
def test_cop_below_carnot_and_power_positive(e4):
    seen = 0
    for t_cold in np.linspace(0.05, 0.95, 19):
        demon = n_demon(1.0, t_cold, 1.0, energies(e4), 1e-3, profile="matched")
        assert demon.power_closed_form() >= 0          # eq. 21: heat flows into h
        if not demon.physical:
            continue
        seen += 1
        flows = demon.flows()
        perf = demon.performance(flows)
        cop = demon.cop(flows)
        assert 0 < cop <= carnot_cop(1.0, t_cold)
        assert perf.ratio <= 1
        # machine_performance's ratio is COP/COP_Carnot (seed 004, eqs. 16 and 22 agree) when the
        # demon exchanges exactly no particles or energy ("matched"); rounding only.
        assert perf.ratio == pytest.approx(cop / carnot_cop(1.0, t_cold), rel=1e-10)
        assert flows.entropy_production >= 0
    assert seen >= 3


def test_minimum_cold_temperature():
    # f_l(ε3) = 2 f_c(ε3) - f_c(ε4) >= 0 fails at low T_c (seed 004, Sec. V): for ε4 = 1.4 in the
    # Boltzmann tail, f_c(ε3)/f_c(ε4) ≈ e^{-0.1/T_c} >= 1/2 needs T_c >~ 0.1/ln 2.
    assert not n_demon(1.0, 0.1, 1.0, energies(1.4), 1e-3).physical
    assert n_demon(1.0, 0.2, 1.0, energies(1.4), 1e-3).physical
    with pytest.raises(InputError, match="not physical"):
        n_demon(1.0, 0.1, 1.0, energies(1.4), 1e-3).flows()
    with pytest.raises(InputError, match="not physical"):
        n_demon(1.0, 0.1, 1.0, energies(1.4), 1e-3).cop_closed_form()


@pytest.mark.parametrize("t_cold", [0.3, 0.6, 0.9])
def test_eq24_limit(t_cold):
    limit = n_demon_cop_limit(1.0, t_cold)
    # C10 at ε4 = ε3 - δ: corrections are O(δ²) (C18: arctanh(-3 tanh x) = -3x + O(x³)).
    errs = [abs(n_demon(1.0, t_cold, 1.0, energies(1.5 - d), 1e-6).cop_closed_form() / limit - 1)
            for d in (1e-2, 5e-3)]
    assert 3.5 < errs[0] / errs[1] < 4.5
    assert errs[1] < 1e-3
    # Through the engine with Γ << δ: δ = 0.01, Γ = 1e-4 -> O(δ²) + O(Γ²) relative.
    demon = n_demon(1.0, t_cold, 1.0, energies(1.49), 1e-4)
    assert demon.cop() == pytest.approx(limit, rel=5e-3)


def test_eq23_sign_typo():
    """Eq. 23 prints ln([(1-f1)/(1-f2)] f2/f1) and ln([(1-f4)/(1-f3)] f3/f4): that is -C10.

    The engine's COP = J^Q_c/(T_h dS_l/dt) (eq. 22) is positive and matches C10, not eq. 23.
    """
    demon = n_demon(1.0, 0.5, 1.0, energies(1.4), 1e-3, profile="matched")
    f1, f2, f3, f4 = demon.demon_occupations
    e1, e2, e3, e4 = demon.energies
    printed = 1 / (1.0 / (e1 - e2) * np.log((1 - f1) / (1 - f2) * f2 / f1)
                   + 1.0 / (e3 - e4) * np.log((1 - f4) / (1 - f3) * f3 / f4))
    assert printed < 0
    assert demon.cop() > 0
    assert demon.cop() == pytest.approx(demon.cop_closed_form(), rel=1e-6)   # ~0.02 Γ² with Γ = 1e-3
    assert printed == pytest.approx(-demon.cop_closed_form(), rel=1e-12)


def test_c16_c19_limits():
    """C16: (1/(ε1-ε2)) ln(((1-f1)/(1-f2)) f2/f1) -> 1/T_h; C17: (1/(ε3-ε4)) ln(((1-f4)/(1-f3)) f3/f4) -> -3/T_c.

    C19 prints the argument inverted, ((1-f3)/(1-f4)) f4/f3, with the same limit -3/T_c; with that
    argument the limit is +3/T_c.
    """
    t_cold = 0.4
    demon = n_demon(1.0, t_cold, 1.0, energies(1.5 - 1e-4), 1e-6)
    x = log_odds_from_occupation(demon.demon_occupations, "fermion")
    e1, e2, e3, e4 = demon.energies
    # O(δ²) with δ = 1e-4 (relative 1e-7 on these limits), plus rounding of x differences ~1e-12/δ.
    assert (x[0] - x[1]) / (e1 - e2) == pytest.approx(1.0, rel=1e-6)
    assert (x[3] - x[2]) / (e3 - e4) == pytest.approx(-3 / t_cold, rel=1e-6)
    assert (x[2] - x[3]) / (e3 - e4) == pytest.approx(+3 / t_cold, rel=1e-6)


@pytest.mark.parametrize("kwargs, match", [
    (dict(t_hot=1.0, t_cold=1.0), "t_cold must be below"),
    (dict(t_hot=-1.0, t_cold=0.5), "t_hot"),
    (dict(energies=[1, 1, 1.5, 1.4]), "ε1 ≠ ε2"),
    (dict(energies=[1, 2, 1.5]), "shape"),
    (dict(width=0.2), "overlap"),
    (dict(width=0.0), "width"),
    (dict(profile="smooth"), "profile"),
    (dict(mu0=np.inf), "mu0"),
])
def test_input_errors(kwargs, match):
    args = dict(t_hot=1.0, t_cold=0.5, mu0=1.0, energies=energies(1.4), width=1e-3)
    args.update(kwargs)
    with pytest.raises(InputError, match=match):
        n_demon(args.pop("t_hot"), args.pop("t_cold"), args.pop("mu0"), args.pop("energies"), args.pop("width"), **args)


def test_matched_profile_refuses_unphysical_window():
    # Near the minimum T_c, f_l(ε3) = 3.8e-4 while f_c varies by more than that across a window
    # of width 0.05: f_c(E) + shift < 0 at the upper edge.
    demon = n_demon(1.0, 0.14, 1.0, energies(1.4), 0.05, profile="matched")
    assert demon.physical and demon.demon_occupations[2] < 1e-3
    with pytest.raises(InputError, match="matched"):
        demon.flows()
    n_demon(1.0, 0.14, 1.0, energies(1.4), 0.05).flows()      # the flat profile is fine

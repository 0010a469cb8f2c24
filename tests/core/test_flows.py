"""Flows, exergy bookkeeping and machine bounds (seed 004, eqs. 11-16)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import integrate
from scipy.special import expit, log_expit

import thermoflux as tf
from thermoflux import (FermiDirac, Flows, InputError, NonThermal, ThermodynamicsWarning,
                        carnot_cop, carnot_efficiency, exergy_rates, machine_performance)


def two_terminal(jn=0.1, je=0.25, power=0.0):
    reservoirs = {"hot": FermiDirac(temperature=2.0, mu=0.5), "cold": FermiDirac(temperature=1.0, mu=-0.5)}
    return Flows.from_currents(reservoirs, {"hot": jn, "cold": -jn}, {"hot": je, "cold": -je - power},
                               power=power, method="test")


def test_heat_and_entropy_of_thermal_reservoirs():
    fl = two_terminal()
    assert fl.heat["hot"] == pytest.approx(0.25 - 0.5 * 0.1)
    assert fl.heat["cold"] == pytest.approx(-0.25 - 0.5 * 0.1)
    assert fl.entropy["hot"] == pytest.approx(-fl.heat["hot"] / 2.0)
    assert fl.entropy["cold"] == pytest.approx(-fl.heat["cold"] / 1.0)
    assert fl.entropy_production == pytest.approx(fl.entropy["hot"] + fl.entropy["cold"])
    assert fl.particle_residual == 0.0 and fl.energy_residual == 0.0
    assert fl.check()


def test_check_warns_on_violations():
    bad = Flows({"a": 1.0, "b": 0.0}, {"a": 0.0, "b": 0.0}, {"a": 0.0, "b": 0.0}, {"a": -1.0, "b": 0.0})
    with pytest.warns(ThermodynamicsWarning) as record:
        assert not bad.check()
    messages = " ".join(str(w.message) for w in record)
    assert "particle current not conserved" in messages and "second law violated" in messages


def test_exergy_identity_t0_sigma_equals_power_plus_exergy():
    # T0 sigma = P + sum_alpha A_alpha in a steady state, for any T0 and mu0.
    fl = two_terminal(jn=0.07, je=0.3, power=-0.05)
    for t0, mu0 in [(1.0, 0.0), (2.0, 0.5), (0.3, -1.0)]:
        total = fl.power + math.fsum(exergy_rates(fl, t0, mu0).values())
        assert total == pytest.approx(t0 * fl.entropy_production, rel=1e-12)


def test_heat_engine_ratio_equals_efficiency_over_carnot():
    # Heat engine between T_h = 2 and T_c = 1 with mu equal: P < 0 is work out of the system.
    reservoirs = {"h": FermiDirac(temperature=2.0), "c": FermiDirac(temperature=1.0)}
    qh, power = 0.4, -0.1
    fl = Flows.from_currents(reservoirs, {"h": 0.0, "c": 0.0}, {"h": qh, "c": -qh - power}, power=power)
    perf = machine_performance(fl, "heat_engine", reference_temperature=1.0)
    eta = tf.heat_engine_efficiency(fl)
    assert eta == pytest.approx(0.25)
    assert perf.ratio == pytest.approx(eta / carnot_efficiency(2.0, 1.0), rel=1e-12)
    assert perf.ratio <= 1


def test_refrigerator_driven_by_nonthermal_reservoir_ratio_is_cop_over_carnot():
    # A demon reservoir l exchanges no energy nor particles, only entropy (seed 004, Sec. V).
    th, tc, sdot_l, jq_c = 1.0, 0.5, 0.3, 0.06
    reservoirs = {"h": FermiDirac(temperature=th), "c": FermiDirac(temperature=tc),
                  "l": NonThermal(lambda e: 0.5 + 0 * e, "fermion")}
    fl = Flows.from_currents(reservoirs, {"h": 0, "c": 0, "l": 0}, {"h": -jq_c, "c": jq_c, "l": 0},
                             entropy={"h": jq_c / th, "c": -jq_c / tc, "l": sdot_l})
    perf = machine_performance(fl, "heat_pump", reference_temperature=th)
    cop = jq_c / (th * sdot_l)  # seed 004, eq. 22
    assert perf.ratio == pytest.approx(cop / carnot_cop(th, tc), rel=1e-12)
    # ratio <= 1 is the second law: sigma >= 0.
    assert (perf.ratio <= 1) == (fl.entropy_production >= 0)


def test_motor_and_pump_bounds_follow_from_sigma():
    reservoirs = {"L": FermiDirac(beta=1.0, mu=1.0), "R": FermiDirac(beta=1.0, mu=0.0)}
    jn, power = 0.2, -0.15  # 0.2 particles across a bias of 1 drive 0.15 of work out
    fl = Flows.from_currents(reservoirs, {"L": jn, "R": -jn}, {"L": 0.3, "R": -0.3 - power}, power=power)
    perf = machine_performance(fl, "motor", reference_temperature=1.0, reference_mu=0.0)
    assert perf.output == pytest.approx(0.15) and perf.input == pytest.approx(0.2)
    assert perf.ratio == pytest.approx(0.75)
    pump = machine_performance(fl, "pump", reference_temperature=1.0)
    assert pump.output == pytest.approx(-0.2)


def test_to_dataset_round_trip(tmp_path):
    from thermoflux.io import load_dataset, save_dataset

    fl = two_terminal()
    ds = fl.to_dataset({"parameters": {"gamma": 0.1, "note": None}})
    path = save_dataset(ds, tmp_path / "flows.nc")
    back = load_dataset(path)
    np.testing.assert_allclose(back["heat_current"].values, [fl.heat["hot"], fl.heat["cold"]])
    assert list(back["reservoir"].values) == ["hot", "cold"]
    assert back.attrs["parameters.gamma"] == 0.1 and back.attrs["parameters.note"] == "none"
    assert float(back["entropy_production"]) == pytest.approx(fl.entropy_production)


def test_flows_input_errors():
    with pytest.raises(InputError, match="entropy of the non-thermal reservoir 'l' must be given"):
        Flows.from_currents({"l": NonThermal(lambda e: 0 * e, "fermion")}, {"l": 0.0}, {"l": 0.0})
    with pytest.raises(InputError, match="energy must have the reservoirs"):
        Flows.from_currents({"a": FermiDirac(beta=1.0)}, {"a": 0.0}, {"b": 0.0})
    with pytest.raises(InputError, match=r"particle\['a'\] must be finite"):
        Flows({"a": np.nan}, {"a": 0.0}, {"a": 0.0}, {"a": 0.0})
    with pytest.raises(InputError, match="machine must be one of"):
        machine_performance(two_terminal(), "toaster", reference_temperature=1.0)
    with pytest.raises(InputError, match="t_cold must be below t_hot"):
        carnot_cop(1.0, 2.0)
    with pytest.raises(InputError, match="reference_temperature must be positive"):
        exergy_rates(two_terminal(), 0.0)


def test_flows_is_frozen_and_picklable():
    import pickle

    fl = two_terminal()
    with pytest.raises(Exception):
        fl.power = 3.0
    assert pickle.loads(pickle.dumps(fl)).to_dict() == fl.to_dict()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        repr(fl)


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

finite = st.floats(min_value=-5, max_value=5)


@given(jn=finite, je=finite, jl=finite, power=finite, sdot_l=finite,
       t0=st.floats(min_value=0.1, max_value=5), machine=st.sampled_from(["motor", "pump", "heat_pump"]))
def test_ratio_at_most_one_exactly_when_second_law_holds(jn, je, jl, power, sdot_l, t0, machine):
    # Whatever the currents, output - input = -T0*sigma, so for a positive input the bound
    # ratio <= 1 is the second law (seed 004, eq. 13).
    reservoirs = {"h": FermiDirac(temperature=2.0, mu=0.3), "c": FermiDirac(temperature=0.5, mu=-0.2),
                  "l": NonThermal(lambda e: 0.5 + 0 * e, "fermion")}
    fl = Flows.from_currents(reservoirs, {"h": jn, "c": -jn, "l": 0.0},
                             {"h": je, "c": -je - jl - power, "l": jl},
                             {"h": -(je - 0.3 * jn) / 2.0, "c": -(-je - jl - power + 0.2 * -jn) / 0.5, "l": sdot_l},
                             power=power)
    perf = machine_performance(fl, machine, reference_temperature=t0)
    assert perf.output - perf.input == pytest.approx(-t0 * fl.entropy_production, abs=1e-9)


def test_thermoelectric_generator_is_a_pump_with_ratio_eta_over_carnot():
    th, tc = 1.0, 0.4
    reservoirs = {"h": FermiDirac(temperature=th, mu=0.0), "c": FermiDirac(temperature=tc, mu=0.2)}
    jn, je = 0.05, 0.08  # particles flow from h up the bias into c: chemical work 0.2*0.05 out
    fl = Flows.from_currents(reservoirs, {"h": jn, "c": -jn}, {"h": je, "c": -je})
    eta = -(0.0 * jn + 0.2 * -jn) / fl.heat["h"]
    perf = machine_performance(fl, "pump", reference_temperature=tc)
    assert perf.ratio == pytest.approx(eta / carnot_efficiency(th, tc), rel=1e-12)


def test_flows_without_particle_conservation_skip_that_law():
    # Photons absorbed two at a time and emitted one at a time: no particle law (seed 002).
    reservoirs = {"a": tf.BoseEinstein(temperature=2.0), "b": tf.BoseEinstein(temperature=1.0)}
    fl = Flows.from_currents(reservoirs, {"a": 0.2, "b": -0.1}, {"a": 0.3, "b": -0.3},
                             conserves_particles=False)
    assert math.isnan(fl.particle_residual)
    assert fl.check()  # energy conserved, sigma = -0.3/2 + 0.3/1 > 0, particles not asked
    conserved = Flows.from_currents(reservoirs, {"a": 0.2, "b": -0.1}, {"a": 0.3, "b": -0.3})
    with pytest.warns(ThermodynamicsWarning, match="particle current not conserved"):
        conserved.check()


def three_terminal_by_quad():
    """Currents of a resonant level between two thermal leads and a non-thermal 'demon', by quad.

    J^N_α = (1/2π) Σ_β ∫ T_αβ (f_α − f_β) dE (and E·, −ln((1 − f_α)/f_α)· for the entropy rate of
    the non-thermal one), T_αβ = Γ_αΓ_β/((E − ε)² + Γ²/4), written here without thermoflux.
    """
    level, widths = 0.05, {"hot": 0.1, "cold": 0.15, "demon": 0.07}
    total = sum(widths.values())
    hot, cold = (0.6, 0.1), (0.2, -0.05)                        # (temperature, mu)

    def demon(e):                                              # a double step (seed 004, Fig. 4)
        return 0.5 * expit(-(e - 0.3) / 0.05) + 0.5 * expit(-(e + 0.2) / 0.05)

    occupation = {"hot": lambda e: expit(-(e - hot[1]) / hot[0]),
                  "cold": lambda e: expit(-(e - cold[1]) / cold[0]), "demon": demon}

    def current(a, weight):
        def integrand(e):
            t = {b: widths[a] * widths[b] / ((e - level) ** 2 + total ** 2 / 4) for b in widths if b != a}
            return weight(e) * sum(t[b] * (occupation[a](e) - occupation[b](e)) for b in t) / (2 * np.pi)
        edges = [-30.0, -0.2, level, 0.1, 0.3, 30.0]      # beyond ±30 the integrands are < e^-50
        return sum(integrate.quad(integrand, lo, hi, epsabs=0, epsrel=1e-13, limit=200)[0]
                   for lo, hi in zip(edges[:-1], edges[1:]))

    particle = {a: current(a, lambda e: 1.0) for a in widths}
    energy = {a: current(a, lambda e: e) for a in widths}
    def odds(e):                                               # ln(1 − f) − ln f, exact in the tails
        x1, x2 = (e - 0.3) / 0.05, (e + 0.2) / 0.05
        return np.logaddexp(log_expit(x1), log_expit(x2)) - np.logaddexp(log_expit(-x1), log_expit(-x2))

    entropy_demon = -current("demon", odds)
    reservoirs = {"hot": FermiDirac(temperature=hot[0], mu=hot[1]),
                  "cold": FermiDirac(temperature=cold[0], mu=cold[1]), "demon": NonThermal(demon, "fermion")}
    flows = Flows.from_currents(reservoirs, particle, energy,
                                {"hot": -(energy["hot"] - hot[1] * particle["hot"]) / hot[0],
                                 "cold": -(energy["cold"] - cold[1] * particle["cold"]) / cold[0],
                                 "demon": entropy_demon})
    return flows, {"hot": hot, "cold": cold}, energy, particle, entropy_demon


@pytest.mark.parametrize("t0, mu0", [(0.2, 0.0), (0.35, 0.04)])
def test_exergy_rates_each_reservoir_against_closed_forms(t0, mu0):
    # Seed 004, eqs. 11-14 with currents out of the reservoirs: a thermal reservoir supplies
    # A_r = J^N_r (μ_r − μ0) + J^Q_r (1 − T0/T_r); a non-thermal one A_l = −dℰ_l/dt with
    # ℰ_l = U_l − μ0 n_l − T0 S_l, dU_l/dt = −J^E_l, dn_l/dt = −J^N_l: A_l = J^E_l − μ0 J^N_l + T0 dS_l/dt.
    flows, thermal, energy, particle, entropy_demon = three_terminal_by_quad()
    rates = exergy_rates(flows, t0, mu0)
    expected = {r: particle[r] * (mu - mu0) + (energy[r] - mu * particle[r]) * (1 - t0 / temp)
                for r, (temp, mu) in thermal.items()}
    expected["demon"] = energy["demon"] - mu0 * particle["demon"] + t0 * entropy_demon
    # The three rates differ by > 1e-4 (a swap of two terms is visible) and none is near 0.
    values = sorted(expected.values())
    assert min(np.diff(values)) > 1e-4 and min(abs(v) for v in values) > 1e-4
    for r in expected:
        # Same currents on both sides: rounding only, measured <= 6e-16 relative.
        assert rates[r] == pytest.approx(expected[r], rel=5e-15), r
    # The identity T0 σ = Σ_α A_α (no power) needs Σ J^N = Σ J^E = 0, which the quad currents
    # keep to their requested 1e-13 (measured 2e-16).
    assert math.fsum(rates.values()) == pytest.approx(t0 * flows.entropy_production, rel=1e-12)


def test_undefined_particle_currents_only_without_particle_conservation():
    # μ = 0 bosons through T(0) > 0 exchange infinitely many soft quanta: the number current is
    # NaN and allowed only with conserves_particles=False; heat = energy and exergy are defined.
    reservoirs = {"a": tf.BoseEinstein(temperature=2.0), "b": tf.BoseEinstein(temperature=1.0)}
    nan = float("nan")
    fl = Flows.from_currents(reservoirs, {"a": nan, "b": nan}, {"a": 0.3, "b": -0.3},
                             conserves_particles=False)
    assert fl.heat == {"a": 0.3, "b": -0.3} and fl.entropy == {"a": -0.15, "b": 0.3}
    assert fl.check()
    assert exergy_rates(fl, 1.0) == pytest.approx({"a": 0.3 - 0.15, "b": -0.3 + 0.3}, abs=1e-15)
    assert machine_performance(fl, "heat_pump", reference_temperature=1.0).input == 0.0
    with pytest.raises(InputError, match=r"particle\['a'\] must be finite"):
        Flows.from_currents(reservoirs, {"a": nan, "b": nan}, {"a": 0.3, "b": -0.3})
    with pytest.raises(InputError, match=r"particle\['a'\] must be finite"):
        Flows.from_currents(reservoirs, {"a": math.inf, "b": 0.0}, {"a": 0.3, "b": -0.3},
                            conserves_particles=False)

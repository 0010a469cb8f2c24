"""Flows, exergy bookkeeping and machine bounds (seed 004, eqs. 11-16)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

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
    reservoirs = {"L": FermiDirac(1.0, mu=1.0), "R": FermiDirac(1.0, mu=0.0)}
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
        Flows.from_currents({"a": FermiDirac(1.0)}, {"a": 0.0}, {"b": 0.0})
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

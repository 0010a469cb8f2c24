"""The audit framework (Finding, Report, thresholds) and the checks on any Flows (issue 12)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from thermoflux import FermiDirac, Flows, InputError, NonThermal
from thermoflux.audit import DEFAULT_THRESHOLDS, Finding, Report, audit_flows, resolve_thresholds

EPS = np.finfo(float).eps


def flows_at(temps, mus, particle, energy, entropy=None, **kw):
    names = [f"r{i}" for i in range(len(temps))]
    reservoirs = {n: FermiDirac(temperature=t, mu=m) for n, t, m in zip(names, temps, mus)}
    return Flows.from_currents(reservoirs, dict(zip(names, particle)), dict(zip(names, energy)),
                               None if entropy is None else dict(zip(names, entropy)), **kw)


# -- framework -----------------------------------------------------------------------------------
def make_report():
    return Report([Finding("markov", "warning", 0.3, 0.1, "slow bath", "B&P", "hot"),
                   Finding("second-law", "error", -1e-3, -1e-14, "σ < 0 <here> & there"),
                   Finding("zeroth-law", "info", 0.0, 1.0, "fine")], subject="test model")


def test_report_orders_errors_first_and_summarizes():
    report = make_report()
    assert [f.severity for f in report] == ["error", "warning", "info"]
    assert len(report.errors) == 1 and len(report.warnings) == 1 and not report.ok
    assert report.by_check("markov")[0].subject == "hot"
    assert "1 error(s), 1 warning(s)" in repr(report)
    text = report.table()
    assert "second-law" in text and "slow bath" in text and "[B&P]" in text
    assert Report([Finding("markov", "warning", 1, 0.1, "m")]).ok      # warnings alone: ok


def test_report_serializations_round_trip(tmp_path):
    from thermoflux.io import load_dataset, save_dataset

    report = make_report()
    data = json.loads(report.to_json())
    assert data["ok"] is False and [f["check"] for f in data["findings"]] == ["second-law", "markov", "zeroth-law"]
    assert data["findings"][0]["value"] == -1e-3
    ds = report.to_dataset()
    back = load_dataset(save_dataset(ds, tmp_path / "audit.nc"))
    assert list(back["check"].values) == ["second-law", "markov", "zeroth-law"]
    np.testing.assert_array_equal(back["value"].values, [-1e-3, 0.3, 0.0])   # float64 netCDF: exact
    assert int(back.attrs["n_errors"]) == 1
    html = report.to_html()
    assert "&lt;here&gt; &amp; there" in html and "<table class=\"audit\">" in html
    empty = Report([], subject="m", checks=["markov"])
    assert empty.ok and "no findings" in empty.table() and empty.to_dataset().sizes["finding"] == 0


def test_finding_rejects_unknown_severity():
    with pytest.raises(InputError, match="severity"):
        Finding("markov", "fatal", 1.0, 0.1, "m")


def test_thresholds_override_and_unknown_ids_are_named():
    th = resolve_thresholds({"second-law": (10, 10)}, ("second-law", "zeroth-law"))
    assert th["second-law"] == (10.0, 10.0) and th["zeroth-law"] == DEFAULT_THRESHOLDS["zeroth-law"]
    with pytest.raises(InputError, match="'weak-coupling', 'wrong'"):
        resolve_thresholds({"wrong": (1, 2), "weak-coupling": (1, 2)}, ("second-law",))
    with pytest.raises(InputError, match=r"thresholds\['second-law'\]"):
        resolve_thresholds({"second-law": 3}, ("second-law",))


# -- second law ------------------------------------------------------------------------------------
def test_second_law_ignores_rounding_noise_at_equilibrium():
    # Equilibrium: the net currents are rounding noise of gross flows ~0.1, σ = −1e-17.
    flows = Flows({"a": 1e-18, "b": -1e-18}, {"a": 1e-17, "b": -1e-17}, {"a": 1e-17, "b": -1e-17},
                  {"a": -1e-17, "b": 0.0}, {"a": 1.0, "b": 1.0}, {"a": 0.0, "b": 0.0})
    assert flows.entropy_production == -1e-17
    gross = {"particle": 0.1, "energy": 0.1, "entropy": 0.1}
    assert not audit_flows(flows, gross=gross).by_check("second-law")


def test_second_law_error_just_beyond_the_floor():
    gross = {"particle": 0.1, "energy": 0.1, "entropy": 0.1}
    floor = 1e3 * EPS * 0.1                     # the documented floor k·eps·S_gross, k = 1e3
    for sigma, tripped in ((-1.5 * floor, True), (-0.5 * floor, False)):
        flows = Flows({"a": 0.0}, {"a": 0.0}, {"a": 0.0}, {"a": sigma}, {"a": 1.0}, {"a": 0.0})
        found = audit_flows(flows, gross=gross).by_check("second-law")
        assert bool(found) is tripped
        if tripped:
            assert found[0].severity == "error" and found[0].value == sigma
            assert found[0].threshold == pytest.approx(-floor, rel=1e-12)


def test_second_law_floor_scales_with_the_flows_without_gross():
    # A real two-terminal heat flow with one entropy term 1e-9 too small: σ = −1e-9 of O(1) terms.
    flows = Flows({"h": 0.0, "c": 0.0}, {"h": 1.0, "c": -1.0}, {"h": 1.0, "c": -1.0},
                  {"h": -1.0, "c": 1.0 - 1e-9}, {"h": 1.0, "c": 1.0}, {"h": 0.0, "c": 0.0})
    assert audit_flows(flows).by_check("second-law")[0].severity == "error"


# -- zeroth law ------------------------------------------------------------------------------------
def test_zeroth_law_flags_heat_flowing_at_equilibrium():
    flows = flows_at([0.5, 0.5], [0.2, 0.2], [0.0, 0.0], [1e-4, -1e-4])
    (finding,) = audit_flows(flows).by_check("zeroth-law")
    assert finding.severity == "error" and abs(finding.value) == 1e-4
    # the same currents between different temperatures: no zeroth-law question
    assert not audit_flows(flows_at([0.5, 0.4], [0.2, 0.2], [0.0, 0.0], [1e-4, -1e-4])).by_check("zeroth-law")


def test_zeroth_law_ignores_noise_currents_against_gross_scale():
    flows = flows_at([0.5, 0.5], [0.2, 0.2], [3e-18, -3e-18], [2e-18, -2e-18])
    gross = {"particle": 0.05, "energy": 0.05, "entropy": 0.2}
    assert not audit_flows(flows, gross=gross)


def equilibrium_master_equation_flows():
    """A three-level system between two fields at T = 1: its net currents are rounding noise ~1e-18."""
    import warnings

    from thermoflux import BoseEinstein
    from thermoflux.master_equation import Field, StochasticLimit, System

    coupling = np.ones((3, 3)) - np.eye(3)
    model = StochasticLimit(System([0.0, 1.0, 2.3], {"a": coupling, "b": coupling}),
                            {k: Field(BoseEinstein(temperature=1.0), 0.05) for k in "ab"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model, model.flows(check=False)


def test_equilibrium_without_gross_is_no_error():
    # Review item 6: without gross the floor scaled with the noise itself (|J| = 1e-18 against
    # a floor ~1e-31), so every equilibrium model erred. Now: a warning that asks for gross.
    model, flows = equilibrium_master_equation_flows()
    assert 0 < max(abs(v) for v in flows.energy.values()) < 1e-15   # noise, not exactly 0
    report = audit_flows(flows)
    assert not report.errors
    assert all("give gross=" in f.message for f in report.warnings)
    assert not model.audit().by_check("zeroth-law")                  # the method passes gross


def test_equilibrium_without_gross_still_errs_on_a_real_current():
    # 1e-10 of heat at T = 0.5, μ = 0.2: far above k·eps·(T + |μ|)²/2π·2 = 3.5e-14.
    flows = flows_at([0.5, 0.5], [0.2, 0.2], [0.0, 0.0], [1e-10, -1e-10])
    (finding,) = audit_flows(flows).by_check("zeroth-law")
    assert finding.severity == "error"
    noise = flows_at([0.5, 0.5], [0.2, 0.2], [0.0, 0.0], [1e-18, -1e-18])
    assert [f.severity for f in audit_flows(noise).by_check("zeroth-law")] == ["warning"]


# -- chemical potential ----------------------------------------------------------------------------
def biased_dot(with_mu: bool):
    """A biased dot: J^N = 0.02 from L (μ = 0.1) to R (μ = −0.1) at T = 0.5, no energy current."""
    current, temperature, mus = 0.02, 0.5, (0.1, -0.1)
    reservoirs = {"L": FermiDirac(temperature=temperature, mu=mus[0]),
                  "R": FermiDirac(temperature=temperature, mu=mus[1])}
    particle, energy = {"L": current, "R": -current}, {"L": 0.0, "R": 0.0}
    entropy = None if with_mu else {"L": 0.0, "R": 0.0}      # −J^E/T: μ left out
    return Flows.from_currents(reservoirs, particle, energy, entropy)


def test_chemical_potential_left_out_of_entropy_is_an_error():
    good, bad = biased_dot(True), biased_dot(False)
    # Independent value: σ = Δμ·I/T = 0.2·0.02/0.5 = 8e-3 when μ enters the bookkeeping.
    assert good.entropy_production == pytest.approx(8e-3, rel=1e-14)
    assert not audit_flows(good)
    found = audit_flows(bad).by_check("chemical-potential")
    assert {f.subject for f in found} == {"L", "R"} and all(f.severity == "error" for f in found)
    assert "μ was left out" in found[0].message


def test_heat_current_without_mu_is_an_error():
    reservoirs = ("L", "R")
    flows = Flows({"L": 0.02, "R": -0.02}, {"L": 0.01, "R": -0.01}, {"L": 0.01, "R": -0.01},
                  {"L": -0.01 / 0.5, "R": 0.01 / 0.5}, {k: 0.5 for k in reservoirs}, {"L": 0.1, "R": -0.1})
    found = audit_flows(flows).by_check("chemical-potential")
    assert found and "J^E − μJ^N" in found[0].message


# -- non-thermal reservoir left out of σ -----------------------------------------------------------
@pytest.mark.parametrize("entropy, tripped", [(0.0, True), (-0.03, False)])
def test_nonthermal_reservoir_left_out_of_entropy_production(entropy, tripped):
    demon = NonThermal(lambda e: 0.5 + 0.0 * e, "fermion")
    reservoirs = {"demon": demon, "lead": FermiDirac(temperature=0.2)}
    flows = Flows.from_currents(reservoirs, {"demon": 0.01, "lead": -0.01}, {"demon": 0.004, "lead": -0.004},
                                {"demon": entropy, "lead": 0.02})
    found = audit_flows(flows).by_check("nonthermal-entropy")
    assert bool(found) is tripped
    if tripped:
        assert found[0].subject == "demon"


def test_audit_flows_refuses_bad_input():
    with pytest.raises(InputError, match="flows must be a Flows"):
        audit_flows({"a": 1})
    with pytest.raises(InputError, match=r"gross\['energy'\]"):
        audit_flows(biased_dot(True), gross={"energy": math.nan})

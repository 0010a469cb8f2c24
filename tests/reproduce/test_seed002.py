"""thermoflux.reproduce.seed002 runs (full=False), writes its figures and every claim passes."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux.reproduce import load


def test_seed002_reproduces(tmp_path):
    module = load("002")
    assert module.SEED == "002" and module.TITLE
    report = module.reproduce(tmp_path, full=False)
    assert len(report.figures) == 2
    for path in report.figures:
        assert path.exists() and path.stat().st_size > 1000
    failed = [c for c in report.claims if not c.passed]
    assert not failed, failed
    assert len(report.claims) >= 10
    # The two-field model is in the stochastic limit's regime (weak coupling, secular): its
    # audit, shown in the gallery, has no error or warning.
    (audit,) = report.audits.values()
    assert not audit.errors and not audit.warnings, audit.table()


def test_two_field_figure_does_not_depend_on_the_rate_scale():
    """Without the Lamb shift, scaling every rate scales the generator: the temperature function
    of Fig. 2 is the same at the weak rate scale used and at 1000x it (rounding: 1e-12)."""
    from thermoflux.master_equation import Field, StochasticLimit
    from thermoflux.reproduce.seed002 import _two_field_model

    weak = _two_field_model(7, 0.5, 2.0)
    fields = {name: Field(f.distribution, lambda w, s=f.spectral_density: 1e3 * s(w))
              for name, f in weak.fields.items()}
    strong = StochasticLimit(weak.system, fields)
    a, b = weak.temperature_function().values[1:], strong.temperature_function().values[1:]
    assert np.max(np.abs(a - b)) <= 1e-12 * np.max(np.abs(a))


def test_closed_form_claim_is_rounding_proof_at_detailed_balance():
    """J21 = 0 in closed form at κ = 0: rounding of the solve must not decide the claim (issue 14)."""
    from thermoflux.reproduce.seed002 import _closed_form_claim

    closed = np.array([0.0, 1.5e-4, -4.7e-4])
    flux = np.array([0.04, 0.045, 0.03])  # the one-way fluxes F21 of Fig. 1's grid are 0.03-0.055
    # 6.9e-18 at κ = 0 is what one machine's BLAS left (0.8 eps·F21); relative errors of 1e-14.
    rounded = np.array([6.9e-18, 1.5e-4 * (1 + 1e-14), -4.7e-4 * (1 - 1e-14)])
    assert _closed_form_claim(rounded, closed, flux).passed
    assert _closed_form_claim(np.array([0.0, 1.5e-4, -4.7e-4]), closed, flux).passed
    # Real disagreements still fail: 1e-9 relative away from δ = 0, and a current of 1e-15
    # (~110 eps·F21) where the closed form vanishes.
    assert not _closed_form_claim(np.array([0.0, 1.5e-4 * (1 + 1e-9), -4.7e-4]), closed, flux).passed
    assert not _closed_form_claim(np.array([1e-15, 1.5e-4, -4.7e-4]), closed, flux).passed


def test_one_way_fluxes_bound_the_micro_currents():
    """F[m, n] >= |J_mn|, and F − |J| is the smaller one-way flux (eq. 38a), >= 0."""
    from thermoflux.distributions import TemperatureFunction
    from thermoflux.reproduce.seed002_three_level import three_level_model, three_level_rates
    from thermoflux.reproduce.seed002 import LEVELS, _one_way_fluxes

    model = three_level_model(LEVELS, TemperatureFunction(lambda w: 1.0 + 0.2 * w), lambda w: 0.1 * w,
                              (1.0, 0.7, 0.5))
    flux = _one_way_fluxes(model)
    j = model.micro_currents("particle").values[0]
    rates, p = three_level_rates(model), model.stationary_populations()
    smaller = min(rates["minus21"] * p[1], rates["plus21"] * p[0])
    assert flux[1, 0] - abs(j[1, 0]) == pytest.approx(smaller, rel=1e-12)  # eq. 38a: J = F_- − F_+
    assert flux[1, 0] == pytest.approx(max(rates["minus21"] * p[1], rates["plus21"] * p[0]), rel=1e-15, abs=0)  # the same max

"""The stationary state is solved once per StochasticLimit and shared (issue 15); nothing can make it stale.

The cache reuses the very same arithmetic, so cached and uncached results are compared exactly
(tolerance 0): the uncached reference calls the module functions on the model's transitions
(``generator.pauli_rate_matrix``, ``stationary.stationary_populations`` / ``gksl_stationary``,
``currents.transition_currents`` and ``build_flows``), which hold no cache. The physics of those
functions is pinned by the other tests of this folder.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from thermoflux import BoseEinstein, NonThermal
from thermoflux.io import load_config
from thermoflux.master_equation import Field, StochasticLimit, System
from thermoflux.master_equation import stationary as st
from thermoflux.master_equation.config import model_from_config
from thermoflux.master_equation.currents import build_flows, transition_currents
from thermoflux.master_equation.generator import pauli_rate_matrix

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "master_equation.toml"


def degenerate_model(rng: np.random.Generator) -> StochasticLimit:
    """Two degenerate excited levels: the stationary state has coherences that feed the currents."""
    d = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    fields = {"a": Field(BoseEinstein(beta=0.4), lambda w: 0.2 * w), "b": Field(BoseEinstein(beta=2.0), 0.1)}
    return StochasticLimit(System([0.0, 1.0, 1.0, 2.0], {"a": d, "b": d.conj()}), fields)


def one_way_model() -> StochasticLimit:
    """A vacuum field: one-way transitions (to_dataset falls back to the current criterion)."""
    vacuum = NonThermal(lambda e: np.zeros_like(e), "boson")
    return StochasticLimit(System([0.0, 1.0], {"a": [[0, 1], [0, 0]]}), {"a": Field(vacuum, 0.1)})


MODELS = {
    "generic": lambda make_model, rng: make_model(rng, 5),
    "lamb_shift": lambda make_model, rng: make_model(rng, 4, lamb_shift=True),
    "degenerate": lambda make_model, rng: degenerate_model(rng),
    "one_way": lambda make_model, rng: one_way_model(),
}


def uncached_state(model: StochasticLimit) -> np.ndarray:
    """The stationary state from the module functions, bypassing every cache of the model."""
    if model.system.has_degenerate_levels:
        return st.gksl_stationary(model.liouvillian(), model.n_levels, sector=model._zero_sector())
    return st.stationary_populations(pauli_rate_matrix(model.transitions, model.n_levels))


@pytest.mark.parametrize("name", MODELS)
def test_to_dataset_equals_the_uncached_solve_exactly(name, make_model, rng):
    model = MODELS[name](make_model, rng)
    ds = model.to_dataset()
    state = uncached_state(model)
    pops = np.real(np.diag(state)) if state.ndim == 2 else state
    cur = transition_currents(model.transitions, state)
    flows = build_flows(model.system, model.fields, model.transitions, cur, method="master_equation")
    names = list(model.system.field_names)
    # tolerance 0: the cache reuses the same arithmetic on the same inputs
    np.testing.assert_array_equal(ds["populations"].values, pops)
    np.testing.assert_array_equal(ds["particle_current"].values, [flows.particle[k] for k in names])
    np.testing.assert_array_equal(ds["energy_current"].values, [flows.energy[k] for k in names])
    np.testing.assert_array_equal(ds["entropy_flow"].values, [flows.entropy[k] for k in names])
    assert ds["entropy_production"].item() == flows.entropy_production
    t = model.transitions
    micro = np.zeros((len(names), model.n_levels, model.n_levels))
    np.add.at(micro, (t.field, t.upper, t.lower), cur * t.omega)
    np.testing.assert_array_equal(ds["micro_energy_current"].values, micro)


@pytest.mark.parametrize("name", MODELS)
def test_every_observable_equals_a_fresh_model(name, make_model):
    """One model asked everything, in an order that fills the caches first, against a fresh model per call."""
    def fresh() -> StochasticLimit:
        return MODELS[name](make_model, np.random.default_rng(20260123))

    calls = {
        "populations": lambda m: m.stationary_populations(),
        "populations_pauli": lambda m: m.stationary_populations(solver="pauli"),
        "state_sector": lambda m: m.stationary_state(solver="sector"),
        "state_pauli": lambda m: m.stationary_state(solver="pauli"),
        "rate_matrix": lambda m: m.pauli_rate_matrix().toarray(),
        "transition_currents": lambda m: m.transition_currents(),
        "micro_particle": lambda m: m.micro_currents("particle").values,
        "micro_energy": lambda m: m.micro_currents("energy", layout="transitions").values,
        "heat": lambda m: np.array(list(m.flows(check=False).heat.values())),
        "beta_s": lambda m: m.temperature_function().values,
        "balanced": lambda m: np.array(m.satisfies_detailed_balance(criterion="currents")),
        "coherence_decay": lambda m: m.coherence_decay()["decay_rate"].values,
    }
    shared = fresh()
    shared.to_dataset()  # fills every cache
    for key, call in calls.items():
        # tolerance 0: the same arithmetic; NaN (beta_s at the reference level) equals NaN
        np.testing.assert_array_equal(call(shared), call(fresh()), err_msg=key)


def test_a_temperature_sweep_through_run_config_equals_fresh_solves():
    """200 hot temperatures through ``sweep.run`` vs the uncached module functions per point."""
    from thermoflux import sweep

    config = load_config(EXAMPLE)
    temps = np.linspace(1.0, 3.0, 200)
    ds = sweep.run(sweep.ConfigTask(config), {"reservoirs.hot.temperature": temps}, executor="serial",
                   summary=False)
    for i, temp in enumerate(temps):
        point = copy.deepcopy(config)
        point["reservoirs"]["hot"]["temperature"] = float(temp)
        model = model_from_config(point)
        pops = st.stationary_populations(pauli_rate_matrix(model.transitions, model.n_levels))
        # tolerance 0: each point's model solves once; a value left from another point would differ
        np.testing.assert_array_equal(ds["populations"].isel({"reservoirs.hot.temperature": i}).values, pops)
    assert np.unique(ds["populations"].values[:, 1]).size == temps.size  # the points really differ


def test_the_model_cannot_change_after_construction(make_model, rng):
    model = make_model(rng, 3)
    first = model.stationary_populations()
    for name in ("system", "fields", "transitions", "picture", "lamb_shift"):
        with pytest.raises(AttributeError, match="fixed at construction"):
            setattr(model, name, getattr(model, name))
    with pytest.raises(TypeError):
        model.fields["hot"] = model.fields["cold"]
    with pytest.raises(ValueError, match="read-only"):
        model.transitions.emission[0] = 1.0
    np.testing.assert_array_equal(model.stationary_populations(), first)


def test_returned_arrays_are_copies(make_model, rng):
    """Changing what a method returned must not change the model's cached state."""
    model = make_model(rng, 4)
    before = model.to_dataset()
    generator = model.liouvillian().toarray()
    model.stationary_populations()[:] = 0.25
    model.stationary_state()[:] = 0.0
    model.transition_currents()[:] = 0.0
    model.pauli_rate_matrix().data[:] = 0.0
    model.liouvillian().data[:] = 0.0
    model.micro_currents("particle", layout="transitions").values[:] = 0.0
    after = model.to_dataset()
    for var in ("populations", "particle_current", "micro_particle_current", "temperature_function"):
        np.testing.assert_array_equal(after[var].values, before[var].values, err_msg=var)  # exact: same cache
    np.testing.assert_array_equal(model.liouvillian().toarray(), generator)  # exact: the cached generator


def test_degenerate_populations_are_a_writable_copy(rng):
    """With degenerate levels the populations come from the cached ρ_S: the caller gets a copy."""
    model = degenerate_model(rng)
    before = model.stationary_populations().copy()
    for solver in ("auto", "gksl"):
        pops = model.stationary_populations(solver=solver)
        pops[:] = 0.25  # a read-only view of the cache would raise here
    np.testing.assert_array_equal(model.stationary_populations(), before)  # exact: same cache

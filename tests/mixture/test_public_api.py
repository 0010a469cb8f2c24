"""Every name listed in thermoflux.mixture.__all__ imports and is documented; analyses are methods."""

from __future__ import annotations

import thermoflux.mixture as mixture
from thermoflux.mixture import MixtureState


def test_every_public_name_imports_and_has_a_docstring():
    for name in mixture.__all__:
        obj = getattr(mixture, name)
        if callable(obj):
            assert obj.__doc__, name
    assert sorted(mixture.__all__) == sorted(
        ["MixtureState", "WeightFunction", "step_weights", "gaussian_weights", "check_weights", "EquilibriumCheck"])


def test_each_analysis_exists_once_as_a_documented_method():
    for name in ("flows", "noise", "current_cumulants", "lorenz_number", "conductances", "fcs_probabilities",
                 "generating_function", "counting_distribution", "entropy_production_moment",
                 "entropy_production_distribution", "density_response", "linear_response_density",
                 "linear_response_current", "equilibrium_check"):
        method = getattr(MixtureState, name)
        assert method.__doc__ and not hasattr(mixture, name), name

"""Every name listed in thermoflux.mixture.__all__ imports and is documented."""

from __future__ import annotations

import thermoflux.mixture as mixture


def test_every_public_name_imports_and_has_a_docstring():
    for name in mixture.__all__:
        obj = getattr(mixture, name)
        if callable(obj):
            assert obj.__doc__, name
    from thermoflux.mixture import (  # noqa: F401
        LORENZ_FREE_ELECTRON, EquilibriumCheck, MixtureState, WeightFunction, check_weights, conductances,
        counting_distribution, current_cumulant, density_response, entropy_production_distribution,
        entropy_production_moment, equilibrium_check, fcs_probabilities, gaussian_weights, generating_function,
        linear_response_current, linear_response_density, lorenz_number, mode_cumulant_polynomial, noise,
        step_weights,
    )
    assert len(mixture.__all__) == len(set(mixture.__all__)) == 21

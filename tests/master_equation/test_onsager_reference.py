"""Onsager coefficients (seed 002, eq. 57) against central differences of the public ``flows()``.

Two Bose fields share one coupling operator D and spectral density J, at β_1,2 = β_0 ± δβ/2 and
μ_1,2 = μ_0 ∓ δμ/2 (eq. 48). The fluxes J_{1→2} = ½(J_2 − J_1) (J_j quanta emitted into field j)
and J^Q_{1→2} = J^E_{1→2} − μ_0 J_{1→2} are read from ``StochasticLimit.flows()`` (DESIGN sign:
``particle[j]`` flows out of field j, so J_{1→2} = ½(particle["1"] − particle["2"])) and from the
public ``micro_currents``, with the full nonlinear stationary state at every displaced point. No
helper of ``linear_response`` (model builder, finite differences, sign conventions) is used.
"""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import BoseEinstein
from thermoflux.master_equation import Field, StochasticLimit, System, onsager_coefficients

STEP = 1e-3  # displacement of δμ and of δβ/β_0 (Bohr frequencies are O(1))


def spectral(w):
    return 0.2 * w * np.exp(-w / 5.0)


def random_coupling(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))


def displaced_model(energies, coupling, beta0: float, mu0: float, delta_mu: float,
                    thermal_force: float) -> StochasticLimit:
    """The two-field model at δμ and δβ/β_0 = ``thermal_force``, built from the public API only."""
    delta_beta = thermal_force * beta0
    fields = {"1": Field(BoseEinstein(beta=beta0 + delta_beta / 2, mu=mu0 - delta_mu / 2), spectral),
              "2": Field(BoseEinstein(beta=beta0 - delta_beta / 2, mu=mu0 + delta_mu / 2), spectral)}
    return StochasticLimit(System(energies, {"1": coupling, "2": coupling}), fields)


def macro_fluxes(model: StochasticLimit, mu0: float) -> np.ndarray:
    """[J_{1→2}, J^Q_{1→2}] from Flows (out-of-field sign)."""
    flows = model.flows()
    particle = 0.5 * (flows.particle["1"] - flows.particle["2"])
    energy = 0.5 * (flows.energy["1"] - flows.energy["2"])
    return np.array([particle, energy - mu0 * particle])


def micro_fluxes(model: StochasticLimit, mu0: float, upper, lower, omega) -> np.ndarray:
    """[J_{1→2,mn}, J^Q_{1→2,mn}] per transition (m, n) = (upper, lower), from micro_currents (into-field sign)."""
    emitted = model.micro_currents("particle").values  # (field, upper, lower)
    particle = 0.5 * (emitted[1, upper, lower] - emitted[0, upper, lower])
    return np.stack([particle, (omega - mu0) * particle])


def central_differences(fluxes, step: float = STEP) -> np.ndarray:
    """∂fluxes/∂(δμ, δβ/β_0) at 0 by central differences; last axis is the force."""
    by_mu = (fluxes(step, 0.0) - fluxes(-step, 0.0)) / (2 * step)
    by_beta = (fluxes(0.0, step) - fluxes(0.0, -step)) / (2 * step)
    return np.stack([by_mu, by_beta], axis=-1)


CASES = {  # (levels, β_0, μ_0); μ_0 ≠ 0 makes the reference state non-Gibbs (cycles carry currents)
    "gibbs-reference": (np.array([0.0, 0.9, 1.7, 2.6]), 1.2, 0.0),
    "nonequilibrium-reference": (np.array([0.0, 0.8, 1.9, 2.9]), 0.8, -0.3),
    # degenerate levels 1, 2 and μ_0 ≠ 0: the reference state has a coherence |ρ̃_12| = 1.4e-2 that
    # carries current through the grouped jump operator E_ω (eq. 15b), beyond ρ̃_mm − ρ̃_nn of eq. 57b
    "degenerate-coherent-reference": (np.array([0.0, 1.0, 1.0, 2.3]), 0.8, -0.3),
}


@pytest.mark.parametrize("case", list(CASES))
def test_macro_onsager_matrix_equals_differences_of_flows(rng, case):
    energies, beta0, mu0 = CASES[case]
    coupling = random_coupling(rng, energies.size)
    analytic = onsager_coefficients(System(energies, {"d": coupling}), spectral, beta=beta0, mu=mu0).onsager.values
    scale = np.abs(analytic).max()  # entries are all O(0.1) here; the floor is relative to the largest
    if case.startswith("degenerate"):
        reference = displaced_model(energies, coupling, beta0, mu0, 0.0, 0.0).stationary_state()
        assert abs(reference[1, 2]) > 1e-2  # the coherence this case is about

    def fluxes(delta_mu, thermal_force):
        return macro_fluxes(displaced_model(energies, coupling, beta0, mu0, delta_mu, thermal_force), mu0)

    numeric = central_differences(fluxes)
    # truncation STEP² f'''/6: the error scales as h² over h = 1e-2..1e-4, 0.06-0.21 h² of the
    # largest entry, i.e. 0.6-2.1e-7 at h = 1e-3 (measured); rounding ~1e-16/h = 1e-13
    np.testing.assert_allclose(numeric, analytic, rtol=0, atol=1e-6 * scale)
    # Richardson (4 D(h) − D(2h))/3 removes the h² term: O(h⁴) ~ 1e-13 plus rounding; measured
    # 1.6-2.1e-13 of the largest entry
    extrapolated = (4 * numeric - central_differences(fluxes, 2 * STEP)) / 3
    np.testing.assert_allclose(extrapolated, analytic, rtol=0, atol=2e-12 * scale)
    # Onsager reciprocity (eq. 58) from the differences alone: measured 0.5-1.9e-13
    assert abs(extrapolated[0, 1] - extrapolated[1, 0]) < 2e-12 * scale


@pytest.mark.parametrize("case", list(CASES))
def test_per_transition_coefficients_equal_differences_of_micro_currents(rng, case):
    energies, beta0, mu0 = CASES[case]
    coupling = random_coupling(rng, energies.size)
    coeffs = onsager_coefficients(System(energies, {"d": coupling}), spectral, beta=beta0, mu=mu0)
    upper, lower, omega = coeffs.upper.values, coeffs.lower.values, coeffs.omega.values
    analytic = np.stack([np.stack([coeffs.gamma.values, coeffs.l_coefficient.values], axis=-1),
                         np.stack([coeffs.l_coefficient.values, coeffs.m_coefficient.values], axis=-1)])
    scale = np.abs(analytic).max()

    def fluxes(delta_mu, thermal_force):
        model = displaced_model(energies, coupling, beta0, mu0, delta_mu, thermal_force)
        return micro_fluxes(model, mu0, upper, lower, omega)

    numeric = (4 * central_differences(fluxes) - central_differences(fluxes, 2 * STEP)) / 3
    # Richardson-extrapolated differences, as above: measured 1.7-3.0e-13 of the largest
    # coefficient (0.10-0.18; the smallest are ~2e-4, still checked to ~1e-9 relative)
    np.testing.assert_allclose(numeric, analytic, rtol=0, atol=3e-12 * scale)

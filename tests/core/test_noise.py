"""Noise: one zero-frequency noise type for every method (issue 13), its batch axes and Dataset."""

from __future__ import annotations

import numpy as np
import pytest

import thermoflux as tf
from thermoflux import FermiDirac, InputError, Noise
from thermoflux.landauer import Junction, from_hamiltonian, lorentzian
from thermoflux.mixture import MixtureState, gaussian_weights

# A three-terminal junction without any symmetry between its leads, so every S_αβ differs and a
# mislabelled row or column shows.
HAMILTONIAN = np.array([[0.1, 0.25 + 0.1j], [0.25 - 0.1j, -0.2]])
COUPLINGS = {"a": [0.3, 0.0], "b": [0.05, 0.2], "c": [0.0, 0.12]}
LEADS = {"a": FermiDirac(temperature=0.2, mu=0.4), "b": FermiDirac(temperature=0.3, mu=-0.1),
         "c": FermiDirac(temperature=0.5, mu=0.05)}


def test_mixture_batch_is_one_matrix_per_parameter_point_eq_119():
    # Equilibrium states on a 2 x 3 grid of (β, μ): seed 000, eq. 119, P_0 = 1/(πβ(1 + e^{−βμ})),
    # in every leading cell; rows sum to zero (I_1 = −I_0, eq. 77).
    beta = np.array([[0.5], [2.0]])
    mu = np.array([0.0, 1.3, -4.0])
    state = MixtureState({"hot": FermiDirac(beta=beta, mu=mu), "cold": FermiDirac(beta=beta, mu=mu)},
                         gaussian_weights(0.3))
    noise = state.noise()
    assert isinstance(noise, Noise) and noise.reservoirs == ("hot", "cold") and noise.counting == "particle"
    assert noise.matrix.shape == (2, 3, 2, 2) and noise.batch_shape == (2, 3)
    closed = 1.0 / (np.pi * beta * (1 + np.exp(-beta * mu)))
    # the panel quadrature of eq. 117 against the closed form: measured 2.2e-16 relative
    np.testing.assert_allclose(noise["hot", "hot"], closed, rtol=2e-15, atol=0)
    np.testing.assert_allclose(noise["cold", "cold"], closed, rtol=2e-15, atol=0)
    np.testing.assert_array_equal(noise["hot", "cold"], -noise["hot", "hot"])
    ds = noise.to_dataset(batch_dims=("beta", "mu"))
    assert ds["noise"].dims == ("beta", "mu", "reservoir", "reservoir_")
    np.testing.assert_array_equal(ds["noise"].sel(reservoir="cold", reservoir_="hot"), noise["cold", "hot"])
    assert noise.to_dataset()["noise"].dims == ("point_0", "point_1", "reservoir", "reservoir_")


def test_junction_noise_entries_are_the_second_cumulants_by_name():
    # Büttiker's S_αα (noise) against κ_2 of the Levitov–Lesovik determinant (another route),
    # looked up by name in the Noise and in its Dataset: a swapped row or column would fail.
    junction = Junction(LEADS, from_hamiltonian(HAMILTONIAN, COUPLINGS))
    noise = junction.noise()
    assert noise.reservoirs == ("a", "b", "c") and noise.thermal is None and noise.shot is None
    ds = noise.to_dataset()
    diagonal = [noise[k, k] for k in LEADS]
    assert min(diagonal) > 1e-4 and max(diagonal) > 1.2 * min(diagonal)   # distinct, far from 0
    for lead in LEADS:
        kappa2 = junction.current_cumulants(lead, 2)[2]
        # two formulas on the same nodes: rounding, measured <= 1.3e-15
        assert noise[lead, lead] == pytest.approx(kappa2, rel=1e-14)
        assert float(ds["noise"].sel(reservoir=lead, reservoir_=lead)) == noise[lead, lead]
        # current conservation: every row sums to zero (entries ~3e-2, rounding measured 6e-17)
        assert abs(float(ds["noise"].sel(reservoir=lead).sum())) < 1e-15
    assert ds["noise"].attrs["units"] == "1/time" and ds.attrs["counting"] == "particle"
    for key in ("method", "software_version", "units", "sign_convention"):
        assert key in ds.attrs, key


def test_two_terminal_parts_and_energy_counting_units():
    res = {"L": FermiDirac(temperature=0.25, mu=0.1), "R": FermiDirac(temperature=0.25, mu=0.1)}
    junction = Junction(res, lorentzian(0.3, {"L": 0.2, "R": 0.1}))
    ds = junction.noise().to_dataset()
    assert set(ds.data_vars) == {"noise", "thermal_noise", "shot_noise"}
    # FDT at equilibrium: S_LL = 2 T G, all thermal; same nodes, f(1 − f) = T(−f'): rounding only
    # (measured 0; 1e-14 leaves room for another machine's rounding)
    conductance = junction.onsager_matrix("R").conductance
    assert float(ds["thermal_noise"].sel(reservoir="L", reservoir_="L")) == pytest.approx(2 * 0.25 * conductance,
                                                                                          rel=1e-14)
    assert float(np.abs(ds["shot_noise"]).max()) == 0.0
    energy = junction.noise(counting="energy")
    assert energy.counting == "energy" and energy.units == "energy^2/time"
    assert energy.to_dataset()["noise"].attrs["units"] == "energy^2/time"


def test_noise_is_defined_once_in_the_core():
    import thermoflux.flows
    import thermoflux.landauer

    assert tf.Noise is thermoflux.flows.Noise and "Noise" not in thermoflux.landauer.__all__


@pytest.mark.parametrize("kwargs, match", [
    ({"reservoirs": ("a", "b"), "matrix": np.zeros((3, 3))}, "matrix must have shape"),
    ({"reservoirs": ("a", "b"), "matrix": np.zeros(2)}, "matrix must have shape"),
    ({"reservoirs": ("a", "a"), "matrix": np.zeros((2, 2))}, "reservoirs must be distinct"),
    ({"reservoirs": "ab", "matrix": np.zeros((2, 2))}, "reservoirs must be a sequence"),
    ({"reservoirs": ("a", "b"), "matrix": np.zeros((2, 2)), "counting": "charge"}, "counting"),
    ({"reservoirs": ("a", "b"), "matrix": np.zeros((2, 2)), "thermal": np.zeros((3, 2, 2))}, "thermal"),
    ({"reservoirs": ("a", "b"), "matrix": np.full((2, 2), np.nan)}, "matrix must be finite"),
])
def test_bad_construction_is_refused(kwargs, match):
    with pytest.raises(InputError, match=match):
        Noise(**kwargs)


def test_bad_lookups_are_refused():
    noise = Noise(("a", "b"), np.ones((4, 2, 2)))
    assert noise["a", "b"].shape == (4,)
    with pytest.raises(InputError, match="column must be one of"):
        noise["a", "x"]
    with pytest.raises(InputError, match="two reservoir names"):
        noise["a"]
    with pytest.raises(InputError, match="batch_dims"):
        noise.to_dataset(batch_dims=("x", "y"))
    assert noise.to_dataset()["noise"].dims == ("point", "reservoir", "reservoir_")

"""System and Field: validation, diagonalization, rates from log-odds at the edges."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from thermoflux import BoseEinstein, FermiDirac, InputError, NonThermal, TemperatureFunction
from thermoflux.master_equation import Field, StochasticLimit, System


def test_coupling_of_wrong_shape_raises():
    with pytest.raises(InputError, match=r"couplings\['a'\] must have shape \(3, 3\)"):
        System([0.0, 1.0, 2.0], {"a": np.ones((2, 2))})


def test_empty_couplings_and_nan_energies_raise():
    with pytest.raises(InputError, match="couplings"):
        System([0.0, 1.0], {})
    with pytest.raises(InputError, match="energies"):
        System([0.0, np.nan], {"a": np.ones((2, 2))})


def test_negative_spectral_density_raises_naming_field():
    system = System([0.0, 1.0], {"bath": [[0, 1], [0, 0]]})
    with pytest.raises(InputError, match="spectral_density must be non-negative"):
        Field(BoseEinstein(beta=1.0), -0.5)
    field = Field(BoseEinstein(beta=1.0), lambda w: -w)
    with pytest.raises(InputError, match="spectral_density of field 'bath'"):
        StochasticLimit(system, {"bath": field})


def test_bose_field_with_negative_occupation_at_bohr_frequency_raises():
    system = System([0.0, 1.0], {"bath": [[0, 1], [0, 0]]})
    with pytest.raises(InputError, match="field 'bath'"):
        StochasticLimit(system, {"bath": Field(BoseEinstein(beta=1.0, mu=1.5), 1.0)})
    bad = NonThermal(lambda e: -0.1 * np.ones_like(e), "boson")
    with pytest.raises(InputError, match="occupation"):
        StochasticLimit(system, {"bath": Field(bad, 1.0)})


def test_fields_must_match_couplings():
    system = System([0.0, 1.0], {"bath": [[0, 1], [0, 0]]})
    with pytest.raises(InputError, match="coupled field names"):
        StochasticLimit(system, {"other": Field(BoseEinstein(beta=1.0), 1.0)})


def test_matrix_hamiltonian_is_diagonalized_and_couplings_transformed():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    h = a + a.conj().T
    d = rng.normal(size=(4, 4))
    system = System(h, {"x": d})
    evals, vecs = np.linalg.eigh(h)
    np.testing.assert_allclose(system.energies, evals, rtol=1e-12)
    # invariant: |<n|D|m>|^2 in the eigenbasis, independent of eigenvector phases (rounding of eigh)
    np.testing.assert_allclose(np.abs(system.couplings["x"].toarray()), np.abs(vecs.conj().T @ d @ vecs), rtol=0, atol=1e-12)


def test_sparse_coupling_accepted_and_one_level_system():
    system = System([0.0, 1.0, 3.0], {"x": sp.csr_array(np.triu(np.ones((3, 3)), 1))})
    assert system.couplings["x"].nnz == 3
    one = System([0.3], {"x": [[1.0]]})
    model = StochasticLimit(one, {"x": Field(BoseEinstein(beta=1.0), 1.0)})
    np.testing.assert_array_equal(model.stationary_populations(), [1.0])
    assert model.transitions.size == 0  # ω = 0 is not resonant for a boson field (eq. 22c)


def test_rates_exact_at_extreme_log_odds():
    # β(ω−μ) = 1e4: the Bose occupation underflows to 0 exactly, emission stays J (1 + 0).
    emit, absorb = Field(BoseEinstein(beta=1e4), 2.0).rates(np.array([1.0]))
    assert emit[0] == 2.0 and absorb[0] == 0.0
    # Fermi lead deep below/above μ: rates exactly J and 0 (no 1 - f cancellation).
    emit, absorb = Field(FermiDirac(beta=1e3, mu=0.0), 1.0).rates(np.array([-1.0, 1.0]))
    np.testing.assert_array_equal(emit, [0.0, 1.0])
    np.testing.assert_array_equal(absorb, [1.0, 0.0])
    # Detailed-balance ratio from the exponent: Γ+/Γ− = e^{-x} to rounding, even at x = 600.
    field = Field(TemperatureFunction(lambda w: 300.0 + 0 * w), 1.0)
    emit, absorb = field.rates(np.array([2.0]))
    assert np.log(absorb[0]) - np.log(emit[0]) == pytest.approx(-600.0, rel=1e-14)  # rounding only


def test_fermion_field_keeps_negative_bohr_frequencies():
    # a dot level below μ: |1> has lower energy than |0>, D = c = |0><1| has ω = -0.5 < 0
    system = System([0.0, -0.5], {"lead": [[0, 1], [0, 0]]}, particle_numbers=[0, 1])
    model = StochasticLimit(system, {"lead": Field(FermiDirac(beta=2.0, mu=0.0), 0.1)})
    assert model.transitions.size == 1 and model.transitions.omega[0] == -0.5
    p = model.stationary_populations()
    # equilibrium with one lead: occupation of the dot = f(ε_d) (rounding of a 2-state solve)
    assert p[1] == pytest.approx(1.0 / (np.exp(2.0 * -0.5) + 1.0), rel=1e-13)

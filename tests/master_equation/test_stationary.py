"""Stationary states: GTH and sparse LU against closed forms and a dense null vector; uniqueness."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as la
import scipy.sparse as sp

from thermoflux import BoseEinstein, ConvergenceError, NonThermal
from thermoflux.master_equation import Field, StochasticLimit, System
from thermoflux.master_equation.stationary import gth_stationary


def chain(n, beta, spacing=1.0, *, spectral=0.3):
    energies = spacing * np.arange(n, dtype=float)
    d = sp.diags_array(np.ones(n - 1), offsets=1, shape=(n, n))  # ⟨l|D|l+1⟩ = 1: nearest neighbour
    return StochasticLimit(System(energies, {"bath": d}), {"bath": Field(BoseEinstein(beta=beta), spectral)})


def test_pauli_stationary_equals_dense_null_vector(make_model, rng):
    model = make_model(rng, 7)
    w = model.pauli_rate_matrix().toarray()
    null = la.null_space(w)
    assert null.shape[1] == 1
    ref = null[:, 0] / null[:, 0].sum()
    np.testing.assert_allclose(model.stationary_populations(), ref, rtol=1e-10)  # SVD rounding


def test_single_thermal_field_gives_gibbs_to_full_relative_accuracy():
    # populations down to e^{-500} ~ 1e-217: GTH is subtraction-free, every one is exact to rounding
    beta, n = 10.0, 51
    model = chain(n, beta)
    p = model.stationary_populations()
    e = model.system.energies
    gibbs = np.exp(-beta * e) / np.exp(-beta * e).sum()
    assert p.min() > 0
    np.testing.assert_allclose(p, gibbs, rtol=1e-12)  # ~n rounding steps of 1e-16


def test_sparse_path_for_large_chain_matches_gibbs():
    beta, n = 0.05, 900  # above GTH_MAX: sparse LU path
    model = chain(n, beta, spacing=0.1)
    p = model.stationary_populations()
    e = model.system.energies
    gibbs = np.exp(-beta * e) / np.exp(-beta * e).sum()
    np.testing.assert_allclose(p, gibbs, rtol=1e-9)  # LU of a tridiagonal generator, 900 steps of rounding
    assert np.all(p >= 0)


def test_gth_rejects_reducible_chain():
    with pytest.raises(ConvergenceError, match="reducible"):
        gth_stationary(np.array([[0.0, 1.0], [0.0, 0.0]]))


def test_not_unique_stationary_state_reports_null_space_dimension():
    d = np.zeros((4, 4))
    d[0, 1] = d[2, 3] = 1.0  # two disconnected two-level blocks
    model = StochasticLimit(System([0.0, 1.0, 2.5, 4.0], {"b": d}), {"b": Field(BoseEinstein(beta=1.0), 0.2)})
    with pytest.raises(ConvergenceError, match="null space of dimension 2"):
        model.stationary_populations()
    with pytest.raises(ConvergenceError, match="not unique"):
        model.stationary_state(solver="full")


def test_transient_levels_get_exactly_zero_at_zero_temperature():
    vacuum = NonThermal(lambda e: np.zeros_like(e), "boson")  # n = 0: only emission
    d = np.triu(np.ones((4, 4)), 1)
    model = StochasticLimit(System([0.0, 1.0, 2.2, 3.7], {"b": d}), {"b": Field(vacuum, 0.5)})
    np.testing.assert_array_equal(model.stationary_populations(), [1.0, 0.0, 0.0, 0.0])


def test_gksl_sector_full_and_dense_agree_with_degenerate_bohr_frequencies(rng):
    energies = np.array([0.0, 1.0, 2.0, 3.0])
    d = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    fields = {"a": Field(BoseEinstein(beta=0.4), lambda w: 0.2 * w), "b": Field(BoseEinstein(beta=3.0), 0.1)}
    model = StochasticLimit(System(energies, {"a": d, "b": d.T.copy()}), fields)
    lv = model.liouvillian().toarray()
    null = la.null_space(lv)
    assert null.shape[1] == 1
    ref = null[:, 0].reshape(4, 4, order="F")
    ref = ref / np.trace(ref)
    np.testing.assert_allclose(model.stationary_state(solver="full"), ref, rtol=0, atol=1e-11)  # SVD vs LU rounding
    np.testing.assert_allclose(model.stationary_state(solver="sector"), ref, rtol=0, atol=1e-11)
    np.testing.assert_allclose(model.stationary_populations(), np.diag(ref).real, rtol=0, atol=1e-11)


def test_degenerate_levels_use_gksl_populations(rng):
    # two degenerate excited levels coupled to the ground state: coherences between them matter
    energies = np.array([0.0, 1.0, 1.0])
    d = np.array([[0, 1.0, 0.6], [0, 0, 0], [0, 0, 0]], dtype=complex)
    d2 = np.array([[0, 0.3, -1.0], [0, 0, 0], [0, 0, 0]], dtype=complex)
    fields = {"a": Field(BoseEinstein(beta=0.5), 0.2), "b": Field(BoseEinstein(beta=2.0), 0.3)}
    model = StochasticLimit(System(energies, {"a": d, "b": d2}), fields)
    assert model.system.has_degenerate_levels
    rho = model.stationary_state(solver="full")
    np.testing.assert_allclose(model.stationary_populations(), np.diag(rho).real, rtol=0, atol=1e-12)  # LU rounding
    assert abs(rho[1, 2]) > 1e-3  # a real coherence in the degenerate subspace

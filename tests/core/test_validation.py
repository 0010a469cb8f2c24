"""Validation helpers: each names the argument and what was wrong."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import InputError
from thermoflux._validation import (as_finite, as_positive, as_real_array, call_user, check_callable,
                                    check_choice, check_hermitian, check_occupations)


@pytest.mark.parametrize("call, match", [
    (lambda: as_real_array([1, np.nan], "energies"), "energies must be finite"),
    (lambda: as_real_array([1j], "energies"), "energies must be real"),
    (lambda: as_real_array([[1.0]], "energies", ndim=1), r"energies must be 1-dimensional; got shape \(1, 1\)"),
    (lambda: as_real_array("abc", "energies"), "energies must be numeric"),
    (lambda: as_finite(np.inf, "mu"), "mu must be finite"),
    (lambda: as_finite(True, "mu"), "mu must be a real number"),
    (lambda: as_positive(-2.0, "beta"), "beta must be positive and finite; got beta=-2.0"),
    (lambda: as_positive(0.0, "rate"), "rate must be positive"),
    (lambda: check_hermitian(np.array([[0, 1], [0, 0]]), "H"), "H must be Hermitian"),
    (lambda: check_hermitian(np.zeros((2, 3)), "H"), "H must be a square matrix"),
    (lambda: check_occupations([0.5, 1.2], "f", "fermion"), r"f must lie in \[0, 1\]"),
    (lambda: check_occupations([-0.5], "n", "boson"), r"n must lie in \[0, inf\)"),
    (lambda: check_choice("x", "kind", ("a", "b")), "kind must be one of 'a', 'b'; got 'x'"),
    (lambda: check_callable(3, "transmission"), "transmission must be callable"),
    (lambda: call_user(lambda: 1 / 0, "weights"), "weights raised ZeroDivisionError"),
])
def test_messages_name_the_argument(call, match):
    with pytest.raises(InputError, match=match):
        call()


def test_accepted_values_pass_through():
    assert as_positive(0.0, "rate", allow_zero=True) == 0.0
    assert check_occupations([0.0, 1.0 + 1e-13], "f", "fermion", tol=1e-12).shape == (2,)
    np.testing.assert_array_equal(as_real_array([1 + 0j, 2], "x"), [1.0, 2.0])
    h = np.array([[1.0, 1j], [-1j, 2.0]])
    assert check_hermitian(h, "H") is h

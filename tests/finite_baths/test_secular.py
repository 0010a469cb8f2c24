"""Secular-equation spectrum of a rank-one compression vs eigvalsh of the compressed matrix."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from thermoflux import InputError
from thermoflux.entropy import fermionic_gaussian_entropy, mode_entropy
from thermoflux.finite_baths.secular import compression_eigenvalues


def _random_case(rng, g):
    n = g.size
    q, _ = np.linalg.qr(rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n)))
    c = (q * g) @ q.conj().T
    return c, np.abs(q[0, :]) ** 2


@given(seed=st.integers(0, 10_000), n=st.integers(1, 60), kind=st.sampled_from(["spread", "pure", "saturated"]))
def test_matches_eigvalsh(seed, n, kind):
    rng = np.random.default_rng(seed)
    if kind == "spread":
        g = rng.random(n)
    elif kind == "pure":
        g = rng.integers(0, 2, n).astype(float)  # degenerate poles 0 and 1 only
    else:
        g = 1 / (np.exp(rng.uniform(-80, 80, n)) + 1)  # many poles within 1e-30 of 0 or 1
    c, w = _random_case(rng, g)
    ref = np.linalg.eigvalsh(0.5 * (c[1:, 1:] + c[1:, 1:].conj().T))
    got = compression_eigenvalues(g, w)
    assert got.shape == (n - 1,)
    # eigvalsh's own error is ~n eps; the secular roots are accurate to a few eps.
    assert np.max(np.abs(got - ref), initial=0.0) < 1e-13
    s_ref = fermionic_gaussian_entropy(c[1:, 1:]) if n > 1 else 0.0
    s_got = float(np.sum(mode_entropy(got, "fermion")))
    assert abs(s_got - s_ref) < 1e-11  # entropy of near-0/1 eigenvalues amplifies 1e-13 by ~30


def test_zero_weights_are_deflated():
    g = np.array([0.1, 0.4, 0.4, 0.9])
    w = np.array([1.0, 0.0, 0.0, 0.0])  # v is an eigenvector: the compression keeps the others
    assert np.allclose(compression_eigenvalues(g, w), [0.4, 0.4, 0.9], atol=0)


def test_bad_input():
    with pytest.raises(InputError):
        compression_eigenvalues([0.1, 0.2], [0.5, -0.1])
    with pytest.raises(InputError):
        compression_eigenvalues([0.1, 0.2], [0.0, 0.0])


def test_lapack_roots_match_the_numpy_iteration():
    """Two implementations of the middle way (LAPACK dlaed4 at ρ = 1e100, the NumPy iteration)
    agree root by root on a paper-like spectrum: Fermi poles crowding towards 0 and 1."""
    from thermoflux.finite_baths.secular import _dlaed4, _lapack_roots, _numpy_roots

    assert _dlaed4() is not None  # the fast path is reachable with the pinned SciPy
    rng = np.random.default_rng(15)
    x = np.sort(rng.uniform(-30, 30, 400))
    d = np.unique(1 / (np.exp(x) + 1))
    w = rng.random(d.size) ** 3
    w /= w.sum()
    fast = _lapack_roots(d, w)
    slow = _numpy_roots(d, w, 80, 64)
    assert fast is not None and fast.shape == (d.size - 1,)
    # both solve to a few eps of the root (measured max difference ~2e-16)
    assert np.max(np.abs(fast - slow)) < 1e-14
    assert np.all((fast >= d[:-1]) & (fast <= d[1:]))  # interlacing

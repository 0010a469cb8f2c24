"""Exact propagation: structured blocks vs dense, dense vs expm, conservation at Γt = 1e8."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import expm

from thermoflux import FermiDirac
from thermoflux.finite_baths import QuadraticModel, resonant_level, simulate, thermal_state
from thermoflux.finite_baths.dynamics import Propagator, correlation_matrix

RES = {"L": FermiDirac(beta=10.0, mu=1.0), "R": FermiDirac(beta=2.0, mu=-1.0)}


@pytest.mark.parametrize("t", [0.0, 0.05, 3.0, 250.0])
def test_dense_matches_expm(t):
    """Eigendecomposition propagation vs scipy's expm (a different algorithm), moderate t."""
    m = resonant_level(15, 10.0, 3.0)
    occ = thermal_state(m, RES).occupations
    h = m.hamiltonian()
    ref = expm(1j * h * t) @ np.diag(occ) @ expm(-1j * h * t)  # eq. 19, real 𝓗
    # expm's scaling-and-squaring error grows with ‖tH‖; 1e-9 covers t = 250.
    assert np.max(np.abs(correlation_matrix(m, occ, t) - ref)) < 1e-9


@pytest.mark.parametrize("t", [0.0, 0.3, 40.0, 1e5, 3e7])
def test_structured_blocks_match_dense(t):
    rng = np.random.default_rng(3)
    m = resonant_level({"L": 21, "R": 17}, 10.0, {"L": 3.0, "R": 5.0}, 0.4)
    occ = rng.random(m.size)
    p = Propagator(m, occ)
    snap = p.snapshot(t)
    dense = p.dense_g(t)
    sl = m.bath_slices
    # Both are round-off-level approximations of the same U(t); elements agree to ~1e-14.
    assert np.max(np.abs(snap.bath_diagonal() - np.diag(dense)[1:].real)) < 1e-12
    for a in sl.values():
        for b in sl.values():
            assert np.max(np.abs(snap.block(a, b) - dense[a, b])) < 1e-12
    assert abs(snap.total_energy() - np.real(np.trace(m.hamiltonian() @ dense))) < 1e-11


def test_degenerate_symmetric_baths_and_multilevel_complex_system():
    rng = np.random.default_rng(11)
    hs = np.array([[0.2, 0.3 + 0.1j], [0.3 - 0.1j, -0.4]])
    eps = np.linspace(-2, 2, 9)
    m = QuadraticModel(hs, {"a": eps, "b": eps.copy()},
                       {"a": rng.normal(size=(9, 2)) + 1j * rng.normal(size=(9, 2)), "b": rng.normal(size=(9, 2))})
    occ = rng.random(m.size)
    p = Propagator(m, occ)
    for t in (0.9, 77.0):
        snap, dense = p.snapshot(t), p.dense_g(t)
        sl = m.bath_slices
        assert np.max(np.abs(snap.block(sl["a"], sl["b"]) - dense[sl["a"], sl["b"]])) < 1e-12  # round-off
        assert np.max(np.abs(snap.system_block - dense[:2, :2])) < 1e-12


def test_conservation_at_longest_time():
    """Issue 4: Hermiticity, particle number and total energy conserved to <= 1e-9 relative at Γt = 1e8."""
    gamma = 3.0
    m = resonant_level(60, 10.0, gamma)
    st = thermal_state(m, RES)
    times = np.array([0.0, 1e8 / gamma])
    for solver in ("structured", "dense"):
        ds = simulate(m, st, times, solver=solver, site_occupations=False)
        e, n = ds.total_energy.values, ds.total_particles.values
        assert abs(e[1] - e[0]) <= 1e-9 * abs(e[0])
        assert abs(n[1] - n[0]) <= 1e-9 * abs(n[0])
        assert float(ds.hermiticity_error[1]) <= 1e-9
    # The dense 𝒞(t) itself is Hermitian with the conserved trace.
    c = correlation_matrix(m, st.occupations, 1e8 / gamma)
    assert np.max(np.abs(c - c.conj().T)) <= 1e-9
    assert abs(np.trace(c).real - st.occupations.sum()) <= 1e-9 * st.occupations.sum()


def test_two_level_system_structured_equals_dense(identity_tolerance):
    """A double dot (n_S = 2, complex hopping) between two baths: both methods agree at every time."""
    hs = np.array([[0.3, 0.2 - 0.1j], [0.2 + 0.1j, -0.2]])
    eps = np.linspace(-3, 3, 12)
    m = QuadraticModel(hs, {"L": eps, "R": eps + 0.01},
                       {"L": np.column_stack([np.full(12, 0.3), np.zeros(12)]),
                        "R": np.column_stack([np.zeros(12), np.full(12, 0.25 + 0.05j)])})
    st = thermal_state(m, {"L": FermiDirac(beta=3.0, mu=0.5), "R": FermiDirac(beta=1.0, mu=-0.5)}, [0.0, 1.0])
    times = np.array([0.0, 0.5, 7.0, 1e4])
    a = simulate(m, st, times)
    b = simulate(m, st, times, solver="dense")
    # Round-off of both methods (conftest.py): measured 1.1e-13 (entropies) and 7.8e-14 (eq. 12
    # residual) against 50 eps Σ|x| = 8.9e-13 (residual / (eps Σ|x|) reaches 6 here).
    tol = identity_tolerance(m, b, ulps=50)
    for name in ("entropy_produced", "system_bath_mutual_information", "bath_bath_mutual_information",
                 "intrabath_correlation", "system_entropy"):
        assert np.max(np.abs(a[name].values - b[name].values)) <= tol, name
    # same current formula on G columns equal to round-off: measured 5.6e-17, allowed 20 eps
    assert np.max(np.abs(a.energy_current.values - b.energy_current.values)) <= 20 * np.finfo(float).eps
    for ds in (a, b):
        assert np.max(np.abs(ds.decomposition_residual.values)) <= tol

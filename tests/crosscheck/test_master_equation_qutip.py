"""GKSL stationary state and Liouvillian of thermoflux.master_equation vs QuTiP for the same
Hamiltonian and collapse operators (QuTiP is a test extra, never imported by the library).

These take the jump operators and the Lamb shift from the library, so they check the assembly of
the generator and the solvers, not Δ itself; tests/master_equation/test_lamb_shift_reference.py
checks Δ between degenerate levels against closed forms and exact diagonalization."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import BoseEinstein
from thermoflux.master_equation import Field, StochasticLimit, System
from thermoflux.master_equation.balance import jump_operators

from required_extras import require

qutip = require("qutip")


def ladder_model(rng, lamb_shift=True):
    # degenerate levels 1, 2 and an equally spaced ladder (degenerate Bohr frequencies: grouped E_ω),
    # so the stationary state has coherences in the degenerate subspace
    energies = np.array([0.0, 1.0, 1.0, 2.0, 3.3])
    d = rng.normal(size=(5, 5)) + 1j * rng.normal(size=(5, 5))
    fields = {"hot": Field(BoseEinstein(beta=0.4), lambda w: 0.2 * w * np.exp(-w / 6)),
              "cold": Field(BoseEinstein(beta=2.0), lambda w: 0.1 * w * np.exp(-w / 6))}
    return StochasticLimit(System(energies, {"hot": d, "cold": d.conj()}), fields, lamb_shift=lamb_shift)


def qutip_problem(model):
    delta, ops = jump_operators(model)
    h = qutip.Qobj(np.diag(model.system.energies) + delta)
    return h, [qutip.Qobj(op) for op in ops]


def test_liouvillian_equals_qutip():
    model = ladder_model(np.random.default_rng(11))
    h, c_ops = qutip_problem(model)
    ref = qutip.liouvillian(h, c_ops).full()  # QuTiP also stacks columns
    np.testing.assert_allclose(model.liouvillian().toarray(), ref, rtol=0, atol=1e-13)  # same sums, rounding


def test_stationary_state_equals_qutip_steadystate():
    model = ladder_model(np.random.default_rng(12))
    h, c_ops = qutip_problem(model)
    ref = qutip.steadystate(h, c_ops).full()
    assert abs(ref[1, 2]) > 1e-4  # a coherence between the degenerate levels
    for method in ("sector", "full"):
        # two sparse LU solves of the same well-conditioned system: rounding, ~1e-14
        np.testing.assert_allclose(model.stationary_state(solver=method), ref, rtol=0, atol=1e-11)


def test_evolve_equals_mesolve():
    model = ladder_model(np.random.default_rng(13), lamb_shift=False)
    h, c_ops = qutip_problem(model)
    rho0 = np.zeros((5, 5), complex)
    rho0[4, 4] = 0.5
    rho0[3, 3] = 0.5
    rho0[3, 4] = rho0[4, 3] = 0.5  # a pure superposition
    times = np.array([0.0, 0.5, 2.0])
    ours = model.evolve(rho0, times)
    opts = {"atol": 1e-12, "rtol": 1e-10}
    res = qutip.mesolve(h, qutip.Qobj(rho0), times, c_ops, options=opts)
    for i, state in enumerate(res.states):
        got = ours.rho_real.values[i] + 1j * ours.rho_imag.values[i]
        np.testing.assert_allclose(got, state.full(), rtol=0, atol=1e-8)  # mesolve's ODE tolerance 1e-10..1e-12

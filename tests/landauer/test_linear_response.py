"""Onsager matrix: symmetry, agreement with the nonlinear engine, Sommerfeld/Wiedemann–Franz."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import FermiDirac, InputError, NonThermal
from thermoflux.landauer import Junction, from_hamiltonian, lorentzian


def three_terminal(mu=0.05, temp=0.2):
    res = {k: FermiDirac(temperature=temp, mu=mu) for k in ("a", "b", "c")}
    trans = from_hamiltonian([[0.0, 0.2], [0.2, 0.3]], {"a": [0.2, 0.0], "b": [0.0, 0.3], "c": [0.1, 0.05]})
    return res, trans


def test_onsager_symmetry_multiterminal():
    res, trans = three_terminal()
    lr = Junction(res, trans).onsager_matrix("c")
    assert lr.matrix.shape == (4, 4)
    # Each entry is an integral on shared nodes: symmetry to rounding.
    np.testing.assert_allclose(lr.matrix, lr.matrix.T, rtol=1e-12, atol=1e-16)
    # Second law: L is positive semidefinite.
    assert np.all(np.linalg.eigvalsh(0.5 * (lr.matrix + lr.matrix.T)) > -1e-15)


def test_onsager_matrix_predicts_small_bias_currents():
    mu, temp = 0.05, 0.2
    res, trans = three_terminal(mu, temp)
    lr = Junction(res, trans).onsager_matrix("c")
    dmu = np.array([1e-5, -2e-5])
    dt = np.array([-1.5e-5, 1e-5])
    shifted = {"a": FermiDirac(temperature=temp + dt[0], mu=mu + dmu[0]),
               "b": FermiDirac(temperature=temp + dt[1], mu=mu + dmu[1]), "c": res["c"]}
    flows = Junction(shifted, trans).flows()
    forces = np.concatenate([dmu / temp, dt / temp ** 2])
    predicted = lr.matrix @ forces
    found = np.array([flows.particle["a"], flows.particle["b"], flows.heat["a"], flows.heat["b"]])
    # Nonlinear corrections are O(δ) = 1e-4 relative for biases 1e-5 on scales ~0.1.
    np.testing.assert_allclose(found, predicted, rtol=1e-3, atol=1e-3 * np.max(np.abs(predicted)))


def test_sommerfeld_wiedemann_franz_and_mott():
    # Smooth T(E) on the scale Γ = 2 >> k_B T = 1e-3: Sommerfeld corrections O((πT/Γ)²) ~ 1e-6.
    level, temp = 0.3, 1e-3
    widths = {"L": 1.0, "R": 1.0}
    res = {"L": FermiDirac(temperature=temp), "R": FermiDirac(temperature=temp)}
    lr = Junction(res, lorentzian(level, widths)).onsager_matrix("R")

    def t(e):
        return 1.0 / ((e - level) ** 2 + 1.0)

    dt = 2 * level / (level ** 2 + 1.0) ** 2          # T'(0)
    assert lr.conductance == pytest.approx(t(0.0) / (2 * np.pi), rel=1e-5)
    assert lr.lorenz_number == pytest.approx(np.pi ** 2 / 3, rel=1e-5)
    assert lr.thermopower == pytest.approx(np.pi ** 2 / 3 * temp * dt / t(0.0), rel=1e-4)   # Mott
    assert lr.figure_of_merit == pytest.approx(lr.thermopower ** 2 / lr.lorenz_number, rel=1e-12, abs=0)  # ZT ~ 1e-6


def test_narrow_level_tight_coupling():
    # Γ -> 0: heat and particle currents are proportional (J^Q = (ε−μ) J^N): Lorenz ratio -> 0,
    # ZT -> ∞ (Mahan–Sofo). With Γ/T = 1e-4, L ~ (Γ/T) small.
    temp = 0.1
    res = {"L": FermiDirac(temperature=temp), "R": FermiDirac(temperature=temp)}
    lr = Junction(res, lorentzian(0.2, {"L": 5e-6, "R": 5e-6})).onsager_matrix("L")
    assert lr.lorenz_number < 1e-3
    assert lr.figure_of_merit > 1e2
    assert lr.thermopower == pytest.approx(0.2 / temp, rel=1e-3)    # S = (ε − μ)/T


def test_errors():
    res = {"L": FermiDirac(beta=1.0), "R": NonThermal(lambda e: 0.5 + 0 * e, "fermion"), "Q": FermiDirac(beta=1.0)}
    junction = Junction(res, lorentzian(0.0, {"L": 1.0, "R": 1.0, "Q": 1.0}))
    with pytest.raises(InputError, match="thermal"):
        junction.onsager_matrix("R")
    with pytest.raises(InputError, match="two-terminal"):
        _ = junction.onsager_matrix("L").conductance

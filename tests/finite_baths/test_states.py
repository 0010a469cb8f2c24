"""Initial states: eqs. 2, 3, 20 and the sampled pure states of Sec. IV C."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import FermiDirac, InputError
from thermoflux.finite_baths import diagonal_state, resonant_level, sampled_pure_state, thermal_state

RES = {"L": FermiDirac(beta=10.0, mu=1.0), "R": FermiDirac(beta=2.0, mu=-1.0)}


def test_thermal_state_is_eq20():
    m = resonant_level(50, 10.0, 3.0)
    st = thermal_state(m, RES, 0.0)
    eps = m.bath_energies["L"]
    assert st.occupations[0] == 0.0
    # Fermi function written independently; β|ε − μ| ≤ 60 so exp does not overflow.
    assert np.allclose(st.occupations[m.bath_slices["L"]], 1 / (np.exp(10 * (eps - 1)) + 1), rtol=1e-13, atol=0)
    assert np.allclose(st.log_odds[m.bath_slices["R"]], 2 * (m.bath_energies["R"] + 1), rtol=1e-15, atol=0)


def test_pure_state_samples_the_fermi_distribution():
    m = resonant_level(40, 10.0, 3.0)
    f = thermal_state(m, RES).occupations
    draws = np.array([sampled_pure_state(m, RES, np.random.default_rng(s)).occupations for s in range(400)])
    assert set(np.unique(draws)) <= {0.0, 1.0}
    # Bernoulli means: 5 standard errors (sqrt(f(1-f)/400) <= 0.025) per mode.
    assert np.all(np.abs(draws.mean(axis=0) - f) <= 5 * np.sqrt(f * (1 - f) / 400) + 1e-12)
    a = sampled_pure_state(m, RES, np.random.default_rng(5)).occupations
    b = sampled_pure_state(m, RES, np.random.default_rng(5)).occupations
    assert np.array_equal(a, b)


def test_state_input_errors():
    m = resonant_level(5, 10.0, 3.0)
    with pytest.raises(InputError, match="system_occupation"):
        thermal_state(m, RES, 1.5)
    with pytest.raises(InputError, match="reservoirs"):
        thermal_state(m, {"L": RES["L"]})
    with pytest.raises(InputError, match="rng"):
        sampled_pure_state(m, RES, 5)
    with pytest.raises(InputError, match="occupations"):
        diagonal_state(m, np.zeros(3))

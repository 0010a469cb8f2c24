"""The resonant-level model of seed 001, Sec. III, and model validation."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import InputError
from thermoflux.finite_baths import QuadraticModel, resonant_level, wide_band_coupling


def test_resonant_level_matches_section_iii():
    k, w, gamma = 11, 10.0, 3.0
    m = resonant_level(k, w, gamma, 0.25)
    spacing = w / (k - 1)
    for name in ("L", "R"):
        eps = m.bath_energies[name]
        assert np.allclose(eps, np.arange(k) * spacing - w / 2, rtol=0, atol=1e-14)  # exact grid
        t = m.couplings[name][:, 0]
        # golden rule: 2π t² / Δε = Γ (wide band)
        assert np.allclose(2 * np.pi * t**2 / spacing, gamma, rtol=1e-14, atol=0)
    h = m.hamiltonian()
    assert h.shape == (2 * k + 1, 2 * k + 1) and h[0, 0] == 0.25
    assert np.array_equal(h, h.T)
    assert m.bath_slices == {"L": slice(1, 12), "R": slice(12, 23)}


def test_asymmetric_baths_appendix_a():
    m = resonant_level({"L": 21, "R": 19}, 10.0, {"L": 3.0, "R": 1.0})
    assert m.n_modes == {"L": 21, "R": 19}
    assert np.isclose(m.couplings["R"][0, 0], wide_band_coupling(1.0, 10.0 / 18), rtol=1e-15)


def test_eigensystem_diagonalises():
    m = resonant_level(8, 4.0, 2.0)
    lam, v = m.eigensystem()
    assert np.allclose(v @ np.diag(lam) @ v.T, m.hamiltonian(), atol=1e-13)  # eigh backward error


@pytest.mark.parametrize("kwargs, word", [
    (dict(n_modes=1, bandwidth=10.0, coupling=3.0), "n_modes"),
    (dict(n_modes=5, bandwidth=-1.0, coupling=3.0), "bandwidth"),
    (dict(n_modes=5, bandwidth=10.0, coupling=0.0), "coupling"),
    (dict(n_modes={"L": 5}, bandwidth=10.0, coupling=3.0), "n_modes"),
])
def test_bad_resonant_level_input(kwargs, word):
    with pytest.raises(InputError, match=word):
        resonant_level(**kwargs)


def test_bad_general_model_input():
    with pytest.raises(InputError, match="Hermitian"):
        QuadraticModel(np.array([[0, 1], [0, 0]]), {"L": [0.0]}, {"L": [[1.0, 1.0]]})
    with pytest.raises(InputError, match="couplings\\['L'\\] must have shape"):
        QuadraticModel(np.array([[0.0]]), {"L": [0.0, 1.0]}, {"L": [1.0, 2.0, 3.0]})
    with pytest.raises(InputError, match="same bath names"):
        QuadraticModel(np.array([[0.0]]), {"L": [0.0]}, {"R": [1.0]})
    with pytest.raises(InputError, match="finite"):
        QuadraticModel(np.array([[0.0]]), {"L": [np.nan]}, {"L": [1.0]})

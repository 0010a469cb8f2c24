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


def test_model_too_large_for_memory_is_refused_before_any_array():
    """Issue 14: n_modes = 1e8 needs ~3.8 EB of N x N work arrays; refused with InputError
    naming n_modes, the size and the memory, before the 1e8-element mode arrays are built."""
    from thermoflux.finite_baths.model import dense_work_bytes

    with pytest.raises(InputError, match=r"^n_modes: .*N = 200000001 .*3\.84 EB.*available"):
        resonant_level(100_000_000, 10.0, 3.0)
    assert dense_work_bytes(2001) == 12 * 8 * 2001**2   # measured peak 13.2 N^2 reals at N = 2001


def test_memory_guard_compares_with_available_memory(monkeypatch):
    """With 1 MB available, a 401-site model (15 MB of work arrays) is refused, by
    resonant_level and by the QuadraticModel constructor; unknown memory refuses nothing."""
    import thermoflux.finite_baths.model as model_module

    monkeypatch.setattr(model_module, "_available_memory", lambda: 1_000_000)
    with pytest.raises(InputError, match=r"^n_modes: .*N = 401 .*15\.4 MB.*1 MB"):
        resonant_level(200, 10.0, 3.0)
    eps = np.linspace(-1.0, 1.0, 200)
    with pytest.raises(InputError, match=r"^bath_energies: .*N = 401 .*30\.9 MB.*complex"):
        QuadraticModel(np.array([[0.0]]), {"L": eps, "R": eps}, {"L": np.full(200, 0.1j), "R": np.full(200, 0.1)})
    assert resonant_level(20, 10.0, 3.0).size == 41        # 41² x 96 B = 161 kB fits
    monkeypatch.setattr(model_module, "_available_memory", lambda: None)
    assert resonant_level(200, 10.0, 3.0).size == 401


def test_memory_guard_through_the_cli_is_one_line_and_exit_2(tmp_path):
    from click.testing import CliRunner

    from thermoflux.cli import main

    config = tmp_path / "huge.toml"
    config.write_text('method = "finite_baths"\n[model]\nkind = "resonant_level"\nn_modes = 100000000\n'
                      'bandwidth = 10.0\ncoupling = 3.0\n[reservoirs.L]\nbeta = 10.0\nmu = 1.0\n'
                      '[reservoirs.R]\nbeta = 2.0\nmu = -1.0\n[state]\nkind = "thermal"\n'
                      '[times]\nstart = 0.01\nstop = 1e8\nnum = 30\n')
    result = CliRunner().invoke(main, ["run", str(config)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: model.n_modes: ") and "EB" in lines[0]

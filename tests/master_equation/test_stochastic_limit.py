"""Evolution, decay of coherences (eq. 23) and the balance equations of the currents (eqs. 41-42)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as la

from thermoflux import InputError
from thermoflux.io import load_dataset, save_dataset


def random_state(rng, n):
    a = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    rho = a @ a.conj().T
    return rho / np.trace(rho).real


def test_evolve_matches_dense_expm_and_reaches_stationary_state(make_model, rng):
    model = make_model(rng, 4, lamb_shift=True)
    rho0 = random_state(rng, 4)
    times = np.array([0.0, 0.7, 3.0, 1e8, 1e20])
    ds = model.evolve(rho0, times)
    rho_t = ds.rho_real.values + 1j * ds.rho_imag.values
    lv = model.liouvillian().toarray()
    for i, t in enumerate(times[:3]):
        ref = (la.expm(lv * t) @ rho0.reshape(-1, order="F")).reshape(4, 4, order="F")
        np.testing.assert_allclose(rho_t[i], ref, rtol=0, atol=1e-12)  # two expm routes, rounding only
    np.testing.assert_allclose(np.trace(rho_t, axis1=1, axis2=2), 1.0, rtol=0, atol=1e-12)
    # t = 1e8, 1e20 (≫ 1/gap): the stationary state, no overflow or NaN. rtol=0: the default
    # rtol=1e-7 of assert_allclose hid a trace drift of 7e-9 at t = 1e8 from plain expm squaring.
    for rho in rho_t[-2:]:
        np.testing.assert_allclose(rho, model.stationary_state(solver="sector"), rtol=0, atol=1e-10)


def test_evolve_dataset_round_trips_netcdf(make_model, rng, tmp_path):
    model = make_model(rng, 3)
    ds = model.evolve(np.array([1.0, 0.0, 0.0]), np.linspace(0, 2, 3))
    back = load_dataset(save_dataset(ds, tmp_path / "ev.nc"))
    np.testing.assert_array_equal(back.populations.values, ds.populations.values)  # float64 netCDF: exact
    assert (back.attrs["method"], back.attrs["seed"], back.attrs["equations"]) == ("master_equation", "002", "22, 36a")
    assert back.particle_current.dims == ("time", "reservoir") and back.time.attrs["units"] == "1/energy"
    assert {"software_version", "units", "sign_convention"} <= set(back.attrs)


def test_evolve_rejects_non_density_matrix(make_model, rng):
    model = make_model(rng, 3)
    with pytest.raises(InputError, match="rho0 must be a density matrix"):
        model.evolve(np.diag([1.2, -0.2, 0.0]), [0.0])
    with pytest.raises(InputError, match="times must be non-negative"):
        model.evolve(np.array([1.0, 0.0, 0.0]), [-1.0])


def test_coherence_decay_eq23_with_the_half(make_model, rng):
    model = make_model(rng, 4, lamb_shift=True)
    info = model.coherence_decay()
    assert bool(info.isolated.values[0, 1])  # generic spectrum: each coherence alone in its block
    lv = model.liouvillian().toarray()
    n = 4
    e = model.system.energies
    rho0 = random_state(rng, n)
    t = 1.3
    ds = model.evolve(rho0, [t])
    rho_t = ds.rho_real.values[0] + 1j * ds.rho_imag.values[0]
    for m, k in [(0, 1), (1, 3), (2, 0)]:
        g = float(info.decay_rate[m, k])
        shift = float(info.frequency_shift[m, k])
        expected_eig = -1j * (e[m] - e[k] + shift) - g
        assert lv[m + n * k, m + n * k] == pytest.approx(expected_eig, rel=1e-12)  # rounding
        assert rho_t[m, k] == pytest.approx(rho0[m, k] * np.exp(expected_eig * t), rel=1e-10)
        # eq. 23c as printed (no 1/2) decays twice as fast: it does not match the dynamics
        assert abs(rho0[m, k] * np.exp((-1j * (e[m] - e[k] + shift) - 2 * g) * t) - rho_t[m, k]) > 1e-3 * abs(rho_t[m, k])


def test_eq41_and_eq42_at_non_stationary_times(make_model, rng):
    model = make_model(rng, 5)
    n = 5
    rho = random_state(rng, n)
    drho = (model.liouvillian() @ rho.reshape(-1, order="F")).reshape(n, n, order="F")
    pops = np.diag(rho).real
    j = model.micro_currents("particle", state=pops).sum("reservoir").values  # J_mn summed over fields
    jm = j.sum(axis=1) - j.sum(axis=0)  # Σ_{n<m} J_mn − Σ_{n>m} J_nm (upper index first)
    np.testing.assert_allclose(jm, -np.diag(drho).real, atol=1e-13)  # eq. 41
    je = model.micro_currents("energy", state=pops).values.sum()
    d_energy = np.sum(model.system.energies * np.diag(drho).real)
    assert je == pytest.approx(-d_energy, rel=1e-12)  # eq. 42 (corrected, see test_currents)
    ds = model.evolve(rho, [0.0])
    assert ds.energy_current.values[0].sum() == pytest.approx(d_energy, rel=1e-12)  # DESIGN sign: into system

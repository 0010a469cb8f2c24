"""Exact Gaussian dynamics of a harmonic network (seed 003, eqs. B1, B4, 14, 21-22).

With M = i Hᵀ − G/2 (:meth:`Network.drift`) and N = M* = −i H − G/2,

    C(t) = C_∞ + e^{Mt} (C_0 − C_∞) e^{M†t},   S(t) = e^{Nt} S_0 e^{Nᵀt},   μ(t) = e^{Nt} μ_0,

evaluated through the eigen-decomposition M = V Λ V⁻¹ (one O(L³) decomposition; each time then
costs two GEMMs), not by an ODE stepper. C_∞ is the steady state; self-consistent probes keep
their steady-state occupations ñ during the evolution (the paper defines them only in the NESS).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.linalg as la

from thermoflux._threads import blas_threads as _blas_threads
from thermoflux._validation import as_real_array
from thermoflux.errors import InputError
from thermoflux.harmonic_networks.entropy_production import (
    channel_entropy_flux,
    channel_entropy_production,
    inverse_theta_diagonal,
)
from thermoflux.harmonic_networks.gaussian import GaussianState, wigner_entropy
from thermoflux.harmonic_networks.lyapunov import _MAX_EIGENVECTOR_CONDITION, DriftEigen

if TYPE_CHECKING:  # pragma: no cover
    import xarray

    from thermoflux.harmonic_networks.network import Network

__all__ = ["evolve"]


def _propagators(drift: np.ndarray, eig: DriftEigen):
    """Functions t -> (C(t) − C_∞ from its initial value, S(t), μ(t))."""
    if eig.condition <= _MAX_EIGENVECTOR_CONDITION:
        v, u, lam = eig.vectors, eig.inverse, eig.eigenvalues
        vc, uc = v.conj(), u.conj()
        pair_c = lam[:, None] + lam.conj()[None, :]
        pair_s = lam.conj()[:, None] + lam.conj()[None, :]

        def prop(t, dc0, s0, m0):
            y = (u @ dc0 @ u.conj().T) * np.exp(pair_c * t)
            dc = v @ y @ v.conj().T
            z = (uc @ s0 @ uc.T) * np.exp(pair_s * t) if s0 is not None else None
            s = vc @ z @ vc.T if z is not None else None
            m = vc @ (np.exp(lam.conj() * t) * (uc @ m0)) if m0 is not None else None
            return dc, s, m
        return prop

    def prop_expm(t, dc0, s0, m0):  # ill-conditioned eigenvectors: exact matrix exponential
        e = la.expm(drift * t)
        en = e.conj()
        return (e @ dc0 @ e.conj().T, en @ s0 @ en.T if s0 is not None else None,
                en @ m0 if m0 is not None else None)
    return prop_expm


def evolve(network: Network, initial: Any, times: Any, *, store_covariance: bool = False,
           blas_threads: int | None = None) -> xarray.Dataset:
    """Evolve a Gaussian state under dΘ/dt = WΘ + ΘW† + F (seed 003, eq. B1), exactly.

    Parameters
    ----------
    network : Network
        With at least one bath (the drift must be stable).
    initial : GaussianState or array_like
        The initial state, or just its covariance C_0 (no squeezing, no displacement).
    times : array_like, 1-D
        Times t >= 0 (1/energy units), any order; t = 1e8 is fine (decaying terms underflow).
    store_covariance : bool, default False
        Also store C(t) as ``covariance_real``/``covariance_imag`` (time, mode, mode_).
    blas_threads : int, optional
        BLAS threads for the dense work.

    Returns
    -------
    xarray.Dataset
        Dims ``time``, ``mode``, ``channel``. Variables: ``occupation`` ⟨a_k† a_k⟩(t);
        ``wigner_entropy`` S_W (eq. 12); ``entropy_production`` Π = Σ_c Π_c (eqs. 17, C2) and
        ``channel_entropy_production``; ``entropy_flux`` Φ = Σ_c Φ_c (eq. 20) and
        ``channel_entropy_flux``; ``entropy_rate`` dS_W/dt = Π − Φ (eq. 14);
        ``relative_entropy`` S(W‖W_eq) (eq. 21) and ``unitary_entropy_term`` −∫ U(W) ln W_eq
        (eq. 22), both NaN unless every mode carries exactly one channel (W_eq of eq. 9 is
        then defined). Rates in 1/time, entropies dimensionless.

    Raises
    ------
    InputError
        A wrong-size or unphysical initial state, negative or non-finite times, or a network
        whose drift is not stable.

    Notes
    -----
    Seed 003, eqs. B1, B4a-b (with the damping term −½{·, Γ}, see :meth:`Network.drift`),
    14, 17, 20, 21, 22. Tests: ``tests/harmonic_networks/test_dynamics.py`` checks
    dS_W/dt = Π − Φ and eq. 22 against finite differences of S_W(t) and S(W‖W_eq)(t), and
    the long-time limit against the steady state; the QuTiP crosscheck compares C(t).
    """
    import xarray as xr

    from thermoflux.io import netcdf_attrs, software_attrs

    if not isinstance(initial, GaussianState):
        initial = GaussianState(initial)
    n = network.n_modes
    if initial.n_modes != n:
        raise InputError(f"initial has {initial.n_modes} modes; the network has {n}")
    t = as_real_array(times, "times", ndim=1)
    if np.any(t < 0):
        raise InputError(f"times must be >= 0 (the dissipative evolution runs forward); got min {t.min()!r}")
    network._check_solvable()
    with _blas_threads(blas_threads):
        ness = network.steady_state()
        c_inf = ness.covariance
        drift = network.drift()
        eig = DriftEigen(drift)
        prop = _propagators(drift, eig)

        chans = network.channels
        names = [c.name for c in chans]
        sites = np.array([c.site for c in chans], dtype=int)
        rates = np.array([c.rate for c in chans], dtype=float)
        occ = np.array([ness.probe_occupations[c.name] if c.occupation is None else c.occupation
                        for c in chans], dtype=float)
        counts = np.bincount(sites, minlength=n)
        one_each = bool(np.all(counts == 1))
        ref = np.full(n, np.nan)
        if one_each:
            ref[sites] = occ
        h = network.hamiltonian

        dc0 = initial.covariance - c_inf
        s0 = initial.anomalous if initial.is_squeezed else None
        m0 = initial.mean if np.any(initial.mean != 0) else None
        nt = t.size
        out = {k: np.empty(nt) for k in ("wigner_entropy", "entropy_production", "entropy_flux",
                                          "entropy_rate", "relative_entropy", "unitary_entropy_term")}
        occ_t = np.empty((nt, n))
        pi_c = np.empty((nt, len(chans)))
        phi_c = np.empty((nt, len(chans)))
        cov_t = np.empty((nt, n, n), dtype=complex) if store_covariance else None
        for i, ti in enumerate(t):
            dc, s, m = prop(ti, dc0, s0, m0)
            c = c_inf + dc
            c = 0.5 * (c + c.conj().T)
            if s is not None:
                s = 0.5 * (s + s.T)
            full = c + (np.outer(m.conj(), m) if m is not None else 0.0)
            mode_occ = full.diagonal().real
            fisher = inverse_theta_diagonal(c, s)
            pc = channel_entropy_production(rates, occ, mode_occ[sites], fisher[sites])
            fc = channel_entropy_flux(rates, occ, mode_occ[sites])
            occ_t[i] = mode_occ
            pi_c[i] = pc
            phi_c[i] = fc
            sw = wigner_entropy(c, s)
            out["wigner_entropy"][i] = sw
            out["entropy_production"][i] = pc.sum()
            out["entropy_flux"][i] = fc.sum()
            out["entropy_rate"][i] = float(np.sum(rates * ((occ + 0.5) * fisher[sites] - 1.0)))
            if one_each:
                unitary_rate = np.sum(2.0 * np.imag(h * full) * (1 - np.eye(n)), axis=1)
                out["unitary_entropy_term"][i] = float(np.sum(unitary_rate / (ref + 0.5)))
                out["relative_entropy"][i] = float(-sw + np.sum(np.log(np.pi * (ref + 0.5))
                                                                + (mode_occ + 0.5) / (ref + 0.5)))
            else:
                out["unitary_entropy_term"][i] = np.nan
                out["relative_entropy"][i] = np.nan
            if cov_t is not None:
                cov_t[i] = c

    units = {"wigner_entropy": "1", "relative_entropy": "1"}
    long = {
        "wigner_entropy": "Wigner entropy S_W (eq. 12)",
        "entropy_production": "Wigner entropy production Pi (eqs. 17, C2)",
        "entropy_flux": "Wigner entropy flux Phi, system to baths (eq. 20)",
        "entropy_rate": "dS_W/dt = Pi - Phi (eq. 14)",
        "relative_entropy": "S(W || W_eq) (eq. 21); NaN unless one channel per mode",
        "unitary_entropy_term": "-int U(W) ln W_eq (eq. 22); NaN unless one channel per mode",
    }
    data = {k: xr.DataArray(v, dims="time", attrs={"long_name": long[k], "units": units.get(k, "1/time")})
            for k, v in out.items()}
    data["occupation"] = xr.DataArray(occ_t, dims=("time", "mode"),
                                      attrs={"long_name": "<a_k^dag a_k>", "units": "1"})
    data["channel_entropy_production"] = xr.DataArray(pi_c, dims=("time", "channel"),
                                                      attrs={"long_name": "Pi_c (eq. C2)", "units": "1/time"})
    data["channel_entropy_flux"] = xr.DataArray(phi_c, dims=("time", "channel"),
                                                attrs={"long_name": "Phi_c (eq. 20)", "units": "1/time"})
    if cov_t is not None:
        data["covariance_real"] = xr.DataArray(cov_t.real, dims=("time", "mode", "mode_"))
        data["covariance_imag"] = xr.DataArray(cov_t.imag, dims=("time", "mode", "mode_"))
    ds = xr.Dataset(data, coords={"time": t, "mode": np.arange(n), "channel": names})
    attrs = {"method": "harmonic_networks.evolve", "seed": "003", "units": "hbar = k_B = 1",
             "propagator": "eigen" if eig.condition <= _MAX_EIGENVECTOR_CONDITION else "expm",
             "probes": "self-consistent probes keep their steady-state occupations"}
    attrs.update(software_attrs())
    ds.attrs.update(netcdf_attrs(attrs))
    return ds

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
from thermoflux.harmonic_networks._results import (
    SEED,
    SIGN_NOTE,
    ReservoirArrays,
    network_parameters,
    reservoir_arrays,
)
from thermoflux.harmonic_networks.entropy_production import (
    channel_entropy_flow,
    channel_entropy_production,
    inverse_theta_diagonal,
)
from thermoflux.harmonic_networks.gaussian import GaussianState, wigner_entropy
from thermoflux.harmonic_networks.lyapunov import DriftEigen
from thermoflux.io import result_attrs, time_series_dataset

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable, Iterator

    import xarray

    from thermoflux.harmonic_networks.network import Network

__all__ = ["evolve"]

_SCALARS = ("wigner_entropy", "entropy_production", "system_entropy_rate", "relative_entropy",
            "unitary_entropy_term")
_PER_RESERVOIR = ("particle_current", "energy_current", "heat_current", "entropy_flow",
                  "entropy_production_by_reservoir")


def _propagators(drift: np.ndarray, eig: DriftEigen) -> Callable:
    """Functions t -> (C(t) − C_∞ from its initial value, S(t), μ(t))."""
    if eig.well_conditioned:
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


def _check_input(network: Network, initial: Any, times: Any) -> tuple[GaussianState, np.ndarray]:
    if not isinstance(initial, GaussianState):
        initial = GaussianState(initial)
    n = network.n_modes
    if initial.n_modes != n:
        raise InputError(f"initial has {initial.n_modes} modes; the network has {n}")
    t = as_real_array(times, "times", ndim=1)
    if np.any(t < 0):
        raise InputError(f"times must be >= 0 (the dissipative evolution runs forward); got min {t.min()!r}")
    return initial, t


def _propagate(c_inf: np.ndarray, prop: Callable, initial: GaussianState,
               times: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray | None, np.ndarray | None]]:
    """(C(t), S(t), μ(t)) at each time (seed 003, eqs. B1, B4a-b); S and μ None when zero."""
    dc0 = initial.covariance - c_inf
    s0 = initial.anomalous if initial.is_squeezed else None
    m0 = initial.mean if np.any(initial.mean != 0) else None
    for ti in times:
        dc, s, m = prop(ti, dc0, s0, m0)
        c = c_inf + dc
        yield 0.5 * (c + c.conj().T), (0.5 * (s + s.T) if s is not None else None), m


class _Observer:
    """The observables of one Gaussian state: entropies (eqs. 12, 14, 17, 20, 21, 22) and currents."""

    def __init__(self, network: Network, res: ReservoirArrays) -> None:
        self.res = res
        self.h = network.hamiltonian
        self.frequencies = network.frequencies
        n = network.n_modes
        # W_eq of eq. 9 (and so eqs. 21-22) exists only when every mode carries exactly one reservoir.
        self.one_each = bool(np.all(np.bincount(res.sites, minlength=n) == 1))
        self.ref = np.full(n, np.nan)
        if self.one_each:
            self.ref[res.sites] = res.occupations

    def __call__(self, c: np.ndarray, s: np.ndarray | None, m: np.ndarray | None) -> dict[str, Any]:
        res = self.res
        full = c + (np.outer(m.conj(), m) if m is not None else 0.0)
        mode_occ = full.diagonal().real
        fisher = inverse_theta_diagonal(c, s)[res.sites]
        particle = res.particle_current(mode_occ)
        energy = self.frequencies[res.sites] * particle
        sw = wigner_entropy(c, s)
        pi = channel_entropy_production(res.rates, res.occupations, mode_occ[res.sites], fisher)
        out = {"occupation": mode_occ, "wigner_entropy": sw, "entropy_production": pi.sum(),
               "system_entropy_rate": float(np.sum(res.rates * ((res.occupations + 0.5) * fisher - 1.0))),
               "particle_current": particle, "energy_current": energy,
               "heat_current": energy - res.mu * particle,
               "entropy_flow": channel_entropy_flow(res.rates, res.occupations, mode_occ[res.sites]),
               "entropy_production_by_reservoir": pi,
               "relative_entropy": np.nan, "unitary_entropy_term": np.nan}
        if self.one_each:
            n = self.h.shape[0]
            unitary_rate = np.sum(2.0 * np.imag(self.h * full) * (1 - np.eye(n)), axis=1)
            out["unitary_entropy_term"] = float(np.sum(unitary_rate / (self.ref + 0.5)))
            out["relative_entropy"] = float(-sw + np.sum(np.log(np.pi * (self.ref + 0.5))
                                                         + (mode_occ + 0.5) / (self.ref + 0.5)))
        return out


_LONG_NAMES = {
    "wigner_entropy": ("Wigner entropy S_W (eq. 12)", "1"),
    "entropy_production": ("Wigner entropy production Pi (eqs. 17, C2)", "1/time"),
    "system_entropy_rate": ("dS_W/dt = Pi - sum of entropy_flow (eq. 14)", "1/time"),
    "relative_entropy": ("S(W || W_eq) (eq. 21); NaN unless one reservoir per mode", "1"),
    "unitary_entropy_term": ("-int U(W) ln W_eq (eq. 22); NaN unless one reservoir per mode", "1/time"),
    "occupation": ("<a_k^dag a_k>", "1"),
    "particle_current": ("quanta out of the reservoir into the system", "1/time"),
    "energy_current": ("omega_k times the particle current", "energy/time"),
    "heat_current": ("energy - mu * particle current", "energy/time"),
    "entropy_flow": ("Wigner entropy flow Phi into the reservoir, dS/dt (eq. 20)", "1/time"),
    "entropy_production_by_reservoir": ("Wigner entropy production Pi of the reservoir (eq. C2)", "1/time"),
}


def _assemble(times: np.ndarray, rows: list[dict[str, Any]], covariances: list[np.ndarray] | None,
              network: Network, res: ReservoirArrays, attrs: dict[str, Any]) -> xarray.Dataset:
    """The time series as a Dataset on dims ``time``, ``mode``, ``reservoir`` (:func:`time_series_dataset`)."""
    n_t, n = len(times), network.n_modes

    def column(key: str, *shape: int) -> np.ndarray:
        return np.array([row[key] for row in rows], dtype=float).reshape(n_t, *shape)

    other = {"occupation": (("time", "mode"), column("occupation", n), *_LONG_NAMES["occupation"])}
    if covariances is not None:
        cov = np.array(covariances, dtype=complex).reshape(n_t, n, n)
        other["covariance_real"] = (("time", "mode", "mode_"), cov.real, "Re C_ij(t)", "1")
        other["covariance_imag"] = (("time", "mode", "mode_"), cov.imag, "Im C_ij(t)", "1")
    return time_series_dataset(
        times, res.names,
        per_reservoir={k: (column(k, len(res.names)), *_LONG_NAMES[k]) for k in _PER_RESERVOIR},
        series={k: (column(k), *_LONG_NAMES[k]) for k in _SCALARS},
        other=other,
        coords={"mode": ("mode", np.arange(n), "mode index k", "1"), **res.labels()},
        attrs=attrs)


def evolve(network: Network, initial: Any, times: Any, *, store_covariance: bool = False,
           blas_threads: int | None = None) -> xarray.Dataset:
    """Evolve a Gaussian state exactly (seed 003, eq. B1); :meth:`Network.evolve` documents it.

    Propagate (:func:`_propagate`), observe each state (:class:`_Observer`), assemble the
    Dataset (:func:`_assemble`).
    """
    initial, t = _check_input(network, initial, times)
    with _blas_threads(blas_threads):
        ness = network.steady_state()
        drift = network.drift()
        eig = DriftEigen(drift)
        res = reservoir_arrays(network, ness.probe_occupations)
        observe = _Observer(network, res)
        rows, covariances = [], ([] if store_covariance else None)
        for c, s, m in _propagate(ness.covariance, _propagators(drift, eig), initial, t):
            rows.append(observe(c, s, m))
            if covariances is not None:
                covariances.append(c)
    attrs = result_attrs("harmonic_networks", seed=SEED, equations="12, 14, 17, 20, 21, 22, B1, B4, C2",
                         parameters=network_parameters(network), sign_note=SIGN_NOTE,
                         solver="eigen" if eig.well_conditioned else "expm",
                         probes="self-consistent probes keep their steady-state occupations")
    return _assemble(t, rows, covariances, network, res, attrs)

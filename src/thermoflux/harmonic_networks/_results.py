"""What the steady state and the dynamics of a harmonic network share when they report results.

Internal to ``harmonic_networks``: the reservoir (dissipation channel) table as arrays, the
local currents of seed 003, Sec. II A, and the ``attrs`` every Dataset of the method carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from thermoflux.flows import SIGN_CONVENTION as CORE_SIGN_CONVENTION
from thermoflux.io import netcdf_attrs, software_attrs

if TYPE_CHECKING:  # pragma: no cover
    from thermoflux.harmonic_networks.network import Network

__all__ = ["SIGN_CONVENTION", "ReservoirArrays", "reservoir_arrays", "result_attrs"]

SIGN_CONVENTION = (CORE_SIGN_CONVENTION
                   + "; harmonic_networks: entropy_flow[alpha] is the Wigner entropy flow Phi_alpha of "
                     "seed 003, eq. 20 (positive when the reservoir's entropy grows), so "
                     "entropy_production = dS_W/dt + sum_alpha entropy_flow[alpha] (eq. 14); "
                     "current[k, l] = j_kl is the rate at which mode k gains quanta from mode l")


@dataclass(frozen=True)
class ReservoirArrays:
    """The reservoirs (baths and probes) of a network as arrays, in the order of ``Network.channels``.

    Attributes
    ----------
    names : list[str]
    sites : ndarray of int
        Mode k of each reservoir.
    rates : ndarray
        γ_α (1/time).
    occupations : ndarray
        n_α (ñ_α for a self-consistent probe).
    mu : ndarray
        Chemical potential of the reservoir's distribution, 0 without one.
    kinds : list[str]
        "bath" or "probe".
    """

    names: list[str]
    sites: np.ndarray
    rates: np.ndarray
    occupations: np.ndarray
    mu: np.ndarray
    kinds: list[str]

    def particle_current(self, mode_occupations: np.ndarray) -> np.ndarray:
        """J^N_α = γ_α (n_α − ⟨a_k† a_k⟩), quanta out of reservoir α into mode k (seed 003, Sec. II A)."""
        return self.rates * (self.occupations - mode_occupations[self.sites])

    def coords(self) -> dict[str, Any]:
        """xarray coordinates on the dim ``reservoir``: names, ``site`` and ``kind``."""
        return {"reservoir": ("reservoir", self.names),
                "site": ("reservoir", self.sites, {"long_name": "mode of the reservoir (from 0)"}),
                "kind": ("reservoir", np.array(self.kinds), {"long_name": "bath or probe"})}


def reservoir_arrays(network: Network, probe_occupations: Mapping[str, float]) -> ReservoirArrays:
    """The reservoirs of ``network``; probes take their steady-state occupations ñ from ``probe_occupations``."""
    chans = network.channels
    mu = [float(getattr(c.distribution, "mu", 0.0) or 0.0) if c.distribution is not None else 0.0
          for c in chans]
    return ReservoirArrays(
        names=[c.name for c in chans],
        sites=np.array([c.site for c in chans], dtype=int),
        rates=np.array([c.rate for c in chans], dtype=float),
        occupations=np.array([probe_occupations[c.name] if c.occupation is None else c.occupation
                              for c in chans], dtype=float),
        mu=np.array(mu, dtype=float),
        kinds=[c.kind for c in chans],
    )


def result_attrs(network: Network, *, equations: str,
                 extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``attrs`` of a harmonic-network Dataset: method, seed, equations, software version, units,
    sign convention and the parameters (netCDF-safe through :func:`thermoflux.io.netcdf_attrs`).

    The reservoirs' sites, rates and occupations are variables and coordinates of the Dataset;
    ``extra`` adds the solver and, from a run config, the configuration.
    """
    base: dict[str, Any] = {"method": "harmonic_networks", "seed": "003", "equations": equations,
                            "units": "hbar = k_B = 1; energy and 1/time in the unit of H",
                            "sign_convention": SIGN_CONVENTION,
                            "parameters": {"n_modes": network.n_modes,
                                           "n_baths": len(network.baths),
                                           "n_probes": len(network.probes)}}
    base.update(software_attrs())
    base.update(extra or {})
    return netcdf_attrs(base)

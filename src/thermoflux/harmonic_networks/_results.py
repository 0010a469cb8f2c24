"""What the steady state and the dynamics of a harmonic network share when they report results.

Internal to ``harmonic_networks``: the reservoir (dissipation channel) table as arrays, the
local currents of seed 003, Sec. II A, and what every Dataset of the method adds to
:func:`thermoflux.io.result_attrs`: its sign note and its parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from thermoflux.harmonic_networks.network import Network

__all__ = ["SEED", "SIGN_NOTE", "ReservoirArrays", "reservoir_arrays", "network_parameters"]

SEED = "003"

#: What harmonic-network Datasets add to the core sign convention (``result_attrs(sign_note=)``).
SIGN_NOTE = ("harmonic_networks: entropy_flow[alpha] is the Wigner entropy flow Phi_alpha of "
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

    def labels(self) -> dict[str, tuple[str, np.ndarray, str, str]]:
        """Coordinates on the dim ``reservoir`` besides the names: ``site`` and ``kind``.

        As ``name -> (dim, values, long_name, units)``, the ``coords`` of
        :func:`thermoflux.io.time_series_dataset`.
        """
        return {"site": ("reservoir", self.sites, "mode of the reservoir (from 0)", "1"),
                "kind": ("reservoir", np.array(self.kinds), "bath or probe", "1")}

    def coords(self) -> dict[str, Any]:
        """xarray coordinates on the dim ``reservoir``: names, ``site`` and ``kind``."""
        out: dict[str, Any] = {"reservoir": ("reservoir", self.names, {"long_name": "reservoir", "units": "1"})}
        out.update({k: (dim, v, {"long_name": ln, "units": u}) for k, (dim, v, ln, u) in self.labels().items()})
        return out


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


def network_parameters(network: Network) -> dict[str, Any]:
    """The ``parameters`` of :func:`thermoflux.io.result_attrs` for a network's Datasets.

    The reservoirs' sites, rates and occupations are variables and coordinates of the Dataset;
    these are the sizes.
    """
    return {"n_modes": network.n_modes, "n_baths": len(network.baths), "n_probes": len(network.probes)}

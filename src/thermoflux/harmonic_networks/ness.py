"""The non-equilibrium steady state of a harmonic network and its entropy bookkeeping (seed 003)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from thermoflux._validation import check_choice
from thermoflux.distributions import BoseEinstein, Distribution
from thermoflux.errors import InputError
from thermoflux.flows import Flows
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
from thermoflux.harmonic_networks.gaussian import GaussianState
from thermoflux.io import result_attrs

if TYPE_CHECKING:  # pragma: no cover
    import xarray

    from thermoflux.harmonic_networks.network import Network

__all__ = ["NESS", "excitation_currents"]


def excitation_currents(hamiltonian: np.ndarray, covariance: np.ndarray) -> np.ndarray:
    """j_kl = −i (H_kl ⟨a_k† a_l⟩ − H_lk ⟨a_l† a_k⟩) = 2 Im(H_kl C_kl), antisymmetric (seed 003, eq. 25).

    Returns
    -------
    ndarray, shape (L, L)
        j_kl (quanta per unit time) flowing from mode l into mode k; d⟨a_k† a_k⟩/dt|_H = Σ_l j_kl
        (eq. 25a).

    Notes
    -----
    Seed 003, eq. 25b prints j_kl = −i H_kl (⟨a_k† a_l⟩ − ⟨a_l† a_k⟩). That expression is not
    antisymmetric for general H and vanishes identically for the chain of eq. 27 (where C is
    real), contradicting eq. 30. Eq. 25a gives the form above, which reproduces eqs. 24, 26 and
    30; ``tests/harmonic_networks/test_ness.py::test_currents_are_the_coherent_rate`` checks it
    against the coherent part of dC/dt.
    """
    j = 2.0 * np.imag(hamiltonian * covariance)
    np.fill_diagonal(j, 0.0)
    return j


class NESS:
    """Steady state of a :class:`Network`: covariances, flows and per-reservoir entropy bookkeeping.

    Attributes
    ----------
    network : Network
    covariance : ndarray, shape (L, L)
        C_ij = ⟨a_i† a_j⟩ (seed 003, eqs. A3a, B5, D3).
    anomalous : ndarray, shape (L, L)
        S_ij = ⟨a_i a_j⟩, identically zero in the steady state (eq. B4b has no source).
    probe_occupations : dict[str, float]
        ñ of each self-consistent probe (= ⟨a_k† a_k⟩ of its mode).
    solver : str
        Which solver produced C.
    """

    def __init__(self, network: Network, covariance: np.ndarray, probe_occupations: np.ndarray,
                 *, solver: str = "") -> None:
        self.network = network
        self.covariance = covariance
        self.anomalous = np.zeros_like(covariance)
        self.probe_occupations = {c.name: float(v) for c, v in zip(network.probes, probe_occupations)}
        self.solver = solver
        self._fisher: np.ndarray | None = None

    def __repr__(self) -> str:
        return (f"NESS(n_modes={self.network.n_modes}, reservoirs={len(self.network.channels)}, "
                f"entropy_production={self.entropy_production():.4g}, solver={self.solver!r})")

    # -- state ------------------------------------------------------------------------------
    @property
    def occupations(self) -> np.ndarray:
        """⟨a_k† a_k⟩ of every mode (quanta)."""
        return self.covariance.diagonal().real.copy()

    @property
    def state(self) -> GaussianState:
        """The steady state as a :class:`GaussianState`."""
        return GaussianState(self.covariance)

    @property
    def currents(self) -> np.ndarray:
        """j_kl of eq. 25 (quanta/time from mode l into mode k); antisymmetric."""
        return excitation_currents(self.network.hamiltonian, self.covariance)

    def _fisher_diagonal(self) -> np.ndarray:
        if self._fisher is None:
            self._fisher = inverse_theta_diagonal(self.covariance)
        return self._fisher

    def _reservoirs(self) -> ReservoirArrays:
        return reservoir_arrays(self.network, self.probe_occupations)

    @property
    def reservoir_occupations(self) -> dict[str, float]:
        """n_α of every reservoir at its site frequency (ñ for probes)."""
        res = self._reservoirs()
        return dict(zip(res.names, res.occupations.tolist()))

    # -- entropy bookkeeping ----------------------------------------------------------------
    def entropy_flow(self) -> dict[str, float]:
        """Wigner entropy flow Φ_α = γ_α (⟨a_k† a_k⟩ − n_α)/(n_α + ½) of every reservoir (seed 003, eq. 20).

        Returns
        -------
        dict[str, float]
            1/time: the rate dS_α/dt at which reservoir α's entropy grows in the Wigner
            bookkeeping (positive when entropy flows from the system into the reservoir), so
            that Π = dS_W/dt + Σ_α Φ_α (eq. 14); in the steady state Σ_α Φ_α = Π. Zero for
            every self-consistent probe.
        """
        res = self._reservoirs()
        mode_occ = self.occupations[res.sites]
        return dict(zip(res.names, channel_entropy_flow(res.rates, res.occupations, mode_occ).tolist()))

    def entropy_production_by_reservoir(self) -> dict[str, float]:
        """Π_α = (4/(γ_α(n_α + ½))) ∫ |J_α(W)|²/W (seed 003, eq. 17), evaluated by eq. C2.

        Returns
        -------
        dict[str, float]
            1/time, each >= 0.

        Notes
        -----
        Seed 003, eqs. 17, C1, C2 (and E1, E2 for the chain). In the steady state
        Σ_c Π_c = Σ_c Φ_c (dS/dt = 0) and, when no mode has two physical baths, this equals
        :meth:`unitary_entropy_production` (eqs. 24, 26); both are tested.
        """
        res = self._reservoirs()
        fisher = self._fisher_diagonal()[res.sites]
        mode_occ = self.occupations[res.sites]
        return dict(zip(res.names,
                        channel_entropy_production(res.rates, res.occupations, mode_occ, fisher).tolist()))

    def entropy_production(self, reservoirs: str = "all") -> float:
        """Π = Σ_α Π_α over ``reservoirs`` (seed 003, eqs. 17, 32-33, E1-E2).

        Parameters
        ----------
        reservoirs : {"all", "baths", "probes"}
            "baths" gives Π_r (eq. 32 / E1), "probes" Π_sc (eq. 33 / E2).

        Returns
        -------
        float
            Wigner entropy production rate (1/time), >= 0.
        """
        check_choice(reservoirs, "reservoirs", ("all", "baths", "probes"))
        per = self.entropy_production_by_reservoir()
        kinds = {c.name: c.kind for c in self.network.channels}
        keep = {"all": ("bath", "probe"), "baths": ("bath",), "probes": ("probe",)}[reservoirs]
        return float(np.sum([v for k, v in per.items() if kinds[k] in keep]))

    def unitary_entropy_production(self) -> float:
        """Π_NESS = ½ Σ_{k≠l} j_kl (a_k − a_l), a_k = 1/(n_k + ½) (seed 003, eqs. 23, 24, 26).

        The affinity a_k is that of the physical bath on mode k; modes without a physical bath
        (free modes, or modes with only a probe) exchange no net quanta in the steady state, so
        their a_k drops out and is set to 0.

        Returns
        -------
        float
            1/time; equals ``entropy_production()`` (tested on random networks).

        Raises
        ------
        InputError
            When a mode carries two or more physical baths (eq. 24 then has no single affinity
            per mode; use :meth:`entropy_production`).
        """
        n = self.network.n_modes
        affinity = np.zeros(n)
        seen = np.zeros(n, dtype=int)
        for c in self.network.baths:
            seen[c.site] += 1
            affinity[c.site] = 1.0 / (c.occupation + 0.5)
        if np.any(seen > 1):
            raise InputError("unitary_entropy_production: mode(s) "
                             f"{np.flatnonzero(seen > 1).tolist()} carry several physical baths; "
                             "eq. 24 needs one affinity per mode")
        j = self.currents
        return float(0.5 * np.sum(j * (affinity[:, None] - affinity[None, :])))

    # -- flows --------------------------------------------------------------------------------
    def particle_currents(self) -> dict[str, float]:
        """J^N_c = γ_c (n_c − ⟨a_k† a_k⟩): quanta per unit time out of channel c into the system."""
        res = self._reservoirs()
        return dict(zip(res.names, res.particle_current(self.occupations).tolist()))

    def distributions(self) -> dict[str, Distribution]:
        """The distribution of every channel: the one given, else the Bose-Einstein one with
        occupation n_c at the site frequency, T_c = ω_k / ln(1 + 1/n_c)."""
        out: dict[str, Distribution] = {}
        freq = self.network.frequencies
        for name, c in zip(self.reservoir_occupations, self.network.channels):
            if c.distribution is not None:
                out[name] = c.distribution
                continue
            n_c = self.reservoir_occupations[name]
            omega = float(freq[c.site])
            if omega <= 0 or n_c <= 0:
                raise InputError(
                    f"channel {name!r}: occupation {n_c!r} at frequency {omega!r} defines no finite "
                    "temperature (need n > 0 and omega > 0); attach the bath with a distribution"
                )
            out[name] = BoseEinstein(beta=float(np.log1p(1.0 / n_c)) / omega)
        return out

    def flows(self) -> Flows:
        """Particle, energy, heat and Clausius entropy flows of every channel (DESIGN sign).

        J^N_c = γ_c (n_c − ⟨a_k† a_k⟩) and J^E_c = ω_k J^N_c: the local bookkeeping of the local
        master equation (seed 003, Sec. II A and its refs. [25, 27]). The coherent couplings move
        ⟨H_0⟩ at the rate P = Σ_kl ω_k j_kl = ½ Σ_kl j_kl (ω_k − ω_l), reported as ``power``
        (zero for identical frequencies), so Σ_c J^E_c + P = 0 in the steady state. Reservoir
        entropy rates are −J^Q_c/T_c (Clausius), not the Wigner flows of :meth:`entropy_flow`.

        Returns
        -------
        Flows
            Keyed by channel name; probes included (their currents vanish).

        Warns
        -----
        ThermodynamicsWarning
            Through :meth:`Flows.check`, if a conservation law or the Clausius second law fails
            beyond round-off: the local master equation (eq. 3) is only valid to lowest order in
            the couplings and can break them outside that regime (seed 003, refs. [37, 38]).
        """
        res = self._reservoirs()
        particle = self.particle_currents()
        freq = self.network.frequencies
        energy = {k: freq[s] * particle[k] for k, s in zip(res.names, res.sites)}
        j = self.currents
        power = float(np.sum(freq[:, None] * j))
        flows = Flows.from_currents(self.distributions(), particle, energy, power=power,
                                    method="harmonic_networks")
        flows.check()
        return flows

    # -- output ---------------------------------------------------------------------------------
    def to_dataset(self, *, covariance: bool = False, attrs: dict[str, Any] | None = None) -> xarray.Dataset:
        """The steady state as an ``xarray.Dataset`` (dims ``mode``, ``mode_``, ``reservoir``).

        Per reservoir (dim ``reservoir``, coordinates ``site`` and ``kind``): ``coupling_rate``
        γ_α, ``reservoir_occupation`` n_α, the rates ``particle_current``, ``energy_current``,
        ``heat_current`` (out of the reservoir, seed 003, Sec. II A), ``entropy_flow`` (Wigner
        Φ_α, eq. 20, see :meth:`entropy_flow`) and ``entropy_production_by_reservoir`` (Π_α,
        eqs. 17, C2). Per mode: ``frequency``, ``occupation``; ``current`` j_kl (eq. 25).
        Scalars: ``entropy_production`` (eqs. 17, C2) and its parts ``entropy_production_baths``
        (Π_r, eq. 32) and ``entropy_production_probes`` (Π_sc, eq. 33).

        Parameters
        ----------
        covariance : bool, default False
            Also store C as ``covariance_real``/``covariance_imag`` (mode, mode_).
        attrs : dict, optional
            Extra attributes (flattened with :func:`thermoflux.io.netcdf_attrs`).
        """
        import xarray as xr

        res = self._reservoirs()
        freq = self.network.frequencies
        particle = res.particle_current(self.occupations)
        energy = freq[res.sites] * particle
        flow = self.entropy_flow()
        prod = self.entropy_production_by_reservoir()
        n = self.network.n_modes
        per_reservoir = {
            "coupling_rate": (res.rates, "coupling rate gamma of the reservoir", "1/time"),
            "reservoir_occupation": (res.occupations, "reservoir occupation n at the site frequency", "1"),
            "particle_current": (particle, "quanta out of the reservoir into the system", "1/time"),
            "energy_current": (energy, "omega_k times the particle current", "energy/time"),
            "heat_current": (energy - res.mu * particle, "energy - mu * particle current", "energy/time"),
            "entropy_flow": (np.array([flow[k] for k in res.names]),
                             "Wigner entropy flow Phi into the reservoir, dS/dt (eq. 20)", "1/time"),
            "entropy_production_by_reservoir": (np.array([prod[k] for k in res.names]),
                                                "Wigner entropy production Pi of the reservoir (eqs. 17, C2)",
                                                "1/time"),
        }
        data = {k: xr.DataArray(v, dims="reservoir", attrs={"long_name": ln, "units": u})
                for k, (v, ln, u) in per_reservoir.items()}
        data["frequency"] = xr.DataArray(freq, dims="mode", attrs={"long_name": "mode frequency H_kk",
                                                                    "units": "energy"})
        data["occupation"] = xr.DataArray(self.occupations, dims="mode",
                                          attrs={"long_name": "<a_k^dag a_k>", "units": "1"})
        data["current"] = xr.DataArray(self.currents, dims=("mode", "mode_"), attrs={
            "long_name": "excitation current j_kl from mode l into mode k (eq. 25)", "units": "1/time"})
        for name, which, long_name in (("entropy_production", "all", "total Wigner entropy production"),
                                       ("entropy_production_baths", "baths", "Pi_r (eq. 32)"),
                                       ("entropy_production_probes", "probes", "Pi_sc (eq. 33)")):
            data[name] = xr.DataArray(self.entropy_production(which),
                                      attrs={"long_name": long_name, "units": "1/time"})
        if covariance:
            data["covariance_real"] = xr.DataArray(self.covariance.real, dims=("mode", "mode_"),
                                                   attrs={"long_name": "Re C_ij", "units": "1"})
            data["covariance_imag"] = xr.DataArray(self.covariance.imag, dims=("mode", "mode_"),
                                                   attrs={"long_name": "Im C_ij", "units": "1"})
        modes = np.arange(n)
        ds = xr.Dataset(data, coords={"mode": ("mode", modes, {"long_name": "mode index k", "units": "1"}),
                                      "mode_": ("mode_", modes, {"long_name": "mode index l", "units": "1"}),
                                      **res.coords()})
        ds.attrs.update(result_attrs("harmonic_networks", seed=SEED, equations="17, 20, 25, 32, 33, B5, C2, D3",
                                     parameters=network_parameters(self.network), sign_note=SIGN_NOTE,
                                     solver=self.solver, **(attrs or {})))
        return ds

"""Networks of linearly coupled bosonic modes with local baths and self-consistent probes.

The model of seed 003, Sec. II A: H = Σ_kl H_kl a_k† a_l (any Hermitian L × L matrix, eq. 2)
and one local GKLS dissipator per channel (eq. 4),

    D_c(ρ) = γ_c (n_c + 1) (a_k ρ a_k† − ½{a_k† a_k, ρ}) + γ_c n_c (a_k† ρ a_k − ½{a_k a_k†, ρ}),

acting on the mode k of that channel. A mode may carry several channels (a physical bath and a
self-consistent probe, Sec. IV) or none. Sites are numbered from 0 (the paper counts from 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from thermoflux._validation import as_finite, as_positive, check_hermitian, describe
from thermoflux.distributions import Distribution
from thermoflux.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import xarray

    from thermoflux.harmonic_networks.ness import NESS
    from thermoflux.harmonic_networks.lyapunov import EigenCache

__all__ = ["Channel", "Network", "chain"]

BATH = "bath"
PROBE = "probe"


@dataclass(frozen=True)
class Channel:
    """One local dissipation channel (seed 003, eq. 4) acting on mode ``site``.

    Attributes
    ----------
    name : str
        Unique name (the reservoir's key in :class:`~thermoflux.Flows`).
    site : int
        Mode index, from 0.
    rate : float
        γ_c >= 0 (1/time).
    occupation : float or None
        n_c >= 0 for a physical bath; None for a self-consistent probe (fixed by the NESS).
    distribution : Distribution or None
        The bath's distribution when one was given (its occupation at the site frequency is
        ``occupation``).
    kind : {"bath", "probe"}
    """

    name: str
    site: int
    rate: float
    occupation: float | None
    distribution: Distribution | None
    kind: str


class Network:
    """A network of L bosonic modes, H = Σ_kl H_kl a_k† a_l, with local baths (seed 003, eqs. 2-4).

    Parameters
    ----------
    hamiltonian : array_like, shape (L, L)
        Hermitian single-particle matrix; H_kk = ω_k are the mode frequencies (energy units).

    Raises
    ------
    InputError
        ``hamiltonian`` not square, not finite or not Hermitian (to 1e-10 · max(1, max|H|)).

    Notes
    -----
    Build with :meth:`attach_bath` and :meth:`add_self_consistent_probes` (both return the
    network, so calls chain), then call :meth:`steady_state` or :meth:`evolve`.

    Examples
    --------
    >>> net = chain(3, frequency=1.0, hopping=0.1)
    >>> net = net.attach_bath(0, 0.1, occupation=1.0).attach_bath(2, 0.1, occupation=2.0)
    >>> ness = net.steady_state()
    >>> bool(ness.entropy_production() > 0)
    True
    """

    def __init__(self, hamiltonian: Any) -> None:
        h = np.array(check_hermitian(hamiltonian, "hamiltonian", rtol=1e-10), dtype=complex)
        if h.shape[0] == 0:
            raise InputError("hamiltonian must have at least one mode; got shape (0, 0)")
        self._h = 0.5 * (h + h.conj().T)
        self._channels: list[Channel] = []

    # -- description ------------------------------------------------------------------------
    @property
    def hamiltonian(self) -> np.ndarray:
        """The L × L single-particle matrix H (a copy)."""
        return self._h.copy()

    @property
    def n_modes(self) -> int:
        """Number of modes L."""
        return self._h.shape[0]

    @property
    def frequencies(self) -> np.ndarray:
        """ω_k = H_kk (real)."""
        return self._h.diagonal().real.copy()

    @property
    def channels(self) -> tuple[Channel, ...]:
        """All dissipation channels, baths and probes, in the order they were added."""
        return tuple(self._channels)

    @property
    def baths(self) -> tuple[Channel, ...]:
        """The physical baths."""
        return tuple(c for c in self._channels if c.kind == BATH)

    @property
    def probes(self) -> tuple[Channel, ...]:
        """The self-consistent probes."""
        return tuple(c for c in self._channels if c.kind == PROBE)

    def __repr__(self) -> str:
        return (f"Network(n_modes={self.n_modes}, baths={len(self.baths)}, "
                f"probes={len(self.probes)})")

    # -- building ---------------------------------------------------------------------------
    def _site(self, site: Any, name: str) -> int:
        if isinstance(site, bool) or not isinstance(site, (int, np.integer)):
            raise InputError(f"{name} must be an integer mode index; got {describe(site)}")
        if not 0 <= int(site) < self.n_modes:
            raise InputError(f"{name} must be a mode index in [0, {self.n_modes - 1}] (sites count "
                             f"from 0); got {name}={int(site)}")
        return int(site)

    def _unique_name(self, name: str) -> str:
        if any(c.name == name for c in self._channels):
            raise InputError(f"name {name!r} is already used by another channel")
        return name

    def attach_bath(self, site: int, rate: float, *, occupation: float | None = None,
                    distribution: Distribution | None = None, name: str | None = None) -> Network:
        """Attach a local thermal bath, the dissipator D_c of seed 003, eq. 4, to mode ``site``.

        Parameters
        ----------
        site : int
            Mode index, from 0.
        rate : float
            γ >= 0 (1/time).
        occupation : float, optional
            Bath occupation n >= 0 at the mode frequency.
        distribution : Distribution, optional
            A bosonic distribution (e.g. :class:`~thermoflux.BoseEinstein`); n is its occupation
            at ω_site = H_site,site. Give exactly one of ``occupation`` and ``distribution``.
        name : str, optional
            Reservoir name; default ``"bath<site>"`` (``"bath<site>_<j>"`` if taken).

        Returns
        -------
        Network
            ``self``, so calls chain.

        Raises
        ------
        InputError
            A bad site, a negative or non-finite rate or occupation, both or neither of
            ``occupation``/``distribution``, a fermionic distribution, or ω_site below the
            distribution's μ.
        """
        site = self._site(site, "site")
        rate = as_positive(rate, "rate", allow_zero=True)
        if (occupation is None) == (distribution is None):
            raise InputError("give exactly one of occupation and distribution to attach_bath; got "
                             f"occupation={occupation!r}, distribution={distribution!r}")
        if distribution is not None:
            if not isinstance(distribution, Distribution):
                raise InputError(f"distribution must be a thermoflux Distribution; got {describe(distribution)}")
            if distribution.statistics != "boson":
                raise InputError(f"distribution of a bath of bosonic modes must have boson statistics; "
                                 f"got {distribution.statistics!r}")
            omega = float(self._h[site, site].real)
            occupation = float(np.asarray(distribution.occupation(omega)))
            if not np.isfinite(occupation) or occupation < 0:
                raise InputError(f"distribution gives occupation {occupation!r} at the site frequency "
                                 f"{omega!r}; it must be finite and >= 0")
        else:
            occupation = as_finite(occupation, "occupation")
            if occupation < 0:
                raise InputError(f"occupation must be non-negative; got occupation={occupation!r}")
        if name is None:
            name = f"bath{site}"
            j = 1
            while any(c.name == name for c in self._channels):
                name = f"bath{site}_{j}"
                j += 1
        if not isinstance(name, str) or not name:
            raise InputError(f"name must be a non-empty string; got {describe(name)}")
        self._channels.append(Channel(self._unique_name(name), site, rate, float(occupation),
                                      distribution, BATH))
        return self

    def add_self_consistent_probes(self, rate: Any, sites: Any = None) -> Network:
        """Attach self-consistent reservoirs (Büttiker probes) of rate Γ (seed 003, Sec. IV).

        Each probe is a dissipator of the form of eq. 4 whose occupation ñ_k is fixed by zero
        net exchange with its mode in the steady state, ñ_k = ⟨a_k† a_k⟩_NESS. The condition is
        linear in the covariance, so :meth:`steady_state` solves for all ñ_k at once, exactly.

        Parameters
        ----------
        rate : float or array_like
            Γ >= 0 (1/time), one value or one per probed site.
        sites : sequence of int, optional
            Probed modes (from 0); default every mode. Names are ``"probe<site>"``.

        Returns
        -------
        Network
            ``self``.

        Raises
        ------
        InputError
            A site that does not exist, a repeated site, a negative rate, or a shape mismatch.
        """
        if sites is None:
            sites_list = list(range(self.n_modes))
        else:
            try:
                sites_list = list(sites)
            except TypeError as exc:
                raise InputError(f"sites must be a sequence of mode indices; got {describe(sites)}") from exc
        sites_list = [self._site(s, f"sites[{i}]") for i, s in enumerate(sites_list)]
        if len(set(sites_list)) != len(sites_list):
            raise InputError(f"sites must not repeat a mode; got {sites_list}")
        rates = np.asarray(rate, dtype=float) if not isinstance(rate, bool) else None
        if rates is None or rates.ndim > 1:
            raise InputError(f"rate must be a number or a 1-D array; got {describe(rate)}")
        rates = np.broadcast_to(rates, (len(sites_list),)) if rates.ndim == 0 else rates
        if rates.shape != (len(sites_list),):
            raise InputError(f"rate must be one number or one per site ({len(sites_list)}); got shape {rates.shape}")
        for i, (s, g) in enumerate(zip(sites_list, rates)):
            g = as_positive(g, f"rate[{i}]" if np.ndim(rate) else "rate", allow_zero=True)
            self._channels.append(Channel(self._unique_name(f"probe{s}"), s, g, None, None, PROBE))
        return self

    # -- matrices of the Lyapunov equation --------------------------------------------------
    def _damping(self) -> np.ndarray:
        """g_k = Σ_{c on k} γ_c (all channels, probes included)."""
        g = np.zeros(self.n_modes)
        for c in self._channels:
            g[c.site] += c.rate
        return g

    def drift(self) -> np.ndarray:
        """M = i Hᵀ − G/2 of dC/dt = M C + C M† + F, C_ij = ⟨a_i† a_j⟩ (seed 003, eq. B4a).

        Returns
        -------
        ndarray, shape (L, L)
            Complex drift; G = diag(g_k), g_k the total rate of the channels on mode k.

        Notes
        -----
        Seed 003, eq. B4a prints dC/dt = i[C, H] + {C, Γ} + f. Derived from eq. 3 with
        C_ij = ⟨a_i† a_j⟩, the damping term is −½{C, Γ} (Γ the L × L rate matrix) and the
        coherent term is i[Hᵀ, C], which equals i[C, H] only when Hᵀ = const − H (true for the
        chain of eq. 27, where the paper uses it). Pinned by the closed form of eq. 29
        (``test_chain.py``) and by the QuTiP Fock-space steady state (``test_harmonic_qutip.py``).
        """
        return 1j * self._h.T - 0.5 * np.diag(self._damping())

    def _check_solvable(self) -> None:
        if not self.baths:
            raise InputError("the network has no bath: without a physical bath the steady state is "
                             "not unique (attach_bath first)")

    def audit(self, *, thresholds: Any = None):
        """Does the network stay where local dissipators and its steady state hold? (issue 12)

        Checks local-lindblad and stability, and the Flows checks of the steady state; see
        :func:`thermoflux.harmonic_networks.audit.audit_network`. ``thresholds`` maps check ids
        to (warn, error). Returns a :class:`thermoflux.audit.Report`.
        """
        from thermoflux.harmonic_networks.audit import audit_network

        return audit_network(self, thresholds=thresholds)

    # -- calculations -----------------------------------------------------------------------
    def steady_state(self, *, solver: str = "auto", blas_threads: int | None = None,
                     eigen_cache: EigenCache | None = None) -> NESS:
        """The non-equilibrium steady state: the solution of eq. B5 (with probes, eq. D3).

        Parameters
        ----------
        solver : {"auto", "eigen", "schur", "banded", "kronecker"}
            "eigen": Lyapunov solve in the eigenbasis of the drift, O(L³); P probes add the
            P × P linear system of their zero-exchange conditions, built in O(P² L²) (or
            O(r P² L) when a rank-r compression applies, see ``lyapunov``), so probes on every
            site of a general network cost O(L⁴). "schur": :func:`scipy.linalg.solve_continuous_lyapunov`
            (Bartels-Stewart) with the same probe treatment. "banded": a tridiagonal ansatz for a
            tridiagonal H, O(L), accepted only if the full residual of eq. B5 vanishes (it does
            for the uniform chain of eq. 27, with or without probes). "kronecker": the dense
            vectorised solve of all L² equations, O(L⁶) (a baseline for small L). "auto" tries
            "banded" for a tridiagonal H and falls back to "eigen".
        blas_threads : int, optional
            BLAS threads for the dense work (None: leave the current setting).
        eigen_cache : thermoflux.harmonic_networks.lyapunov.EigenCache, optional
            Keeps the drift's eigenbasis and the probe matrix of the "eigen" solve for the next
            network with the same drift and probes (bit for bit): a loop over bath occupations
            or temperatures pays the O(L³) decomposition and O(P² L²) probe matrix once.

        Returns
        -------
        NESS

        Raises
        ------
        InputError
            No bath, or a mode that no channel damps (no unique steady state).
        """
        from thermoflux.harmonic_networks.ness import NESS
        from thermoflux.harmonic_networks.lyapunov import solve_steady_state

        self._check_solvable()
        covariance, probe_occupations, used = solve_steady_state(self, solver=solver, blas_threads=blas_threads,
                                                                 eigen_cache=eigen_cache)
        return NESS(self, covariance, probe_occupations, solver=used)

    def evolve(self, initial: Any, times: Any, *, store_covariance: bool = False,
               blas_threads: int | None = None) -> xarray.Dataset:
        """Evolve a Gaussian state under dΘ/dt = WΘ + ΘW† + F (seed 003, eq. B1), exactly.

        Parameters
        ----------
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
            Dims ``time``, ``mode``, ``reservoir``. Per time: ``wigner_entropy`` S_W (eq. 12);
            ``entropy_production`` Π = Σ_α Π_α (eqs. 17, C2); ``system_entropy_rate``
            dS_W/dt = Π − Σ_α Φ_α (eq. 14); ``relative_entropy`` S(W‖W_eq) (eq. 21) and
            ``unitary_entropy_term`` −∫ U(W) ln W_eq (eq. 22), both NaN unless every mode carries
            exactly one reservoir (W_eq of eq. 9 is then defined). Per time and mode:
            ``occupation`` ⟨a_k† a_k⟩(t). Per time and reservoir: ``particle_current``,
            ``energy_current``, ``heat_current`` (out of the reservoir), ``entropy_flow`` Φ_α
            (eq. 20, positive when the reservoir's entropy grows) and
            ``entropy_production_by_reservoir`` Π_α. Rates in 1/time, entropies dimensionless.

        Raises
        ------
        InputError
            A wrong-size or unphysical initial state, negative or non-finite times, or a network
            whose drift is not stable.

        Notes
        -----
        Seed 003, eqs. B1, B4a-b (with the damping term −½{·, Γ}, see :meth:`drift`),
        14, 17, 20, 21, 22. Tests: ``tests/harmonic_networks/test_dynamics.py`` checks
        dS_W/dt = Π − Σ Φ and eq. 22 against finite differences of S_W(t) and S(W‖W_eq)(t), and
        the long-time limit against the steady state; the QuTiP crosscheck compares C(t).
        """
        from thermoflux.harmonic_networks.dynamics import evolve

        return evolve(self, initial, times, store_covariance=store_covariance,
                      blas_threads=blas_threads)


def chain(n_sites: int, *, frequency: float, hopping: float) -> Network:
    """The chain of seed 003, eq. 27: H = ω Σ a_k† a_k + iλ Σ (a_k† a_{k+1} − a_{k+1}† a_k).

    Parameters
    ----------
    n_sites : int
        L >= 1.
    frequency : float
        ω (energy), the frequency of every site.
    hopping : float
        λ (energy); H_{k,k+1} = iλ, H_{k+1,k} = −iλ.

    Returns
    -------
    Network
        Without baths; attach them with :meth:`Network.attach_bath`.
    """
    if isinstance(n_sites, bool) or not isinstance(n_sites, (int, np.integer)) or n_sites < 1:
        raise InputError(f"n_sites must be a positive integer; got {describe(n_sites)}")
    omega = as_finite(frequency, "frequency")
    lam = as_finite(hopping, "hopping")
    h = omega * np.eye(int(n_sites), dtype=complex)
    idx = np.arange(int(n_sites) - 1)
    h[idx, idx + 1] = 1j * lam
    h[idx + 1, idx] = -1j * lam
    return Network(h)

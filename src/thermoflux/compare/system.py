"""One open system, described once: a single-particle Hamiltonian, reservoirs with level widths.

The common input of every method (DESIGN.md, "How the methods meet"): h (n × n Hermitian), the
statistics of the particles, and reservoirs α, each a distribution f_α(E) and a level-width
matrix Γ_α (n × n positive semidefinite; a length-n vector is a diagonal one) in the wide-band
limit, Γ_α = 2π Σ_k V_αk V_αk† δ(E − ε_αk) (seed 004 for the Caroli form; seed 001, Sec. III
for the discretized bath). Optionally a finite bandwidth W of the reservoirs and, for fermions,
a density-density interaction Σ_{i<j} U_ij n_i n_j, which makes the problem many-body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from thermoflux._validation import as_finite, as_positive, check_choice, check_hermitian, describe
from thermoflux.distributions import STATISTICS, Distribution
from thermoflux.errors import InputError

__all__ = ["OpenSystem", "Reservoir", "describe_system"]

# Γ_α must be positive semidefinite: eigenvalues down to −1e-12 · max(1, ||Γ_α||) are rounding
# of a user-built matrix (the tolerance landauer.from_hamiltonian uses), anything below is refused.
_PSD_RTOL = 1e-12


@dataclass(frozen=True)
class Reservoir:
    """A reservoir: its distribution f_α(E) and its level-width matrix Γ_α (n × n, PSD)."""

    distribution: Distribution
    coupling: np.ndarray

    def channels(self, *, rtol: float = 1e-12) -> tuple[np.ndarray, np.ndarray]:
        """Γ_α = Σ_c γ_c u_c u_c†: the positive widths γ_c and the unit vectors u_c (columns).

        Each channel c is an independent wide-band continuum that couples to the system through
        A_c = Σ_i conj(u_c,i) a_i with golden-rule width γ_c; eigenvalues below
        ``rtol · max(1, ||Γ_α||)`` carry no coupling and are dropped.
        """
        values, vectors = np.linalg.eigh(self.coupling)
        keep = values > rtol * max(1.0, float(np.max(np.abs(values))))
        return values[keep], vectors[:, keep]


def _coupling_matrix(value: Any, n: int, key: str) -> np.ndarray:
    g = np.asarray(value)
    if g.dtype == object or not np.issubdtype(g.dtype, np.number):
        raise InputError(f"{key} must be numeric; got {describe(value)}")
    if g.ndim == 0 and n == 1:
        g = g.reshape(1, 1)
    elif g.ndim == 1:
        if g.shape != (n,):
            raise InputError(f"{key} must be a vector of {n} widths or an ({n}, {n}) matrix; got shape {g.shape}")
        if np.iscomplexobj(g) and np.any(g.imag != 0):
            raise InputError(f"{key}: per-site widths must be real; got complex values")
        g = np.diag(np.real(g))
    elif g.shape != (n, n):
        raise InputError(f"{key} must be a vector of {n} widths or an ({n}, {n}) matrix; got shape {g.shape}")
    g = check_hermitian(g, key)
    g = 0.5 * (g + g.conj().T)
    values = np.linalg.eigvalsh(g)
    if values.min() < -_PSD_RTOL * max(1.0, float(np.abs(values).max())):
        raise InputError(f"{key} must be positive semidefinite; got an eigenvalue {values.min():.3g}")
    if np.all(values <= 0):
        raise InputError(f"{key} couples nothing (all widths are zero); remove the reservoir or give it a width")
    return g.astype(complex) if np.iscomplexobj(g) else g.astype(float)


def _interaction_matrix(value: Any, n: int, statistics: str) -> np.ndarray | None:
    if value is None:
        return None
    if statistics != "fermion":
        raise InputError("interaction: only fermions may carry an interaction (bosonic networks are "
                         "quadratic here); got statistics='boson' with an interaction")
    u = np.asarray(value)
    if u.dtype == object or not np.issubdtype(u.dtype, np.number) or np.iscomplexobj(u):
        raise InputError(f"interaction must be a real number or an ({n}, {n}) real matrix; got {describe(value)}")
    if u.ndim == 0:
        u = float(u) * (np.ones((n, n)) - np.eye(n))
    if u.shape != (n, n):
        raise InputError(f"interaction must be a number or an ({n}, {n}) matrix U_ij; got shape {u.shape}")
    u = u.astype(float)
    if not np.all(np.isfinite(u)):
        raise InputError("interaction must be finite")
    if np.any(np.diag(u) != 0):
        raise InputError("interaction: the diagonal U_ii must be 0 (n_i n_i = n_i is an on-site energy: "
                         "put it in the hamiltonian)")
    scale = max(1.0, float(np.abs(u).max()))
    if np.max(np.abs(u - u.T)) > 1e-12 * scale:
        raise InputError("interaction must be symmetric, U_ij = U_ji (the energy of the pair i, j)")
    if n < 2 or not np.any(u):
        return None
    return 0.5 * (u + u.T)


@dataclass(frozen=True)
class OpenSystem:
    """A system of n levels (or modes) between reservoirs, described once for every method.

    H = Σ_ij h_ij a_i† a_j (+ Σ_{i<j} U_ij n_i n_j for interacting fermions), each reservoir α a
    distribution f_α(E) and a wide-band level-width matrix Γ_α.

    Parameters
    ----------
    hamiltonian : array_like, shape (n, n)
        Hermitian single-particle Hamiltonian h (energy units); checked Hermitian to
        1e-10 · max(1, max|h|).
    statistics : {"fermion", "boson"}
    reservoirs : mapping name -> (distribution, coupling)
        ``coupling`` is Γ_α: an (n, n) Hermitian positive-semidefinite matrix, a length-n vector
        of per-site widths, or a number when n = 1. Distributions must have ``statistics``.
    bandwidth : float, optional
        Width W of the reservoirs' flat band [−W/2, W/2] (Γ_α inside it, 0 outside): Landauer
        then uses the band's self-energy and finite baths discretize that band. None: the
        wide-band limit; finite baths then extrapolate W → ∞.
    interaction : float or array_like (n, n), optional
        Fermions only: U_ij, the energy of a pair of particles on levels i and j (symmetric, zero
        diagonal); a number is the same U for every pair. With it only the master equation applies.

    Raises
    ------
    InputError
        Naming the key: a non-Hermitian ``hamiltonian``, a coupling of the wrong shape or not
        PSD, a reservoir without a coupling, a distribution of the other statistics, bosons
        with an ``interaction``, a non-positive ``bandwidth``.
    """

    hamiltonian: Any
    statistics: str
    reservoirs: Mapping[str, Any]
    bandwidth: float | None = None
    interaction: Any = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        check_choice(self.statistics, "statistics", STATISTICS)
        h = np.atleast_2d(np.asarray(self.hamiltonian))
        if h.dtype == object or not np.issubdtype(h.dtype, np.number):
            raise InputError(f"hamiltonian must be a numeric (n, n) matrix; got {describe(self.hamiltonian)}")
        if h.ndim != 2 or h.shape[0] != h.shape[1] or h.shape[0] == 0:
            raise InputError(f"hamiltonian must be a non-empty square matrix; got shape {h.shape}")
        h = check_hermitian(h, "hamiltonian")
        h = 0.5 * (h + h.conj().T)
        h = h.astype(complex) if np.iscomplexobj(h) and np.any(h.imag != 0) else np.real(h).astype(float)
        n = h.shape[0]
        set_(self, "hamiltonian", h)
        if not isinstance(self.reservoirs, Mapping) or not self.reservoirs:
            raise InputError("reservoirs must map at least one name to (distribution, coupling); "
                             f"got {describe(self.reservoirs)}")
        parsed: dict[str, Reservoir] = {}
        for name, spec in self.reservoirs.items():
            key = f"reservoirs[{name!r}]"
            if not isinstance(name, str) or not name:
                raise InputError(f"reservoirs: names must be non-empty strings; got {name!r}")
            if isinstance(spec, Reservoir):
                dist, coupling = spec.distribution, spec.coupling
            elif isinstance(spec, Distribution):
                raise InputError(f"{key}.coupling: missing; give (distribution, coupling Γ_α)")
            elif isinstance(spec, (tuple, list)) and len(spec) == 2:
                dist, coupling = spec
            else:
                raise InputError(f"{key} must be a pair (distribution, coupling Γ_α); got {describe(spec)}")
            if coupling is None:
                raise InputError(f"{key}.coupling: missing; give Γ_α (a vector of {n} widths or an ({n}, {n}) matrix)")
            if not isinstance(dist, Distribution):
                raise InputError(f"{key}.distribution must be a thermoflux distribution; got {describe(dist)}")
            if dist.statistics != self.statistics:
                raise InputError(f"{key}.distribution has {dist.statistics} statistics; the system is "
                                 f"made of {self.statistics}s")
            if dist.is_thermal and (np.ndim(dist.beta) or np.ndim(dist.mu)):
                raise InputError(f"{key}.distribution must hold one temperature and chemical potential "
                                 "(use compare.scan for several points)")
            parsed[name] = Reservoir(dist, _coupling_matrix(coupling, n, f"{key}.coupling"))
        set_(self, "reservoirs", parsed)
        if self.bandwidth is not None:
            set_(self, "bandwidth", as_positive(self.bandwidth, "bandwidth"))
        set_(self, "interaction", _interaction_matrix(self.interaction, n, self.statistics))

    # -- derived ----------------------------------------------------------------------------
    @property
    def n_levels(self) -> int:
        """Number of single-particle levels (modes) n."""
        return self.hamiltonian.shape[0]

    @property
    def names(self) -> tuple[str, ...]:
        """Reservoir names, in order."""
        return tuple(self.reservoirs)

    @property
    def distributions(self) -> dict[str, Distribution]:
        """The reservoirs' distributions, by name."""
        return {k: r.distribution for k, r in self.reservoirs.items()}

    @property
    def couplings(self) -> dict[str, np.ndarray]:
        """Γ_α as (n, n) matrices, by name."""
        return {k: r.coupling for k, r in self.reservoirs.items()}

    @property
    def is_quadratic(self) -> bool:
        """True without an interaction (a single-particle problem: Landauer is exact)."""
        return self.interaction is None

    @property
    def total_width(self) -> float:
        """||Σ_α Γ_α||₂, the largest level width (energy units)."""
        return float(np.linalg.norm(sum(self.couplings.values()), 2))

    def effective_hamiltonian(self) -> np.ndarray:
        """h − (i/2) Σ_α Γ_α, whose eigenvalues are the broadened levels (wide band)."""
        return self.hamiltonian - 0.5j * sum(self.couplings.values())

    def scaled(self, factor: float) -> OpenSystem:
        """The same system with every Γ_α multiplied by ``factor`` > 0 (a coupling-strength scan)."""
        factor = as_positive(factor, "factor")
        res = {k: (r.distribution, factor * r.coupling) for k, r in self.reservoirs.items()}
        return replace(self, reservoirs=res)

    def temperatures(self) -> dict[str, float | None]:
        """Temperatures of the thermal reservoirs (None for non-thermal ones)."""
        return {k: (float(d.temperature) if d.is_thermal else None) for k, d in self.distributions.items()}

    def energy_window(self) -> tuple[float, float]:
        """An energy interval holding the levels (± their widths) and every thermal window.

        [min, max] of the eigenvalues of h (± 3 ||ΣΓ||) and of μ_α ± 12 T_α: outside it the
        occupation differences of thermal reservoirs are below e^{−12} ≈ 6e-6.
        """
        levels = np.linalg.eigvalsh(self.hamiltonian)
        lo = float(levels.min()) - 3.0 * self.total_width
        hi = float(levels.max()) + 3.0 * self.total_width
        for d in self.distributions.values():
            if d.is_thermal:
                lo = min(lo, float(d.mu) - 12.0 * float(d.temperature))
                hi = max(hi, float(d.mu) + 12.0 * float(d.temperature))
        return lo, hi

    def audit(self, *, thresholds: Mapping[str, Any] | None = None, methods: Any = None,
              n_modes: int | None = None, max_modes: int = 600):
        """Is each method's model of this system in the regime where the method holds? (issue 12)

        Audits the models :func:`~thermoflux.compare.compare` runs (master equation: weak
        coupling Γ/T, Markov, secular with the Bohr frequencies of the Fock eigenbasis, detailed
        balance; Landauer; finite baths up to the plateau window; harmonic networks) and joins
        them into one :class:`thermoflux.audit.Report`, each finding's subject led by its method;
        a method that does not apply gets an ``info`` finding with the reason. ``thresholds``
        maps check ids to (warn, error) overrides; ``methods``, ``n_modes`` and ``max_modes``
        are those of ``compare``. See :func:`thermoflux.compare.audit.audit_system`.
        """
        from thermoflux.compare.audit import audit_system

        return audit_system(self, methods, thresholds=thresholds, n_modes=n_modes, max_modes=max_modes)

    def __repr__(self) -> str:
        extra = "" if self.interaction is None else ", interacting"
        return (f"OpenSystem({self.n_levels} {self.statistics} levels, reservoirs "
                f"{list(self.reservoirs)}{extra})")


def describe_system(system: OpenSystem) -> dict[str, Any]:
    """The system's parameters as plain values for result attrs (netCDF-safe after netcdf_attrs)."""
    out: dict[str, Any] = {
        "statistics": system.statistics,
        "n_levels": system.n_levels,
        "hamiltonian_real": np.real(system.hamiltonian).ravel(),
        "hamiltonian_imag": np.imag(system.hamiltonian).ravel(),
        "bandwidth": system.bandwidth,
        "interaction": None if system.interaction is None else system.interaction.ravel(),
    }
    for name, r in system.reservoirs.items():
        d = r.distribution
        out[f"reservoir.{name}.distribution"] = repr(d)
        if d.is_thermal:
            out[f"reservoir.{name}.temperature"] = as_finite(d.temperature, "temperature")
            out[f"reservoir.{name}.mu"] = as_finite(d.mu, "mu")
        out[f"reservoir.{name}.coupling_real"] = np.real(r.coupling).ravel()
        if np.iscomplexobj(r.coupling):
            out[f"reservoir.{name}.coupling_imag"] = np.imag(r.coupling).ravel()
    return out

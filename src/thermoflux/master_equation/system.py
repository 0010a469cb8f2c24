"""A discrete quantum system and the fields it couples to (seed 002, eqs. 12-16, 94-95).

:class:`System` holds the levels ε_l of H_S (its eigenbasis) and, per field, the system
operator D_j of the interaction H_I = Σ_j ∫dk (g_j(k) D_j a†_{j,k} + h.c.) (seed 002, eq. 12c).
:class:`Field` holds the field's state, through any core distribution (eq. 13 thermal Bose, eq. 95
temperature function, a non-thermal occupation, or Fermi-Dirac for a fermionic lead) and its
spectral density J(ω) = 2π Σ_k |g(k)|² δ(ω(k) − ω).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from thermoflux._validation import as_positive, as_real_array, call_user, check_hermitian, describe
from thermoflux.distributions import Distribution, bose, fermi
from thermoflux.errors import InputError

__all__ = ["System", "Field", "group_values"]


def group_values(values: np.ndarray, tol: float) -> np.ndarray:
    """Integer labels grouping ``values`` that are within ``tol`` of a neighbour (sorted chain)."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(values, kind="stable")
    gaps = np.diff(values[order]) > tol
    labels_sorted = np.concatenate([[0], np.cumsum(gaps)])
    labels = np.empty(values.size, dtype=np.int64)
    labels[order] = labels_sorted
    return labels


class System:
    """Levels ε_l of H_S and the coupling operator D_j of each field, in the eigenbasis of H_S.

    H_S = Σ_l ε_l |ε_l⟩⟨ε_l| and H_I = Σ_j ∫dk (g_j(k) D_j a†_{j,k} + g_j*(k) D_j† a_{j,k})
    (seed 002, eqs. 12b-12c).

    Parameters
    ----------
    energies : array_like, shape (N,) or (N, N)
        The levels ε_l (any order; degenerate levels allowed), or a Hermitian matrix H_S, which is
        diagonalized (``eigh``); the couplings are then given in the same basis as that matrix
        and are transformed to its eigenbasis.
    couplings : mapping str -> array_like or scipy.sparse matrix, shape (N, N)
        Per field name, the operator D_j with ⟨n|D_j|m⟩ the amplitude of the transition m → n in
        which one quantum is emitted into the field (D_j a† in eq. 12c). For a bosonic field only
        the components lowering the energy, ε_m > ε_n, are resonant and kept (rotating-wave part,
        Γ = 0 for ω <= 0 in eq. 22c); for a fermionic lead D_j is the annihilation operator of
        the system (one particle leaves into the lead) and every component is kept.
    particle_numbers : array_like, shape (N,), optional
        Number of particles in each level (e.g. 0 and 1 for a quantum dot). When given,
        :meth:`StochasticLimit.flows` checks particle conservation with it; without it the
        quanta of the fields need not be conserved (a three-level system turns one quantum into
        two) and no particle balance is asserted.
    degeneracy_tol : float, default 1e-9
        Levels, and Bohr frequencies, closer than ``degeneracy_tol * max(1, max|ε|)`` are treated
        as degenerate (grouped in one E_ω of seed 002, eq. 15b).

    Attributes
    ----------
    energies : ndarray, shape (N,)
    couplings : dict[str, scipy.sparse.csr_array]
        D_j in the eigenbasis (complex).
    basis : ndarray or None
        Eigenvectors of H_S (columns) when a matrix was given.
    """

    def __init__(self, energies: Any, couplings: Mapping[str, Any], *,
                 particle_numbers: Any = None, degeneracy_tol: float = 1e-9) -> None:
        arr = np.asarray(energies)
        if arr.ndim == 2:
            h = check_hermitian(arr, "energies")
            levels, basis = np.linalg.eigh(h)
            self.basis: np.ndarray | None = basis
        else:
            levels = as_real_array(energies, "energies", ndim=1)
            self.basis = None
        if levels.size == 0:
            raise InputError("energies must hold at least one level; got none")
        self.energies = np.ascontiguousarray(levels, dtype=float)
        n = self.energies.size
        self.degeneracy_tol = as_positive(degeneracy_tol, "degeneracy_tol")
        self.energy_tol = self.degeneracy_tol * max(1.0, float(np.max(np.abs(self.energies))))
        if not isinstance(couplings, Mapping) or not couplings:
            raise InputError("couplings must be a non-empty mapping field name -> operator D_j; "
                             f"got {describe(couplings)}")
        self.couplings: dict[str, sp.csr_array] = {}
        for name, op in couplings.items():
            label = f"couplings[{name!r}]"
            if sp.issparse(op):
                mat = sp.csr_array(op, dtype=complex)
            else:
                dense = np.asarray(op)
                if not np.issubdtype(dense.dtype, np.number):
                    raise InputError(f"{label} must be a numeric matrix; got {describe(op)}")
                mat = sp.csr_array(dense.astype(complex))
            if mat.shape != (n, n):
                raise InputError(f"{label} must have shape ({n}, {n}) to match the {n} levels; "
                                 f"got shape {mat.shape}")
            if not np.all(np.isfinite(mat.data)):
                raise InputError(f"{label} must be finite")
            if self.basis is not None:
                v = self.basis
                mat = sp.csr_array(v.conj().T @ mat.toarray() @ v)
            mat.eliminate_zeros()
            self.couplings[str(name)] = mat
        if particle_numbers is None:
            self.particle_numbers: np.ndarray | None = None
        else:
            pn = as_real_array(particle_numbers, "particle_numbers", ndim=1)
            if pn.shape != (n,):
                raise InputError(f"particle_numbers must have shape ({n},); got {pn.shape}")
            self.particle_numbers = pn
        self.level_groups = group_values(self.energies, self.energy_tol)
        self.has_degenerate_levels = bool(np.unique(self.level_groups).size < n)

    @property
    def n_levels(self) -> int:
        """Number of levels N."""
        return int(self.energies.size)

    @property
    def field_names(self) -> tuple[str, ...]:
        """Names of the coupled fields, in order."""
        return tuple(self.couplings)

    def hamiltonian(self) -> np.ndarray:
        """H_S = diag(ε) in its eigenbasis (dense)."""
        return np.diag(self.energies).astype(complex)

    def __repr__(self) -> str:
        return f"System({self.n_levels} levels, fields {list(self.couplings)})"


class Field:
    """The state of one field and its spectral density: rates Γ_−(ω) = J(ω)(1 ± n(ω)), Γ_+(ω) = J(ω) n(ω).

    Seed 002, eqs. 20, 22c, 36b: a transition of frequency ω emits a quantum into the field at
    the rate Γ_−(ω)|⟨n|D|m⟩|² and absorbs one at Γ_+(ω)|⟨n|D|m⟩|², with n(ω) the field's
    occupation (Bose: + sign; a fermionic lead: 1 − f and f).

    Parameters
    ----------
    distribution : thermoflux.Distribution
        BoseEinstein (eq. 13), TemperatureFunction (eq. 95), NonThermal, Tabulated, or
        FermiDirac for a fermionic lead.
    spectral_density : callable or float
        J(ω) = 2π Σ_k |g(k)|² δ(ω(k) − ω) >= 0 (vectorized), or a non-negative constant
        (wide band). Units of energy (rates: ħ = 1).
    frequency_range : tuple of two floats, optional
        Support of J(ω) used by the principal-value integrals of the Lamb shift. Default
        (max(0, μ), inf) for bosons and (−inf, inf) for fermions.

    Notes
    -----
    The rates are computed from the log-odds x(ω) = ln((1 ∓ n)/n) of the distribution: fermions
    1 − f = fermi(−x), f = fermi(x); bosons n = bose(x), 1 + n without cancellation. So occupations
    of exactly 0 and 1 and large β|ω − μ| are exact.
    """

    def __init__(self, distribution: Distribution, spectral_density: Callable | float, *,
                 frequency_range: tuple[float, float] | None = None) -> None:
        if not isinstance(distribution, Distribution):
            raise InputError("distribution must be a thermoflux distribution (BoseEinstein, "
                             f"FermiDirac, TemperatureFunction, NonThermal, Tabulated); got {describe(distribution)}")
        self.distribution = distribution
        if callable(spectral_density):
            self.spectral_density: Callable | float = spectral_density
        else:
            self.spectral_density = as_positive(spectral_density, "spectral_density", allow_zero=True)
        if frequency_range is None:
            if distribution.statistics == "boson":
                mu = distribution.mu
                lo = max(0.0, float(mu)) if mu is not None and np.ndim(mu) == 0 else 0.0
                frequency_range = (lo, np.inf)
            else:
                frequency_range = (-np.inf, np.inf)
        lo, hi = (float(frequency_range[0]), float(frequency_range[1]))
        if not lo < hi or np.isnan(lo) or np.isnan(hi):
            raise InputError(f"frequency_range must be (low, high) with low < high; got {frequency_range!r}")
        self.frequency_range = (lo, hi)

    @property
    def statistics(self) -> str:
        """"boson" or "fermion" (the distribution's)."""
        return self.distribution.statistics

    def spectral_values(self, omega: Any, name: str = "field") -> np.ndarray:
        """J(ω) at ``omega``, checked finite and non-negative."""
        omega = np.asarray(omega, dtype=float)
        if callable(self.spectral_density):
            values = call_user(self.spectral_density, f"spectral_density of field {name!r}", omega)
            values = np.broadcast_to(np.asarray(values, dtype=float), omega.shape).copy()
        else:
            values = np.full(omega.shape, float(self.spectral_density))
        bad = ~np.isfinite(values) | (values < 0)
        if np.any(bad):
            raise InputError(f"spectral_density of field {name!r} must be finite and non-negative; got "
                             f"J({omega[bad].flat[0]:.6g}) = {values[bad].flat[0]!r}")
        return values

    def log_odds(self, omega: Any, name: str = "field") -> np.ndarray:
        """x(ω) = ln((1 ∓ n)/n) of the field at the Bohr frequencies, checked physical."""
        omega = np.asarray(omega, dtype=float)
        try:
            x = np.asarray(self.distribution.log_odds(omega), dtype=float)
        except InputError as exc:
            raise InputError(f"field {name!r}: the occupation is not physical at a Bohr frequency: {exc}") from exc
        x = np.broadcast_to(x, omega.shape).copy()
        if np.any(np.isnan(x)):
            raise InputError(f"field {name!r}: the occupation's log-odds is NaN at a Bohr frequency "
                             f"ω = {omega[np.isnan(x)].flat[0]:.6g}")
        if self.statistics == "boson" and np.any(x <= 0):
            w = omega[x <= 0].flat[0]
            raise InputError(f"field {name!r}: a Bose occupation must be positive and finite at every "
                             f"Bohr frequency, i.e. ω > μ; at ω = {w:.6g} the log-odds is "
                             f"{x[x <= 0].flat[0]:.6g} (occupation negative or infinite)")
        return x

    def rates(self, omega: Any, name: str = "field") -> tuple[np.ndarray, np.ndarray]:
        """(Γ_−(ω), Γ_+(ω)) per unit |⟨n|D|m⟩|²: emission J(1 ± n), absorption J n (seed 002, eq. 36b)."""
        omega = np.asarray(omega, dtype=float)
        spectral = self.spectral_values(omega, name)
        x = self.log_odds(omega, name)
        if self.statistics == "fermion":
            return spectral * fermi(-x), spectral * fermi(x)
        n = bose(x)
        return spectral * (1.0 + n), spectral * n

    def __repr__(self) -> str:
        return f"Field({self.distribution!r}, {self.spectral_density!r})"

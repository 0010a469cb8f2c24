"""Quadratic fermionic models: a small system tunnel-coupled to baths of finitely many free modes.

Seed 001, eqs. 1, 15–17: H = H_S + Σ_ν Σ_k ε_νk c†_νk c_νk + Σ_ν Σ_k (t_νk,s c†_s c_νk + h.c.).
The whole model is one Hermitian single-particle matrix 𝓗 (the many-body H = Σ_ij 𝓗_ij c†_i c_j)
with a labelled partition of its sites into the system (first) and the baths (each a contiguous
block of independent modes, whose bath–bath part of 𝓗 is diagonal).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from thermoflux._validation import as_finite, as_positive, as_real_array, check_hermitian, describe
from thermoflux.errors import InputError

__all__ = ["QuadraticModel", "resonant_level", "wide_band_coupling", "dense_work_bytes", "check_memory"]

#: Peak memory of the propagation in N × N real numbers: 𝓗, its eigenvectors V and V†, the
#: LAPACK eigh workspace and copy, the coupling part of 𝓗 and [X, G(0)], and the bath-pair
#: weights 1/(e_k − e_l) (measured peak: 13.2 N² at N = 2001 "structured", 14.7 N² "dense";
#: the estimate stays a little below, so nothing that fits is refused).
DENSE_WORK_ARRAYS = 12


def dense_work_bytes(size: int, *, is_complex: bool = False) -> int:
    """Estimated peak memory (bytes) of propagating a model of ``size`` single-particle sites.

    The propagation diagonalises the dense N × N Hamiltonian once and keeps N × N work arrays
    (:data:`DENSE_WORK_ARRAYS` of them, 8 bytes per real number, 16 for a complex 𝓗).
    """
    itemsize = 16 if is_complex else 8
    return DENSE_WORK_ARRAYS * itemsize * int(size) ** 2


def _available_memory() -> int | None:
    """Bytes of memory available: MemAvailable of /proc/meminfo, else the physical memory."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def _format_bytes(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000:
            return f"{n:.3g} {unit}"
        n /= 1000
    return f"{n:.3g} EB"


def check_memory(size: int, name: str, *, is_complex: bool = False) -> None:
    """Raise InputError, naming ``name``, if a model of ``size`` sites cannot fit in memory.

    Compares :func:`dense_work_bytes` with the memory available now (``MemAvailable`` of
    /proc/meminfo, else the physical memory); does nothing if neither can be read.
    """
    need = dense_work_bytes(size, is_complex=is_complex)
    available = _available_memory()
    if available is not None and need > available:
        raise InputError(
            f"{name}: a finite-bath model of N = {size} single-particle sites needs about "
            f"{_format_bytes(need)} for its dense N x N work arrays ({DENSE_WORK_ARRAYS} N^2 "
            f"{'complex' if is_complex else 'real'} numbers), more than the {_format_bytes(available)} "
            "of memory available; use fewer modes")


@dataclass(frozen=True, eq=False)
class QuadraticModel:
    """A system of ``n_system`` levels coupled to baths of independent fermionic modes.

    The single-particle Hamiltonian is ordered [system levels, bath 1 modes, bath 2 modes, ...]:

        𝓗 = [[h_S,  T_1†, T_2†, ...],
             [T_1,  diag(ε_1), 0, ...],
             [T_2,  0, diag(ε_2), ...], ...]

    where T_ν[k, s] is the amplitude of c†_νk c_s (the Hermitian conjugate term c†_s c_νk
    carries conj(T_ν[k, s])).

    Parameters
    ----------
    system_hamiltonian : array_like, shape (n_S, n_S)
        Hermitian single-particle Hamiltonian of the system (energy units).
    bath_energies : mapping str -> array_like, shape (K_ν,)
        Mode energies ε_νk of each bath, keyed by bath name (the order is kept).
    couplings : mapping str -> array_like, shape (K_ν, n_S) or (K_ν,)
        Tunnel amplitudes T_ν[k, s]; a 1-D array couples every mode to a single-level system.

    Notes
    -----
    Seed 001, eqs. 15–17 (one level) generalised to several levels and baths. The model is
    validated once here, including whether its dense N × N work arrays fit in memory
    (:func:`check_memory`; InputError naming ``bath_energies`` if not); the eigendecomposition
    of 𝓗 is computed on first use and cached.
    """

    system_hamiltonian: Any
    bath_energies: Mapping[str, Any]
    couplings: Mapping[str, Any]
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        hs = np.atleast_2d(np.asarray(self.system_hamiltonian))
        if hs.ndim != 2 or hs.shape[0] != hs.shape[1] or hs.shape[0] == 0:
            raise InputError(f"system_hamiltonian must be a non-empty square matrix; got shape {hs.shape}")
        hs = check_hermitian(hs, "system_hamiltonian").astype(complex if np.iscomplexobj(hs) else float)
        n_s = hs.shape[0]
        if not isinstance(self.bath_energies, Mapping) or not self.bath_energies:
            raise InputError("bath_energies must be a non-empty mapping bath name -> mode energies; "
                             f"got {describe(self.bath_energies)}")
        if not isinstance(self.couplings, Mapping) or set(self.couplings) != set(self.bath_energies):
            raise InputError("couplings must be a mapping with the same bath names as bath_energies "
                             f"({sorted(self.bath_energies)}); got {describe(self.couplings)}")
        energies: dict[str, np.ndarray] = {}
        coupl: dict[str, np.ndarray] = {}
        for name, eps in self.bath_energies.items():
            if not isinstance(name, str) or not name:
                raise InputError(f"bath names must be non-empty strings; got {name!r}")
            eps = as_real_array(eps, f"bath_energies[{name!r}]", ndim=1)
            if eps.size == 0:
                raise InputError(f"bath_energies[{name!r}] must hold at least one mode; got none")
            t = np.asarray(self.couplings[name])
            if t.dtype == object or not np.issubdtype(t.dtype, np.number):
                raise InputError(f"couplings[{name!r}] must be numeric; got {describe(t)}")
            if t.ndim == 1:
                t = t[:, None]
            if t.shape != (eps.size, n_s):
                raise InputError(f"couplings[{name!r}] must have shape ({eps.size}, {n_s}) "
                                 f"(modes x system levels); got {t.shape}")
            if not np.all(np.isfinite(t)):
                raise InputError(f"couplings[{name!r}] must be finite")
            energies[name] = eps
            coupl[name] = t.astype(complex) if np.iscomplexobj(t) else t.astype(float)
        size = n_s + sum(eps.size for eps in energies.values())
        check_memory(size, "bath_energies", is_complex=np.iscomplexobj(hs)
                     or any(np.iscomplexobj(t) for t in coupl.values()))
        set_(self, "system_hamiltonian", hs)
        set_(self, "bath_energies", energies)
        set_(self, "couplings", coupl)

    # -- structure ------------------------------------------------------------------------
    @property
    def n_system(self) -> int:
        """Number of system levels n_S."""
        return self.system_hamiltonian.shape[0]

    @property
    def bath_names(self) -> tuple[str, ...]:
        """Bath names in Hamiltonian order."""
        return tuple(self.bath_energies)

    @property
    def n_modes(self) -> dict[str, int]:
        """Number of modes K_ν of each bath."""
        return {name: eps.size for name, eps in self.bath_energies.items()}

    @property
    def size(self) -> int:
        """Number of single-particle sites N = n_S + Σ_ν K_ν."""
        return self.n_system + sum(self.n_modes.values())

    @property
    def bath_slices(self) -> dict[str, slice]:
        """Index range of each bath's modes in the single-particle basis."""
        out, start = {}, self.n_system
        for name, k in self.n_modes.items():
            out[name] = slice(start, start + k)
            start += k
        return out

    @property
    def site_energies(self) -> np.ndarray:
        """Bare on-site energies diag(𝓗) (system diagonal, then the bath mode energies)."""
        return np.concatenate([np.real(np.diag(self.system_hamiltonian))]
                              + [self.bath_energies[n] for n in self.bath_names])

    @property
    def is_real(self) -> bool:
        """True when 𝓗 is real symmetric."""
        return not (np.iscomplexobj(self.system_hamiltonian)
                    or any(np.iscomplexobj(t) for t in self.couplings.values()))

    @property
    def site_labels(self) -> np.ndarray:
        """Label of each site: "S" for the system, else the bath name."""
        return np.array(["S"] * self.n_system + [n for n in self.bath_names
                                                  for _ in range(self.n_modes[n])])

    def hamiltonian(self) -> np.ndarray:
        """The single-particle Hamiltonian 𝓗 (N × N, Hermitian; energy units)."""
        if "h" not in self._cache:
            n_s, dtype = self.n_system, (float if self.is_real else complex)
            h = np.zeros((self.size, self.size), dtype=dtype)
            h[:n_s, :n_s] = self.system_hamiltonian
            for name, sl in self.bath_slices.items():
                t = self.couplings[name]
                h[sl, :n_s] = t
                h[:n_s, sl] = t.conj().T
                h[sl, sl] = np.diag(self.bath_energies[name])
            h.setflags(write=False)
            self._cache["h"] = h
        return self._cache["h"]

    def eigensystem(self) -> tuple[np.ndarray, np.ndarray]:
        """Eigenvalues λ_n (ascending) and orthonormal eigenvectors (columns) of 𝓗, cached."""
        if "eig" not in self._cache:
            lam, vec = np.linalg.eigh(self.hamiltonian())
            lam.setflags(write=False)
            vec.setflags(write=False)
            self._cache["eig"] = (lam, vec)
        return self._cache["eig"]

    def audit(self, reservoirs: Mapping[str, Any], *, times: Any,
              thresholds: Mapping[str, Any] | None = None):
        """Do the finite baths still stand for infinite reservoirs at ``times``? (issue 12)

        Checks recurrence, continuum, bandwidth and heat-capacity for the baths' initial thermal
        states ``reservoirs`` (bath -> FermiDirac); see
        :func:`thermoflux.finite_baths.audit.audit_finite_baths`. Returns a
        :class:`thermoflux.audit.Report`.
        """
        from thermoflux.finite_baths.audit import audit_finite_baths

        return audit_finite_baths(self, reservoirs, times, thresholds=thresholds)

    def __repr__(self) -> str:
        baths = ", ".join(f"{n}: {k}" for n, k in self.n_modes.items())
        return f"QuadraticModel(n_system={self.n_system}, modes={{{baths}}})"


def wide_band_coupling(gamma: float, spacing: float) -> float:
    """Tunnel amplitude t = √(Γ Δε / 2π) of a wide-band bath with level spacing Δε.

    With this t the golden-rule rate 2π |t|² / Δε equals Γ (seed 001, Sec. III), so a level
    coupled to the bath is broadened to a Lorentzian of full width Γ (summed over baths).
    """
    gamma = as_positive(gamma, "coupling")
    spacing = as_positive(spacing, "spacing")
    return float(np.sqrt(gamma * spacing / (2.0 * np.pi)))


def _per_bath(value: Any, name: str, baths: tuple[str, ...]) -> dict[str, Any]:
    if isinstance(value, Mapping):
        if set(value) != set(baths):
            raise InputError(f"{name} must give a value for each bath {list(baths)}; got keys {sorted(value)}")
        return {b: value[b] for b in baths}
    return {b: value for b in baths}


def resonant_level(n_modes: int | Mapping[str, int], bandwidth: float,
                   coupling: float | Mapping[str, float], level: float = 0.0, *,
                   baths: tuple[str, ...] = ("L", "R")) -> QuadraticModel:
    """Single resonant level between baths of K equally spaced modes (seed 001, Sec. III).

    H = ε_d c†_d c_d + Σ_ν Σ_k ε_νk c†_νk c_νk + Σ_ν Σ_k t_ν (c†_d c_νk + h.c.), with
    ε_νk = (k − 1) Δε_ν − W/2, Δε_ν = W/(K_ν − 1) and t_ν = √(Γ_ν Δε_ν / 2π).

    Parameters
    ----------
    n_modes : int or mapping bath -> int
        Modes per bath K_ν (at least 2); a mapping gives asymmetric baths (seed 001, App. A).
    bandwidth : float
        Energy window W > 0 the modes span, [−W/2, W/2].
    coupling : float or mapping bath -> float
        Wide-band coupling strength Γ_ν > 0 (energy units; the level's width is Σ_ν Γ_ν).
    level : float, default 0.0
        Level energy ε_d.
    baths : tuple of str, default ("L", "R")
        Bath names.

    Returns
    -------
    QuadraticModel

    Raises
    ------
    InputError
        Bad arguments, or a model too large for memory (:func:`check_memory`, naming
        ``n_modes``), before any array is built.

    Notes
    -----
    Seed 001, eqs. 15–17 and Sec. III (symmetric baths) and App. A (K_L ≠ K_R).
    """
    if isinstance(baths, str) or len(baths) == 0 or len(set(baths)) != len(baths):
        raise InputError(f"baths must be a tuple of distinct names; got {baths!r}")
    bandwidth = as_positive(bandwidth, "bandwidth")
    level = as_finite(level, "level")
    ks = _per_bath(n_modes, "n_modes", baths)
    gammas = _per_bath(coupling, "coupling", baths)
    for b in baths:
        k = ks[b]
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 2:
            raise InputError(f"n_modes of bath {b!r} must be an integer >= 2; got {k!r}")
    check_memory(1 + sum(int(ks[b]) for b in baths), "n_modes")
    energies, couplings = {}, {}
    for b in baths:
        k = ks[b]
        gamma = as_positive(gammas[b], f"coupling of bath {b!r}")
        spacing = bandwidth / (k - 1)
        energies[b] = np.arange(k) * spacing - bandwidth / 2
        couplings[b] = np.full(k, wide_band_coupling(gamma, spacing))
    return QuadraticModel(np.array([[level]]), energies, couplings)

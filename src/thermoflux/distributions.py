"""Reservoir distributions: thermal, non-thermal, tabulated and temperature-function.

A reservoir of free fermions or bosons is described by its single-particle occupation f(E).
Every distribution offers the occupation, the log-odds

    x(E) = ln((1 ∓ f(E)) / f(E))        (− for fermions, + for bosons),

which for a thermal reservoir is exactly β(E − μ) and is computed from the exponent (never from
f, which saturates at 0 or 1 long before x overflows), the entropy per state s(f) (seed 004,
eq. 4) and the energy-dependent effective temperature (seed 004, eq. A9).

Units: ħ = k_B = 1; energies, temperatures and chemical potentials share one unit.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.special import expit

from thermoflux._validation import (
    as_finite,
    as_real_array,
    call_user,
    check_callable,
    check_choice,
    check_occupations,
    describe,
)
from thermoflux.errors import InputError

__all__ = [
    "STATISTICS",
    "Distribution",
    "FermiDirac",
    "BoseEinstein",
    "NonThermal",
    "Tabulated",
    "TemperatureFunction",
    "fermi",
    "bose",
    "occupation_from_log_odds",
    "log_odds_from_occupation",
]

STATISTICS = ("fermion", "boson")


def fermi(x: Any) -> np.ndarray:
    """Fermi function 1/(e^x + 1), stable for every real x (``expit(-x)``); x = β(E − μ)."""
    return expit(-np.asarray(x, dtype=float))


def bose(x: Any) -> np.ndarray:
    """Bose function 1/(e^x − 1) = 1/expm1(x), accurate for small and large x > 0.

    It is +inf at x = 0 and negative for x < 0 (no physical occupation there); callers that
    need a physical occupation check x >= 0 first.
    """
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", over="ignore"):
        return 1.0 / np.expm1(x)


def occupation_from_log_odds(x: Any, statistics: str) -> np.ndarray:
    """Occupation f from the log-odds x = ln((1 ∓ f)/f): fermions f = 1/(e^x+1), bosons 1/(e^x−1)."""
    check_choice(statistics, "statistics", STATISTICS)
    return fermi(x) if statistics == "fermion" else bose(x)


def log_odds_from_occupation(f: Any, statistics: str) -> np.ndarray:
    """Log-odds ln((1 ∓ f)/f) from an occupation; exactly +inf at f = 0 and −inf at f = 1 (fermions).

    Prefer a distribution's own :meth:`Distribution.log_odds`, which does not lose the digits
    that f itself has already lost near 0 and 1.
    """
    check_choice(statistics, "statistics", STATISTICS)
    f = np.asarray(f, dtype=float)
    with np.errstate(divide="ignore"):
        if statistics == "fermion":
            return np.log1p(-f) - np.log(f)
        return np.log1p(1.0 / f)


class Distribution(ABC):
    """A reservoir's single-particle occupation as a function of energy.

    Subclasses implement :meth:`log_odds` (and may override :meth:`occupation` when they know a
    more direct form). All methods take an array of energies and return an array of its shape.

    Attributes
    ----------
    statistics : {"fermion", "boson"}
    mu : float or None
        The chemical potential (thermal reservoirs) or a reference one given by the user;
        None for a non-thermal distribution built without one.
    is_thermal : bool
        True for Fermi-Dirac and Bose-Einstein distributions.
    """

    statistics: str
    mu: Any = None
    is_thermal: bool = False

    @abstractmethod
    def log_odds(self, energies: Any) -> np.ndarray:
        """ln((1 ∓ f)/f) at ``energies`` (− fermions, + bosons), computed without saturation."""

    def occupation(self, energies: Any) -> np.ndarray:
        """Occupation f(E) at ``energies``."""
        return occupation_from_log_odds(self.log_odds(energies), self.statistics)

    def entropy_density(self, energies: Any) -> np.ndarray:
        """Entropy per single-particle state, s = −f ln f ∓ (1 ∓ f) ln(1 ∓ f) (seed 004, eq. 4)."""
        from thermoflux.entropy import mode_entropy_from_log_odds

        return mode_entropy_from_log_odds(self.log_odds(energies), self.statistics)

    def effective_temperature(self, energies: Any, reference_mu: float = 0.0) -> np.ndarray:
        """Energy-dependent effective temperature T_eff(E) = (E − μ_ref) / ln((1 ∓ f)/f).

        Seed 004, eq. A9. For a thermal distribution with μ = μ_ref it is the temperature at
        every energy. Where the log-odds vanish (f = 1/2 for fermions) T_eff is ±inf, and 0/0
        at E = μ_ref gives NaN.
        """
        energies = np.asarray(energies, dtype=float)
        reference_mu = as_finite(reference_mu, "reference_mu")
        with np.errstate(divide="ignore", invalid="ignore"):
            return (energies - reference_mu) / self.log_odds(energies)


def _thermal_parameters(beta: Any, temperature: Any, mu: Any, cls: str) -> tuple[Any, Any]:
    if (beta is None) == (temperature is None):
        raise InputError(f"{cls} needs exactly one of beta or temperature; got beta={beta!r}, "
                         f"temperature={temperature!r}")
    name = "beta" if beta is not None else "temperature"
    value = as_real_array(beta if beta is not None else temperature, name, finite=False)
    if not np.all(np.isfinite(value)) or np.any(value <= 0):
        hint = " (for zero temperature use a large finite beta)" if name == "beta" else ""
        raise InputError(f"{name} of {cls} must be positive and finite{hint}; got {name}={describe(value if value.ndim else float(value))}")
    beta_value = value if name == "beta" else 1.0 / value
    mu_value = as_real_array(mu, "mu")
    unwrap = (lambda a: float(a) if a.ndim == 0 else a)
    return unwrap(beta_value), unwrap(mu_value)


class _Thermal(Distribution):
    is_thermal = True
    _name = ""

    def __init__(self, *, beta: Any = None, mu: Any = 0.0, temperature: Any = None) -> None:
        self.beta, self.mu = _thermal_parameters(beta, temperature, mu, self._name)

    @property
    def temperature(self) -> Any:
        """Temperature T = 1/β (k_B = 1)."""
        return 1.0 / self.beta

    def __repr__(self) -> str:
        return f"{self._name}(beta={self.beta!r}, mu={self.mu!r})"

    def __eq__(self, other: object) -> bool:
        return (type(self) is type(other) and np.array_equal(self.beta, other.beta)
                and np.array_equal(self.mu, other.mu))

    def __hash__(self) -> int:
        return hash((self._name, np.asarray(self.beta).tobytes(), np.asarray(self.mu).tobytes()))


class FermiDirac(_Thermal):
    """Fermi-Dirac distribution f(E) = 1/(e^{β(E−μ)} + 1).

    Parameters
    ----------
    beta : float or array_like, optional
        Inverse temperature, positive and finite. Give exactly one of ``beta`` or ``temperature``.
    mu : float or array_like, default 0.0
        Chemical potential.
    temperature : float or array_like, optional
        Temperature T = 1/β (k_B = 1).

    Notes
    -----
    Every parameter is keyword-only: ``FermiDirac(0.7, -0.4)`` is easily read as T = 0.7, so it
    raises TypeError; write ``FermiDirac(beta=0.7, mu=-0.4)`` or ``FermiDirac(temperature=...)``.
    Array-valued ``beta`` and ``mu`` broadcast against the energies, so many parameter points
    evaluate in one call. The log-odds is exactly β(E − μ) and the occupation ``expit(−x)``, so
    both stay accurate at any β|E − μ|.
    """

    statistics = "fermion"
    _name = "FermiDirac"

    def log_odds(self, energies: Any) -> np.ndarray:
        return self.beta * (np.asarray(energies, dtype=float) - self.mu)


class BoseEinstein(_Thermal):
    """Bose-Einstein distribution n(E) = 1/(e^{β(E−μ)} − 1), defined for E > μ.

    Parameters are those of :class:`FermiDirac`. Asking for an energy below μ raises
    :class:`~thermoflux.InputError` (no physical occupation exists there); at E = μ the
    occupation is +inf.
    """

    statistics = "boson"
    _name = "BoseEinstein"

    def log_odds(self, energies: Any) -> np.ndarray:
        x = self.beta * (np.asarray(energies, dtype=float) - self.mu)
        if np.any(x < 0):
            raise InputError(
                "energies: a Bose-Einstein occupation needs E >= mu; got E - mu down to "
                f"{float(np.min(x / self.beta)):.6g}"
            )
        return x


class TemperatureFunction(Distribution):
    """A distribution with an energy-dependent inverse temperature: x(E) = β(E)·(E − μ).

    Seed 002, eq. 95 (temperature functions of non-equilibrium stationary states) and seed
    004, eq. A3. The occupation is 1/(e^{β(E)(E−μ)} ± 1).

    Parameters
    ----------
    beta_of_energy : callable
        Vectorized β(E) > 0.
    mu : float, default 0.0
    statistics : {"boson", "fermion"}, default "boson"
    """

    def __init__(self, beta_of_energy: Callable, mu: float = 0.0, statistics: str = "boson") -> None:
        self.beta_of_energy = check_callable(beta_of_energy, "beta_of_energy")
        self.mu = as_finite(mu, "mu")
        self.statistics = check_choice(statistics, "statistics", STATISTICS)

    def log_odds(self, energies: Any) -> np.ndarray:
        energies = np.asarray(energies, dtype=float)
        beta = np.asarray(call_user(self.beta_of_energy, "beta_of_energy", energies), dtype=float)
        if np.any(~np.isfinite(beta)) or np.any(beta <= 0):
            raise InputError("beta_of_energy must return positive finite values; got "
                             f"{describe(beta[~(np.isfinite(beta) & (beta > 0))])}")
        x = beta * (energies - self.mu)
        if self.statistics == "boson" and np.any(x < 0):
            raise InputError("energies: a bosonic temperature function needs E >= mu")
        return np.broadcast_to(x, np.broadcast_shapes(x.shape, energies.shape)).copy()

    def __repr__(self) -> str:
        return f"TemperatureFunction({self.beta_of_energy!r}, mu={self.mu!r}, statistics={self.statistics!r})"


class NonThermal(Distribution):
    """Any occupation f(E) given as a callable: a non-equilibrium incoherent reservoir (seed 004).

    Parameters
    ----------
    occupation : callable
        Vectorized f(E); values must be physical (0 <= f <= 1 for fermions, f >= 0 for
        bosons) or :class:`~thermoflux.InputError` is raised -- nothing is clipped.
    statistics : {"fermion", "boson"}
    mu : float, optional
        A reference chemical potential, used for the heat current J^Q = J^E − μ J^N. Without
        one the heat current equals the energy current.
    log_odds : callable, optional
        An exact ln((1 ∓ f)/f) where f saturates; otherwise it is computed from f.
    """

    def __init__(self, occupation: Callable, statistics: str, *, mu: float | None = None,
                 log_odds: Callable | None = None) -> None:
        self._occupation = check_callable(occupation, "occupation")
        self.statistics = check_choice(statistics, "statistics", STATISTICS)
        self.mu = None if mu is None else as_finite(mu, "mu")
        self._log_odds = None if log_odds is None else check_callable(log_odds, "log_odds")

    def occupation(self, energies: Any) -> np.ndarray:
        energies = np.asarray(energies, dtype=float)
        f = call_user(self._occupation, "occupation", energies)
        f = check_occupations(f, "occupation", self.statistics)
        return np.broadcast_to(f, np.broadcast_shapes(f.shape, energies.shape)).copy()

    def log_odds(self, energies: Any) -> np.ndarray:
        if self._log_odds is not None:
            energies = np.asarray(energies, dtype=float)
            x = np.asarray(call_user(self._log_odds, "log_odds", energies), dtype=float)
            return np.broadcast_to(x, np.broadcast_shapes(x.shape, energies.shape)).copy()
        return log_odds_from_occupation(self.occupation(energies), self.statistics)

    def __repr__(self) -> str:
        return f"NonThermal({self._occupation!r}, {self.statistics!r}, mu={self.mu!r})"


class Tabulated(Distribution):
    """An occupation tabulated on an energy grid, interpolated linearly in f.

    Parameters
    ----------
    energies : array_like, shape (n,)
        Strictly increasing energies, n >= 2.
    occupations : array_like, shape (n,)
        Physical occupations at those energies.
    statistics : {"fermion", "boson"}
    mu : float, optional
        Reference chemical potential (see :class:`NonThermal`).
    outside : {"hold", "raise"}, default "hold"
        Outside the table, hold the end values, or raise :class:`~thermoflux.InputError`.
    """

    def __init__(self, energies: Any, occupations: Any, statistics: str, *, mu: float | None = None,
                 outside: str = "hold") -> None:
        self.statistics = check_choice(statistics, "statistics", STATISTICS)
        e = as_real_array(energies, "energies", ndim=1)
        f = check_occupations(as_real_array(occupations, "occupations", ndim=1), "occupations",
                              self.statistics)
        if e.size < 2:
            raise InputError(f"energies must hold at least two points; got {e.size}")
        if f.shape != e.shape:
            raise InputError(f"occupations must have the shape of energies {e.shape}; got {f.shape}")
        if np.any(np.diff(e) <= 0):
            raise InputError("energies must be strictly increasing")
        self.energies, self.occupations = e, f
        self.mu = None if mu is None else as_finite(mu, "mu")
        self.outside = check_choice(outside, "outside", ("hold", "raise"))

    def occupation(self, energies: Any) -> np.ndarray:
        energies = np.asarray(energies, dtype=float)
        if self.outside == "raise" and np.any((energies < self.energies[0]) | (energies > self.energies[-1])):
            raise InputError(f"energies outside the tabulated range [{self.energies[0]}, {self.energies[-1]}]")
        return np.interp(energies, self.energies, self.occupations)

    def log_odds(self, energies: Any) -> np.ndarray:
        return log_odds_from_occupation(self.occupation(energies), self.statistics)

    def __repr__(self) -> str:
        return (f"Tabulated({self.energies.size} points on [{self.energies[0]:g}, "
                f"{self.energies[-1]:g}], {self.statistics!r})")

"""Flows: per-reservoir currents and entropy bookkeeping, and the efficiency of machines.

Sign convention (DESIGN.md): a particle, energy or heat current of reservoir α is positive when
it flows **out of α into the system**. The heat current is J^Q_α = J^E_α − μ_α J^N_α. The
entropy entry ``entropy[α]`` is dS_α/dt, the rate of change of reservoir α's own entropy: −J^Q_α/T_α
for a thermal reservoir, the entropy current of seed 004 (eq. 6) for a non-thermal one. The
entropy production is σ = dS_system/dt + Σ_α dS_α/dt >= 0.

The bounds on machines follow seed 004, eqs. 11-16, rewritten in this sign convention: with a
reference (environment) temperature T0 and chemical potential μ0, the exergy rate supplied by
reservoir α is

    A_α = J^E_α − μ0 J^N_α + T0 dS_α/dt,

which equals J^N_α(μ_α − μ0) + J^Q_α(1 − T0/T_α) for a thermal reservoir and −dℰ_α/dt (eq. 14)
for a non-thermal one, and T0 σ = P + Σ_α A_α in a steady state (P: power done on the system).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from thermoflux._table import text_table
from thermoflux._validation import as_finite, as_positive, as_real_array, check_choice
from thermoflux.distributions import Distribution
from thermoflux.errors import InputError, warn_thermodynamics

__all__ = [
    "Flows",
    "Noise",
    "MachinePerformance",
    "SIGN_CONVENTION",
    "exergy_rates",
    "machine_performance",
    "heat_engine_efficiency",
    "carnot_efficiency",
    "carnot_cop",
]

SIGN_CONVENTION = (
    "currents of reservoir alpha are positive when flowing out of alpha into the system; "
    "heat = energy - mu*particle; entropy_flow[alpha] = dS_alpha/dt of reservoir alpha; "
    "entropy_production = dS_system/dt + sum_alpha dS_alpha/dt >= 0"
)  # the units are stated once, in thermoflux.io.UNITS


def _as_mapping(values: Mapping[str, Any], name: str, keys: tuple[str, ...] | None, *,
                allow_nan: bool = False) -> dict[str, float]:
    if not isinstance(values, Mapping):
        raise InputError(f"{name} must be a mapping reservoir name -> value; got {type(values).__name__}")

    def value(k: Any, v: Any) -> float:
        if allow_nan and isinstance(v, float | np.floating) and math.isnan(v):
            return math.nan
        return as_finite(v, f"{name}[{k!r}]")

    out = {str(k): value(k, v) for k, v in values.items()}
    if keys is not None and tuple(out) != keys:
        raise InputError(f"{name} must have the reservoirs {list(keys)} in that order; got {list(out)}")
    return out


def _optional_mapping(values: Mapping[str, Any] | None, name: str, keys: tuple[str, ...]) -> dict[str, float | None]:
    if values is None:
        return {k: None for k in keys}
    if not isinstance(values, Mapping) or set(values) != set(keys):
        raise InputError(f"{name} must map every reservoir {list(keys)} to a value or None")
    return {k: (None if values[k] is None else as_finite(values[k], f"{name}[{k!r}]")) for k in keys}


def _chemical(particle_current: float, mu: float) -> float:
    """μ J^N, zero when μ = 0 even if J^N is undefined (NaN: quanta not conserved, no chemical work)."""
    return 0.0 if mu == 0 else mu * particle_current


@dataclass(frozen=True)
class Flows:
    """Steady-state (or instantaneous) flows of every reservoir, with entropy bookkeeping.

    Attributes
    ----------
    particle, energy, heat : dict[str, float]
        Currents out of each reservoir into the system (particles, energy, heat) per unit time,
        ħ = k_B = e = 1. Heat J^Q_α = J^E_α − μ_α J^N_α.
    entropy : dict[str, float]
        dS_α/dt of each reservoir's own entropy (−J^Q_α/T_α for thermal ones).
    temperature, chemical_potential : dict[str, float or None]
        Of thermal reservoirs; None for non-thermal ones (μ may be a user reference).
    power : float
        Work per unit time done on the system by external agents (0 without driving).
    system_particle_rate, system_energy_rate, system_entropy_rate : float
        dN/dt, dE/dt and dS/dt of the system (0 in a steady state).
    method : str
        Which method produced the flows.
    conserves_particles : bool
        False when the coupling does not conserve the reservoirs' quanta (photons absorbed and
        emitted by a multi-level system, seed 002); there is then no particle law to check and
        ``particle_residual`` is NaN. Only then may a ``particle`` entry be NaN: an undefined
        number current, e.g. of μ = 0 bosons through a transmission with T(0) > 0, whose count
        of soft quanta diverges while energy, heat and entropy currents are finite
        (:meth:`thermoflux.landauer.Junction.flows`). Such a reservoir has no chemical work: its
        heat current is its energy current, and μ·J^N terms with μ = 0 count as zero.

    Notes
    -----
    Conservation: ``particle_residual`` = Σ_α J^N_α − dN_S/dt and ``energy_residual`` =
    Σ_α J^E_α + P − dE_S/dt vanish; ``entropy_production`` = dS_S/dt + Σ_α dS_α/dt >= 0.
    :meth:`check` warns with :class:`~thermoflux.ThermodynamicsWarning` when they do not.
    """

    particle: Mapping[str, float]
    energy: Mapping[str, float]
    heat: Mapping[str, float]
    entropy: Mapping[str, float]
    temperature: Mapping[str, float | None] = field(default=None)  # type: ignore[assignment]
    chemical_potential: Mapping[str, float | None] = field(default=None)  # type: ignore[assignment]
    power: float = 0.0
    system_particle_rate: float = 0.0
    system_energy_rate: float = 0.0
    system_entropy_rate: float = 0.0
    method: str = ""
    conserves_particles: bool = True

    def __post_init__(self) -> None:
        particle = _as_mapping(self.particle, "particle", None, allow_nan=not self.conserves_particles)
        keys = tuple(particle)
        if not keys:
            raise InputError("particle must name at least one reservoir; got an empty mapping")
        set_ = object.__setattr__
        set_(self, "particle", particle)
        for name in ("energy", "heat", "entropy"):
            set_(self, name, _as_mapping(getattr(self, name), name, keys))
        set_(self, "temperature", _optional_mapping(self.temperature, "temperature", keys))
        set_(self, "chemical_potential", _optional_mapping(self.chemical_potential, "chemical_potential", keys))
        for name in ("power", "system_particle_rate", "system_energy_rate", "system_entropy_rate"):
            set_(self, name, as_finite(getattr(self, name), name))

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_currents(cls, reservoirs: Mapping[str, Distribution], particle: Mapping[str, Any],
                      energy: Mapping[str, Any], entropy: Mapping[str, Any] | None = None, *,
                      power: float = 0.0, system_particle_rate: float = 0.0,
                      system_energy_rate: float = 0.0, system_entropy_rate: float = 0.0,
                      method: str = "", conserves_particles: bool = True) -> Flows:
        """Build flows from particle and energy currents and the reservoirs' distributions.

        The heat current is J^E − μ J^N (μ = 0 for a distribution without one). The entropy
        rate of a thermal reservoir defaults to −J^Q/T; for a non-thermal reservoir it must be
        given (seed 004, eq. 6), or :class:`~thermoflux.InputError` is raised.
        """
        if not isinstance(reservoirs, Mapping) or not reservoirs:
            raise InputError("reservoirs must be a non-empty mapping name -> distribution")
        keys = tuple(reservoirs)
        particle = _as_mapping(particle, "particle", keys, allow_nan=not conserves_particles)
        energy = _as_mapping(energy, "energy", keys)
        given = {} if entropy is None else _as_mapping(entropy, "entropy", keys)
        heat, entropy_out, temperature, mu_out = {}, {}, {}, {}
        for name, dist in reservoirs.items():
            if not isinstance(dist, Distribution):
                raise InputError(f"reservoirs[{name!r}] must be a thermoflux distribution; got {type(dist).__name__}")
            mu = getattr(dist, "mu", None)
            if mu is not None and np.ndim(mu) != 0:
                raise InputError(f"reservoirs[{name!r}] has an array of chemical potentials; Flows holds one point")
            heat[name] = energy[name] - _chemical(particle[name], 0.0 if mu is None else float(mu))
            mu_out[name] = None if mu is None else float(mu)
            if dist.is_thermal:
                temperature[name] = float(dist.temperature)
                entropy_out[name] = given.get(name, -heat[name] / temperature[name])
            else:
                temperature[name] = None
                if name not in given:
                    raise InputError(f"entropy of the non-thermal reservoir {name!r} must be given (seed 004, eq. 6)")
                entropy_out[name] = given[name]
        return cls(particle, energy, heat, entropy_out, temperature, mu_out, power=power,
                   system_particle_rate=system_particle_rate, system_energy_rate=system_energy_rate,
                   system_entropy_rate=system_entropy_rate, method=method,
                   conserves_particles=conserves_particles)

    # -- derived quantities -------------------------------------------------------------------
    @property
    def reservoirs(self) -> tuple[str, ...]:
        """Reservoir names, in order."""
        return tuple(self.particle)

    @property
    def entropy_production(self) -> float:
        """σ = dS_system/dt + Σ_α dS_α/dt (>= 0 by the second law)."""
        return self.system_entropy_rate + math.fsum(self.entropy.values())

    @property
    def particle_residual(self) -> float:
        """Σ_α J^N_α − dN_system/dt (zero by particle conservation; NaN if not conserved)."""
        if not self.conserves_particles:
            return math.nan
        return math.fsum(self.particle.values()) - self.system_particle_rate

    @property
    def energy_residual(self) -> float:
        """Σ_α J^E_α + P − dE_system/dt (zero by the first law)."""
        return math.fsum(self.energy.values()) + self.power - self.system_energy_rate

    def check(self, *, rtol: float = 1e-8, atol: float = 1e-12, hint: str | None = None) -> bool:
        """Warn (ThermodynamicsWarning) if a conservation law or the second law fails.

        A residual r fails when |r| > atol + rtol · scale, the scale being the sum of the
        magnitudes of the terms that enter it; σ fails when σ < −(atol + rtol · Σ|dS_α/dt|).
        ``hint`` names the likely cause in the method's own terms (e.g. "check that the
        weights are physical"). Returns True when everything holds.
        """
        cause = hint or "the model may not be physical"
        ok = True
        scale_n = math.fsum(abs(v) for v in self.particle.values()) + abs(self.system_particle_rate)
        scale_e = (math.fsum(abs(v) for v in self.energy.values()) + abs(self.power)
                   + abs(self.system_energy_rate))
        scale_s = math.fsum(abs(v) for v in self.entropy.values()) + abs(self.system_entropy_rate)
        if self.conserves_particles and abs(self.particle_residual) > atol + rtol * scale_n:
            ok = False
            warn_thermodynamics(f"particle current not conserved: residual {self.particle_residual:.3g} "
                                f"(scale {scale_n:.3g}); {cause}")
        if abs(self.energy_residual) > atol + rtol * scale_e:
            ok = False
            warn_thermodynamics(f"first law violated: energy residual {self.energy_residual:.3g} "
                                f"(scale {scale_e:.3g}); {cause}")
        if self.entropy_production < -(atol + rtol * scale_s):
            ok = False
            warn_thermodynamics(f"second law violated: entropy production {self.entropy_production:.3g} < 0 "
                                f"(scale {scale_s:.3g}); {cause}")
        return ok

    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict of every field and the entropy production."""
        return {
            "particle": dict(self.particle), "energy": dict(self.energy), "heat": dict(self.heat),
            "entropy": dict(self.entropy), "temperature": dict(self.temperature),
            "chemical_potential": dict(self.chemical_potential), "power": self.power,
            "system_particle_rate": self.system_particle_rate,
            "system_energy_rate": self.system_energy_rate,
            "system_entropy_rate": self.system_entropy_rate,
            "entropy_production": self.entropy_production, "method": self.method,
            "conserves_particles": self.conserves_particles,
        }

    def to_dataset(self, attrs: Mapping[str, Any] | None = None):
        """The flows as an ``xarray.Dataset`` with dim ``reservoir``.

        Variables: ``particle_current``, ``energy_current``, ``heat_current``, ``entropy_flow``,
        ``temperature`` and ``chemical_potential`` (NaN where not thermal) on ``reservoir``;
        scalars ``entropy_production``, ``power``. attrs: :func:`thermoflux.io.result_attrs` of
        ``self.method``, updated with ``attrs`` (a method's own :func:`~thermoflux.io.result_attrs`,
        or extra keys, flattened with :func:`~thermoflux.io.netcdf_attrs`).
        """
        import xarray as xr

        from thermoflux.io import netcdf_attrs, result_attrs

        names = list(self.reservoirs)
        nan = float("nan")

        def column(mapping: Mapping[str, float | None]) -> np.ndarray:
            return np.array([nan if mapping[k] is None else mapping[k] for k in names], dtype=float)

        def var(mapping: Mapping[str, float | None], long_name: str, units: str) -> Any:
            return xr.DataArray(column(mapping), dims="reservoir", attrs={"long_name": long_name, "units": units})

        ds = xr.Dataset(
            {
                "particle_current": var(self.particle, "particle current out of the reservoir", "1/time"),
                "energy_current": var(self.energy, "energy current out of the reservoir", "energy/time"),
                "heat_current": var(self.heat, "heat current out of the reservoir", "energy/time"),
                "entropy_flow": var(self.entropy, "rate of change of the reservoir's entropy", "1/time"),
                "temperature": var(self.temperature, "reservoir temperature (NaN: non-thermal)", "energy"),
                "chemical_potential": var(self.chemical_potential, "chemical potential (NaN: none)", "energy"),
                "entropy_production": xr.DataArray(self.entropy_production, attrs={"long_name": "entropy production rate", "units": "1/time"}),
                "power": xr.DataArray(self.power, attrs={"long_name": "power done on the system", "units": "energy/time"}),
            },
            coords={"reservoir": ("reservoir", names, {"long_name": "reservoir", "units": "1"})},
        )
        ds.attrs.update(result_attrs(self.method))
        ds.attrs.update(netcdf_attrs(attrs or {}))  # a method's own result_attrs, or extra keys
        return ds

    def table(self) -> str:
        """A plain-text table of the flows, one row per reservoir, and the entropy production."""
        def fmt(v: float | None) -> str:
            return "-" if v is None else f"{v:.6g}"

        rows = [[k, fmt(self.temperature[k]), fmt(self.chemical_potential[k]), fmt(self.particle[k]),
                 fmt(self.energy[k]), fmt(self.heat[k]), fmt(self.entropy[k])] for k in self.reservoirs]
        lines = text_table(["reservoir", "T", "mu", "particle", "energy", "heat", "dS/dt"], rows)
        lines.append(lines[1])
        lines.append(f"entropy production  {self.entropy_production:.6g}   (>= 0)")
        if self.power:
            lines.append(f"power on the system {self.power:.6g}")
        lines.append("currents are positive out of the reservoir into the system; hbar = k_B = e = 1")
        return "\n".join(lines)

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}: J^N={self.particle[k]:.4g}, J^E={self.energy[k]:.4g}" for k in self.reservoirs)
        return f"Flows({parts}; entropy_production={self.entropy_production:.4g})"


class MachinePerformance(NamedTuple):
    """Output and input of a machine in exergy units; ``ratio = output/input <= 1`` (second law)."""

    output: float
    input: float
    ratio: float


_MACHINES = ("motor", "pump", "heat_engine", "heat_pump")


def exergy_rates(flows: Flows, reference_temperature: float, reference_mu: float = 0.0) -> dict[str, float]:
    """Exergy rate supplied by each reservoir: A_α = J^E_α − μ0 J^N_α + T0 dS_α/dt.

    Seed 004, eq. 11 in thermoflux's sign convention (currents out of the reservoir). For a
    thermal reservoir A_α = J^N_α(μ_α − μ0) + J^Q_α(1 − T0/T_α); for a non-thermal one
    A_l = −dℰ_l/dt with ℰ_l = U_l − μ0 n_l − T0 S_l (eq. 14). In a steady state,
    T0 σ = P + Σ_α A_α.
    """
    t0 = as_positive(reference_temperature, "reference_temperature")
    mu0 = as_finite(reference_mu, "reference_mu")
    return {k: flows.energy[k] - _chemical(flows.particle[k], mu0) + t0 * flows.entropy[k]
            for k in flows.reservoirs}


def _split_terms(flows: Flows, t0: float, mu0: float) -> tuple[float, float, float]:
    """Chemical and thermal exergy of the thermal reservoirs, and the non-thermal exergy."""
    chemical = thermal = nonthermal = 0.0
    rates = exergy_rates(flows, t0, mu0)
    for k in flows.reservoirs:
        temperature = flows.temperature[k]
        if temperature is None:
            nonthermal += rates[k]
            continue
        mu = flows.chemical_potential[k] or 0.0
        chemical += _chemical(flows.particle[k], mu - mu0)
        thermal += flows.heat[k] * (1.0 - t0 / temperature)
    return chemical, thermal, nonthermal


def machine_performance(flows: Flows, machine: str, *, reference_temperature: float,
                        reference_mu: float = 0.0) -> MachinePerformance:
    """Second-law performance of a machine driven by thermal and non-thermal reservoirs.

    Seed 004, eqs. 15-16, in thermoflux's sign convention, with T0, μ0 the reference
    (environment) temperature and chemical potential, P = ``flows.power`` the power done on
    the system, and A_l the exergy rates of the non-thermal reservoirs (:func:`exergy_rates`):

    ==============  ==============================  =========================================
    machine         output                          input
    ==============  ==============================  =========================================
    "motor"         −P                              Σ_r J^N_r(μ_r − μ0) + Σ_r J^Q_r(1 − T0/T_r) + Σ_l A_l
    "heat_engine"   −P                              (the same as "motor")
    "pump"          −Σ_r J^N_r(μ_r − μ0)            P + Σ_r J^Q_r(1 − T0/T_r) + Σ_l A_l
    "heat_pump"     −Σ_r J^Q_r(1 − T0/T_r)          P + Σ_r J^N_r(μ_r − μ0) + Σ_l A_l
    ==============  ==============================  =========================================

    (r: thermal reservoirs, l: non-thermal ones.) The second law, T0 σ = output-side terms +
    input >= 0, gives ratio = output/input <= 1. A thermoelectric generator is a "pump" (its
    output is chemical work, its input heat) and a Peltier cooler a "heat_pump". For a
    refrigerator between T_h = T0 and T_c driven by a non-thermal reservoir, the ratio is
    COP / COP_Carnot with COP = J^Q_c / (T0 dS_l/dt) (seed 004, eq. 22); for a heat engine with
    T0 = T_c it is η / η_Carnot.

    Notes
    -----
    Seed 004 writes eq. 13 with currents *into* the reservoirs and Ẇ_F the power delivered by
    the system; here every sign is flipped to currents out of the reservoirs and P = −Ẇ_F.
    The paper sets the thermal term to zero for motors and pumps and the chemical term to zero
    for heat engines and heat pumps; where such a term is present it is counted as input, so
    the ratio is still bounded by 1.
    """
    check_choice(machine, "machine", _MACHINES)
    t0 = as_positive(reference_temperature, "reference_temperature")
    mu0 = as_finite(reference_mu, "reference_mu")
    chemical, thermal, nonthermal = _split_terms(flows, t0, mu0)
    if machine in ("motor", "heat_engine"):
        output, inp = -flows.power, chemical + thermal + nonthermal
    elif machine == "pump":
        output, inp = -chemical, flows.power + thermal + nonthermal
    else:
        output, inp = -thermal, flows.power + chemical + nonthermal
    ratio = output / inp if inp != 0 else (math.copysign(math.inf, output) if output else math.nan)
    return MachinePerformance(output, inp, ratio)


def heat_engine_efficiency(flows: Flows) -> float:
    """Conventional efficiency η = −P / Σ_{α: J^Q_α > 0} J^Q_α (output power over heat absorbed).

    Bounded by :func:`carnot_efficiency` of the hottest and coldest thermal reservoirs when all
    reservoirs are thermal.
    """
    absorbed = math.fsum(q for q in flows.heat.values() if q > 0)
    if absorbed == 0:
        raise InputError("flows: no reservoir gives heat to the system, the efficiency is undefined")
    return -flows.power / absorbed


def carnot_efficiency(t_hot: float, t_cold: float) -> float:
    """Carnot efficiency 1 − T_c/T_h."""
    t_hot = as_positive(t_hot, "t_hot")
    t_cold = as_positive(t_cold, "t_cold")
    if t_cold > t_hot:
        raise InputError(f"t_cold must not exceed t_hot; got t_hot={t_hot}, t_cold={t_cold}")
    return 1.0 - t_cold / t_hot


def carnot_cop(t_hot: float, t_cold: float) -> float:
    """Carnot coefficient of performance of a refrigerator, T_c/(T_h − T_c) (seed 004, after eq. 23)."""
    t_hot = as_positive(t_hot, "t_hot")
    t_cold = as_positive(t_cold, "t_cold")
    if t_cold >= t_hot:
        raise InputError(f"t_cold must be below t_hot; got t_hot={t_hot}, t_cold={t_cold}")
    return t_cold / (t_hot - t_cold)


_NOISE_UNITS = {"particle": "1/time", "energy": "energy^2/time"}


@dataclass(frozen=True)
class Noise:
    """Zero-frequency current noise S_αβ of every pair of reservoirs, the same in every method.

    S_αβ = ∫dt ⟨δI_α(t) δI_β(0)⟩ (symmetrized) of the currents I_α *out of* the reservoirs
    (DESIGN.md sign), so S_αα is the scaled second cumulant κ_2 of reservoir α's outflow and,
    when the counted quantity is conserved, every row sums to zero. Landauer: Büttiker's
    formula (:meth:`thermoflux.landauer.Junction.noise`); mixture: seed 000, eq. 117
    (:meth:`thermoflux.mixture.MixtureState.noise`).

    Attributes
    ----------
    reservoirs : tuple of str
        Names of the rows and columns, in order.
    matrix : ndarray, shape B + (N, N)
        S_αβ: the last two axes are the reservoirs (row α, column β); leading axes B, if any,
        are a batch of parameter points (a mixture state with array β or μ carries its
        parameter shape S there). Particles²/time (``counting="particle"``; ħ = e = 1) or
        energy²/time (``counting="energy"``).
    counting : {"particle", "energy"}
        What the currents count.
    thermal, shot : ndarray of the shape of ``matrix``, or None
        The thermal (Johnson–Nyquist) and shot (partition) parts of ``matrix``, where the
        method separates them (a two-terminal Landauer junction from T(E)); None otherwise.
    method : str
        Which method produced the noise.

    Examples
    --------
    ``noise["L", "R"]`` is S_LR (a float, or an array of shape B for a batch);
    ``noise.to_dataset()`` has dims ``reservoir`` and ``reservoir_`` (after any batch dims).
    """

    reservoirs: tuple[str, ...]
    matrix: np.ndarray
    counting: str = "particle"
    thermal: np.ndarray | None = None
    shot: np.ndarray | None = None
    method: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if isinstance(self.reservoirs, str) or not isinstance(self.reservoirs, Sequence):
            raise InputError(f"reservoirs must be a sequence of names; got {type(self.reservoirs).__name__}")
        names = tuple(str(k) for k in self.reservoirs)
        if not names or len(set(names)) != len(names):
            raise InputError(f"reservoirs must be distinct names, at least one; got {list(names)}")
        set_(self, "reservoirs", names)
        check_choice(self.counting, "counting", _NOISE_UNITS)
        n = len(names)
        matrix = as_real_array(self.matrix, "matrix")
        if matrix.ndim < 2 or matrix.shape[-2:] != (n, n):
            raise InputError(f"matrix must have shape B + ({n}, {n}) over the reservoirs {list(names)}; "
                             f"got shape {matrix.shape}")
        set_(self, "matrix", matrix)
        for part in ("thermal", "shot"):
            value = getattr(self, part)
            if value is None:
                continue
            value = as_real_array(value, part)
            if value.shape != matrix.shape:
                raise InputError(f"{part} must have the shape of matrix {matrix.shape}; got {value.shape}")
            set_(self, part, value)

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape B of the leading batch axes (``()`` for one parameter point)."""
        return self.matrix.shape[:-2]

    @property
    def units(self) -> str:
        """Units of S_αβ: ``"1/time"`` (particles²/time) or ``"energy^2/time"``."""
        return _NOISE_UNITS[self.counting]

    def _index(self, name: Any, argument: str) -> int:
        if name not in self.reservoirs:
            raise InputError(f"{argument} must be one of {', '.join(map(repr, self.reservoirs))}; got {name!r}")
        return self.reservoirs.index(name)

    def __getitem__(self, key: tuple[str, str]) -> Any:
        """S_αβ for ``key = (α, β)`` by reservoir name: a float, or an array of shape B."""
        if not isinstance(key, tuple) or len(key) != 2:
            raise InputError(f"noise is indexed by two reservoir names, noise['a', 'b']; got {key!r}")
        value = self.matrix[..., self._index(key[0], "row"), self._index(key[1], "column")]
        return float(value) if value.ndim == 0 else value

    def to_dataset(self, *, batch_dims: Sequence[str] | None = None, attrs: Mapping[str, Any] | None = None):
        """The noise as an ``xarray.Dataset``: ``noise`` on dims (*batch, ``reservoir``, ``reservoir_``).

        ``reservoir_`` is the column (second) reservoir, as ``mode_`` is the second mode of the
        harmonic networks' matrices. ``thermal_noise`` and ``shot_noise`` are added when known.

        Parameters
        ----------
        batch_dims : sequence of str, optional
            Names of the leading batch axes; default ``point`` for one axis, ``point_0``,
            ``point_1``, ... for several.
        attrs : mapping, optional
            Extra attributes (e.g. the parameters that produced the noise).
        """
        import xarray as xr

        from thermoflux.io import netcdf_attrs, result_attrs

        batch = self.batch_shape
        if batch_dims is None:
            batch_dims = ("point",) if len(batch) == 1 else tuple(f"point_{i}" for i in range(len(batch)))
        batch_dims = tuple(batch_dims)
        if len(batch_dims) != len(batch) or not all(isinstance(d, str) for d in batch_dims):
            raise InputError(f"batch_dims must name the {len(batch)} batch axes of shape {batch}; got {batch_dims!r}")
        dims = (*batch_dims, "reservoir", "reservoir_")
        what = f"{self.counting} current"
        parts = {"noise": (self.matrix, f"zero-frequency noise of the {what}s out of the reservoirs"),
                 "thermal_noise": (self.thermal, f"thermal (Johnson-Nyquist) part of the {what} noise"),
                 "shot_noise": (self.shot, f"shot (partition) part of the {what} noise")}
        data = {name: xr.DataArray(value, dims=dims, attrs={"long_name": long_name, "units": self.units})
                for name, (value, long_name) in parts.items() if value is not None}
        names = list(self.reservoirs)
        label = {"units": "1"}
        ds = xr.Dataset(data, coords={"reservoir": ("reservoir", names, {"long_name": "row reservoir", **label}),
                                      "reservoir_": ("reservoir_", names, {"long_name": "column reservoir", **label})})
        ds.attrs.update(result_attrs(self.method, counting=self.counting))
        ds.attrs.update(netcdf_attrs(dict(attrs or {})))
        return ds

    def __repr__(self) -> str:
        batch = f", batch {self.batch_shape}" if self.batch_shape else ""
        return f"Noise({self.counting} counting; reservoirs {list(self.reservoirs)}{batch})"

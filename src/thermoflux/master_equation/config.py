"""Run one stochastic-limit calculation from a parsed TOML configuration (``method = "master_equation"``).

Schema (every number can be overridden by its dotted path, e.g. ``fields.hot.temperature``)::

    method = "master_equation"
    energies = [0.0, 1.0, 2.5]            # levels ε_l
    particle_numbers = [0, 1, 1]          # optional
    lamb_shift = false                    # optional
    [fields.hot]
    statistics = "boson"                  # or "fermion"
    temperature = 2.0                     # or beta = 0.5 (exactly one)
    mu = 0.0                              # optional
    coupling = [[0, 1, 0], [0, 0, 1], [0, 0, 0]]   # D_j, N x N, real
    coupling_imag = [[...]]               # optional imaginary part
    [fields.hot.spectral_density]
    kind = "constant"                     # J = strength; or "ohmic": J = strength ω e^{−|ω|/cutoff}
    strength = 0.1
    cutoff = 10.0                         # ohmic only
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from thermoflux.distributions import BoseEinstein, FermiDirac
from thermoflux.errors import InputError
from thermoflux.io import netcdf_attrs, software_attrs

__all__ = ["run", "model_from_config"]

_TOP = {"method", "energies", "particle_numbers", "lamb_shift", "fields"}
_FIELD = {"statistics", "temperature", "beta", "mu", "coupling", "coupling_imag", "spectral_density"}
_SPECTRAL = {"kind", "strength", "cutoff"}


def _number(value: Any, key: str, *, positive: bool = False, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{key}: must be a number; got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise InputError(f"{key}: must be finite; got {value!r}")
    if positive and (value < 0 or (value == 0 and not allow_zero)):
        raise InputError(f"{key}: must be {'non-negative' if allow_zero else 'positive'}; got {value!r}")
    return value


def _unknown(mapping: Mapping, allowed: set[str], prefix: str) -> None:
    extra = sorted(set(mapping) - allowed)
    if extra:
        raise InputError(f"{prefix}{extra[0]}: unknown key (allowed: {', '.join(sorted(allowed))})")


def _matrix(value: Any, key: str, n: int) -> np.ndarray:
    if not isinstance(value, list) or len(value) != n or not all(isinstance(r, list) and len(r) == n for r in value):
        raise InputError(f"{key}: must be an {n}x{n} list of lists of numbers")
    return np.array([[_number(v, f"{key}[{i}][{j}]") for j, v in enumerate(row)] for i, row in enumerate(value)])


def _spectral(spec: Any, key: str):
    if isinstance(spec, bool) or isinstance(spec, (int, float)):
        return _number(spec, key, positive=True, allow_zero=True)
    if not isinstance(spec, Mapping):
        raise InputError(f"{key}: must be a number or a table with kind, strength[, cutoff]")
    _unknown(spec, _SPECTRAL, key + ".")
    kind = spec.get("kind", "constant")
    if kind not in ("constant", "ohmic"):
        raise InputError(f"{key}.kind: must be 'constant' or 'ohmic'; got {kind!r}")
    if "strength" not in spec:
        raise InputError(f"{key}.strength: missing")
    strength = _number(spec["strength"], f"{key}.strength", positive=True, allow_zero=True)
    if kind == "constant":
        return strength
    if "cutoff" not in spec:
        raise InputError(f"{key}.cutoff: missing (needed by kind = 'ohmic')")
    cutoff = _number(spec["cutoff"], f"{key}.cutoff", positive=True)
    return lambda w: strength * np.abs(w) * np.exp(-np.abs(w) / cutoff)


def model_from_config(config: Mapping[str, Any]):
    """Build the :class:`StochasticLimit` described by ``config`` (validated; InputError names the key)."""
    from thermoflux.master_equation.stochastic_limit import StochasticLimit
    from thermoflux.master_equation.system import Field, System

    if not isinstance(config, Mapping):
        raise InputError(f"config: must be a table; got {type(config).__name__}")
    _unknown(config, _TOP, "")
    if config.get("method", "master_equation") != "master_equation":
        raise InputError(f"method: must be 'master_equation'; got {config.get('method')!r}")
    for key in ("energies", "fields"):
        if key not in config:
            raise InputError(f"{key}: missing")
    energies = config["energies"]
    if not isinstance(energies, list) or not energies:
        raise InputError("energies: must be a non-empty list of numbers")
    e = np.array([_number(v, f"energies[{i}]") for i, v in enumerate(energies)])
    n = e.size
    pn = None
    if "particle_numbers" in config:
        raw = config["particle_numbers"]
        if not isinstance(raw, list) or len(raw) != n:
            raise InputError(f"particle_numbers: must be a list of {n} numbers")
        pn = np.array([_number(v, f"particle_numbers[{i}]") for i, v in enumerate(raw)])
    lamb = config.get("lamb_shift", False)
    if not isinstance(lamb, bool):
        raise InputError(f"lamb_shift: must be true or false; got {lamb!r}")
    fields_cfg = config["fields"]
    if not isinstance(fields_cfg, Mapping) or not fields_cfg:
        raise InputError("fields: must be a table with at least one field")
    couplings, fields = {}, {}
    for name, spec in fields_cfg.items():
        key = f"fields.{name}"
        if not isinstance(spec, Mapping):
            raise InputError(f"{key}: must be a table")
        _unknown(spec, _FIELD, key + ".")
        for req in ("statistics", "coupling", "spectral_density"):
            if req not in spec:
                raise InputError(f"{key}.{req}: missing")
        stats = spec["statistics"]
        if stats not in ("boson", "fermion"):
            raise InputError(f"{key}.statistics: must be 'boson' or 'fermion'; got {stats!r}")
        if ("temperature" in spec) == ("beta" in spec):
            raise InputError(f"{key}.temperature: give exactly one of temperature or beta")
        mu = _number(spec.get("mu", 0.0), f"{key}.mu")
        cls = BoseEinstein if stats == "boson" else FermiDirac
        if "temperature" in spec:
            dist = cls(mu=mu, temperature=_number(spec["temperature"], f"{key}.temperature", positive=True))
        else:
            dist = cls(_number(spec["beta"], f"{key}.beta", positive=True), mu)
        d = _matrix(spec["coupling"], f"{key}.coupling", n).astype(complex)
        if "coupling_imag" in spec:
            d = d + 1j * _matrix(spec["coupling_imag"], f"{key}.coupling_imag", n)
        couplings[str(name)] = d
        fields[str(name)] = Field(dist, _spectral(spec["spectral_density"], f"{key}.spectral_density"))
    system = System(e, couplings, particle_numbers=pn)
    return StochasticLimit(system, fields, lamb_shift=lamb)


def run(config: Mapping[str, Any]):
    """One stationary calculation: flows, populations, micro-currents and temperature function.

    Returns
    -------
    xarray.Dataset
        The variables of :meth:`Flows.to_dataset` (dim ``reservoir``: the fields; DESIGN sign),
        ``populations`` and ``temperature_function`` (dim ``level``), ``micro_particle_current``
        and ``micro_energy_current`` (field, upper, lower; seed 002 sign: into the field), and
        ``detailed_balance`` (0/1, Kolmogorov criterion). attrs hold the config.
    """
    model = model_from_config(config)
    flows = model.flows()
    ds = flows.to_dataset()
    pops = model.stationary_populations()
    ds["populations"] = ("level", pops, {"units": "1"})
    ds["temperature_function"] = model.temperature_function().drop_vars("energy").rename(None)
    ds = ds.assign_coords(level=np.arange(pops.size))
    ds["energy_level"] = ("level", model.system.energies, {"units": "energy"})
    ds["micro_particle_current"] = model.micro_currents("particle").rename({"field": "reservoir"})
    ds["micro_energy_current"] = model.micro_currents("energy").rename({"field": "reservoir"})
    try:
        db = model.satisfies_detailed_balance()
    except InputError:
        db = model.satisfies_detailed_balance(method="currents")
    ds["detailed_balance"] = ((), int(db), {"long_name": "Kolmogorov criterion (seed 002, eq. 26)"})
    ds.attrs.update(netcdf_attrs({"config": dict(config), **software_attrs(),
                                  "reference": "seed 002 (Accardi, Imafuku)"}))
    for name in ds.variables:
        ds[name].attrs = netcdf_attrs(ds[name].attrs)
    return ds

"""Run one stochastic-limit calculation from a parsed TOML configuration (``method = "master_equation"``).

Schema (every number can be overridden by its dotted path, e.g. ``reservoirs.hot.temperature``)::

    method = "master_equation"
    energies = [0.0, 1.0, 2.5]            # levels ε_l
    particle_numbers = [0, 1, 1]          # optional
    lamb_shift = false                    # optional
    [reservoirs.hot]                      # one per field: the one reservoir form of every method
    statistics = "boson"                  # or "fermion"
    temperature = 2.0                     # or beta = 0.5 (exactly one), or an occupation table
    mu = 0.0                              # optional, default 0.0
    coupling = [[0, 1, 0], [0, 0, 1], [0, 0, 0]]   # D_j, N x N, real
    coupling_imag = [[...]]               # optional imaginary part
    [reservoirs.hot.spectral_density]
    kind = "constant"                     # J = strength; or "ohmic": J = strength ω e^{−|ω|/cutoff}
    strength = 0.1
    cutoff = 10.0                         # ohmic only
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from thermoflux import _config as cfg
from thermoflux.errors import InputError
from thermoflux.io import netcdf_attrs

__all__ = ["run", "model_from_config", "audit"]

_TOP = {"method", "energies", "particle_numbers", "lamb_shift", "reservoirs"}
_FIELD = {"coupling", "coupling_imag", "spectral_density"}    # the method's own reservoir keys
_SPECTRAL = {"kind", "strength", "cutoff"}


def _spectral(spec: Any, key: str):
    if isinstance(spec, bool) or isinstance(spec, (int, float)):
        return cfg.number(spec, key, nonnegative=True)
    if not isinstance(spec, Mapping):
        raise InputError(f"{key}: must be a number or a table with kind, strength[, cutoff]")
    cfg.table(spec, key, allowed=_SPECTRAL, required=("strength",))
    kind = cfg.choice(spec.get("kind", "constant"), f"{key}.kind", ("constant", "ohmic"))
    strength = cfg.number(spec["strength"], f"{key}.strength", nonnegative=True)
    if kind == "constant":
        return strength
    if "cutoff" not in spec:
        raise InputError(f"{key}.cutoff: missing (needed by kind = 'ohmic')")
    cutoff = cfg.number(spec["cutoff"], f"{key}.cutoff", positive=True)
    return lambda w: strength * np.abs(w) * np.exp(-np.abs(w) / cutoff)


def model_from_config(config: Mapping[str, Any]):
    """Build the :class:`StochasticLimit` described by ``config`` (validated; InputError names the key)."""
    from thermoflux.master_equation.stochastic_limit import StochasticLimit
    from thermoflux.master_equation.system import Field, System

    cfg.table(config, "", allowed=_TOP, required=("energies", "reservoirs"))
    if config.get("method", "master_equation") != "master_equation":
        raise InputError(f"method: must be 'master_equation'; got {config.get('method')!r}")
    e = np.array(cfg.numbers(config["energies"], "energies"))
    n = e.size
    pn = None
    if "particle_numbers" in config:
        pn = np.array(cfg.numbers(config["particle_numbers"], "particle_numbers", length=n))
    lamb = config.get("lamb_shift", False)
    if not isinstance(lamb, bool):
        raise InputError(f"lamb_shift: must be true or false; got {lamb!r}")
    fields_cfg = config["reservoirs"]
    if not isinstance(fields_cfg, Mapping) or not fields_cfg:
        raise InputError("reservoirs: must be a table with at least one reservoir (a field)")
    couplings, fields = {}, {}
    for name, spec in fields_cfg.items():
        key = f"reservoirs.{name}"
        dist = cfg.reservoir(spec, key, extra=_FIELD)
        cfg.table(spec, key, required=("coupling", "spectral_density"))
        d = cfg.matrix(spec["coupling"], f"{key}.coupling", shape=(n, n)).astype(complex)
        if "coupling_imag" in spec:
            d = d + 1j * cfg.matrix(spec["coupling_imag"], f"{key}.coupling_imag", shape=(n, n))
        couplings[str(name)] = d
        fields[str(name)] = cfg.built(key, Field, dist, _spectral(spec["spectral_density"], f"{key}.spectral_density"))
    system = System(e, couplings, particle_numbers=pn)
    return StochasticLimit(system, fields, lamb_shift=lamb)


def run(config: Mapping[str, Any]):
    """One stationary calculation: :meth:`StochasticLimit.to_dataset` of the model, attrs with the config.

    Returns
    -------
    xarray.Dataset
        The flows (dim ``reservoir``: the fields; DESIGN sign), populations, temperature
        function, micro-currents and detailed balance of
        :meth:`~thermoflux.master_equation.StochasticLimit.to_dataset`; attrs also hold the config.
    """
    ds = model_from_config(config).to_dataset()
    ds.attrs.update(netcdf_attrs({"config": dict(config)}))
    return ds


def audit(config: Mapping[str, Any], *, thresholds: Mapping[str, Any] | None = None):
    """Audit of the model ``config`` describes (:meth:`StochasticLimit.audit`); a :class:`~thermoflux.audit.Report`."""
    return model_from_config(config).audit(thresholds=thresholds)

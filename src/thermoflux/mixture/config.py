"""Run one mixture-state calculation from a parsed TOML configuration (``thermoflux run``).

Schema (every number may be overridden by a dotted path, e.g. ``reservoirs.hot.mu``)::

    method = "mixture"              # optional here (the CLI dispatches on it)
    statistics = "fermion"          # or "boson"; optional, default "fermion"
    mass = 1.0                      # optional, default 1.0

    [reservoirs.hot]                # exactly two reservoirs, in gate order (G_1 first)
    temperature = 2.0               # or beta = ...
    mu = 0.0

    [reservoirs.cold]
    beta = 2.0
    mu = 0.3

    [weights]
    kind = "step"                   # "step" (eq. 9: c_plus, c_minus) or "gaussian" (eq. 11: xi)
    c_plus = 0.5
    c_minus = 0.0

    [outputs]                       # optional
    cumulants = 4                   # highest order of W_n^conn[j] (>= 2), default 4
    entropy_moments = 3             # highest order of W_n[Ṡ] (>= 1), default 3
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from thermoflux import _config as cfg
from thermoflux.errors import InputError

__all__ = ["run", "build_state", "audit"]

_TOP = {"method", "statistics", "mass", "reservoirs", "weights", "outputs"}
_WEIGHT_KEYS = {"step": {"kind", "c_plus", "c_minus"}, "gaussian": {"kind", "xi"}}
_OUTPUT_KEYS = {"cumulants", "entropy_moments"}


def _reservoir(name: str, spec: Any, statistics: str):
    key = f"reservoirs.{name}"
    spec = cfg.table(spec, key, allowed={"beta", "temperature", "mu"})
    dist = cfg.thermal_distribution(spec, key, statistics, default_mu=None)
    if statistics == "boson" and dist.mu >= 0:
        raise InputError(f"{key}.mu: a Bose reservoir needs mu below the band bottom 0; got {dist.mu!r}")
    return dist


def _weights(table: Any):
    from thermoflux.mixture.weights import gaussian_weights, step_weights

    table = cfg.table(table, "weights")
    kind = cfg.choice(table.get("kind"), "weights.kind", tuple(_WEIGHT_KEYS))
    cfg.table(table, "weights", allowed=_WEIGHT_KEYS[kind], required=_WEIGHT_KEYS[kind])
    if kind == "step":
        c_plus = cfg.number(table["c_plus"], "weights.c_plus", minimum=-0.5, maximum=0.5)
        c_minus = cfg.number(table["c_minus"], "weights.c_minus", minimum=-0.5, maximum=0.5)
        return step_weights(c_plus, c_minus)
    return gaussian_weights(cfg.number(table["xi"], "weights.xi", positive=True))


def build_state(config: Mapping[str, Any]):
    """The :class:`MixtureState` a config describes, with the numbers of cumulants and moments asked for."""
    from thermoflux.mixture.state import MixtureState

    config = cfg.table(config, "", allowed=_TOP)
    if config.get("method", "mixture") != "mixture":   # optional: the CLI dispatches on it and drops it
        raise InputError(f"method: must be 'mixture' for this runner; got {config.get('method')!r}")
    statistics = cfg.choice(config.get("statistics", "fermion"), "statistics", ("fermion", "boson"))
    mass = cfg.number(config.get("mass", 1.0), "mass", positive=True)
    if "reservoirs" not in config:
        raise InputError("reservoirs: missing")
    reservoirs_table = cfg.table(config["reservoirs"], "reservoirs")
    if len(reservoirs_table) != 2:
        raise InputError(f"reservoirs: exactly two reservoirs (gates G_1, G_2) are supported; got {len(reservoirs_table)}")
    reservoirs = {str(n): _reservoir(str(n), t, statistics) for n, t in reservoirs_table.items()}
    if "weights" not in config:
        raise InputError("weights: missing")
    weights = _weights(config["weights"])
    outputs = cfg.table(config.get("outputs", {}), "outputs", allowed=_OUTPUT_KEYS)
    n_cumulants = cfg.integer(outputs.get("cumulants", 4), "outputs.cumulants", minimum=2)
    n_moments = cfg.integer(outputs.get("entropy_moments", 3), "outputs.entropy_moments", minimum=1)

    return MixtureState(reservoirs, weights, mass=mass), n_cumulants, n_moments


def audit(config: Mapping[str, Any], *, thresholds: Mapping[str, Any] | None = None):
    """Audit of the mixture state ``config`` describes: the checks on any Flows (no method-specific ones)."""
    from thermoflux.audit import audit_flows

    state, _, _ = build_state(config)
    return audit_flows(state.flows(), thresholds=thresholds, subject="mixture: stationary flows")


def run(config: Mapping[str, Any]):
    """Compute the flows and fluctuations of one two-reservoir mixture state (seed 000).

    Parameters
    ----------
    config : mapping
        The parsed TOML (schema in the module docstring).

    Returns
    -------
    xarray.Dataset
        :meth:`MixtureState.to_dataset <thermoflux.mixture.MixtureState.to_dataset>` with the
        orders asked for in ``[outputs]``, and the config in ``attrs`` (flattened).

    Raises
    ------
    InputError
        Messages start with the dotted key at fault.
    """
    from thermoflux.io import netcdf_attrs

    state, n_cumulants, n_moments = build_state(config)
    ds = state.to_dataset(max_order=n_cumulants, entropy_moments=n_moments)
    ds.attrs.update(netcdf_attrs({"config": dict(config)}))
    return ds

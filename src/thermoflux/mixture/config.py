"""Run one mixture-state calculation from a parsed TOML configuration (``thermoflux run``).

Schema (every number may be overridden by a dotted path, e.g. ``reservoirs.hot.mu``)::

    method = "mixture"              # optional here (the CLI dispatches on it)
    mass = 1.0                      # optional, default 1.0

    [reservoirs.hot]                # exactly two reservoirs, in gate order (G_1 first)
    statistics = "fermion"          # or "boson" (the same for both; bosons need mu < 0)
    temperature = 2.0               # or beta = ...
    mu = 0.0                        # default 0.0

    [reservoirs.cold]
    statistics = "fermion"
    beta = 2.0
    mu = 0.3

Reservoirs are thermal (seed 000 mixes Gibbs states); the form is the one of every method
(``thermoflux._config.reservoir``), and MixtureState's own checks (one statistics, a Bose μ
below the band) are reported under ``reservoirs``.

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

_TOP = {"method", "mass", "reservoirs", "weights", "outputs"}
_WEIGHT_KEYS = {"step": {"kind", "c_plus", "c_minus"}, "gaussian": {"kind", "xi"}}
_OUTPUT_KEYS = {"cumulants", "entropy_moments"}


def _weights(table: Any):
    from thermoflux.mixture.weights import gaussian_weights, step_weights

    table = cfg.table(table, "weights")
    kind = cfg.choice(table.get("kind"), "weights.kind", tuple(_WEIGHT_KEYS))
    cfg.table(table, "weights", allowed=_WEIGHT_KEYS[kind], required=_WEIGHT_KEYS[kind])
    keys = {k: f"weights.{k}" for k in ("c_plus", "c_minus", "xi")}   # the constructors check the values
    if kind == "step":
        c_plus = cfg.number(table["c_plus"], "weights.c_plus")
        c_minus = cfg.number(table["c_minus"], "weights.c_minus")
        return cfg.built("weights", step_weights, c_plus, c_minus, keys=keys)
    return cfg.built("weights", gaussian_weights, cfg.number(table["xi"], "weights.xi"), keys=keys)


def build_state(config: Mapping[str, Any]):
    """The :class:`MixtureState` a config describes, with the numbers of cumulants and moments asked for."""
    from thermoflux.mixture.state import MixtureState

    config = cfg.table(config, "", allowed=_TOP)
    if config.get("method", "mixture") != "mixture":   # optional: the CLI dispatches on it and drops it
        raise InputError(f"method: must be 'mixture' for this runner; got {config.get('method')!r}")
    mass = cfg.number(config.get("mass", 1.0), "mass")
    if "reservoirs" not in config:
        raise InputError("reservoirs: missing")
    reservoirs_table = cfg.table(config["reservoirs"], "reservoirs")
    if len(reservoirs_table) != 2:
        raise InputError(f"reservoirs: exactly two reservoirs (gates G_1, G_2) are supported; got {len(reservoirs_table)}")
    reservoirs = {str(n): cfg.reservoir(t, f"reservoirs.{n}") for n, t in reservoirs_table.items()}
    if "weights" not in config:
        raise InputError("weights: missing")
    weights = _weights(config["weights"])
    outputs = cfg.table(config.get("outputs", {}), "outputs", allowed=_OUTPUT_KEYS)
    n_cumulants = cfg.integer(outputs.get("cumulants", 4), "outputs.cumulants", minimum=2)
    n_moments = cfg.integer(outputs.get("entropy_moments", 3), "outputs.entropy_moments", minimum=1)

    state = cfg.built("reservoirs", MixtureState, reservoirs, weights, mass=mass, keys={"mass": "mass"})
    return state, n_cumulants, n_moments


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

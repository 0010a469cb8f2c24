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

import numpy as np

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

    state = cfg.built("reservoirs", MixtureState, reservoirs, weights, mass, keys={"mass": "mass"})
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
        ``Flows.to_dataset()`` variables on dim ``reservoir`` (particle/energy/heat currents out
        of each reservoir, entropy_flow, ...) plus ``lorenz_number``, ``electric_conductance``,
        ``thermal_conductance`` (dim ``reservoir``), scalars ``density``, ``bulk_particle_current``
        (and its quadrature ``bulk_particle_current_error``), ``bulk_energy_current``,
        ``heat_conversion_rate``, ``noise``, ``efficiency`` (NaN unless a heat engine, eq. 103),
        ``current_cumulant`` (dim ``order``) and ``entropy_production_moment`` (dim
        ``moment_order``). The config is in ``attrs`` (flattened).

    Raises
    ------
    InputError
        Messages start with the dotted key at fault.
    """
    import xarray as xr

    from thermoflux.io import netcdf_attrs, software_attrs

    state, n_cumulants, n_moments = build_state(config)
    reservoirs = state.reservoirs
    names = list(reservoirs)
    flows = state.flows()
    j, j_err = state.particle_current(return_error=True)
    try:
        eta = state.efficiency()
    except InputError:
        eta = float("nan")
    cond = [state.conductances(i) for i in range(2)]
    ds = flows.to_dataset()
    scalar = lambda v, name, units: xr.DataArray(v, attrs={"long_name": name, "units": units})  # noqa: E731
    on_res = lambda v, name, units: xr.DataArray(np.array(v, float), dims="reservoir", coords={"reservoir": names},  # noqa: E731
                                                 attrs={"long_name": name, "units": units})
    ds["density"] = scalar(state.density(), "mean particle density (eq. 42)", "1/length")
    ds["bulk_particle_current"] = scalar(j, "bulk current from G_1 to G_2 (eq. 49)", "1/time")
    ds["bulk_particle_current_error"] = scalar(j_err, "quadrature error estimate of the bulk current", "1/time")
    ds["bulk_energy_current"] = scalar(state.energy_current(), "bulk energy current from G_1 to G_2 (eq. 74)", "energy/time")
    ds["heat_conversion_rate"] = scalar(state.heat_conversion_rate(), "heat-to-chemical conversion rate (eq. 78)", "energy/time")
    ds["noise"] = scalar(state.noise(), "zero-frequency noise P_0 (eq. 117)", "1/time")
    ds["efficiency"] = scalar(eta, "heat-engine efficiency (eq. 104; NaN outside eq. 103)", "1")
    ds["lorenz_number"] = on_res([state.lorenz_number(i) for i in range(2)], "Lorenz number of the gate (eq. 83)", "k_B^2/e^2")
    ds["electric_conductance"] = on_res([c[0] for c in cond], "dJ^N/dmu of the gate (eq. 80)", "e^2/hbar")
    ds["thermal_conductance"] = on_res([c[1] for c in cond], "dJ^Q/dT of the gate (eq. 81)", "k_B/hbar")
    orders = np.arange(1, n_cumulants + 1)
    ds["current_cumulant"] = xr.DataArray([state.current_cumulant(int(n)) for n in orders], dims="order",
                                          coords={"order": orders},
                                          attrs={"long_name": "zero-frequency current cumulant W_n^conn (eq. 62)", "units": "1/time"})
    morders = np.arange(1, n_moments + 1)
    ds["entropy_production_moment"] = xr.DataArray(
        [state.entropy_production_moment(int(n)) for n in morders], dims="moment_order",
        coords={"moment_order": morders},
        attrs={"long_name": "zero-frequency moment W_n of the entropy production (eq. 107)", "units": "1/time"})
    attrs = {"method": "mixture", "seed": "000", "config": dict(config), **software_attrs(),
             "orientation": "bulk currents positive from gate G_1 (first reservoir) to G_2"}
    ds.attrs.update(netcdf_attrs(attrs))
    return ds

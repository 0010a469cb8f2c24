"""Run one finite-bath calculation from a parsed TOML configuration (``thermoflux run``).

Schema (every number can be overridden by its dotted path, e.g. ``reservoirs.L.mu``)::

    method = "finite_baths"       # optional here (the CLI dispatches on it)
    [model]                       # the single electron transistor of seed 001, Sec. III
    kind = "resonant_level"
    n_modes = 60                  # int, or a table {L = 61, R = 59}
    bandwidth = 10.0              # W
    coupling = 3.0                # Γ, or a table {L = 3.0, R = 3.0}
    level = 0.0                   # ε_d
    [reservoirs.L]                # one table per bath, the one reservoir form of every method:
    statistics = "fermion"        # optional here: finite baths are fermionic
    beta = 10.0                   # or temperature (exactly one); mu defaults to 0.0
    mu = 1.0
    [reservoirs.R]
    beta = 2.0
    mu = -1.0
    [state]
    kind = "thermal"              # or "pure" (sampled, seed 001 Sec. IV C)
    system_occupation = 0.0
    seed = 5                      # pure states only
    [times]
    start = 0.01
    stop = 1e8
    num = 40
    spacing = "log"               # or "linear"
    include_zero = true
    unit = "coupling"             # times are Γt (Γ = mean coupling) or "energy" (t in ħ/energy)
    [options]                     # optional
    solver = "structured"         # or "dense"
    blas_threads = 1
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from thermoflux import _config as cfg
from thermoflux.errors import InputError
from thermoflux.finite_baths.model import resonant_level
from thermoflux.finite_baths.simulate import SOLVERS, simulate
from thermoflux.finite_baths.states import sampled_pure_state, thermal_state

__all__ = ["run", "build", "audit"]

_TOP = {"method", "model", "reservoirs", "state", "times", "options"}
_MODEL = {"kind", "n_modes", "bandwidth", "coupling", "level"}
_STATE = {"kind", "system_occupation", "seed"}
_TIMES = {"start", "stop", "num", "spacing", "include_zero", "unit"}
_OPTIONS = {"solver", "blas_threads"}


def build(config: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a configuration and build what it describes (no dynamics yet).

    Returns
    -------
    dict
        ``model`` (:class:`QuadraticModel`), ``reservoirs`` (bath name -> FermiDirac),
        ``state`` (InitialState), ``times`` (ndarray, ħ/energy), ``solver``, ``blas_threads`` and
        ``time_unit_factor`` (Γ when the config's times are Γt, else 1).

    Raises
    ------
    InputError
        As :func:`run`.
    """
    if not isinstance(config, Mapping):
        raise InputError(f"config: must be a table; got {config!r}")
    unknown = set(config) - _TOP
    if unknown:
        raise InputError(f"{sorted(unknown)[0]}: unknown key (allowed: {', '.join(sorted(_TOP))})")
    for key in ("model", "reservoirs", "state", "times"):
        if key not in config:
            raise InputError(f"{key}: missing")
    # ``thermoflux run`` removes ``method`` before dispatching here; if present it must be ours.
    if config.get("method", "finite_baths") != "finite_baths":
        raise InputError(f"method: must be 'finite_baths' for this runner; got {config['method']!r}")

    model_cfg = cfg.table(config["model"], "model", allowed=_MODEL, required={"kind", "n_modes", "bandwidth", "coupling"})
    cfg.choice(model_cfg["kind"], "model.kind", ("resonant_level",))
    res_cfg = config["reservoirs"]
    if not isinstance(res_cfg, Mapping) or not res_cfg:
        raise InputError(f"reservoirs: must be a table of bath tables; got {res_cfg!r}")
    baths = tuple(res_cfg)

    reservoirs = {b: cfg.reservoir(res_cfg[b], f"reservoirs.{b}", statistics="fermion") for b in baths}

    state_cfg = cfg.table(config["state"], "state", allowed=_STATE, required={"kind"})
    kind = cfg.choice(state_cfg["kind"], "state.kind", ("thermal", "pure"))
    n_d = cfg.number(state_cfg.get("system_occupation", 0.0), "state.system_occupation", minimum=0.0)
    if n_d > 1:
        raise InputError(f"state.system_occupation: must lie in [0, 1]; got {n_d!r}")
    if kind == "pure" and "seed" not in state_cfg:
        raise InputError("state.seed: missing (needed for a pure state)")
    if kind == "thermal" and "seed" in state_cfg:
        raise InputError("state.seed: only meaningful for kind = 'pure'")

    times_cfg = cfg.table(config["times"], "times", allowed=_TIMES, required={"start", "stop", "num"})
    spacing = cfg.choice(times_cfg.get("spacing", "log"), "times.spacing", ("log", "linear"))
    unit = cfg.choice(times_cfg.get("unit", "coupling"), "times.unit", ("coupling", "energy"))
    start = cfg.number(times_cfg["start"], "times.start", positive=(spacing == "log"), minimum=0.0)
    stop = cfg.number(times_cfg["stop"], "times.stop", positive=True)
    if stop < start:
        raise InputError(f"times.stop: must be >= times.start ({start!r}); got {stop!r}")
    num = cfg.integer(times_cfg["num"], "times.num", minimum=1)
    include_zero = times_cfg.get("include_zero", True)
    if not isinstance(include_zero, bool):
        raise InputError(f"times.include_zero: must be true or false; got {include_zero!r}")

    opt_cfg = cfg.table(config["options"], "options", allowed=_OPTIONS) if "options" in config else {}
    solver = cfg.choice(opt_cfg.get("solver", "structured"), "options.solver", SOLVERS)
    blas_threads = (cfg.integer(opt_cfg["blas_threads"], "options.blas_threads", minimum=1)
                    if "blas_threads" in opt_cfg else None)

    # resonant_level checks the numbers (and the memory, before any array): its message is
    # reported under the model.KEY it names
    coupling = model_cfg["coupling"]
    model = cfg.built("model", resonant_level, model_cfg["n_modes"], model_cfg["bandwidth"], coupling,
                      model_cfg.get("level", 0.0), baths=baths,
                      keys={k: f"model.{k}" for k in ("n_modes", "bandwidth", "coupling", "level")})
    # the initial states need thermal (FermiDirac) baths: their own check, under "reservoirs"
    if kind == "thermal":
        state = cfg.built("reservoirs", thermal_state, model, reservoirs, n_d)
    else:
        seed = cfg.integer(state_cfg["seed"], "state.seed", minimum=0)
        state = cfg.built("reservoirs", sampled_pure_state, model, reservoirs, np.random.default_rng(seed), n_d)
    grid = np.geomspace(start, stop, num) if spacing == "log" else np.linspace(start, stop, num)
    gamma = float(np.mean([float(c) for c in coupling.values()])) if isinstance(coupling, Mapping) else float(coupling)
    times = grid / gamma if unit == "coupling" else grid
    if include_zero and times[0] != 0.0:
        times = np.concatenate([[0.0], times])
    return {"model": model, "reservoirs": reservoirs, "state": state, "times": times, "solver": solver,
            "blas_threads": blas_threads, "time_unit_factor": gamma if unit == "coupling" else 1.0}


def run(config: Mapping[str, Any]) -> Any:
    """Run the calculation a configuration describes and return its Dataset.

    Parameters
    ----------
    config : mapping
        Parsed TOML (see the module docstring for the schema).

    Returns
    -------
    xarray.Dataset
        The result of :func:`~thermoflux.finite_baths.simulate`, with the configuration in
        ``attrs`` (flattened with :func:`thermoflux.io.netcdf_attrs`).

    Raises
    ------
    InputError
        Unknown, missing, mistyped or unphysical entries; the message starts with the dotted key.
    """
    parts = build(config)
    ds = simulate(parts["model"], parts["state"], parts["times"], solver=parts["solver"],
                  blas_threads=parts["blas_threads"], progress=False)
    from thermoflux.io import netcdf_attrs

    ds.attrs.update(netcdf_attrs({"config": dict(config)}))
    ds.attrs["time_unit_factor"] = parts["time_unit_factor"]
    return ds


def audit(config: Mapping[str, Any], *, thresholds: Mapping[str, Any] | None = None):
    """Audit of the model and times ``config`` describes (:meth:`QuadraticModel.audit`)."""
    parts = build(config)
    return parts["model"].audit(parts["reservoirs"], times=parts["times"], thresholds=thresholds)

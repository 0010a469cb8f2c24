"""``thermoflux compare`` configs: one system, described once, in the run-config TOML schema.

Schema (issue 10; reservoir tables as in every other config, parsed by the core)::

    hamiltonian = [[0.15, 0.3], [0.3, -0.1]]    # h, n x n real symmetric
    methods = ["landauer", "master_equation"]   # optional; default every method that applies
    bandwidth = 20.0                            # optional: the reservoirs' flat band W
    interaction = 0.5                           # optional, fermions: U (every pair) or an n x n U_ij

    [reservoirs.L]                              # the one reservoir form of every method
    statistics = "fermion"                      # or "boson": the system's particles (one for all)
    temperature = 0.25                          # or beta (exactly one), or an occupation table
    mu = 0.4                                    # default 0.0
    coupling = [0.01, 0.0]                      # Γ_L: n per-site widths, or an n x n matrix

    [options]                                   # optional
    master_equation_rates = "auto"              # "auto" | "pauli" | "gksl"
    n_modes = 200                               # finite baths: modes per channel
    max_modes = 600

Every error is an :class:`~thermoflux.InputError` whose message starts with the dotted key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from thermoflux import _config as cfg
from thermoflux.compare.runners import METHODS
from thermoflux.compare.system import OpenSystem
from thermoflux.errors import InputError

__all__ = ["system_from_config", "load_system"]

_TOP = {"hamiltonian", "reservoirs", "methods", "bandwidth", "interaction", "options", "method"}
_RES = {"coupling"}                  # the method's own key of a [reservoirs.NAME] table
_OPTIONS = {"master_equation_rates", "n_modes", "max_modes"}


def _coupling(value: Any, key: str, n: int) -> Any:
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)):
        return cfg.matrix(value, key, shape=(n, n))
    if isinstance(value, (list, tuple)):
        return cfg.numbers(value, key, length=n, nonnegative=True)
    if n == 1:
        return cfg.number(value, key, nonnegative=True)
    raise InputError(f"{key}: must be a list of {n} widths or an {n}x{n} matrix; got {value!r}")


def system_from_config(config: Mapping[str, Any]) -> tuple[OpenSystem, dict[str, Any]]:
    """An :class:`OpenSystem` and the options of :func:`~thermoflux.compare.compare` from a parsed config.

    Returns
    -------
    (OpenSystem, dict)
        The system and keyword arguments for ``compare`` (``methods`` and the ``[options]``).

    Raises
    ------
    InputError
        Naming the dotted key ("reservoirs.L.coupling: must hold 2 numbers; got 3").
    """
    config = cfg.table(config, "", allowed=_TOP, required=("hamiltonian", "reservoirs"))
    if "method" in config and config["method"] != "compare":
        raise InputError(f"method: a compare config has no method (or method = \"compare\"); got {config['method']!r}")
    h = cfg.matrix(config["hamiltonian"], "hamiltonian")
    if h.shape[0] != h.shape[1]:
        raise InputError(f"hamiltonian: must be a square matrix; got {h.shape[0]}x{h.shape[1]}")
    n = h.shape[0]
    reservoirs = cfg.table(config["reservoirs"], "reservoirs")
    if not reservoirs:
        raise InputError("reservoirs: give at least one [reservoirs.NAME] table")
    parsed = {}
    for name, spec in reservoirs.items():
        key = cfg.join("reservoirs", name)
        dist = cfg.reservoir(spec, key, extra=_RES)
        if "coupling" not in spec:
            raise InputError(f"{key}.coupling: missing; give the level widths (a list of {n} or an {n}x{n} matrix)")
        parsed[name] = (dist, _coupling(spec["coupling"], f"{key}.coupling", n))
    # the particles' statistics are the reservoirs' (OpenSystem refuses a reservoir of the other)
    statistics = next(iter(parsed.values()))[0].statistics
    bandwidth = None if "bandwidth" not in config else cfg.number(config["bandwidth"], "bandwidth", positive=True)
    interaction = None
    if "interaction" in config:
        value = config["interaction"]
        interaction = (cfg.matrix(value, "interaction", shape=(n, n)) if isinstance(value, (list, tuple))
                       else cfg.number(value, "interaction"))
    system = _build(h, statistics, parsed, bandwidth, interaction)
    options: dict[str, Any] = {}
    if "methods" in config:
        methods = config["methods"]
        if not isinstance(methods, list) or not methods:
            raise InputError(f"methods: must be a non-empty list of method names; got {methods!r}")
        options["methods"] = [cfg.choice(m, f"methods.{i}", METHODS) for i, m in enumerate(methods)]
    if "options" in config:
        opts = cfg.table(config["options"], "options", allowed=_OPTIONS)
        if "master_equation_rates" in opts:
            options["master_equation_rates"] = cfg.choice(opts["master_equation_rates"], "options.master_equation_rates",
                                                          ("auto", "pauli", "gksl"))
        for k in ("n_modes", "max_modes"):
            if k in opts:
                options[k] = cfg.integer(opts[k], f"options.{k}", minimum=2)
    return system, options


def _build(h: Any, statistics: str, reservoirs: dict, bandwidth: Any, interaction: Any) -> OpenSystem:
    """OpenSystem(...), its messages led by the dotted key ("reservoirs.L.coupling: must ...")."""
    try:
        return OpenSystem(h, statistics, reservoirs, bandwidth, interaction)
    except InputError as exc:
        text = str(exc)
        for name in reservoirs:
            text = text.replace(f"reservoirs[{name!r}].distribution has", f"reservoirs.{name}.statistics: has")
            text = text.replace(f"reservoirs[{name!r}]", f"reservoirs.{name}")
        head, _, rest = text.partition(" ")
        if not head.endswith(":"):
            text = f"{head}: {rest}"
        raise InputError(text) from exc


def load_system(path: str | os.PathLike) -> tuple[OpenSystem, dict[str, Any]]:
    """:func:`system_from_config` of a TOML file."""
    from thermoflux.io import load_config

    return system_from_config(load_config(path))

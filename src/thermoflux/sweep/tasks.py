"""Sweeping a run configuration: set dotted keys of a TOML config and run it.

``reservoirs.L.mu`` names ``config["reservoirs"]["L"]["mu"]``; an integer segment indexes an
array of tables (``transmission.0.width``). :class:`ConfigTask` is the picklable task that
``thermoflux sweep`` hands to :func:`thermoflux.sweep.run`; :func:`parse_values` reads the
``start:stop:num`` and ``a,b,c`` forms of ``--over``.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

import numpy as np

from thermoflux.errors import InputError

__all__ = ["ConfigTask", "get_by_path", "set_by_path", "coerce_like", "parse_values"]


def _walk(config: Any, path: str) -> tuple[Any, str | int]:
    """The container holding the last segment of ``path``, and that segment."""
    if not isinstance(path, str) or not path or any(not p for p in path.split(".")):
        raise InputError(f"key {path!r} must be a dotted path such as 'reservoirs.L.mu'")
    parts = path.split(".")
    node = config
    for depth, part in enumerate(parts):
        where = ".".join(parts[:depth]) or "the config"
        key: str | int = part
        if isinstance(node, Sequence) and not isinstance(node, str):
            if not part.isdigit() or int(part) >= len(node):
                raise InputError(f"{path}: {where} is a list of {len(node)} entries; "
                                 f"{part!r} is not an index 0..{len(node) - 1}")
            key = int(part)
        elif isinstance(node, Mapping):
            if part not in node:
                known = ", ".join(sorted(map(str, node))) or "nothing"
                raise InputError(f"{path}: no key {part!r} in {where} (it has: {known}); "
                                 "write the value in the config file to sweep it")
        else:
            raise InputError(f"{path}: {where} is a value, not a table")
        if depth == len(parts) - 1:
            return node, key
        node = node[key]
    raise AssertionError("unreachable")  # pragma: no cover


def get_by_path(config: Mapping[str, Any], path: str) -> Any:
    """The value at dotted ``path`` of ``config``; InputError naming the path if absent."""
    node, key = _walk(config, path)
    return node[key]


def set_by_path(config: MutableMapping[str, Any], path: str, value: Any) -> None:
    """Set the existing value at dotted ``path`` to ``value`` (in place).

    An integer-valued float replaces an integer as an ``int`` (``num_modes = 10`` swept over
    10:50:5); a table cannot be replaced by a value.
    """
    node, key = _walk(config, path)
    old = node[key]
    if isinstance(old, Mapping | list):
        raise InputError(f"{path}: is a table, not a value; sweep one of its entries")
    node[key] = coerce_like(old, value)


def coerce_like(old: Any, value: Any) -> Any:
    """``value`` as :func:`set_by_path` stores it in place of ``old`` (numpy scalars as Python
    ones; an integer-valued float as an ``int`` where ``old`` is one)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(old, int) and not isinstance(old, bool) and isinstance(value, float) \
            and value.is_integer():
        value = int(value)
    return value


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{where}: {text!r} is not finite")
    return value


def parse_values(spec: str, *, log: bool = False, name: str = "--over") -> list[Any]:
    """Values of one swept key from ``start:stop:num`` (inclusive ends) or ``a,b,c``.

    ``start:stop:num`` gives ``numpy.linspace(start, stop, num)``, or ``numpy.geomspace`` with
    ``log=True`` (start and stop then positive). In the list form, items that read as numbers
    become numbers, others stay strings (``solver=exact,pauli``).
    """
    spec = spec.strip()
    if ":" in spec:
        parts = spec.split(":")
        if len(parts) != 3:
            raise InputError(f"{name}: {spec!r} must be start:stop:num")
        start, stop = _number(parts[0], name), _number(parts[1], name)
        try:
            num = int(parts[2])
        except ValueError:
            raise InputError(f"{name}: num in {spec!r} must be an integer") from None
        if num < 1:
            raise InputError(f"{name}: num in {spec!r} must be at least 1; got {num}")
        if num > 1 and start == stop:
            raise InputError(f"{name}: start and stop of {spec!r} are equal; give num = 1 or two values")
        if log:
            if start <= 0 or stop <= 0:
                raise InputError(f"{name}: a log-spaced range needs start, stop > 0; got {spec!r}")
            return np.geomspace(start, stop, num).tolist()
        return np.linspace(start, stop, num).tolist()
    items = [s.strip() for s in spec.split(",")]
    if not spec or any(not s for s in items):
        raise InputError(f"{name}: {spec!r} must be start:stop:num or a comma-separated list")
    if log:
        raise InputError(f"{name}: --log applies to start:stop:num ranges; got the list {spec!r}")
    out: list[Any] = []
    for item in items:
        try:
            out.append(_number(item, name))
        except InputError:
            out.append(item)
    if len(set(map(repr, out))) != len(out):
        raise InputError(f"{name}: {spec!r} repeats a value")
    return out


#: Units of the run-config keys a sweep can vary (ħ = k_B = e = 1: rates and couplings are
#: energies, times are 1/energy); see each method's config schema.
CONFIG_KEY_UNITS = {
    **dict.fromkeys(("temperature", "mu", "level", "energy", "energies", "width", "widths",
                     "bandwidth", "hopping", "frequency", "centres", "spacing", "cutoff", "rate",
                     "gamma", "detuning", "interaction", "bias"), "energy"),
    **dict.fromkeys(("beta",), "1/energy"),
    **dict.fromkeys(("occupation", "system_occupation"), "1"),
}


class ConfigTask:
    """Run a configuration with some dotted keys set: ``ConfigTask(config)(**{"a.b": 1.0})``.

    Parameters
    ----------
    config : mapping
        A parsed run configuration (``method = "..."`` plus that method's schema).
    runner : callable, optional
        ``runner(config) -> Dataset``; default :func:`thermoflux.run_config`, which
        dispatches on ``method``. Must be picklable for worker processes.

    Notes
    -----
    The base config is part of the checkpoint fingerprint (:meth:`sweep_fingerprint`), so a
    checkpoint made with other fixed values is refused.
    """

    def __init__(self, config: Mapping[str, Any], *, runner: Any = None) -> None:
        if not isinstance(config, Mapping):
            raise InputError(f"config must be a table of keys; got {type(config).__name__}")
        self.config = copy.deepcopy(dict(config))
        self.runner = runner

    def parameter_units(self, names: Sequence[str]) -> dict[str, str]:
        """Units of swept config keys, from the key's last part (``reservoirs.hot.mu`` -> energy).

        Keys whose units the schema does not fix (a dimensionless strength, a mode count) get
        ``"1"`` only when they are integers or booleans in the config; others are left unlabelled.
        """
        out = {}
        for name in names:
            leaf = name.rsplit(".", 1)[-1]
            old = get_by_path(self.config, name)
            if leaf in CONFIG_KEY_UNITS:
                out[name] = CONFIG_KEY_UNITS[leaf]
            elif isinstance(old, bool | int):
                out[name] = "1"
        return out

    def check_parameters(self, names: Sequence[str]) -> None:
        """Refuse (InputError) a parameter that is not a value of the config."""
        for name in names:
            old = get_by_path(self.config, name)
            if isinstance(old, Mapping | list):
                raise InputError(f"{name}: is a table, not a value; sweep one of its entries")

    def __call__(self, **params: Any) -> Any:
        config = copy.deepcopy(self.config)
        for path, value in params.items():
            set_by_path(config, path, value)
        if self.runner is None:
            from thermoflux import configs

            return configs.run_config(config)
        return self.runner(config)

    def run_batch(self, points: Sequence[Mapping[str, Any]]) -> list[Any] | None:
        """Many points at once where the method offers it, else None (each point runs alone).

        The method's batched form is ``thermoflux.<method>.batch.run_batch(config, points)``
        (today: landauer, for swept temperatures, β, μ, Lorentzian levels and widths and
        constant transmissions; harmonic_networks, which reuses the drift's eigenbasis and
        probe matrix across points that change only bath occupations); it returns, per point,
        the result :meth:`__call__` would give,
        or None for a point it leaves to run alone. Only with the default runner.
        """
        if self.runner is not None:
            return None
        import importlib

        method = self.config.get("method", "landauer")
        if not isinstance(method, str) or not method.isidentifier():
            return None
        try:
            module = importlib.import_module(f"thermoflux.{method}.batch")
        except ModuleNotFoundError:
            return None
        config = {k: v for k, v in self.config.items() if k != "method"}
        return module.run_batch(config, points)

    def sweep_fingerprint(self) -> str:
        """The base config (and runner name) as canonical JSON."""
        runner = "run_config" if self.runner is None else getattr(self.runner, "__qualname__", repr(self.runner))
        return json.dumps({"config": self.config, "runner": runner}, sort_keys=True, default=str)

    @property
    def __name__(self) -> str:  # used in summaries
        return f"config({self.config.get('method', 'landauer')})"

    def __repr__(self) -> str:
        return f"ConfigTask(method={self.config.get('method', 'landauer')!r})"

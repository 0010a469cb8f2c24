"""Running a run config (parsed TOML): the library side of ``thermoflux run`` and ``thermoflux sweep``.

:func:`run_config` and :func:`audit_config` dispatch a parsed config on its top-level
``method`` to ``thermoflux.<method>.config``; the command line and the sweep engine
(:class:`thermoflux.sweep.ConfigTask`) both call them, so neither depends on the other. The
schema is in DESIGN.md ("Run configs") and in each method's ``config`` module; reservoirs are
parsed by one core function (``thermoflux._config.reservoir``).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from thermoflux.errors import InputError

__all__ = ["METHODS", "run_config", "audit_config"]

#: methods a run config may name, each with a ``thermoflux.<method>.config`` module holding
#: ``run(config) -> Dataset`` and ``audit(config, thresholds=...) -> Report``.
METHODS = ("landauer", "mixture", "finite_baths", "master_equation", "harmonic_networks")


def _config_module(config: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The ``thermoflux.<method>.config`` module a parsed config names, and the config without ``method``."""
    if not isinstance(config, Mapping):
        raise InputError(f"config: must be a table of keys; got {type(config).__name__}")
    config = dict(config)
    method = config.pop("method", "landauer")
    if method not in METHODS:
        raise InputError(f"method: must be one of {', '.join(METHODS)}; got {method!r}")
    try:
        module = importlib.import_module(f"thermoflux.{method}.config")
    except ModuleNotFoundError as exc:
        raise InputError(f"method: {method!r} is not available in this installation") from exc
    return module, config


def _is_compare(config: Any) -> bool:
    """A ``thermoflux compare`` config: a top-level ``hamiltonian`` and no method but ``compare``."""
    return isinstance(config, Mapping) and "hamiltonian" in config \
        and config.get("method", "compare") == "compare"


def run_config(config: Mapping[str, Any]) -> Any:
    """Run the calculation a parsed config describes.

    Parameters
    ----------
    config : mapping
        A parsed TOML run config (:func:`thermoflux.io.load_config`); ``method`` picks the
        method (default ``"landauer"``).

    Returns
    -------
    xarray.Dataset
        The result of ``thermoflux.<method>.config.run``.

    Raises
    ------
    InputError
        A bad config; the message starts with the dotted key at fault.
    """
    module, config = _config_module(config)
    return module.run(config)


def audit_config(config: Mapping[str, Any], *, thresholds: Mapping[str, Any] | None = None) -> Any:
    """Say where the model of a parsed config leaves the regime in which its method holds.

    The model is built by the same function :func:`run_config` uses, so a config it accepts is
    one this accepts, with the same one-line errors. A ``compare`` config (a top-level
    ``hamiltonian``, no method) audits every method's model of its system
    (:meth:`thermoflux.compare.OpenSystem.audit`).

    Parameters
    ----------
    config : mapping
        A parsed TOML run config or compare config.
    thresholds : mapping, optional
        Per-check ``(warn, error)`` overrides (:class:`thermoflux.audit.Report`).

    Returns
    -------
    thermoflux.audit.Report
    """
    if _is_compare(config):
        from thermoflux.compare.config import system_from_config

        system, options = system_from_config(config)
        options.pop("master_equation_rates", None)        # the rates' solver: the model is the same
        return system.audit(thresholds=thresholds, **options)
    module, config = _config_module(config)
    return module.audit(config, thresholds=thresholds)

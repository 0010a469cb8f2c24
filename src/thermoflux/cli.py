"""The ``thermoflux`` command.

``thermoflux demo``                 a resonant level and the N-demon of seed 004: a table and a figure
``thermoflux run CONFIG.toml``      one calculation described by a TOML file (``method = "..."``)

Errors in the input (a bad config, a temperature <= 0, an unknown key) print one line naming
the key and exit with status 2, never a traceback.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click

from thermoflux import __version__
from thermoflux.errors import InputError

__all__ = ["main", "METHODS"]

#: methods ``thermoflux run`` knows, each with a ``config.run(config) -> Dataset``.
METHODS = ("landauer", "mixture", "finite_baths", "master_equation", "harmonic_networks")


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def guarded(func: Callable) -> Callable:
    """Turn InputError into one line on stderr and exit status 2."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            _fail(str(exc))

    return wrapper


def run_config(config: Mapping[str, Any]) -> Any:
    """Dispatch a parsed config to ``thermoflux.<method>.config.run``; returns its Dataset."""
    if not isinstance(config, Mapping):
        raise InputError("config must be a table of keys")
    config = dict(config)
    method = config.pop("method", "landauer")
    if method not in METHODS:
        raise InputError(f"method: must be one of {', '.join(METHODS)}; got {method!r}")
    try:
        module = importlib.import_module(f"thermoflux.{method}.config")
    except ModuleNotFoundError as exc:
        raise InputError(f"method: {method!r} is not available in this installation") from exc
    return module.run(config)


def describe_dataset(ds: Any) -> str:
    """A readable table of a result Dataset: per-reservoir variables as columns, scalars below."""
    lines = []
    for dim in ("reservoir", "bath", "field"):
        if dim in ds.dims:
            names = [v for v in ds.data_vars if ds[v].dims == (dim,)]
            if names:
                header = f"{dim:<12}" + "".join(f"{n:>20}" for n in names)
                lines += [header, "-" * len(header)]
                for i, label in enumerate(ds[dim].values):
                    lines.append(f"{str(label):<12}" + "".join(f"{float(ds[n].values[i]):>20.8g}" for n in names))
                lines.append("")
    for name in ds.data_vars:
        if ds[name].ndim == 0:
            lines.append(f"{name:<32}{float(ds[name].values):.10g}")
    others = [n for n in ds.data_vars if ds[n].ndim > 0 and not any(ds[n].dims == (d,) for d in ("reservoir", "bath", "field"))]
    if others:
        lines.append("")
        lines.append("arrays: " + ", ".join(f"{n}{tuple(ds[n].dims)}" for n in others))
    if "sign_convention" in ds.attrs:
        lines.append(f"sign: {ds.attrs['sign_convention']}")
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="thermoflux")
def main() -> None:
    """thermoflux: flows, entropy production and efficiency of open quantum systems."""


@main.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("thermoflux-demo.png"), show_default=True, help="PNG figure to write.")
@guarded
def demo(output: Path) -> None:
    """A resonant level between a hot and a cold lead, and the N-demon heat pump of seed 004."""
    from thermoflux import demo as demo_module

    text, figure = demo_module.run_demo(output)
    click.echo(text)
    click.echo(f"\nfigure written to {figure}")


@main.command()
@click.argument("config_path", metavar="CONFIG.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="NetCDF file for the result Dataset.")
@guarded
def run(config_path: Path, output: Path | None) -> None:
    """Run one calculation described by a TOML file and print its result."""
    from thermoflux.io import load_config, save_dataset

    ds = run_config(load_config(config_path))
    click.echo(describe_dataset(ds))
    if output is not None:
        save_dataset(ds, output)
        click.echo(f"\nresult written to {output}")


if __name__ == "__main__":  # pragma: no cover
    main()

"""The ``thermoflux`` command.

``thermoflux demo``                 a resonant level and the N-demon of seed 004: a table and a figure
``thermoflux run CONFIG.toml``      one calculation described by a TOML file (``method = "..."``)
``thermoflux sweep CONFIG.toml``    that calculation over a grid of dotted keys (``--over KEY=a:b:n``)
``thermoflux reproduce [SEED|all]`` the seeds' figures and claims, with an ``index.html``
``thermoflux audit CONFIG.toml``    where the model leaves the regime in which its method holds
``thermoflux compare CONFIG.toml``  one system through every method that applies, side by side
``thermoflux info``                 version, optional extras, cores and BLAS threads

Errors in the input (a bad config, a temperature <= 0, an unknown key) print one line naming
the key and exit with status 2, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click

from thermoflux import __version__
from thermoflux._table import COLUMN_GAP, text_table
from thermoflux.configs import METHODS, audit_config, run_config
from thermoflux.errors import InputError

__all__ = ["main"]


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


def describe_dataset(ds: Any) -> str:
    """A readable table of a result Dataset: per-reservoir variables as columns, scalars below."""
    lines = []
    names = [v for v in ds.data_vars if ds[v].dims == ("reservoir",)]   # one per-reservoir dim (DESIGN)
    if names:
        rows = [[str(label)] + [f"{float(ds[n].values[i]):.8g}" for n in names]
                for i, label in enumerate(ds["reservoir"].values)]
        lines += text_table(["reservoir", *names], rows)
        lines.append("")
    scalars = [name for name in ds.data_vars if ds[name].ndim == 0]
    width = max((len(name) for name in scalars), default=0) + COLUMN_GAP
    for name in scalars:
        lines.append(f"{name:<{width}}{float(ds[name].values):.10g}")
    others = [n for n in ds.data_vars if ds[n].ndim > 0 and ds[n].dims != ("reservoir",)]
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

    config = load_config(config_path)
    ds = run_config(config)
    click.echo(describe_dataset(ds))
    report = audit_config(config)
    if report.errors or report.warnings:
        click.echo("\n" + report.table(severities=("error", "warning")))
        click.echo("(thermoflux audit CONFIG.toml for the full report)")
    if output is not None:
        save_dataset(ds, output)
        click.echo(f"\nresult written to {output}")


def _parse_thresholds(specs: tuple[str, ...]) -> dict[str, tuple[float, float]] | None:
    """``--threshold ID=warn,error`` options -> {ID: (warn, error)}; InputError on a bad one."""
    if not specs:
        return None
    out = {}
    for spec in specs:
        key, sep, values = spec.partition("=")
        parts = values.split(",")
        try:
            pair = tuple(float(v) for v in parts)
        except ValueError:
            pair = ()
        if not sep or not key.strip() or len(pair) != 2:
            raise InputError(f"--threshold {spec!r}: expected CHECK=warn,error (e.g. weak-coupling=0.05,0.5)")
        out[key.strip()] = pair
    return out


@main.command("audit")
@click.argument("config_path", metavar="CONFIG.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the report as JSON to this file.")
@click.option("--threshold", "threshold_specs", multiple=True, metavar="CHECK=warn,error",
              help="Override the thresholds of one check (repeatable; inf disables a tier).")
@guarded
def audit_command(config_path: Path, json_path: Path | None, threshold_specs: tuple[str, ...]) -> None:
    """Say where the model of CONFIG.toml leaves the regime in which its method holds.

    Prints a table of findings (check id, severity, measured value, threshold, remedy).
    Exit status 0 without errors (warnings allowed), 1 with an error, 2 for a bad config.
    """
    from thermoflux.io import load_config

    report = audit_config(load_config(config_path), thresholds=_parse_thresholds(threshold_specs))
    click.echo(report.table())
    if json_path is not None:
        json_path.write_text(report.to_json() + "\n")
        click.echo(f"report written to {json_path}")
    if report.errors:
        sys.exit(1)


def _parse_overs(config: Mapping[str, Any], overs: tuple[str, ...], log_keys: tuple[str, ...]) -> dict[str, list]:
    """``--over KEY=start:stop:num`` options -> grid {KEY: values}; InputError on a bad one."""
    from thermoflux.sweep.tasks import get_by_path, parse_values

    if not overs:
        raise InputError("--over: give at least one KEY=start:stop:num (e.g. --over reservoirs.L.mu=-1:1:21)")
    grid: dict[str, list] = {}
    for spec in overs:
        key, sep, values = spec.partition("=")
        key = key.strip()
        if not sep or not key or not values.strip():
            raise InputError(f"--over {spec!r}: expected KEY=start:stop:num or KEY=a,b,c")
        if key in grid:
            raise InputError(f"--over {key}: given twice")
        old = get_by_path(config, key)
        if isinstance(old, Mapping | list):
            raise InputError(f"--over {key}: is a table in the config, not a value")
        grid[key] = parse_values(values, log=key in log_keys, name=f"--over {key}")
    for key in log_keys:
        if key not in grid:
            raise InputError(f"--log {key}: not one of the --over keys ({', '.join(grid)})")
    return grid


@main.command("sweep")
@click.argument("config_path", metavar="CONFIG.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--over", "overs", multiple=True, metavar="KEY=start:stop:num",
              help="Sweep the config value at dotted KEY (e.g. reservoirs.L.mu) over "
                   "linspace(start, stop, num), or a list a,b,c. Repeat for an outer-product grid.")
@click.option("--log", "log_keys", multiple=True, metavar="KEY",
              help="Space that --over KEY logarithmically (geomspace; start, stop > 0).")
@click.option("--scheduler", default=None, metavar="ADDRESS|local",
              help="Run on Dask: a scheduler address tcp://host:port, or 'local' for a LocalCluster.")
@click.option("--executor", type=click.Choice(["processes", "serial", "dask"]), default=None,
              help="Where points run [default: processes, or dask with --scheduler].")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Local worker processes [default: the cores available].")
@click.option("--chunk-size", type=click.IntRange(min=1), default=None, help="Points per chunk.")
@click.option("--checkpoint", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder where each finished chunk is written atomically.")
@click.option("--resume", is_flag=True, help="Continue the sweep in --checkpoint (computes only missing points).")
@click.option("--retries", type=click.IntRange(min=0), default=1, show_default=True,
              help="Extra attempts of a failing point before it is recorded as failed.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="NetCDF file for the result Dataset (swept dims named by their keys).")
@click.option("--progress/--no-progress", default=None, help="Progress bar [default: on a terminal].")
@guarded
def sweep_command(config_path: Path, overs: tuple[str, ...], log_keys: tuple[str, ...], scheduler: str | None,
                  executor: str | None, workers: int | None, chunk_size: int | None, checkpoint: Path | None,
                  resume: bool, retries: int, output: Path, progress: bool | None) -> None:
    """Run CONFIG.toml at every point of a grid of its values; write one NetCDF file.

    Exit status 0 when every point succeeded, 1 when some failed (they are NaN in the output
    and listed in its failed_points attribute), 2 on a bad config, grid or option.
    """
    import warnings

    from thermoflux import sweep
    from thermoflux.io import load_config, save_dataset

    config = load_config(config_path)
    grid = _parse_overs(config, overs, log_keys)
    if scheduler is not None:
        if executor not in (None, "dask"):
            raise InputError(f"--scheduler runs on Dask; it cannot be combined with --executor {executor}")
        executor = "dask"
    executor = executor or "processes"
    if executor == "dask" and scheduler is None:
        scheduler = "local"
    if resume and checkpoint is None:
        raise InputError("--resume needs --checkpoint DIR (the folder of the sweep to continue)")
    task = sweep.ConfigTask(config)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", sweep.PointFailedWarning)
        try:
            ds = sweep.run(task, grid, executor=executor, scheduler=scheduler if executor == "dask" else None,
                           checkpoint=checkpoint, resume=resume, retries=retries, workers=workers,
                           chunk_size=chunk_size, check_first=True, progress=progress,
                           summary=lambda s: click.echo(str(s), err=True))
        except ImportError as exc:
            raise InputError(str(exc)) from exc
    for w in caught:
        if issubclass(w.category, sweep.PointFailedWarning):
            click.echo(f"warning: {w.message}", err=True)
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    save_dataset(ds, output)
    click.echo(f"result written to {output}: dims {dict(ds.sizes)}")
    if json.loads(ds.attrs["failed_points"]):
        sys.exit(1)


@main.command("reproduce")
@click.argument("seed", default="all", metavar="[SEED|all]")
@click.option("--output", "-o", "outdir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("thermoflux-reproduce"), show_default=True,
              help="Folder for the PNG figures and index.html.")
@click.option("--full", is_flag=True, help="Use the papers' sizes (slower; seed 001: 8-20 min on 2 cores, resumable).")
@click.option("--resume", is_flag=True,
              help="Continue an interrupted run in DIR from its checkpoint (seed 001: DIR/seed001/checkpoint).")
@guarded
def reproduce_command(seed: str, outdir: Path, full: bool, resume: bool) -> None:
    """Regenerate the seed papers' figures and check their claims; write DIR/index.html.

    Ends with each reproduction's claims passed and wall time. Exit status 0 when every claim
    passed, 1 when a claim failed or a reproduction raised (a checkpoint that cannot be resumed
    is such an error, shown with the folder's name), 2 for an unknown seed.
    """
    import time

    from thermoflux.reproduce import gallery

    start = time.perf_counter()
    entries = gallery.run_gallery(outdir, seed, full=full, resume=resume, echo=click.echo)
    index = gallery.write_index(outdir, entries, full=full)
    for e in entries:
        label = f"seed {e.seed}" if e.seed.isdigit() else e.seed
        if e.report is not None:
            ok = sum(c.passed for c in e.report.claims)
            click.echo(f"{label}: {ok}/{len(e.report.claims)} claims pass, "
                       f"wall time {gallery.format_duration(e.seconds)}")
        else:
            click.echo(f"{label}: error, wall time {gallery.format_duration(e.seconds)}")
    passed = sum(e.passed for e in entries)
    click.echo(f"{passed}/{len(entries)} reproductions passed every claim in "
               f"{gallery.format_duration(time.perf_counter() - start)}; open {index}")
    if passed != len(entries):
        sys.exit(1)


# -- thermoflux compare (issue 10) ------------------------------------------------------------
@main.command("compare")
@click.argument("config_path", metavar="CONFIG.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="NetCDF file for the comparison Dataset (with --scan: the scan).")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="PNG of the flows against the coupling scale (scans 0.01:10:13 unless --scan is given).")
@click.option("--scan", "scan_spec", default=None, metavar="START:STOP:NUM",
              help="Also scan a log-spaced scale factor of every coupling, e.g. 0.01:10:13.")
@guarded
def compare_command(config_path: Path, output: Path | None, plot: Path | None, scan_spec: str | None) -> None:
    """Run one system through every method that applies and print the flows side by side."""
    from thermoflux import compare as cmp
    from thermoflux.io import save_dataset

    from thermoflux.errors import ConvergenceError

    system, options = cmp.load_system(config_path)
    try:
        ds = cmp.compare(system, **options)
    except ConvergenceError as exc:      # e.g. bosons with μ = 0 in a wide band: one line, not a traceback
        _fail(str(exc))
    click.echo(cmp.table(ds))
    scanned = None
    if scan_spec is not None or plot is not None:
        scanned = cmp.scan(system, _log_factors(scan_spec or "0.01:10:13"), **options)
    if plot is not None:
        from thermoflux.plotting import plot_compare_scan

        click.echo(f"\nfigure written to {plot_compare_scan(scanned, path=plot)}")
    if output is not None:
        save_dataset(scanned if scan_spec is not None else ds, output)
        click.echo(f"result written to {output}")


def _log_factors(spec: str) -> Any:
    """``START:STOP:NUM`` -> NUM log-spaced positive factors; InputError naming --scan."""
    import numpy as np

    parts = spec.split(":")
    try:
        start, stop, num = float(parts[0]), float(parts[1]), int(parts[2])
    except (IndexError, ValueError):
        raise InputError(f"--scan: expected START:STOP:NUM (e.g. 0.01:10:13); got {spec!r}") from None
    if len(parts) != 3 or not (start > 0 and stop > 0 and num >= 2) or not np.isfinite([start, stop]).all():
        raise InputError(f"--scan: START and STOP must be positive and NUM >= 2; got {spec!r}")
    return np.geomspace(start, stop, num)


_EXTRAS = ("dask", "distributed", "dask_jobqueue", "cloudpickle", "qutip", "netCDF4", "h5netcdf",
           "zarr", "mpmath", "hypothesis")


def collect_info() -> dict[str, Any]:
    """Version, Python, optional extras, methods and reproductions present, cores, BLAS threads."""
    import importlib.metadata
    import importlib.util
    import os
    import platform

    import scipy.linalg  # noqa: F401 - loads scipy's own BLAS so that it is listed too

    from thermoflux._threads import available_cores, blas_info
    from thermoflux.reproduce import SEEDS

    def version(dist: str) -> str | None:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return None

    def found(name: str) -> bool:
        try:
            return importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            return False

    core = {name: version(name) for name in ("numpy", "scipy", "xarray", "matplotlib", "click", "tqdm",
                                             "threadpoolctl")}
    extras = {name: (version(name.replace("_", "-")) or version(name) or ("installed" if found(name) else None))
              for name in _EXTRAS}
    env = {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                       "SLURM_CPUS_PER_TASK") if k in os.environ}
    return {
        "thermoflux": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "core": core,
        "extras": extras,
        "methods": {m: found(f"thermoflux.{m}.config") for m in METHODS},
        "reproductions": {s: found(f"thermoflux.reproduce.{n}") for s, n in SEEDS.items()},
        "cores_available": available_cores(),
        "blas": blas_info(),
        "thread_environment": env,
    }


@main.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print the information as JSON.")
def info_command(as_json: bool) -> None:
    """Version, optional extras installed, methods present, cores and BLAS threads."""
    data = collect_info()
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return

    def yes(v: Any) -> str:
        return v if isinstance(v, str) else ("yes" if v else "no")

    lines = [f"thermoflux {data['thermoflux']} (Python {data['python']}, {data['platform']})", "",
             "core:           " + ", ".join(f"{k} {v}" for k, v in data["core"].items()),
             "optional:       " + ", ".join(f"{k} {v or 'not installed'}" for k, v in data["extras"].items()),
             "methods:        " + ", ".join(f"{k} ({yes(v)})" for k, v in data["methods"].items()),
             "reproductions:  " + ", ".join(f"seed {k} ({yes(v)})" for k, v in data["reproductions"].items()),
             f"cores:          {data['cores_available']} available to this process "
             "(sweep workers get one BLAS thread each)"]
    for pool in data["blas"]:
        lines.append(f"BLAS/OpenMP:    {pool['internal_api']} {pool['version']} ({pool['user_api']}): "
                     f"{pool['num_threads']} threads")
    if data["thread_environment"]:
        lines.append("environment:    " + ", ".join(f"{k}={v}" for k, v in data["thread_environment"].items()))
    if not data["extras"].get("distributed"):
        lines.append("(sweeps on a Dask cluster need: pip install 'thermoflux[dask]')")
    click.echo("\n".join(lines))


if __name__ == "__main__":  # pragma: no cover
    main()

"""Results as files: their ``attrs``, the time-series layout, NetCDF files and TOML run configs.

Every result Dataset of every method carries the ``attrs`` of :func:`result_attrs` (DESIGN.md,
"Result contract": method, seed and equations, software versions, units, sign convention and
the parameters that produced it), so a saved file explains itself; the time series of
``finite_baths``, ``master_equation`` and ``harmonic_networks`` are laid out by one builder,
:func:`time_series_dataset`. netCDF attributes must be strings, numbers or 1-D arrays of
numbers; :func:`netcdf_attrs` turns parameters (nested dicts, lists, None, booleans) into such
attributes. Files are written atomically (a temporary name in the same folder, then a rename),
so a killed run never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from thermoflux._validation import as_real_array
from thermoflux.errors import InputError

__all__ = ["result_attrs", "time_series_dataset", "netcdf_attrs", "save_dataset", "load_dataset",
           "load_config", "software_attrs"]

DEFAULT_ENGINE = "scipy"  # netCDF3 through scipy: a core dependency, so every install can write

#: The units of every result, spelled once (DESIGN.md, "Conventions").
UNITS = ("hbar = k_B = e = 1 (so h = 2 pi); energies, temperatures and chemical potentials in one "
         "energy unit, times in 1/energy; entropies in nats")

#: Units of the ``time`` coordinate (ħ = 1: time is measured in 1/energy).
TIME_UNITS = "1/energy"

#: attrs keys :func:`result_attrs` owns; ``**extra`` may not override them.
_CORE_KEYS = frozenset({"method", "seed", "equations", "units", "sign_convention", "software",
                        "software_version", "numpy_version", "scipy_version"})


def _attr_value(value: Any) -> Any:
    if value is None:
        return "none"
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (int, np.integer)):
        # netCDF3 has no 64-bit integers; keep exact integers that fit, else a string.
        return int(value) if -(2**31) <= int(value) < 2**31 else str(int(value))
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, np.ndarray)):
        arr = np.asarray(value)
        if arr.ndim == 1 and arr.size and np.issubdtype(arr.dtype, np.number) and not np.iscomplexobj(arr):
            return arr.astype(float)
        return json.dumps(np.asarray(value).tolist() if isinstance(value, np.ndarray) else list(value),
                          default=str)
    return str(value)


def netcdf_attrs(mapping: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Flatten a (nested) mapping to netCDF-safe attributes with dotted keys.

    Nested mappings become ``outer.inner`` keys; None becomes ``"none"``; booleans become 0/1;
    numeric 1-D sequences become float arrays; anything else its JSON or ``str`` form.
    """
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(netcdf_attrs(value, prefix=name + "."))
        else:
            out[name] = _attr_value(value)
    return out


def software_attrs() -> dict[str, str]:
    """Provenance attributes: package name and version, and the numpy and scipy versions.

    Returns
    -------
    dict
        ``software`` ("thermoflux"), ``software_version``, ``numpy_version``, ``scipy_version``.
    """
    import scipy

    from thermoflux import __version__

    return {"software": "thermoflux", "software_version": __version__,
            "numpy_version": np.__version__, "scipy_version": scipy.__version__}


def result_attrs(method: str, *, seed: str | None = None, equations: str | None = None,
                 parameters: Mapping[str, Any] | None = None, sign_note: str | None = None,
                 **extra: Any) -> dict[str, Any]:
    """The ``attrs`` of a result Dataset, netCDF-safe (DESIGN.md, "Result contract").

    Every method builds its Datasets' attrs here, so that a saved file says which method and
    equations produced it, with which software, in which units and sign convention, and from
    which parameters.

    Parameters
    ----------
    method : str
        The physics method ("landauer", "mixture", "finite_baths", "master_equation",
        "harmonic_networks", "compare"; "" for flows built by hand).
    seed : str, optional
        The seed paper, e.g. ``"004"``.
    equations : str, optional
        The seed's equations the result implements, e.g. ``"6, 17-19"``.
    parameters : mapping, optional
        The inputs that produced the result; nested mappings become dotted keys
        ``parameters.outer.inner`` (:func:`netcdf_attrs`).
    sign_note : str, optional
        A sentence the method adds to the core sign convention (what its cumulative or
        method-specific variables mean), appended after a semicolon.
    **extra
        Further attributes (a solver, a run config), flattened with :func:`netcdf_attrs`. They
        may not replace the keys this function owns.

    Returns
    -------
    dict
        ``method``, ``seed`` and ``equations`` (when given), ``units`` (ħ = k_B = e = 1, one
        spelling for every method), ``sign_convention`` (:data:`thermoflux.flows.SIGN_CONVENTION`:
        currents positive out of the reservoir into the system, then ``sign_note``), ``software``,
        ``software_version``, ``numpy_version``, ``scipy_version``, ``parameters.*`` and the
        ``extra`` keys; every value a string, a number or a 1-D float array.

    Raises
    ------
    InputError
        ``method`` is not a string, or ``extra`` names a key this function owns.

    Examples
    --------
    >>> from thermoflux.io import result_attrs
    >>> attrs = result_attrs("landauer", seed="004", equations="6", parameters={"beta": {"L": 2.0}})
    >>> attrs["method"], attrs["parameters.beta.L"]
    ('landauer', 2.0)
    """
    from thermoflux.flows import SIGN_CONVENTION

    if not isinstance(method, str):
        raise InputError(f"method must be a string naming the method; got {type(method).__name__}")
    owned = sorted(_CORE_KEYS & set(extra))
    if owned:
        raise InputError(f"{owned[0]}: set by result_attrs itself; pass it as its own argument or not at all")
    base: dict[str, Any] = {"method": method}
    if seed is not None:
        base["seed"] = str(seed)
    if equations is not None:
        base["equations"] = str(equations)
    base["units"] = UNITS
    base["sign_convention"] = SIGN_CONVENTION + (f"; {sign_note}" if sign_note else "")
    base.update(software_attrs())
    if parameters:
        base["parameters"] = dict(parameters)
    base.update(extra)
    return netcdf_attrs(base)


def _variable(name: str, entry: Sequence[Any], dims: tuple[str, ...], shape: tuple[int, ...] | None) -> Any:
    """An ``xarray.Variable`` from ``(values, long_name, units[, reference])`` on ``dims``."""
    import xarray as xr

    if not 3 <= len(entry) <= 4:
        raise InputError(f"{name}: must be (values, long_name, units) or (values, long_name, units, "
                         f"reference); got {len(entry)} items")
    values = np.asarray(entry[0])
    if shape is not None and values.shape != shape:
        raise InputError(f"{name}: must have shape {shape} (dims {dims}); got {values.shape}")
    attrs = {"long_name": str(entry[1]), "units": str(entry[2])}
    if len(entry) == 4 and entry[3]:
        attrs["reference"] = str(entry[3])
    return xr.Variable(dims, values, attrs)


def time_series_dataset(times: Any, reservoirs: Sequence[str], *,
                        per_reservoir: Mapping[str, Sequence[Any]] | None = None,
                        series: Mapping[str, Sequence[Any]] | None = None,
                        other: Mapping[str, Sequence[Any]] | None = None,
                        coords: Mapping[str, Sequence[Any]] | None = None,
                        attrs: Mapping[str, Any] | None = None) -> Any:
    """A time series as an ``xarray.Dataset`` on dims ``time`` and ``reservoir`` (the result contract).

    The one layout of the dynamics of ``finite_baths`` (``simulate``), ``master_equation``
    (``StochasticLimit.evolve``) and ``harmonic_networks`` (``Network.evolve``): coordinate
    ``time`` (units 1/energy, ħ = 1) and ``reservoir`` (the names), per-reservoir variables on
    (time, reservoir), scalar series on (time,), each with its ``long_name`` and ``units``.

    Parameters
    ----------
    times : array_like, shape (T,)
        The times (1/energy).
    reservoirs : sequence of str, length R
        Reservoir names, in the order of the per-reservoir arrays' last axis.
    per_reservoir : mapping, optional
        ``name -> (values, long_name, units)`` with values of shape (T, R); a fourth item, if
        given, is a ``reference`` attribute (e.g. ``"seed 001, eq. 7"``).
    series : mapping, optional
        ``name -> (values, long_name, units[, reference])`` with values of shape (T,).
    other : mapping, optional
        ``name -> (dims, values, long_name, units[, reference])``: variables on other dims
        (``(time, level)``, a constant on ``()``, ...).
    coords : mapping, optional
        ``name -> (dims, values, long_name, units)``: further coordinates (``level``, ``mode``,
        ``site`` of each reservoir, ...).
    attrs : mapping, optional
        The Dataset's attrs, from :func:`result_attrs`.

    Returns
    -------
    xarray.Dataset
        Variables in the order per_reservoir, series, other; every variable and coordinate has
        ``units`` (labels and indices ``"1"``).

    Raises
    ------
    InputError
        A variable whose shape does not match its dims, or a malformed entry (the message
        names the variable).

    Examples
    --------
    >>> import numpy as np
    >>> from thermoflux.io import result_attrs, time_series_dataset
    >>> t = np.linspace(0.0, 1.0, 3)
    >>> ds = time_series_dataset(t, ["hot", "cold"],
    ...                          per_reservoir={"particle_current": (np.zeros((3, 2)), "J^N", "1/time")},
    ...                          series={"energy": (t**2, "tr(H rho)", "energy")},
    ...                          attrs=result_attrs("master_equation"))
    >>> ds.particle_current.dims, ds.time.attrs["units"]
    (('time', 'reservoir'), '1/energy')
    """
    import xarray as xr

    t = as_real_array(times, "times", ndim=1)
    names = [str(r) for r in reservoirs]
    n_t, n_r = t.size, len(names)
    data: dict[str, Any] = {}
    for name, entry in (per_reservoir or {}).items():
        data[name] = _variable(name, entry, ("time", "reservoir"), (n_t, n_r))
    for name, entry in (series or {}).items():
        data[name] = _variable(name, entry, ("time",), (n_t,))
    for name, entry in (other or {}).items():
        dims = tuple(entry[0])
        data[name] = _variable(name, entry[1:], dims, None)
    coordinates: dict[str, Any] = {
        "time": ("time", t, {"long_name": "time", "units": TIME_UNITS}),
        "reservoir": ("reservoir", names, {"long_name": "reservoir", "units": "1"}),
    }
    for name, (dims, values, long_name, units) in (coords or {}).items():
        coordinates[name] = (dims, values, {"long_name": str(long_name), "units": str(units)})
    return xr.Dataset(data, coords=coordinates, attrs=dict(attrs or {}))


def save_dataset(ds: Any, path: str | os.PathLike, *, engine: str = DEFAULT_ENGINE) -> Path:
    """Write ``ds`` to a NetCDF file atomically (temporary file in the same folder, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        ds = ds.copy()
        ds.attrs = netcdf_attrs(ds.attrs)
        for name in ds.variables:
            ds[name].attrs = netcdf_attrs(ds[name].attrs)
        ds.to_netcdf(tmp, engine=engine)
        with open(tmp, "rb") as fh:  # flush to disk before the rename, so a power cut cannot
            os.fsync(fh.fileno())    # leave a complete-looking name over an empty file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_dataset(path: str | os.PathLike, *, engine: str | None = None) -> Any:
    """Read a NetCDF file written by :func:`save_dataset` fully into memory."""
    import xarray as xr

    path = Path(path)
    if not path.exists():
        raise InputError(f"path: no such file {str(path)!r}")
    with xr.open_dataset(path, engine=engine) as ds:
        return ds.load()


def load_config(path: str | os.PathLike) -> dict[str, Any]:
    """Parse a TOML run configuration; a syntax error becomes an InputError naming the file."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise InputError(f"config: no such file {str(path)!r}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"config: {path} is not valid TOML: {exc}") from exc

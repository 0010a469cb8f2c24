"""Reading and writing results (NetCDF through xarray) and run configurations (TOML).

netCDF attributes must be strings, numbers or 1-D arrays of numbers; :func:`netcdf_attrs`
turns the parameters of a calculation (nested dicts, lists, None, booleans) into such
attributes, so that every saved Dataset explains itself. Files are written atomically (a
temporary name in the same folder, then a rename), so a killed run never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from thermoflux.errors import InputError

__all__ = ["netcdf_attrs", "save_dataset", "load_dataset", "load_config", "software_attrs"]

DEFAULT_ENGINE = "scipy"  # netCDF3 through scipy: a core dependency, so every install can write


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
    """Provenance attributes: package name and version."""
    from thermoflux import __version__

    return {"software": "thermoflux", "software_version": __version__}


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

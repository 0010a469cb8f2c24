"""Checkpoint folder of a sweep: one small NetCDF file per finished chunk, written atomically.

Layout of a checkpoint folder::

    manifest.json          what sweep this is: grid and task fingerprints, chunk size, points
    chunk-000012.nc        the successful points of chunk 12 (dim ``__point__`` = point indices)
    chunk-000012.json      marker written last: the chunk's points and its failed points

Every file is written under a temporary name in the same folder, flushed to disk (fsync), then
renamed (``os.replace`` is atomic on POSIX), and the folder is synced: a run killed at any
instant (SIGKILL, lost worker, power cut) leaves only complete chunks plus perhaps a stray
temporary file, which is removed on the next open. A chunk counts as done when its marker
exists. A folder made by another grid or task is refused with :class:`~thermoflux.InputError`.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from thermoflux.errors import InputError

__all__ = ["CheckpointStore", "FORMAT"]

FORMAT = "thermoflux-sweep-checkpoint"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _atomic_write(path: Path, write: Any) -> None:
    """Call ``write(tmp_path)``, fsync the file, rename it to ``path`` and sync the folder."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _write_json(path: Path, obj: Any) -> None:
    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(obj, fh, sort_keys=True, default=str)

    _atomic_write(path, write)


def _write_netcdf(ds: Any, tmp: str) -> None:
    """NetCDF3 through scipy (always installed); NetCDF4/HDF5 for complex values if available."""
    try:
        ds.to_netcdf(tmp, engine="scipy")
    except (ValueError, TypeError) as exc:
        try:
            import h5netcdf  # noqa: F401
        except ImportError:
            raise InputError("checkpoint: the task's output cannot be stored as NetCDF3 "
                             f"({exc}); install h5netcdf for complex or 64-bit data") from exc
        ds.to_netcdf(tmp, engine="h5netcdf", invalid_netcdf=True)


class CheckpointStore:
    """A checkpoint folder for one sweep (see the module docstring for the layout).

    Parameters
    ----------
    path : path-like
        The folder; created if missing.
    manifest : dict
        ``grid`` and ``task`` fingerprints, ``n_points``, ``chunk_size`` and a readable ``grid``
        description of the sweep about to run.
    resume : bool
        Without it, a folder that already holds finished chunks is refused (no silent mixing
        or overwriting); with it, the finished chunks are kept and their chunk size is used.
    """

    def __init__(self, path: str | os.PathLike, manifest: Mapping[str, Any], *, resume: bool) -> None:
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise InputError(f"checkpoint: {str(self.path)!r} exists and is not a folder")
        self.path.mkdir(parents=True, exist_ok=True)
        for stray in self.path.glob(".*.tmp"):
            stray.unlink(missing_ok=True)
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, **manifest}
        existing = self._read_manifest()
        if existing is None:
            others = [p.name for p in self.path.iterdir()]
            if others:
                raise InputError(f"checkpoint: {str(self.path)!r} is not a sweep checkpoint folder "
                                 f"and is not empty (holds {others[:3]}); choose an empty or new folder")
            _write_json(self.path / MANIFEST, manifest)
            self.manifest = manifest
        else:
            self._check_same(existing, manifest)
            done = self.done()
            if done and not resume:
                raise InputError(f"checkpoint: {str(self.path)!r} already holds {len(done)} finished "
                                 "chunks of this sweep; pass resume=True (--resume) to continue it, "
                                 "or choose a new folder")
            if not done:
                _write_json(self.path / MANIFEST, manifest)
                existing = manifest
            self.manifest = existing

    def _read_manifest(self) -> dict[str, Any] | None:
        path = self.path / MANIFEST
        if not path.exists():
            return None
        try:
            with path.open(encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"checkpoint: {str(path)!r} is unreadable ({exc})") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InputError(f"checkpoint: {str(path)!r} is not a thermoflux sweep manifest")
        if data.get("format_version") != FORMAT_VERSION:
            raise InputError(f"checkpoint: {str(path)!r} has format version {data.get('format_version')}; "
                             f"this thermoflux reads version {FORMAT_VERSION}")
        return data

    def _check_same(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        where = f"checkpoint: {str(self.path)!r} was made by another sweep"
        if old.get("grid_fingerprint") != new.get("grid_fingerprint"):
            og, ng = old.get("grid", {}), new.get("grid", {})
            if og.get("names") != ng.get("names"):
                why = f"parameters {og.get('names')} there, {ng.get('names')} now"
            elif og.get("shape") != ng.get("shape"):
                why = f"grid shape {og.get('shape')} there, {ng.get('shape')} now"
            else:
                why = "same parameters and shape but different values"
            raise InputError(f"{where} ({why}); refusing to mix results: use a new folder")
        if old.get("task_fingerprint") != new.get("task_fingerprint"):
            raise InputError(f"{where} (another task or other fixed parameters: "
                             f"{old.get('task')!r} there, {new.get('task')!r} now); refusing to mix "
                             "results: use a new folder")

    @property
    def chunk_size(self) -> int:
        """Points per chunk of this checkpoint (fixed when the folder was created)."""
        return int(self.manifest["chunk_size"])

    def _marker(self, index: int) -> Path:
        return self.path / f"chunk-{index:06d}.json"

    def _data(self, index: int) -> Path:
        return self.path / f"chunk-{index:06d}.nc"

    def done(self) -> dict[int, dict[str, Any]]:
        """Finished chunks: index -> marker (``points``, ``failed``, ``has_data``)."""
        out = {}
        for marker in sorted(self.path.glob("chunk-*.json")):
            try:
                with marker.open(encoding="utf-8") as fh:
                    record = json.load(fh)
                out[int(record["chunk"])] = record
            except (OSError, ValueError, KeyError, TypeError):
                continue  # unreadable marker: the chunk is recomputed
        return out

    def write_chunk(self, index: int, ds: Any | None, points: Sequence[int],
                    failed: Sequence[Mapping[str, Any]]) -> None:
        """Store a finished chunk: data first, then its marker (which makes it count)."""
        if ds is not None:
            _atomic_write(self._data(index), lambda tmp: _write_netcdf(ds, tmp))
        _write_json(self._marker(index), {"chunk": index, "points": list(map(int, points)),
                                          "failed": list(failed), "has_data": ds is not None})

    def load_chunk(self, index: int, record: Mapping[str, Any]) -> Any | None:
        """The Dataset of a finished chunk (None when all its points failed)."""
        if not record.get("has_data"):
            return None
        import xarray as xr

        path = self._data(index)
        try:
            with xr.open_dataset(path) as ds:
                return ds.load()
        except (OSError, ValueError) as exc:
            raise InputError(f"checkpoint: chunk file {str(path)!r} is unreadable ({exc}); delete it "
                             f"and {self._marker(index).name} to recompute that chunk") from exc

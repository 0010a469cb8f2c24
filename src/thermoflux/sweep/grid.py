"""Parameter grids of a sweep: an outer product of 1-D axes, or a list of explicit points.

A grid is validated once, before any work: every axis is a non-empty 1-D sequence of scalars
without repeats, every explicit point has the same keys. Points are numbered in C order of the
outer product (the last parameter varies fastest), which fixes the chunks of a checkpoint.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from thermoflux._validation import describe
from thermoflux.errors import InputError

__all__ = ["Grid", "POINT_DIM"]

#: name of the dimension of a list-of-points grid.
POINT_DIM = "point"


def _scalar(value: Any, where: str) -> Any:
    """A plain Python scalar (float, int, bool or str) from ``value``, else InputError."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"{where} must be finite; got {value!r}")
        return value
    raise InputError(f"{where} must be a number or a string; got {describe(value)}")


class Grid:
    """The points of a sweep.

    Parameters
    ----------
    spec : mapping of str to 1-D sequence, or sequence of mappings
        ``{"mu": [0, 0.1], "beta": [1, 2]}`` sweeps the outer product (one output dim per
        parameter, in this order); ``[{"seed": 0}, {"seed": 1}]`` lists explicit points (one
        output dim ``point`` with a coordinate per parameter), e.g. the members of an ensemble.

    Attributes
    ----------
    kind : {"outer", "points"}
    names : tuple of str
        Parameter names.
    shape : tuple of int
        Shape of the output grid (``(len(points),)`` for explicit points).
    dims : tuple of str
        Output dims: the parameter names (outer) or ``("point",)``.
    """

    def __init__(self, spec: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]]) -> None:
        if isinstance(spec, Grid):
            self.__dict__.update(spec.__dict__)
            return
        if isinstance(spec, Mapping):
            self._init_outer(spec)
        elif isinstance(spec, Sequence) and not isinstance(spec, str | bytes):
            self._init_points(spec)
        else:
            raise InputError("grid must be a mapping name -> 1-D values or a list of "
                             f"mappings name -> value; got {describe(spec)}")

    def _init_outer(self, spec: Mapping[str, Any]) -> None:
        if not spec:
            raise InputError("grid must name at least one parameter; got an empty mapping")
        axes: dict[str, list[Any]] = {}
        for name, values in spec.items():
            if not isinstance(name, str) or not name:
                raise InputError(f"grid keys must be non-empty strings; got {name!r}")
            arr = np.asarray(values)
            if arr.ndim != 1 or arr.size == 0:
                raise InputError(f"grid[{name!r}] must be a non-empty 1-D sequence; got {describe(values)}")
            items = [_scalar(v, f"grid[{name!r}][{i}]") for i, v in enumerate(arr.tolist())]
            if len(set(map(repr, items))) != len(items):
                raise InputError(f"grid[{name!r}] repeats a value; each value must appear once "
                                 f"(got {describe(values)})")
            axes[name] = items
        self.kind = "outer"
        self.axes = axes
        self.names = tuple(axes)
        self.shape = tuple(len(v) for v in axes.values())
        self.dims = self.names
        self.size = math.prod(self.shape)

    def _init_points(self, spec: Sequence[Any]) -> None:
        if len(spec) == 0:
            raise InputError("grid must list at least one point; got an empty list")
        points: list[dict[str, Any]] = []
        names: tuple[str, ...] | None = None
        for i, point in enumerate(spec):
            if not isinstance(point, Mapping) or not point:
                raise InputError(f"grid[{i}] must be a non-empty mapping name -> value; got {describe(point)}")
            keys = tuple(point)
            if names is None:
                names = keys
                for key in keys:
                    if not isinstance(key, str) or not key or key == POINT_DIM:
                        raise InputError(f"grid[{i}] keys must be non-empty strings other than "
                                         f"{POINT_DIM!r}; got {key!r}")
            elif set(keys) != set(names):
                raise InputError(f"grid[{i}] has the parameters {sorted(keys)}; every point must "
                                 f"have the parameters of grid[0], {sorted(names)}")
            points.append({k: _scalar(point[k], f"grid[{i}][{k!r}]") for k in names})
        assert names is not None
        self.kind = "points"
        self.axes = {k: [p[k] for p in points] for k in names}
        self._points = points
        self.names = names
        self.shape = (len(points),)
        self.dims = (POINT_DIM,)
        self.size = len(points)

    # -- points --------------------------------------------------------------------------------
    def point(self, index: int) -> dict[str, Any]:
        """Parameters of point ``index`` (C order of the outer product)."""
        if self.kind == "points":
            return dict(self._points[index])
        out = {}
        for name, n in zip(reversed(self.names), reversed(self.shape)):
            index, i = divmod(index, n)
            out[name] = self.axes[name][i]
        return {k: out[k] for k in self.names}

    def points(self, start: int = 0, stop: int | None = None) -> list[dict[str, Any]]:
        """Parameters of points ``start..stop-1`` (C order), built at C speed."""
        stop = self.size if stop is None else min(stop, self.size)
        if self.kind == "points":
            return [dict(p) for p in self._points[start:stop]]
        names = self.names
        combos = itertools.islice(itertools.product(*self.axes.values()), start, stop)
        return [dict(zip(names, combo)) for combo in combos]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.points())

    def __len__(self) -> int:
        return self.size

    def coords(self) -> dict[str, Any]:
        """xarray coordinates of the output: one per parameter."""
        if self.kind == "outer":
            return {k: (k, np.asarray(v)) for k, v in self.axes.items()}
        return {k: (POINT_DIM, np.asarray(v)) for k, v in self.axes.items()} | {
            POINT_DIM: (POINT_DIM, np.arange(self.size))}

    def describe(self) -> dict[str, Any]:
        """A JSON-able description (kind, names, values), exact for floats."""
        values = ([self.point(i) for i in range(self.size)] if self.kind == "points"
                  else {k: list(v) for k, v in self.axes.items()})
        return {"kind": self.kind, "names": list(self.names), "shape": list(self.shape), "values": values}

    def fingerprint(self) -> str:
        """SHA-256 of :meth:`describe` (floats by their shortest exact repr)."""
        text = json.dumps(self.describe(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}: {len(v)}" for k, v in self.axes.items()) if self.kind == "outer" \
            else f"{self.size} points of {', '.join(self.names)}"
        return f"Grid({self.kind}; {inner})"

"""Many parameter points of one Landauer junction in one pass: the batched form of a sweep.

A sweep whose points differ only in what the engine vectorizes (issue 15) — temperatures (or
β) and chemical potentials of thermal Fermi reservoirs, the level and widths of a Lorentzian,
the value of a constant transmission — needs one :class:`~thermoflux.landauer.Junction` with
array parameters, integrated once, instead of one junction per point. Two tasks offer that
batched form to :func:`thermoflux.sweep.run` (``task.run_batch(points)``, called once per
chunk on every executor):

* :func:`run_batch` for ``thermoflux sweep`` configs (:class:`~thermoflux.sweep.ConfigTask`
  finds it as ``thermoflux.<method>.batch.run_batch``);
* :class:`JunctionTask`, an explicit opt-in for a Python function that builds a junction.

The result of every point is the one the point would give alone (seed 004, eqs. 6, 17–19 as
in :meth:`Junction.flows`): a row of a batched junction is integrated on the panels of its point
alone (:mod:`thermoflux.landauer.quadrature`), so currents and error estimates agree to
rounding (bit for bit in the tests), and the derived quantities (heat J^E − μJ^N, σ = Σ_α
dS_α/dt by ``math.fsum``) are formed as :class:`~thermoflux.Flows` forms them. A point the
batch does not take (``None`` in the returned list) runs alone, so every error, warning, retry
and failed-point record stays per point: a swept value that is not a valid number, a point
whose :meth:`Junction.flows` would raise or warn — an infinite current, an error estimate above
half of flows()' limit (5e-7 of ∫|integrand|), a conservation residual or a negative σ beyond
half of its check tolerance (half: a borderline point is never decided by rounding). Bosons
(whose soft quanta can make a particle current undefined) are never batched; thermal Fermi
integrands decay exponentially at every end, so no divergence can occur there
(:mod:`thermoflux.landauer.divergence`).
"""

from __future__ import annotations

import ctypes
import inspect
import json
import math
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from numbers import Real
from typing import Any

import numpy as np

from thermoflux.errors import InputError
from thermoflux.landauer.junction import RELATIVE_ACCURACY, Junction
from thermoflux.landauer.transmissions import constant, lorentzian

__all__ = ["run_batch", "JunctionTask", "batched_columns"]

# Judge acceptance with half of the per-point limits, so that rounding never decides a point.
_MARGIN = 0.5
# A batched row and the same point integrated alone share their panels: measured equal bit for
# bit; the guard allows a few ulps of the largest current (summation order of padded panels).
_GUARD_RTOL = 1e-12

# glibc gives freed heap back to the system above 128 kB and maps larger blocks afresh, so every
# vectorized pass of the engine page-faults its temporaries again once a sweep's other objects
# have churned the heap: measured 0.6 s of system time in a serial 10^4-point sweep (0.06 s with
# these thresholds), about a third of the engine's own time. A process that runs batches keeps
# up to 64 MB of freed heap instead.
_TRIM_THRESHOLD = 64 << 20
_MMAP_THRESHOLD = 32 << 20
_HEAP_KEPT: list[bool] = []

_RESERVOIR_KEY = re.compile(r"reservoirs\.([^.]+)\.(temperature|beta|mu)")
_TRANSMISSION_KEY = re.compile(r"transmission\.(\d+)\.(level|value|widths\.[^.]+)")
_KIND_OF = {"level": "lorentzian", "widths": "lorentzian", "value": "constant"}


# -- the batched flows of a junction ------------------------------------------------------------
def _keep_heap() -> None:
    """Raise glibc's trim and mmap thresholds once in this process (Linux; elsewhere nothing)."""
    if _HEAP_KEPT or not sys.platform.startswith("linux"):
        return
    _HEAP_KEPT.append(True)
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(ctypes.c_int(-1), ctypes.c_int(_TRIM_THRESHOLD))   # M_TRIM_THRESHOLD
        libc.mallopt(ctypes.c_int(-3), ctypes.c_int(_MMAP_THRESHOLD))   # M_MMAP_THRESHOLD
    except (OSError, AttributeError):  # pragma: no cover - not glibc (musl has no mallopt)
        pass


def batched_columns(junction: Junction) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Flows of every point of a batched Fermi junction, which points to take, nodes per point.

    Returns
    -------
    columns : dict
        ``particle``, ``energy``, ``heat``, ``entropy``, ``temperature``, ``chemical_potential``
        and the ``*_error`` estimates, shape (n, reservoirs); ``entropy_production`` and
        ``power`` (n,). Units ħ = k_B = e = 1; positive out of the reservoir.
    taken : ndarray of bool, shape (n,)
        Points whose :meth:`Junction.flows` would neither raise nor warn (module docstring).
    live_nodes : ndarray of int, shape (n,)
        Quadrature nodes of each point's own panels.
    """
    _keep_heap()
    ints = junction.integrals(magnitude=True)
    names = list(junction.reservoirs)
    n = junction.batch_shape[0]

    def stack(mapping: Mapping[str, Any]) -> np.ndarray:
        return np.stack([np.broadcast_to(np.asarray(mapping[k], float), (n,)) for k in names], axis=-1)

    particle, energy, entropy = stack(ints.particle), stack(ints.energy), stack(ints.entropy)
    errors = [stack(ints.particle_error), stack(ints.energy_error), stack(ints.entropy_error)]
    mu = stack({k: d.mu for k, d in junction.reservoirs.items()})
    temperature = stack({k: 1.0 / np.asarray(d.beta, float) for k, d in junction.reservoirs.items()})
    heat = np.where(mu == 0, energy, energy - mu * particle)   # Flows: μ J^N counts 0 when μ = 0
    with np.errstate(invalid="ignore"):
        production = np.array([math.fsum(row) for row in entropy.tolist()])
        taken = np.all(np.isfinite(particle) & np.isfinite(energy) & np.isfinite(entropy), axis=-1)
        for q, err in enumerate(errors):                                      # Junction.flows
            mag = np.stack([np.asarray(ints.magnitude[k][q], float) for k in names], axis=-1)
            taken &= np.all(err <= _MARGIN * RELATIVE_ACCURACY * mag, axis=-1)
        atol = 1e-12 + 10 * sum(e.sum(axis=-1) for e in errors)               # Flows.check
        rtol = 1e-8
        taken &= np.abs(particle.sum(-1)) <= _MARGIN * (atol + rtol * np.abs(particle).sum(-1))
        taken &= np.abs(energy.sum(-1)) <= _MARGIN * (atol + rtol * np.abs(energy).sum(-1))
        taken &= production >= -_MARGIN * (atol + rtol * np.abs(entropy).sum(-1))
    columns = {"particle": particle, "energy": energy, "heat": heat, "entropy": entropy,
               "temperature": temperature, "chemical_potential": mu,
               "particle_error": errors[0], "energy_error": errors[1], "entropy_error": errors[2],
               "entropy_production": production, "power": np.zeros(n)}
    return columns, taken, np.broadcast_to(np.asarray(ints.live_nodes), (n,))


# The variables of a per-point result, by the column that holds them.
_VARIABLES = {"particle_current": "particle", "energy_current": "energy", "heat_current": "heat",
              "entropy_flow": "entropy", "temperature": "temperature",
              "chemical_potential": "chemical_potential", "entropy_production": "entropy_production",
              "power": "power", "particle_current_error": "particle_error",
              "energy_current_error": "energy_error", "entropy_flow_error": "entropy_error"}


def _close(mine: Any, alone: Any) -> bool:
    mine, alone = np.asarray(mine, float), np.asarray(alone, float)
    scale = float(np.max(np.abs(alone), initial=0.0)) if np.all(np.isfinite(alone)) else 0.0
    return mine.shape == alone.shape and bool(np.all(
        (np.abs(mine - alone) <= _GUARD_RTOL * scale + 1e-300) | (np.isnan(mine) & np.isnan(alone))))


def _agrees(alone: Any, columns: Mapping[str, np.ndarray], row: int, names: Sequence[str]) -> bool:
    """Does row ``row`` of the batch hold the integrals of its point integrated alone?

    The guard of every batch against a parameter mapped to the wrong row or reservoir.
    """
    pairs = (("particle", alone.particle), ("energy", alone.energy), ("entropy", alone.entropy),
             ("particle_error", alone.particle_error), ("energy_error", alone.energy_error),
             ("entropy_error", alone.entropy_error))
    return all(_close(columns[col][row], [values[k] for k in names]) for col, values in pairs)


def _results(template: Any, columns: Mapping[str, np.ndarray], taken: np.ndarray,
             attrs_of: Callable[[int], dict[str, Any]]) -> list[Any]:
    """Per-point records shaped like ``template`` (one point run alone) for the taken rows."""
    from thermoflux.sweep.results import PointResult

    out: list[Any] = [None] * len(taken)
    schema = template.schema()
    rows_of = {name: list(columns[_VARIABLES[name]]) for name in template.data}  # row views, fast
    for row in np.nonzero(taken)[0].tolist():
        data = {name: (dims, rows_of[name][row], var_attrs) for name, (dims, _, var_attrs) in template.data.items()}
        out[row] = PointResult(data, template.coords, attrs_of(row), schema=schema)
    return out


def _first_alone(taken: np.ndarray, run_alone: Callable[[int], Any]) -> tuple[int, Any] | None:
    """The first taken row whose point runs alone, and its result (the template of the others)."""
    for row in np.nonzero(taken)[0]:
        try:
            return int(row), run_alone(int(row))
        except Exception:  # noqa: BLE001 - that point is left to run alone in the sweep
            taken[row] = False
    return None


#: templates (one point's result run alone: variables, dims, attrs) per config and swept paths,
#: in this process
_TEMPLATES: dict[Any, Any] = {}


def _template(cache: dict[Any, Any], key: Any, taken: np.ndarray,
              run_alone: Callable[[int], Any]) -> tuple[int | None, Any]:
    """The template of ``key`` (kept in ``cache``), and the row it was made from now, if any."""
    template = cache.get(key)
    if template is not None:
        return None, template
    found = _first_alone(taken, run_alone)
    if found is None:
        return None, None
    if len(cache) > 16:
        cache.clear()
    cache[key] = found[1]
    return found


# -- configs (thermoflux sweep) -----------------------------------------------------------------
def _swept_key(config: Mapping[str, Any], path: str) -> str | None:
    """What a dotted path sets in the batch ("beta", "mu", "level", ...), None if unbatchable."""
    match = _RESERVOIR_KEY.fullmatch(path)
    if match:
        return match.group(2)
    match = _TRANSMISSION_KEY.fullmatch(path)
    if match:
        entries = config.get("transmission")
        index, key = int(match.group(1)), match.group(2).split(".")[0]
        if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], Mapping) \
                and entries[index].get("kind") == _KIND_OF[key]:
            return key
    return None


def _valid(values: Sequence[Any], key: str) -> np.ndarray:
    """Which swept values are numbers the config validation accepts (positive where it asks)."""
    ok = np.array([(type(v) in (float, int) or isinstance(v, Real) and not isinstance(v, bool | np.bool_))
                   and math.isfinite(v) for v in values])
    arr = np.array([float(v) if good else np.nan for v, good in zip(values, ok)])
    if key in ("temperature", "beta"):
        ok &= arr > 0
    elif key in ("widths", "value"):
        ok &= arr >= 0
    return ok


def _point_config(config: Mapping[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """``config`` with ``params`` set, copying only the tables and lists along their paths."""
    from thermoflux.sweep.tasks import set_by_path

    out = dict(config)
    for path in params:
        node: Any = out
        for part in path.split(".")[:-1]:
            key: Any = int(part) if isinstance(node, list) else part
            node[key] = list(node[key]) if isinstance(node[key], list) else dict(node[key])
            node = node[key]
    for path, value in params.items():
        set_by_path(out, path, value)
    return out


def _config_junction(config: Mapping[str, Any], first: Junction, swept: Mapping[str, np.ndarray]) -> Junction:
    """The junction of ``config`` with the swept paths as arrays (the rest as in ``first``)."""
    reservoirs = {}
    for name, d in first.reservoirs.items():
        spec = config["reservoirs"][name]
        kind = "beta" if "beta" in spec else "temperature"
        value = swept.get(f"reservoirs.{name}.{kind}", float(spec[kind]))
        mu = swept.get(f"reservoirs.{name}.mu", float(spec.get("mu", 0.0)))
        reservoirs[name] = type(d)(mu=mu, **{kind: value})
    trans: dict[tuple[str, str], Any] = {}
    for i, spec in enumerate(config["transmission"]):
        between = list(spec["between"])
        pair = (between[0], between[1])
        key = f"transmission.{i}"
        if spec["kind"] == "lorentzian":
            widths = {b: swept.get(f"{key}.widths.{b}", float(spec["widths"][b])) for b in between}
            trans.update(lorentzian(swept.get(f"{key}.level", float(spec["level"])), widths))
        elif spec["kind"] == "constant":
            trans[pair] = constant(swept.get(f"{key}.value", float(spec["value"])))
        else:                                    # nothing of it is swept: the first point's object
            trans[pair] = first.transmission[pair]
    return Junction(reservoirs, trans, breakpoints=first.breakpoints if first.breakpoints.size else None,
                    energy_range=None if first.energy_range is None else tuple(first.energy_range))


def _config_attrs(config: Mapping[str, Any], points: Sequence[Mapping[str, Any]], rows: np.ndarray,
                  template: Mapping[str, Any], live: np.ndarray) -> Callable[[int], dict[str, Any]]:
    """The attrs of row j as ``run`` gives them: the template's, with the point's config and nodes.

    ``run`` flattens its config into ``config.<dotted key>`` attrs (:func:`netcdf_attrs`); a
    swept value inside a table is one such attr, one inside a list (``transmission.0.level``)
    changes the JSON of the whole list.
    """
    from thermoflux.io import netcdf_attrs
    from thermoflux.sweep.tasks import coerce_like, get_by_path

    paths = list(points[0])
    direct = [p for p in paths if not any(part.isdigit() for part in p.split("."))]
    olds = {p: get_by_path(config, p) for p in direct}
    listed = {p.split(".")[0] for p in paths if p not in direct}

    def attrs_of(j: int) -> dict[str, Any]:
        point = points[rows[j]]
        attrs = dict(template)
        for path in direct:
            attrs.update(netcdf_attrs({path: coerce_like(olds[path], point[path])}, prefix="config."))
        if listed:
            cfg = _point_config(config, {p: v for p, v in point.items() if p.split(".")[0] in listed})
            for top in listed:
                attrs.update(netcdf_attrs({top: cfg[top]}, prefix="config."))
        attrs["quadrature_nodes"] = int(live[j])
        return attrs

    return attrs_of


def run_batch(config: Mapping[str, Any], points: Sequence[Mapping[str, Any]]) -> list[Any] | None:
    """Results of ``run(config with point's values)`` for many points at once; None where not taken.

    Parameters
    ----------
    config : mapping
        A Landauer run configuration without ``method`` (:func:`thermoflux.landauer.config.run`).
    points : sequence of mappings dotted path -> value
        The swept values of each point (the same paths in every point).

    Returns
    -------
    list or None
        Per point, a record equal to :func:`~thermoflux.landauer.config.run` of that point's
        config (variables, dims, attrs), or None for a point to run alone; None when the swept
        paths are not all batchable (module docstring) or the model is bosonic.
    """
    from thermoflux.landauer.config import build_junction, run
    from thermoflux.sweep.results import to_point_result

    if not points:
        return []
    paths = list(points[0])
    keys = {path: _swept_key(config, path) for path in paths}
    if not paths or any(k is None for k in keys.values()) or any(list(p) != paths for p in points):
        return None
    taken = np.ones(len(points), dtype=bool)
    for path in paths:
        taken &= _valid([p[path] for p in points], keys[path])
    for i, spec in enumerate(config.get("transmission", [])):       # total width > 0 per point
        key = f"transmission.{i}.widths."
        if isinstance(spec, Mapping) and any(path.startswith(key) for path in paths):
            total = np.zeros(len(points))
            for b in spec.get("between", []):
                fixed = spec.get("widths", {}).get(b, 0.0)
                total += np.array([float(p[key + b]) if taken[j] and key + b in p else float(fixed)
                                   for j, p in enumerate(points)])
            taken &= total > 0
    rows = np.nonzero(taken)[0]
    if rows.size < 2:
        return None
    try:
        first = build_junction(_point_config(config, points[rows[0]]))   # validates all the rest
    except InputError:
        return None
    if first.statistics != "fermion" or not all(d.is_thermal for d in first.reservoirs.values()):
        return None
    swept = {path: np.array([float(points[r][path]) for r in rows]) for path in paths}
    columns, sub_taken, live = batched_columns(_config_junction(config, first, swept))
    if not _agrees(first.integrals(), columns, 0, list(first.reservoirs)):
        return None
    key = (json.dumps(config, sort_keys=True, default=str), tuple(paths))
    j0, template = _template(_TEMPLATES, key, sub_taken,
                             lambda j: to_point_result(run(_point_config(config, points[rows[j]]))))
    if template is None or set(template.data) != set(_VARIABLES):
        return None
    records = _results(template, columns, sub_taken, _config_attrs(config, points, rows, template.attrs, live))
    if j0 is not None:
        records[j0] = template
    out: list[Any] = [None] * len(points)
    for j, r in enumerate(rows):
        out[r] = records[j]
    return out


# -- Python tasks -------------------------------------------------------------------------------
class JunctionTask:
    """Sweep task ``build(**params).flows()`` with a batched form (one Junction per chunk).

    ``sweep.run(JunctionTask(build), grid)`` gives the result of ``sweep.run(lambda **p:
    build(**p).flows(), grid)`` (to rounding: bit for bit in the tests), computing each chunk
    through ONE junction built by ``build`` with every swept parameter as an array of shape (n,).

    Parameters
    ----------
    build : callable
        ``build(**params) -> Junction`` of thermal Fermi reservoirs whose swept parameters only
        enter the junction's arrays elementwise (temperatures, β, μ, Lorentzian levels and
        widths, constant transmissions), e.g. ``lambda mu, T: Junction({"L":
        FermiDirac(temperature=T, mu=mu), ...}, lorentzian(...))``. Picklable for processes.

    Notes
    -----
    Why opt-in rather than recognised: a plain task is opaque; that it builds a Junction, and
    that calling it with arrays means the same as calling it per point, could only be guessed
    by calling it with arrays, and code such as ``if mu > 0`` or ``float(T)`` would then fail
    or, worse, broadcast into another model. ``JunctionTask`` is the user's statement that
    ``build`` is elementwise; a guard still compares one point of every batch with the same
    point built alone and runs the whole chunk per point on any mismatch. Points the batch
    does not take run alone (module docstring), so failures stay per point.
    """

    def __init__(self, build: Callable[..., Junction]) -> None:
        if not callable(build):
            raise InputError(f"build must be callable, build(**params) -> Junction; got {type(build).__name__}")
        self.build = build
        try:
            self.__signature__ = inspect.signature(build)
        except (TypeError, ValueError):  # no signature to check the grid against
            pass

    def __call__(self, **params: Any) -> Any:
        junction = self.build(**params)
        if not isinstance(junction, Junction):
            raise InputError(f"build must return a Junction; got {type(junction).__name__}")
        return junction.flows()

    def run_batch(self, points: Sequence[Mapping[str, Any]]) -> list[Any] | None:
        """Flows of every point from one batched junction; None for a point to run alone."""
        from thermoflux.sweep.results import to_point_result

        if len(points) < 2 or any(list(p) != list(points[0]) for p in points):
            return None
        try:
            arrays = {k: np.array([float(p[k]) for p in points]) for k in points[0]}
            junction = self.build(**arrays)
        except Exception:  # noqa: BLE001 - not elementwise after all: every point runs alone
            return None
        if not isinstance(junction, Junction) or junction.batch_shape != (len(points),) \
                or junction.statistics != "fermion" or not all(d.is_thermal for d in junction.reservoirs.values()):
            return None
        columns, taken, _ = batched_columns(junction)
        try:
            alone = self.build(**points[0]).integrals()
        except Exception:  # noqa: BLE001 - the first point fails alone: every point runs alone
            return None
        if not _agrees(alone, columns, 0, list(junction.reservoirs)):
            return None
        j0, template = _template(self.__dict__.setdefault("_templates", {}), tuple(points[0]), taken,
                                 lambda j: to_point_result(self(**points[j])))
        if template is None or not set(template.data) <= set(_VARIABLES):
            return None
        out = _results(template, columns, taken, lambda j: template.attrs)
        if j0 is not None:
            out[j0] = template
        return out

    def sweep_fingerprint(self) -> str:
        """The builder's identity (checkpoint fingerprint)."""
        from thermoflux.sweep.runner import task_fingerprint

        return task_fingerprint(self.build)

    @property
    def __name__(self) -> str:  # used in summaries and attrs["sweep_task"]
        return f"junction({getattr(self.build, '__name__', type(self.build).__name__)})"

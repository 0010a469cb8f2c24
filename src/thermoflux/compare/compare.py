"""Every method that applies, on one system, side by side (DESIGN.md, "How the methods meet").

:func:`compare` runs the runners of :mod:`thermoflux.compare.runners` and lines their flows up
in one Dataset with dims ``method`` and ``reservoir``, with the validity record of each method
and the largest relative difference from the exact reference (Landauer, for a quadratic
system). :func:`scan` repeats it over a log-spaced scale factor of every Γ_α.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from thermoflux._validation import as_real_array, describe
from thermoflux.compare.runners import (
    METHODS,
    MethodResult,
    applicability,
    run_finite_baths,
    run_harmonic_networks,
    run_landauer,
    run_master_equation,
)
from thermoflux.compare.system import OpenSystem, describe_system
from thermoflux.errors import InputError

__all__ = ["compare", "scan", "table", "relative_difference", "REFERENCE", "DIFFERENCE_FLOOR"]

REFERENCE = "landauer"
#: Relative differences are |x_α − r_α| / max(|r_α|, DIFFERENCE_FLOOR · max_β |r_β|): a reservoir
#: whose reference current is (nearly) zero is judged against the largest current of the system,
#: never divided by its own rounding-level value.
DIFFERENCE_FLOOR = 1e-3

_RUNNERS = {"landauer": run_landauer, "master_equation": run_master_equation,
            "finite_baths": run_finite_baths, "harmonic_networks": run_harmonic_networks}
_QUANTITIES = (("particle_current", "particle", "1/time", "particle current out of the reservoir"),
               ("energy_current", "energy", "energy/time", "energy current out of the reservoir"),
               ("heat_current", "heat", "energy/time", "heat current out of the reservoir"),
               ("entropy_flow", "entropy", "1/time", "rate of change of the reservoir's entropy"))


def _check_methods(system: OpenSystem, methods: Any) -> list[str]:
    reasons = applicability(system)
    if methods is None:
        chosen = [m for m in METHODS if not reasons[m]]
    else:
        if isinstance(methods, str) or not isinstance(methods, Sequence) or not methods:
            raise InputError(f"methods must be a non-empty list of method names; got {describe(methods)}")
        chosen = []
        for m in methods:
            if m not in METHODS:
                raise InputError(f"methods: unknown method {m!r}; choose from {', '.join(METHODS)}")
            if reasons[m]:
                raise InputError(f"methods: {m} does not apply to this system: {reasons[m]}")
            if m not in chosen:
                chosen.append(m)
    if not chosen:
        raise InputError("methods: no method applies to this system")
    return chosen


def relative_difference(values: dict[str, float], reference: dict[str, float]) -> float:
    """max_α |x_α − r_α| / max(|r_α|, DIFFERENCE_FLOOR · max_β |r_β|) over the defined pairs.

    NaN entries (an undefined particle current of μ = 0 bosons) are left out, whatever the order
    of the reservoirs (nanmax); NaN if no pair is defined or every defined r_α is 0.
    """
    pairs = [(values[k], r) for k, r in reference.items() if not (math.isnan(r) or math.isnan(values[k]))]
    scale = max((abs(r) for _, r in pairs), default=0.0)
    if scale == 0:
        return math.nan
    floor = DIFFERENCE_FLOOR * scale
    return max(abs(x - r) / max(abs(r), floor) for x, r in pairs)


def compare(system: OpenSystem, methods: Sequence[str] | None = None, *,
            master_equation_rates: str = "auto", n_modes: int | None = None,
            max_modes: int = 600) -> Any:
    """Flows of every applicable method on one system, with validity and the gap to the exact one.

    Parameters
    ----------
    system : OpenSystem
    methods : sequence of str, optional
        Among "landauer", "master_equation", "finite_baths", "harmonic_networks". Default:
        every method that applies (an interacting system gets the master equation alone). A
        requested method that does not apply raises InputError saying why.
    master_equation_rates : {"auto", "pauli", "gksl"}
        See :func:`~thermoflux.compare.runners.run_master_equation`.
    n_modes, max_modes : int
        See :func:`~thermoflux.compare.runners.run_finite_baths`.

    Returns
    -------
    xarray.Dataset
        On (method, reservoir): ``particle_current`` (1/time), ``energy_current``,
        ``heat_current`` (energy/time), ``entropy_flow`` (1/time), positive when flowing out of
        the reservoir into the system, and ``particle_current_error``, ``energy_current_error``
        (absolute estimates, NaN where the method gives none). On method: ``entropy_production``
        (1/time, >= 0), ``power``, ``validity_parameter``, ``validity_threshold``,
        ``expected_to_hold`` (1/0), ``relative_difference`` (largest over reservoirs of the
        particle and energy currents, against ``attrs["reference"]``, with the floor
        :data:`DIFFERENCE_FLOOR`; NaN without a reference; ``particle_relative_difference`` and
        ``energy_relative_difference`` separately: energy currents of levels on both sides of
        zero energy can cancel, which magnifies their relative difference), and coordinate
        ``validity_parameter_name``. attrs: sign convention, units, the system, per-method notes.
        A method that was not run (finite baths needing more modes than allowed) has NaN flows.

    Notes
    -----
    ``method`` is also a keyword of ``Dataset.sel`` (nearest-neighbour lookup), so select a
    method with ``ds.sel({"method": "landauer"})``, not ``ds.sel(method="landauer")``.

    Examples
    --------
    >>> from thermoflux import FermiDirac
    >>> from thermoflux.compare import OpenSystem, compare
    >>> dot = OpenSystem([[0.2]], "fermion", {"L": (FermiDirac(temperature=1.0, mu=0.5), 1e-4),
    ...                                        "R": (FermiDirac(temperature=1.0, mu=-0.5), 1e-4)})
    >>> ds = compare(dot, ["landauer", "master_equation"])
    >>> bool(ds.relative_difference.sel({"method": "master_equation"}) < 1e-3)
    True
    """
    if not isinstance(system, OpenSystem):
        raise InputError(f"system must be an OpenSystem; got {type(system).__name__}")
    chosen = _check_methods(system, methods)
    results: list[MethodResult] = []
    for m in chosen:
        if m == "master_equation":
            results.append(run_master_equation(system, rates=master_equation_rates))
        elif m == "finite_baths":
            results.append(run_finite_baths(system, n_modes=n_modes, max_modes=max_modes))
        else:
            results.append(_RUNNERS[m](system))
    return _to_dataset(system, results)


def _to_dataset(system: OpenSystem, results: list[MethodResult]) -> Any:
    import xarray as xr

    from thermoflux.io import result_attrs

    names = list(system.names)
    methods = [r.method for r in results]
    by_method = {r.method: r for r in results}
    reference = by_method.get(REFERENCE)
    data: dict[str, Any] = {}
    def column(r: MethodResult, attr: str) -> list[float]:
        return [math.nan] * len(names) if r.flows is None else [getattr(r.flows, attr)[k] for k in names]

    for var, attr, units, long_name in _QUANTITIES:
        values = np.array([column(r, attr) for r in results])
        data[var] = (("method", "reservoir"), values, {"units": units, "long_name": long_name})
    for var, attr, units in (("particle_current_error", "particle_error", "1/time"),
                             ("energy_current_error", "energy_error", "energy/time")):
        values = np.array([[getattr(r, attr).get(k, math.nan) for k in names] for r in results])
        data[var] = (("method", "reservoir"), values,
                     {"units": units, "long_name": "absolute error estimate (NaN: none)"})
    gaps: dict[str, list[float]] = {"particle": [], "energy": []}
    for r in results:
        for kind, gap in gaps.items():
            if reference is None or r is reference or r.flows is None:
                gap.append(0.0 if r is reference else math.nan)
            else:
                gap.append(relative_difference(getattr(r.flows, kind), getattr(reference.flows, kind)))
    diffs = np.fmax(gaps["particle"], gaps["energy"])
    per_method = {
        "entropy_production": ([math.nan if r.flows is None else r.flows.entropy_production for r in results], "1/time",
                               "entropy production rate (>= 0)"),
        "power": ([math.nan if r.flows is None else r.flows.power for r in results], "energy/time", "power done on the system"),
        "validity_parameter": ([r.validity.value for r in results], "1",
                               "the parameter controlling the method's validity"),
        "validity_threshold": ([r.validity.threshold for r in results], "1",
                               "expected to hold when validity_parameter <= threshold"),
        "expected_to_hold": ([int(r.validity.expected_to_hold) for r in results], "1",
                             "1 if the method is expected to hold here"),
        "relative_difference": (diffs, "1", "largest relative difference of the particle and energy "
                                            "currents from the reference"),
        "particle_relative_difference": (gaps["particle"], "1", "largest relative difference of the "
                                                                 "particle currents from the reference"),
        "energy_relative_difference": (gaps["energy"], "1", "largest relative difference of the "
                                                             "energy currents from the reference"),
    }
    for var, (values, units, long_name) in per_method.items():
        data[var] = (("method",), np.asarray(values), {"units": units, "long_name": long_name})
    label = {"units": "1"}
    ds = xr.Dataset(data, coords={"method": ("method", methods, {"long_name": "method", **label}),
                                  "reservoir": ("reservoir", names, {"long_name": "reservoir", **label}),
                                  "validity_parameter_name": ("method", [r.validity.parameter for r in results],
                                                              {"long_name": "name of validity_parameter", **label})})
    reasons = applicability(system)
    ds.attrs.update(result_attrs(
        "compare",
        seed="004 (landauer), 002 (master_equation), 001 (finite_baths), 003 (harmonic_networks)",
        parameters=describe_system(system),
        title="one system, every method (thermoflux compare)",
        reference=REFERENCE if reference is not None else "none",
        reference_note=("Landauer (Caroli) is exact for a quadratic system" if reference is not None
                        else "no exact reference: " + (reasons["landauer"] or "landauer not run")),
        difference_floor=DIFFERENCE_FLOOR,
        note={r.method: r.validity.note for r in results},
        not_run={m: why for m, why in reasons.items() if why and m not in methods},
        details={r.method: r.details for r in results if r.details}))
    return ds


def scan(system: OpenSystem, factors: Any, methods: Sequence[str] | None = None, **options: Any) -> Any:
    """:func:`compare` at every scale factor s of all couplings (Γ_α → s Γ_α), along ``coupling_scale``.

    Parameters
    ----------
    system : OpenSystem
    factors : array_like, shape (m,)
        Positive scale factors (log-spaced ones make the usual figure).
    methods : sequence of str, optional
        As in :func:`compare`; the methods are chosen once, on the unscaled system.
    **options
        Passed to :func:`compare` (``master_equation_rates``, ``n_modes``, ``max_modes``).

    Returns
    -------
    xarray.Dataset
        The variables of :func:`compare` with a leading dim ``coupling_scale`` (units 1).
    """
    import xarray as xr

    factors = as_real_array(factors, "factors", ndim=1)
    if factors.size == 0 or np.any(factors <= 0):
        raise InputError(f"factors must be a non-empty list of positive numbers; got {describe(factors)}")
    unknown = set(options) - {"master_equation_rates", "n_modes", "max_modes"}
    if unknown:
        raise InputError(f"scan: unknown option {sorted(unknown)[0]!r}")
    chosen = _check_methods(system, methods)
    parts = [compare(system.scaled(float(s)), chosen, **options) for s in factors]
    attrs = dict(parts[0].attrs)
    for p in parts:
        p.attrs = {}
    out = xr.concat(parts, dim="coupling_scale", coords="different", compat="equals")
    out = out.assign_coords(coupling_scale=("coupling_scale", factors, {"units": "1",
                            "long_name": "scale factor of every coupling Gamma_alpha"}))
    out.attrs.update({k: v for k, v in attrs.items() if not k.startswith("parameters.reservoir")
                      and not k.startswith("details.")})
    return out


def _cell(value: float) -> str:
    """A flow in a 13-wide column; NaN is an undefined current (μ = 0 bosons: quanta not conserved)."""
    return f"{'undefined':>13}" if math.isnan(value) else f"{value:>13.5g}"


def table(ds: Any) -> str:
    """A plain-text table of a :func:`compare` Dataset: method × reservoir flows, σ, gap, validity."""
    names = [str(r) for r in ds.reservoir.values]
    header = f"{'method':<18}{'reservoir':<11}{'particle':>13}{'energy':>13}{'heat':>13}{'dS/dt':>13}"
    lines = [header, "-" * len(header)]
    for m in ds.method.values:
        row = ds.sel({"method": m})
        if np.all(np.isnan(row.energy_current.values)):  # a method that ran always has energy flows
            lines.append(f"{str(m):<18}{'(not run: see the note below)'}")
            continue
        for i, k in enumerate(names):
            label = str(m) if i == 0 else ""
            lines.append(f"{label:<18}{k:<11}" + "".join(
                _cell(float(row[v].sel(reservoir=k)))
                for v in ("particle_current", "energy_current", "heat_current", "entropy_flow")))
    lines += ["", f"{'method':<18}{'entropy prod.':>14}{'rel. diff. N':>13}{'rel. diff. E':>13}   validity",
              "-" * (len(header) + 20)]

    def gap(value: Any, m: Any) -> str:
        if str(m) == ds.attrs.get("reference"):
            return "reference"
        return "-" if math.isnan(float(value)) else f"{float(value):.2e}"

    for m in ds.method.values:
        row = ds.sel({"method": m})
        holds = "holds" if int(row.expected_to_hold) else "NOT expected to hold"
        lines.append(f"{str(m):<18}{float(row.entropy_production):>14.5g}"
                     f"{gap(row.particle_relative_difference, m):>13}{gap(row.energy_relative_difference, m):>13}   "
                     f"{str(row.validity_parameter_name.values)} = {float(row.validity_parameter):.3g} "
                     f"(<= {float(row.validity_threshold):.3g}): {holds}")
    lines.append("")
    for m in ds.method.values:
        note = ds.attrs.get(f"note.{m}")
        if note:
            lines.append(f"{m}: {note}")
    for key, why in ds.attrs.items():
        if key.startswith("not_run."):
            lines.append(f"not run, {key[len('not_run.'):]}: {why}")
    lines.append(f"reference: {ds.attrs.get('reference')}; currents positive out of the reservoir "
                 "into the system; hbar = k_B = e = 1")
    return "\n".join(lines)

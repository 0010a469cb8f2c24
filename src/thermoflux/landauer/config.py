"""``thermoflux run`` for Landauer junctions: one calculation from a parsed TOML config.

Schema (a plain nested dict, so a sweep can override any number by its dotted path)::

    method = "landauer"                 # optional here (the CLI dispatches on it)

    [reservoirs.L]                      # the one reservoir form (thermoflux._config.reservoir)
    statistics = "fermion"              # "fermion" | "boson" (the same for every reservoir)
    temperature = 0.5                   # or beta = 2.0 (exactly one)
    mu = 0.2                            # default 0.0

    [reservoirs.R]
    statistics = "fermion"
    occupation = { energies = [-1.0, 0.0, 1.0], values = [0.9, 0.5, 0.1] }
                                        # a non-thermal reservoir (Tabulated), instead of T/beta;
                                        # it is held outside the table, so give it a finite band
                                        # (a boxcar) or the currents diverge

    [[transmission]]
    between = ["L", "R"]                # two (or more, for "lorentzian") reservoir names
    kind = "lorentzian"                 # "lorentzian" | "boxcar" | "constant"
    level = 0.0                         # lorentzian: level energy ε
    widths = { L = 0.1, R = 0.1 }       # lorentzian: Γ_α of every name in `between`
    # boxcar: centres = [...], width = Γ, height = 1.0 (optional)
    # constant: value = T₀

    [integration]                       # optional
    breakpoints = [0.0]
    energy_range = [-10.0, 10.0]

Every error is an :class:`~thermoflux.InputError` whose message starts with the dotted key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


from thermoflux import _config as cfg
from thermoflux.errors import InputError
from thermoflux.io import result_attrs
from thermoflux.landauer.junction import EQUATIONS, SEED, Junction
from thermoflux.landauer.transmissions import boxcar, constant, lorentzian

__all__ = ["run", "build_junction", "audit"]

_TOP = {"method", "reservoirs", "transmission", "integration"}
_KINDS = {"lorentzian": {"level", "widths"}, "boxcar": {"centres", "width", "height"}, "constant": {"value"}}
_REQUIRED = {"lorentzian": {"level", "widths"}, "boxcar": {"centres", "width"}, "constant": {"value"}}


def _fail(key: str, message: str) -> InputError:
    return InputError(f"{key}: {message}")


def _transmission(spec: Any, key: str, names: list[str]) -> dict[tuple[str, str], Any]:
    spec = cfg.table(spec, key)
    if "kind" not in spec:
        raise _fail(f"{key}.kind", f"missing; one of {', '.join(_KINDS)}")
    kind = spec["kind"]
    if kind not in _KINDS:
        raise _fail(f"{key}.kind", f"must be one of {', '.join(map(repr, _KINDS))}; got {kind!r}")
    cfg.table(spec, key, allowed=_KINDS[kind] | {"kind", "between"})
    between = spec.get("between")
    if between is None:
        raise _fail(f"{key}.between", "missing; a list of reservoir names")
    if not isinstance(between, list | tuple) or len(between) < 2 or not all(isinstance(b, str) for b in between):
        raise _fail(f"{key}.between", f"must list at least two reservoir names; got {between!r}")
    for i, b in enumerate(between):
        if b not in names:
            raise _fail(f"{key}.between.{i}", f"{b!r} is not a reservoir (reservoirs: {', '.join(names)})")
    if len(set(between)) != len(between):
        raise _fail(f"{key}.between", f"names must be different; got {between!r}")
    if kind != "lorentzian" and len(between) != 2:
        raise _fail(f"{key}.between", f"a {kind} transmission connects exactly two reservoirs; got {between!r}")
    for req in sorted(_REQUIRED[kind]):
        if req not in spec:
            raise _fail(f"{key}.{req}", f"missing (needed by kind = {kind!r})")
    pair = (between[0], between[1])
    if kind == "constant":
        return {pair: constant(cfg.number(spec["value"], f"{key}.value", nonnegative=True))}
    if kind == "boxcar":
        centres = cfg.numbers(spec["centres"], f"{key}.centres")
        width = cfg.number(spec["width"], f"{key}.width", positive=True)
        height = cfg.number(spec.get("height", 1.0), f"{key}.height", nonnegative=True)
        return {pair: cfg.built(f"{key}.centres", boxcar, centres, width, height=height)}
    level = cfg.number(spec["level"], f"{key}.level")
    widths = cfg.table(spec["widths"], f"{key}.widths", allowed=set(between))
    w = {}
    for b in between:
        if b not in widths:
            raise _fail(f"{key}.widths.{b}", "missing; give the width of every reservoir in `between`")
        w[b] = cfg.number(widths[b], f"{key}.widths.{b}", nonnegative=True)
    if sum(w.values()) <= 0:
        raise _fail(f"{key}.widths", "the total width must be positive")
    return lorentzian(level, w)


def build_junction(config: Mapping[str, Any]) -> Junction:
    """The :class:`Junction` described by a config (see the module docstring for the schema)."""
    config = cfg.table(config, "", allowed=_TOP)
    if config.get("method", "landauer") != "landauer":
        raise _fail("method", f'must be "landauer" here; got {config["method"]!r}')
    if "reservoirs" not in config:
        raise _fail("reservoirs", "missing; a table of named reservoirs")
    res_table = cfg.table(config["reservoirs"], "reservoirs")
    if len(res_table) < 2:
        raise _fail("reservoirs", f"need at least two reservoirs; got {len(res_table)}")
    reservoirs = {name: cfg.reservoir(spec, f"reservoirs.{name}") for name, spec in res_table.items()}
    if "transmission" not in config:
        raise _fail("transmission", "missing; give at least one [[transmission]] entry")
    entries = config["transmission"]
    if not isinstance(entries, list) or not entries:
        raise _fail("transmission", "must be a non-empty array of tables ([[transmission]])")
    names = list(reservoirs)
    trans: dict[tuple[str, str], Any] = {}
    for i, spec in enumerate(entries):
        for pair, t in _transmission(spec, f"transmission.{i}", names).items():
            if pair in trans or pair[::-1] in trans:
                raise _fail(f"transmission.{i}.between", f"the pair {pair} already has a transmission")
            trans[pair] = t
    options: dict[str, Any] = {}
    integ = cfg.table(config.get("integration", {}), "integration", allowed={"breakpoints", "energy_range"})
    if "breakpoints" in integ:
        options["breakpoints"] = cfg.numbers(integ["breakpoints"], "integration.breakpoints")
    if "energy_range" in integ:
        rng = cfg.numbers(integ["energy_range"], "integration.energy_range")
        if len(rng) != 2 or not rng[1] > rng[0]:
            raise _fail("integration.energy_range", f"must be [low, high] with high > low; got {rng}")
        options["energy_range"] = tuple(rng)
    # what Junction checks of the reservoirs together (one statistics; bosons mu <= 0)
    return cfg.built("reservoirs", Junction, reservoirs, trans, **options)


def run(config: Mapping[str, Any]):
    """Run one Landauer calculation from a parsed TOML config.

    Returns
    -------
    xarray.Dataset
        ``particle_current``, ``energy_current``, ``heat_current``, ``entropy_flow`` (dim
        ``reservoir``; positive out of the reservoir; ħ = k_B = 1) and ``entropy_production``,
        with the config, method, seed and equations, software version, units and sign
        convention in attrs, and ``quadrature_nodes``:
        the nodes of non-empty Gauss-Kronrod panels (the same for this point in a batch).
    """
    junction = build_junction(config)
    ints = junction.integrals()
    flows = junction.flows(integrals=ints)
    ds = flows.to_dataset(result_attrs("landauer", seed=SEED, equations=EQUATIONS, config=dict(config),
                                       quadrature_nodes=ints.live_nodes))
    import xarray as xr

    names = list(flows.reservoirs)
    for q in ("particle", "energy", "entropy"):
        err = getattr(ints, f"{q}_error")
        var = {"particle": "particle_current", "energy": "energy_current", "entropy": "entropy_flow"}[q]
        ds[f"{var}_error"] = xr.DataArray([err[k] for k in names], dims="reservoir",
                                          attrs={"long_name": f"quadrature error estimate of {var}",
                                                 "units": ds[var].attrs["units"]})
    return ds


def audit(config: Mapping[str, Any], *, thresholds: Mapping[str, Any] | None = None):
    """Audit of the junction ``config`` describes (:meth:`Junction.audit`); a :class:`~thermoflux.audit.Report`."""
    return build_junction(config).audit(thresholds=thresholds)

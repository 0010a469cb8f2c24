"""Run one harmonic-network steady state from a parsed TOML configuration.

Schema (every numeric value may be overridden by a dotted path, e.g. ``reservoirs.left.occupation``)::

    method = "harmonic_networks"

    [network]
    kind = "chain"            # "chain" (seed 003, eq. 27) or "matrix"
    n_sites = 10              # chain: L, frequency omega, hopping lambda
    frequency = 1.0
    hopping = 1e-5
    # kind = "matrix": hamiltonian = [[...]] (real part), hamiltonian_imag = [[...]] (optional)

    [reservoirs.left]         # one table per bath, the one reservoir form of every method
    site = 0                  # from 0
    rate = 1e-5
    occupation = 1.0          # n at the site frequency; or temperature = T / beta = 1/T
                              # (Bose-Einstein at the site frequency) with optional mu, or
                              # occupation = {energies = [...], values = [...]} (Tabulated)
    statistics = "boson"      # optional here: the baths of harmonic modes are bosonic

    [probes]                  # optional: self-consistent reservoirs (Sec. IV)
    rate = 1e-6               # Gamma
    sites = [1, 2]            # optional, default every site

    [solver]                  # optional
    method = "auto"           # see Network.steady_state
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from thermoflux._config import built, choice, integer, matrix, number, reservoir, table
from thermoflux.errors import InputError
from thermoflux.harmonic_networks.lyapunov import SOLVERS, EigenCache
from thermoflux.harmonic_networks.network import Network, chain

__all__ = ["run", "audit"]

_TOP = {"method", "network", "reservoirs", "probes", "solver"}
_CHAIN = {"kind", "n_sites", "frequency", "hopping"}
_MATRIX = {"kind", "hamiltonian", "hamiltonian_imag"}
_BATH = {"site", "rate"}         # the method's own keys of a [reservoirs.NAME] table
_PROBES = {"rate", "sites"}
_SOLVER = {"method", "blas_threads"}


def _network(spec: Any) -> Network:
    kind = table(spec, "network").get("kind", "chain")
    choice(kind, "network.kind", ("chain", "matrix"))
    if kind == "chain":
        table(spec, "network", allowed=_CHAIN, required=("n_sites", "frequency", "hopping"))
        return chain(integer(spec["n_sites"], "network.n_sites", minimum=1),
                     frequency=number(spec["frequency"], "network.frequency"),
                     hopping=number(spec["hopping"], "network.hopping"))
    table(spec, "network", allowed=_MATRIX, required=("hamiltonian",))
    h = matrix(spec["hamiltonian"], "network.hamiltonian").astype(complex)
    if "hamiltonian_imag" in spec:
        h = h + 1j * matrix(spec["hamiltonian_imag"], "network.hamiltonian_imag", shape=h.shape)
    return built("network.hamiltonian", Network, h)


def _build(config: Mapping) -> tuple[Network, dict[str, Any]]:
    table(config, "", allowed=_TOP, required=("network", "reservoirs"))
    # ``thermoflux run`` removes ``method`` before dispatching; a direct call may keep it.
    choice(config.get("method", "harmonic_networks"), "method", ("harmonic_networks",))
    net = _network(config["network"])
    baths = table(config["reservoirs"], "reservoirs")
    if not baths:
        raise InputError("reservoirs: at least one bath is needed (no unique steady state without one)")
    for name, bath in baths.items():
        where = f"reservoirs.{name}"
        bath_of = reservoir(bath, where, statistics="boson", extra=_BATH, number_occupation=True)
        table(bath, where, required=("site", "rate"))
        occupation = bath_of if isinstance(bath_of, float) else None
        distribution = None if isinstance(bath_of, float) else bath_of
        # attach_bath checks the site, the rate and the occupation at the site frequency
        built(where, net.attach_bath, bath["site"], bath["rate"], occupation=occupation, distribution=distribution,
              name=str(name),
              keys={"site": f"{where}.site", "rate": f"{where}.rate", "occupation": f"{where}.occupation"})
    if "probes" in config:
        probes = table(config["probes"], "probes", allowed=_PROBES, required=("rate",))
        rate = number(probes["rate"], "probes.rate", nonnegative=True)
        sites = probes.get("sites")
        if sites is not None:
            if not isinstance(sites, list):
                raise InputError(f"probes.sites: must be a list of integers; got {sites!r}")
            sites = [integer(s, f"probes.sites.{i}") for i, s in enumerate(sites)]
            bad = [s for s in sites if s >= net.n_modes]
            if bad:
                raise InputError(f"probes.sites: site {bad[0]} does not exist (L = {net.n_modes})")
        net.add_self_consistent_probes(rate, sites)
    options: dict[str, Any] = {"method": "auto", "blas_threads": None}
    if "solver" in config:
        solver = table(config["solver"], "solver", allowed=_SOLVER)
        if "method" in solver:
            options["method"] = choice(solver["method"], "solver.method", SOLVERS)
        if "blas_threads" in solver:
            options["blas_threads"] = integer(solver["blas_threads"], "solver.blas_threads", minimum=1)
    return net, options


def run(config: Mapping, *, eigen_cache: EigenCache | None = None) -> Any:
    """Steady state of the network a configuration describes, as an ``xarray.Dataset``.

    Parameters
    ----------
    config : Mapping
        Parsed TOML (module docstring gives the schema).
    eigen_cache : EigenCache, optional
        Passed to :meth:`Network.steady_state`: the eigen solver reuses the drift's eigenbasis
        and probe matrix of the previous config with the same network, rates and probes
        (:func:`thermoflux.harmonic_networks.batch.run_batch` gives one to a sweep's chunk).

    Returns
    -------
    xarray.Dataset
        :meth:`NESS.to_dataset` with the configuration in ``attrs`` (dotted keys).

    Raises
    ------
    InputError
        Unknown, missing, wrongly typed or unphysical entries; the message starts with the
        dotted key.
    """
    net, options = _build(config)
    ness = net.steady_state(solver=options["method"], blas_threads=options["blas_threads"], eigen_cache=eigen_cache)
    return ness.to_dataset(attrs={"config": {"method": "harmonic_networks", **dict(config)}})


def audit(config: Mapping, *, thresholds: Mapping[str, Any] | None = None):
    """Audit of the network ``config`` describes (:meth:`Network.audit`); a :class:`~thermoflux.audit.Report`."""
    net, _ = _build(config)
    return net.audit(thresholds=thresholds)

"""One runner per method: an :class:`OpenSystem` in, :class:`~thermoflux.Flows` and a validity record out.

The mappings are those of ``tests/crosscheck`` (DESIGN.md, "How the methods meet"):

* landauer — Caroli transmissions T_αβ(E) = Tr[Γ_α G Γ_β G†] (``from_hamiltonian``; with a
  finite bandwidth, :mod:`thermoflux.compare.bands`), exact for a quadratic system (seed 004,
  eqs. 6, 17-19);
* master_equation — the stochastic limit in the many-body eigenbasis of H (seed 002, eqs. 22,
  24, 38): each reservoir's Γ_α = Σ_c γ_c u_c u_c† becomes independent fermionic fields with flat
  spectral density γ_c coupled through A_c = Σ_i conj(u_c,i) c_i; exact to first order in Γ/T;
* finite_baths — each channel discretized into K modes of spacing Δε over a flat band of width W,
  amplitudes √(γ_c Δε/2π) (``wide_band_coupling``, seed 001, Sec. III), evolved exactly from the
  product state (seed 001, eq. 19); the exact mean flows over a window after relaxation and
  before the recurrence time 2π/Δε (``finite_baths.flows(..., window=...)``), at two bandwidths
  and extrapolated in 1/W (Richardson);
* harmonic_networks — local GKSL baths of rate Γ_α,kk and occupation n_α(h_kk) on each mode k
  (seed 003, eq. 4): the Landauer problem exactly when the occupations are energy independent.

Each runner builds its model with a function of its own (:func:`landauer_junction`,
:func:`master_equation_model`, :func:`bath_plan` and :func:`plateau_window`,
:func:`harmonic_network`), in no ``__all__``: internal, shared with ``compare/audit.py`` so
that the audited model is the one that runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import numpy as np

from thermoflux._validation import as_positive, check_choice
from thermoflux.compare.bands import finite_band_transmissions
from thermoflux.compare.fock import MAX_FOCK_LEVELS, fock_basis
from thermoflux.compare.system import OpenSystem
from thermoflux.distributions import FermiDirac
from thermoflux.entropy import minus_log1mexp
from thermoflux.errors import InputError
from thermoflux.flows import Flows

__all__ = [
    "Validity",
    "MethodResult",
    "METHODS",
    "applicability",
    "run_landauer",
    "run_master_equation",
    "run_finite_baths",
    "run_harmonic_networks",
]

METHODS = ("landauer", "master_equation", "finite_baths", "harmonic_networks")

# The master equation is first order in Γ: "expected to hold" below Γ/min(T, δω) = 0.1 (the
# crosscheck measures a relative error ~0.5 Γ/T, so 0.1 means a few per cent).
ME_THRESHOLD = 0.1
# Finite baths: the window must start after t_relax = RELAXATION_TIMES·max(1/γ_min, 1/πT_min) (transients
# e^{−γ t} below e^{-8} ≈ 3e-4) and end at WINDOW_END · 2π/Δε, before the first recurrence.
RELAXATION_TIMES = 8.0
WINDOW_START, WINDOW_END = 0.4, 0.7
# ... and the particle currents an error estimate below 5% (the estimate is the last 1/W
# correction, |J(W₂) − J(W₁)|, which bounds the Richardson residual generously: measured 10-25x).
FINITE_BATHS_RTOL = 0.05
# Harmonic networks: spread of ln n of the occupations over the spectrum, and the Lorentzian
# weight at negative frequencies Γ/ω (absent from the physical bosonic Landauer integral).
HN_THRESHOLD = 0.05


@dataclass(frozen=True)
class Validity:
    """The parameter that controls a method's validity and whether the method should hold.

    Attributes
    ----------
    parameter : str
        What ``value`` is (e.g. "Gamma/min(T, bohr_gap)").
    value : float
        Its value for this system (0 for an exact method).
    threshold : float
        The method is expected to hold when ``value <= threshold``.
    expected_to_hold : bool
    note : str
        One line on what the method assumes or what went wrong.
    """

    parameter: str
    value: float
    threshold: float
    expected_to_hold: bool
    note: str = ""


@dataclass(frozen=True)
class MethodResult:
    """Flows of one method on a system, with the validity record and error estimates.

    ``flows`` is None when the method was not run (the validity note says why). ``particle_error`` and ``energy_error`` map reservoir → absolute error estimate (NaN: none).
    """

    method: str
    flows: Flows | None
    validity: Validity
    particle_error: dict[str, float] = field(default_factory=dict)
    energy_error: dict[str, float] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


def applicability(system: OpenSystem) -> dict[str, str]:
    """Method → "" if it applies to ``system``, else the reason it does not."""
    out = {m: "" for m in METHODS}
    if len(system.reservoirs) < 2:
        out["landauer"] = "needs at least two reservoirs"
    if not system.is_quadratic:
        why = "an interaction makes the problem many-body: only the master equation applies"
        out["landauer"] = out["finite_baths"] = out["harmonic_networks"] = why
    if system.statistics == "boson":
        out["master_equation"] = "bosonic Fock space is infinite: use harmonic_networks"
        out["finite_baths"] = "finite baths are fermionic (seed 001)"
    else:
        out["harmonic_networks"] = out["harmonic_networks"] or "harmonic networks are bosonic (seed 003)"
        if system.n_levels > MAX_FOCK_LEVELS:
            out["master_equation"] = f"more than {MAX_FOCK_LEVELS} levels (Fock space 2^n)"
        if not out["finite_baths"] and not all(isinstance(d, FermiDirac) for d in system.distributions.values()):
            out["finite_baths"] = "finite baths start from thermal (Fermi-Dirac) baths"
    if system.statistics == "boson" and not out["harmonic_networks"]:
        if any(np.any(g - np.diag(np.diag(g))) for g in system.couplings.values()):
            out["harmonic_networks"] = "local baths need diagonal couplings Γ_α (one mode each)"
    return out


def _require(system: OpenSystem, method: str) -> None:
    reason = applicability(system)[method]
    if reason:
        raise InputError(f"methods: {method} does not apply to this system: {reason}")


# -- landauer --------------------------------------------------------------------------------
def landauer_junction(system: OpenSystem):
    """The :class:`~thermoflux.landauer.Junction` of the Caroli transmissions (flat band if W is given)."""
    from thermoflux.landauer import Junction, from_hamiltonian

    if system.bandwidth is None:
        return Junction(system.distributions, from_hamiltonian(system.hamiltonian, system.couplings))
    return Junction(system.distributions,
                    finite_band_transmissions(system.hamiltonian, system.couplings, system.bandwidth))


def run_landauer(system: OpenSystem) -> MethodResult:
    """Exact steady flows from the Caroli transmissions (seed 004, eqs. 6, 17-19)."""
    _require(system, "landauer")
    junction = landauer_junction(system)
    if system.bandwidth is None:
        validity = Validity("none (exact, wide band)", 0.0, 0.0, True,
                            "Caroli formula: exact for a quadratic system with wide-band reservoirs")
    else:
        validity = Validity("none (exact, flat band)", 0.0, 0.0, True,
                            f"Caroli formula with flat bands [-W/2, W/2], W = {system.bandwidth:g}: exact for a "
                            "quadratic system")
    flows = junction.flows()
    if system.statistics == "boson":
        validity = replace(validity, note=validity.note + "; bosons are integrated over E > 0 only "
                           "(wide-band Γ_α there, the band edge at E = 0 not in the self-energy)")
    nan = {k: math.nan for k in system.names}
    return MethodResult("landauer", flows, validity, nan, dict(nan))


# -- master equation -------------------------------------------------------------------------
def _bohr_gap(omegas: np.ndarray, tol: float) -> float:
    """Smallest gap between distinct Bohr frequencies (inf if there is only one)."""
    values = np.unique(np.round(np.sort(omegas) / tol) * tol) if omegas.size else omegas
    gaps = np.diff(values)
    gaps = gaps[gaps > tol]
    return float(gaps.min()) if gaps.size else math.inf


def run_master_equation(system: OpenSystem, *, rates: str = "auto") -> MethodResult:
    """Stationary flows of the stochastic-limit master equation in the Fock eigenbasis of H.

    Parameters
    ----------
    system : OpenSystem
        Fermions, at most ``MAX_FOCK_LEVELS`` levels, with or without an interaction.
    rates : {"auto", "pauli", "gksl"}
        "pauli": rate equation for the populations (seed 002, eq. 24); "gksl": the stationary
        state of the secular GKSL generator (eq. 22), which keeps the coherences between
        degenerate many-body levels; "auto": GKSL only when levels are degenerate. (A GKSL
        solve on a large Fock space with many degenerate levels is slow: a 10-level chain with a
        symmetric spectrum took minutes where "pauli" took 3 s.)

    Notes
    -----
    Validity parameter Γ/min(T, δω): ||Σ_α Γ_α|| over the lowest temperature and the smallest
    gap between distinct Bohr frequencies (the secular approximation needs Γ ≪ δω).
    """
    _require(system, "master_equation")
    check_choice(rates, "rates", ("auto", "pauli", "gksl"))
    limit, owner = master_equation_model(system)
    me_system = limit.system
    if rates == "pauli":
        state = limit.stationary_populations(solver="pauli")
    elif rates == "gksl":
        state = limit.stationary_state(solver="sector")
    else:
        state = None
    per_channel = limit.flows(state=state, check=False)
    flows = _sum_channels(system, per_channel, owner, "master_equation")
    flows.check(hint="the master equation's rates may be unphysical for these distributions")
    temps = [t for t in system.temperatures().values() if t is not None]
    scale = min(temps) if temps else math.inf
    gap = _bohr_gap(limit.transitions.omega, me_system.energy_tol)
    value = system.total_width / min(scale, gap)
    note = ("stochastic limit, first order in Gamma" + ("" if system.is_quadratic
            else "; interacting: the only method that applies, no exact reference"))
    validity = Validity("Gamma/min(T, bohr_gap)", value, ME_THRESHOLD, value <= ME_THRESHOLD, note)
    nan = {k: math.nan for k in system.names}
    return MethodResult("master_equation", flows, validity, nan, dict(nan),
                        {"rates": rates, "fock_states": int(me_system.energies.size), "bohr_gap": gap})


def master_equation_model(system: OpenSystem):
    """The :class:`~thermoflux.master_equation.StochasticLimit` of ``system`` and its field -> reservoir map.

    One fermionic field "name#c" of flat spectral density γ_c per channel c of Γ_α = Σ_c γ_c
    u_c u_c†, coupled through A_c = Σ_i conj(u_c,i) c_i in the Fock eigenbasis (seed 002, eq. 22).
    """
    from thermoflux.master_equation import Field, StochasticLimit, System

    basis = fock_basis(system.hamiltonian, system.interaction)
    couplings, fields, owner = {}, {}, {}
    for name, reservoir in system.reservoirs.items():
        widths, vectors = reservoir.channels()
        for c, (gamma, u) in enumerate(zip(widths, vectors.T)):
            label = f"{name}#{c}"
            couplings[label] = basis.channel_operator(u)
            fields[label] = Field(reservoir.distribution, float(gamma))
            owner[label] = name
    me_system = System(basis.energies, couplings, particle_numbers=basis.particle_numbers)
    return StochasticLimit(me_system, fields), owner


def _sum_channels(system: OpenSystem, per_channel: Flows, owner: dict[str, str], method: str,
                  *, power: float = 0.0) -> Flows:
    """Flows of the reservoirs from those of their channels (currents and entropy rates add)."""
    particle = {k: 0.0 for k in system.names}
    energy = {k: 0.0 for k in system.names}
    entropy = {k: 0.0 for k in system.names}
    for label, name in owner.items():
        particle[name] += per_channel.particle[label]
        energy[name] += per_channel.energy[label]
        entropy[name] += per_channel.entropy[label]
    return Flows.from_currents(system.distributions, particle, energy, entropy, power=power, method=method)


# -- finite baths ----------------------------------------------------------------------------
def _slowest_rate(system: OpenSystem) -> float:
    """γ_min: the smallest decay rate −Im λ of H_eff among modes that couple (dark ones excluded)."""
    rates = -np.linalg.eigvals(system.effective_hamiltonian()).imag
    floor = 1e-9 * max(system.total_width, np.finfo(float).tiny)
    coupled = rates[rates > floor]
    return float(coupled.min())


def _coldest(system: OpenSystem) -> float:
    """T_min of the thermal reservoirs (finite baths take Fermi-Dirac reservoirs only)."""
    return min(t for t in system.temperatures().values() if t is not None)


def _bath_model(system: OpenSystem, centre: float, width: float, n_modes: int):
    from thermoflux.finite_baths import QuadraticModel, wide_band_coupling

    # midpoints of K cells of the band: the K modes stand for exactly [c − W/2, c + W/2] (modes
    # on both edges, as seed 001 places them, make the band one spacing wider: an O(Δε/W) error)
    spacing = width / n_modes
    modes = centre - width / 2 + spacing * (np.arange(n_modes) + 0.5)
    energies, couplings = {}, {}
    for name, reservoir in system.reservoirs.items():
        widths, vectors = reservoir.channels()
        energies[name] = np.tile(modes, widths.size)
        # T[k, s]: amplitude of c†_k c_s; Γ_ij = (2π/Δε) Σ_k conj(T_ki) T_kj = γ u_i conj(u_j)
        couplings[name] = np.concatenate([np.outer(np.full(n_modes, wide_band_coupling(g, spacing)), u.conj())
                                          for g, u in zip(widths, vectors.T)])
        if not np.iscomplexobj(system.hamiltonian) and np.allclose(couplings[name].imag, 0):
            couplings[name] = couplings[name].real
    return QuadraticModel(system.hamiltonian, energies, couplings)


@dataclass(frozen=True)
class _BathPlan:
    """The discretizations a finite-bath run uses: bands ``widths`` with ``modes`` per channel.

    ``skipped`` is the note of a run that needs more modes than allowed (then nothing is run and
    ``ratio`` is t_relax/t_rec at the cap); otherwise "".
    """

    centre: float
    widths: tuple[float, ...]
    modes: tuple[int, ...]
    t_relax: float
    skipped: str = ""
    ratio: float = math.nan


def bath_plan(system: OpenSystem, n_modes: int | None, max_modes: int) -> _BathPlan:
    """Bands, modes and relaxation time of :func:`run_finite_baths` (see its Notes)."""
    max_modes = int(as_positive(max_modes, "max_modes"))
    lo, hi = system.energy_window()
    centre = 0.5 * (lo + hi) if system.bandwidth is None else 0.0
    t_relax = RELAXATION_TIMES * max(1.0 / _slowest_rate(system), 1.0 / (np.pi * _coldest(system)))
    spacing_needed = 2 * np.pi * WINDOW_START / t_relax
    widths = ((system.bandwidth,) if system.bandwidth is not None else (1.5 * (hi - lo), 3.0 * (hi - lo)))
    cap = max_modes if len(widths) == 1 else max_modes // 2
    if n_modes is None:
        needed = max(8, math.ceil(widths[0] / spacing_needed))
        if needed > cap:
            note = (f"not run: a plateau before the recurrence needs about {needed} modes per channel "
                    f"(> {cap}; raise max_modes or give n_modes)")
            return _BathPlan(centre, widths, (), t_relax, note, t_relax / (2 * np.pi * cap / widths[0]))
        k1 = int(needed)
    else:
        k1 = int(n_modes)
        if k1 < 2:
            raise InputError(f"n_modes must be an integer >= 2; got {n_modes!r}")
    modes = (k1,) if len(widths) == 1 else (k1, 2 * k1)          # the same spacing on both bands
    return _BathPlan(centre, widths, modes, t_relax)


def plateau_window(system: OpenSystem, plan: _BathPlan, band: int):
    """The finite-bath model of band ``band`` of ``plan`` and its averaging window.

    Returns (QuadraticModel, (t_start, t_stop), t_rec): the window runs from
    min(t_relax, 0.4 t_rec) to 0.7 t_rec, t_rec = 2π K/W the recurrence time of the band's
    equally spaced modes.
    """
    width, n_modes = plan.widths[band], plan.modes[band]
    model = _bath_model(system, plan.centre, width, n_modes)
    recurrence = 2 * np.pi * n_modes / width
    start = min(plan.t_relax, WINDOW_START * recurrence)
    return model, (start, WINDOW_END * recurrence), recurrence


class _Plateau(NamedTuple):
    """The flows of one discretization on its plateau, their half-window drift, and t_rec."""

    flows: Flows
    particle_drift: dict[str, float]
    energy_drift: dict[str, float]
    recurrence: float


def _plateau(system: OpenSystem, plan: _BathPlan, band: int) -> _Plateau:
    """Exact window means (:func:`thermoflux.finite_baths.flows`) over the plateau and its halves.

    The drift |J(first half) − J(second half)| of each mean current estimates what the finite K
    leaves of the transients and the recurrence.
    """
    from thermoflux.finite_baths import flows, thermal_state

    model, (start, stop), recurrence = plateau_window(system, plan, band)
    state = thermal_state(model, system.distributions, np.zeros(system.n_levels))
    middle = 0.5 * (start + stop)
    first, second = (flows(model, state, window=w) for w in ((start, middle), (middle, stop)))
    return _Plateau(flows(model, state, window=(start, stop)),
                    {k: abs(first.particle[k] - second.particle[k]) for k in system.names},
                    {k: abs(first.energy[k] - second.energy[k]) for k in system.names}, recurrence)


def run_finite_baths(system: OpenSystem, *, n_modes: int | None = None, max_modes: int = 600) -> MethodResult:
    """Steady flows of finite baths: a plateau before the recurrence, extrapolated in 1/W.

    Parameters
    ----------
    system : OpenSystem
        Fermions, quadratic, thermal (Fermi-Dirac) reservoirs.
    n_modes : int, optional
        Modes K per reservoir channel on the narrower band. Default: enough for the recurrence
        time 2π/Δε to exceed t_relax/0.4, t_relax = 8·max(1/γ_min, 1/(πT_min)) (the decay of
        the slowest mode and of the thermal correlations, ħβ/π), which also makes Δε ≈ T_min;
        capped at ``max_modes``/2.
    max_modes : int, default 600
        Cap on the modes per channel of the wider band (memory and time grow as K², K³).

    Notes
    -----
    Without ``system.bandwidth`` the bands are centred on the energy window of the system
    (levels ± widths, μ_α ± 12 T_α) with widths W₁ = 1.5 × that window and W₂ = 2W₁ at the same
    spacing Δε; the flat band shifts the levels by Λ(E) = (Γ/2π) ln|(E − c + W/2)/(E − c − W/2)|
    = O(1/W), so J(∞) ≈ 2J(W₂) − J(W₁) (Richardson), with the error estimate |J(W₂) − J(W₁)| plus
    the drift between the two halves of the window (finite K). With ``system.bandwidth`` the band
    is that one, [−W/2, W/2], not extrapolated: the reference is then Landauer with the same flat
    band (:mod:`thermoflux.compare.bands`) and only the finite-K error remains.
    Validity parameter: t_relax/t_rec = t_relax Δε/2π;
    the run is expected to hold only when it is <= 0.4 (which, with the thermal t_relax, means
    Δε <= T_min: both bands share the grid relative to μ, so the extrapolation cannot see a
    Fermi step that the modes do not resolve) and the estimated error is below 5%.
    """
    _require(system, "finite_baths")
    plan = bath_plan(system, n_modes, max_modes)
    if plan.skipped:
        nan = {k: math.nan for k in system.names}
        return MethodResult("finite_baths", None, Validity("t_relax/t_recurrence", plan.ratio, WINDOW_START,
                                                           False, plan.skipped), nan, dict(nan))
    widths, ks, t_relax = list(plan.widths), list(plan.modes), plan.t_relax
    runs = [_plateau(system, plan, band) for band in range(len(ks))]
    jn, je = runs[-1].flows.particle, runs[-1].flows.energy
    dn, de, recurrence = runs[-1].particle_drift, runs[-1].energy_drift, runs[-1].recurrence
    if len(runs) == 2:
        jn1, je1 = runs[0].flows.particle, runs[0].flows.energy
        particle = {k: 2 * jn[k] - jn1[k] for k in system.names}
        energy = {k: 2 * je[k] - je1[k] for k in system.names}
        particle_error = {k: abs(jn[k] - jn1[k]) + dn[k] for k in system.names}
        energy_error = {k: abs(je[k] - je1[k]) + de[k] for k in system.names}
    else:
        particle, energy = jn, je
        particle_error, energy_error = dn, de
    flows = Flows.from_currents(system.distributions, particle, energy, method="finite_baths")
    ratio = t_relax / recurrence
    # Judged on the particle currents: energy currents often cancel between levels above and
    # below the band centre, so their relative error is no measure of the discretization (their
    # absolute estimates are reported per reservoir).
    scale_n = max(max(abs(v) for v in particle.values()), np.finfo(float).tiny)
    rel_error = max(particle_error.values()) / scale_n
    # t_relax >= 8/(πT_min) makes ratio <= 0.4 imply Δε <= 0.99 T_min: both bands share the
    # grid relative to μ, so Richardson cannot see a coarser Fermi step (Δε = 8T: 0.5% estimated, 6% actual)
    holds = ratio <= WINDOW_START and rel_error <= FINITE_BATHS_RTOL
    note = (f"K={ks[-1]} modes/channel, W={widths[-1]:.4g}, spacing={widths[-1] / ks[-1]:.3g}, "
            f"estimated relative error of the particle currents {rel_error:.2g}")
    if ratio > WINDOW_START:
        note += ("; too few modes: the recurrence comes before the relaxation or the spacing exceeds "
                 "T_min (raise n_modes or max_modes)")
    validity = Validity("t_relax/t_recurrence", ratio, WINDOW_START, bool(holds), note)
    details = {"n_modes": ks, "bandwidths": widths, "relative_error_estimate": rel_error,
               "t_relax": t_relax, "t_recurrence": recurrence}
    return MethodResult("finite_baths", flows, validity, particle_error, energy_error, details)


# -- harmonic networks -----------------------------------------------------------------------
def harmonic_network(system: OpenSystem):
    """The :class:`~thermoflux.harmonic_networks.Network` of ``system`` and its bath -> reservoir map.

    A local GKSL bath "name@k" of rate Γ_α,kk and occupation n_α(h_kk) on every mode k that
    reservoir α couples to (seed 003, eq. 4), given by its distribution so that the network's
    audit judges the bath with its own T and μ.
    """
    from thermoflux.harmonic_networks import Network

    network = Network(system.hamiltonian)
    owner: dict[str, str] = {}
    for name, reservoir in system.reservoirs.items():
        for site in np.flatnonzero(np.real(np.diag(reservoir.coupling)) > 0):
            label = f"{name}@{site}"
            # the distribution, not only n at h_kk: the audit then sees the reservoir's T and μ
            network.attach_bath(int(site), float(np.real(reservoir.coupling[site, site])),
                                distribution=reservoir.distribution, name=label)
            owner[label] = name
    return network, owner


def _log_bose(dist: Any, energies: Any) -> np.ndarray:
    """ln n = −x − ln(1 − e^{−x}) from the log-odds x of a bosonic distribution; +inf where x <= 0.

    From the exponent: at high T, n ≈ T/(E − μ) and ln n keeps the relative spread of n that
    the log-odds x ≈ (E − μ)/T hide (seed 003, eq. 4 uses n itself).
    """
    with np.errstate(invalid="ignore"):
        x = np.asarray(dist.log_odds(energies), dtype=float)
    safe = np.where(x > 0, x, 1.0)
    return np.where(x > 0, -safe + minus_log1mexp(safe), np.inf)


def run_harmonic_networks(system: OpenSystem) -> MethodResult:
    """Lyapunov steady state with local baths of rate Γ_α,kk and occupation n_α(h_kk) (seed 003).

    Energy currents are the local bookkeeping of seed 003 (J^E_c = h_kk J^N_c); the power
    Σ_kl h_kk j_kl that the coherent couplings move is reported as ``Flows.power``. Validity
    parameter: the larger of max |ln n_α(λ_j) − ln n_α(h_kk)| over the spectrum λ_j of h and
    the sites k of each reservoir (0 for energy-independent occupations, where the local baths
    are exactly wide-band leads; the relative spread of n, not of the log-odds, which at high T
    is smaller by (E − μ)/T)
    and ||ΣΓ||/min λ(h) (the Lorentzian weight at negative frequencies, which local baths keep and
    a physical bosonic reservoir does not).
    """
    _require(system, "harmonic_networks")
    network, owner = harmonic_network(system)
    frequencies = network.frequencies
    levels = np.linalg.eigvalsh(system.hamiltonian)
    spread = 0.0
    for label, name in owner.items():
        dist, site = system.distributions[name], int(label.rsplit("@", 1)[1])
        spread = max(spread, float(np.max(np.abs(_log_bose(dist, levels) - _log_bose(dist, frequencies[site])))))
    ness = network.steady_state()
    current = ness.particle_currents()
    particle = {k: 0.0 for k in system.names}
    energy = {k: 0.0 for k in system.names}
    entropy = {k: 0.0 for k in system.names}
    for label, name in owner.items():
        site = int(label.rsplit("@", 1)[1])
        x = float(np.asarray(system.distributions[name].log_odds(frequencies[site])))
        particle[name] += current[label]
        energy[name] += frequencies[site] * current[label]
        entropy[name] -= x * current[label]          # dS_α/dt = −x_α(ω) J^N: −J^Q/T when thermal
    power = float(np.sum(frequencies[:, None] * ness.currents))
    flows = Flows.from_currents(system.distributions, particle, energy, entropy, power=power,
                                method="harmonic_networks")
    lowest = float(levels.min())
    value = max(spread, system.total_width / lowest if lowest > 0 else math.inf)
    validity = Validity("max(ln_occupation_spread, Gamma/omega_min)", value, HN_THRESHOLD, value <= HN_THRESHOLD,
                        "local GKSL baths: wide-band leads with the occupation at each mode's frequency")
    nan = {k: math.nan for k in system.names}
    return MethodResult("harmonic_networks", flows, validity, nan, dict(nan))

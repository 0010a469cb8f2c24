"""Audit of a harmonic network with local dissipators: local-Lindblad validity and stability (seed 003).

Seed 003 attaches one local GKLS dissipator per bath to a single mode (eq. 4), with the bath's
occupation at that mode's frequency ω_k. Once the mode is coupled to others, its excitations
live in normal modes spread over ±Σ_l |H_kl| around ω_k, where a real bath has other
occupations: the local dissipator is the lowest order in the inter-site coupling (Hofer et al.,
New J. Phys. 19, 123037 (2017); Levy & Kosloff, EPL 107, 20004 (2014)). The Lyapunov steady
state also needs every normal mode damped. Reached through :meth:`Network.audit`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np

from thermoflux.audit import FLOWS_CHECKS, Finding, Report, audit_flows, classify, resolve_thresholds
from thermoflux.errors import InputError

__all__ = ["audit_network", "CHECKS"]

CHECKS = ("local-lindblad", "stability")
_LOCAL = "Hofer et al., NJP 19, 123037 (2017); seed 003, eq. 4"


def audit_network(network: Any, *, thresholds: Mapping[str, Any] | None = None) -> Report:
    """Findings of the harmonic-network checks and the Flows checks of the steady state.

    Checks (ids, measured value, default (warn, error)):

    ``local-lindblad``
        For each pair of baths c, c' on sites k, k': the occupation difference that drives
        their current in the local model, δ_local = n_c(ω_k) − n_c'(ω_k') (seed 003, eq. 4),
        against the one the normal modes λ_j = eig(H) that connect the two sites carry,
        δ_modes = Σ_j w_j [n_c(λ_j) − n_c'(λ_j)], w_j ∝ |U_kj|²|U_k'j|² (weak-coupling
        transmission through mode j; Landauer); and likewise for energy, where the local model
        carries ω_k δ_local and the modes Σ_j w_j λ_j [n_c(λ_j) − n_c'(λ_j)]. Value: the largest
        |local − modes| over the largest drive of the network, of particles or of energy, the
        relative error of the local model's currents (two resonant modes, g = 0.1, γ = 1e-3, T = 0.1 and
        0.12: 0.25 against a 19% error from Landauer).
        It vanishes for uncoupled modes and for identical baths on identical sites, and is ~1
        for equal baths on detuned sites, where the local model moves a current that should
        not flow. A bath given by its occupation n at ω_k alone is read as thermal with μ = 0
        and β implied by n. With a single bath no current flows and there is nothing to
        compare. Warn above 0.1, error above 1 (the local drive has the wrong sign).
    ``stability``
        max Re λ of the drift M = iHᵀ − G/2 (seed 003, eq. B4a) over the largest damping
        rate: a normal mode that no channel damps (a dark mode, or an undamped site) has
        Re λ = 0 and the steady state is not unique. Error above −1e-12 (zero to rounding),
        warning above −1e-9 (relaxation 1e9 times slower than the damping).

    Plus :func:`thermoflux.audit.audit_flows` of :meth:`NESS.flows` when the network is stable.
    """
    th = resolve_thresholds(thresholds, CHECKS + FLOWS_CHECKS)
    findings = _local_lindblad(network, th["local-lindblad"])
    stability = _stability(network, th["stability"])
    findings += stability
    report = Report(findings, subject=f"harmonic_networks: {network!r}", checks=CHECKS)
    if any(f.severity == "error" for f in stability) or not network.baths:
        return report
    ness = network.steady_state()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")      # the audit reports what Flows.check would warn about
            flows = ness.flows()
    except InputError as exc:                    # e.g. a bath at n = 0 has no finite temperature
        return report + Report([Finding("flows", "info", float("nan"), float("nan"),
                                        f"the Flows checks did not run: {exc}", "seed 003, Sec. II A")],
                               checks=("flows",))
    occ = np.real(np.asarray(ness.occupations))
    gross_particle = 0.0
    gross_energy = 0.0
    gross_entropy = 0.0
    freq = network.frequencies
    channel_occ = ness.reservoir_occupations
    for c in network.channels:
        n_c = channel_occ[c.name] if c.occupation is None else c.occupation
        one_way = c.rate * (n_c + occ[c.site] + 1.0)
        gross_particle += one_way
        gross_energy += one_way * abs(freq[c.site])
        t = flows.temperature[c.name]
        gross_entropy += one_way * abs(freq[c.site]) / t if t else 0.0
    gross = {"particle": gross_particle, "energy": gross_energy, "entropy": gross_entropy}
    return report + audit_flows(flows, gross=gross, thresholds={k: th[k] for k in FLOWS_CHECKS},
                                subject="steady flows", undriven=True)   # its power is a symptom, no drive


def _occupation_at(channel: Any, omega_site: float, energies: np.ndarray) -> np.ndarray:
    """The bath's Bose occupation at ``energies``: its distribution's, or e^{βω} − 1 with β implied by n(ω_site).

    A bath given only by its occupation n at the site frequency is read as thermal with μ = 0,
    β = ln(1 + 1/n)/ω_site (n = 0: zero everywhere). NaN where the occupation is undefined
    (an energy at or below μ).
    """
    energies = np.asarray(energies, dtype=float)
    if channel.distribution is not None:
        with np.errstate(all="ignore"):
            n = np.asarray(channel.distribution.occupation(energies), dtype=float)
    elif channel.occupation <= 0:
        return np.zeros_like(energies)
    else:
        beta = np.log1p(1.0 / channel.occupation) / omega_site if omega_site > 0 else np.inf
        with np.errstate(all="ignore"):
            n = 1.0 / np.expm1(beta * energies)          # bose() from the exponent βλ
    return np.where(np.isfinite(n) & (n >= 0), n, np.nan)


def _driving_differences(network: Any) -> list[tuple[str, str, str, float, float]]:
    """(bath c, bath c', kind, δ_local, δ_modes) for every pair of baths, kind "particle" or "energy".

    Particles: δ_local = n_c(ω_k) − n_c'(ω_k') drives the current between the sites k, k' of the
    pair in the local model (seed 003, eq. 4); δ_modes = Σ_j w_j [n_c(λ_j) − n_c'(λ_j)] drives
    it through the normal modes λ_j that connect the two sites, w_j ∝ |U_kj|²|U_k'j|² (the
    weight of mode j in the weak-coupling transmission between k and k'; Landauer). Energy: the
    local model carries ω_k δ_local out of c and ω_k' δ_local into c', the normal modes
    Σ_j w_j λ_j [n_c(λ_j) − n_c'(λ_j)]; one entry per end.
    """
    lam, vecs = np.linalg.eigh(network.hamiltonian)
    weight = np.abs(vecs) ** 2                            # |U_kj|²: site k, normal mode j
    freq = network.frequencies
    baths = network.baths
    out = []
    for a, c in enumerate(baths):
        for c2 in baths[a + 1:]:
            w = weight[c.site] * weight[c2.site]
            if w.sum() <= 0:                              # sites in disconnected blocks
                continue
            w = w / w.sum()
            used = w > 1e-14                              # modes that carry this pair's current
            local = float(_occupation_at(c, freq[c.site], freq[c.site])
                          - _occupation_at(c2, freq[c2.site], freq[c2.site]))
            seen = (_occupation_at(c, freq[c.site], lam[used])
                    - _occupation_at(c2, freq[c2.site], lam[used]))
            if not np.all(np.isfinite(seen)):
                out.append((c.name, c2.name, "undefined", local, math.nan))
                continue
            out.append((c.name, c2.name, "particle", local, float(np.sum(w[used] * seen))))
            energy = float(np.sum(w[used] * lam[used] * seen))
            out.append((c.name, c2.name, "energy", float(freq[c.site]) * local, energy))
            out.append((c2.name, c.name, "energy", float(freq[c2.site]) * local, energy))
    return out


def _local_lindblad(network: Any, th: tuple[float, float]) -> list[Finding]:
    pairs = _driving_differences(network)
    undefined = [p for p in pairs if p[2] == "undefined"]
    if undefined:
        a, b = undefined[0][:2]
        return [Finding("local-lindblad", "error", math.inf, th[1],
                        f"baths {a!r} and {b!r}: a normal mode they share lies at or below a bath's μ, "
                        "where its Bose occupation is undefined; the local dissipators hide an unphysical "
                        "model; move the modes above μ", _LOCAL, a)]
    worst = None
    for kind in ("particle", "energy"):
        entries = [p for p in pairs if p[2] == kind]
        drive = max((max(abs(p[3]), abs(p[4])) for p in entries), default=0.0)
        if drive == 0.0:                                  # identical baths on identical sites: exact
            continue
        entry = max(entries, key=lambda p: abs(p[3] - p[4]))
        value = abs(entry[3] - entry[4]) / drive
        if worst is None or value > worst[0]:
            worst = (value, drive, entry)
    if worst is None:
        return []
    value, drive, (a, b, kind, local, modes) = worst
    sev = classify(value, *th)
    if not sev:
        return []
    return [Finding("local-lindblad", sev, value, th[0 if sev == "warning" else 1],
                    f"baths {a!r} and {b!r}: the local dissipators drive their {kind} current with "
                    f"{local:.3g}, the normal modes with {modes:.3g} (largest {kind} drive {drive:.3g}): a "
                    f"relative error {value:.3g}; weaken the inter-site coupling or use global "
                    "(normal-mode) dissipators", _LOCAL, a)]


def _stability(network: Any, th: tuple[float, float]) -> list[Finding]:
    rates = np.zeros(network.n_modes)
    for c in network.channels:
        rates[c.site] += c.rate
    scale = float(rates.max())
    eig = np.linalg.eigvals(network.drift())
    if scale <= 0:
        value = 0.0
    else:
        value = float(np.max(eig.real)) / scale
    sev = classify(value, *th)
    if not sev:
        return []
    return [Finding("stability", sev, value, th[0 if sev == "warning" else 1],
                    f"the drift matrix has a normal mode with Re λ = {value * scale:.3g} (largest damping {scale:.3g}): "
                    "some mode is not damped by any channel, so the steady state is not unique; attach a bath "
                    "that overlaps every normal mode", "seed 003, eq. B4a", None)]

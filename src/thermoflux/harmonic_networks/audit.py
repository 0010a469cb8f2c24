"""Audit of a harmonic network with local dissipators: local-Lindblad validity and stability (seed 003).

Seed 003 attaches one local GKLS dissipator per bath to a single mode (eq. 4), with the bath's
occupation at that mode's frequency ω_k. Once the mode is coupled to others, its excitations
live in normal modes spread over ±Σ_l |H_kl| around ω_k, where a real bath has other
occupations: the local dissipator is the lowest order in the inter-site coupling (Hofer et al.,
New J. Phys. 19, 123037 (2017); Levy & Kosloff, EPL 107, 20004 (2014)). The Lyapunov steady
state also needs every normal mode damped. Reached through :meth:`Network.audit`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np

from thermoflux.audit import FLOWS_CHECKS, Finding, Report, audit_flows, classify, resolve_thresholds
from thermoflux.errors import InputError

__all__ = ["audit_network", "CHECKS"]

CHECKS = ("local-lindblad", "stability")
_LOCAL = "Hofer et al., NJP 19, 123037 (2017); seed 003, eq. 4"


def _occupation_slope(channel: Any, omega: float) -> float:
    """β·n at ω: |dn/dω|/(1 + n) of a Bose occupation n = 1/(e^{βω'} − 1), β implied by n if not given."""
    n = float(channel.occupation)
    if n <= 0:
        return 0.0
    if channel.distribution is not None and getattr(channel.distribution, "is_thermal", False):
        beta = float(channel.distribution.beta)
    else:
        beta = np.log1p(1.0 / n) / omega if omega > 0 else np.inf
    return float(beta * n)


def audit_network(network: Any, *, thresholds: Mapping[str, Any] | None = None) -> Report:
    """Findings of the harmonic-network checks and the Flows checks of the steady state.

    Checks (ids, measured value, default (warn, error)):

    ``local-lindblad``
        For each bath on mode k: Λ_k·β n_k with Λ_k = Σ_{l≠k} |H_kl| the spread of the normal
        modes the site's excitations occupy and β n_k = |dn/dω|/(1 + n) the relative slope of
        the bath's Bose occupation at ω_k (β implied by n_k when only an occupation is given).
        It is the relative change of the local rates γn and γ(1 + n) across that spread, the
        error of the local dissipator; it vanishes for uncoupled modes and for baths at n = 0.
        Warn above 0.1, error above 1.
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
                                subject="steady flows")


def _local_lindblad(network: Any, th: tuple[float, float]) -> list[Finding]:
    h = network.hamiltonian
    spread = np.sum(np.abs(h), axis=1) - np.abs(np.diagonal(h))
    freq = network.frequencies
    out = []
    for c in network.baths:
        value = float(spread[c.site]) * _occupation_slope(c, float(freq[c.site]))
        sev = classify(value, *th)
        if sev:
            out.append(Finding("local-lindblad", sev, value, th[0 if sev == "warning" else 1],
                               f"bath {c.name!r} on mode {c.site}: inter-site coupling Σ|H_kl| = {spread[c.site]:.3g} "
                               f"moves its normal modes where the bath occupation differs by a relative {value:.3g}: "
                               "the local dissipator is outside its lowest-order regime; weaken the inter-site "
                               "coupling or use global (normal-mode) dissipators", _LOCAL, c.name))
    return out


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

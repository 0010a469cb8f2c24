"""Audit of a Landauer junction: bosonic μ, wide-band tails, integration range (seed 004).

The Landauer–Büttiker currents (seed 004, eqs. 17-19) are exact for non-interacting particles;
what can go wrong is the input: a Bose occupation that diverges inside the integration range, a
transmission and distributions whose energy current grows with the cutoff (a wide-band
transmission against occupations with heavy tails), or a user-given core range that leaves a
thermal step in the coarse mapped tail. Reached through :meth:`Junction.audit`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from thermoflux.audit import FLOWS_CHECKS, Finding, Report, audit_flows, classify, resolve_thresholds
from thermoflux.errors import ConvergenceError, InputError
from thermoflux.landauer.quadrature import THERMAL_SPAN
from thermoflux.landauer.transmissions import Transmission

__all__ = ["audit_junction", "CHECKS", "core_range"]

CHECKS = ("bosonic-mu", "wide-band", "integration-range")
_REF = "seed 004, eqs. 17-19"
#: tail points at core edge + width·2^k, k = 0..10 (up to ~1000 core widths)
_TAIL_OCTAVES = np.arange(11)


def core_range(junction: Any) -> tuple[float, float]:
    """The energies that matter: every thermal μ ± 60 T and every resonance centre ± 60 scales."""
    points = []
    for d in junction.reservoirs.values():
        if d.is_thermal:
            t = 1.0 / float(d.beta)
            points += [float(d.mu) - THERMAL_SPAN * t, float(d.mu) + THERMAL_SPAN * t]
    for t in junction.transmission.values():
        if isinstance(t, Transmission) and t.centres.size:
            points += list((t.centres - THERMAL_SPAN * t.scales).ravel())
            points += list((t.centres + THERMAL_SPAN * t.scales).ravel())
    centres, scales = junction.features
    points += list(centres - THERMAL_SPAN * scales) + list(centres + THERMAL_SPAN * scales)
    points += list(junction.breakpoints)
    if not points:
        return (-1.0, 1.0)
    return (min(points), max(points))


def _particle_densities(junction: Any, energies: np.ndarray) -> dict[str, np.ndarray]:
    """g_α(E) = Σ_β [T_{β←α} f_α − T_{α←β} f_β] at ``energies`` (out of α; seed 004, eq. 17)."""
    occ = {k: np.asarray(d.occupation(energies), dtype=float) for k, d in junction.reservoirs.items()}
    out = {k: np.zeros(energies.shape) for k in junction.reservoirs}
    for (a, b), func in junction.transmission.items():      # T_{a←b}: from b into a
        t = np.asarray(func(energies), dtype=float)
        out[b] += t * occ[b]
        out[a] -= t * occ[b]
    return out


def audit_junction(junction: Any, *, thresholds: Mapping[str, Any] | None = None) -> Report:
    """Findings of the Landauer checks and the Flows checks of the junction's steady state.

    Checks (ids, measured value, default (warn, error)):

    ``bosonic-mu``
        For a bosonic reservoir, (lowest energy 0) − μ (μ > 0 is refused by the Junction itself:
        the Bose factor would be negative for 0 < E < μ). Info for μ = 0 when
        :meth:`Junction.flows` reports the particle current as undefined (NaN,
        ``conserves_particles=False``: photons, phonons): with T(0⁺) > 0 the occupation diverges
        as T/E and the number of quanta exchanged is infinite, while energy, heat and entropy
        currents are finite and exact. Nothing when the particle current is finite (T(E) → 0
        at E → 0, e.g. T ∝ E: the integrand T·Δn stays bounded).
    ``wide-band``
        max over reservoirs and tail points E_k = edge ± w·2^k (w the core width, k up to 10)
        of |E_k² g_α(E_k)| / ∫|E g_α(E)| dE: the share of the energy current gathered per e-fold of
        energy far beyond every scale of the junction. It decays exponentially for thermal
        reservoirs; when T(E)·E·Δf does not decay (a wide-band transmission against heavy-tailed
        occupations) the energy current grows with the cutoff. Warn above 1e-6, error above 1e-3.
    ``integration-range``
        When the user gave ``energy_range`` and the transmissions do not have compact support:
        min over thermal reservoirs of the distance of μ from the range edges in units of T.
        A thermal step outside the core lands in the coarse mapped tail. Warn below 30, error below 10.

    Plus :func:`thermoflux.audit.audit_flows` of :meth:`Junction.flows` (one parameter point),
    with ∫|integrand| dE/2π as the gross scales.
    """
    th = resolve_thresholds(thresholds, CHECKS + FLOWS_CHECKS)
    if junction.batch_shape:
        raise InputError("audit needs one parameter point; this junction holds a batch of "
                         f"{junction.batch_shape[0]}")
    findings = _integration_range(junction, th["integration-range"])
    ints = junction.integrals()
    findings += _bosonic_mu(junction, ints)
    findings += _wide_band(junction, ints, th["wide-band"])
    report = Report(findings, subject=f"landauer: {junction!r}", checks=CHECKS)
    if not all(np.isfinite(v) for m in (ints.particle, ints.energy, ints.entropy) for v in m.values()):
        return report
    try:
        flows = junction.flows(check=False, integrals=ints)
    except ConvergenceError as exc:
        return report + Report([Finding("convergence", "error", float("nan"), float("nan"),
                                        f"the steady flows could not be computed, so the Flows checks did not "
                                        f"run: {exc}", _REF)], checks=("convergence",))
    mags = np.array(list(ints.magnitude.values()))
    gross = {"particle": float(mags[:, 0].sum()), "energy": float(mags[:, 1].sum()),
             "entropy": float(mags[:, 2].sum())}
    return report + audit_flows(flows, gross=gross, thresholds={k: th[k] for k in FLOWS_CHECKS},
                                subject="steady flows")


def _bosonic_mu(junction: Any, ints: Any) -> list[Finding]:
    """Info for each μ = 0 bosonic reservoir whose particle current flows() reports as NaN (undefined)."""
    if junction.statistics != "boson":
        return []
    # the reservoirs whose particle integral diverges at E → 0⁺: flows() reports NaN for them
    undefined = {name for name, found in (ints.divergence or {}).items()
                 if found.get("particle", ("",))[0] == "soft"}
    out = []
    for name, d in junction.reservoirs.items():
        if not d.is_thermal or float(d.mu) < 0 or name not in undefined:
            continue
        mu = float(d.mu)   # 0 here: Junction refuses μ > 0 for bosons up front (InputError)
        out.append(Finding("bosonic-mu", "info", -mu, 0.0,
                           f"bosonic reservoir {name!r} has μ = 0 at the lowest energy and its particle integral "
                           "diverges at E → 0⁺ (T(E) does not vanish there): infinitely many soft quanta are "
                           "exchanged, so "
                           "flows() reports the particle current as undefined (NaN; quanta not conserved); "
                           "energy, heat and entropy currents are exact", _REF, name))
    return out


def _integration_range(junction: Any, th: tuple[float, float]) -> list[Finding]:
    if junction.energy_range is None:
        return []
    if all(isinstance(t, Transmission) and t.support is not None for t in junction.transmission.values()):
        return []
    lo, hi = (float(v) for v in junction.energy_range)
    worst = None
    for name, d in junction.reservoirs.items():
        if not d.is_thermal:
            continue
        t = 1.0 / float(d.beta)
        lower_edge = lo if junction.statistics == "fermion" else -np.inf   # bosons stop at E = 0 anyway
        value = min(float(d.mu) - lower_edge, hi - float(d.mu)) / t
        if worst is None or value < worst[0]:
            worst = (value, name, t)
    if worst is None:
        return []
    value, name, t = worst
    sev = classify(value, *th, above=False)
    if not sev:
        return []
    return [Finding("integration-range", sev, value, th[0 if sev == "warning" else 1],
                    f"energy_range [{lo:.4g}, {hi:.4g}] ends {value:.3g} T (T = {t:.3g}) from μ of {name!r}: its "
                    "thermal step falls in the coarsely mapped tail; widen energy_range to μ ± 60 T or leave it out",
                    _REF, name)]


def _wide_band(junction: Any, ints: Any, th: tuple[float, float]) -> list[Finding]:
    lo, hi = core_range(junction)
    width = hi - lo
    tails = [hi + width * 2.0 ** _TAIL_OCTAVES]
    if junction.statistics == "fermion":
        tails.append(lo - width * 2.0 ** _TAIL_OCTAVES)
    energies = np.concatenate(tails)
    dens = _particle_densities(junction, energies)
    out = []
    for name, g in dens.items():
        per_efold = np.abs(energies ** 2 * g)
        scale = float(ints.magnitude[name][1]) * 2 * np.pi if ints.magnitude else 0.0
        if scale <= 0 or not np.isfinite(scale):
            value = np.inf if np.any(per_efold > 0) else 0.0
        else:
            value = float(np.max(per_efold[[len(_TAIL_OCTAVES) - 1, -1]]) / scale)   # at the far ends
        sev = classify(value, *th)
        if sev:
            out.append(Finding("wide-band", sev, value, th[0 if sev == "warning" else 1],
                               f"reservoir {name!r}: at ~{2.0 ** _TAIL_OCTAVES[-1]:.0f} core widths from every scale, "
                               f"E²·g(E) is still {value:.3g} of ∫|E g| dE: the energy current grows with the "
                               "cutoff (T(E)·E·Δf does not decay); give the transmission a finite band or the "
                               "occupations thermal tails", _REF, name))
    return out

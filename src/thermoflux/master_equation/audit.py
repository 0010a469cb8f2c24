"""Audit of a stochastic-limit master equation: weak coupling, Markov, secular, detailed balance.

The GKSL generator of seed 002 (eq. 22) is the weak-coupling (van Hove / stochastic) limit: it
holds when every rate is small against the system's Bohr frequencies and the baths' thermal
energies (Born), when the baths forget faster than the system relaxes (Markov), and when the
Bohr frequencies of one field are resolved by the rates (secular, rotating-wave). These checks
measure each condition from the model itself (Breuer & Petruccione, *The Theory of Open Quantum
Systems*, Secs. 3.3.1 and 3.3.3). Reached through :meth:`StochasticLimit.audit`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from thermoflux.audit import FLOWS_CHECKS, Finding, Report, audit_flows, classify, resolve_thresholds

__all__ = ["audit_stochastic_limit", "CHECKS", "bare_rates", "implied_temperatures"]

CHECKS = ("weak-coupling", "markov", "secular", "detailed-balance")
_BP = "Breuer & Petruccione, Sec. 3.3.1"


def bare_rates(model: Any) -> np.ndarray:
    """Γ_p = J_j(ω_p)|⟨n|D_j|m⟩|² of every transition p: the zero-temperature emission rate (1/time).

    This is the coupling strength of the transition (seed 002, eq. 36b without the thermal
    factor 1 ± n), the γ of the Born approximation.
    """
    t = model.transitions
    out = np.zeros(t.size)
    for j, name in enumerate(t.fields):
        sel = t.field == j
        if np.any(sel):
            out[sel] = model.fields[name].spectral_values(t.omega[sel], name) * np.abs(t.amplitude[sel]) ** 2
    return out


def _field_temperatures(model: Any) -> np.ndarray:
    """Temperature seen by each transition: the field's T if thermal, else (ω − μ)/x(ω) (NaN if undefined)."""
    t = model.transitions
    temps = np.full(t.size, np.nan)
    for j, name in enumerate(t.fields):
        sel = t.field == j
        dist = model.fields[name].distribution
        if dist.is_thermal:
            temps[sel] = float(dist.temperature)
            continue
        mu = float(dist.mu) if dist.mu is not None else 0.0
        x = model.fields[name].log_odds(t.omega[sel], name)
        with np.errstate(divide="ignore", invalid="ignore"):
            temps[sel] = np.where(np.abs(x) > 1e-12, (t.omega[sel] - mu) / x, np.nan)
    return temps


def implied_temperatures(model: Any) -> np.ndarray:
    """T_p = (ω_p − μ_j) / ln(Γ_−/Γ_+) implied by each transition's rates (NaN where undefined).

    Detailed balance with a thermal field of temperature T and chemical potential μ means
    Γ_−/Γ_+ = e^{(ω−μ)/T} for every transition of that field (seed 002, eqs. 22c, 26; for a
    fermionic lead Γ_− = J(1 − f), Γ_+ = J f). Undefined where a rate is zero or ω = μ.
    """
    t = model.transitions
    mus = np.array([float(model.fields[n].distribution.mu or 0.0) for n in t.fields])[t.field] if t.size else np.zeros(0)
    gap = t.omega - mus
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.log(t.emission) - np.log(t.absorption)
        ok = (t.emission > 0) & (t.absorption > 0) & np.isfinite(x) & (np.abs(x) > 1e-12)
        ok &= np.abs(gap) > 1e-9 * np.maximum(1.0, np.abs(t.omega))
        return np.where(ok, gap / x, np.nan)


def audit_stochastic_limit(model: Any, *, thresholds: Mapping[str, Any] | None = None) -> Report:
    """Findings of every master-equation check, and the Flows checks of its stationary flows.

    Checks (ids, measured value, default (warn, error); see :data:`thermoflux.audit.DEFAULT_THRESHOLDS`):

    ``weak-coupling``
        Per field j, Γ_j/T_j, with Γ_j the largest bare rate J_j(ω)|D|² of the field
        (:func:`bare_rates`) and T_j its temperature (for a non-thermal field the one its
        log-odds give at each Bohr frequency); and G/(2ω_min), with G the largest thermal decay
        rate ½(γ_upper + γ_lower) of the coherence of a bosonic transition (all fields, thermal
        factors 1 + n and n included: at T ≫ ω it grows as Γ·2T/ω) and ω_min the smallest Bohr
        frequency of the bosonic transitions (fermionic leads have no such bound: a dot level
        may sit at μ). The rotating-wave step separates a coherence rotating at +ω from its
        partner at −ω, 2ω apart. Warn above 0.1, error above 1: the Born approximation
        expands in Γ against both scales (README qubit: 0.068; at T = 100, Γ = 0.03: 3.0).
    ``markov``
        Γ_p·τ_B with τ_B = max(|(ln J)'|, √|(ln J)''|, 1/(2πT)) at ω_p: the bath correlation
        time is set by the scale on which J varies (1/ω_c for J ∝ e^{−ω/ω_c}; √2/κ at the peak
        of a Lorentzian of width κ, where the slope vanishes) and by the thermal time ħβ/2π.
        Warn above 0.1, error above 1 (Breuer & Petruccione, Sec. 3.3.1: τ_B ≪ τ_R = 1/Γ).
    ``secular``
        For each pair of neighbouring distinct Bohr frequencies of one field, |ω − ω'|/Γ, with
        Γ the largest decay rate G_mn = ½(γ_m + γ_n) of the coherences of their transitions
        (γ_m: total escape rate of level m, thermal factors included). Warn below 10, error
        below 1: the rotating-wave (secular) step drops terms oscillating at ω − ω' that are not
        averaged out unless |ω − ω'| ≫ Γ (Breuer & Petruccione, Sec. 3.3.1, eq. 3.130).
    ``detailed-balance``
        Per field, the temperatures T_p = (ω_p − μ)/ln(Γ_−/Γ_+) its rates imply
        (:func:`implied_temperatures`, with μ of fermionic leads): warning when they spread
        (relative to the declared temperature, or to their median for a non-thermal field)
        beyond 1e-6, error when one is negative (an inverted field: a gain medium, not a heat
        bath). The median of 1, 3 and 2 is 2, but such a field has no temperature.

    Returns
    -------
    Report
        Errors first; plus :func:`thermoflux.audit.audit_flows` of the stationary flows, with the
        gross one-way rates as the noise scale.
    """
    th = resolve_thresholds(thresholds, CHECKS + FLOWS_CHECKS)
    findings: list[Finding] = []
    gamma = bare_rates(model)
    temps = _field_temperatures(model)
    findings += _weak_coupling(model, gamma, temps, th["weak-coupling"])
    findings += _markov(model, gamma, temps, th["markov"])
    findings += _secular(model, th["secular"])
    findings += _detailed_balance(model, th["detailed-balance"])
    report = Report(findings, subject=f"master_equation: {model!r}", checks=CHECKS)
    flows, gross = _flows_and_scale(model)
    flow_th = {k: th[k] for k in FLOWS_CHECKS}
    return report + audit_flows(flows, gross=gross, thresholds=flow_th, subject="stationary flows")


def _per_field_max(model: Any, values: np.ndarray) -> dict[str, tuple[float, int]]:
    out = {}
    t = model.transitions
    for j, name in enumerate(t.fields):
        idx = np.flatnonzero((t.field == j) & np.isfinite(values))
        if idx.size:
            k = idx[np.argmax(values[idx])]
            out[name] = (float(values[k]), int(k))
    return out


def _weak_coupling(model: Any, gamma: np.ndarray, temps: np.ndarray, th: tuple[float, float]) -> list[Finding]:
    t = model.transitions
    bosonic = np.array([model.fields[t.fields[j]].statistics == "boson" for j in t.field], dtype=bool)
    omega_min = float(np.min(t.omega[bosonic])) if np.any(bosonic) else math.nan
    out = []
    with np.errstate(divide="ignore", invalid="ignore"):
        over_t = np.where(temps > 0, gamma / temps, np.nan)
    for name, (value, k) in _per_field_max(model, over_t).items():
        sev = classify(value, *th)
        if sev:
            out.append(Finding("weak-coupling", sev, value, th[1] if sev == "error" else th[0],
                               f"field {name!r}: Γ/k_BT = {value:.3g} (Γ = {gamma[k]:.3g} at ω = {t.omega[k]:.4g}, "
                               f"T = {temps[k]:.3g}): not weak coupling; lower the coupling or use an exact "
                               "method (finite_baths, landauer)", _BP, name))
    if math.isfinite(omega_min) and omega_min > 0:
        decay = _coherence_decay(model)
        over_w = np.where(bosonic, decay / (2 * omega_min), np.nan)
        if np.any(np.isfinite(over_w)):
            k = int(np.nanargmax(over_w))
            value = float(over_w[k])
            sev = classify(value, *th)
            if sev:
                out.append(Finding("weak-coupling", sev, value, th[1] if sev == "error" else th[0],
                                   f"coherences decay at G = {decay[k]:.3g} (thermal factors included, at "
                                   f"ω = {t.omega[k]:.4g}), {value:.3g} of 2ω_min = {2 * omega_min:.4g}: the "
                                   "rates are not small against the level spacing, the rotating-wave step "
                                   "fails; lower the coupling or temperature, or treat the system exactly",
                                   _BP, None))
    return out


def _coherence_decay(model: Any) -> np.ndarray:
    """G_p = ½(γ_upper + γ_lower) of every transition p: the decay rate of its coherence (1/time).

    γ_m is the total escape rate of level m, −R_mm of the Pauli rate matrix, thermal factors
    1 + n and n included (seed 002, eq. 23; Breuer & Petruccione, Sec. 3.4.1). For a qubit
    between bosonic fields of J_j = γ_j: G = ½ Σ_j γ_j coth(ω/2T_j).
    """
    t = model.transitions
    escape = -np.real(model.pauli_rate_matrix().diagonal())
    return 0.5 * (escape[t.upper] + escape[t.lower])


def _log_samples(field: Any, name: str, omega: np.ndarray, step: float):
    """ln J at ω − h⁻, ω, ω + h⁺ with h = step·max(|ω|, 1e-3) cut at the field's frequency range.

    Returns (ln J₋, ln J₀, ln J₊, h⁻, h⁺, ok); ok is False where J is not positive at all three.
    """
    h = step * np.maximum(np.abs(omega), 1e-3)
    lo, hi = field.frequency_range
    plus = np.minimum(omega + h, hi)
    minus = np.maximum(omega - h, lo) if np.isfinite(lo) else omega - h
    values = [field.spectral_values(x, name) for x in (minus, omega, plus)]
    ok = np.logical_and.reduce([v > 0 for v in values])
    logs = [np.log(np.where(ok, v, 1.0)) for v in values]
    return logs[0], logs[1], logs[2], omega - minus, plus - omega, ok


def _log_derivatives(model: Any, name: str, omega: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """|(ln J)'| and |(ln J)''| at ``omega`` by three-point differences (0 for a constant J).

    The slope uses h = 1e-5·max(|ω|, 1e-3) (truncation (h/κ)²/6 for a feature of width κ); the
    curvature h = 1e-4·max(|ω|, 1e-3), which keeps the rounding of the second difference,
    ~eps·|ln J|/h², below 1e-6 ω⁻² and its truncation below 1% down to κ = 1e-3 ω. Steps are
    cut at the field's frequency range (one-sided there: no curvature).
    """
    field = model.fields[name]
    if not callable(field.spectral_density):
        return np.zeros_like(omega), np.zeros_like(omega)
    with np.errstate(divide="ignore", invalid="ignore"):
        lm, l0, lp, hm, hp, ok = _log_samples(field, name, omega, 1e-5)
        slope = np.where(ok, np.abs(lp - lm) / (hp + hm), 0.0)
        lm, l0, lp, hm, hp, ok = _log_samples(field, name, omega, 1e-4)
        second = 2.0 * ((lp - l0) / hp - (l0 - lm) / hm) / (hp + hm)
        curvature = np.where(ok & (hp > 0) & (hm > 0), np.abs(second), 0.0)
    return slope, curvature


def _markov(model: Any, gamma: np.ndarray, temps: np.ndarray, th: tuple[float, float]) -> list[Finding]:
    t = model.transitions
    tau = np.zeros(t.size)
    for j, name in enumerate(t.fields):
        sel = t.field == j
        if np.any(sel):
            slope, curvature = _log_derivatives(model, name, t.omega[sel])
            tau[sel] = np.maximum(slope, np.sqrt(curvature))   # at a peak of J: √|(ln J)''| = √2/κ
    with np.errstate(divide="ignore", invalid="ignore"):
        thermal = np.where(temps > 0, 1.0 / (2 * np.pi * temps), 0.0)
    tau = np.maximum(tau, thermal)
    out = []
    for name, (value, k) in _per_field_max(model, gamma * tau).items():
        sev = classify(value, *th)
        if sev:
            out.append(Finding("markov", sev, value, th[1] if sev == "error" else th[0],
                               f"field {name!r}: Γ·τ_B = {value:.3g} (Γ = {gamma[k]:.3g}, τ_B = {tau[k]:.3g} "
                               f"at ω = {t.omega[k]:.4g}): the bath does not forget faster than the system "
                               "relaxes; use a smoother J(ω), a higher temperature, or a non-Markovian method",
                               _BP, name))
    return out


def _secular(model: Any, th: tuple[float, float]) -> list[Finding]:
    t = model.transitions
    decay = _coherence_decay(model)
    warn_ratio, error_ratio = th
    out = []
    for j, name in enumerate(t.fields):
        sel = np.flatnonzero(t.field == j)
        classes = np.unique(t.bohr_class[sel])
        if classes.size < 2:
            continue
        freq = np.array([t.omega[sel][t.bohr_class[sel] == c].mean() for c in classes])
        rate = np.array([decay[sel][t.bohr_class[sel] == c].max() for c in classes])
        order = np.argsort(freq)
        freq, rate = freq[order], rate[order]
        worst = None
        for a in range(freq.size - 1):
            g = max(rate[a], rate[a + 1])
            if g <= 0:
                continue
            ratio = (freq[a + 1] - freq[a]) / g
            if worst is None or ratio < worst[0]:
                worst = (ratio, freq[a], freq[a + 1], g)
        if worst is None:
            continue
        sev = classify(worst[0], warn_ratio, error_ratio, above=False)
        if sev:
            ratio, w1, w2, g = worst
            out.append(Finding("secular", sev, ratio, error_ratio if sev == "error" else warn_ratio,
                               f"field {name!r}: Bohr frequencies {w1:.6g} and {w2:.6g} differ by {w2 - w1:.3g}, "
                               f"only {ratio:.3g} times the decay rate Γ = {g:.3g} of their coherences: the "
                               "secular approximation drops their coupling; use a Bloch-Redfield or exact "
                               "treatment, or weaker coupling", _BP + ", eq. 3.130", name))
    return out


def _detailed_balance(model: Any, th: tuple[float, float]) -> list[Finding]:
    t = model.transitions
    implied = implied_temperatures(model)
    out = []
    for j, name in enumerate(t.fields):
        vals = implied[(t.field == j) & np.isfinite(implied)]
        if vals.size == 0:
            continue
        dist = model.fields[name].distribution
        if np.any(vals < 0):
            bad = float(vals[vals < 0][0])
            out.append(Finding("detailed-balance", "error", bad, 0.0,
                               f"field {name!r}: its rates imply a negative temperature {bad:.3g} (an inverted "
                               "field: Γ_+ > Γ_− above μ); it is a work source, not a heat bath, and its heat "
                               "and T-based bounds do not apply", "seed 002, eqs. 26, 44", name))
            continue
        ref = float(dist.temperature) if dist.is_thermal else float(np.median(vals))
        spread = float(np.max(np.abs(vals - ref)) / ref)
        sev = classify(spread, *th)
        if sev:
            listed = ", ".join(f"{v:.3g}" for v in np.unique(np.round(vals, 12))[:6])
            out.append(Finding("detailed-balance", sev, spread, th[1] if sev == "error" else th[0],
                               f"field {name!r}: its rates imply temperatures {listed} at its Bohr frequencies "
                               f"(reference {ref:.3g}): no single temperature, so detailed balance with one bath "
                               "fails; treat it as non-thermal (its entropy uses its log-odds) and do not use "
                               "Carnot bounds with it", "seed 002, eqs. 26, 95", name))
    return out


def _flows_and_scale(model: Any):
    """Stationary flows and their gross scales: Σ of one-way rates (·|ω|, ·|x|) per reservoir."""
    t = model.transitions
    flows = model.flows(check=False)
    pops = model.stationary_populations()
    one_way = t.emission * pops[t.upper] + t.absorption * pops[t.lower]
    x = np.zeros(t.size)
    for j, name in enumerate(t.fields):
        sel = t.field == j
        if np.any(sel):
            x[sel] = np.abs(model.fields[name].log_odds(t.omega[sel], name))
    mus = np.array([abs(float(model.fields[n].distribution.mu or 0.0)) for n in t.fields])[t.field] if t.size else 0.0
    with np.errstate(invalid="ignore"):
        entropy = np.where(one_way == 0, 0.0, one_way * x)
    gross = {"particle": float(one_way.sum()),
             "energy": float((one_way * (np.abs(t.omega) + mus)).sum()),
             "entropy": float(entropy.sum())}
    return flows, gross

"""Audit of a finite-bath run: does a bath of K modes still stand for an infinite reservoir?

The dynamics of seed 001 is exact for the finite model at all times. What the checks ask is
whether, at the times asked for, the finite baths still behave like the infinite, wide-band,
fixed-temperature reservoirs they usually stand for: before the recurrence time 2π/Δε, with
enough modes inside the level's width, with a band that holds every relevant energy, and with
a heat capacity large enough that the heat exchanged leaves the bath temperatures in place.
Reached through :meth:`QuadraticModel.audit`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from thermoflux.audit import Finding, Report, classify, resolve_thresholds
from thermoflux.distributions import fermi
from thermoflux.errors import InputError

__all__ = ["audit_finite_baths", "CHECKS", "mode_spacings", "bath_widths", "heat_current_estimate"]

CHECKS = ("recurrence", "continuum", "bandwidth", "heat-capacity")
_SEED = "seed 001, Sec. III"


def mode_spacings(model: Any) -> dict[str, float]:
    """Δε_ν of each bath: the median spacing of its sorted mode energies (W/(K − 1) for seed 001)."""
    out = {}
    for name, eps in model.bath_energies.items():
        gaps = np.diff(np.sort(eps))
        gaps = gaps[gaps > 0]
        out[name] = float(np.median(gaps)) if gaps.size else math.nan
    return out


def _energy_cells(model: Any) -> dict[str, int]:
    """Number of distinct mode energies of each bath (W/Δε + 1): energies within Δε/2 are one cell.

    A bath with several channels repeats its modes at each energy, one per channel; the density
    of states per channel is 1/Δε, not K/(W Δε).
    """
    spacing = mode_spacings(model)
    out = {}
    for name, eps in model.bath_energies.items():
        eps = np.sort(np.asarray(eps, dtype=float))
        if eps.size == 0 or not math.isfinite(spacing[name]):
            out[name] = max(int(eps.size), 1)
            continue
        out[name] = 1 + int(np.count_nonzero(np.diff(eps) > 0.5 * spacing[name]))
    return out


def bath_widths(model: Any) -> dict[str, np.ndarray]:
    """Wide-band level-width matrices Γ_ν[s, s'] = 2π Σ_k T_ν[k, s]* T_ν[k, s'] / (N_ν Δε_ν) per bath.

    The golden rule with the density of states 1/Δε_ν per channel: Γ_ν = 2π ⟨Σ_c T†T⟩_ε / Δε_ν,
    the sum over the channels c at one energy averaged over the N_ν distinct energies (cells)
    of the band (seed 001, Sec. III: t = √(ΓΔε/2π) gives Γ exactly). N_ν = K_ν for one channel.
    """
    spacing = mode_spacings(model)
    cells = _energy_cells(model)
    out = {}
    for name, t in model.couplings.items():
        out[name] = 2 * np.pi * (t.conj().T @ t) / (cells[name] * spacing[name])
    return out


def heat_current_estimate(model: Any, reservoirs: Mapping[str, Any], *, points: int = 4001) -> dict[str, float]:
    """J^Q_ν of each bath in the wide-band continuum limit (Landauer–Caroli over the band).

    J^Q_ν = (1/2π) Σ_ν' ∫ Tr[Γ_ν G Γ_ν' G†] (E − μ_ν)(f_ν − f_ν') dE over the band of the
    modes, G = (E − h_S + (i/2) Σ Γ)^{-1}; positive out of ν (DESIGN.md), by the trapezoid on
    ``points`` nodes refined at each resonance and Fermi step (:func:`_energy_grid`, so a width
    Γ far below the band over ``points`` is resolved). An estimate of the heat a bath loses per
    unit time while it still acts as a reservoir.
    """
    gam = bath_widths(model)
    lo = min(float(np.min(e)) for e in model.bath_energies.values())
    hi = max(float(np.max(e)) for e in model.bath_energies.values())
    hs = model.system_hamiltonian
    total = sum(gam.values())
    energies = _energy_grid(hs, total, reservoirs, lo, hi, points)
    points = energies.size
    eye = np.eye(hs.shape[0])
    g = np.linalg.inv(energies[:, None, None] * eye - hs + 0.5j * total)
    names = list(model.bath_names)
    occ = {n: fermi(np.asarray(reservoirs[n].log_odds(energies))) for n in names}
    out = {}
    for a in names:
        density = np.zeros(points)
        for b in names:
            if b == a:
                continue
            trans = np.real(np.einsum("ij,ejk,kl,eli->e", gam[a], g, gam[b], np.conj(np.transpose(g, (0, 2, 1)))))
            density += trans * (occ[a] - occ[b])
        out[a] = float(np.trapezoid(density * (energies - float(reservoirs[a].mu)), energies) / (2 * np.pi))
    return out


def _energy_grid(hs: np.ndarray, total: np.ndarray, reservoirs: Mapping[str, Any], lo: float, hi: float,
                 points: int) -> np.ndarray:
    """Trapezoid nodes on [lo, hi] that resolve every resonance and Fermi step of the integrand.

    ``points`` equally spaced nodes; for each pole E_p − iγ_p/2 of h_S − (i/2)ΣΓ the nodes
    E_p + (γ_p/2) tan θ at ``points``/4 equally spaced θ (the Lorentzian's own variable) and
    ``points``/2 geometrically spaced nodes on either side for its 1/x² tails; and ``points``/10
    nodes over μ ± 40T of each bath. The trapezoid is then accurate whatever γ_p.
    """
    extra = [np.linspace(lo, hi, points)]
    theta = np.linspace(-0.5 * np.pi, 0.5 * np.pi, points // 4)[1:-1]
    for pole in np.linalg.eigvals(hs - 0.5j * total):
        half = max(-pole.imag, 1e-12 * max(abs(hi), abs(lo), 1.0))
        extra.append(pole.real + half * np.tan(theta))
        # the tails 1/x²: nodes at a constant ratio x_{i+1}/x_i from 0.1·γ/2 out to the band edges
        tail = half * np.geomspace(0.1, max((hi - lo) / half, 1.0), points // 2)
        extra += [pole.real + tail, pole.real - tail]
    for d in reservoirs.values():
        extra.append(float(d.mu) + 40.0 * float(d.temperature) * np.linspace(-1.0, 1.0, max(points // 10, 11)))
    grid = np.concatenate(extra)
    return np.unique(grid[(grid >= lo) & (grid <= hi)])


def audit_finite_baths(model: Any, reservoirs: Mapping[str, Any], times: Any, *,
                       thresholds: Mapping[str, Any] | None = None) -> Report:
    """Findings of the finite-bath checks for ``model`` with initial baths ``reservoirs`` up to ``times``.

    Checks (ids, measured value, default (warn, error)):

    ``recurrence``
        t_max/t_rec with t_rec = 2π/Δε_ν (the revival time of equally spaced modes; seed 001
        excludes the late-time Poincaré recurrence, Sec. V). Warning above 1 (no error: the
        numbers are exact for the finite model, but no longer those of an infinite bath).
    ``continuum``
        min(Γ, 2πT_ν)/Δε_ν, the number of modes within the narrowest feature the bath must
        resolve: the level width Γ = Σ_ν Γ_ν (largest eigenvalue of the wide-band width
        matrices, :func:`bath_widths`) or the bath's Fermi step, whose sampling at spacing Δε
        errs by ~e^{−2π²T/Δε} as a Lorentzian's by ~e^{−πΓ/Δε} (Poisson summation). Seed 001,
        Sec. III requires Δε ≪ Γ, and Δε ≲ T: warn below 5, error below 1 (the level then sees
        single modes, not a continuum; at Δε = 8T, value 0.8, the currents are 6% off).
    ``bandwidth``
        (distance from the band edge to the nearest relevant energy) / max(T, Γ), the relevant
        energies being the system's levels and the baths' μ (so the bias too). Warn below 10
        (the issue's 10·max(T, Γ)), error below 0 (a level or μ outside the band).
    ``heat-capacity``
        ΔT_ν/T_ν ≈ |J^Q_ν| t_max / (C_ν T_ν), C_ν = (π²/3) T_ν n_ν/Δε_ν the Sommerfeld heat
        capacity of equally spaced modes, n_ν of them at each energy (channels), J^Q_ν from
        :func:`heat_current_estimate`. Warning
        above 0.1 (no error): by then the bath temperature drifts (regime II of seed 001) and
        the run no longer describes a fixed-temperature reservoir.

    Parameters
    ----------
    model : QuadraticModel
    reservoirs : mapping bath -> FermiDirac
        The baths' initial thermal states (as given to ``thermal_state``).
    times : array_like
        The times of the run (ħ/energy).
    thresholds : mapping, optional
        Overrides (warn, error) by check id.
    """
    th = resolve_thresholds(thresholds, CHECKS)
    if not isinstance(reservoirs, Mapping) or set(reservoirs) != set(model.bath_names):
        raise InputError(f"reservoirs must map every bath {list(model.bath_names)} to a FermiDirac; got {reservoirs!r}")
    for name, d in reservoirs.items():
        if not getattr(d, "is_thermal", False) or np.ndim(d.beta) or np.ndim(d.mu):
            raise InputError(f"reservoirs[{name!r}] must be a FermiDirac of one (beta, mu); got {d!r}")
    times = np.asarray(times, dtype=float)
    if times.size == 0 or not np.all(np.isfinite(times)) or np.any(times < 0):
        raise InputError("times must be a non-empty array of finite non-negative times")
    t_max = float(times.max())
    spacing = mode_spacings(model)
    widths = bath_widths(model)
    gamma = float(np.max(np.linalg.eigvalsh(sum(widths.values()))))
    findings: list[Finding] = []
    for name in model.bath_names:
        t_rec = 2 * np.pi / spacing[name]
        value = t_max / t_rec
        sev = classify(value, *th["recurrence"])
        if sev:
            findings.append(Finding("recurrence", sev, value, th["recurrence"][0 if sev == "warning" else 1],
                                    f"bath {name!r}: the run reaches t = {t_max:.3g}, {value:.3g} times the recurrence "
                                    f"time 2π/Δε = {t_rec:.3g}: the finite bath no longer mimics an infinite one; "
                                    "add modes (t_rec ∝ K/W) or stop earlier", _SEED + ", Sec. V", name))
        thermal = 2 * np.pi * float(reservoirs[name].temperature)
        feature, what = (gamma, f"level width Γ = {gamma:.3g}") if gamma <= thermal else \
            (thermal, f"Fermi step 2πT = {thermal:.3g}")
        value = feature / spacing[name]
        sev = classify(value, *th["continuum"], above=False)
        if sev:
            findings.append(Finding("continuum", sev, value, th["continuum"][0 if sev == "warning" else 1],
                                    f"bath {name!r}: only {value:.3g} modes (spacing {spacing[name]:.3g}) within the "
                                    f"{what}: not a continuum (seed 001 needs Δε ≪ Γ and Δε ≲ T); add modes",
                                    _SEED, name))
    findings += _bandwidth(model, reservoirs, gamma, th["bandwidth"])
    findings += _heat_capacity(model, reservoirs, spacing, t_max, th["heat-capacity"])
    return Report(findings, subject=f"finite_baths: {model!r} up to t = {t_max:.3g}", checks=CHECKS)


def _bandwidth(model: Any, reservoirs: Mapping[str, Any], gamma: float, th: tuple[float, float]) -> list[Finding]:
    levels = np.linalg.eigvalsh(model.system_hamiltonian)
    relevant = np.concatenate([levels, [float(d.mu) for d in reservoirs.values()]])
    scale = max(gamma, max(float(d.temperature) for d in reservoirs.values()))
    out = []
    for name, eps in model.bath_energies.items():
        lo, hi = float(np.min(eps)), float(np.max(eps))
        margin = min(float(np.min(relevant)) - lo, hi - float(np.max(relevant)))
        value = margin / scale
        sev = classify(value, *th, above=False)
        if sev:
            out.append(Finding("bandwidth", sev, value, th[0 if sev == "warning" else 1],
                               f"bath {name!r}: the band [{lo:.3g}, {hi:.3g}] reaches only {value:.3g}·max(T, Γ) "
                               f"(= {scale:.3g}) beyond the levels and chemical potentials; widen the band to "
                               "10·max(T, Γ) beyond them for a wide-band bath", _SEED + " (wide-band limit)", name))
    return out


def _heat_capacity(model: Any, reservoirs: Mapping[str, Any], spacing: Mapping[str, float], t_max: float,
                   th: tuple[float, float]) -> list[Finding]:
    heat = heat_current_estimate(model, reservoirs)
    cells = _energy_cells(model)
    out = []
    for name in model.bath_names:
        temperature = float(reservoirs[name].temperature)
        channels = len(model.bath_energies[name]) / cells[name]      # modes per energy
        capacity = (np.pi ** 2 / 3) * temperature * channels / spacing[name]
        value = abs(heat[name]) * t_max / (capacity * temperature)
        sev = classify(value, *th)
        if sev:
            out.append(Finding("heat-capacity", sev, value, th[0 if sev == "warning" else 1],
                               f"bath {name!r}: at its initial heat current it would exchange {value:.3g} times its "
                               f"heat content C·T by t = {t_max:.3g} (C = {capacity:.3g}): its temperature drifts by "
                               f"10 % already at t ≈ {0.1 * capacity * temperature / abs(heat[name]):.3g}, and a "
                               "value ≫ 1 means it thermalizes with the system long before the end; it is no longer "
                               "a fixed-temperature reservoir there; add modes or stop earlier",
                               _SEED + " (regime II)", name))
    return out

"""Seed 001 (Usui, Ptaszyński, Esposito, Strasberg): Figs. 4, 5, 6 and 8 and the paper's claims.

The single electron transistor of Sec. III (W = 10, ε_d = 0, n_d = 0, β_L = 10, β_R = 2) in
case (a) μ_L = −μ_R = 1 and case (b) μ_L = μ_R = 0.5, evolved with
:func:`thermoflux.finite_baths.simulate` from Γt = 10⁻² to 10⁸. ``full=False`` uses K = 100 modes
per bath (Δε = 0.1 ≪ Γ) and fewer times and couplings, so it runs in well under a minute;
``full=True`` uses the paper's K = 1000 and 200 times (7.5 min on an idle 2-core machine, 20 min under load).

A reproduction is three steps: :func:`compute` runs every simulation (a case, a coupling, a
pure-state sample: one point each) through :func:`thermoflux.sweep.run`, so ``full=True`` shows
one progress bar over all figures and writes a checkpoint after every finished simulation into
``outdir/checkpoint``, from which ``resume=True`` computes only what is missing and gives the
identical report; :func:`check_claims` checks the paper's claims on the results; and
:func:`draw_figures` draws them.

At K = 100 the finite-size terms are larger than in the paper (regime-III fluctuations of μ* are
as large as case (b)'s thermoelectric opening, so its closing is checked only with ``full=True``): the global grand-canonical
reference of App. B includes the system–bath interaction energy, which does not grow with K, so
the thermalization claim is checked at Γ = 3 against the per-bath parameters of the global
ensemble (:func:`~thermoflux.finite_baths.simulate.global_bath_parameters`); D*_env and I_oν are equal
within their regime-III fluctuations at Γ = 100, so D*_env > I_oν (Fig. 6) is checked only with
``full=True``. Fig. 6 averages every Γ over the times t of the paper's regime-III window at Γ = 3
(Γt ∈ [10⁵, 10⁸]): regime II ends at a time t, not Γt (see :func:`_regime_three_claims`).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from thermoflux.distributions import FermiDirac, fermi
from thermoflux.entropy import mode_entropy, mode_entropy_from_log_odds
from thermoflux.errors import ConvergenceError, InputError
from thermoflux.finite_baths import (
    effective_beta_mu,
    resonant_level,
    sampled_pure_state,
    simulate,
    thermal_state,
)
from thermoflux.finite_baths.ensembles import window_average
from thermoflux.finite_baths.simulate import global_bath_parameters, global_equilibrium
from thermoflux.reproduce import Claim, Report
from thermoflux.reproduce.seed001_figures import fig4, fig5, fig6, fig8

__all__ = ["SEED", "TITLE", "Sizes", "REDUCED", "FULL", "reproduce", "compute", "check_claims",
           "draw_figures", "simulation_grid"]

SEED = "001"
TITLE = "Microscopic contributions to the entropy production at all times"

WIDTH = 10.0
CASES = {
    "a": {"L": FermiDirac(beta=10.0, mu=1.0), "R": FermiDirac(beta=2.0, mu=-1.0)},
    "b": {"L": FermiDirac(beta=10.0, mu=0.5), "R": FermiDirac(beta=2.0, mu=0.5)},
}
#: Σ-decomposition identities hold to this (issue 4); entropies are sums of ~2K exact terms.
IDENTITY_TOL = 1e-9
#: Times t of the regime-III averages of Fig. 6: the paper's "from Γt = 10⁵ to Γt = 10⁸" at
#: Γ = 3, the coupling of Figs. 4, 5 and 8 (see :func:`_regime_three_claims`).
REGIME_III_TIMES = (1e5 / 3.0, 1e8 / 3.0)
#: Regime III: both baths at one (β*, μ*) — relative β* difference and |Δμ*| below this, the
#: thermalization tolerance of the Fig. 4 claims.
SETTLED_TOL = 0.05
#: Couplings Γ of the time traces of Figs. 4 and 5; the pure states of Fig. 8 run at the first.
TRACE_COUPLINGS = (3.0, 30.0)
#: How ``full=True`` spends the two cores: two worker processes with one BLAS thread each, each
#: running whole simulations, rather than one process whose simulation diagonalises the two bath
#: blocks concurrently on one BLAS thread each. Measured on the shared 2-core machine, the same
#: four K = 1000 simulations (5 times each): 16.3 s against 19.4 s, and 38.3 s against 46.0 s
#: under heavier load. The part of a time step outside the eigensolves (block assembly, root
#: solves, entropies) runs on one core in one process, so only two processes use both cores for
#: it. Memory: ~0.8 GB per process.
FULL_WORKERS = 2


@dataclass(frozen=True)
class Sizes:
    """The sizes of a seed-001 reproduction.

    Attributes
    ----------
    modes : int
        K, modes per bath (N = 2K + 1 sites).
    times : int
        Log-spaced times Γt ∈ [10⁻², 10⁸] of Figs. 4, 5 and 8 (and t = 0).
    couplings : tuple of float
        Γ of Fig. 6.
    window_times : int
        Log-spaced times of the regime-III window of Fig. 6 (:data:`REGIME_III_TIMES`).
    paper : bool
        The paper's sizes: the claims that finite-size fluctuations hide at K = 100 are checked.
    """

    modes: int
    times: int
    couplings: tuple[float, ...]
    window_times: int
    paper: bool = False

    def describe(self) -> str:
        """One line: ``K = 1000 modes per bath, 200 times, 6 couplings``."""
        return f"K = {self.modes} modes per bath, {self.times} times, {len(self.couplings)} couplings"


#: ``full=False``: K = 100, 50 times, Γ = 10^0.5 ... 10^2 for Fig. 6 (well under a minute).
REDUCED = Sizes(100, 50, tuple(float(g) for g in 10.0 ** np.array([0.5, 1.0, 1.5, 2.0])), 12)
#: ``full=True``: the paper's K = 1000, 200 times, Γ = 10^0.5 ... 10^3 for Fig. 6.
FULL = Sizes(1000, 200, tuple(float(g) for g in 10.0 ** np.arange(0.5, 3.01, 0.5)), 22, paper=True)


def _times(gamma: float, num: int, start: float = 1e-2, stop: float = 1e8, zero: bool = True) -> np.ndarray:
    t = np.geomspace(start, stop, num) / gamma
    return np.concatenate([[0.0], t]) if zero else t


def _simulate(model, state, times) -> Any:
    return simulate(model, state, times, progress=False, site_occupations=False)


def _pure_run(model, case: str, times: np.ndarray) -> tuple:
    """One sampled pure state (seed 5 as in the paper's code; the next seed if a bath starts in its
    ground state, where β* = ∞ and no effective temperature exists): (seed, state, ds)."""
    for seed in range(5, 25):
        state = sampled_pure_state(model, CASES[case], np.random.default_rng(seed), 0.0)
        try:
            return seed, state, _simulate(model, state, times)
        except ConvergenceError:
            continue
    raise ConvergenceError("no sampled pure state with finite effective temperatures in seeds 5..24")


def _thermalized_entropy_production(model, state, case: str) -> float:
    """Σ once the model has thermalized, from conservation alone (no dynamics).

    Σ = ΔS_S + Σ_ν [𝒮_ν(final) − 𝒮_ν(0)] (seed 001, eq. 7) with the baths at the per-bath
    (β*, μ*) of the global grand-canonical ensemble fixed by the conserved energy and particle
    number (App. B) and the dot at that ensemble's occupation; 𝒮_ν(0) is the grand-canonical
    entropy at the initial (β*_ν,0, μ*_ν,0) of ``state`` (eqs. 5-6), which for a sampled pure state
    carry the realization's finite-size mismatch of energy and particle number (Sec. IV C).
    """
    beta, mu = global_equilibrium(model, state)
    final = global_bath_parameters(model, beta, mu)
    lam, vec = model.eigensystem()
    dot = (np.abs(vec[: model.n_system]) ** 2) @ fermi(beta * (lam - mu))
    occ = state.occupations
    sigma = float(np.sum(mode_entropy(dot, "fermion")) - np.sum(mode_entropy(occ[: model.n_system], "fermion")))
    for name, sl in model.bath_slices.items():
        eps = model.bath_energies[name]
        dist = CASES[case][name]
        b0, m0 = effective_beta_mu(eps, float(eps @ occ[sl]), float(occ[sl].sum()),
                                       guess=(float(dist.beta), float(dist.mu)), where=f"bath {name!r} at t=0")
        b1, m1 = final[name]
        sigma += float(np.sum(mode_entropy_from_log_odds(b1 * (eps - m1), "fermion"))
                       - np.sum(mode_entropy_from_log_odds(b0 * (eps - m0), "fermion")))
    return sigma


# -- compute: every simulation is one point of one sweep ------------------------------------------
def simulation_grid(sizes: Sizes) -> list[dict[str, Any]]:
    """The simulations of a reproduction, one sweep point each, longest first (load balance).

    ``kind`` is "trace" (Figs. 4, 5: Γt from 10⁻² to 10⁸), "pure" (Fig. 8: a sampled pure state
    at Γ = 3) or "window" (Fig. 6: the regime-III window at each Γ of ``sizes.couplings``).
    """
    traces = [{"kind": "trace", "case": c, "gamma": g} for c in CASES for g in TRACE_COUPLINGS]
    pures = [{"kind": "pure", "case": c, "gamma": TRACE_COUPLINGS[0]} for c in CASES]
    windows = [{"kind": "window", "case": c, "gamma": float(g)} for c in CASES for g in sizes.couplings]
    return traces + pures + windows


@dataclass(frozen=True)
class _Simulation:
    """The sweep task: one simulation of :func:`simulation_grid` as a Dataset along ``step``.

    Times differ between points, so ``time`` is a variable along an unindexed ``step`` dim (the
    sweep pads shorter runs with NaN; :func:`_unpadded` undoes it). Besides the simulation: the
    global equilibrium (β, μ) of App. B and its per-bath parameters (Fig. 4's reference), the
    thermalized Σ of :func:`_thermalized_entropy_production` (Fig. 8) and the pure state's seed;
    NaN (−1 for the seed) where a kind does not need them.
    """

    sizes: Sizes

    def sweep_fingerprint(self) -> str:
        """What a checkpoint must match: the sizes (a resume at another size is refused)."""
        return repr(self.sizes)

    def __call__(self, kind: str, case: str, gamma: float) -> Any:
        model = resonant_level(self.sizes.modes, WIDTH, gamma)
        seed = -1
        if kind == "window":
            state = thermal_state(model, CASES[case], 0.0)
            ds = _simulate(model, state, np.geomspace(*REGIME_III_TIMES, self.sizes.window_times))
        elif kind == "trace":
            state = thermal_state(model, CASES[case], 0.0)
            ds = _simulate(model, state, _times(gamma, self.sizes.times))
        else:
            seed, state, ds = _pure_run(model, case, _times(gamma, self.sizes.times))
        nan = np.full(len(model.bath_names), np.nan)
        extras = {"global_beta": np.nan, "global_mu": np.nan, "thermalized_entropy_production": np.nan,
                  "global_bath_beta": nan, "global_bath_mu": nan}
        if kind != "window":
            beta, mu = global_equilibrium(model, state)
            local = global_bath_parameters(model, beta, mu)
            extras.update(global_beta=beta, global_mu=mu,
                          thermalized_entropy_production=_thermalized_entropy_production(model, state, case),
                          global_bath_beta=np.array([local[n][0] for n in model.bath_names]),
                          global_bath_mu=np.array([local[n][1] for n in model.bath_names]))
        out = ds.drop_vars("time").rename_dims({"time": "step"})
        out["time"] = ("step", ds.time.values, dict(ds.time.attrs))
        for name, value in extras.items():
            out[name] = ("reservoir", value) if np.ndim(value) else ((), float(value))
        out["pure_state_seed"] = ((), np.int32(seed))
        return out


def _unpadded(point: Any) -> Any:
    """One point of the sweep back as :func:`simulate` returns it: NaN padding dropped, ``time`` dim."""
    point = point.drop_vars([c for c in ("kind", "case", "gamma", "point") if c in point.coords])
    n = int(np.count_nonzero(np.isfinite(point.time.values)))
    return point.isel(step=slice(0, n)).set_coords("time").swap_dims({"step": "time"})


def compute(sizes: Sizes, *, checkpoint: str | Path | None = None, resume: bool = False,
            executor: str = "serial", workers: int | None = None,
            progress: bool | None = None) -> dict[tuple[str, str, float], Any]:
    """Run every simulation of :func:`simulation_grid` as one sweep; (kind, case, Γ) -> Dataset.

    Parameters
    ----------
    sizes : Sizes
    checkpoint : path, optional
        Folder of the sweep's checkpoint (one file per finished simulation).
    resume : bool, default False
        Continue the run in ``checkpoint``: only the missing simulations run, and the result is
        identical to an uninterrupted run (both are read back from the checkpoint).
    executor, workers : see :func:`thermoflux.sweep.run`
        Worker processes get one BLAS thread each (:data:`FULL_WORKERS`).
    progress : bool, optional
        One progress bar over all simulations (default: on a terminal).

    Raises
    ------
    InputError
        ``checkpoint`` holds a run of other sizes (or is not a checkpoint folder), or holds
        finished simulations and ``resume`` is False; the message names the folder.
    ConvergenceError
        A simulation failed (its error is in the message).
    """
    from thermoflux import sweep

    points = simulation_grid(sizes)
    try:
        with warnings.catch_warnings():  # a failed simulation is raised below, not warned about
            warnings.simplefilter("ignore", sweep.PointFailedWarning)
            result = sweep.run(_Simulation(sizes), points, executor=executor, workers=workers,
                               checkpoint=checkpoint, resume=resume, retries=0, chunk_size=1, blas_threads=1,
                               progress=progress, summary=False)
    except InputError as exc:  # every point is valid by construction: only the checkpoint can refuse
        raise InputError(f"seed 001 at {sizes.describe()}: {exc}") from exc
    failed = json.loads(result.attrs["failed_points"])
    if failed:
        first = failed[0]
        raise ConvergenceError(f"seed 001: {len(failed)} simulations failed; first {first['parameters']}: "
                               f"{first['error']}: {first['message']}")
    return {(p["kind"], p["case"], p["gamma"]): _unpadded(result.isel(point=i)) for i, p in enumerate(points)}


def _of(runs: Mapping, kind: str) -> dict[tuple[str, float], Any]:
    """The runs of one kind, keyed by (case, Γ)."""
    return {(case, gamma): ds for (k, case, gamma), ds in runs.items() if k == kind}


def _window_rows(runs: Mapping) -> dict[str, list[tuple[float, Any]]]:
    """Fig. 6: per case, (Γ, regime-III average over :data:`REGIME_III_TIMES`) for every Γ."""
    return {case: [(gamma, window_average(ds, *REGIME_III_TIMES))
                   for (c, gamma), ds in _of(runs, "window").items() if c == case] for case in CASES}


# -- claims ---------------------------------------------------------------------------------------
def _identity_claims(traces: Mapping) -> list[Claim]:
    """Eqs. 12, 14 at every time, Σ >= 0 and σ >= Σ, and σ ≈ Σ deep in regime I."""
    worst12 = max(float(np.max(np.abs(ds.decomposition_residual.values))) for ds in traces.values())
    worst14 = max(float(np.max(np.abs((ds.entropy_produced_initial_temperatures - ds.entropy_produced
                                       - ds.finite_bath_effect).values))) for ds in traces.values())
    min_sigma = min(float(ds.entropy_produced.min()) for ds in traces.values())
    min_deq = min(float(ds.finite_bath_effect.min()) for ds in traces.values())
    ds_a3 = traces[("a", 3.0)]
    # Deep in regime I (Γt <= 0.1). D^eq_env ~ Q²/heat capacity ∝ 1/K, so at the reduced K = 100
    # σ and Σ part ~10× earlier than in the paper (at Γt ~ 0.3 they differ by ~10% here).
    early = ds_a3.isel(time=slice(1, None)).where(ds_a3.time[1:] * 3.0 <= 0.1, drop=True)
    rel = float(np.max((early.finite_bath_effect / early.entropy_produced).values))
    return [
        Claim("eq. 12: Σ = I_SB + I_LR + Σ_ν I_oν + D*_env at every time", worst12,
              f"<= {IDENTITY_TOL:g}", worst12 <= IDENTITY_TOL),
        Claim("eq. 14: σ − Σ = D^eq_env at every time", worst14, f"<= {IDENTITY_TOL:g}", worst14 <= IDENTITY_TOL),
        Claim("Σ(t) >= 0 (eq. 7) and σ(t) >= Σ(t) (eq. 14)", (min_sigma, min_deq), ">= -1e-9 both",
              min_sigma >= -IDENTITY_TOL and min_deq >= -IDENTITY_TOL),
        Claim("regime I: Σ ≈ σ (bath temperatures hardly change), Γt <= 0.1", rel, "(σ − Σ)/Σ < 0.05", rel < 0.05),
    ]


def _thermoelectric_claim(ds: Any, mus: np.ndarray, sizes: Sizes) -> Claim:
    """Case (b): μ*_L − μ*_R opens in regime II and closes again (Fig. 4 b)."""
    # Before the first Poincaré recurrence of the equally spaced bath levels (t < π/Δε);
    # later spikes of μ* are recurrences, not the thermoelectric effect.
    before = ds.time.values < np.pi / (WIDTH / (sizes.modes - 1))
    dmu = np.abs((ds.mu_eff.isel(reservoir=0) - ds.mu_eff.isel(reservoir=1)).values[before])
    final = float(abs(mus[0] - mus[1]))
    if sizes.paper:
        ok, expected = dmu.max() > 5e-3 and final < 0.5 * dmu.max(), "max |Δμ| > 5e-3, final < max/2"
    else:  # at K = 100 regime-III fluctuations of μ* (~0.01) are as large as the opening
        ok, expected = dmu.max() > 5e-3, "max |Δμ| > 5e-3 (closing checked only with full=True)"
    return Claim("case (b): transient thermoelectric effect — μ*_L − μ*_R opens in regime II (Fig. 4 b)",
                 (float(dmu.max()), final), expected, bool(ok))


def _thermalization_claims(traces: Mapping, sizes: Sizes) -> list[Claim]:
    """Fig. 4: regime III at the global equilibrium, heating in (a), the thermoelectric effect in (b)."""
    claims = []
    for case in CASES:
        ds = traces[(case, 3.0)]
        late = window_average(ds.isel(time=slice(1, None)), 1e5, 1e8, scale=3.0)
        betas, mus = late.beta_eff.values, late.mu_eff.values
        dev_b = float(np.max(np.abs(betas / ds.global_bath_beta.values - 1)))
        dev_m = float(np.max(np.abs(mus - ds.global_bath_mu.values)))
        claims.append(Claim(f"case ({case}), Γ = 3: in regime III both baths settle at the global "
                            "equilibrium (β*, μ*) (Fig. 4)", (dev_b, dev_m),
                            "relative β deviation < 0.05 and |Δμ| < 0.05", dev_b < 0.05 and dev_m < 0.05))
        if case == "a":
            claims.append(Claim("case (a): both baths heat up, settling below both initial β (Fig. 4 a-1)",
                                tuple(float(b) for b in betas), "< 2 (= β_R(0)) for both", bool(np.all(betas < 2.0))))
        else:
            claims.append(_thermoelectric_claim(ds, mus, sizes))
    for key, ds in traces.items():
        d = ds.normalized_distance.values
        if not (np.all(d >= -IDENTITY_TOL) and np.all(d <= 1.0)):
            claims.append(Claim(f"normalized distance in [0, 1] for {key}", (float(d.min()), float(d.max())),
                                "[0, 1]", False))
    claims.append(Claim("D[ρ_ν‖π_ν]/𝒮_ν lies in [0, 1] (Fig. 4, third row)",
                        max(float(ds.normalized_distance.max()) for ds in traces.values()), "<= 1",
                        all(float(ds.normalized_distance.max()) <= 1.0 for ds in traces.values())))
    return claims


def _regime_three_claims(windows: Mapping, rows: Mapping, sizes: Sizes) -> list[Claim]:
    """Fig. 6: the regime-III averages against Γ.

    Fig. 6 plots "the final value of the entropy production in regime III", the regime in which
    "the intensive thermodynamic variables (temperature and chemical potential) [settle] into
    a new final value" (Sec. IV A), and "to filter out fluctuations, we average all quantities
    from Γt = 10⁵ to Γt = 10⁸". Regime II ends when the baths have exchanged their heat
    through the dot, after a time t set by the level spacing, not by Γt (the dot transmits
    ≈ 1 near the Fermi level for every Γ >= 3): at K = 1000 the Γt window is regime III at
    small Γ, but at Γ = 10³ it is t ∈ [10², 10⁵], where μ*_L − μ*_R still swings by ±1.4 in
    case (a) until t ≈ 2·10⁴. Every Γ is therefore averaged over the paper's window at Γ = 3,
    t ∈ [10⁵, 10⁸]/3, and with full=True a claim checks that this window is regime III.
    """
    claims = []
    for case in CASES:
        averages = [w for _, w in rows[case]]
        gaps = [(float(np.mean(np.abs(ds.beta_eff.values[:, 0] / ds.beta_eff.values[:, 1] - 1))),
                 float(np.mean(np.abs(ds.mu_eff.values[:, 0] - ds.mu_eff.values[:, 1]))))
                for (c, _), ds in windows.items() if c == case]
        worst = (max(g[0] for g in gaps), max(g[1] for g in gaps))
        # Measured at K = 1000, worst Γ: window means of |Δμ*| 0.022 (a), 0.017 (b) (rare revivals
        # reach |Δμ*| = 0.2 at one of 22 times) and of |β*_L/β*_R − 1| 0.009; over the Γt window at
        # Γ = 10³ the mean |Δμ*| is 0.52 (case a). At K = 100 |Δμ*| is ≈ 0.14 throughout regime III
        # (finite size), so this is checked only with full=True.
        if sizes.paper:
            claims.append(Claim(f"case ({case}): the Fig. 6 averages lie in regime III, both baths at one "
                                "(β*, μ*) (Sec. IV A)", tuple(round(v, 4) for v in worst),
                                f"window mean of |β*_L/β*_R − 1| and of |μ*_L − μ*_R| < {SETTLED_TOL:g}",
                                worst[0] < SETTLED_TOL and worst[1] < SETTLED_TOL))
        deq_largest = all(float(w.finite_bath_effect) > max(float(w.entropy_produced), float(w.bath_bath_mutual_information),
                                                               float(w.local_athermality)) for w in averages)
        claims.append(Claim(f"case ({case}): D^eq_env is by far the largest term in regime III (Fig. 6)",
                            [round(float(w.finite_bath_effect) / float(w.entropy_produced), 2) for w in averages],
                            "D^eq / Σ > 1 for every Γ", deq_largest))
        isb = [float(w.system_bath_mutual_information_normalized) for w in averages]
        claims.append(Claim(f"case ({case}): I_SB exceeds the classical bound for every Γ (Fig. 6)",
                            [round(v, 3) for v in isb], "I_SB / ln 2 > 1", min(isb) > 1.0))
        # "The most dominant contribution to Σ(t) is roughly equally shared by the interbath
        # correlation I_L-R(t) and the local athermality D*_env(t), whereas the intrabath
        # correlations I_oν(t) lack a bit behind" (Sec. IV B). At K = 1000 D*_env / max I_oν is
        # 1.6-2.2 (a) and 1.5-1.9 (b) over the Γ range; at K = 100 D*_env and I_oν are equal within
        # their regime-III fluctuations at Γ = 100 in case (a) (4.84 vs 4.81 averaged over 192
        # times), so D*_env is checked only with full=True.
        ilr_dom = all(float(w.bath_bath_mutual_information) > float(w.intrabath_correlation.max()) for w in averages)
        d_dom = all(float(w.local_athermality) > float(w.intrabath_correlation.max()) for w in averages)
        claims.append(Claim(f"case ({case}): I_LR and D*_env each exceed each I_oν in regime III (Fig. 6)",
                            [(round(float(w.bath_bath_mutual_information), 2), round(float(w.local_athermality), 2),
                              round(float(w.intrabath_correlation.max()), 2)) for w in averages],
                            "I_LR, D* > max_ν I_oν" if sizes.paper else
                            "I_LR > max_ν I_oν (D*_env checked only with full=True)",
                            ilr_dom and (d_dom or not sizes.paper)))
        ilr = np.array([float(w.bath_bath_mutual_information) for w in averages])
        claims.append(Claim(f"case ({case}): interbath correlation insensitive to Γ (Fig. 6)",
                            float(ilr.max() / ilr.min()), "max/min < 2 over the Γ range", ilr.max() / ilr.min() < 2))
    return claims


def _pure_state_claims(traces: Mapping, pures: Mapping) -> list[Claim]:
    """Fig. 8 and Sec. IV C: a sampled pure state against the thermal ensemble, at Γ = 3."""
    claims = []
    for case in CASES:
        pure, ens = pures[(case, 3.0)], traces[(case, 3.0)]
        worst23 = float(np.max(np.abs(pure.decomposition_residual.values)))
        claims.append(Claim(f"case ({case}): eq. 23 holds for a sampled pure state", worst23,
                            f"<= {IDENTITY_TOL:g}", worst23 <= IDENTITY_TOL))
        late_p = window_average(pure.isel(time=slice(1, None)), 1e5, 1e8, scale=3.0)
        late_e = window_average(ens.isel(time=slice(1, None)), 1e5, 1e8, scale=3.0)
        s_pure, s_ens = float(late_p.entropy_produced), float(late_e.entropy_produced)
        # Sec. IV C: "Some discrepancies exist, but they could well be explained by finite size
        # corrections, which, among other things, cause an initial slight mismatch in temperature
        # and chemical potential (or energy and particle number, respectively) in each
        # realization." The paper claims agreement up to that mismatch, not within a fixed margin:
        # a realization's late Σ follows its own initial (E, N) — at K = 1000 in case (b) it
        # spreads by 12% of Σ over realizations, and the realization drawn here lies 26% above
        # the ensemble (60.6 vs 48.1). So the claim removes the mismatch, predicted without
        # dynamics from conservation (App. B), and then asks for agreement.
        mismatch = float(pure.thermalized_entropy_production) - float(ens.thermalized_entropy_production)
        off = abs(s_pure - mismatch - s_ens) / s_ens
        # Measured off: 0.0003 (a), 0.004 (b) at K = 1000; 0.004 (a), 0.008 (b) at K = 100. The
        # tolerance is ~6x the largest; before removing the mismatch, off is 0.26 (b, K = 1000).
        claims.append(Claim(f"case ({case}): late-time Σ of a pure state agrees with the ensemble once "
                            "the realization's initial (E, N) mismatch is removed (Fig. 8, Sec. IV C)",
                            (round(s_pure, 3), round(s_ens, 3), round(mismatch, 3)),
                            "|Σ_pure − mismatch − Σ_ens| < 0.05 Σ_ens", off < 0.05))
        net = float(late_p.local_athermality) - float(pure.initial_local_athermality)
        claims.append(Claim(f"case ({case}): for a pure state D*_env(t) − D*_env(0) is negative in regime III "
                            "(Sec. IV C)", round(net, 3), "< 0", net < 0))
        corr = (float(late_p.bath_bath_mutual_information), float(late_e.bath_bath_mutual_information))
        claims.append(Claim(f"case ({case}): final interbath correlation larger for the pure state (Fig. 8 a-4, b-4)",
                            tuple(round(c, 3) for c in corr), "pure > ensemble", corr[0] > corr[1]))
        d0 = float(pure.initial_local_athermality)
        claims.append(Claim(f"case ({case}): D*_env(0) > 0 for a pure state (Fig. 8 a-5, b-5)", d0, "> 0", d0 > 0))
    return claims


def check_claims(runs: Mapping, sizes: Sizes) -> list[Claim]:
    """The paper's claims on the results of :func:`compute`, in the order of its figures."""
    traces = _of(runs, "trace")
    return (_identity_claims(traces) + _thermalization_claims(traces, sizes)
            + _regime_three_claims(_of(runs, "window"), _window_rows(runs), sizes)
            + _pure_state_claims(traces, _of(runs, "pure")))


# -- figures --------------------------------------------------------------------------------------
def draw_figures(runs: Mapping, outdir: Path) -> list[Path]:
    """Figs. 4, 5, 6 and 8 of seed 001 from the results of :func:`compute`, as PNGs in ``outdir``."""
    traces, pures = _of(runs, "trace"), _of(runs, "pure")
    pairs = {key: (traces[key], pure, int(pure.pure_state_seed)) for key, pure in pures.items()}
    return [fig4(traces, outdir), fig5({key: traces[key] for key in pures}, outdir),
            fig6(_window_rows(runs), outdir), fig8(pairs, outdir)]


def reproduce(outdir: Path, *, full: bool = False, resume: bool = False) -> Report:
    """Regenerate Figs. 4, 5, 6, 8 of seed 001 and check its claims: compute, claims, figures.

    Parameters
    ----------
    outdir : pathlib.Path
        Folder for the PNG figures (created if missing) and, with ``full`` or ``resume``, the
        checkpoint folder ``outdir/checkpoint``.
    full : bool, default False
        The paper's sizes (:data:`FULL`: K = 1000, 200 times, six couplings for Fig. 6) in
        :data:`FULL_WORKERS` worker processes, with a checkpoint after every simulation, instead
        of :data:`REDUCED` (K = 100) in this process.
    resume : bool, default False
        Continue an interrupted run from ``outdir/checkpoint``: only the missing simulations
        run, and the report is identical to an uninterrupted run's.

    Returns
    -------
    thermoflux.reproduce.Report

    Raises
    ------
    InputError
        ``outdir/checkpoint`` holds a run of the other size, or holds a finished or partial
        run and ``resume`` is False (pass ``resume=True`` / ``--resume``, or delete it).
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    sizes = FULL if full else REDUCED
    checkpoint = outdir / "checkpoint" if (full or resume) else None
    runs = compute(sizes, checkpoint=checkpoint, resume=resume, executor="processes" if full else "serial",
                   workers=FULL_WORKERS if full else None)
    # The paper runs its finite baths on purpose past the recurrence time and into their own
    # thermalization (regime III): the audit says so, as warnings, next to the claims.
    audits = {f"case (a), Γ = 3, K = {sizes.modes} modes per bath, times up to Γt = 1e8":
              resonant_level(sizes.modes, WIDTH, 3.0).audit(CASES["a"], times=_times(3.0, sizes.times))}
    return Report(SEED, TITLE, figures=draw_figures(runs, outdir), claims=check_claims(runs, sizes),
                  audits=audits)

"""Seed 001 (Usui, Ptaszyński, Esposito, Strasberg): Figs. 4, 5, 6 and 8 and the paper's claims.

The single electron transistor of Sec. III (W = 10, ε_d = 0, n_d = 0, β_L = 10, β_R = 2) in
case (a) μ_L = −μ_R = 1 and case (b) μ_L = μ_R = 0.5, evolved with
:func:`thermoflux.finite_baths.simulate` from Γt = 10⁻² to 10⁸. ``full=False`` uses K = 100 modes
per bath (Δε = 0.1 ≪ Γ) and fewer times and couplings, so it runs in well under a minute;
``full=True`` uses the paper's K = 1000 and 200 times (hours on a shared 2-core machine).

At K = 100 the finite-size terms are larger than in the paper (regime-III fluctuations of μ* are
as large as case (b)'s thermoelectric opening, so its closing is checked only with ``full=True``): the global grand-canonical
reference of App. B includes the system–bath interaction energy, which does not grow with K, so
the thermalization claim is checked at Γ = 3 against the per-bath parameters of the global
ensemble (:func:`~thermoflux.finite_baths.simulate.global_bath_parameters`); D*_env and I_oν are equal
within their regime-III fluctuations at Γ = 100, so D*_env > I_oν (Fig. 6) is checked only with
``full=True``. Fig. 6 averages every Γ over the times t of the paper's regime-III window at Γ = 3
(Γt ∈ [10⁵, 10⁸]): regime II ends at a time t, not Γt (see :func:`reproduce`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from thermoflux.distributions import FermiDirac, fermi
from thermoflux.entropy import mode_entropy, mode_entropy_from_log_odds
from thermoflux.errors import ConvergenceError
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

__all__ = ["SEED", "TITLE", "reproduce"]

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
#: Γ = 3, the coupling of Figs. 4, 5 and 8 (see the Fig. 6 block of :func:`reproduce`).
REGIME_III_TIMES = (1e5 / 3.0, 1e8 / 3.0)
#: Regime III: both baths at one (β*, μ*) — relative β* difference and |Δμ*| below this, the
#: thermalization tolerance of the Fig. 4 claims.
SETTLED_TOL = 0.05


def _times(gamma: float, num: int, start: float = 1e-2, stop: float = 1e8, zero: bool = True) -> np.ndarray:
    t = np.geomspace(start, stop, num) / gamma
    return np.concatenate([[0.0], t]) if zero else t


def _run(k: int, gamma: float, case: str, num: int, blas_threads: int | None) -> tuple:
    model = resonant_level(k, WIDTH, gamma)
    state = thermal_state(model, CASES[case], 0.0)
    ds = simulate(model, state, _times(gamma, num), blas_threads=blas_threads, progress=None, site_occupations=False)
    return model, state, ds


def _pure_run(k: int, gamma: float, case: str, num: int, blas_threads: int | None) -> tuple:
    """One sampled pure state (seed 5 as in the paper's code; the next seed if a bath starts in its
    ground state, where β* = ∞ and no effective temperature exists): (seed, model, state, ds)."""
    model = resonant_level(k, WIDTH, gamma)
    for seed in range(5, 25):
        state = sampled_pure_state(model, CASES[case], np.random.default_rng(seed), 0.0)
        try:
            ds = simulate(model, state, _times(gamma, num), blas_threads=blas_threads, site_occupations=False)
        except ConvergenceError:
            continue
        return seed, model, state, ds
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


def _pyplot():
    """matplotlib.pyplot on the Agg backend (imported only when drawing)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: Path) -> Path:
    from thermoflux.plotting import save_figure

    fig.tight_layout()
    return save_figure(fig, path, dpi=90)


def _log_time(ds, gamma):
    return np.log10(np.maximum(ds.time.values[1:] * gamma, 1e-300))


def _fig4(runs: dict, refs: dict, outdir: Path) -> Path:
    plt = _pyplot()
    keys = list(runs)
    fig, axes = plt.subplots(3, len(keys), figsize=(3.2 * len(keys), 7.5), sharex=True, squeeze=False)
    for j, key in enumerate(keys):
        case, gamma = key
        ds = runs[key][2]
        x = _log_time(ds, gamma)
        for b, name in enumerate(ds.reservoir.values):
            axes[0, j].plot(x, ds.beta_eff.values[1:, b], lw=2, label=rf"$\beta^*_{{{name},t}}$")
            axes[1, j].plot(x, ds.mu_eff.values[1:, b], lw=2, label=rf"$\mu^*_{{{name},t}}$")
            axes[2, j].plot(x, ds.normalized_distance.values[1:, b], lw=2, label=name)
        axes[0, j].axhline(refs[key][0], color="k", ls="--", lw=1)
        axes[1, j].axhline(refs[key][1], color="k", ls="--", lw=1)
        axes[0, j].set_title(f"case ({case}), Γ = {gamma:g}")
        axes[2, j].set_xlabel(r"$\log_{10}\Gamma t$")
        axes[2, j].set_ylim(-0.05, 1.05)
    axes[0, 0].set_ylabel(r"$\beta^*$")
    axes[1, 0].set_ylabel(r"$\mu^*$")
    axes[2, 0].set_ylabel(r"$D[\rho_\nu\|\pi_\nu]/\mathcal{S}_\nu$")
    axes[0, 0].legend(fontsize=7)
    return _save(fig, outdir / "seed001_fig4_temperatures.png")


def _fig5(runs: dict, outdir: Path) -> Path:
    plt = _pyplot()
    fig, axes = plt.subplots(2, len(runs), figsize=(4.2 * len(runs), 7), sharex=True, squeeze=False)
    for j, (key, ds) in enumerate(runs.items()):
        case, gamma = key
        x = _log_time(ds, gamma)
        d = ds.isel(time=slice(1, None))
        i_o = d.intrabath_correlation.sum("reservoir")
        lines = {r"$\sigma$": d.entropy_produced_initial_temperatures,
                 r"$\Sigma$": d.entropy_produced,
                 r"$I_{SB}+I_{LR}+\sum I_\nu$": d.system_bath_mutual_information + d.bath_bath_mutual_information + i_o,
                 r"$I_{SB}+I_{LR}$": d.system_bath_mutual_information + d.bath_bath_mutual_information,
                 r"$I_{SB}$": d.system_bath_mutual_information}
        for label, y in lines.items():
            axes[0, j].plot(x, np.maximum(y.values, 1e-12), label=label)
        for label, y in ((r"$I_{LR}$", d.bath_bath_mutual_information),
                         (r"$I_{oL}$", d.intrabath_correlation.isel(reservoir=0)),
                         (r"$I_{oR}$", d.intrabath_correlation.isel(reservoir=1)),
                         (r"$I_{SB}$", d.system_bath_mutual_information)):
            axes[1, j].plot(x, np.maximum(y.values, 1e-12), label=label)
        for ax in axes[:, j]:
            ax.set_yscale("log")
        axes[0, j].set_title(f"case ({case}), Γ = {gamma:g}")
        axes[1, j].set_xlabel(r"$\log_{10}\Gamma t$")
    axes[0, 0].legend(fontsize=7)
    axes[1, 0].legend(fontsize=7)
    return _save(fig, outdir / "seed001_fig5_entropy_production.png")


def _fig6(averages: dict, outdir: Path) -> Path:
    plt = _pyplot()
    fig, axes = plt.subplots(2, len(averages), figsize=(4.2 * len(averages), 7), squeeze=False)
    for j, (case, rows) in enumerate(averages.items()):
        gammas = np.array([g for g, _ in rows])
        get = lambda name, b=None: np.array([float(w[name] if b is None else w[name][b]) for _, w in rows])  # noqa: E731
        for name, label in (("system_bath_mutual_information", r"$I_{SB}$"),
                            ("bath_bath_mutual_information", r"$I_{LR}$"),
                            ("local_athermality", r"$D^*_{env}$"),
                            ("finite_bath_effect", r"$D^{eq}_{env}$"),
                            ("entropy_produced", r"$\Sigma$")):
            axes[0, j].loglog(gammas, get(name), "o-", label=label)
        axes[0, j].loglog(gammas, get("intrabath_correlation", 0), "^-", label=r"$I_{oL}$")
        axes[0, j].loglog(gammas, get("intrabath_correlation", 1), "v-", label=r"$I_{oR}$")
        axes[1, j].loglog(gammas, get("system_bath_mutual_information_normalized"), "o-", label=r"$I_{SB}/I^{max}_{cl}$")
        axes[1, j].loglog(gammas, get("bath_bath_mutual_information_normalized"), "s-", label=r"$I_{LR}/I^{max}_{cl}$")
        axes[1, j].loglog(gammas, get("intrabath_correlation_normalized", 0), "^-", label=r"$I_{oL}/I^{max}_{cl}$")
        axes[1, j].axhline(1.0, color="grey", ls="--")
        axes[0, j].set_title(f"case ({case}): regime III, t ∈ [10⁵, 10⁸]/3")
        axes[1, j].set_xlabel(r"$\Gamma$")
    axes[0, 0].legend(fontsize=7)
    axes[1, 0].legend(fontsize=7)
    return _save(fig, outdir / "seed001_fig6_regime_three.png")


def _fig8(pairs: dict, outdir: Path) -> Path:
    plt = _pyplot()
    fig, axes = plt.subplots(5, len(pairs), figsize=(4.2 * len(pairs), 12), sharex=True, squeeze=False)
    for j, (key, (ens, pure, seed)) in enumerate(pairs.items()):
        case, gamma = key
        for ds, style in ((ens, dict(color="grey", lw=4)), (pure, dict(lw=1))):
            x = _log_time(ds, gamma)
            d = ds.isel(time=slice(1, None))
            for b in range(d.sizes["reservoir"]):
                axes[0, j].plot(x, d.beta_eff.values[:, b], **style)
                axes[1, j].plot(x, d.mu_eff.values[:, b], **style)
            axes[2, j].plot(x, d.entropy_produced.values, **style)
            axes[2, j].plot(x, d.entropy_produced_initial_temperatures.values, ls=":", **style)
            axes[3, j].plot(x, d.bath_bath_mutual_information.values, **style)
            axes[3, j].plot(x, d.system_bath_mutual_information.values, ls="--", **style)
            axes[4, j].plot(x, d.local_athermality.values - float(ds.initial_local_athermality), **style)
        axes[0, j].set_title(f"case ({case}), Γ = {gamma:g}; pure state seed {seed}")
        axes[4, j].set_xlabel(r"$\log_{10}\Gamma t$")
    for i, lab in enumerate((r"$\beta^*$", r"$\mu^*$", r"$\Sigma,\ \sigma$", r"$I_{LR},\ I_{SB}$",
                             r"$D^*(t)-D^*(0)$")):
        axes[i, 0].set_ylabel(lab)
    return _save(fig, outdir / "seed001_fig8_pure_states.png")


def reproduce(outdir: Path, *, full: bool = False) -> Report:
    """Regenerate Figs. 4, 5, 6, 8 of seed 001 and check its claims.

    Parameters
    ----------
    outdir : pathlib.Path
        Folder for the PNG figures (created if missing).
    full : bool, default False
        The paper's sizes (K = 1000, 200 times, six couplings for Fig. 6) instead of K = 100.

    Returns
    -------
    thermoflux.reproduce.Report
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    k, num = (1000, 200) if full else (100, 50)
    gammas6 = 10.0 ** np.arange(0.5, 3.01, 0.5) if full else 10.0 ** np.array([0.5, 1.0, 1.5, 2.0])
    blas_threads = None
    claims: list[Claim] = []

    runs, refs = {}, {}
    for case in ("a", "b"):
        for gamma in (3.0, 30.0):
            model, state, ds = _run(k, gamma, case, num, blas_threads)
            runs[(case, gamma)] = (model, state, ds)
            refs[(case, gamma)] = global_equilibrium(model, state)

    # -- identities (eqs. 12, 14) and signs ------------------------------------------------
    worst12 = max(float(np.max(np.abs(r[2].decomposition_residual.values))) for r in runs.values())
    worst14 = max(float(np.max(np.abs((r[2].entropy_produced_initial_temperatures - r[2].entropy_produced
                                       - r[2].finite_bath_effect).values))) for r in runs.values())
    claims.append(Claim("eq. 12: Σ = I_SB + I_LR + Σ_ν I_oν + D*_env at every time", worst12,
                        f"<= {IDENTITY_TOL:g}", worst12 <= IDENTITY_TOL))
    claims.append(Claim("eq. 14: σ − Σ = D^eq_env at every time", worst14, f"<= {IDENTITY_TOL:g}",
                        worst14 <= IDENTITY_TOL))
    min_sigma = min(float(r[2].entropy_produced.min()) for r in runs.values())
    min_deq = min(float(r[2].finite_bath_effect.min()) for r in runs.values())
    claims.append(Claim("Σ(t) >= 0 (eq. 7) and σ(t) >= Σ(t) (eq. 14)", (min_sigma, min_deq),
                        ">= -1e-9 both", min_sigma >= -IDENTITY_TOL and min_deq >= -IDENTITY_TOL))
    ds_a3 = runs[("a", 3.0)][2]
    # Deep in regime I (Γt <= 0.1). D^eq_env ~ Q²/heat capacity ∝ 1/K, so at the reduced K = 100
    # σ and Σ part ~10× earlier than in the paper (at Γt ~ 0.3 they differ by ~10% here).
    early = ds_a3.isel(time=slice(1, None)).where(ds_a3.time[1:] * 3.0 <= 0.1, drop=True)
    rel = float(np.max((early.finite_bath_effect / early.entropy_produced).values))
    claims.append(Claim("regime I: Σ ≈ σ (bath temperatures hardly change), Γt <= 0.1", rel,
                        "(σ − Σ)/Σ < 0.05", rel < 0.05))

    # -- thermalization (Fig. 4) -----------------------------------------------------------
    for case in ("a", "b"):
        model, state, ds = runs[(case, 3.0)]
        late = window_average(ds.isel(time=slice(1, None)), 1e5, 1e8, scale=3.0)
        local = global_bath_parameters(model, *refs[(case, 3.0)])
        betas = late.beta_eff.values
        mus = late.mu_eff.values
        dev_b = max(abs(betas[j] / local[n][0] - 1) for j, n in enumerate(model.bath_names))
        dev_m = max(abs(mus[j] - local[n][1]) for j, n in enumerate(model.bath_names))
        claims.append(Claim(f"case ({case}), Γ = 3: in regime III both baths settle at the global "
                            "equilibrium (β*, μ*) (Fig. 4)", (dev_b, dev_m),
                            "relative β deviation < 0.05 and |Δμ| < 0.05", dev_b < 0.05 and dev_m < 0.05))
        if case == "a":
            claims.append(Claim("case (a): both baths heat up, settling below both initial β (Fig. 4 a-1)",
                                tuple(float(b) for b in betas), "< 2 (= β_R(0)) for both", bool(np.all(betas < 2.0))))
        else:
            # Before the first Poincaré recurrence of the equally spaced bath levels (t < π/Δε);
            # later spikes of μ* are recurrences, not the thermoelectric effect.
            before = ds.time.values < np.pi / (WIDTH / (k - 1))
            dmu = np.abs((ds.mu_eff.isel(reservoir=0) - ds.mu_eff.isel(reservoir=1)).values[before])
            final = float(abs(mus[0] - mus[1]))
            if full:
                ok, expected = dmu.max() > 5e-3 and final < 0.5 * dmu.max(), "max |Δμ| > 5e-3, final < max/2"
            else:  # at K = 100 regime-III fluctuations of μ* (~0.01) are as large as the opening
                ok, expected = dmu.max() > 5e-3, "max |Δμ| > 5e-3 (closing checked only with full=True)"
            claims.append(Claim("case (b): transient thermoelectric effect — μ*_L − μ*_R opens in regime II "
                                "(Fig. 4 b)", (float(dmu.max()), final), expected, bool(ok)))
    for key, (_, _, ds) in runs.items():
        d = ds.normalized_distance.values
        if not (np.all(d >= -IDENTITY_TOL) and np.all(d <= 1.0)):
            claims.append(Claim(f"normalized distance in [0, 1] for {key}", (float(d.min()), float(d.max())),
                                "[0, 1]", False))
    claims.append(Claim("D[ρ_ν‖π_ν]/𝒮_ν lies in [0, 1] (Fig. 4, third row)",
                        max(float(r[2].normalized_distance.max()) for r in runs.values()), "<= 1",
                        all(float(r[2].normalized_distance.max()) <= 1.0 for r in runs.values())))

    # -- regime III vs coupling (Fig. 6) -------------------------------------------------------
    # Fig. 6 plots "the final value of the entropy production in regime III", the regime in which
    # "the intensive thermodynamic variables (temperature and chemical potential) [settle] into
    # a new final value" (Sec. IV A), and "to filter out fluctuations, we average all quantities
    # from Γt = 10⁵ to Γt = 10⁸". Regime II ends when the baths have exchanged their heat
    # through the dot, after a time t set by the level spacing, not by Γt (the dot transmits
    # ≈ 1 near the Fermi level for every Γ >= 3): at K = 1000 the Γt window is regime III at
    # small Γ, but at Γ = 10³ it is t ∈ [10², 10⁵], where μ*_L − μ*_R still swings by ±1.4 in
    # case (a) until t ≈ 2·10⁴. Every Γ is therefore averaged over the paper's window at Γ = 3,
    # t ∈ [10⁵, 10⁸]/3, and with full=True a claim checks that this window is regime III.
    averages: dict[str, list] = {}
    for case in ("a", "b"):
        rows, gaps = [], []
        for gamma in gammas6:
            model = resonant_level(k, WIDTH, float(gamma))
            state = thermal_state(model, CASES[case], 0.0)
            ds = simulate(model, state, np.geomspace(*REGIME_III_TIMES, 12 if not full else 22),
                          blas_threads=blas_threads, site_occupations=False)
            rows.append((float(gamma), window_average(ds, *REGIME_III_TIMES)))
            beta, mu = ds.beta_eff.values, ds.mu_eff.values
            gaps.append((float(np.mean(np.abs(beta[:, 0] / beta[:, 1] - 1))), float(np.mean(np.abs(mu[:, 0] - mu[:, 1])))))
        averages[case] = rows
        worst = (max(g[0] for g in gaps), max(g[1] for g in gaps))
        # Measured at K = 1000, worst Γ: window means of |Δμ*| 0.022 (a), 0.017 (b) (rare revivals
        # reach |Δμ*| = 0.2 at one of 22 times) and of |β*_L/β*_R − 1| 0.009; over the Γt window at
        # Γ = 10³ the mean |Δμ*| is 0.52 (case a). At K = 100 |Δμ*| is ≈ 0.14 throughout regime III
        # (finite size), so this is checked only with full=True.
        if full:
            claims.append(Claim(f"case ({case}): the Fig. 6 averages lie in regime III, both baths at one "
                                "(β*, μ*) (Sec. IV A)", tuple(round(v, 4) for v in worst),
                                f"window mean of |β*_L/β*_R − 1| and of |μ*_L − μ*_R| < {SETTLED_TOL:g}",
                                worst[0] < SETTLED_TOL and worst[1] < SETTLED_TOL))
        deq_largest = all(float(w.finite_bath_effect) > max(float(w.entropy_produced), float(w.bath_bath_mutual_information),
                                                               float(w.local_athermality)) for _, w in rows)
        claims.append(Claim(f"case ({case}): D^eq_env is by far the largest term in regime III (Fig. 6)",
                            [round(float(w.finite_bath_effect) / float(w.entropy_produced), 2) for _, w in rows],
                            "D^eq / Σ > 1 for every Γ", deq_largest))
        isb = [float(w.system_bath_mutual_information_normalized) for _, w in rows]
        claims.append(Claim(f"case ({case}): I_SB exceeds the classical bound for every Γ (Fig. 6)",
                            [round(v, 3) for v in isb], "I_SB / ln 2 > 1", min(isb) > 1.0))
        # "The most dominant contribution to Σ(t) is roughly equally shared by the interbath
        # correlation I_L-R(t) and the local athermality D*_env(t), whereas the intrabath
        # correlations I_oν(t) lack a bit behind" (Sec. IV B). At K = 1000 D*_env / max I_oν is
        # 1.6-2.2 (a) and 1.5-1.9 (b) over the Γ range; at K = 100 D*_env and I_oν are equal within
        # their regime-III fluctuations at Γ = 100 in case (a) (4.84 vs 4.81 averaged over 192
        # times), so D*_env is checked only with full=True.
        ilr_dom = all(float(w.bath_bath_mutual_information) > float(w.intrabath_correlation.max()) for _, w in rows)
        d_dom = all(float(w.local_athermality) > float(w.intrabath_correlation.max()) for _, w in rows)
        claims.append(Claim(f"case ({case}): I_LR and D*_env each exceed each I_oν in regime III (Fig. 6)",
                            [(round(float(w.bath_bath_mutual_information), 2), round(float(w.local_athermality), 2),
                              round(float(w.intrabath_correlation.max()), 2)) for _, w in rows],
                            "I_LR, D* > max_ν I_oν" if full else
                            "I_LR > max_ν I_oν (D*_env checked only with full=True)",
                            ilr_dom and (d_dom or not full)))
        ilr = np.array([float(w.bath_bath_mutual_information) for _, w in rows])
        claims.append(Claim(f"case ({case}): interbath correlation insensitive to Γ (Fig. 6)",
                            float(ilr.max() / ilr.min()), "max/min < 2 over the Γ range", ilr.max() / ilr.min() < 2))

    # -- pure states (Fig. 8) --------------------------------------------------------------
    pairs = {}
    for case in ("a", "b"):
        seed, model, pure_state, pure = _pure_run(k, 3.0, case, num, blas_threads)
        _, ens_state, ens = runs[(case, 3.0)]
        pairs[(case, 3.0)] = (ens, pure, seed)
        worst23 = float(np.max(np.abs(pure.decomposition_residual.values)))
        claims.append(Claim(f"case ({case}): eq. 23 holds for a sampled pure state", worst23,
                            f"<= {IDENTITY_TOL:g}", worst23 <= IDENTITY_TOL))
        s_pure = float(window_average(pure.isel(time=slice(1, None)), 1e5, 1e8, scale=3.0).entropy_produced)
        s_ens = float(window_average(ens.isel(time=slice(1, None)), 1e5, 1e8, scale=3.0).entropy_produced)
        # Sec. IV C: "Some discrepancies exist, but they could well be explained by finite size
        # corrections, which, among other things, cause an initial slight mismatch in temperature
        # and chemical potential (or energy and particle number, respectively) in each
        # realization." The paper claims agreement up to that mismatch, not within a fixed margin:
        # a realization's late Σ follows its own initial (E, N) — at K = 1000 in case (b) it
        # spreads by 12% of Σ over realizations, and the realization drawn here lies 26% above
        # the ensemble (60.6 vs 48.1). So the claim removes the mismatch, predicted without
        # dynamics from conservation (App. B), and then asks for agreement.
        mismatch = (_thermalized_entropy_production(model, pure_state, case)
                    - _thermalized_entropy_production(model, ens_state, case))
        off = abs(s_pure - mismatch - s_ens) / s_ens
        # Measured off: 0.0003 (a), 0.004 (b) at K = 1000; 0.004 (a), 0.008 (b) at K = 100. The
        # tolerance is ~6x the largest; before removing the mismatch, off is 0.26 (b, K = 1000).
        claims.append(Claim(f"case ({case}): late-time Σ of a pure state agrees with the ensemble once "
                            "the realization's initial (E, N) mismatch is removed (Fig. 8, Sec. IV C)",
                            (round(s_pure, 3), round(s_ens, 3), round(mismatch, 3)),
                            "|Σ_pure − mismatch − Σ_ens| < 0.05 Σ_ens", off < 0.05))
        late_p = window_average(pure.isel(time=slice(1, None)), 1e5, 1e8, scale=3.0)
        late_e = window_average(ens.isel(time=slice(1, None)), 1e5, 1e8, scale=3.0)
        net = float(late_p.local_athermality) - float(pure.initial_local_athermality)
        claims.append(Claim(f"case ({case}): for a pure state D*_env(t) − D*_env(0) is negative in regime III "
                            "(Sec. IV C)", round(net, 3), "< 0", net < 0))
        corr = (float(late_p.bath_bath_mutual_information), float(late_e.bath_bath_mutual_information))
        claims.append(Claim(f"case ({case}): final interbath correlation larger for the pure state (Fig. 8 a-4, b-4)",
                            tuple(round(c, 3) for c in corr), "pure > ensemble", corr[0] > corr[1]))
        d0 = float(pure.initial_local_athermality)
        claims.append(Claim(f"case ({case}): D*_env(0) > 0 for a pure state (Fig. 8 a-5, b-5)", d0, "> 0", d0 > 0))

    figures = [_fig4(runs, refs, outdir), _fig5({key: runs[key][2] for key in (("a", 3.0), ("b", 3.0))}, outdir),
               _fig6(averages, outdir), _fig8(pairs, outdir)]
    # The paper runs its finite baths on purpose past the recurrence time and into their own
    # thermalization (regime III): the audit says so, as warnings, next to the claims.
    audited = runs[("a", 3.0)][0]
    audits = {f"case (a), Γ = 3, K = {k} modes per bath, times up to Γt = 1e8":
              audited.audit(CASES["a"], times=_times(3.0, num))}
    return Report(SEED, TITLE, figures=figures, claims=claims, audits=audits)

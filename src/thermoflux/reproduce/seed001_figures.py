"""Seed 001's Figs. 4, 5, 6 and 8, drawn from the results of :func:`thermoflux.reproduce.seed001.compute`.

Drawing only: every number comes from the Datasets of the simulations (the time traces of
:func:`thermoflux.finite_baths.simulate`) and the regime-III averages; matplotlib is imported when
a figure is drawn.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["fig4", "fig5", "fig6", "fig8"]


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


def fig4(runs: dict, outdir: Path) -> Path:
    """β*, μ* and D[ρ_ν‖π_ν]/𝒮_ν of both baths against log Γt, per (case, Γ) (Fig. 4)."""
    plt = _pyplot()
    keys = list(runs)
    fig, axes = plt.subplots(3, len(keys), figsize=(3.2 * len(keys), 7.5), sharex=True, squeeze=False)
    for j, key in enumerate(keys):
        case, gamma = key
        ds = runs[key]
        x = _log_time(ds, gamma)
        for b, name in enumerate(ds.reservoir.values):
            axes[0, j].plot(x, ds.beta_eff.values[1:, b], lw=2, label=rf"$\beta^*_{{{name},t}}$")
            axes[1, j].plot(x, ds.mu_eff.values[1:, b], lw=2, label=rf"$\mu^*_{{{name},t}}$")
            axes[2, j].plot(x, ds.normalized_distance.values[1:, b], lw=2, label=name)
        axes[0, j].axhline(float(ds.global_beta), color="k", ls="--", lw=1)
        axes[1, j].axhline(float(ds.global_mu), color="k", ls="--", lw=1)
        axes[0, j].set_title(f"case ({case}), Γ = {gamma:g}")
        axes[2, j].set_xlabel(r"$\log_{10}\Gamma t$")
        axes[2, j].set_ylim(-0.05, 1.05)
    axes[0, 0].set_ylabel(r"$\beta^*$")
    axes[1, 0].set_ylabel(r"$\mu^*$")
    axes[2, 0].set_ylabel(r"$D[\rho_\nu\|\pi_\nu]/\mathcal{S}_\nu$")
    axes[0, 0].legend(fontsize=7)
    return _save(fig, outdir / "seed001_fig4_temperatures.png")


def fig5(runs: dict, outdir: Path) -> Path:
    """Σ, σ and the terms of eq. 12 against log Γt, per (case, Γ) (Fig. 5)."""
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


def fig6(averages: dict, outdir: Path) -> Path:
    """Regime-III averages against Γ, per case: (Γ, averaged Dataset) rows (Fig. 6)."""
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


def fig8(pairs: dict, outdir: Path) -> Path:
    """Ensemble and sampled pure state at Γ = 3: (ensemble, pure, seed) per (case, Γ) (Fig. 8)."""
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

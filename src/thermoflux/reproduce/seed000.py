"""Seed 000 (Mintchev, mixtures of equilibrium distributions): Figs. 2-4 and checkable claims.

Fig. 2: the probabilities p_ij(k) of eq. 68 and the current integrand of eq. 72 (β_1 = 0.1,
μ_1 = 2, β_2 = 1, μ_2 = 5, m = 1, step weights c₊ = −1/4, c₋ = 1/3). Fig. 3: the deviation of
the Lorenz number from L_0 = π²/3 (eq. 85). Fig. 4: the zero-frequency noise P_0 against μ₋ at
β_1 = β_2 = 1/2 for several μ₊, at (c₊ = c₋ = 0) and away from (c₊ = ½, c₋ = 0) equilibrium.
Every curve is computed by the general path of ``thermoflux.mixture``; the closed forms of the
paper are drawn on top and compared in the claims.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.special import spence

from thermoflux.distributions import FermiDirac
from thermoflux.mixture import MixtureState, gaussian_weights, step_weights
from thermoflux.plotting import save_figure
from thermoflux.reproduce import Claim, Report

__all__ = ["SEED", "TITLE", "reproduce", "lorenz_closed_form", "noise_closed_form"]

SEED = "000"
TITLE = "Quantum states from mixtures of equilibrium distributions (Mintchev)"

#: Free-electron Lorenz number L_0 = π²/3 (k_B = e = 1), seed 000, eq. 86.
LORENZ_FREE_ELECTRON = np.pi ** 2 / 3.0

FIG2 = {"beta1": 0.1, "mu1": 2.0, "beta2": 1.0, "mu2": 5.0, "c_plus": -0.25, "c_minus": 1 / 3}
FIG4_BETA = 0.5
FIG4_MU_PLUS = (0.0, 1.0, 2.0, 4.0)


def _dilog(x: np.ndarray) -> np.ndarray:
    """Li_2(x) for real x <= 1 (scipy's spence(z) is Li_2(1 − z))."""
    return spence(1.0 - np.asarray(x, dtype=float))


def lorenz_closed_form(beta_mu: np.ndarray) -> np.ndarray:
    """L(βμ) of seed 000, eq. 85 (k_B = e = 1), for the figure and the claims only."""
    a = np.asarray(beta_mu, dtype=float)
    g = 1.0 + np.exp(-a)
    return a * (a - 2 * g * np.logaddexp(0.0, a)) - 2 * g * _dilog(-np.exp(a))


def noise_closed_form(beta: float, mu1: np.ndarray, mu2: np.ndarray, c_plus: float, c_minus: float) -> np.ndarray:
    """P_0 of seed 000, eqs. 122–123 (β_1 = β_2 = β, step weights), for the figure and the claims."""
    c11 = 1 + 2 * c_plus**2 + 2 * c_minus**2 + 2 * c_plus + 2 * c_minus
    c22 = 1 + 2 * c_plus**2 + 2 * c_minus**2 - 2 * c_plus - 2 * c_minus
    c12 = 1 - 2 * c_plus**2 - 2 * c_minus**2
    d = beta * (np.asarray(mu1) - np.asarray(mu2))
    log_ratio = np.logaddexp(0.0, beta * np.asarray(mu1)) - np.logaddexp(0.0, beta * np.asarray(mu2))
    cross = log_ratio / np.tanh(d / 2)
    return (c11 / (1 + np.exp(-beta * mu1)) + c22 / (1 + np.exp(-beta * mu2)) + c12 * cross) / (4 * np.pi * beta)


def _fig2(outdir: Path, n: int, claims: list[Claim]):
    import matplotlib.pyplot as plt

    p = FIG2
    state = MixtureState([FermiDirac(beta=p["beta1"], mu=p["mu1"]), FermiDirac(beta=p["beta2"], mu=p["mu2"])],
                         step_weights(p["c_plus"], p["c_minus"]))
    k = np.linspace(-10, 10, 2 * n)
    p12, p0, p21 = state.fcs_probabilities(k)
    kp = np.linspace(1e-6, 10, n)
    a12, _, _ = state.fcs_probabilities(kp)
    _, _, b21 = state.fcs_probabilities(-kp)
    integrand = kp * (a12 - b21) / (2 * np.pi)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(k, p12, label="$p_{12}(k)$")
    left.plot(k, p0, label="$p(k)$")
    left.plot(k, p21, label="$p_{21}(k)$")
    left.set_xlabel("$k$")
    left.legend()
    left.set_title(r"$c_+=-1/4,\ c_-=1/3$")
    right.plot(kp, integrand, color="k")
    right.fill_between(kp, integrand, alpha=0.3)
    right.set_xlabel("$k$")
    right.set_title("integrand of eq. (72)")
    path = outdir / "seed000_fig2.png"
    fig.tight_layout()
    save_figure(fig, path, dpi=110)

    total = float(np.max(np.abs(p12 + p0 + p21 - 1.0)))
    claims.append(Claim("eq. 69: p_12 + p + p_21 = 1 (max deviation on Fig. 2's grid)", total, 0.0, total < 1e-15))
    c = p["c_plus"] - p["c_minus"]
    J = lambda b, m: c / (2 * np.pi * b) * np.logaddexp(0.0, b * m)  # noqa: E731  eq. 56
    closed = J(p["beta1"], p["mu1"]) - J(p["beta2"], p["mu2"])
    found = state.particle_current()
    claims.append(Claim("eqs. 53, 56: mean current of Fig. 2 (general path vs closed form)", found, closed,
                        bool(abs(found - closed) <= 1e-10 * abs(closed))))
    sigma = state.entropy_production()
    swapped = MixtureState([FermiDirac(beta=p["beta1"], mu=p["mu1"]), FermiDirac(beta=p["beta2"], mu=p["mu2"])],
                           step_weights(p["c_minus"], p["c_plus"])).entropy_production()
    claims.append(Claim("eqs. 96, 101-102: sign of <S_dot> follows c+ - c- (Fig. 2 has c+ < c-: negative)",
                        (sigma, swapped), "(< 0, > 0)", sigma < 0 < swapped))
    return path


def _fig3(outdir: Path, n: int, claims: list[Claim]):
    import matplotlib.pyplot as plt

    beta_mu = np.linspace(0.0, 20.0, n)
    state = MixtureState([FermiDirac(beta=1.0, mu=beta_mu), FermiDirac(beta=1.0, mu=0.0)], step_weights(0.5, 0.0))
    ratio = state.lorenz_number(0) / LORENZ_FREE_ELECTRON
    closed = lorenz_closed_form(beta_mu) / LORENZ_FREE_ELECTRON
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(beta_mu, ratio, color="k", label=r"$\mathcal{L}/L_0$ (derivatives, eqs. 80-83)")
    ax.plot(beta_mu[::7], closed[::7], "o", ms=3, label="eq. (85)")
    ax.fill_between(beta_mu, ratio, 1.0, alpha=0.3)
    ax.axhline(1.0, ls="--", color="grey")
    ax.set_xlabel(r"$\beta\mu$")
    ax.set_ylabel(r"$L(\beta\mu)/L_0$")
    ax.legend()
    path = outdir / "seed000_fig3.png"
    fig.tight_layout()
    save_figure(fig, path, dpi=110)

    dev = float(np.max(np.abs(ratio - closed)))
    claims.append(Claim("eq. 85: Lorenz number from eqs. 80-83 equals the closed form (max |diff|/L0)", dev, 0.0,
                        dev < 1e-10))
    ends = MixtureState([FermiDirac(beta=1.0, mu=np.array([0.0, 60.0])), FermiDirac(beta=1.0, mu=0.0)],
                        step_weights(0.5, 0.0)).lorenz_number(0) / LORENZ_FREE_ELECTRON
    claims.append(Claim("eq. 86: L/L0 = 1 at beta*mu = 0 and beta*mu -> inf (60)", tuple(ends), (1.0, 1.0),
                        bool(np.all(np.abs(ends - 1) < 1e-10))))
    high = np.linspace(12.0, 40.0, n)
    worst = float(np.max(1 - MixtureState([FermiDirac(beta=1.0, mu=high), FermiDirac(beta=1.0, mu=0.0)],
                                          step_weights(0.5, 0.0)).lorenz_number(0) / LORENZ_FREE_ELECTRON))
    claims.append(Claim("Sec. 3.3: 1 - L/L0 < 1e-3 for beta*mu >= 12", worst, "< 1e-3", worst < 1e-3))
    return path


def _fig4(outdir: Path, n: int, claims: list[Claim]):
    import matplotlib.pyplot as plt

    mu_minus = np.linspace(-6.0, 6.0, 2 * (n // 2)) + 6.0 / n   # avoids μ₋ = 0 (removable 0/0 in eq. 123)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    worst = 0.0
    for ax, (cp, cm, title) in zip(axes, ((0.0, 0.0, "equilibrium $c_\\pm=0$"), (0.5, 0.0, "$c_+=1/2,\\ c_-=0$"))):
        for mu_plus in FIG4_MU_PLUS:
            mu1, mu2 = mu_plus + mu_minus, mu_plus - mu_minus
            state = MixtureState([FermiDirac(beta=FIG4_BETA, mu=mu1), FermiDirac(beta=FIG4_BETA, mu=mu2)], step_weights(cp, cm))
            p0 = state.noise().matrix[..., 0, 0]   # P_0 of eq. 117: the noise of reservoir 0's outflow
            closed = noise_closed_form(FIG4_BETA, mu1, mu2, cp, cm)
            worst = max(worst, float(np.max(np.abs(p0 - closed) / closed)))
            ax.plot(mu_minus, p0, label=f"$\\mu_+={mu_plus:g}$")
        ax.set_xlabel(r"$\mu_-$")
        ax.set_title(title)
    axes[0].set_ylabel("$P_0$")
    axes[0].legend()
    path = outdir / "seed000_fig4.png"
    fig.tight_layout()
    save_figure(fig, path, dpi=110)
    claims.append(Claim("eq. 123: noise of Fig. 4 (general path vs closed form, max rel. diff)", worst, 0.0,
                        worst < 1e-9))
    jn = MixtureState([FermiDirac(beta=FIG4_BETA, mu=0.0), FermiDirac(beta=FIG4_BETA, mu=0.0)], step_weights(0.5, 0.0)).noise().matrix[0, 0]
    claims.append(Claim("eq. 120: Johnson-Nyquist P0 = 1/(2 pi beta) at mu = 0", jn, 1 / (2 * np.pi * FIG4_BETA),
                        abs(jn * 2 * np.pi * FIG4_BETA - 1) < 1e-10))
    return path


def _thermo_claims(claims: list[Claim]) -> None:
    engine = MixtureState([FermiDirac(beta=0.5, mu=0.0), FermiDirac(beta=2.0, mu=0.3)], step_weights(0.5, 0.0))
    eta = engine.efficiency()
    claims.append(Claim("eq. 105: heat-engine efficiency below Carnot 1 - T2/T1 = 0.75", eta, "< 0.75", 0 < eta < 0.75))
    state = MixtureState([FermiDirac(beta=0.2, mu=1.0), FermiDirac(beta=1.5, mu=2.0)], gaussian_weights(0.2))
    moments = [state.entropy_production_moment(n) for n in range(1, 7)]
    claims.append(Claim("eqs. 112, 114: W_n[S_dot] > 0 for n = 1..6 when I(k) > 0", tuple(moments), "all > 0",
                        all(m > 0 for m in moments)))


def reproduce(outdir: Path, *, full: bool = False) -> Report:
    """Regenerate Figs. 2–4 of seed 000 as PNGs in ``outdir`` and check the paper's claims.

    ``full=True`` uses finer grids (the computation is the same; it takes a few seconds either way).
    """
    import matplotlib

    matplotlib.use("Agg")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    n = 801 if full else 201
    claims: list[Claim] = []
    figures = [_fig2(outdir, n, claims), _fig3(outdir, n, claims), _fig4(outdir, n, claims)]
    _thermo_claims(claims)
    return Report(SEED, TITLE, figures=figures, claims=claims)

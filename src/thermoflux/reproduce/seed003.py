"""Seed 003: Wigner entropy production and heat transport in linear quantum lattices.

Regenerates Fig. 2 (occupation profiles of the chain of eq. 28, ballistic and diffusive) and
Fig. 3 (Π_r and Π_sc against L, with fitted power laws) and checks the paper's claims:
eq. 29 against the numerical steady state, the flat ballistic profile, Fourier scaling of the
current with probes, Π_r ~ L⁻², Π_sc ~ L⁻¹, Π_sc overtaking Π_r, and the ballistic entropy
production exceeding the diffusive one.

Fig. 2's caption does not give n_1 and n_L; we use Fig. 3's n_1 = 1, n_L = 2 (the profiles
are affine in them). ω = 1 throughout (the chain's covariance does not depend on ω).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from thermoflux.harmonic_networks import chain
from thermoflux.plotting import save_figure
from thermoflux.reproduce import Claim, Report

__all__ = ["SEED", "TITLE", "reproduce"]

SEED = "003"
TITLE = "Wigner entropy production and heat transport in linear quantum lattices"

N1, NL = 1.0, 2.0


def _network(n_sites: int, hopping: float, gamma: float, big_gamma: float):
    net = chain(n_sites, frequency=1.0, hopping=hopping)
    net.attach_bath(0, gamma, occupation=N1, name="left") \
        .attach_bath(n_sites - 1, gamma, occupation=NL, name="right")
    if big_gamma > 0:
        net.add_self_consistent_probes(big_gamma)
    return net


def _chain(n_sites: int, hopping: float, gamma: float, big_gamma: float):
    return _network(n_sites, hopping, gamma, big_gamma).steady_state()


def _closed_form(n_sites, hopping, gamma, big_gamma):
    """Eqs. 29a, 30, 31 as printed."""
    den = 4 * hopping**2 + gamma**2 + gamma * big_gamma * (n_sites - 1)
    k = np.arange(1, n_sites + 1)
    delta = (k == 1).astype(float) - (k == n_sites).astype(float)
    occ = (N1 + NL) / 2 + (N1 - NL) / 2 * (big_gamma * gamma * (n_sites - 2 * k + 1) + gamma**2 * delta) / den
    current = 2 * hopping**2 * gamma * (NL - N1) / den
    return occ, current, current * (1 / (N1 + 0.5) - 1 / (NL + 0.5))


def _fig2(outdir: Path, full: bool, claims: list[Claim]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    gamma = 1e-5
    fig, axes = plt.subplots(2, 2, figsize=(9, 7))
    worst = 0.0
    ballistic_spread = 0.0
    panels = [
        ("(a) $\\Gamma = 0$", [(10, lam, 0.0, f"$\\lambda$={lam:g}") for lam in (1e-6, 1e-5, 1e-4)]),
        ("(b) $\\Gamma = 10^{-6}$", [(10, lam, 1e-6, f"$\\lambda$={lam:g}") for lam in (1e-6, 1e-5, 1e-4)]),
        ("(c) $\\lambda = 10^{-5}$", [(10, 1e-5, g, f"$\\Gamma$={g:g}") for g in (1e-7, 1e-6, 1e-5)]),
        ("(d) $\\lambda = 10^{-5}, \\Gamma = 10^{-6}$",
         [(L, 1e-5, 1e-6, f"L={L}") for L in ((10, 50, 100, 200) if full else (10, 50, 100))]),
    ]
    for ax, (title, runs) in zip(axes.flat, panels):
        for n_sites, lam, big_g, label in runs:
            ness = _chain(n_sites, lam, gamma, big_g)
            occ, _, _ = _closed_form(n_sites, lam, gamma, big_g)
            worst = max(worst, float(np.max(np.abs(ness.occupations - occ))))
            if big_g == 0 and n_sites > 2:
                interior = ness.occupations[1:-1]
                ballistic_spread = max(ballistic_spread, float(np.ptp(interior)))
            x = np.arange(1, n_sites + 1) / (n_sites if "(d)" in title else 1)
            ax.plot(x, ness.occupations, "o-", ms=3, label=label)
        ax.set_title(title)
        ax.set_xlabel("k / L" if "(d)" in title else "site k")
        ax.set_ylabel("$\\langle a_k^\\dagger a_k \\rangle$")
        ax.legend(fontsize=8)
    fig.suptitle(f"Fig. 2: NESS occupations, $\\gamma$ = {gamma:g}, $n_1$ = {N1:g}, $n_L$ = {NL:g}")
    fig.tight_layout()
    path = outdir / "seed003_fig2_profiles.png"
    save_figure(fig, path, dpi=110)
    claims.append(Claim("eq. 29a equals the numerical NESS occupations (all Fig. 2 curves)",
                        worst, "< 1e-10", worst < 1e-10))
    claims.append(Claim("ballistic (Gamma = 0): interior occupations independent of k (Fig. 2a)",
                        ballistic_spread, "< 1e-10", ballistic_spread < 1e-10))
    # Diffusive: the interior profile approaches a straight line (Fig. 2d).
    ness = _chain(100, 1e-5, gamma, 1e-6)
    k = np.arange(100)
    fit = np.polyfit(k[1:-1], ness.occupations[1:-1], 1)
    curvature = float(np.max(np.abs(np.polyval(fit, k[1:-1]) - ness.occupations[1:-1])))
    claims.append(Claim("diffusive (Gamma > 0, L = 100): interior profile linear (Fig. 2d)",
                        curvature, "< 1e-10", curvature < 1e-10))
    return path


def _fig3(outdir: Path, full: bool, claims: list[Claim]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    gamma, big_g, lam = 1e-6, 1e-7, 3e-7
    sizes = np.unique(np.round(np.logspace(np.log10(2), np.log10(3000 if full else 1000), 30 if full else 18)).astype(int))
    pi_r, pi_sc, pi_eq31, currents, pi_ballistic = [], [], [], [], []
    for n_sites in sizes:
        ness = _chain(int(n_sites), lam, gamma, big_g)
        pi_r.append(ness.entropy_production("baths"))
        pi_sc.append(ness.entropy_production("probes"))
        _, current, pi = _closed_form(int(n_sites), lam, gamma, big_g)
        pi_eq31.append(pi)
        currents.append(ness.currents[0, 1])
        pi_ballistic.append(_closed_form(int(n_sites), lam, gamma, 0.0)[2])
    pi_r, pi_sc = np.array(pi_r), np.array(pi_sc)
    pi_eq31, currents = np.array(pi_eq31), np.array(currents)
    large = sizes >= sizes.max() / 3  # the asymptotic regime: gamma*Gamma*L >> 4 lambda^2 + gamma^2
    slope_r = float(np.polyfit(np.log(sizes[large]), np.log(pi_r[large]), 1)[0])
    slope_sc = float(np.polyfit(np.log(sizes[large]), np.log(pi_sc[large]), 1)[0])
    slope_j = float(np.polyfit(np.log(sizes[large]), np.log(np.abs(currents[large])), 1)[0])

    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.loglog(sizes, pi_r, "o", color="tab:red", label="$\\Pi_r$ (real baths)")
    ax.loglog(sizes, pi_sc, "s", color="tab:blue", label="$\\Pi_{sc}$ (self-consistent)")
    ax.loglog(sizes, pi_r + pi_sc, "k-", lw=0.8, label="$\\Pi_{NESS}$ (eq. 31)")
    for slope, values, color in ((slope_r, pi_r, "tab:red"), (slope_sc, pi_sc, "tab:blue")):
        ref = values[large][-1] * (sizes[large] / sizes[large][-1]) ** slope
        ax.loglog(sizes[large], ref, "--", color=color, lw=1)
    ax.text(0.05, 0.08, f"fit (L >= {sizes[large][0]}): $\\Pi_r \\sim L^{{{slope_r:.2f}}}$, "
            f"$\\Pi_{{sc}} \\sim L^{{{slope_sc:.2f}}}$", transform=ax.transAxes)
    ax.set_xlabel("L")
    ax.set_ylabel("entropy production rate")
    ax.set_title(f"Fig. 3: $\\gamma$={gamma:g}, $\\Gamma$={big_g:g}, $\\lambda$={lam:g}, $n_1$=1, $n_L$=2")
    ax.legend()
    fig.tight_layout()
    path = outdir / "seed003_fig3_entropy_production.png"
    save_figure(fig, path, dpi=110)

    rel = float(np.max(np.abs(pi_r + pi_sc - pi_eq31) / pi_eq31))
    claims.append(Claim("Pi_r + Pi_sc (eqs. 32-33 via C2) equals eq. 31", rel, "relative < 1e-8", rel < 1e-8))
    claims.append(Claim("Pi_r ~ L^-2 at large L (Fig. 3)", slope_r, -2.0, abs(slope_r + 2) < 0.1))
    claims.append(Claim("Pi_sc ~ L^-1 at large L (Fig. 3)", slope_sc, -1.0, abs(slope_sc + 1) < 0.1))
    claims.append(Claim("diffusive current j ~ 1/L (eq. 30, Fourier's law)", slope_j, -1.0, abs(slope_j + 1) < 0.1))
    cross = sizes[np.argmax(pi_sc > pi_r)] if np.any(pi_sc > pi_r) else None
    claims.append(Claim("Pi_r dominates only for small L; Pi_sc overtakes it (Fig. 3)",
                        None if cross is None else int(cross), "a crossing L",
                        bool(cross is not None and pi_r[0] > pi_sc[0])))
    excess = bool(np.all(np.array(pi_ballistic) > pi_r + pi_sc))
    claims.append(Claim("ballistic Pi_NESS(Gamma = 0) > Pi_r + Pi_sc (Sec. IV B)", excess, True, excess))
    positive = bool(np.all(pi_r > 0) and np.all(pi_sc > 0))
    claims.append(Claim("Pi_r, Pi_sc > 0 for n_1 != n_L", positive, True, positive))
    return path


def reproduce(outdir: Path, *, full: bool = False) -> Report:
    """Regenerate seed 003's Figs. 2 and 3 into ``outdir`` and check the paper's claims.

    Parameters
    ----------
    outdir : pathlib.Path
        Folder for the PNG figures (created if needed).
    full : bool, default False
        Fig. 3 up to L = 3000 and Fig. 2(d) up to L = 200 (else L <= 1000 and 100).

    Returns
    -------
    Report
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    claims: list[Claim] = []
    figures = [_fig2(outdir, full, claims), _fig3(outdir, full, claims)]
    audits = {"chain of Fig. 2 (L = 100, λ = 3e-7, γ = 1e-6, Γ = 1e-7)": _network(100, 3e-7, 1e-6, 1e-7).audit()}
    return Report(SEED, TITLE, figures=figures, claims=claims, audits=audits)

"""Cross-method page of the gallery: one double dot through every method, against the coupling.

Not a seed paper: the library's own claim (DESIGN.md, "How the methods meet") that where two
methods describe the same physics they agree, shown on the system of ``examples/compare.toml``
— two coupled levels between a hot lead biased up and a cold one biased down — with every
level width Γ_α scaled by s (:func:`thermoflux.compare.scan`). Landauer is exact; the
stochastic-limit master equation departs from it linearly in Γ/T (its leading correction is
first order in the coupling); finite baths run once a plateau forms before the recurrence time
with at most ``max_modes`` modes, and meet Landauer within their own error estimate.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from thermoflux.distributions import FermiDirac
from thermoflux.plotting import plot_compare_scan
from thermoflux.reproduce import Claim, Report

__all__ = ["SEED", "TITLE", "reproduce", "double_dot"]

SEED = "methods"
TITLE = "One system, every method: a double dot from weak to strong coupling (thermoflux compare)"


def double_dot():
    """The system of ``examples/compare.toml``: h = [[0.15, 0.3], [0.3, −0.1]], Γ_L = Γ_R = 0.01."""
    from thermoflux.compare import OpenSystem

    return OpenSystem([[0.15, 0.3], [0.3, -0.1]], "fermion",
                      {"L": (FermiDirac(temperature=0.25, mu=0.4), [0.01, 0.0]),
                       "R": (FermiDirac(temperature=0.4, mu=-0.3), [0.0, 0.01])})


def reproduce(outdir: Path, *, full: bool = False) -> Report:
    """Scan the coupling scale s over 10⁻² … 300 (14 points; 28 with ``full``), draw the flows of
    every method against s, and check where each method agrees with Landauer."""
    from thermoflux.compare import scan

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    factors = np.geomspace(0.01, 300.0, 28 if full else 14)
    ds = scan(double_dot(), factors)
    figure = plot_compare_scan(ds, path=outdir / "methods_vs_coupling.png",
                               title="double dot: every method against the coupling scale")
    claims = []
    me = ds.sel({"method": "master_equation"})
    gap = np.abs(me.particle_relative_difference.values)
    small = factors <= 0.25   # Γ/T <= 1e-2: deep in the sequential-tunnelling regime
    slope = float(np.polyfit(np.log(factors[small]), np.log(gap[small]), 1)[0])
    claims.append(Claim("master equation -> Landauer linearly in the coupling: log-log slope of the "
                        "particle-current gap for s <= 0.25 (first-order correction in Γ/T)",
                        slope, "1 ± 0.05", abs(slope - 1.0) <= 0.05))
    holds = me.expected_to_hold.values.astype(bool)
    ratio = gap[holds] / me.validity_parameter.values[holds]
    claims.append(Claim("where the master equation is expected to hold (Γ/T below its threshold), its "
                        "particle-current gap to Landauer is below Γ/T itself: max gap/(Γ/T)",
                        float(ratio.max()), "<= 1", bool(holds.any() and ratio.max() <= 1.0)))
    fb = ds.sel({"method": "finite_baths"})
    ran = ~np.isnan(fb.particle_current.sel(reservoir="L").values)
    exact = ds.sel({"method": "landauer"}).particle_current.sel(reservoir="L").values[ran]
    miss = np.abs(fb.particle_current.sel(reservoir="L").values[ran] - exact)
    allowed = fb.particle_current_error.sel(reservoir="L").values[ran]
    claims.append(Claim("finite baths, where a plateau forms (strong coupling), meet Landauer within "
                        "their own finite-K/finite-W error estimate: max |gap|/estimate",
                        float(np.max(miss / allowed)) if ran.any() else float("nan"), "<= 1",
                        bool(ran.any() and np.all(miss <= allowed))))
    return Report(SEED, TITLE, figures=[figure], claims=claims)

"""The embedded example behind ``thermoflux demo``.

Two machines from the Landauer–Büttiker engine:

1. a single resonant level between a hot and a cold lead working as a thermoelectric
   generator (particles climb the bias), with its efficiency against Carnot's;
2. the N-demon heat pump of seed 004 (Sec. V, App. C): a non-thermal reservoir that exchanges
   neither particles nor energy pumps heat from a cold to a hot lead; its COP stays below
   T_c/(T_h − T_c) once its entropy current (seed 004, eq. 6) is counted.

:func:`run_demo` returns the printed text and writes a figure of the N-demon's COP and cooling
power against T_c (the layout of seed 004, Fig. 2).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from thermoflux.distributions import FermiDirac
from thermoflux.flows import carnot_cop, carnot_efficiency, machine_performance

__all__ = ["DEFAULTS", "run_demo"]

#: The embedded parameters (ħ = k_B = e = 1).
DEFAULTS = {
    "resonant_level": {"t_hot": 1.0, "t_cold": 0.3, "mu_hot": 0.0, "mu_cold": 0.2, "level": 1.0,
                       "widths": 0.1},
    "n_demon": {"t_hot": 1.0, "mu0": 1.0, "energies": (1.0, 2.0, 1.5, 1.4), "width": 1e-3,
                "t_cold": 0.7, "t_cold_range": (0.05, 0.95), "points": 60},
}


def _resonant_level(p: dict) -> str:
    from thermoflux.landauer import Junction, lorentzian

    reservoirs = {"hot": FermiDirac(temperature=p["t_hot"], mu=p["mu_hot"]),
                  "cold": FermiDirac(temperature=p["t_cold"], mu=p["mu_cold"])}
    flows = Junction(reservoirs, lorentzian(p["level"], {"hot": p["widths"], "cold": p["widths"]})).flows()
    power = -(p["mu_hot"] * flows.particle["hot"] + p["mu_cold"] * flows.particle["cold"])
    eta = power / flows.heat["hot"]
    bound = carnot_efficiency(p["t_hot"], p["t_cold"])
    perf = machine_performance(flows, "pump", reference_temperature=p["t_cold"])
    return "\n".join([
        f"1. Resonant level at {p['level']} between hot (T={p['t_hot']}, mu={p['mu_hot']}) and "
        f"cold (T={p['t_cold']}, mu={p['mu_cold']}) leads, widths {p['widths']}:",
        "",
        flows.table(),
        "",
        f"electrical power out      {power:.6g}",
        f"efficiency                {eta:.6g}   (Carnot bound {bound:.6g}; ratio {perf.ratio:.4f} <= 1)",
    ])


def _n_demon(p: dict, figure: Path) -> tuple[str, Path]:
    from thermoflux.landauer import n_demon
    from thermoflux.plotting import plot_cop_and_power

    demon = n_demon(p["t_hot"], p["t_cold"], p["mu0"], p["energies"], p["width"])
    flows = demon.flows()
    cop = demon.cop(flows)
    perf = demon.performance(flows)
    text = [
        f"2. N-demon heat pump (seed 004): T_h={p['t_hot']}, T_c={p['t_cold']}, mu0={p['mu0']}, "
        f"resonances {tuple(p['energies'])}, width {p['width']}:",
        "",
        flows.table(),
        "",
        f"heat pumped out of cold   {flows.heat['c']:.6g}   (closed form C6: {demon.power_closed_form():.6g})",
        f"COP                       {cop:.6g}   (closed form C10: {demon.cop_closed_form():.6g}; "
        f"bound T_c/(T_h-T_c) = {carnot_cop(p['t_hot'], p['t_cold']):.6g}; ratio {perf.ratio:.4f} <= 1)",
    ]
    t_colds = np.linspace(*p["t_cold_range"], p["points"])
    cops = np.full(t_colds.size, np.nan)
    powers = np.full(t_colds.size, np.nan)
    physical = np.zeros(t_colds.size, dtype=bool)
    for i, tc in enumerate(t_colds):
        d = n_demon(p["t_hot"], tc, p["mu0"], p["energies"], p["width"])
        if d.physical:
            fl = d.flows()
            # cooling power in units of Γ/h = width/2π, as in the seed's figure
            cops[i], powers[i], physical[i] = d.cop(fl), fl.heat["c"] * 2 * np.pi / p["width"], True
    bound = t_colds / (p["t_hot"] - t_colds)
    path = plot_cop_and_power(t_colds, cops, powers, bound, path=figure, physical=physical,
                              title="N-demon heat pump (seed 004, Fig. 2)")
    return "\n".join(text), path


def run_demo(figure: str | Path = "thermoflux-demo.png") -> tuple[str, Path]:
    """Run the embedded example; return the text it prints and the path of the figure."""
    figure = Path(figure)
    first = _resonant_level(DEFAULTS["resonant_level"])
    second, path = _n_demon(DEFAULTS["n_demon"], figure)
    return first + "\n\n" + second, path

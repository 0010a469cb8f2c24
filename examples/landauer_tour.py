"""A short tour of thermoflux.landauer: flows, fluctuations, linear response, the N-demon.

Run from the repository root:  PYTHONPATH=src python examples/landauer_tour.py
Units ħ = k_B = e = 1 (h = 2π); currents are positive out of a reservoir into the conductor.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, log_expit

from thermoflux import FermiDirac, NonThermal, carnot_cop
from thermoflux.landauer import Junction, lorentzian, n_demon

# 1. A resonant level between a hot and a cold lead.
leads = {"hot": FermiDirac(temperature=1.0, mu=0.0), "cold": FermiDirac(temperature=0.3, mu=0.2)}
junction = Junction(leads, lorentzian(1.0, {"hot": 0.1, "cold": 0.1}))
flows = junction.flows()
print(flows)
print("heat out of hot:", flows.heat["hot"], " entropy production:", flows.entropy_production)

# 2. Its counting statistics (Levitov–Lesovik) and noise; κ1 is the mean current.
print("cumulants of particles leaving 'hot':", junction.current_cumulants("hot", 3))
print("zero-frequency noise S_hot,hot:", junction.noise()["hot", "hot"])

# 3. Linear response around the cold lead's equilibrium.
response = junction.onsager_matrix("cold")
print(f"G = {response.conductance:.4g}, S = {response.thermopower:.4g}, "
      f"L/L0 = {response.lorenz_number / (np.pi ** 2 / 3):.4g}, ZT = {response.figure_of_merit:.4g}")

# 4. A non-thermal lead: a double-step occupation f = (f_a + f_b)/2 (two Fermi edges); its
#    entropy current follows seed 004, eq. 6, from the occupation alone. Far from the edges f
#    underflows to exactly 0 while ln((1 - f)/f) is still finite, so give the log-odds exactly
#    (log-sums of the two edges) and the edges as features.
xa = lambda e: (e - 0.3) / 0.05      # noqa: E731  β(E − μ) of each edge
xb = lambda e: (e + 0.3) / 0.05      # noqa: E731


def double_log_odds(e):
    # ln(1 − f) − ln f with 1 − f = (expit(xa) + expit(xb))/2 and f = (expit(−xa) + expit(−xb))/2
    return (np.logaddexp(log_expit(xa(e)), log_expit(xb(e)))
            - np.logaddexp(log_expit(-xa(e)), log_expit(-xb(e))))


double = NonThermal(lambda e: 0.5 * (expit(-xa(e)) + expit(-xb(e))), "fermion", log_odds=double_log_odds)
mixed = Junction({"double": double, "cold": leads["cold"]}, lorentzian(0.0, {"double": 0.2, "cold": 0.2}),
                 features=[(0.3, 0.05), (-0.3, 0.05)])
print(mixed.flows())

# 5. The N-demon heat pump of seed 004: heat flows from cold to hot, COP below Carnot.
demon = n_demon(1.0, 0.5, 1.0, [1.0, 2.0, 1.5, 1.4], 1e-3)
demon_flows = demon.flows()
print(f"N-demon: heat out of cold {demon_flows.heat['c']:.4g} (C6: {demon.power_closed_form():.4g}), "
      f"COP {demon.cop(demon_flows):.4f} (C10: {demon.cop_closed_form():.4f}) <= {carnot_cop(1.0, 0.5):.4f}")

"""
Landauer–Büttiker scattering and the N-demon (seed 004)
=======================================================

:mod:`thermoflux.landauer` computes the steady flows of a coherent conductor between any number
of reservoirs whose occupations f_α(E) may be thermal **or not** (Deghi & Bustos-Marín,
*Entropy current and efficiency of quantum machines driven by nonequilibrium incoherent
reservoirs*, seed 004). With transmissions T_αβ(E) and currents counted **out of** each
reservoir (the paper counts them into the reservoirs; the signs below are the library's):

.. code-block:: text

    J^N_α   = Σ_β ∫ dE/2π  T_αβ(E) [f_α(E) − f_β(E)]                     (eq. 17)
    J^E_α   = Σ_β ∫ dE/2π  E T_αβ(E) [f_α(E) − f_β(E)]                   (eq. 19)
    dS_α/dt = −Σ_β ∫ dE/2π  T_αβ(E) [f_α(E) − f_β(E)] ln((1 ∓ f_α)/f_α)  (eqs. 6, 18)

with h = 2π (ħ = 1) and the upper sign for fermions. The last line is the **entropy current**
of a reservoir, defined from its occupation alone: no temperature is needed, so it applies to
the engineered, non-thermal reservoirs of the paper.

.. admonition:: Corrected misprints

   * Eq. 18 prints the logarithm as ln(1/f_l + 1) for fermions; eq. 6 (and App. A) require
     ln(1/f_l − 1) = ln((1 − f)/f). Only the corrected form reduces to −J^Q/T for a thermal
     reservoir (``tests/landauer/test_junction.py::test_eq18_sign_typo``).
   * Eq. 23 (the COP of the N-demon) prints both logarithms with inverted arguments, which is
     −C10, a negative COP; C10 is right (``tests/landauer/test_ndemon.py::test_eq23_sign_typo``).
   * Eq. C19 prints the logarithm of C17 with its argument inverted
     (``tests/landauer/test_ndemon.py::test_c16_c19_limits``).
"""

# %%
# The entropy current reduces to −J^Q/T for a thermal reservoir
# -----------------------------------------------------------------
# Take a thermal lead and describe it twice: as a :class:`~thermoflux.FermiDirac` (the library
# uses −J^Q/T) and as a :class:`~thermoflux.NonThermal` with the same occupation (the library
# integrates the entropy current, eq. 6). Both give the same dS/dt.
import numpy as np
from scipy.special import expit

import thermoflux as tf
from thermoflux.landauer import Junction, lorentzian, n_demon
from thermoflux.reproduce.seed004 import n_demon_cop_limit

hot = tf.FermiDirac(temperature=1.0, mu=0.3)
cold = tf.FermiDirac(temperature=0.4, mu=-0.2)
level = lorentzian(0.5, {"lead": 0.2, "other": 0.2})
thermal = Junction({"lead": hot, "other": cold}, level).flows()
as_nonthermal = tf.NonThermal(lambda e: expit(-(e - 0.3) / 1.0), "fermion")
integrated = Junction({"lead": as_nonthermal, "other": cold}, level).flows()
print(f"-J^Q/T of the thermal lead     : {thermal.entropy['lead']:.12f}")
print(f"entropy current (eq. 6) of f(E): {integrated.entropy['lead']:.12f}")
assert abs(thermal.entropy["lead"] - integrated.entropy["lead"]) < 1e-9 * abs(thermal.entropy["lead"])

# %%
# A non-thermal reservoir: two Fermi edges
# ----------------------------------------
# Half the states of a cold Fermi sea shifted up by 0.3, half down: a double-step occupation.
# It has no temperature (``flows.temperature["demon"] is None``), yet its entropy current is
# well defined and the second law holds with it. The effective temperature
# T_eff(E) = (E − μ)/ln((1 − f)/f) shows how far from thermal it is.
# Far from the edges f rounds to exactly 0 or 1 while particles still flow; the entropy
# current needs ln((1 − f)/f) there, so give it exactly, from the exponents (log-sums of the
# two edges) rather than from f.
from scipy.special import log_expit


def edge_a(e):
    return 8.0 * (e - 0.3)


def edge_b(e):
    return 8.0 * (e + 0.3)


def double_step(e):
    return 0.5 * (expit(-edge_a(e)) + expit(-edge_b(e)))


def double_step_log_odds(e):
    return (np.logaddexp(log_expit(edge_a(e)), log_expit(edge_b(e)))
            - np.logaddexp(log_expit(-edge_a(e)), log_expit(-edge_b(e))))


demon = tf.NonThermal(double_step, "fermion", log_odds=double_step_log_odds)
lead = tf.FermiDirac(temperature=0.2)
flows = Junction({"demon": demon, "lead": lead}, lorentzian(0.1, {"demon": 0.1, "lead": 0.1})).flows()
print(flows.table())
assert flows.temperature["demon"] is None and flows.entropy_production >= 0

import matplotlib.pyplot as plt

energies = np.linspace(-1.0, 1.0, 401)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
left.plot(energies, demon.occupation(energies), label="double step (non-thermal)")
left.plot(energies, lead.occupation(energies), "--", label="Fermi, T = 0.2")
left.set(xlabel="E", ylabel="occupation f(E)")
left.legend()
right.plot(energies, demon.effective_temperature(energies, 0.0))
right.axhline(0.2, color="0.6", ls="--")
right.set(xlabel="E", ylabel="T_eff(E) = E / ln((1 − f)/f)", ylim=(0, 1))
plt.show()

# %%
# The N-demon heat pump (Sec. V, App. C)
# --------------------------------------
# A hot (h) and a cold (c) lead at a common μ0 meet the demon reservoir l through four narrow
# windows at ε1, ε2 (to h) and ε3, ε4 (to c). The demon's occupation (eqs. 20/C4) is tuned so
# that it exchanges **no particles and no energy** with the conductor, yet heat flows from
# cold to hot (eqs. 21/C6). Its COP, ε̇_h/(T_h Ṡ_l) (eq. 22), stays below Carnot's
# T_c/(T_h − T_c) (eq. 16), and tends to T_c/(3T_h − T_c) as ε4 → ε3 (eq. 24).
pump = n_demon(t_hot=1.0, t_cold=0.5, mu0=1.0, energies=(1.0, 2.0, 1.5, 1.4), width=1e-3)
pf = pump.flows()
print(pf.table())
print(f"particles and energy out of the demon: {pf.particle['l']:.2e}, {pf.energy['l']:.2e}")
print(f"heat out of the cold lead {pf.heat['c']:.6g} > 0; COP {pump.cop(pf):.6f} "
      f"(closed form C10: {pump.cop_closed_form():.6f}) < Carnot {tf.carnot_cop(1.0, 0.5):.6f}")
print(f"eq. 24 limit T_c/(3T_h − T_c) = {n_demon_cop_limit(1.0, 0.5):.6f}")
assert pf.heat["c"] > 0 and 0 < pump.cop(pf) < tf.carnot_cop(1.0, 0.5)

# %%
# Seed 004, Fig. 2: the COP against T_c, regenerated
# --------------------------------------------------
# :func:`thermoflux.reproduce.seed004.reproduce` computes every point through the general
# Landauer engine (boxcar windows of width Γ = 1e-4, eq. C2) and compares it with the closed
# form C10. Reduced size: 40 values of T_c (the paper's figure, ``full=True``, uses 200). The
# caption of the figure does not give ε4, so four values are drawn with the ε4 → ε3 limit.
import tempfile
from pathlib import Path


from thermoflux.reproduce import seed004
from thermoflux.plotting import show_image

report = seed004.reproduce(Path(tempfile.mkdtemp()), full=False)
show_image(report.figures[0])
plt.show()

# %%
# The claims of the paper that the reproduction checks, the misprints among them:
print(report.claims_table())
assert report.passed

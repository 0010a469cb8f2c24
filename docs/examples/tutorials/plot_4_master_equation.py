"""
Stochastic-limit master equations and micro-currents (seed 002)
===============================================================

:mod:`thermoflux.master_equation` describes a discrete quantum system, ``H_S = Σ_m ε_m |m⟩⟨m|``,
coupled weakly to several fields (Accardi & Imafuku, *Dynamical detailed balance and local KMS
condition for non-equilibrium states*, seed 002). In the stochastic limit each field j with
spectral density J_j(ω) and occupation n_j(ω) drives the transitions m → n of Bohr frequency
ω_mn = ε_m − ε_n through its coupling operator D_j, with rates

.. code-block:: text

    Γ^j_−(ω) = J_j(ω) (1 + n_j(ω))    emission into field j              (eq. 20)
    Γ^j_+(ω) = J_j(ω) n_j(ω)          absorption from field j

that enter a GKSL generator (eq. 22) whose populations obey a Pauli master equation (eq. 24).
The new object of the paper is the **micro-current** of each field and each Bohr frequency,

.. code-block:: text

    J_{j,mn} = |⟨n|D_j|m⟩|² [Γ^j_−(ω_mn) ρ_mm − Γ^j_+(ω_mn) ρ_nn]          (eq. 38)

the quanta emitted into field j per unit time by the transition m → n. The stationary state
satisfies **dynamical detailed balance** (eq. 68b): every micro-current is constant, and they
all vanish exactly at equilibrium. The stationary state defines a temperature function β_S(ε)
by ρ = e^{−β_S(H)(H − ε_ref)}/Z (eqs. 27–28), with which it satisfies a **local KMS** condition
(eq. 74).

.. note::

   ``micro_currents`` keeps the paper's sign (emitted **into** the field); :meth:`flows`
   follows thermoflux's convention (currents out of the reservoir into the system).

.. admonition:: Corrected misprints

   * Eq. 22b prints the Lamb shift Δ with a factor i that would make it anti-Hermitian
     (``tests/master_equation/test_generator.py::test_lamb_shift_closed_form_flat_band_zero_temperature``).
   * Eq. 23c prints the decay of coherences without the ½ of the GKSL anticommutator
     (``tests/master_equation/test_stochastic_limit.py::test_coherence_decay_eq23_with_the_half``).
   * Eq. 27, β_S(ε_m) = −ln(ρ_mm)/ε_m, holds only with Z = 1; energies are measured from a
     reference level (``tests/master_equation/test_balance.py::test_temperature_function_gibbs``).
   * Eqs. 42–43 write a macro-current that vanishes identically
     (``tests/master_equation/test_currents.py::test_eq42_as_printed_vanishes``).
   * Eq. 54 has −δμ for +δμ and eq. 57c the signs of L and M
     (``tests/master_equation/test_linear_response.py::test_printed_signs_of_eq57c_contradict_the_exact_currents``).
   * In the three-level example, eq. 103 misplaces two escape rates, eq. 108 has the factor
     (ε_2 − ε_1)/(ε_3 − ε_2) for (ε_3 − ε_1)/(ε_3 − ε_2), and eq. 109a lacks the normalisation
     by the spanning-tree sum c of eq. 104c (``tests/reproduce/test_seed002_three_level.py``).
"""

# %%
# A two-level system between a hot and a cold field
# -------------------------------------------------
# One dipole couples the levels to both fields (a flat spectral density J = 0.05). Heat flows
# out of the hot field and into the cold one; the micro-currents (here one Bohr frequency) are
# equal and opposite in the two fields.
import numpy as np

import thermoflux as tf
from thermoflux.master_equation import Field, StochasticLimit, System

dipole = np.array([[0.0, 1.0], [1.0, 0.0]])
model = StochasticLimit(System([0.0, 1.0], {"hot": dipole, "cold": dipole}),
                        {"hot": Field(tf.BoseEinstein(temperature=2.0), 0.05),
                         "cold": Field(tf.BoseEinstein(temperature=0.5), 0.05)})
flows = model.flows()
print(flows.table())
print(model.micro_currents())             # DataArray (reservoir, upper, lower), eq. 38
assert flows.heat["hot"] > 0 > flows.heat["cold"] and flows.entropy_production > 0

# %%
# Relaxation: ``evolve`` propagates the GKSL generator exactly; the populations relax to the
# stationary state and the currents into the two fields to their (opposite) stationary values.
import matplotlib.pyplot as plt

times = np.linspace(0.0, 30.0, 200)
run = model.evolve([1.0, 0.0], times)
stationary = model.stationary_populations()
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
left.plot(times, run["populations"].sel(level=1), label="ρ_11(t)")
left.axhline(stationary[1], color="0.6", ls="--", label="stationary")
left.set(xlabel="time", ylabel="excited population")
left.legend()
for name in ("hot", "cold"):
    right.plot(times, run["particle_current"].sel(reservoir=name), label=f"out of {name}")
    right.axhline(flows.particle[name], color="0.6", ls="--")
right.set(xlabel="time", ylabel="quanta per unit time")
right.legend()
plt.show()

# %%
# The temperature function of a stationary state
# ----------------------------------------------
# Three levels, two fields at different temperatures: the stationary state is not a Gibbs
# state, and β_S(ε) (eqs. 27–28, corrected) lies between the fields' inverse temperatures.
# With its own β_S the state satisfies the local KMS condition to rounding (eq. 74).
dipole3 = np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=float)
model3 = StochasticLimit(System([0.0, 1.0, 2.6], {"hot": dipole3, "cold": dipole3}),
                         {"hot": Field(tf.BoseEinstein(beta=0.5), 0.05),
                          "cold": Field(tf.BoseEinstein(beta=2.0), 0.05)})
beta_s = model3.temperature_function()
print(beta_s)
print("local KMS residual (eq. 74b):", model3.local_kms_residual())
assert model3.local_kms_residual() < 1e-12

# %%
# Where the master equation meets Landauer
# ----------------------------------------
# A single level between two fermionic leads, coupled weakly (Γ ≪ k_B T): the Pauli current
# is the Landauer current of a Lorentzian level in the sequential-tunnelling limit, with a
# difference that vanishes linearly in Γ/T (``tests/crosscheck/test_master_equation_landauer.py``).
from thermoflux.landauer import Junction, lorentzian

leads = {"L": tf.FermiDirac(beta=1.0, mu=0.5), "R": tf.FermiDirac(beta=1.0, mu=-0.5)}
for width in (1e-2, 1e-3, 1e-4):
    widths = {"L": 2 * width, "R": width}
    coherent = Junction(leads, lorentzian(0.2, widths)).flows()
    level = System([0.0, 0.2], {"L": [[0, 1], [0, 0]], "R": [[0, 1], [0, 0]]}, particle_numbers=[0, 1])
    sequential = StochasticLimit(level, {k: Field(leads[k], widths[k]) for k in leads}).flows()
    print(f"Γ/T = {3 * width:.0e}: Landauer {coherent.particle['L']:.6e}, Pauli {sequential.particle['L']:.6e}, "
          f"relative difference {abs(coherent.particle['L'] / sequential.particle['L'] - 1):.1e}")

# %%
# Seed 002, Sec. VI, regenerated: micro-currents of a three-level system
# ----------------------------------------------------------------------
# :func:`thermoflux.reproduce.seed002.reproduce` drives the three-level system of Sec. VI by
# one field with the temperature function β(ω) = 1 + κω and plots the micro-currents against
# the cycle affinity δ (eqs. 109–113): the single cycle carries one current, which changes sign
# with δ and vanishes at δ = 0 (detailed balance). Reduced size: 21 values of κ
# (``full=True``: 101).
import tempfile
from pathlib import Path


from thermoflux.reproduce import seed002
from thermoflux.plotting import show_image

report = seed002.reproduce(Path(tempfile.mkdtemp()), full=False)
for path in report.figures:
    show_image(path)
plt.show()

# %%
# The claims of the paper that the reproduction checks:
print(report.claims_table())
assert report.passed

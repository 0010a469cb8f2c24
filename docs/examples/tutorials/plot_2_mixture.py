"""
Mixtures of equilibrium distributions (seed 000)
================================================

:mod:`thermoflux.mixture` builds the non-equilibrium state of a free quantum field on a line
between N ≥ 2 reservoirs (Mintchev, *Quantum states from mixtures of equilibrium
distributions*, seed 000). Each reservoir i is a Gibbs distribution d_i(ω); it exchanges a
particle of momentum k with the bulk with probability w_i(k), and the field's modes are
populated by the **mixed distribution**

.. code-block:: text

    d_mix(k) = Σ_i w_i(k) d_i(ω(k)),   Σ_i w_i(k) = 1,  w_i ≥ 0        (eqs. 1, 2, 5)

with ω(k) = k²/2m. For two reservoirs everything that flows is set by the **imbalance**
I(k) = w_1(k) − w_1(−k): the scale-invariant step weights w_1 = (½ + c₊)θ(k) + (½ + c₋)θ(−k)
(eq. 9) have I = c₊ − c₋ (eq. 10), and the Gaussian weights of eq. 11 have I = e^{−ξk²}. The
bulk current from gate G_1 to G_2 and the entropy production are

.. code-block:: text

    ⟨j⟩ = ∫_0^∞ dk/2π (k/m) I(k) [d_1(ω(k)) − d_2(ω(k))]                 (eqs. 50, 53)
    σ   = β_2 q(G_2) − β_1 q(G_1) ≥ 0                                   (eqs. 95, 96, 99)

In thermoflux's convention reservoir 0 (gate G_1) carries +⟨j⟩ and reservoir 1 carries −⟨j⟩.

.. admonition:: Corrected misprints

   * Eq. 96 prints its first form with the bracket [γ_1 − γ_2] reversed; eq. 95 with eq. 76
     gives [γ_2 − γ_1], the paper's own second form
     (``tests/mixture/test_thermodynamics.py::test_entropy_production_sign_typo``).
   * Eq. 82 prints the dilogarithm term of κ(G_i) with coefficient 1 instead of 2, which
     contradicts eq. 85 and gives L(0) = π²/6 instead of π²/3
     (``tests/mixture/test_lorenz.py::test_kappa_closed_form_typo``).
   * Eq. 129 prints the bracket [d_mix(k_1) + d_mix(k_2)] in the linear response of the
     density; Kubo's formula gives the difference (``tests/mixture/test_linear_response.py``).
"""

# %%
# A mixture state and its flows
# -----------------------------
import numpy as np

import thermoflux as tf
from thermoflux.landauer import Junction
from thermoflux.mixture import MixtureState, gaussian_weights, step_weights

reservoirs = {"hot": tf.FermiDirac(temperature=2.0), "cold": tf.FermiDirac(temperature=0.5, mu=0.3)}
state = MixtureState(reservoirs, step_weights(0.5, 0.0))
flows = state.flows()
print(flows.table())
print("density:", state.density(), "  noise P_0:", state.noise()["hot", "hot"],
      "  cumulants of the hot outflow:", state.current_cumulants("hot", 3))
assert flows.entropy_production > 0

# %%
# The mixed distribution is not a Gibbs distribution: right movers (k > 0) are populated by
# the hot reservoir alone (w_1 = 1 for c₊ = ½), left movers half by each.
import matplotlib.pyplot as plt

k = np.linspace(-4, 4, 801)
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
ax.plot(k, state.distribution(k), label="d_mix(k), c₊ = ½, c₋ = 0")
for name, dist in reservoirs.items():
    ax.plot(k, dist.occupation(k**2 / 2), "--", lw=1, label=f"d_{name}(k²/2)")
ax.set(xlabel="momentum k", ylabel="occupation")
ax.legend()
plt.show()

# %%
# The same physics as a Landauer junction
# ---------------------------------------
# With E = k²/2m, dk k/m = dE, eq. 50 is a Landauer integral with T(E) = I(k(E)) for E > 0:
# the mean flows of a mixture state equal those of a junction. ``tests/crosscheck`` checks it
# to 1e-9 relative; here with the Gaussian weights of eq. 11, I(k) = e^{−ξk²} = e^{−2mξE}.
xi = 0.35
mixture = MixtureState(reservoirs, gaussian_weights(xi)).flows()
junction = Junction(reservoirs, {("hot", "cold"): lambda e: np.where(e > 0, np.exp(-2 * xi * np.maximum(e, 0)), 0.0)},
                    breakpoints=[0.0]).flows()
for quantity in ("particle", "energy", "entropy"):
    a, b = getattr(mixture, quantity)["hot"], getattr(junction, quantity)["hot"]
    print(f"{quantity:9s} mixture {a:.12f}   landauer {b:.12f}")
    assert abs(a - b) <= 1e-9 * abs(b)

# %%
# Seed 000, Figs. 2–4, regenerated
# --------------------------------
# :func:`thermoflux.reproduce.seed000.reproduce` draws the counting probabilities and the
# current integrand (Fig. 2), the Lorenz number against βμ (Fig. 3) and the zero-frequency
# noise (Fig. 4) by the general quadrature of :mod:`thermoflux.mixture`, with the paper's
# closed forms on top. Reduced size: 201 grid points per curve (``full=True``: 801). Shown
# here: Fig. 3, the deviation of the Lorenz number from L_0 = π²/3, computed from derivatives
# of the currents (eqs. 80–83) and from the corrected closed form of eq. 85.
import tempfile
from pathlib import Path


from thermoflux.reproduce import seed000
from thermoflux.plotting import show_image

report = seed000.reproduce(Path(tempfile.mkdtemp()), full=False)
show_image(next(f for f in report.figures if "fig3" in f.name))
plt.show()

# %%
# Fig. 4: the noise P_0 against μ₋ at and away from equilibrium.
show_image(next(f for f in report.figures if "fig4" in f.name))
plt.show()

# %%
# The claims of the paper that the reproduction checks:
print(report.claims_table())
assert report.passed

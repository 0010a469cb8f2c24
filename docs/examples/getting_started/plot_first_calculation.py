"""
The first calculation: a resonant level between two leads
=========================================================

A single level at energy ε₀ = 1 couples to a hot and a cold lead with widths Γ_hot = Γ_cold = Γ.
In the Landauer–Büttiker picture (seed 004, eqs. 17–19) its transmission is the Lorentzian

    T(E) = Γ_hot Γ_cold / ((E − ε₀)² + (Γ_hot + Γ_cold)²/4),

and the currents out of lead α are integrals over energy weighted by the difference of the
leads' occupations, J^N_α = ∫ dE/2π T(E) [f_α(E) − f_β(E)]. This page computes them, reads the
result, checks the first and second laws, and saves a swept result to a file.
"""

# %%
# Reservoirs are distributions; a method turns them into Flows
# ---------------------------------------------------------------
# Temperatures and chemical potentials are keyword-only (``FermiDirac(0.7)`` would be
# ambiguous). The hot lead sits at T = 1, μ = 0; the cold one at T = 0.5 and a higher μ = 0.2.
import numpy as np

import thermoflux as tf
from thermoflux.landauer import Junction, lorentzian

reservoirs = {
    "hot": tf.FermiDirac(temperature=1.0, mu=0.0),
    "cold": tf.FermiDirac(temperature=0.5, mu=0.2),
}
junction = Junction(reservoirs, lorentzian(level=1.0, widths={"hot": 0.05, "cold": 0.05}))
flows = junction.flows()
print(flows.table())

# %%
# Reading a Flows
# ---------------
# Every mapping is keyed by reservoir name, and every current is positive when it flows **out
# of** the reservoir into the system. Here particles leave the hot lead (``particle["hot"] >
# 0``) and enter the cold one, although the cold lead has the higher chemical potential: the
# level sits above both μ, where the hot lead is the more occupied. The heat current is
# J^Q = J^E − μ J^N, and ``entropy[α]`` = dS_α/dt = −J^Q_α/T_α for a thermal lead.
print("particles out of hot :", flows.particle["hot"])
print("energy out of hot    :", flows.energy["hot"])
mu_cold, t_cold = reservoirs["cold"].mu, reservoirs["cold"].temperature
print("heat out of cold     :", flows.heat["cold"], "= J^E − μ J^N =", flows.energy["cold"] - mu_cold * flows.particle["cold"])
print("dS_cold/dt           :", flows.entropy["cold"], "= −J^Q/T =", -flows.heat["cold"] / t_cold)

# %%
# The first law (particles and energy are conserved: the currents out of the two leads sum to
# zero) and the second (σ = Σ_α dS_α/dt ≥ 0) hold to the quadrature's accuracy, about 1e-12
# here. :meth:`~thermoflux.Flows.check` warns with a :class:`~thermoflux.ThermodynamicsWarning`
# when they do not.
print("particle residual:", flows.particle_residual)
print("energy residual  :", flows.energy_residual)
print("entropy production σ =", flows.entropy_production)
assert abs(flows.particle_residual) < 1e-12 and abs(flows.energy_residual) < 1e-12
assert flows.entropy_production > 0

# %%
# Particles climb the bias from hot to cold: the junction converts heat into chemical work,
# a thermoelectric generator. In seed 004's classification of machines it is a "pump" of
# particles; with the cold lead as the environment, the ratio of its output to the exergy it
# consumes is its efficiency over Carnot's, below 1 by the second law.
perf = tf.machine_performance(flows, "pump", reference_temperature=0.5)
print(perf)
assert 0 < perf.ratio < 1

# %%
# A result with a dimension is an xarray Dataset
# ----------------------------------------------
# A Junction vectorizes over arrays of temperatures, chemical potentials and transmission
# parameters. Sweep the bias μ_hot − μ_cold symmetrically: the result is a Dataset with dims
# ``point`` and ``reservoir``, units and the sign convention in its ``attrs``.
bias = np.linspace(-1.0, 1.0, 81)
swept = Junction(
    {"hot": tf.FermiDirac(temperature=1.0, mu=bias / 2), "cold": tf.FermiDirac(temperature=0.5, mu=-bias / 2)},
    lorentzian(level=1.0, widths={"hot": 0.05, "cold": 0.05}),
)
ds = swept.to_dataset().assign_coords(bias=("point", bias))
ds["bias"].attrs["units"] = "energy"
print(ds)

# %%
# Saving and loading a Dataset
# ----------------------------
# :func:`thermoflux.io.save_dataset` writes NetCDF atomically (temporary file, fsync, rename),
# so a crash never leaves half a file; :func:`thermoflux.io.load_dataset` reads it back with
# every attribute.
import tempfile
from pathlib import Path

path = tf.io.save_dataset(ds, Path(tempfile.mkdtemp()) / "resonant_level.nc")
again = tf.io.load_dataset(path)
assert np.array_equal(again["particle_current"].values, ds["particle_current"].values)
print({k: again.attrs[k] for k in ("method", "units", "sign_convention")})

# %%
# The figure
# ----------
# The current out of the hot lead changes sign where the bias μ_hot − μ_cold balances the
# temperature difference (the open-circuit voltage); the entropy production stays positive at
# every bias, since the two leads, at different temperatures, are never in equilibrium.
import matplotlib.pyplot as plt

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
left.plot(bias, ds["particle_current"].sel(reservoir="hot"), label="hot")
left.plot(bias, ds["particle_current"].sel(reservoir="cold"), "--", label="cold")
left.axhline(0, color="0.7", lw=0.8)
left.set(xlabel="bias μ_hot − μ_cold", ylabel="particle current out of the lead", title="currents")
left.legend()
right.plot(bias, ds["entropy_production"])
right.set(xlabel="bias μ_hot − μ_cold", ylabel="σ = Σ_α dS_α/dt", title="entropy production")
plt.show()
assert bool((ds["entropy_production"] > 0).all())

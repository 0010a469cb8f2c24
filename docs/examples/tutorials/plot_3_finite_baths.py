"""
Finite baths and the decomposition of the entropy production (seed 001)
=======================================================================

:mod:`thermoflux.finite_baths` follows a quadratic fermionic system between baths of
**finitely many** free modes, exactly, from the first instants to global thermalization
(Usui, Ptaszyński, Esposito, Strasberg, *Microscopic contributions to the entropy production at
all times*, seed 001). The state stays Gaussian, so the single-particle correlation matrix
𝒞_ij(t) = ⟨c†_i c_j⟩ carries everything; it evolves by one diagonalisation, with no time
stepping (eq. 19), so Γt = 10⁸ is as cheap and as exact as Γt = 1.

The model of the paper (Sec. III) is a single level ε_d between two baths of K equally spaced
modes on [−W/2, W/2], with tunnel amplitudes t_ν = √(Γ_ν Δε/2π) (eqs. 15–17). The entropy
production and its microscopic contributions, at every time, are

.. code-block:: text

    Σ(t)    = ΔS_S + Σ_ν [𝒮_ν(t) − 𝒮_ν(0)]                                   (eq. 7)
            = I_S−B + I_L−R + Σ_ν I_oν + D*_env(t) − D*_env(0)               (eqs. 12, 23)
    I_S−B   = S_S + S_B − S_SB          system–bath mutual information      (eq. 8)
    I_L−R   = S_L + S_R − S_B           bath–bath mutual information        (eq. 9)
    I_oν    = Σ_k s(n_νk) − S_ν          correlations inside bath ν          (eq. 10)
    D*_env  = Σ_νk D[ρ_νk ‖ π_νk(t)]     local athermality                   (eq. 11)
    σ − Σ   = Σ_νk D[π_νk(t) ‖ π_νk(0)] = D^eq_env   finite-bath effect      (eq. 14)

where 𝒮_ν(t) is the entropy of the grand-canonical state at the bath's effective (β*_ν, μ*_ν)
(eqs. 5–6) and σ uses the initial temperatures (eq. 13).

.. admonition:: Corrected misprints

   * Eq. 10 prints I_oν = Σ_k D[ρ_ν ‖ ⊗_k ρ_νk]; the sum over k does not belong there
     (``tests/finite_baths/test_many_body.py::test_block_entropies_and_corrected_eq10``, against
     exact many-body density matrices).
   * Eq. 19, 𝒞(t) = e^{i𝓗t} 𝒞(0) e^{−i𝓗t}, holds for a real 𝓗 only; for complex couplings
     𝓗 is conjugated (``test_many_body.py::test_eq19_needs_conjugate_hamiltonian_for_complex_couplings``).
   * Eq. 22 misplaces a bracket in the heat; the bound I_cl^max is ln min(d_X, d_Y), the
     logarithm missing in the paper
     (``tests/finite_baths/test_simulate.py::test_classical_bound_normalisation_has_the_logarithm``).
"""

# %%
# One run, every term at every time
# ---------------------------------
# Case (a) of the paper: β_L = 10, μ_L = 1 and β_R = 2, μ_R = −1, Γ = 3, W = 10, here with
# K = 40 modes per bath so that the page builds in a second.
import numpy as np

import thermoflux as tf
from thermoflux.finite_baths import resonant_level, simulate, thermal_state

model = resonant_level(n_modes=40, bandwidth=10.0, coupling=3.0)
state = thermal_state(model, {"L": tf.FermiDirac(beta=10.0, mu=1.0), "R": tf.FermiDirac(beta=2.0, mu=-1.0)}, 0.0)
times = np.geomspace(1e-2, 1e6, 80) / 3.0
ds = simulate(model, state, times)                     # an xarray Dataset, dims (time, reservoir)
print(ds[["entropy_produced", "system_bath_mutual_information", "local_athermality"]])

# %%
# The decomposition (eq. 12) holds to rounding at every time, and Σ ≥ 0 (eq. 7):
print("max |Σ − (I_SB + I_LR + Σ I_oν + D*_env)| =", float(abs(ds["decomposition_residual"]).max()))
assert float(abs(ds["decomposition_residual"]).max()) < 1e-9
assert float(ds["entropy_produced"].min()) >= -1e-12

# %%
# The terms against Γt: at short times Σ is mostly system–bath correlation; later the baths
# correlate with each other and drift away from their own Gibbs states; with only K = 40
# modes the Poincaré recurrence at t = 2π/Δε shows as the late wiggles.
import matplotlib.pyplot as plt

gt = 3.0 * ds["time"]
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
ax.loglog(gt, ds["entropy_produced"], "k", lw=2, label="Σ (eq. 7)")
ax.loglog(gt, ds["system_bath_mutual_information"], label="I_S−B (eq. 8)")
ax.loglog(gt, ds["bath_bath_mutual_information"], label="I_L−R (eq. 9)")
ax.loglog(gt, ds["intrabath_correlation"].sum("reservoir"), label="Σ_ν I_oν (eq. 10)")
ax.loglog(gt, ds["local_athermality"], label="D*_env (eq. 11)")
ax.loglog(gt, ds["finite_bath_effect"], ":", label="σ − Σ = D^eq_env (eq. 14)")
ax.set(xlabel="Γt", ylabel="entropy (nats)", ylim=(1e-6, 10))
ax.legend(fontsize=8)
plt.show()

# %%
# Where finite baths meet Landauer
# --------------------------------
# In regime I (after the transient, before the recurrence) the current out of finite baths
# approaches the steady Landauer current of the same level. For a flat band of width W the
# level acquires the self-energy Λ(E) − iΓ/2 with Λ(E) = (Γ/2π) ln|(E + W/2)/(E − W/2)|, so
# T(E) = Γ_L Γ_R / ((E − ε_d − Λ(E))² + Γ²/4) inside the band (here Γ_L = Γ_R = 3, Γ = 6).
# :func:`~thermoflux.finite_baths.flows` with ``window=(t1, t2)`` gives the exact window mean
# as a :class:`~thermoflux.Flows`, like every other method's (from the change of the bath
# contents, no sampling); ``tests/crosscheck/test_finite_baths_landauer.py`` checks the
# finite-K flows converge to Landauer's.
from thermoflux.finite_baths import flows
from thermoflux.landauer import Junction, Transmission

leads = {"L": tf.FermiDirac(beta=10.0, mu=1.0), "R": tf.FermiDirac(beta=2.0, mu=-1.0)}


def finite_band(energies, width=10.0, gamma_l=3.0, gamma_r=3.0):
    e = np.asarray(energies, dtype=float)
    with np.errstate(divide="ignore"):
        shift = (gamma_l + gamma_r) / (2 * np.pi) * np.log(np.abs((e + width / 2) / (e - width / 2)))
    return np.where(np.abs(e) < width / 2, gamma_l * gamma_r / ((e - shift) ** 2 + 0.25 * (gamma_l + gamma_r) ** 2), 0.0)


band = Transmission(finite_band, breakpoints=[-5.0, 5.0], centres=[0.0], scales=[3.0], support=(-5.0, 5.0))
landauer = Junction(leads, {("L", "R"): band}, breakpoints=[-5.0, 5.0], features=[(-5.0, 0.1), (5.0, 0.1)]).flows()
for k in (50, 100):
    m = resonant_level(k, 10.0, 3.0)
    recurrence = 2 * np.pi / (10.0 / (k - 1))
    plateau = flows(m, thermal_state(m, leads), window=(0.1 * recurrence, 0.6 * recurrence))
    jn = plateau.particle["L"]
    print(f"K = {k:3d}: particle current out of L {jn:.6f}   (Landauer, K → ∞: {landauer.particle['L']:.6f})")

# %%
# Seed 001, Figs. 4 and 5, regenerated
# ------------------------------------
# :func:`thermoflux.reproduce.seed001.reproduce` runs cases (a) and (b) at Γ = 3 and 30 from
# Γt = 10⁻² to 10⁸, the late-time averages against Γ (Fig. 6) and sampled pure initial states
# (Fig. 8). Reduced size: K = 100 modes per bath and 50 times (the paper, ``full=True``: K =
# 1000 and 200 times, hours on two cores); at K = 100 the finite-size terms are larger than in
# the paper. Fig. 5: Σ and its contributions against Γt.
import tempfile
from pathlib import Path


from thermoflux.reproduce import seed001
from thermoflux.plotting import show_image

report = seed001.reproduce(Path(tempfile.mkdtemp()), full=False)
show_image(next(f for f in report.figures if "fig5" in f.name))
plt.show()

# %%
# Fig. 4: effective temperatures and chemical potentials of the baths settle at the global
# equilibrium in regime III.
show_image(next(f for f in report.figures if "fig4" in f.name))
plt.show()

# %%
# The claims of the paper that the reproduction checks:
print(report.claims_table())
assert report.passed

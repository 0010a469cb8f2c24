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
# 1000 and 200 times, 8-20 minutes on two cores: see the last section); at K = 100 the finite-size
# terms are larger than in the paper. Fig. 5: Σ and its contributions against Γt.
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

# %%
# At the paper's size (K = 1000)
# -------------------------------
# ``thermoflux reproduce 001 --full -o DIR`` runs the paper's sizes: K = 1000 modes per bath
# (N = 2001 sites), 200 times from Γt = 10⁻² to 10⁸ for Figs. 4, 5 and 8, and six couplings
# Γ = 10^0.5 … 10³ for Fig. 6 — 18 simulations, run as one sweep in two worker processes with
# one progress bar and a checkpoint in ``DIR/seed001/checkpoint`` after each; after an
# interruption, ``--resume`` runs only the missing simulations and gives the identical report.
# On the shared 2-core machine it took **19 min 43 s** of wall time with other jobs running (peak
# memory 0.8 GB over its three processes) and **7 min 31 s** when idle, with the identical claims:
# 29 of 29 pass. The four figures below are that run's,
# stored with this documentation (``docs/_static/full/``) and not recomputed when it is built.
#
# .. code-block:: bash
#
#     thermoflux reproduce 001 --full -o DIR            # add --resume to continue a run
#
# .. figure:: /_static/full/seed001_fig4_temperatures.png
#    :alt: Fig. 4 at K = 1000: β*, μ* and D[ρ‖π]/S of both baths against log Γt
#    :width: 100%
#
#    Fig. 4 at K = 1000: β*, μ* and D[ρ‖π]/S of both baths against log Γt.
#
# .. figure:: /_static/full/seed001_fig5_entropy_production.png
#    :alt: Fig. 5 at K = 1000: Σ, σ and the terms of eq. 12 against log Γt
#    :width: 100%
#
#    Fig. 5 at K = 1000: Σ, σ and the terms of eq. 12 against log Γt.
#
# .. figure:: /_static/full/seed001_fig6_regime_three.png
#    :alt: Fig. 6 at K = 1000: regime-III averages against Γ
#    :width: 100%
#
#    Fig. 6 at K = 1000: regime-III averages against Γ.
#
# .. figure:: /_static/full/seed001_fig8_pure_states.png
#    :alt: Fig. 8 at K = 1000: a sampled pure state against the thermal ensemble
#    :width: 100%
#
#    Fig. 8 at K = 1000: a sampled pure state against the thermal ensemble.
#
# The claims checked at K = 1000:
#
# .. code-block:: text
#
#     [pass] eq. 12: Σ = I_SB + I_LR + Σ_ν I_oν + D*_env at every time
#            found 1.13469e-11; expected <= 1e-09
#     [pass] eq. 14: σ − Σ = D^eq_env at every time
#            found 9.54682e-12; expected <= 1e-09
#     [pass] Σ(t) >= 0 (eq. 7) and σ(t) >= Σ(t) (eq. 14)
#            found (5.17313e-29, 1.25774e-15); expected >= -1e-9 both
#     [pass] regime I: Σ ≈ σ (bath temperatures hardly change), Γt <= 0.1
#            found 0.000819832; expected (σ − Σ)/Σ < 0.05
#     [pass] case (a), Γ = 3: in regime III both baths settle at the global equilibrium (β*, μ*) (Fig. 4)
#            found (0.000838804, 0.00155775); expected relative β deviation < 0.05 and |Δμ| < 0.05
#     [pass] case (a): both baths heat up, settling below both initial β (Fig. 4 a-1)
#            found (1.50069, 1.50238); expected < 2 (= β_R(0)) for both
#     [pass] case (b), Γ = 3: in regime III both baths settle at the global equilibrium (β*, μ*) (Fig. 4)
#            found (0.00124827, 0.000146874); expected relative β deviation < 0.05 and |Δμ| < 0.05
#     [pass] case (b): transient thermoelectric effect — μ*_L − μ*_R opens in regime II (Fig. 4 b)
#            found (0.0121529, 0.000269303); expected max |Δμ| > 5e-3, final < max/2
#     [pass] D[ρ_ν‖π_ν]/𝒮_ν lies in [0, 1] (Fig. 4, third row)
#            found 0.641963; expected <= 1
#     [pass] case (a): the Fig. 6 averages lie in regime III, both baths at one (β*, μ*) (Sec. IV A)
#            found (0.0075, 0.022); expected window mean of |β*_L/β*_R − 1| and of |μ*_L − μ*_R| < 0.05
#     [pass] case (a): D^eq_env is by far the largest term in regime III (Fig. 6)
#            found [4.71, 4.74, 4.71, 4.71, 4.7, 4.74]; expected D^eq / Σ > 1 for every Γ
#     [pass] case (a): I_SB exceeds the classical bound for every Γ (Fig. 6)
#            found [1.787, 1.729, 1.486, 1.267, 1.145, 1.068]; expected I_SB / ln 2 > 1
#     [pass] case (a): I_LR and D*_env each exceed each I_oν in regime III (Fig. 6)
#            found [(110.03, 60.65, 34.12), (110.31, 67.44, 30.83), (111.93, 65.22, 30.99), (109.55, 56.66, 36.39), (110.54, 59.56, 34.39), (110.91, 55.99, 36.06)]; expected I_LR, D* > max_ν I_oν
#     [pass] case (a): interbath correlation insensitive to Γ (Fig. 6)
#            found 1.02179; expected max/min < 2 over the Γ range
#     [pass] case (b): the Fig. 6 averages lie in regime III, both baths at one (β*, μ*) (Sec. IV A)
#            found (0.0089, 0.0167); expected window mean of |β*_L/β*_R − 1| and of |μ*_L − μ*_R| < 0.05
#     [pass] case (b): D^eq_env is by far the largest term in regime III (Fig. 6)
#            found [2.62, 2.62, 2.64, 2.66, 2.66, 2.68]; expected D^eq / Σ > 1 for every Γ
#     [pass] case (b): I_SB exceeds the classical bound for every Γ (Fig. 6)
#            found [1.77, 1.765, 1.523, 1.298, 1.192, 1.108]; expected I_SB / ln 2 > 1
#     [pass] case (b): I_LR and D*_env each exceed each I_oν in regime III (Fig. 6)
#            found [(19.73, 12.73, 7.31), (19.8, 13.71, 7.07), (20.05, 12.82, 7.03), (19.84, 11.61, 7.58), (19.88, 11.63, 7.43), (19.9, 11.33, 7.6)]; expected I_LR, D* > max_ν I_oν
#     [pass] case (b): interbath correlation insensitive to Γ (Fig. 6)
#            found 1.01622; expected max/min < 2 over the Γ range
#     [pass] case (a): eq. 23 holds for a sampled pure state
#            found 1.09877e-11; expected <= 1e-09
#     [pass] case (a): late-time Σ of a pure state agrees with the ensemble once the realization's initial (E, N) mismatch is removed (Fig. 8, Sec. IV C)
#            found (250.781, 240.06, 10.793); expected |Σ_pure − mismatch − Σ_ens| < 0.05 Σ_ens
#     [pass] case (a): for a pure state D*_env(t) − D*_env(0) is negative in regime III (Sec. IV C)
#            found -52.031; expected < 0
#     [pass] case (a): final interbath correlation larger for the pure state (Fig. 8 a-4, b-4)
#            found (179.736, 110.802); expected pure > ensemble
#     [pass] case (a): D*_env(0) > 0 for a pure state (Fig. 8 a-5, b-5)
#            found 173.226; expected > 0
#     [pass] case (b): eq. 23 holds for a sampled pure state
#            found 1.33056e-11; expected <= 1e-09
#     [pass] case (b): late-time Σ of a pure state agrees with the ensemble once the realization's initial (E, N) mismatch is removed (Fig. 8, Sec. IV C)
#            found (60.645, 48.139, 12.669); expected |Σ_pure − mismatch − Σ_ens| < 0.05 Σ_ens
#     [pass] case (b): for a pure state D*_env(t) − D*_env(0) is negative in regime III (Sec. IV C)
#            found -112.599; expected < 0
#     [pass] case (b): final interbath correlation larger for the pure state (Fig. 8 a-4, b-4)
#            found (92.402, 19.929); expected pure > ensemble
#     [pass] case (b): D*_env(0) > 0 for a pure state (Fig. 8 a-5, b-5)
#            found 213.791; expected > 0

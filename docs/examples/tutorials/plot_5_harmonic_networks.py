"""
Harmonic networks and self-consistent probes (seed 003)
=======================================================

:mod:`thermoflux.harmonic_networks` treats L linearly coupled bosonic modes,
H = Σ_kl H_kl a†_k a_l, each possibly attached to local thermal baths and to self-consistent
(Büttiker) probes (Malouf, Santos, Correa, Paternostro, Landi, *Wigner entropy production and
heat transport in linear quantum lattices*, seed 003). A bath of rate γ and occupation n on
mode k acts through the local dissipator γ(n + 1) D[a_k] + γ n D[a†_k] (eq. 4); a probe is a
bath whose occupation is fixed self-consistently so that it exchanges no net energy. The state
stays Gaussian, so the covariances C_ij = ⟨a†_i a_j⟩ carry everything, and the steady state
solves a Lyapunov equation,

.. code-block:: text

    M C + C M† + F = 0                                                  (eqs. B5, D3)

in O(L³), or O(L) for a chain. The **Wigner entropy production** splits into one term per
dissipation channel (eqs. 17, 20), and in the steady state equals a sum over the internal
currents j_kl, which makes explicit that the unitary couplings sustain it (eqs. 24, 26). For
the chain of eq. 27 with hopping λ, end baths of rate γ and probes of rate Γ on every site:

.. code-block:: text

    J = 2λ²γ (n_L − n_1) / (4λ² + γ² + γΓ(L − 1))                        (eq. 30)
    Π = J [1/(n_1 + ½) − 1/(n_L + ½)]                                     (eq. 31)

ballistic (J independent of L) without probes, diffusive (Fourier's law, J ∝ 1/L) with them.

.. admonition:: Corrected misprints

   * Eq. B4a prints the damping with the wrong sign, +{C, Γ}, and the coherent term as i[C, H],
     which holds only when Hᵀ = const − H (the chain). The library uses −½{C, Γ} and i[Hᵀ, C]
     (``tests/harmonic_networks/test_chain.py::test_closed_form_eq29_to_31`` and the QuTiP
     Fock-space check ``tests/crosscheck/test_harmonic_qutip.py``).
   * Eq. 25b prints j_kl = −i H_kl (⟨a†_k a_l⟩ − ⟨a†_l a_k⟩), which vanishes for the real chain;
     eq. 25a gives j_kl = 2 Im(H_kl C_kl)
     (``tests/harmonic_networks/test_ness.py::test_currents_are_the_coherent_rate``).
"""

# %%
# A chain with baths at its ends and probes on every site
# --------------------------------------------------------
import numpy as np

from thermoflux.harmonic_networks import chain

L, hopping, gamma, n_1, n_L = 20, 0.5, 0.1, 1.0, 2.0


def steady_chain(big_gamma, sites=L):
    network = chain(sites, frequency=1.0, hopping=hopping)
    network.attach_bath(0, gamma, occupation=n_1, name="left") \
        .attach_bath(sites - 1, gamma, occupation=n_L, name="right")
    if big_gamma > 0:
        network.add_self_consistent_probes(big_gamma)
    return network.steady_state()


ness = steady_chain(0.05)
current = ness.particle_currents()["right"]         # out of the right bath into the chain
closed_current = 2 * hopping**2 * gamma * (n_L - n_1) / (4 * hopping**2 + gamma**2 + gamma * 0.05 * (L - 1))
print(f"current out of the right bath {current:.15f}; eq. 30: {closed_current:.15f}")
total = ness.entropy_production()
print(f"Wigner entropy production {total:.15f}; eq. 31: {closed_current * (1 / (n_1 + 0.5) - 1 / (n_L + 0.5)):.15f}")
print("split per channel: baths", ness.entropy_production(reservoirs="baths"),
      " probes", ness.entropy_production(reservoirs="probes"))
print("the same from the internal currents (eqs. 24, 26):", ness.unitary_entropy_production())
assert abs(current - closed_current) < 1e-12
assert abs(total - ness.unitary_entropy_production()) < 1e-10 * total

# %%
# Occupation profiles: flat inside a ballistic chain (jumps at the ends only), a linear
# gradient once the probes scatter the excitations.
import matplotlib.pyplot as plt

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
for big_gamma in (0.0, 0.01, 0.05, 0.2):
    left.plot(np.arange(1, L + 1), steady_chain(big_gamma).occupations, "o-", ms=3, label=f"Γ = {big_gamma}")
left.set(xlabel="site k", ylabel="occupation ⟨a†_k a_k⟩")
left.legend(fontsize=8)
sizes = np.array([10, 20, 40, 80, 160])
for big_gamma in (0.0, 0.05):
    right.loglog(sizes, [steady_chain(big_gamma, n).particle_currents()["right"] for n in sizes], "o-",
                 label="ballistic (Γ = 0)" if big_gamma == 0 else f"diffusive (Γ = {big_gamma})")
right.set(xlabel="chain length L", ylabel="current J")
right.legend(fontsize=8)
plt.show()

# %%
# Seed 003, Figs. 2 and 3, regenerated
# ------------------------------------
# :func:`thermoflux.reproduce.seed003.reproduce` draws the occupation profiles (Fig. 2) and the
# entropy production of the baths Π_r and of the probes Π_sc against L with fitted power laws,
# Π_r ~ L⁻², Π_sc ~ L⁻¹ (Fig. 3). Reduced size: L ≤ 1000 for Fig. 3 and ≤ 100 for Fig. 2(d)
# (``full=True``: 3000 and 200).
import tempfile
from pathlib import Path


from thermoflux.reproduce import seed003
from thermoflux.plotting import show_image

report = seed003.reproduce(Path(tempfile.mkdtemp()), full=False)
for path in report.figures:
    show_image(path)
plt.show()

# %%
# The claims of the paper that the reproduction checks:
print(report.claims_table())
assert report.passed

"""Bosonic Gaussian networks: Lyapunov steady states, exact dynamics, Wigner entropy production.

The method of seed 003 (Malouf, Santos, Correa, Paternostro, Landi, *Wigner entropy production
and heat transport in linear quantum lattices*): L linearly coupled bosonic modes,
H = Σ_kl H_kl a_k† a_l, each mode possibly attached to local thermal baths (local GKLS
dissipators, eq. 4) and to self-consistent reservoirs (Büttiker probes, Sec. IV). States stay
Gaussian, so everything follows from the covariances C_ij = ⟨a_i† a_j⟩ and S_ij = ⟨a_i a_j⟩.
"""

from __future__ import annotations

from thermoflux.harmonic_networks.dynamics import evolve
from thermoflux.harmonic_networks.gaussian import (
    WIGNER_RENYI_OFFSET,
    GaussianState,
    augmented_covariance,
    renyi2_entropy,
    symplectic_eigenvalues,
    von_neumann_entropy,
    wigner_entropy,
)
from thermoflux.harmonic_networks.ness import NESS, excitation_currents
from thermoflux.harmonic_networks.network import Channel, Network, chain

__all__ = [
    "Network",
    "Channel",
    "chain",
    "NESS",
    "excitation_currents",
    "evolve",
    "GaussianState",
    "augmented_covariance",
    "wigner_entropy",
    "renyi2_entropy",
    "von_neumann_entropy",
    "symplectic_eigenvalues",
    "WIGNER_RENYI_OFFSET",
]

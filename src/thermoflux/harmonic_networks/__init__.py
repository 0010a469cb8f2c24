"""Bosonic Gaussian networks: Lyapunov steady states, exact dynamics, Wigner entropy production.

For heat transport through L linearly coupled bosonic modes with local baths (seed 003). Start:
``net = chain(3, frequency=1.0, hopping=0.1).attach_bath(0, 0.1, occupation=1.0)``, attach more,
then ``net.steady_state().flows()`` (a :class:`~thermoflux.Flows`), ``.to_dataset()``, ``net.evolve``.

The method of seed 003 (Malouf, Santos, Correa, Paternostro, Landi, *Wigner entropy production
and heat transport in linear quantum lattices*): H = Σ_kl H_kl a_k† a_l, each mode possibly
attached to local thermal baths (local GKLS dissipators, eq. 4) and to self-consistent
reservoirs (Büttiker probes, Sec. IV). Every bath and probe is a reservoir: the dim
``reservoir`` of the Datasets, the keys of :class:`~thermoflux.Flows`. States stay Gaussian, so
everything follows from the covariances C_ij = ⟨a_i† a_j⟩ and S_ij = ⟨a_i a_j⟩.
"""

from __future__ import annotations

from thermoflux.harmonic_networks.gaussian import GaussianState
from thermoflux.harmonic_networks.ness import NESS
from thermoflux.harmonic_networks.network import Channel, Network, chain

__all__ = [
    "Network",
    "Channel",
    "chain",
    "NESS",
    "GaussianState",
]

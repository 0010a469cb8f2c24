"""Landauer–Büttiker transport between thermal and non-thermal reservoirs (seed 004).

A coherent conductor described by transmissions T_αβ(E) between reservoirs whose occupations
may be thermal or not: particle, energy, heat and entropy currents (seed 004, eqs. 6, 17–19),
full counting statistics and noise (from T(E), or from the scattering matrix S(E) of a
tight-binding region for any number of leads and channels), linear response, and the N-demon
heat pump of seed 004 (Sec. V, App. C).
"""

from __future__ import annotations

from thermoflux.landauer.batch import JunctionTask
from thermoflux.landauer.counting import (
    cumulant_generating_function,
    current_cumulants,
    lorentzian_scattering_matrix,
)
from thermoflux.landauer.current_noise import Noise, noise
from thermoflux.landauer.fisher_lee import scattering_matrix_from_hamiltonian
from thermoflux.landauer.junction import Junction, JunctionIntegrals
from thermoflux.landauer.linear_response import LinearResponse, onsager_matrix
from thermoflux.landauer.ndemon import NDemon, n_demon, n_demon_cop_limit
from thermoflux.landauer.quadrature import EnergyGrid, build_energy_grid, plan_energy_grid
from thermoflux.landauer.transmissions import (
    Transmission,
    boxcar,
    constant,
    from_hamiltonian,
    lorentzian,
)

__all__ = [
    "Junction",
    "JunctionIntegrals",
    "JunctionTask",
    "EnergyGrid",
    "build_energy_grid",
    "plan_energy_grid",
    "Transmission",
    "lorentzian",
    "boxcar",
    "constant",
    "from_hamiltonian",
    "NDemon",
    "n_demon",
    "n_demon_cop_limit",
    "current_cumulants",
    "cumulant_generating_function",
    "lorentzian_scattering_matrix",
    "scattering_matrix_from_hamiltonian",
    "Noise",
    "noise",
    "LinearResponse",
    "onsager_matrix",
]

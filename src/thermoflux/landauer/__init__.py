"""Landauer–Büttiker transport through a coherent conductor between thermal or non-thermal reservoirs (seed 004).

Use it for non-interacting electrons or bosons with transmissions T_αβ(E): currents, counting statistics, noise, linear response.
Start: ``Junction({"L": FermiDirac(beta=..., mu=...), "R": ...}, lorentzian(0.0, {"L": 0.1, "R": 0.1})).flows()``.
"""

from __future__ import annotations

from thermoflux.landauer.batch import JunctionTask
from thermoflux.landauer.counting import cumulant_generating_function
from thermoflux.landauer.fisher_lee import scattering_matrix_from_hamiltonian
from thermoflux.landauer.junction import Junction
from thermoflux.landauer.ndemon import NDemon, n_demon
from thermoflux.landauer.transmissions import (
    Transmission,
    boxcar,
    constant,
    from_hamiltonian,
    lorentzian,
)

__all__ = [
    "Junction",
    "Transmission",
    "lorentzian",
    "boxcar",
    "constant",
    "from_hamiltonian",
    "scattering_matrix_from_hamiltonian",
    "cumulant_generating_function",
    "JunctionTask",
    "n_demon",
    "NDemon",
]

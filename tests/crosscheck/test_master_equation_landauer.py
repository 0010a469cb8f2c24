"""A single level between two fermionic leads: Pauli current = Landauer current of a Lorentzian
level in the sequential-tunnelling limit Γ ≪ k_B T (DESIGN.md, "How the methods meet")."""

from __future__ import annotations

import pytest

import thermoflux.landauer as landauer  # a plain import: a broken landauer must fail here, not skip
from thermoflux import FermiDirac
from thermoflux.master_equation import Field, StochasticLimit, System


def both(width, level=0.2):
    reservoirs = {"L": FermiDirac(beta=1.0, mu=0.5), "R": FermiDirac(beta=1.0, mu=-0.5)}
    widths = {"L": 2 * width, "R": width}
    coherent = landauer.Junction(reservoirs, landauer.lorentzian(level, widths)).flows()
    system = System([0.0, level], {"L": [[0, 1], [0, 0]], "R": [[0, 1], [0, 0]]}, particle_numbers=[0, 1])
    fields = {k: Field(reservoirs[k], widths[k]) for k in reservoirs}
    sequential = StochasticLimit(system, fields).flows()
    return coherent, sequential


def test_pauli_equals_landauer_in_sequential_limit():
    coherent, sequential = both(1e-4)  # Γ_total/T = 3e-4
    for kind in ("particle", "energy", "heat"):
        for lead in ("L", "R"):
            a, b = getattr(coherent, kind)[lead], getattr(sequential, kind)[lead]
            # the Lorentzian's tails differ from the δ-peak of sequential tunnelling by O(Γ/T):
            # measured ~0.5 Γ_total/T, so 2 Γ_total/T = 6e-4 bounds it with margin
            assert a == pytest.approx(b, rel=6e-4), (kind, lead)
    assert sequential.entropy_production == pytest.approx(coherent.entropy_production, rel=6e-4)


def test_difference_vanishes_linearly_in_width():
    diffs = []
    for width in (1e-3, 1e-4):
        coherent, sequential = both(width)
        diffs.append(abs(coherent.particle["L"] / sequential.particle["L"] - 1))
    # first-order in Γ/T: ten times narrower, ten times closer (±10% for the O(Γ²) rest and quadrature)
    assert diffs[0] / diffs[1] == pytest.approx(10.0, rel=0.1)

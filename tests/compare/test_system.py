"""OpenSystem: the system described once; bad input is refused naming the key (issue 10)."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import BoseEinstein, FermiDirac, InputError
from thermoflux.compare import OpenSystem, Reservoir

LEADS = {"L": FermiDirac(temperature=0.25, mu=0.4), "R": FermiDirac(temperature=0.4, mu=-0.3)}
H = [[0.15, 0.3], [0.3, -0.1]]


def dot(**changes):
    spec = {"hamiltonian": H, "statistics": "fermion",
            "reservoirs": {"L": (LEADS["L"], [0.01, 0.0]), "R": (LEADS["R"], [0.0, 0.01])}}
    spec.update(changes)
    return OpenSystem(**spec)


def test_vector_coupling_is_a_diagonal_width_matrix():
    system = dot()
    np.testing.assert_array_equal(system.couplings["L"], np.diag([0.01, 0.0]))
    assert isinstance(system.reservoirs["R"], Reservoir)
    assert system.is_quadratic and system.names == ("L", "R")


def test_channels_rebuild_the_width_matrix():
    g = np.array([[1.0, 0.4 + 0.3j], [0.4 - 0.3j, 0.5]])
    system = dot(reservoirs={"L": (LEADS["L"], g), "R": (LEADS["R"], [0.0, 1.0])})
    widths, vectors = system.reservoirs["L"].channels()
    # Σ_c γ_c u_c u_c† = Γ_L to rounding (eigh of a 2x2 matrix of norm ~1)
    np.testing.assert_allclose((vectors * widths) @ vectors.conj().T, g, atol=1e-14)
    assert system.reservoirs["R"].channels()[0].size == 1      # a zero width is no channel


def test_scaled_multiplies_every_width():
    scaled = dot().scaled(3.0)
    np.testing.assert_allclose(scaled.couplings["R"], np.diag([0.0, 0.03]), rtol=1e-15)
    with pytest.raises(InputError, match="factor"):
        dot().scaled(0.0)


@pytest.mark.parametrize(("changes", "key"), [
    ({"hamiltonian": [[0.1, 0.3], [0.2, 0.0]]}, "hamiltonian must be Hermitian"),
    ({"hamiltonian": [[0.1, 0.3, 0.0], [0.3, 0.0, 0.0]]}, "hamiltonian must be a non-empty square"),
    ({"reservoirs": {"L": (LEADS["L"], [0.01, 0.0, 0.0]), "R": (LEADS["R"], [0.0, 0.01])}},
     r"reservoirs\['L'\].coupling must be a vector of 2"),
    ({"reservoirs": {"L": (LEADS["L"], [[0.01, 0.02], [0.02, 0.01]]), "R": (LEADS["R"], [0.0, 0.01])}},
     r"reservoirs\['L'\].coupling must be positive semidefinite"),
    ({"reservoirs": {"L": (LEADS["L"], [[0.01, 0.02], [0.0, 0.01]]), "R": (LEADS["R"], [0.0, 0.01])}},
     r"reservoirs\['L'\].coupling must be Hermitian"),
    ({"reservoirs": {"L": LEADS["L"], "R": (LEADS["R"], [0.0, 0.01])}}, r"reservoirs\['L'\].coupling: missing"),
    ({"reservoirs": {"L": (LEADS["L"], None), "R": (LEADS["R"], [0.0, 0.01])}}, r"reservoirs\['L'\].coupling: missing"),
    ({"reservoirs": {"L": (LEADS["L"], [0.0, 0.0]), "R": (LEADS["R"], [0.0, 0.01])}}, "couples nothing"),
    ({"reservoirs": {"L": (BoseEinstein(temperature=1.0, mu=-1.0), [0.01, 0.0]), "R": (LEADS["R"], [0.0, 0.01])}},
     r"reservoirs\['L'\].distribution has boson statistics"),
    ({"interaction": [[0.0, 1.0], [0.5, 0.0]]}, "interaction must be symmetric"),
    ({"interaction": [[1.0, 1.0], [1.0, 0.0]]}, "interaction: the diagonal"),
    ({"bandwidth": -1.0}, "bandwidth"),
    ({"statistics": "anyon"}, "statistics"),
])
def test_bad_input_names_the_key(changes, key):
    with pytest.raises(InputError, match=key):
        dot(**changes)


def test_bosons_with_an_interaction_are_refused():
    bath = BoseEinstein(temperature=1.0, mu=-0.5)
    with pytest.raises(InputError, match="interaction: only fermions"):
        OpenSystem([[1.0, 0.1], [0.1, 1.2]], "boson", {"L": (bath, [0.1, 0.0]), "R": (bath, [0.0, 0.1])},
                   interaction=0.3)


def test_scalar_interaction_is_every_pair():
    system = dot(interaction=0.7)
    np.testing.assert_array_equal(system.interaction, [[0.0, 0.7], [0.7, 0.0]])
    assert not system.is_quadratic

"""thermoflux.landauer lists about ten names; each analysis of a junction is one method."""

from __future__ import annotations

import thermoflux.landauer as landauer
from thermoflux.landauer import Junction


def test_every_public_name_imports_and_has_a_docstring():
    for name in landauer.__all__:
        assert getattr(landauer, name).__doc__, name
    assert sorted(landauer.__all__) == sorted(
        ["Junction", "Transmission", "lorentzian", "boxcar", "constant", "from_hamiltonian",
         "scattering_matrix_from_hamiltonian", "cumulant_generating_function", "JunctionTask",
         "n_demon", "NDemon"])


def test_package_docstring_says_what_and_how_to_start_in_three_lines():
    lines = [line for line in landauer.__doc__.strip().splitlines() if line.strip()]
    assert len(lines) == 3 and lines[2].startswith("Start:"), lines


def test_each_analysis_exists_once_as_a_documented_method():
    for name in ("flows", "to_dataset", "integrals", "current_cumulants", "noise", "onsager_matrix", "audit"):
        method = getattr(Junction, name)
        assert method.__doc__ and not callable(getattr(landauer, name, None)), name

"""Shared run-config validation: every message starts with the dotted key."""

from __future__ import annotations

import pytest

from thermoflux import BoseEinstein, FermiDirac, InputError
from thermoflux import _config as cfg


@pytest.mark.parametrize("call, match", [
    (lambda: cfg.table([], "reservoirs"), r"^reservoirs: must be a table"),
    (lambda: cfg.table({"x": 1}, "reservoirs.L", allowed={"mu"}), r"^reservoirs\.L\.x: unknown key \(allowed: mu\)"),
    (lambda: cfg.table({}, "", required={"fields"}), r"^fields: missing"),
    (lambda: cfg.number(True, "mass"), r"^mass: must be a number"),
    (lambda: cfg.number(float("nan"), "mass"), r"^mass: must be finite"),
    (lambda: cfg.number(0, "mass", positive=True), r"^mass: must be positive"),
    (lambda: cfg.number(-1, "rate", nonnegative=True), r"^rate: must be non-negative"),
    (lambda: cfg.number(0.9, "c", maximum=0.5), r"^c: must be <= 0.5"),
    (lambda: cfg.integer(1.5, "n_modes", minimum=1), r"^n_modes: must be an integer >= 1"),
    (lambda: cfg.numbers([1, "a"], "energies"), r"^energies\.1: must be a number"),
    (lambda: cfg.numbers([1], "energies", length=2), r"^energies: must hold 2 numbers"),
    (lambda: cfg.matrix([[1, 2], [3]], "H"), r"^H: must be a list of equal-length lists"),
    (lambda: cfg.matrix([[1, 2]], "H", shape=(2, 2)), r"^H: must be a 2x2 matrix; got 1x2"),
    (lambda: cfg.choice("x", "kind", ("a", "b")), r"^kind: must be one of 'a', 'b'"),
    (lambda: cfg.thermal_distribution({"mu": 0}, "reservoirs.L", "fermion"), r"^reservoirs\.L\.temperature: give exactly one"),
    (lambda: cfg.thermal_distribution({"temperature": -1}, "reservoirs.L", "fermion"), r"^reservoirs\.L\.temperature: must be positive"),
    (lambda: cfg.thermal_distribution({"beta": 1}, "b", "fermion", default_mu=None), r"^b\.mu: missing"),
])
def test_errors_start_with_the_dotted_key(call, match):
    with pytest.raises(InputError, match=match):
        call()


def test_thermal_distribution_builds_the_right_class():
    assert cfg.thermal_distribution({"temperature": 0.5, "mu": 0.1}, "r", "fermion") == FermiDirac(2.0, 0.1)
    assert cfg.thermal_distribution({"beta": 2.0}, "r", "boson", default_mu=-0.5) == BoseEinstein(2.0, -0.5)
    assert cfg.numbers([1, 2.5], "e") == [1.0, 2.5]

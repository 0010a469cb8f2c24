"""Shared run-config validation: every message starts with the dotted key."""

from __future__ import annotations

import pytest

from thermoflux import BoseEinstein, FermiDirac, InputError, Tabulated
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
    (lambda: cfg.reservoir({"statistics": "fermion", "mu": 0}, "reservoirs.L"), r"^reservoirs\.L\.temperature: missing"),
    (lambda: cfg.reservoir({"statistics": "fermion", "beta": 1, "temperature": 1}, "reservoirs.L"),
     r"^reservoirs\.L\.temperature: give exactly one"),
    (lambda: cfg.reservoir({"statistics": "fermion", "temperature": -1}, "reservoirs.L"),
     r"^reservoirs\.L\.temperature: .*must be positive"),       # FermiDirac's own check, led by the key
    (lambda: cfg.reservoir({"beta": 1}, "reservoirs.L"), r"^reservoirs\.L\.statistics: missing"),
    (lambda: cfg.reservoir({"statistics": "anyon", "beta": 1}, "reservoirs.L"), r"^reservoirs\.L\.statistics: must be one of"),
    (lambda: cfg.reservoir({"statistics": "boson", "beta": 1}, "reservoirs.L", statistics="fermion"),
     r"^reservoirs\.L\.statistics: this method's reservoirs are 'fermion'"),
    (lambda: cfg.reservoir({"beta": 1, "rate": 2}, "b", statistics="boson"), r"^b\.rate: unknown key"),
    (lambda: cfg.reservoir({"beta": 1, "occupation": 0.5}, "b", statistics="boson", number_occupation=True),
     r"^b\.occupation: give either an occupation or temperature/beta"),
    (lambda: cfg.reservoir({"occupation": 0.5}, "b", statistics="boson"), r"^b\.occupation: must be a table"),
    (lambda: cfg.reservoir({"occupation": {"energies": [0, 1], "values": [0.5, 1.5]}}, "b", statistics="fermion"),
     r"^b\.occupation: occupations"),                             # Tabulated's own check: fermions need f <= 1
    (lambda: cfg.reservoir({"occupation": {"energies": [0, 1]}}, "b", statistics="fermion"),
     r"^b\.occupation\.values: missing"),
    (lambda: cfg.reservoir({"occupation": 0.5, "mu": 0.1}, "b", statistics="boson", number_occupation=True),
     r"^b\.mu: only meaningful with temperature or beta"),
    (lambda: cfg.built("network.hamiltonian", FermiDirac, beta=1.0, temperature=1.0), r"^network\.hamiltonian: FermiDirac needs"),
])
def test_errors_start_with_the_dotted_key(call, match):
    with pytest.raises(InputError, match=match):
        call()


def test_reservoir_builds_the_right_distribution():
    assert cfg.reservoir({"statistics": "fermion", "temperature": 0.5, "mu": 0.1}, "r") == FermiDirac(beta=2.0, mu=0.1)
    assert cfg.reservoir({"beta": 2.0, "mu": -0.5}, "r", statistics="boson") == BoseEinstein(beta=2.0, mu=-0.5)
    assert cfg.reservoir({"statistics": "fermion", "beta": 3.0}, "r").mu == 0.0       # mu defaults to 0
    tab = cfg.reservoir({"statistics": "fermion", "occupation": {"energies": [-1.0, 1.0], "values": [0.75, 0.25]}}, "r")
    assert isinstance(tab, Tabulated) and tab.mu is None and tab.statistics == "fermion"
    assert tab.occupation(0.0) == 0.5                                   # linear in f between the two points
    assert cfg.reservoir({"occupation": 2.0}, "r", statistics="boson", number_occupation=True) == 2.0
    assert cfg.numbers([1, 2.5], "e") == [1.0, 2.5]


def test_built_leads_a_constructors_message_with_the_key_it_names():
    def make(**kwargs):
        raise InputError(kwargs["message"])

    with pytest.raises(InputError, match=r"^reservoirs\.L: reservoirs\['L'\] must be"):
        cfg.built("reservoirs", make, message="reservoirs['L'] must be a FermiDirac")
    with pytest.raises(InputError, match=r"^mass: mass must be positive"):
        cfg.built("reservoirs", make, message="mass must be positive", keys={"mass": "mass"})
    with pytest.raises(InputError, match=r"^reservoirs: mu of the Bose"):
        cfg.built("reservoirs", make, message="mu of the Bose reservoir", keys={"mass": "mass"})


def test_every_example_writes_its_reservoirs_in_the_one_form():
    from pathlib import Path

    from thermoflux.io import load_config

    examples = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.toml"))
    assert len(examples) >= 6
    for path in examples:
        config = load_config(path)
        assert not {"fields", "baths", "statistics"} & set(config), path.name      # old dialects
        assert config["reservoirs"], path.name
        for name, spec in config["reservoirs"].items():
            assert "distribution" not in spec, (path.name, name)
            assert ("occupation" in spec) != ({"temperature", "beta"} & set(spec) != set()), (path.name, name)

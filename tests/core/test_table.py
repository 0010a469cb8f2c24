"""Plain-text tables (thermoflux._table) and Flows.table: long names and numbers stay apart."""

from __future__ import annotations

import pytest

from thermoflux import FermiDirac, Flows, InputError
from thermoflux._table import COLUMN_GAP, text_table


def test_long_cells_keep_a_gap_and_line_up():
    header = ["reservoir", "chemical_potential", "particle_current_error"]
    rows = [["a_reservoir_with_a_long_name", "-1.2345679e-300", "5.2621262e-18"], ["b", "0", "1"]]
    lines = text_table(header, rows)
    assert lines[0].split() == header                     # no two names run together
    assert [line.split() for line in lines[2:]] == rows
    assert set(lines[1]) == {"-"} and len(lines[1]) == max(len(line) for line in lines)
    # Right-aligned columns: every line ends at the same place; the widest cells are COLUMN_GAP apart.
    assert len({len(line) for line in lines}) == 1
    assert "chemical_potential" + " " * COLUMN_GAP + "particle_current_error" in lines[0]   # issue 14's pair


def test_ragged_rows_are_refused():
    with pytest.raises(InputError, match="rows"):
        text_table(["a", "b"], [["1"]])


def test_flows_table_separates_long_reservoir_names_and_numbers():
    # A name longer than the old 12-wide label column, a T of 10 characters and a mu of 12 (".6g")
    # in the old 10-wide columns ran together ("environment_hot_lead0.00123457", "2-1.23457e-06").
    reservoirs = {"environment_hot_lead": FermiDirac(temperature=1.23456789e-3, mu=-0.5),
                  "cold": FermiDirac(temperature=2.0, mu=-1.23456789e-6)}
    jn, je = -1.23456789e-11, 2.5e-13
    flows = Flows.from_currents(reservoirs, {"environment_hot_lead": jn, "cold": -jn},
                                {"environment_hot_lead": je, "cold": -je}, method="test")
    lines = flows.table().splitlines()
    assert lines[0].split() == ["reservoir", "T", "mu", "particle", "energy", "heat", "dS/dt"]
    for line, name in zip(lines[2:4], reservoirs):
        cells = line.split()
        assert len(cells) == 7 and cells[0] == name
        assert float(cells[3]) == pytest.approx(flows.particle[name], rel=1e-5, abs=0)  # printed with 6 digits
        assert float(cells[6]) == pytest.approx(flows.entropy[name], rel=1e-5, abs=0)

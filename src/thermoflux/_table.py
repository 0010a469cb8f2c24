"""Plain-text tables for the terminal (private): columns sized to their content, kept apart.

Used by :meth:`thermoflux.Flows.table` and ``thermoflux run``; a fixed column width ran long
names and numbers into their neighbours (``chemical_potentialparticle_current_error``).
"""

from __future__ import annotations

from collections.abc import Sequence

from thermoflux.errors import InputError

__all__ = ["COLUMN_GAP", "text_table"]

#: spaces between two columns, however wide their content
COLUMN_GAP = 2


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Lines of a table: the header, a rule, then one line per row.

    The first column (labels) is left-aligned, the others (numbers) right-aligned. Each column is
    as wide as its widest cell, header included, and neighbours are :data:`COLUMN_GAP` spaces
    apart, so no name or number runs into the next one.
    """
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    if any(len(row) != len(cells[0]) for row in cells):
        raise InputError(f"rows: every row needs {len(cells[0])} cells, as the header has; "
                         f"got rows of {sorted({len(row) for row in cells[1:]})}")
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    gap = " " * COLUMN_GAP

    def line(row: list[str]) -> str:
        first = f"{row[0]:<{widths[0]}}"
        return (first + "".join(gap + f"{c:>{w}}" for c, w in zip(row[1:], widths[1:]))).rstrip()

    lines = [line(row) for row in cells]
    rule = "-" * max(len(text) for text in lines)
    return [lines[0], rule, *lines[1:]]

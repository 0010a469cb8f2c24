"""Progress bars for long work: tqdm on a terminal, quiet otherwise (private)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

__all__ = ["progress_bar"]


def progress_bar(iterable: Iterable[Any], *, total: int | None = None, desc: str | None = None,
                 enabled: bool | None = None) -> Iterable[Any]:
    """Wrap ``iterable`` in a tqdm bar when ``enabled`` (default: only when stderr is a terminal)."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, leave=False)

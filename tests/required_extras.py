"""``require(module)``: import a module of the ``test`` extra, or fail saying how to install it.

QuTiP, dask.distributed, mpmath and hypothesis are in the ``test`` extra of pyproject.toml
because some tests are the only independent reference for what they check (the Fock-space
checks of harmonic dynamics and of the GKSL generator need QuTiP). With
``pytest.importorskip`` a missing one made those checks vanish as one line of skip output, and
``pip install '.[test]' && pytest`` still passed. ``require`` makes it an error instead: a test
that calls it fails, a test file that calls it at module level fails to collect (pytest then
stops: nothing else runs until the extra is installed), each time with a message naming the
command to run. A partial install can opt out with THERMOFLUX_ALLOW_MISSING_EXTRAS=1: the
tests are then skipped with the same reason. Imported by name because tests/conftest.py puts
this folder on sys.path.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest

__all__ = ["require", "ALLOW_MISSING"]

#: environment variable that turns a missing required module into a skip (value "1").
ALLOW_MISSING = "THERMOFLUX_ALLOW_MISSING_EXTRAS"


def require(module: str) -> ModuleType:
    """Import and return ``module``; if it cannot be imported, fail (skip when opted out)."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:  # also a broken install: its message is shown
        problem = f"{module} cannot be imported ({type(exc).__name__}: {exc})"
    reason = f"{problem}; these tests need it and the test extra provides it: pip install '.[test]'"
    if os.environ.get(ALLOW_MISSING) == "1":
        pytest.skip(f"{reason} [skipped because {ALLOW_MISSING}=1]", allow_module_level=True)
    pytest.fail(f"{reason} (or set {ALLOW_MISSING}=1 to skip them)", pytrace=False)

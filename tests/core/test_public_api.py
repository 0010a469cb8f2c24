"""Every name a public module lists in __all__ exists (so `from x import *` works)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import thermoflux


def public_modules():
    names = ["thermoflux"]
    for info in pkgutil.walk_packages(thermoflux.__path__, prefix="thermoflux."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            names.append(info.name)
    return names


@pytest.mark.parametrize("name", public_modules())
def test_all_names_exist(name):
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    for attr in exported:
        assert hasattr(module, attr), f"{name}.__all__ lists {attr!r}, which does not exist"

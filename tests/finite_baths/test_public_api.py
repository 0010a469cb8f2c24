"""Every name in thermoflux.finite_baths.__all__ imports and is documented."""

from __future__ import annotations

import importlib

import thermoflux.finite_baths as fb

MODULES = ["model", "states", "dynamics", "secular", "temperatures", "decomposition", "simulate",
           "ensembles", "config"]


def test_every_listed_name_imports():
    for name in fb.__all__:
        obj = getattr(fb, name)
        assert obj.__doc__, name


def test_every_module_has_all():
    for mod in MODULES:
        m = importlib.import_module(f"thermoflux.finite_baths.{mod}")
        assert isinstance(m.__all__, list) and m.__all__
        for name in m.__all__:
            assert hasattr(m, name)

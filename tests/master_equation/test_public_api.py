"""Every name listed in thermoflux.master_equation.__all__ imports and is documented."""

from __future__ import annotations

import importlib

import thermoflux.master_equation as me


def test_every_listed_name_imports():
    for name in me.__all__:
        obj = getattr(me, name)
        assert obj.__doc__, f"{name} has no docstring"
    modules = ["system", "generator", "stationary", "currents", "stochastic_limit", "balance",
               "linear_response", "config", "audit"]
    for mod in modules:
        module = importlib.import_module(f"thermoflux.master_equation.{mod}")
        assert module.__all__, mod
        for name in module.__all__:
            assert hasattr(module, name), (mod, name)


def test_no_qutip_or_matplotlib_import_in_library():
    import sys

    for mod in list(sys.modules):
        if mod.startswith("thermoflux.master_equation"):
            src = importlib.import_module(mod).__file__
            text = open(src, encoding="utf-8").read()
            assert "import qutip" not in text and "matplotlib" not in text, mod

"""Every name listed in thermoflux.sweep.__all__ imports; every module has __all__."""

from __future__ import annotations

import importlib

import thermoflux.sweep as sweep_package

MODULES = ["grid", "results", "checkpoint", "executors", "tasks", "runner"]


def test_every_listed_name_imports():
    for name in sweep_package.__all__:
        assert getattr(sweep_package, name) is not None, name


def test_every_module_lists_all():
    for module in MODULES:
        mod = importlib.import_module(f"thermoflux.sweep.{module}")
        for name in mod.__all__:
            assert hasattr(mod, name), f"{module}.{name}"


def test_importing_sweep_does_not_import_dask():
    import subprocess
    import sys

    code = "import sys, thermoflux.sweep; print('distributed' in sys.modules, 'dask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(importlib.import_module("thermoflux").__path__[0].rsplit("/", 1)[0])})
    assert out.stdout.split() == ["False", "False"]

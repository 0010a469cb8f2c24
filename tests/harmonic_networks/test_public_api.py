"""Every public name of thermoflux.harmonic_networks imports and is listed in __all__."""

from __future__ import annotations

import importlib

MODULES = ["network", "lyapunov", "gaussian", "entropy_production", "ness", "dynamics", "config"]


def test_every_listed_name_imports():
    from thermoflux.harmonic_networks import (  # noqa: F401
        NESS,
        Channel,
        GaussianState,
        Network,
        chain,
    )
    pkg = importlib.import_module("thermoflux.harmonic_networks")
    for name in pkg.__all__:
        assert hasattr(pkg, name), name
    assert len(pkg.__all__) == 5


def test_every_module_has_all():
    for mod in MODULES:
        module = importlib.import_module(f"thermoflux.harmonic_networks.{mod}")
        assert isinstance(module.__all__, list)
        for name in module.__all__:
            assert hasattr(module, name), (mod, name)


def test_physics_modules_do_not_import_matplotlib():
    import subprocess
    import sys

    code = ("import sys, thermoflux.harmonic_networks as h; "
            "h.chain(3, frequency=1.0, hopping=0.1).attach_bath(0, 0.1, occupation=1.0).steady_state(); "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(importlib.import_module("thermoflux").__path__[0].rsplit("/", 1)[0])})
    assert out.stdout.strip() == "False", out.stderr

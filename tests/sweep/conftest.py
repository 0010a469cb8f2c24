"""Make the sweep test tasks picklable by value, so worker processes need not import tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("thermoflux_sweep_test_tasks", Path(__file__).with_name("_tasks.py"))
tasks = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = tasks
_spec.loader.exec_module(tasks)

try:
    import cloudpickle

    cloudpickle.register_pickle_by_value(tasks)
except ImportError:  # pragma: no cover - cloudpickle comes with dask
    pass


@pytest.fixture
def sweep_tasks():
    """The module of cheap tasks (also importable as ``thermoflux_sweep_test_tasks``)."""
    return tasks

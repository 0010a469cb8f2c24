"""Shared pytest configuration: a derandomized hypothesis profile, the slow marker, and
``required_extras.require`` importable from every test file (this folder on sys.path)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

_HERE = str(Path(__file__).parent)
if _HERE not in sys.path:  # for ``from required_extras import require``
    sys.path.insert(0, _HERE)

try:
    from hypothesis import HealthCheck, settings

    # Derandomized and database-free: CI runs are reproducible and leave no files behind.
    settings.register_profile(
        "ci", derandomize=True, database=None, deadline=None, max_examples=60,
        suppress_health_check=[HealthCheck.too_slow],
    )
    settings.register_profile("dev", deadline=None, max_examples=200)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # pragma: no cover - hypothesis is in the test extra
    pass


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", default=False,
                     help="also run checks marked slow (their fast versions always run)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow (a fast version of the check runs)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)

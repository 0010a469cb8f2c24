"""Shared pytest configuration: a derandomized hypothesis profile and the slow marker."""

from __future__ import annotations

import os

import pytest

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

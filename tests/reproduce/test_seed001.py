"""Seed 001 reproduction (reduced sizes): figures exist and every claim passes."""

from __future__ import annotations

from thermoflux.reproduce import load


def test_seed001_reproduces(tmp_path):
    module = load("001")
    report = module.reproduce(tmp_path, full=False)
    assert report.seed == "001"
    assert len(report.figures) == 4
    for fig in report.figures:
        assert fig.exists() and fig.stat().st_size > 10_000
    failed = [c.claim for c in report.claims if not c.passed]
    assert not failed, failed
    assert len(report.claims) >= 15

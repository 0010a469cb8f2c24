"""Seed 003 reproduction: figures are written and every claim passes (reduced sizes)."""

from __future__ import annotations

from thermoflux.reproduce import load


def test_seed003_reproduces(tmp_path):
    module = load("003")
    assert module.SEED == "003"
    report = module.reproduce(tmp_path)
    assert len(report.figures) == 2
    for path in report.figures:
        assert path.exists() and path.stat().st_size > 10_000
    failed = [c for c in report.claims if not c.passed]
    assert not failed, failed
    assert len(report.claims) >= 9

"""Seed 004 reproduction: figure written, every claim passes."""

from __future__ import annotations

from thermoflux.reproduce import load


def test_reproduce_seed004(tmp_path):
    module = load("004")
    assert module.SEED == "004"
    report = module.reproduce(tmp_path, full=False)
    assert report.figures and all(p.exists() and p.stat().st_size > 1000 for p in report.figures)
    failed = [c for c in report.claims if not c.passed]
    assert not failed, failed
    assert len(report.claims) >= 8

"""thermoflux.reproduce.seed002 runs (full=False), writes its figures and every claim passes."""

from __future__ import annotations

from thermoflux.reproduce import load


def test_seed002_reproduces(tmp_path):
    module = load("002")
    assert module.SEED == "002" and module.TITLE
    report = module.reproduce(tmp_path, full=False)
    assert len(report.figures) == 2
    for path in report.figures:
        assert path.exists() and path.stat().st_size > 1000
    failed = [c for c in report.claims if not c.passed]
    assert not failed, failed
    assert len(report.claims) >= 10

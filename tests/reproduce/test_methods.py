"""thermoflux.reproduce.methods: the cross-method page runs, draws its figure, and every claim passes."""

from __future__ import annotations

from thermoflux.reproduce import load


def test_cross_method_page_reproduces(tmp_path):
    module = load("methods")
    report = module.reproduce(tmp_path, full=False)
    assert [p.name for p in report.figures] == ["methods_vs_coupling.png"]
    assert report.figures[0].stat().st_size > 1000
    failed = [c for c in report.claims if not c.passed]
    assert not failed, failed
    assert len(report.claims) == 3

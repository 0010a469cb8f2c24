"""seed000 reproduction: figures are written and every claim passes (fast mode)."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux.reproduce import load


def test_reproduce_seed000(tmp_path):
    module = load("000")
    assert module.SEED == "000" and module.TITLE
    report = module.reproduce(tmp_path, full=False)
    assert len(report.figures) == 3
    for path in report.figures:
        assert path.exists() and path.stat().st_size > 10_000
    failed = [c for c in report.claims if not c.passed]
    assert not failed, failed
    assert len(report.claims) >= 9


def test_closed_form_helpers_are_the_papers():
    from thermoflux.reproduce.seed000 import lorenz_closed_form, noise_closed_form

    # eq. 86 values and the equilibrium limit of eq. 123 (μ1 → μ2 gives eq. 119 per reservoir)
    assert lorenz_closed_form(0.0) == pytest.approx(np.pi**2 / 3, rel=1e-14)
    beta, mu = 0.5, 1.2
    p = noise_closed_form(beta, mu + 1e-7, mu - 1e-7, 0.0, 0.0)
    assert p == pytest.approx(1 / (np.pi * beta * (1 + np.exp(-beta * mu))), rel=1e-7)

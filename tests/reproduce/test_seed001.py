"""Seed 001 reproduction: figures and claims at the reduced size; a run that resumes."""

from __future__ import annotations

import re

import pytest
import xarray as xr

from thermoflux import InputError
from thermoflux.reproduce import load, seed001
from thermoflux.reproduce.gallery import format_value

#: Small enough for a test (10 simulations, ~2 s), large enough that every sampled pure state
#: has finite effective temperatures (at K = 30 none of seeds 5..24 has).
TINY = seed001.Sizes(40, 6, (3.0, 10.0), 4)


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
    assert not (tmp_path / "checkpoint").exists()  # the reduced run keeps no checkpoint
    # The paper's baths run past their recurrence time on purpose: the audit in the gallery says
    # so as warnings (recurrence: t_max/t_rec = 1e8/3 / (2π/Δε) ≫ 1), never as errors.
    (audit,) = report.audits.values()
    assert not audit.errors and {f.check for f in audit.warnings} >= {"recurrence"}


class SimulationCounter:
    """Records every simulation the reproduction runs; ``interrupt_after`` raises Ctrl-C after some."""

    def __init__(self, monkeypatch):
        self.calls: list[tuple] = []
        self.interrupt_after: int | None = None
        original = seed001._Simulation.__call__

        def counted(task, kind, case, gamma):
            if self.interrupt_after is not None and len(self.calls) == self.interrupt_after:
                raise KeyboardInterrupt  # as Ctrl-C during the next simulation
            self.calls.append((kind, case, gamma))
            return original(task, kind, case, gamma)

        monkeypatch.setattr(seed001._Simulation, "__call__", counted)

    def reset(self, interrupt_after: int | None = None) -> list[tuple]:
        self.calls, self.interrupt_after = [], interrupt_after
        return self.calls


def _key(point: dict) -> tuple:
    return point["kind"], point["case"], point["gamma"]


def test_an_interrupted_run_resumes_with_only_the_missing_simulations(monkeypatch, tmp_path):
    points = [_key(p) for p in seed001.simulation_grid(TINY)]
    checkpoint = tmp_path / "checkpoint"
    counter = SimulationCounter(monkeypatch)
    first = counter.reset(interrupt_after=3)
    with pytest.raises(KeyboardInterrupt):
        seed001.compute(TINY, checkpoint=checkpoint)
    assert first == points[:3]
    second = counter.reset()
    resumed = seed001.compute(TINY, checkpoint=checkpoint, resume=True)
    assert second == points[3:]  # each finished simulation was checkpointed, none is redone

    third = counter.reset()
    again = seed001.compute(TINY, checkpoint=checkpoint, resume=True)
    assert third == []  # a finished run resumes without computing anything

    reference = seed001.compute(TINY)  # uninterrupted, no checkpoint
    assert list(resumed) == list(reference) == points
    for key in points:
        xr.testing.assert_equal(resumed[key], reference[key])
        xr.testing.assert_identical(again[key], resumed[key])
    claims = [[(c.claim, format_value(c.found), c.passed) for c in seed001.check_claims(r, TINY)]
              for r in (resumed, reference)]
    assert claims[0] == claims[1]


def test_resuming_a_checkpoint_of_another_size_is_refused(tmp_path):
    checkpoint = tmp_path / "seed001" / "checkpoint"
    seed001.compute(TINY, checkpoint=checkpoint)
    other = seed001.Sizes(44, TINY.times, TINY.couplings, TINY.window_times)  # same grid, other K
    with pytest.raises(InputError, match=re.escape(repr(str(checkpoint))) + ".*another sweep"):
        seed001.compute(other, checkpoint=checkpoint, resume=True)
    fewer = seed001.Sizes(TINY.modes, TINY.times, TINY.couplings[:1], TINY.window_times)
    with pytest.raises(InputError, match=re.escape(repr(str(checkpoint))) + ".*grid shape"):
        seed001.compute(fewer, checkpoint=checkpoint, resume=True)
    with pytest.raises(InputError, match="--resume"):  # a finished run is not silently redone
        seed001.compute(TINY, checkpoint=checkpoint)

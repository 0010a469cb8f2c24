"""Network.audit: local-Lindblad validity and stability of the drift (issue 12)."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import BoseEinstein
from thermoflux.harmonic_networks import chain


def test_weak_hopping_chain_gives_no_finding():
    network = chain(10, frequency=1.0, hopping=1e-5).attach_bath(0, 1e-5, occupation=1.0) \
        .attach_bath(9, 1e-5, occupation=2.0)
    network.add_self_consistent_probes(1e-6)
    assert len(network.audit()) == 0


@pytest.mark.parametrize("hopping, severity", [(2.0, "error"), (0.5, "warning"), (0.01, None)])
def test_local_lindblad_relative_change_of_the_bath_occupation(hopping, severity):
    network = chain(5, frequency=1.0, hopping=hopping).attach_bath(0, 0.1, occupation=2.0) \
        .attach_bath(4, 0.1, occupation=2.0)
    found = network.audit().by_check("local-lindblad")
    if severity is None:
        assert not found
        return
    assert {f.severity for f in found} == {severity}
    # end site: Λ = λ, n = 2 at ω = 1 implies β = ln(1 + 1/n); value = λ β n
    assert found[0].value == pytest.approx(hopping * np.log(1.5) * 2.0, rel=1e-12)


def test_local_lindblad_uses_the_bath_temperature_when_given():
    network = chain(3, frequency=1.0, hopping=0.5) \
        .attach_bath(0, 0.1, distribution=BoseEinstein(temperature=0.5))
    network.attach_bath(2, 0.1, occupation=0.0)                  # n = 0: rates do not depend on ω
    (finding,) = network.audit().by_check("local-lindblad")
    n = 1.0 / np.expm1(2.0)
    assert finding.subject == "bath0" and finding.value == pytest.approx(0.5 * 2.0 * n, rel=1e-12)


def test_stability_flags_a_dark_mode():
    # A bath on the middle of a uniform 3-chain leaves (a_0 + a_2)/√2 (in this gauge) undamped.
    dark = chain(3, frequency=1.0, hopping=0.01).attach_bath(1, 0.1, occupation=1.0).audit()
    (finding,) = dark.by_check("stability")
    assert finding.severity == "error" and abs(finding.value) < 1e-12   # Re λ = 0 to rounding
    end = chain(3, frequency=1.0, hopping=0.01).attach_bath(0, 0.1, occupation=1.0).audit()
    assert not end.by_check("stability") and not end.errors

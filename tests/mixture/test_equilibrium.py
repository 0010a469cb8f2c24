"""Equilibrium check: KMS (case a, eq. 51) and balanced weights (case b, eq. 52)."""

from __future__ import annotations

import numpy as np

from thermoflux import FermiDirac
from thermoflux.mixture import MixtureState, WeightFunction, gaussian_weights, step_weights


def test_case_a_equal_reservoirs_is_kms():
    s = MixtureState([FermiDirac(beta=2.0, mu=0.5), FermiDirac(beta=2.0, mu=0.5)], gaussian_weights(0.3))
    c = s.equilibrium_check()
    assert c.kms and not c.balanced and c.case == "a" and c.is_equilibrium


def test_case_b_even_weights_no_transport_but_not_kms():
    s = MixtureState([FermiDirac(beta=0.5, mu=2.0), FermiDirac(beta=2.0, mu=-1.0)], step_weights(0.2, 0.2))
    c = s.equilibrium_check()
    assert not c.kms and c.balanced and c.case == "b" and c.is_equilibrium
    assert s.particle_current() == 0.0 and s.entropy_production() == 0.0


def test_out_of_equilibrium():
    s = MixtureState([FermiDirac(beta=0.5, mu=2.0), FermiDirac(beta=2.0, mu=-1.0)], gaussian_weights(0.3))
    c = s.equilibrium_check()
    assert not c.kms and not c.balanced and not c.is_equilibrium and c.case == ""


def test_unused_reservoir_does_not_break_kms():
    zero = WeightFunction(lambda k: np.zeros_like(k))
    one = WeightFunction(lambda k: np.ones_like(k))
    s = MixtureState([FermiDirac(beta=0.5, mu=2.0), FermiDirac(beta=2.0, mu=-1.0)], [one, zero])
    c = s.equilibrium_check()
    assert c.kms and c.balanced and c.case == "a+b"

"""Model factories shared by the master_equation tests."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import BoseEinstein
from thermoflux.master_equation import Field, StochasticLimit, System


def random_two_field_model(rng: np.random.Generator, n: int = 5, *, beta_hot: float = 0.5,
                           beta_cold: float = 2.0, mu: float = 0.0, lamb_shift: bool = False,
                           same_coupling: bool = False) -> StochasticLimit:
    """Generic spectrum (no degenerate levels or Bohr frequencies), complex couplings, two Bose fields."""
    energies = np.sort(rng.uniform(0.0, 3.0, n)) + 0.5 + max(mu, 0.0)
    energies[0] = 0.0
    d_hot = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    d_cold = d_hot if same_coupling else rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    system = System(energies, {"hot": d_hot, "cold": d_cold})
    ohmic = lambda w: 0.3 * w * np.exp(-w / 8.0)  # noqa: E731
    fields = {"hot": Field(BoseEinstein(beta=beta_hot, mu=mu), ohmic),
              "cold": Field(BoseEinstein(beta=beta_cold, mu=mu), lambda w: 0.25 * w * np.exp(-w / 6.0))}
    return StochasticLimit(system, fields, lamb_shift=lamb_shift)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20260123)


@pytest.fixture
def make_model():
    return random_two_field_model

"""finite_baths.flows: Flows at a time (against finite differences of the cumulative Dataset)
and over a window (against a quadrature of the instantaneous rates). The plateau against
Landauer is in tests/crosscheck/test_finite_baths_landauer.py."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import FermiDirac, Flows, InputError
from thermoflux.finite_baths import QuadraticModel, flows, resonant_level, simulate, thermal_state

CASE_A = {"L": FermiDirac(beta=10.0, mu=1.0), "R": FermiDirac(beta=2.0, mu=-1.0)}  # seed 001, case (a)
STEP = 1e-3  # difference step (ħ/energy); Richardson-extrapolated, truncation O(STEP⁴)


def _single_level():
    m = resonant_level(30, 10.0, 3.0)
    return m, thermal_state(m, CASE_A, 0.0)


def _two_level():
    """Two coupled levels with a complex hopping and complex tunnel amplitudes (n_S = 2)."""
    hs = np.array([[0.3, 0.2 - 0.1j], [0.2 + 0.1j, -0.2]])
    eps = np.linspace(-3, 3, 12)
    m = QuadraticModel(hs, {"L": eps, "R": eps + 0.01},
                       {"L": np.column_stack([np.full(12, 0.3), np.zeros(12)]),
                        "R": np.column_stack([np.zeros(12), np.full(12, 0.25 + 0.05j)])})
    return m, thermal_state(m, {"L": FermiDirac(beta=3.0, mu=0.5), "R": FermiDirac(beta=1.0, mu=-0.5)},
                            [0.2, 0.9])


@pytest.mark.parametrize("build", [_single_level, _two_level], ids=["one level", "two levels"])
def test_instantaneous_flows_are_derivatives_of_the_cumulative_dataset(build):
    """dQ_ν/dt, dN_ν/dt, dS_S/dt and dσ/dt against central differences of simulate()'s
    heat_exchanged, bath_particles, system_entropy and entropy_produced_initial_temperatures."""
    m, st = build()
    t = 0.7
    ds = simulate(m, st, t + STEP * np.array([-2.0, -1.0, 1.0, 2.0]), site_occupations=False)
    f = flows(m, st, t)
    assert isinstance(f, Flows) and f.method == "finite_baths"

    def rate(name):
        """Richardson: (4 D_h − D_2h)/3 of the central differences D_h, D_2h."""
        v = ds[name].values
        return (4 * (v[2] - v[1]) / (2 * STEP) - (v[3] - v[0]) / (4 * STEP)) / 3

    names = list(ds.reservoir.values)
    heat_fd, particles_fd = rate("heat_exchanged"), rate("bath_particles")
    # measured |Δ| <= 2.3e-11 (heat), 5e-12 (particles), 1.7e-11 (dS_S/dt) with one level and
    # ~10x less with two: the round-off of the contents (~1e-14) over the step, rates O(0.1-1)
    for j, name in enumerate(names):
        assert abs(f.heat[name] - heat_fd[j]) < 2e-10
        assert abs(f.particle[name] + particles_fd[j]) < 1e-10     # J^N = −dN_ν/dt
    assert abs(f.system_entropy_rate - rate("system_entropy")) < 2e-10
    # dσ/dt = 13.3: measured 2.8e-10 (β_L = 10 multiplies the heat's error)
    assert abs(f.entropy_production - rate("entropy_produced_initial_temperatures")) < 3e-9
    # the reservoirs are the initial ones: J^Q = J^E − μ J^N, dS_ν/dt = −J^Q/T
    for name in names:
        assert f.chemical_potential[name] == st.reservoirs[name].mu
        assert f.temperature[name] == 1.0 / st.reservoirs[name].beta


@pytest.mark.parametrize("build", [_single_level, _two_level], ids=["one level", "two levels"])
def test_window_mean_is_the_time_average_of_the_instantaneous_flows(build):
    """Exact window mean (two snapshots) against a 48-node Gauss–Legendre average of flows(t)."""
    m, st = build()
    t1, t2 = 0.4, 2.4
    mean = flows(m, st, window=(t1, t2))
    x, w = np.polynomial.legendre.leggauss(48)
    samples = [flows(m, st, 0.5 * (t2 - t1) * xi + 0.5 * (t1 + t2)) for xi in x]

    def average(get):
        return 0.5 * float(np.dot(w, [get(s) for s in samples]))

    # measured |Δ| <= 4.6e-14 (round-off; 24 nodes left 1e-10 in dS_S/dt: the quadrature, not
    # the window mean, converges slowly near the t = 0 log singularity of s'(n_S))
    for name in mean.reservoirs:
        for field in ("particle", "energy", "heat", "entropy"):
            assert abs(getattr(mean, field)[name] - average(lambda s: getattr(s, field)[name])) < 5e-13, field
    assert abs(mean.system_entropy_rate - average(lambda s: s.system_entropy_rate)) < 5e-13
    assert abs(mean.entropy_production - average(lambda s: s.entropy_production)) < 5e-13


def test_flows_conserve_particles_and_energy_with_the_system():
    m, st = _single_level()
    f = flows(m, st, 1.3)
    assert f.particle_residual == 0.0 and f.energy_residual == 0.0   # by construction: totals conserved
    assert set(f.reservoirs) == {"L", "R"}


@pytest.mark.parametrize(("kwargs", "word"), [
    ({}, "exactly one"),
    ({"time": 1.0, "window": (0.0, 1.0)}, "exactly one"),
    ({"time": -1.0}, "time"),
    ({"window": (2.0, 1.0)}, "window"),
    ({"window": (1.0,)}, "window"),
    ({"window": (-1.0, 1.0)}, "window[0]"),
])
def test_bad_time_or_window_names_the_argument(kwargs, word):
    m, st = _single_level()
    with pytest.raises(InputError, match=word.replace("[", r"\[").replace("]", r"\]")):
        flows(m, st, **kwargs)


def test_bad_model_or_state():
    m, st = _single_level()
    with pytest.raises(InputError, match="model"):
        flows("model", st, 1.0)
    with pytest.raises(InputError, match="state"):
        flows(m, None, 1.0)


def _chain_with_isolated_level(occupations, extra: bool):
    """Two levels between two 40-mode baths, plus (``extra``) a third level that nothing reaches."""
    k = 40
    eps = np.linspace(-2.0, 2.0, k)
    hs = np.array([[0.0, 0.2, 0.0], [0.2, 0.5, 0.0], [0.0, 0.0, 0.7]])
    tl, tr = np.zeros((k, 3)), np.zeros((k, 3))
    tl[:, 0], tr[:, 1] = 0.1, 0.1
    n = 3 if extra else 2
    model = QuadraticModel(hs[:n, :n], {"L": eps, "R": eps}, {"L": tl[:, :n], "R": tr[:, :n]})
    reservoirs = {"L": FermiDirac(beta=2.0, mu=0.3), "R": FermiDirac(beta=1.0, mu=-0.3)}
    return model, thermal_state(model, reservoirs, occupations[:n])


@pytest.mark.parametrize("occupations", [[0.0, 0.0, 1.0], [0.0, 0.0, 0.0], [1.0, 0.3, 1.0], [0.2, 0.9, 0.0]])
def test_a_level_no_bath_reaches_changes_nothing(occupations):
    """A third level, isolated and exactly empty or full, stays pure: its entropy is 0 at all times,
    so the flows equal those of the two-level model without it. Its occupation eigenvalue sits on
    a bound, or just past it by rounding (about 1 + 1e-15 for [0, 0, 1] and [1, 0.3, 1] here, and the system
    entropy rate raised 'math domain error'), where the rate must not take its logarithm."""
    three, state = _chain_with_isolated_level(occupations, extra=True)
    two, two_state = _chain_with_isolated_level(occupations, extra=False)
    for time in (0.0, 1.0, 37.3):
        got, ref = flows(three, state, time=time), flows(two, two_state, time=time)
        # Same dynamics of the coupled part; the isolated level only reorders rounding (rates of
        # order 0.01-1; measured differences <= 1e-15).
        assert got.entropy_production == pytest.approx(ref.entropy_production, rel=0, abs=1e-12)
        for name in ("L", "R"):
            assert got.energy[name] == pytest.approx(ref.energy[name], rel=0, abs=1e-12)
            assert got.entropy[name] == pytest.approx(ref.entropy[name], rel=0, abs=1e-12)

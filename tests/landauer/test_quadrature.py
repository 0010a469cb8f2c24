"""The Gauss–Kronrod panel grid: exactness, tails, breakpoints, error estimates, batches."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import FermiDirac, InputError
from thermoflux.landauer import Junction, boxcar
from thermoflux.landauer.quadrature import build_energy_grid


def test_polynomials_exact_on_panels():
    grid = build_energy_grid(np.array([0.3]), np.array([0.2]), np.zeros(0), lower=-1.0, upper=2.0,
                             lower_tail=False, upper_tail=False)
    e = grid.flat_energies
    for degree in (0, 1, 7, 20, 31):          # K21 is exact to degree 31
        value, _ = grid.integrate(e ** degree)
        exact = (2.0 ** (degree + 1) - (-1.0) ** (degree + 1)) / (degree + 1)
        assert value == pytest.approx(exact, rel=1e-13)


def test_mapped_tails_lorentzian_and_error_estimate():
    grid = build_energy_grid(np.array([0.0]), np.array([0.5]), np.zeros(0), lower=-5.0, upper=5.0,
                             lower_tail=True, upper_tail=True)
    value, error = grid.integrate(1.0 / (1.0 + grid.flat_energies ** 2))
    # ∫ dx/(1+x²) = π; algebraic tails through the u/(1-u) map: 1e-12 relative.
    assert value == pytest.approx(np.pi, rel=1e-12)
    assert error < 1e-9


def test_breakpoints_are_edges_and_estimate_flags_missing_ones():
    with_bp = build_energy_grid(np.zeros((0,)), np.zeros((0,)), np.array([0.123]), lower=-1.0, upper=1.0,
                                lower_tail=False, upper_tail=False)
    without = build_energy_grid(np.zeros((0,)), np.zeros((0,)), np.zeros(0), lower=-1.0, upper=1.0,
                                lower_tail=False, upper_tail=False)
    for grid, exact_ok in ((with_bp, True), (without, False)):
        value, error = grid.integrate((grid.flat_energies > 0.123).astype(float))
        if exact_ok:
            assert value == pytest.approx(1 - 0.123, rel=1e-14) and error < 1e-14
        else:
            # A jump inside a panel: the estimate is large, as it should be.
            assert error > 1e-3


def test_batched_boxcar_junction_equals_single():
    centres = np.array([[0.1, 0.5], [0.0, 0.3], [-0.2, 0.4]])
    res = {"L": FermiDirac(temperature=[0.1, 0.2, 0.3], mu=0.2), "R": FermiDirac(temperature=0.1)}
    ints = Junction(res, {("L", "R"): boxcar(centres, 0.05)}, chunk_size=2).integrals()
    for i in range(3):
        one = Junction({"L": FermiDirac(temperature=[0.1, 0.2, 0.3][i], mu=0.2), "R": FermiDirac(temperature=0.1)},
                       {("L", "R"): boxcar(centres[i], 0.05)}).integrals()
        # Same windows, exact edges: quadrature agrees to rounding.
        assert ints.particle["L"][i] == pytest.approx(one.particle["L"], rel=1e-12)


def test_grid_input_errors():
    with pytest.raises(InputError, match="scales"):
        build_energy_grid(np.array([0.0]), np.array([0.0]), np.zeros(0), lower=-1.0, upper=1.0,
                          lower_tail=False, upper_tail=False)
    with pytest.raises(InputError, match="upper > lower"):
        build_energy_grid(np.array([0.0]), np.array([1.0]), np.zeros(0), lower=1.0, upper=-1.0,
                          lower_tail=False, upper_tail=False)


def test_a_batch_row_has_the_panels_of_its_point_alone():
    """Issue 15: a batched sweep reproduces the per-point values AND error estimates, because
    every row keeps its own number of geometric edges (only empty padding panels are added)."""
    from thermoflux.landauer import lorentzian
    from thermoflux.landauer.quadrature import plan_energy_grid

    temps, widths = np.array([0.05, 0.3, 2.0, 7.0]), np.array([0.01, 0.2, 0.05, 1.5])

    def grid(t, w):
        res = {"L": FermiDirac(temperature=t, mu=0.1), "R": FermiDirac(temperature=0.2, mu=-0.3)}
        trans = lorentzian(0.5, {"L": w, "R": 0.5 * w})
        n = None if np.ndim(t) == 0 else len(t)
        return plan_energy_grid(res, trans, n, statistics="fermion", breakpoints=np.zeros(0),
                                features=(np.zeros(0), np.zeros(0)), energy_range=None)

    batch = grid(temps, widths)
    for i, (t, w) in enumerate(zip(temps, widths)):
        alone = grid(float(t), float(w))
        live, live_alone = batch.weights[i] != 0, alone.weights != 0
        # the same nodes and weights, bit for bit, in the same order
        np.testing.assert_array_equal(batch.energies[i][live], alone.energies[live_alone])
        np.testing.assert_array_equal(batch.weights[i][live], alone.weights[live_alone])

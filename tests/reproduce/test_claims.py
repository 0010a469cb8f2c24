"""thermoflux.reproduce.worst_error_ratio: relative comparison with a stated absolute floor."""

from __future__ import annotations

import numpy as np
import pytest

from thermoflux import InputError
from thermoflux.reproduce import worst_error_ratio


def test_zero_reference_is_compared_with_the_floor_not_divided_by():
    # |6.9e-18 − 0| against the floor 1e-16 (0.069) beats |1e-15| against 1e-10·1e-3 + 1e-16 (0.01).
    ratio = worst_error_ratio([6.9e-18, 1e-3 * (1 + 1e-12)], [0.0, 1e-3], rtol=1e-10, atol=1e-16)
    assert ratio == pytest.approx(0.069, rel=1e-12)  # rounding only
    assert worst_error_ratio([2e-16], [0.0], rtol=1e-10, atol=1e-16) == pytest.approx(2.0)
    # A per-point floor.
    assert worst_error_ratio(np.array([1e-17, 1e-17]), [0.0, 0.0], rtol=1e-10, atol=np.array([1e-16, 1e-18])) == pytest.approx(10.0)


def test_a_floor_of_zero_is_refused():
    with pytest.raises(InputError, match="atol"):
        worst_error_ratio([0.0], [0.0], rtol=1e-10, atol=0.0)

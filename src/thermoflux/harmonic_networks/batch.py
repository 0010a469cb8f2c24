"""Many points of one harmonic-network config in a sweep's chunk, sharing the drift's eigenbasis.

In a sweep over bath occupations or temperatures (``reservoirs.hot.temperature`` and the like)
only the pumping f_k = Σ γ_c n_c of eq. D3 (seed 003) changes from point to point; the drift
M = i Hᵀ − G/2, its eigenbasis and the probe matrix of the zero-exchange conditions do not. At
L = 200 with probes on every site those are ~90 % of a point (``benchmarks/sweep.py --only 5``).
:func:`run_batch` (found by :meth:`thermoflux.sweep.ConfigTask.run_batch` as
``thermoflux.harmonic_networks.batch.run_batch``, once per chunk on every executor) runs the
chunk's points in order with one :class:`~thermoflux.harmonic_networks.lyapunov.EigenCache`:
each point is built and solved as alone, but the "eigen" solve reuses the decomposition and
probe matrix whenever the drift and probes equal the previous point's bit for bit — so any swept
key is safe (a changed rate or hopping just rebuilds), and every result is the one the point
gives alone. A point that raises or warns is left to run alone (None), so its error, warning,
retry and failed-point record stay per point.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from thermoflux.harmonic_networks.config import run
from thermoflux.harmonic_networks.lyapunov import EigenCache

__all__ = ["run_batch"]


def run_batch(config: Mapping[str, Any], points: Sequence[Mapping[str, Any]]) -> list[Any]:
    """:func:`~thermoflux.harmonic_networks.config.run` of each point, the eigen solve shared.

    Parameters
    ----------
    config : mapping
        A harmonic-network run configuration without ``method``.
    points : sequence of mappings dotted path -> value
        The swept values of each point.

    Returns
    -------
    list
        Per point, the Dataset ``run`` gives for ``config`` with the point's values set, or None
        for a point that raised or warned (it runs alone).
    """
    from thermoflux.sweep.tasks import set_by_path

    cache = EigenCache()
    out: list[Any] = []
    for params in points:
        point = copy.deepcopy(dict(config))
        try:
            for path, value in params.items():
                set_by_path(point, path, value)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = run(point, eigen_cache=cache)
        except Exception:  # noqa: BLE001 - the point runs alone and meets its error there
            result = None
        else:
            if caught:
                result = None  # the point runs alone and warns there
        out.append(result)
    return out

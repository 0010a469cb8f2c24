"""Benchmark: seed 001 at the paper's size, structured propagation vs the straightforward method.

Model: K = 1000 modes per bath (N = 2001 sites), W = 10, Γ = 3, β_L = 10, β_R = 2,
μ_L = −μ_R = 1, 200 log-spaced times Γt ∈ [1e-2, 1e8], full entropy decomposition
(``simulate(method="structured")``: O(N²) bath blocks from the displacement relation, the
environment entropy from the secular equation, two 1000² eigvalsh per time).

Baseline, in the same process at a few of the same times (issue 4): the straightforward method,
the dense 𝒞(t) = e^{i𝓗t} 𝒞(0) e^{−i𝓗t} (through the same one-off eigendecomposition of 𝓗, so
the baseline is not handicapped by expm) and eigvalsh of the environment (2000²), L and R blocks.
The baseline does less than the new side (no (β*, μ*) solves or per-mode terms), so the ratio is
conservative.

Each side runs with its best BLAS thread count, picked from a trial of 1 and 2 threads (2 only
if it is more than 25% faster), or the count given with ``--blas-threads``. The machine's 2 cores are shared with other engineers' jobs, so absolute numbers vary
with the load (printed); both sides are measured under the same load.

Usage: PYTHONPATH=src python benchmarks/finite_baths.py [--k 1000] [--times 200] [--baseline-times 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import numpy as np

from thermoflux import FermiDirac
from thermoflux._threads import blas_info, blas_threads
from thermoflux.entropy import fermionic_gaussian_entropy
from thermoflux.finite_baths import resonant_level, simulate, thermal_state
from thermoflux.finite_baths.dynamics import Propagator

GAMMA = 3.0
RESERVOIRS = {"L": FermiDirac(10.0, 1.0), "R": FermiDirac(2.0, -1.0)}


def straightforward(prop: Propagator, t: float) -> tuple[float, float, float]:
    """Dense 𝒞(t) and the entropies of the environment, L and R blocks (the baseline)."""
    model = prop.model
    c = prop.dense_g(t)
    sl = model.bath_slices
    s_env = float(fermionic_gaussian_entropy(c[1:, 1:]))
    s_l = float(fermionic_gaussian_entropy(c[sl["L"], sl["L"]]))
    s_r = float(fermionic_gaussian_entropy(c[sl["R"], sl["R"]]))
    return s_env, s_l, s_r


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=1000, help="modes per bath (paper: 1000)")
    parser.add_argument("--times", type=int, default=200, help="log-spaced times (paper: 200)")
    parser.add_argument("--baseline-times", type=int, default=3, help="times for the baseline")
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="force this BLAS thread count on both sides (default: trial of 1 and 2)")
    args = parser.parse_args()

    print(f"load average at start: {os.getloadavg()}  (2 cores shared with other jobs)")
    print(f"BLAS: {blas_info()}")
    model = resonant_level(args.k, 10.0, GAMMA)
    state = thermal_state(model, RESERVOIRS, 0.0)
    times = np.concatenate([[0.0], np.geomspace(1e-2, 1e8, args.times - 1) / GAMMA])
    with blas_threads(2):
        t_eig, _ = timed(model.eigensystem)
    print(f"N = {model.size}: eigendecomposition of H once: {t_eig:.2f} s (2 BLAS threads)")

    probe = times[len(times) // 2: len(times) // 2 + 2]
    prop = Propagator(model, state.occupations)
    simulate(model, state, times[:1], blas_threads=1, progress=False, site_occupations=False)  # warm-up
    straightforward(prop, float(probe[0]))
    trial_new, trial_old = {}, {}
    for n in (1, 2):
        dt, _ = timed(simulate, model, state, probe, blas_threads=n, progress=False, site_occupations=False)
        trial_new[n] = dt / probe.size
        with blas_threads(n):
            trial_old[n], _ = timed(straightforward, prop, float(probe[0]))
    # Two threads only when clearly better: under a varying load a second thread can turn a 1 s
    # step into 10 s (DESIGN.md), so a marginal trial win is not worth the risk.
    best_new = 2 if trial_new[2] < 0.75 * trial_new[1] else 1
    best_old = 2 if trial_old[2] < 0.75 * trial_old[1] else 1
    if args.blas_threads is not None:
        best_new = best_old = args.blas_threads
    print("thread trial, s per time:  structured", {k: round(v, 3) for k, v in trial_new.items()},
          " straightforward", {k: round(v, 3) for k, v in trial_old.items()})

    t_new, ds = timed(simulate, model, state, times, blas_threads=best_new, progress=None, site_occupations=False)
    per_new = t_new / times.size
    residual = float(np.max(np.abs(ds.decomposition_residual.values)))

    pick = np.linspace(1, times.size - 1, args.baseline_times).astype(int)
    with blas_threads(best_old):
        t_old = 0.0
        for i in pick:
            dt, (s_env, s_l, s_r) = timed(straightforward, prop, float(times[i]))
            t_old += dt
            # same physics on both sides: the structured entropies equal the dense ones
            assert abs(s_env - float(ds.environment_entropy[i])) < 1e-8
            assert abs(s_l - float(ds.bath_entropy[i, 0])) < 1e-8
    per_old = t_old / pick.size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB -> MB on Linux

    print(f"structured (new):        {times.size} times in {t_new:.1f} s = {per_new:.3f} s/time "
          f"({best_new} BLAS thread(s)); max |eq. 12 residual| = {residual:.2e}")
    print(f"straightforward (base):  {pick.size} times, {per_old:.3f} s/time ({best_old} BLAS thread(s))")
    print(f"ratio (baseline / new, per time): {per_old / per_new:.2f}x")
    print(f"whole {times.size}-time run incl. eigendecomposition: {t_new + t_eig:.1f} s; "
          f"peak RSS {peak:.0f} MB; load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()

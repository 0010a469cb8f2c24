"""Benchmark: 10^4 parameter points of a 4-terminal Landauer junction, engine vs scipy quad.

Each point is a resonant level (random ε, widths Γ_α) between four Fermi reservoirs with
random μ_α, T_α; "flows of all reservoirs" means J^N_α and J^E_α for every α (and dS_α/dt,
which the engine integrates too and quad gets for free as −J^Q_α/T_α).

* new: ``Junction`` with array-valued parameters, integrated in vectorized chunks on shared
  Gauss–Kronrod panels (thermoflux.landauer.quadrature);
* baseline: ``scipy.integrate.quad`` per integral (8 per point: J^N and J^E of four
  reservoirs), epsabs = 0, epsrel = 1e-10, on [min(μ − 50T), max(μ + 50T)] split at every μ_α
  and at ε (the integrand is below e^{-50} outside). quad is timed on a subset of points and
  extrapolated linearly to 10^4 (said in the output).

Both run in this process with one BLAS thread (``blas_threads(1)``: the work is elementwise
numpy, not BLAS, so threads would only add noise). Run:

    PYTHONPATH=src python benchmarks/landauer.py [--points 10000] [--quad-points 40]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy import integrate
from scipy.special import expit

from thermoflux import FermiDirac
from thermoflux._threads import blas_threads
from thermoflux.landauer import Junction, lorentzian

NAMES = ("a", "b", "c", "d")


def draw(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"mu": rng.uniform(-0.5, 0.5, (4, n)), "temperature": rng.uniform(0.05, 1.0, (4, n)),
            "level": rng.uniform(-1.0, 1.0, n), "widths": rng.uniform(0.05, 0.5, (4, n))}


def engine(p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    res = {k: FermiDirac(temperature=p["temperature"][i], mu=p["mu"][i]) for i, k in enumerate(NAMES)}
    junction = Junction(res, lorentzian(p["level"], {k: p["widths"][i] for i, k in enumerate(NAMES)}))
    ints = junction.integrals()
    return (np.array([ints.particle[k] for k in NAMES]), np.array([ints.energy[k] for k in NAMES]))


def quad_point(p: dict[str, np.ndarray], j: int) -> tuple[np.ndarray, np.ndarray]:
    mu, temp, level, w = p["mu"][:, j], p["temperature"][:, j], p["level"][j], p["widths"][:, j]
    total = w.sum()
    lo, hi = float(np.min(mu - 50 * temp)), float(np.max(mu + 50 * temp))
    pts = sorted({float(x) for x in mu} | ({float(level)} if lo < level < hi else set()))
    particle, energy = np.zeros(4), np.zeros(4)
    for a in range(4):
        def integrand(e: float, power: int, a: int = a) -> float:
            lor = 1.0 / ((e - level) ** 2 + 0.25 * total * total)
            fa = expit(-(e - mu[a]) / temp[a])
            s = sum(w[b] * (fa - expit(-(e - mu[b]) / temp[b])) for b in range(4) if b != a)
            return e ** power * w[a] * lor * s
        for power, out in ((0, particle), (1, energy)):
            out[a] = integrate.quad(integrand, lo, hi, args=(power,), points=pts, epsabs=0,
                                    epsrel=1e-10, limit=200)[0] / (2 * np.pi)
    return particle, energy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--quad-points", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    params = draw(args.points, rng)
    with blas_threads(1):
        engine({k: v[..., :8] for k, v in params.items()})        # warm-up (imports, caches)
        t0, c0 = time.perf_counter(), time.process_time()
        particle, energy = engine(params)
        t_engine, c_engine = time.perf_counter() - t0, time.process_time() - c0
        subset = np.arange(args.quad_points)
        t0, c0 = time.perf_counter(), time.process_time()
        ref = [quad_point(params, j) for j in subset]
        t_quad_subset, c_quad_subset = time.perf_counter() - t0, time.process_time() - c0
    t_quad = t_quad_subset * args.points / subset.size
    c_quad = c_quad_subset * args.points / subset.size
    ref_n = np.array([r[0] for r in ref]).T
    ref_e = np.array([r[1] for r in ref]).T

    def rel(a: np.ndarray, b: np.ndarray) -> float:
        scale = np.max(np.abs(b), axis=0)           # per point: relative to the largest current
        return float(np.max(np.abs(a - b) / scale))

    diff = max(rel(particle[:, subset], ref_n), rel(energy[:, subset], ref_e))
    conservation = float(np.max(np.abs(particle.sum(axis=0)) / np.max(np.abs(particle), axis=0)))
    print(f"4-terminal resonant level, {args.points} parameter points, flows of all 4 reservoirs")
    print("BLAS threads: 1 (elementwise numpy work)")
    print("times: wall (CPU of this process; the machine is shared, CPU time is the cleaner measure)")
    print(f"engine (vectorized Gauss-Kronrod)  : {t_engine:8.3f} s ({c_engine:.3f} s CPU) for {args.points} points "
          f"({1e6 * t_engine / args.points:.1f} us/point wall)")
    print(f"scipy.integrate.quad (8 per point) : {t_quad:8.3f} s ({c_quad:.3f} s CPU) for {args.points} points, "
          f"extrapolated from {subset.size} points timed ({t_quad_subset:.3f} s wall)")
    print(f"speed-up                           : {t_quad / t_engine:8.1f} x wall, {c_quad / c_engine:.1f} x CPU")
    print(f"max relative difference (subset)   : {diff:.2e}  (relative to each point's largest current)")
    print(f"max |sum of particle currents|     : {conservation:.2e}  (relative)")


if __name__ == "__main__":
    main()

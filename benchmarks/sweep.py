"""Benchmark of thermoflux.sweep: per-point overhead, processes vs serial, and per-point cost of methods.

Run:  PYTHONPATH=src python benchmarks/sweep.py [--quick]

1. Overhead per point. A trivial task (``{"x": a * b}``) over a 100 x 100 grid: the baseline is
   a plain Python loop calling the task and filling a numpy array (the least any sweep must
   do); ``sweep.run`` (serial, processes, serial with a checkpoint) then builds a labelled
   Dataset. Overhead per point = (sweep - loop) / points.
2. Speed-up of ``processes`` over ``serial`` for CPU-bound points, in the same process:
   (a) pure-Python arithmetic (no BLAS), (b) ``eigvalsh`` of a 300 x 300 symmetric matrix.
   BLAS threads: serial runs inside ``blas_threads(1)`` (the same work per core as a worker;
   a serial run with the machine's default threads is printed too); the processes executor
   gives each of its workers ONE BLAS thread (threadpoolctl in the worker initializer).
   Target: >= 1.6x on 2 cores. The machine's cores are shared with other jobs; the load
   average is printed because it moves the ratio.
3. A 10^4-point two-terminal Landauer sweep through the command line (issue 15):
   ``thermoflux sweep examples/landauer.toml --over reservoirs.cold.mu=-0.5:0.5:100 --over
   reservoirs.hot.temperature=0.5:4:100`` run in this process (click's ``main``, the same code
   path as the console command: default executor, processes, one BLAS thread each, NetCDF
   written), against the engine alone on the same points: ONE batched ``Junction`` and its
   ``integrals()``, in this process with one BLAS thread. Both are warmed up first (imports, the
   NetCDF engine), so that neither pays one-off costs, and both run with the glibc heap
   thresholds that batched sweeps set (see thermoflux/landauer/batch.py). Target: CLI within 2x of the
   engine (wall time per point). For scale, the per-point path (batching off) is timed on a
   few hundred points and printed per point.
4. A 200-point master-equation sweep over the hot temperature (examples/master_equation.toml,
   ``reservoirs.hot.temperature`` = 1..3, ``sweep.run`` serial over ``ConfigTask``, i.e.
   ``thermoflux.configs.run_config`` per point), against the same points with the model's cache
   bypassed in the same process: a runner that assembles the Dataset as ``to_dataset`` did
   before the cache (issue 15), clearing the model's cached rate matrix, stationary state and
   currents before each observable (so the stationary state is solved 5 times and W built 6
   times per point, and the Dataset grows by repeated merges). Both results are compared.
5. A harmonic-network temperature sweep (issue 15): a chain of L = 200 sites (examples/
   harmonic_networks.toml resized), ``solver.method = "eigen"``, probes on every site, the hot
   bath's ``temperature`` swept over n points through ``sweep.run`` serial: the batched chunk
   (``thermoflux.harmonic_networks.batch``: one drift eigenbasis and probe matrix per chunk)
   against the same points each run alone (a fresh decomposition per point), same process.

Run one section with ``--only 3``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from thermoflux import sweep  # noqa: E402
from thermoflux._threads import available_cores, blas_threads  # noqa: E402


def cheap(a: float, b: float) -> dict:
    return {"x": a * b}


def python_bound(seed: int, *, n: int = 300_000) -> dict:
    total = 0.0
    x = seed + 0.5
    for k in range(n):
        total += (x * k) % 7.0
    return {"total": total}


def eig_bound(seed: int, *, size: int = 300) -> dict:
    rng = np.random.default_rng(seed)
    m = rng.standard_normal((size, size))
    return {"lowest": float(np.linalg.eigvalsh(m + m.T)[0])}


def _time(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def overhead(n_side: int) -> None:
    a = np.linspace(0, 1, n_side)
    b = np.linspace(1, 2, n_side)
    n = n_side * n_side

    def loop() -> np.ndarray:
        out = np.empty((n_side, n_side))
        for i, ai in enumerate(a):
            for j, bj in enumerate(b):
                out[i, j] = cheap(float(ai), float(bj))["x"]
        return out

    grid = {"a": a, "b": b}
    sweep.run(cheap, {"a": a[:2], "b": b[:2]}, executor="serial", summary=False)  # warm: imports
    t_loop = _time(loop, 3)
    t_serial = _time(lambda: sweep.run(cheap, grid, executor="serial", summary=False), 3)
    t_proc = _time(lambda: sweep.run(cheap, grid, executor="processes", summary=False), 2)
    with tempfile.TemporaryDirectory() as tmp:
        t_ck = _time(lambda: sweep.run(cheap, grid, executor="serial", summary=False,
                                       checkpoint=Path(tmp) / "ck"), 1)
    from thermoflux.sweep.runner import _default_chunk_size

    print(f"1. overhead per point, {n} trivial points (chunks of {_default_chunk_size(n, 1)} serial, "
          f"{_default_chunk_size(n, available_cores())} processes)")
    print(f"   plain loop (baseline)        {t_loop:8.4f} s   {t_loop / n * 1e6:7.2f} us/point")
    for name, t in (("sweep serial", t_serial), ("sweep processes (pool start)", t_proc),
                    ("sweep serial + checkpoint", t_ck)):
        print(f"   {name:<29}{t:8.4f} s   {t / n * 1e6:7.2f} us/point   overhead "
              f"{(t - t_loop) / n * 1e6:7.2f} us/point   ratio to loop {t / t_loop:6.1f}x")


def speedup(label: str, task, n_points: int, repeat: int = 3) -> float:
    """Best of ``repeat`` wall times each (other jobs on the machine only ever slow a run down)."""
    grid = [{"seed": s} for s in range(n_points)]
    sweep.run(task, grid[:2], executor="processes", summary=False)  # warm: imports, forkserver
    with blas_threads(1):
        t_serial = _time(lambda: sweep.run(task, grid, executor="serial", summary=False), repeat)
    t_default = _time(lambda: sweep.run(task, grid, executor="serial", summary=False), 1)
    t_proc = _time(lambda: sweep.run(task, grid, executor="processes", summary=False), repeat)
    # CPU actually obtained per wall second: tells contention (other jobs) from a slow executor
    before = os.times()
    start = time.perf_counter()
    with blas_threads(1):
        sweep.run(task, grid, executor="serial", summary=False)
    mid = os.times()
    wall_serial = time.perf_counter() - start
    start = time.perf_counter()
    sweep.run(task, grid, executor="processes", summary=False)
    after = os.times()
    wall_proc = time.perf_counter() - start
    cpu_serial = (mid.user + mid.system - before.user - before.system) / wall_serial
    cpu_proc = (after.children_user + after.children_system - mid.children_user - mid.children_system) / wall_proc
    ratio = t_serial / t_proc
    print(f"2{label}. {n_points} CPU-bound points: {task.__name__}")
    print(f"   serial, 1 BLAS thread         {t_serial:8.3f} s   ({t_serial / n_points * 1e3:.1f} ms/point)")
    print(f"   serial, default BLAS threads  {t_default:8.3f} s")
    print(f"   processes x{available_cores()}, 1 BLAS each   {t_proc:8.3f} s")
    print(f"   speed-up processes/serial     {ratio:8.2f}x   (vs default threads: {t_default / t_proc:.2f}x; "
          "target >= 1.6x on 2 cores)")
    print(f"   CPU obtained per wall second: serial {cpu_serial:.2f}, processes (workers) {cpu_proc:.2f} "
          "(an idle 2-core machine gives 1.0 and ~2.0)")
    return ratio


LANDAUER_OVERS = ("reservoirs.cold.mu=-0.5:0.5:{n}", "reservoirs.hot.temperature=0.5:4:{n}")


class _PerPoint:
    """A ConfigTask without its batched form: every point builds its junction and runs alone."""

    def __init__(self, config: dict) -> None:
        self.task = sweep.ConfigTask(config)

    def __call__(self, **params):
        return self.task(**params)


def landauer_cli(side: int) -> float:
    """Wall time per point of the CLI sweep over side^2 points, and of the engine alone."""
    from thermoflux import FermiDirac
    from thermoflux.cli import main as cli_main
    from thermoflux.io import load_config
    from thermoflux.landauer import Junction, lorentzian

    config_path = Path(__file__).resolve().parents[1] / "examples" / "landauer.toml"
    config = load_config(config_path)
    n = side * side
    overs = [spec.format(n=side) for spec in LANDAUER_OVERS]
    args = ["sweep", str(config_path), "--no-progress"]
    for spec in overs:
        args += ["--over", spec]
    with tempfile.TemporaryDirectory() as tmp:
        warm = ["sweep", str(config_path), "--no-progress", "--over", LANDAUER_OVERS[0].format(n=4)]
        cli_main([*warm, "-o", str(Path(tmp) / "warm.nc")], standalone_mode=False)  # imports, NetCDF
        before = os.times()
        start = time.perf_counter()
        cli_main([*args, "-o", str(Path(tmp) / "out.nc")], standalone_mode=False)
        t_cli = time.perf_counter() - start
        after = os.times()
    c_cli = sum(after[:4]) - sum(before[:4])   # this process and its workers
    mus = np.linspace(-0.5, 0.5, side)
    temps = np.linspace(0.5, 4.0, side)
    mu_grid, t_grid = (a.ravel() for a in np.meshgrid(mus, temps, indexing="ij"))

    def engine(mu: np.ndarray, temperature: np.ndarray) -> None:
        hot, cold = config["reservoirs"]["hot"], config["reservoirs"]["cold"]
        spec = config["transmission"][0]
        res = {"hot": FermiDirac(temperature=temperature, mu=hot["mu"]),
               "cold": FermiDirac(temperature=cold["temperature"], mu=mu)}
        Junction(res, lorentzian(spec["level"], dict(spec["widths"]))).integrals()

    from thermoflux.landauer.batch import _keep_heap

    _keep_heap()  # the heap thresholds the sweep's workers get (landauer/batch.py): same footing
    with blas_threads(1):
        engine(mu_grid[:8], t_grid[:8])            # warm-up (caches), as benchmarks/landauer.py
        c_start = time.process_time()
        t_engine = _time(lambda: engine(mu_grid, t_grid), 1)
        c_engine = time.process_time() - c_start
    few = [{"reservoirs.cold.mu": float(m), "reservoirs.hot.temperature": float(t)}
           for m, t in zip(mu_grid[::n // 200], t_grid[::n // 200])]
    t_alone = _time(lambda: sweep.run(_PerPoint(config), few, executor="processes", summary=False), 1)
    print(f"3. {n}-point two-terminal Landauer sweep: thermoflux sweep examples/landauer.toml "
          f"--over {overs[0]} --over {overs[1]}")
    print("   wall time (CPU time: of every process involved)")
    print(f"   CLI (processes x{available_cores()}, batched chunks)  {t_cli:8.3f} s   "
          f"{t_cli / n * 1e6:8.1f} us/point   (CPU {c_cli:.3f} s, {c_cli / n * 1e6:.1f} us/point)")
    print(f"   engine alone (one batched Junction)    {t_engine:8.3f} s   {t_engine / n * 1e6:8.1f} us/point   "
          f"(CPU {c_engine:.3f} s, {c_engine / n * 1e6:.1f} us/point)")
    print(f"   ratio CLI / engine                     {t_cli / t_engine:8.2f}x wall (target <= 2x), "
          f"{c_cli / c_engine:.2f}x CPU")
    print(f"   per point, batching off ({len(few)} points)   {t_alone:8.3f} s   "
          f"{t_alone / len(few) * 1e6:8.1f} us/point   ({t_alone / len(few) / (t_engine / n):.1f}x the engine)")
    return t_cli / t_engine


_CACHED = ("_rate_matrix", "_pauli_populations", "_sector_state", "_stationary_currents")


def _bypassed(model):
    """``model`` with its stationary-state cache cleared: the next observable solves again."""
    for name in _CACHED:
        model.__dict__.pop(name, None)
    return model


def uncached_run(config: dict):
    """``master_equation.config.run`` as it was before the cache: one stationary solve per observable."""
    from thermoflux.errors import InputError
    from thermoflux.io import netcdf_attrs
    from thermoflux.master_equation.config import model_from_config

    model = model_from_config(config)
    ds = _bypassed(model).flows().to_dataset(attrs=model._attrs("22, 24, 26-28, 38, 41-43"))
    pops = _bypassed(model).stationary_populations()
    ds["populations"] = ("level", pops, {"units": "1"})
    ds["temperature_function"] = _bypassed(model).temperature_function().drop_vars("energy").rename(None)
    ds = ds.assign_coords(level=np.arange(pops.size))
    ds["energy_level"] = ("level", model.system.energies, {"units": "energy"})
    ds["micro_particle_current"] = _bypassed(model).micro_currents("particle")
    ds["micro_energy_current"] = _bypassed(model).micro_currents("energy")
    try:
        balanced, criterion = _bypassed(model).satisfies_detailed_balance(), "Kolmogorov criterion (seed 002, eq. 26)"
    except InputError:
        balanced = _bypassed(model).satisfies_detailed_balance(criterion="currents")
        criterion = "pair currents cancel (seed 002, eq. 47)"
    ds["detailed_balance"] = ((), int(balanced), {"long_name": criterion})
    for name in ds.variables:
        ds[name].attrs = netcdf_attrs(ds[name].attrs)
    ds.attrs.update(netcdf_attrs({"config": dict(config)}))
    return ds


def master_equation_sweep(n: int) -> float:
    """Per-point wall time of an n-point temperature sweep, cached vs cache bypassed, in this process."""
    from thermoflux.io import load_config

    config = load_config(Path(__file__).resolve().parents[1] / "examples" / "master_equation.toml")
    grid = {"reservoirs.hot.temperature": np.linspace(1.0, 3.0, n)}
    cached, bypassed = sweep.ConfigTask(config), sweep.ConfigTask(config, runner=uncached_run)
    warm = {"reservoirs.hot.temperature": [1.0, 2.0]}
    for task in (cached, bypassed):
        sweep.run(task, warm, executor="serial", summary=False)  # imports, first-call costs
    with blas_threads(1):
        t_cached = _time(lambda: sweep.run(cached, grid, executor="serial", summary=False), 3)
        t_bypassed = _time(lambda: sweep.run(bypassed, grid, executor="serial", summary=False), 3)
    a = sweep.run(cached, grid, executor="serial", summary=False)
    b = sweep.run(bypassed, grid, executor="serial", summary=False)
    worst = max(float(np.nanmax(np.abs(a[v].values - b[v].values)))
                for v in a.data_vars if np.issubdtype(a[v].dtype, np.number))
    print(f"4. {n}-point master-equation sweep: reservoirs.hot.temperature=1:3:{n} of "
          "examples/master_equation.toml, sweep.run serial (run_config per point), 1 BLAS thread, best of 3")
    print(f"   cached (one stationary solve per model)   {t_cached:8.3f} s   {t_cached / n * 1e3:7.2f} ms/point")
    print(f"   cache bypassed (one solve per observable) {t_bypassed:8.3f} s   {t_bypassed / n * 1e3:7.2f} ms/point")
    print(f"   ratio bypassed / cached                   {t_bypassed / t_cached:8.2f}x   "
          f"(largest difference of any variable: {worst:.3g})")
    return t_bypassed / t_cached


class _Alone:
    """A ConfigTask without its batched form: every point builds and solves alone."""

    def __init__(self, config: dict) -> None:
        self.task = sweep.ConfigTask(config)

    def __call__(self, **params):
        return self.task(**params)


def harmonic_sweep(n_sites: int, n: int) -> float:
    """Per-point wall time of an n-point hot-temperature sweep, batched chunk vs points alone."""
    from thermoflux.io import load_config

    config = load_config(Path(__file__).resolve().parents[1] / "examples" / "harmonic_networks.toml")
    config["network"]["n_sites"] = n_sites
    hot = config["reservoirs"]["hot"]
    hot["site"] = n_sites - 1
    del hot["occupation"]
    hot["temperature"] = 2.0
    config["solver"]["method"] = "eigen"
    grid = {"reservoirs.hot.temperature": np.linspace(1.0, 3.0, n)}
    batched, alone = sweep.ConfigTask(config), _Alone(config)
    with blas_threads(1):  # the serial executor leaves BLAS threads as they are
        sweep.run(batched, {k: v[:2] for k, v in grid.items()}, executor="serial", summary=False)  # warm-up
        t_batched = _time(lambda: sweep.run(batched, grid, executor="serial", summary=False, chunk_size=n), 1)
        t_alone = _time(lambda: sweep.run(alone, grid, executor="serial", summary=False, chunk_size=n), 1)
    a = sweep.run(batched, {k: v[:3] for k, v in grid.items()}, executor="serial", summary=False)
    b = sweep.run(alone, {k: v[:3] for k, v in grid.items()}, executor="serial", summary=False)
    worst = max(float(np.nanmax(np.abs(a[v].values - b[v].values)))
                for v in a.data_vars if np.issubdtype(a[v].dtype, np.number))
    print(f"5. {n}-point harmonic-network sweep: chain L = {n_sites}, solver eigen, probes on every site, "
          f"reservoirs.hot.temperature=1:3:{n}, sweep.run serial (one chunk), 1 BLAS thread")
    print(f"   batched chunk (one eigenbasis + probe matrix)  {t_batched:8.3f} s   {t_batched / n * 1e3:8.1f} ms/point")
    print(f"   each point alone                               {t_alone:8.3f} s   {t_alone / n * 1e3:8.1f} ms/point")
    print(f"   ratio alone / batched                          {t_alone / t_batched:8.2f}x   "
          f"(largest difference of any variable on 3 points: {worst:.3g})")
    return t_alone / t_batched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    parser.add_argument("--only", type=int, choices=(1, 2, 3, 4, 5), default=None, help="run one section")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"cores available: {available_cores()}; load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
          " (other jobs share these cores)")
    if args.only in (None, 1):
        overhead(30 if args.quick else 100)
    if args.only in (None, 2):
        speedup("a", python_bound, 8 if args.quick else 96)
        speedup("b", eig_bound, 8 if args.quick else 192)
    if args.only in (None, 3):
        landauer_cli(30 if args.quick else 100)
    if args.only in (None, 4):
        master_equation_sweep(20 if args.quick else 200)
    if args.only in (None, 5):
        harmonic_sweep(60 if args.quick else 200, 5 if args.quick else 20)
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()

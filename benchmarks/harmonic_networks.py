"""Benchmark: harmonic-network steady states (seed 003) against the vectorised Kronecker solve.

Cases (issue 6):

1. the self-consistent chain of eq. 28 with L = 2000 sites (Fig. 3 parameters): NESS and the
   baths/probes split Π_r, Π_sc of the Wigner entropy production (eqs. 32-33 via C2);
2. a dense random network of L = 500 modes with baths on every tenth mode: NESS (eigenbasis
   Lyapunov solve) and the per-channel entropy production;
3. the baseline in the same run: the straightforward vectorised (Kronecker) solve of the same
   L² linear equations (I ⊗ M + M* ⊗ I + probe term), dense LU, at the largest L it reaches in
   reasonable time (60), against the new method on the same two problems at that L;
4. the general eigenbasis path with probes on every site (no chain structure used), whose
   Woodbury step costs O(P² L²) exactly or O(r P² L) with the cross-approximation of the
   Cauchy matrix (r ~ 80 for this chain): timings at a few L, both routes.

BLAS threads: 2 by default (one process on the 2-core machine; ``--threads 1`` when the machine
is busy, where two threads oversubscribe), set with thermoflux._threads.blas_threads. Other
engineers share the machine, so absolute times vary with the load (printed).

Usage: PYTHONPATH=src python benchmarks/harmonic_networks.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from thermoflux._threads import blas_info, blas_threads
from thermoflux.harmonic_networks import Network, chain

THREADS = 2


def paper_chain(n_sites: int):
    net = chain(n_sites, frequency=1.0, hopping=3e-7)
    net.attach_bath(0, 1e-6, occupation=1.0).attach_bath(n_sites - 1, 1e-6, occupation=2.0)
    return net.add_self_consistent_probes(1e-7)


def random_network(n_modes: int, *, seed: int = 0, every: int = 10):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n_modes, n_modes)) + 1j * rng.normal(size=(n_modes, n_modes))
    h = 0.05 * (a + a.conj().T) / 2 + np.diag(rng.uniform(1.0, 2.0, n_modes))
    net = Network(h)
    for k in range(0, n_modes, every):
        net.attach_bath(k, rng.uniform(0.2, 1.0), occupation=rng.uniform(0.0, 3.0))
    return net


def timed(func, repeat: int = 1):
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - t0)
    return best, out


def chain_split(n_sites: int, solver: str = "auto"):
    ness = paper_chain(n_sites).steady_state(solver=solver)
    return ness, ness.entropy_production("baths"), ness.entropy_production("probes")


def network_split(n_modes: int, solver: str = "auto"):
    ness = random_network(n_modes).steady_state(solver=solver)
    return ness, ness.entropy_production()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    parser.add_argument("--threads", type=int, default=THREADS, help="BLAS threads (default 2)")
    args = parser.parse_args()
    big_chain, big_net, base_l = (400, 200, 30) if args.quick else (2000, 500, 60)
    print(f"load average {os.getloadavg()}; BLAS threads {args.threads}; pools {blas_info()}")
    with blas_threads(args.threads):
        t, (ness, pr, ps) = timed(lambda: chain_split(big_chain))
        print(f"[1] self-consistent chain L={big_chain}: NESS + Pi_r/Pi_sc in {t:.2f} s "
              f"(solver {ness.solver}); Pi_r={pr:.4e}, Pi_sc={ps:.4e}  [target < 30 s]")
        t, (ness, pi) = timed(lambda: network_split(big_net))
        print(f"[2] dense random network L={big_net}, baths on every 10th mode: NESS + Pi_c in "
              f"{t:.2f} s (solver {ness.solver}); Pi={pi:.4e}  [target < 5 s]")

        print(f"[3] baseline: vectorised Kronecker solve at L={base_l} (same process, same load)")
        for label, build in (("chain + probes", lambda m: chain_split(base_l, m)[0]),
                             ("random network", lambda m: network_split(base_l, m)[0])):
            t_new, new = timed(lambda: build("auto"), repeat=3)
            t_old, old = timed(lambda: build("kronecker"))
            diff = float(np.max(np.abs(new.covariance - old.covariance)))
            print(f"    {label:15s}: new ({new.solver}) {t_new * 1e3:9.2f} ms, Kronecker "
                  f"{t_old * 1e3:9.1f} ms, ratio {t_old / t_new:8.1f}x, max|dC| = {diff:.1e}")

        print("[4] general eigenbasis path, probes on every site (chain structure not used):")
        from thermoflux.harmonic_networks.lyapunov import DriftEigen

        for n in ((100, 200) if args.quick else (100, 200, 400)):
            t, _ = timed(lambda: chain_split(n, "eigen"))
            net = paper_chain(n)
            eig = DriftEigen(net.drift())
            sites, rates = np.arange(n), np.full(n, 1e-7)
            t_exact, exact = timed(lambda: eig.probe_matrix(sites, rates, low_rank=False))
            t_low, low = timed(lambda: eig.probe_matrix(sites, rates, low_rank=True))
            print(f"    L={n:4d}: whole NESS {t:.2f} s; probe matrix exact {t_exact:.2f} s, "
                  f"low-rank {t_low:.2f} s (max diff {np.max(np.abs(exact - low)):.1e})")


if __name__ == "__main__":
    main()

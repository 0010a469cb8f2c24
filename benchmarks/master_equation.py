"""Benchmarks of thermoflux.master_equation (seed 002), each against a stated baseline in the same run.

1. Pauli stationary state and all micro-currents for N = 2000 levels with nearest- and
   next-nearest-neighbour couplings to two fields (target < 2 s). Baseline: the same rate matrix
   solved densely (numpy LU of the N×N system with the normalization row).
2. GKSL stationary state for N = 40 (dense random couplings to two fields, Lamb shift off):
   QuTiP 5 ``steadystate`` on the same (prebuilt) Liouvillian against our solve on it and against
   our whole path from scratch, and QuTiP ``steadystate(H, c_ops)`` (CSR operators) against our
   whole path.

BLAS threads: 1 (set with thermoflux._threads.blas_threads; the machine is shared and the sparse
solves do not use BLAS much). Run: PYTHONPATH=src python benchmarks/master_equation.py
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

from thermoflux import BoseEinstein
from thermoflux._threads import blas_threads
from thermoflux.master_equation import Field, StochasticLimit, System
from thermoflux.master_equation.balance import jump_operators
from thermoflux.master_equation.stationary import gksl_stationary


def best_of(fn, repeat=3):
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def large_pauli(n=2000):
    rng = np.random.default_rng(1)
    energies = np.sort(rng.uniform(0.0, 200.0, n))
    d = sp.diags_array([rng.normal(size=n - 1), rng.normal(size=n - 2)], offsets=[1, 2], shape=(n, n))
    fields = {"hot": Field(BoseEinstein(beta=0.05), lambda w: 0.1 * w * np.exp(-w / 20)),
              "cold": Field(BoseEinstein(beta=0.5), lambda w: 0.05 * w * np.exp(-w / 20))}

    def ours():
        model = StochasticLimit(System(energies, {"hot": d, "cold": d}), fields)
        p = model.stationary_populations()
        table = model.micro_currents("energy", layout="transitions")
        matrix = model.micro_currents("particle")
        flows = model.flows()
        return p, table, matrix, flows, model

    t_ours, (p, table, matrix, flows, model) = best_of(ours)
    w = model.pauli_rate_matrix().toarray()

    def dense():
        a = w.copy()
        a[0, :] = 1.0
        rhs = np.zeros(n)
        rhs[0] = 1.0
        return np.linalg.solve(a, rhs)

    t_dense, p_dense = best_of(dense)
    print(f"[1] N={n} Pauli stationary + all micro-currents ({table.size} transitions, matrix "
          f"{matrix.shape}) + flows: {t_ours:.3f} s (target < 2 s)")
    print(f"    baseline dense LU of W alone: {t_dense:.3f} s; ratio baseline/ours = {t_dense / t_ours:.2f}; "
          f"max|p - p_dense| = {np.abs(p - p_dense).max():.2e}; entropy production {flows.entropy_production:.4g}")


def gksl_40(n=40):
    import qutip

    rng = np.random.default_rng(2)
    energies = np.sort(rng.uniform(0.0, 5.0, n))
    d = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    fields = {"hot": Field(BoseEinstein(beta=0.3), lambda w: 0.1 * w * np.exp(-w / 10)),
              "cold": Field(BoseEinstein(beta=2.0), lambda w: 0.1 * w * np.exp(-w / 10))}
    system = System(energies, {"hot": d, "cold": d.conj()})

    def ours_sector():
        return StochasticLimit(system, fields).stationary_state(solver="sector")

    def ours_full():
        return StochasticLimit(system, fields).stationary_state(solver="full")

    model = StochasticLimit(system, fields)
    delta, ops = jump_operators(model)
    t_sector, rho_sector = best_of(ours_sector)
    t_full, rho_full = best_of(ours_full)
    lv = model.liouvillian()
    # QuTiP on the same Liouvillian (our sparse matrix wrapped as a super-operator Qobj)
    lq = qutip.Qobj(lv, dims=[[[n], [n]], [[n], [n]]], superrep="super")
    t_q_l, rho_q = best_of(lambda: qutip.steadystate(lq))
    t_o_l, _ = best_of(lambda: gksl_stationary(lv, n))
    err = max(np.abs(rho_sector - rho_q.full()).max(), np.abs(rho_full - rho_q.full()).max())
    print(f"[2] N={n} GKSL stationary state, {len(ops)} collapse operators (one per field, Bohr frequency "
          f"and direction); max deviation from QuTiP {err:.2e}")
    print(f"    same Liouvillian: ours (sparse LU + trace row) {t_o_l * 1e3:.1f} ms, QuTiP steadystate(L) "
          f"{t_q_l * 1e3:.1f} ms, ratio QuTiP/ours {t_q_l / t_o_l:.1f}x")
    print(f"    ours from scratch (build transitions + Liouvillian + solve): zero-Bohr sector "
          f"{t_sector * 1e3:.1f} ms ({t_q_l / t_sector:.1f}x faster than QuTiP's solve alone), full N^2 solve "
          f"{t_full * 1e3:.1f} ms ({t_q_l / t_full:.1f}x)")
    # QuTiP's whole path from H and the collapse operators (CSR data layer; with QuTiP's default
    # Dense operators of 40x40 its Liouvillian build takes ~0.2 s per collapse operator)
    h = qutip.Qobj(np.diag(energies) + delta).to("csr")
    c_ops = [qutip.Qobj(op).to("csr") for op in ops]
    t_q_full, rho_q2 = best_of(lambda: qutip.steadystate(h, c_ops), repeat=2)
    print(f"    from scratch: QuTiP steadystate(H, c_ops) {t_q_full * 1e3:.1f} ms vs ours (sector) "
          f"{t_sector * 1e3:.1f} ms, ratio {t_q_full / t_sector:.1f}x; max deviation "
          f"{np.abs(rho_q2.full() - rho_sector).max():.2e}")

if __name__ == "__main__":
    with blas_threads(1):
        large_pauli()
        gksl_40()

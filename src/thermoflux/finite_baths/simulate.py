"""Time evolution of a system between finite baths, with the full entropy decomposition.

:func:`simulate` evolves the correlation matrix exactly (seed 001, eq. 19; see
:mod:`thermoflux.finite_baths.dynamics`) and returns every quantity of seed 001, Secs. II and IV
as an xarray Dataset with dims ``time`` and ``reservoir`` (one per bath; and ``site``). Per-time
quantities that accumulate from t = 0 carry names that say so (``heat_exchanged``,
``entropy_produced``); ``*_current`` variables are rates.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from typing import Any

import numpy as np

from thermoflux._progress import progress_bar
from thermoflux._threads import available_cores, current_blas_threads
from thermoflux._threads import blas_threads as limited_blas_threads
from thermoflux._validation import as_real_array, check_choice, describe
from thermoflux.entropy import fermionic_gaussian_entropy, mode_entropy
from thermoflux.errors import InputError, warn_thermodynamics
from thermoflux.finite_baths.decomposition import BathTerms, bath_terms, checked_occupations
from thermoflux.finite_baths.dynamics import Propagator
from thermoflux.finite_baths.model import QuadraticModel
from thermoflux.finite_baths.secular import compression_eigenvalues
from thermoflux.finite_baths.states import InitialState
from thermoflux.finite_baths.temperatures import effective_beta_mu
from thermoflux.io import result_attrs, time_series_dataset

__all__ = ["simulate", "global_equilibrium", "global_bath_parameters", "currents", "mode_rates",
           "initial_parameters", "SOLVERS"]

#: "structured": O(N²) blocks + secular equation (default); "dense": the straightforward
#: method, full 𝒞(t) and eigvalsh of every block (a reference and the benchmark's baseline).
SOLVERS = ("structured", "dense")

_LN2 = float(np.log(2.0))

#: What finite-bath Datasets add to the core sign convention (``result_attrs(sign_note=)``).
SIGN_NOTE = ("finite_baths: heat_exchanged[nu] = Q_nu(t) is the heat that has left bath nu "
             "since t = 0, entropy_produced = Sigma(t) the entropy produced since t = 0")

#: Below this many sites simulate() runs with one BLAS thread unless told otherwise.
SMALL_MODEL = 1200

#: How simulate() spends two or more cores on the bath blocks, the eigensolves that dominate a
#: time step: "concurrent" diagonalises the blocks at the same time in a thread pool, one BLAS
#: thread each (LAPACK and NumPy's loops release the GIL, and the environment's secular
#: equation runs meanwhile in the calling thread); "sequential" gives every block all threads in
#: turn. Chosen by measurement (benchmarks/finite_baths.py, issue 15): a complex eigvalsh(1000)
#: takes ~0.39 s on one thread and ~0.28 s on two on an idle machine, so two at once beat two in
#: turn (0.39 s against 0.56 s), and the block assembly around them is not threaded by BLAS at
#: all; on the loaded shared machine two concurrent eigvalsh took 1.9 s against 33 s in turn on
#: two threads, and a whole K = 1000 step 2.7 s against 23 s (3.2 s on one thread).
BLOCK_STRATEGY = "concurrent"

#: Σ must be >= 0 for thermal initial states; a violation beyond this (entropies are sums of
#: ~N terms each exact to ~1e-13) warns ThermodynamicsWarning.
SECOND_LAW_TOL = 1e-8


def check_model_and_state(model: Any, state: Any) -> None:
    """InputError unless ``model`` is a QuadraticModel and ``state`` an InitialState of its size.

    Internal (in no ``__all__``): shared by :func:`simulate` and ``rates.flows``.
    """
    if not isinstance(model, QuadraticModel):
        raise InputError(f"model must be a QuadraticModel; got {describe(model)}")
    if not isinstance(state, InitialState):
        raise InputError(f"state must be an InitialState (thermal_state, sampled_pure_state, "
                         f"diagonal_state); got {describe(state)}")
    if state.occupations.shape != (model.size,):
        raise InputError(f"state has {state.occupations.size} sites but the model has {model.size}")


def _check_inputs(model: Any, state: Any, times: Any) -> np.ndarray:
    check_model_and_state(model, state)
    t = as_real_array(times, "times")
    t = np.atleast_1d(t)
    if t.ndim != 1 or t.size == 0:
        raise InputError(f"times must be a non-empty 1-D array; got shape {t.shape}")
    if np.any(t < 0):
        raise InputError(f"times must be >= 0; got a minimum of {float(t.min())!r}")
    return t


def initial_parameters(model: QuadraticModel, state: InitialState) -> dict[str, tuple[float, float, np.ndarray]]:
    """(β*_ν,0, μ*_ν,0, log-odds) of each bath at t = 0 (exact for thermal states)."""
    out = {}
    for name, sl in model.bath_slices.items():
        eps = model.bath_energies[name]
        occ = state.occupations[sl]
        dist = state.reservoirs.get(name)
        if state.kind == "thermal":
            out[name] = (float(dist.beta), float(dist.mu), state.log_odds[sl])
        else:
            guess = (float(dist.beta), float(dist.mu)) if dist is not None else None
            beta, mu = effective_beta_mu(eps, float(eps @ occ), float(occ.sum()), guess=guess,
                                             where=f"bath {name!r} at t=0")
            out[name] = (beta, mu, beta * (eps - mu))
    return out


def simulate(model: QuadraticModel, state: InitialState, times: Any, *, solver: str = "structured",
             blas_threads: int | None = None, progress: bool | None = None,
             site_occupations: bool = True) -> Any:
    """Exact dynamics and entropy decomposition Σ = I_SB + I_LR + Σ_ν I_oν + D*_env(t) − D*_env(0).

    Parameters
    ----------
    model : QuadraticModel
    state : InitialState
        Diagonal initial state (:func:`thermal_state`, :func:`sampled_pure_state`,
        :func:`diagonal_state`).
    times : array_like
        Times t >= 0 (units ħ/energy; the paper plots Γt). Any order; sorted times warm-start
        the (β*, μ*) solver best.
    solver : {"structured", "dense"}, default "structured"
        "structured" forms only the bath blocks, in O(N²) per time, and for a single-level
        system the environment entropy from the secular equation; "dense" forms 𝒞(t) in full
        and diagonalises every block (the straightforward method).
    blas_threads : int, optional
        Cores (BLAS threads in all) for the heavy loop. Default: 1 for models with fewer than :data:`SMALL_MODEL`
        sites (on the shared 2-core machines a second thread makes a 100 × 100 eigvalsh ~20×
        slower under load), otherwise the process's BLAS threads (at most the cores available).
        With two or more cores the bath blocks are diagonalised concurrently, one BLAS thread
        each (:data:`BLOCK_STRATEGY`).
    progress : bool, optional
        Show a progress bar (default: when stderr is a terminal).
    site_occupations : bool, default True
        Include the (time, site) occupations.

    Returns
    -------
    xarray.Dataset
        Dims ``time``, ``reservoir`` (the baths; and ``site``). Entropies in nats (k_B = 1),
        energies in energy units. Variables: ``system_occupation``, ``system_entropy``,
        ``bath_energy``, ``bath_particles``, ``heat_exchanged`` (Q_ν(t), the heat that has left
        bath ν into the system since t = 0), the rates ``particle_current``, ``energy_current``
        and ``heat_current`` (positive out of bath ν),
        ``beta_eff``, ``mu_eff``, ``bath_entropy``, ``gibbs_entropy``, ``entropy_produced``
        (Σ(t) since t = 0, eq. 7), ``system_bath_mutual_information`` (eq. 8), ``bath_bath_mutual_information``
        (eq. 9), ``intrabath_correlation`` (eq. 10, per bath), ``local_athermality`` (D*_env(t),
        eq. 11) and ``bath_local_athermality``, ``initial_local_athermality`` (D*_env(0), eq. 23),
        ``entropy_produced_initial_temperatures`` (σ(t), eq. 13), ``finite_bath_effect``
        (D^eq_env, eq. 14), ``normalized_distance`` (D[ρ_ν‖π_ν]/𝒮_ν, Fig. 4),
        ``*_normalized`` correlations (I / I_cl^max, Fig. 6), ``total_energy``,
        ``total_particles`` and ``decomposition_residual`` (Σ minus the sum of eq. 23).

    Raises
    ------
    InputError
        Bad model, state or times.
    ConvergenceError
        No effective (β*, μ*) for some bath and time (the message names both).

    Notes
    -----
    Seed 001, eqs. 5–14, 19–23. S_SB(t) = S_SB(0) by unitarity (the spectrum of 𝒞 is conserved);
    "structured" uses that, "dense" recomputes it (``tests/finite_baths`` compares the two).
    I_cl^max is ln min(d_X, d_Y) (the paper prints min{d_X, d_Y}, without the logarithm — a
    mutual information in nats is bounded by ln d): n_S ln 2 for I_SB, min(K_L, K_R) ln 2 for
    I_LR, and (K_ν − 1) ln 2 for the total correlation I_oν of K_ν modes.
    """
    t_all = _check_inputs(model, state, times)
    check_choice(solver, "solver", SOLVERS)
    workers, blas = _block_plan(model, solver, blas_threads)
    n_s, names = model.n_system, model.bath_names
    slices = model.bath_slices
    g0 = state.occupations
    prop = Propagator(model, g0)
    initial = initial_parameters(model, state)
    s_total = float(np.sum(mode_entropy(g0, "fermion")))     # S_SB, conserved
    s_sys0 = float(np.sum(mode_entropy(g0[:n_s], "fermion")))
    init_terms: dict[str, BathTerms] = {}
    for name, sl in slices.items():
        beta0, mu0, x0 = initial[name]
        init_terms[name] = bath_terms(model.bath_energies[name], g0[sl], None, beta0, mu0, x0, log_odds=x0)
    d_star0 = sum(b.local_athermality for b in init_terms.values())

    nt, nb = t_all.size, len(names)
    rows: dict[str, np.ndarray] = {k: np.zeros(nt) for k in (
        "system_occupation", "system_entropy", "environment_entropy", "total_entropy",
        "total_energy", "total_particles", "hermiticity_error")}
    per_bath: dict[str, np.ndarray] = {k: np.zeros((nt, nb)) for k in (
        "bath_energy", "bath_particles", "beta_eff", "mu_eff", "bath_entropy", "mode_entropy",
        "gibbs_entropy", "bath_local_athermality", "bath_finite_bath_effect",
        "particle_current", "energy_current")}
    occ_out = np.zeros((nt, model.size)) if site_occupations else None
    guess = {name: initial[name][:2] for name in names}

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="finite_baths") if workers > 1 else None
    with limited_blas_threads(blas), (pool or nullcontext()):
        for i, t in enumerate(progress_bar(t_all, total=nt, desc="finite_baths", enabled=progress)):
            t = float(t)
            if solver == "dense":
                step = _dense_step(model, prop, t)
            else:
                step = _structured_step(model, prop, t, g0, s_total, pool)
            diag, g_ss, g_cols, s_bath, s_env, herm, rows["total_entropy"][i], rows["total_energy"][i] = step
            diag = checked_occupations(diag, f"occupations at t={t!r}")
            rows["hermiticity_error"][i] = herm
            rows["system_occupation"][i] = float(np.sum(diag[:n_s]))
            rows["system_entropy"][i] = float(fermionic_gaussian_entropy(g_ss))
            rows["environment_entropy"][i] = s_env
            rows["total_particles"][i] = float(np.sum(diag))
            if occ_out is not None:
                occ_out[i] = diag
            _observe_baths(model, state, initial, guess, t, diag, mode_rates(prop, g_cols), s_bath, per_bath, i)

    return _assemble(model, state, t_all, solver, rows, per_bath, occ_out, initial, init_terms, s_sys0, d_star0)


def _dense_step(model: QuadraticModel, prop: Propagator, t: float) -> tuple:
    """Full 𝒞(t) and eigvalsh of every block: (diag, G_SS, G[:, S], S_ν, S_env, herm, S_SB, E)."""
    n_s, slices = model.n_system, model.bath_slices
    gm = prop.dense_g(t)
    herm = float(np.max(np.abs(gm - gm.conj().T)))
    gm = 0.5 * (gm + gm.conj().T)
    diag = np.real(np.diag(gm))
    s_bath = {name: float(fermionic_gaussian_entropy(gm[sl, sl])) for name, sl in slices.items()}
    s_env = float(fermionic_gaussian_entropy(gm[n_s:, n_s:]))
    total_entropy = float(fermionic_gaussian_entropy(gm))
    total_energy = float(np.real(np.sum(model.hamiltonian() * gm.T)))
    return diag, gm[:n_s, :n_s], gm[:, :n_s], s_bath, s_env, herm, total_entropy, total_energy


def _structured_step(model: QuadraticModel, prop: Propagator, t: float, g0: np.ndarray, s_total: float,
                     pool: ThreadPoolExecutor | None) -> tuple:
    """O(N²) bath blocks (+ secular equation for one level): the same tuple as :func:`_dense_step`."""
    n_s, slices = model.n_system, model.bath_slices
    snap = prop.snapshot(t)
    # The lazily cached pieces every block uses, formed here once, not racing in the pool.
    diag = np.concatenate([np.real(np.diag(snap.g_cols[:n_s, :])), snap.bath_diagonal()])
    run = pool.submit if pool is not None else _run_now
    pending = {name: run(_block_entropy, snap, sl) for name, sl in slices.items()}
    if n_s == 1:  # while the blocks are diagonalised: the secular equation (seed 001, eq. 21)
        w = np.abs(snap.u_rows[0]) ** 2
        lam = compression_eigenvalues(g0, w)
        s_env = float(np.sum(mode_entropy(checked_occupations(lam, "environment spectrum"), "fermion")))
    else:
        pending["environment"] = run(_block_entropy, snap, slice(n_s, model.size))
    herm, s_bath = 0.0, {}
    for name, fut in pending.items():
        h_err, s_bath[name] = fut.result()
        herm = max(herm, h_err)
    if n_s > 1:
        s_env = s_bath.pop("environment")
    return diag, snap.system_block, snap.g_cols, s_bath, s_env, herm, s_total, snap.total_energy()


def _observe_baths(model: QuadraticModel, state: InitialState, initial: dict, guess: dict, t: float,
                   diag: np.ndarray, rate: np.ndarray, s_bath: dict[str, float],
                   per_bath: dict[str, np.ndarray], i: int) -> None:
    """Fill row ``i`` of ``per_bath``: currents, β*, μ* (eqs. 5-6) and the bath terms at time t."""
    for j, (name, sl) in enumerate(model.bath_slices.items()):
        eps = model.bath_energies[name]
        occ = diag[sl]
        beta0, mu0, x0 = initial[name]
        if t == 0.0 and state.kind == "thermal":
            beta, mu, x = beta0, mu0, x0
        else:
            beta, mu = effective_beta_mu(eps, float(eps @ occ), float(occ.sum()),
                                             guess=guess[name], where=f"bath {name!r} at t={t!r}")
            x = None
        guess[name] = (beta, mu)
        bt = bath_terms(eps, occ, None, beta, mu, x0, log_odds=x, entropy=s_bath[name])
        per_bath["particle_current"][i, j] = -float(np.sum(rate[sl]))
        per_bath["energy_current"][i, j] = -float(np.dot(eps, rate[sl]))
        for key, val in (("bath_energy", bt.energy), ("bath_particles", bt.particles),
                         ("beta_eff", beta), ("mu_eff", mu), ("bath_entropy", bt.entropy),
                         ("mode_entropy", bt.mode_entropy), ("gibbs_entropy", bt.gibbs_entropy),
                         ("bath_local_athermality", bt.local_athermality),
                         ("bath_finite_bath_effect", bt.finite_bath_effect)):
            per_bath[key][i, j] = val


def _decomposition(model: QuadraticModel, rows: dict[str, np.ndarray], per_bath: dict[str, np.ndarray],
                   initial: dict, init_terms: dict[str, BathTerms], s_sys0: float,
                   d_star0: float) -> dict[str, np.ndarray]:
    """The cumulative heat and the entropy decomposition, vectorised over time (seed 001, eqs. 7-14, 23).

    Keyed by the names of the Dataset variables of :func:`simulate`.
    """
    names = model.bath_names
    e0 = np.array([init_terms[n].energy for n in names])
    n0 = np.array([init_terms[n].particles for n in names])
    gibbs0 = np.array([init_terms[n].gibbs_entropy for n in names])
    beta0 = np.array([initial[n][0] for n in names])
    mu0 = np.array([initial[n][1] for n in names])
    d_e = per_bath["bath_energy"] - e0
    d_n = per_bath["bath_particles"] - n0
    heat = -(d_e - mu0 * d_n)
    d_s_sys = rows["system_entropy"] - s_sys0
    sigma_big = d_s_sys + np.sum(per_bath["gibbs_entropy"] - gibbs0, axis=1)
    sigma_small = d_s_sys - np.sum(beta0 * heat, axis=1)
    i_sb = rows["system_entropy"] + rows["environment_entropy"] - rows["total_entropy"]
    i_lr = np.sum(per_bath["bath_entropy"], axis=1) - rows["environment_entropy"]
    i_o = per_bath["mode_entropy"] - per_bath["bath_entropy"]
    d_star = np.sum(per_bath["bath_local_athermality"], axis=1)
    ks = np.array([model.n_modes[n] for n in names])
    m_total = int(ks.sum())
    lr_max = (m_total - int(ks.max())) * _LN2 if len(names) > 1 else np.nan
    return {
        "heat_exchanged": heat,
        "entropy_produced": sigma_big,
        "entropy_produced_initial_temperatures": sigma_small,
        "system_bath_mutual_information": i_sb,
        "bath_bath_mutual_information": i_lr,
        "intrabath_correlation": i_o,
        "local_athermality": d_star,
        "finite_bath_effect": np.sum(per_bath["bath_finite_bath_effect"], axis=1),
        "decomposition_residual": sigma_big - (i_sb + i_lr + i_o.sum(axis=1) + d_star - d_star0),
        "normalized_distance": (per_bath["gibbs_entropy"] - per_bath["bath_entropy"]) / per_bath["gibbs_entropy"],
        "system_bath_mutual_information_normalized": i_sb / (min(model.n_system, m_total) * _LN2),
        "bath_bath_mutual_information_normalized": i_lr / lr_max,
        "intrabath_correlation_normalized": i_o / ((ks - 1) * _LN2),
    }


def _assemble(model: QuadraticModel, state: InitialState, t_all: np.ndarray, solver: str,
              rows: dict[str, np.ndarray], per_bath: dict[str, np.ndarray], occ_out: np.ndarray | None,
              initial: dict, init_terms: dict[str, BathTerms], s_sys0: float, d_star0: float) -> Any:
    """The Dataset of :func:`simulate` (:func:`thermoflux.io.time_series_dataset`)."""
    names = model.bath_names
    dec = _decomposition(model, rows, per_bath, initial, init_terms, s_sys0, d_star0)
    if state.kind == "thermal" and np.any(dec["entropy_produced"] < -SECOND_LAW_TOL):
        warn_thermodynamics(
            f"entropy production Sigma reaches {float(dec['entropy_produced'].min()):.3g} < 0 for a thermal "
            f"initial state (tolerance {SECOND_LAW_TOL:g}); the numerics or the model are at fault")

    def ref(eq: str) -> str:
        return f"seed 001, {eq}"

    per_bath_vars = {
        "bath_energy": (per_bath["bath_energy"], "E_nu = sum_k eps_k n_k", "energy"),
        "bath_particles": (per_bath["bath_particles"], "N_nu = sum_k n_k", "1"),
        "heat_exchanged": (dec["heat_exchanged"], "heat exchanged Q_nu(t) (cumulative) = -[dE_nu - mu*_nu(0) dN_nu], positive out of the bath", "energy", ref("eqs. 13, 22")),
        "particle_current": (per_bath["particle_current"], "J^N_nu = -dN_nu/dt, positive out of the bath", "1/time"),
        "energy_current": (per_bath["energy_current"], "J^E_nu = -dE_nu/dt, positive out of the bath", "energy/time"),
        "heat_current": (per_bath["energy_current"] - per_bath["mu_eff"] * per_bath["particle_current"], "J^Q_nu = J^E_nu - mu*_nu(t) J^N_nu, positive out of the bath", "energy/time", ref("eq. 4")),
        "beta_eff": (per_bath["beta_eff"], "effective inverse temperature", "1/energy", ref("eqs. 5-6")),
        "mu_eff": (per_bath["mu_eff"], "effective chemical potential", "energy", ref("eqs. 5-6")),
        "bath_entropy": (per_bath["bath_entropy"], "von Neumann entropy S_nu of the bath", "nat", ref("eq. 21")),
        "gibbs_entropy": (per_bath["gibbs_entropy"], "entropy of pi_nu(beta*, mu*)", "nat", ref("eq. 7")),
        "intrabath_correlation": (dec["intrabath_correlation"], "I_o,nu = D[rho_nu || prod_k rho_nu,k]", "nat", ref("eq. 10")),
        "bath_local_athermality": (per_bath["bath_local_athermality"], "D*_env of each bath", "nat", ref("eq. 11")),
        "bath_finite_bath_effect": (per_bath["bath_finite_bath_effect"], "D^eq_env of each bath", "nat", ref("eq. 14")),
        "normalized_distance": (dec["normalized_distance"], "D[rho_nu || pi_nu] / S(pi_nu)", "1", ref("Fig. 4")),
        "intrabath_correlation_normalized": (dec["intrabath_correlation_normalized"], "I_o,nu / ((K_nu - 1) ln 2)", "1", ref("Fig. 6")),
    }
    series = {
        "system_occupation": (rows["system_occupation"], "particles in the system", "1"),
        "system_entropy": (rows["system_entropy"], "von Neumann entropy of the system", "nat", ref("eq. 21")),
        "environment_entropy": (rows["environment_entropy"], "von Neumann entropy of all baths", "nat", ref("eq. 21")),
        "total_entropy": (rows["total_entropy"], "von Neumann entropy of system and baths", "nat"),
        "entropy_produced": (dec["entropy_produced"], "entropy produced Sigma(t) since t = 0 (cumulative)", "nat", ref("eq. 7")),
        "system_bath_mutual_information": (dec["system_bath_mutual_information"], "I_S-B", "nat", ref("eq. 8")),
        "bath_bath_mutual_information": (dec["bath_bath_mutual_information"], "I_L-R (total correlation between baths)", "nat", ref("eq. 9")),
        "local_athermality": (dec["local_athermality"], "D*_env(t) = sum D[rho_nu,k || pi_nu,k(t)]", "nat", ref("eq. 11")),
        "entropy_produced_initial_temperatures": (dec["entropy_produced_initial_temperatures"], "entropy produced sigma(t) with the initial temperatures (cumulative)", "nat", ref("eq. 13")),
        "finite_bath_effect": (dec["finite_bath_effect"], "D^eq_env = sum D[pi_nu,k(t) || pi_nu,k(0)]", "nat", ref("eq. 14")),
        "system_bath_mutual_information_normalized": (dec["system_bath_mutual_information_normalized"], "I_S-B / ln min(d_S, d_B)", "1", ref("Fig. 6")),
        "bath_bath_mutual_information_normalized": (dec["bath_bath_mutual_information_normalized"], "I_L-R / classical maximum", "1", ref("Fig. 6")),
        "decomposition_residual": (dec["decomposition_residual"], "Sigma - (I_SB + I_LR + sum I_o + D*(t) - D*(0))", "nat", ref("eqs. 12, 23")),
        "total_energy": (rows["total_energy"], "Tr[H C(t)] (conserved)", "energy"),
        "total_particles": (rows["total_particles"], "Tr C(t) (conserved)", "1"),
        "hermiticity_error": (rows["hermiticity_error"], "max |G - G^dagger| of the computed blocks", "1"),
    }
    other: dict[str, Any] = {"initial_local_athermality": ((), np.float64(d_star0), "D*_env(0)", "nat", ref("eq. 23"))}
    coords: dict[str, Any] = {}
    if occ_out is not None:
        other["site_occupation"] = (("time", "site"), occ_out, "occupation <c_i^dagger c_i>", "1", ref("eq. 18"))
        coords["site"] = ("site", np.arange(model.size), "site index (system first, then the baths)", "1")
        coords["site_label"] = ("site", model.site_labels.astype(str), '"S" for a system site, else the bath name', "1")
    attrs = result_attrs(
        "finite_baths", seed="001", equations="4-14, 19-23", sign_note=SIGN_NOTE,
        parameters={"initial_state": state.kind, "n_system": model.n_system,
                    "n_modes": {n: int(model.n_modes[n]) for n in names},
                    "initial_beta": {n: float(initial[n][0]) for n in names},
                    "initial_mu": {n: float(initial[n][1]) for n in names}},
        solver=solver)
    return time_series_dataset(t_all, names, per_reservoir=per_bath_vars, series=series, other=other,
                               coords=coords, attrs=attrs)


def _block_plan(model: QuadraticModel, solver: str, threads: int | None) -> tuple[int, int | None]:
    """(thread-pool workers, BLAS threads) for the time loop, from :data:`BLOCK_STRATEGY`.

    ``threads`` (``blas_threads`` of :func:`simulate`) is the number of cores to use; by default one for models below
    :data:`SMALL_MODEL` sites, otherwise the BLAS threads the process already has (so a sweep
    worker limited to one thread stays at one), at most the cores available.
    """
    if threads is None:
        cores = 1 if model.size < SMALL_MODEL else min(current_blas_threads(), available_cores())
    else:
        cores = int(threads)
        if cores < 1:
            raise InputError(f"blas_threads must be a positive integer or None; got {threads!r}")
    n_blocks = len(model.bath_names) + (model.n_system > 1)
    if solver == "dense" or BLOCK_STRATEGY == "sequential" or cores < 2 or n_blocks < 2:
        return 1, (cores if threads is not None or model.size < SMALL_MODEL else None)
    workers = min(cores, n_blocks)
    return workers, max(1, cores // workers)


def _run_now(fn: Any, *args: Any) -> Future:
    """fn(*args) in this thread, as a finished Future (the pool-free path)."""
    fut: Future = Future()
    fut.set_result(fn(*args))
    return fut


def _block_entropy(snap: Any, sl: slice) -> tuple[float, float]:
    """(max |G − G†|, S) of the bath block G[sl, sl] at the snapshot's time (seed 001, eq. 21).

    The block is symmetrised before its spectrum is taken; its Hermiticity error is reported.
    Eigenvalues outside [0, 1] by more than eigensolver round-off raise InputError (not a state).
    Runs in a worker thread: NumPy's loops and LAPACK release the GIL.
    """
    blk = snap.block(sl, sl)
    adj = np.conjugate(blk.T, out=np.empty_like(blk))       # G† in row-major order
    herm = float(np.max(np.abs(np.subtract(blk, adj, out=adj))))
    np.add(blk, np.conjugate(blk.T, out=adj), out=blk)
    blk *= 0.5
    # Exactly Hermitian now, so its spectrum goes straight to eigvalsh (no O(K²) re-check).
    occ = checked_occupations(np.linalg.eigvalsh(blk), "bath block spectrum")
    return herm, float(np.sum(mode_entropy(occ, "fermion")))


def mode_rates(prop: Propagator, g_cols: np.ndarray) -> np.ndarray:
    """dn_k/dt for every site from the system columns of G: 2 Im Σ_s 𝓗_ks G_sk (0 on system sites).

    From dG/dt = −i[𝓗, G] and the bath–bath part of 𝓗 being diagonal; exact at each time (no
    finite differences).
    """
    n_s = prop.n_s
    out = np.zeros(prop.g.size)
    out[n_s:] = 2.0 * np.imag(np.sum(prop.x_bs * np.conj(g_cols[n_s:, :]), axis=1))
    return out


def currents(model: QuadraticModel, state: InitialState, times: Any) -> Any:
    """Particle and energy currents out of each bath, J^N_ν = −dN_ν/dt and J^E_ν = −dE_ν/dt.

    Cheap (O(N²) per time: only the system columns of G(t) are formed), for long time series.

    Returns
    -------
    xarray.Dataset
        ``particle_current`` (1/time) and ``energy_current`` (energy/time), dims (time, reservoir),
        positive when flowing out of the bath into the system.

    Notes
    -----
    The time derivative of seed 001's bath energies and particle numbers (eqs. 4, 22).
    """
    t_all = _check_inputs(model, state, times)
    prop = Propagator(model, state.occupations)
    names = model.bath_names
    jn = np.zeros((t_all.size, len(names)))
    je = np.zeros_like(jn)
    with limited_blas_threads(1 if model.size < SMALL_MODEL else None):
        for i, t in enumerate(t_all):
            snap = prop.snapshot(float(t))
            rate = mode_rates(prop, snap.g_cols)
            for j, (name, sl) in enumerate(model.bath_slices.items()):
                jn[i, j] = -float(np.sum(rate[sl]))
                je[i, j] = -float(np.dot(model.bath_energies[name], rate[sl]))
    return time_series_dataset(
        t_all, names,
        per_reservoir={"particle_current": (jn, "J^N, positive out of the bath", "1/time"),
                       "energy_current": (je, "J^E, positive out of the bath", "energy/time")},
        attrs=result_attrs("finite_baths", seed="001", equations="4, 22", sign_note=SIGN_NOTE,
                           parameters={"n_system": model.n_system,
                                       "n_modes": {n: int(model.n_modes[n]) for n in names}}))


def global_equilibrium(model: QuadraticModel, state: InitialState) -> tuple[float, float]:
    """(β_ref, μ_ref) of the global grand-canonical state with the conserved energy and particles.

    Solves Σ_n λ_n f(β(λ_n − μ)) = Tr[𝓗 𝒞(0)] and Σ_n f(β(λ_n − μ)) = Tr 𝒞(0), with λ_n the
    eigenvalues of the full single-particle 𝓗. The energy is that of the whole Hamiltonian
    H_SB = H_S + H_B + V, so the system–bath interaction energy is included (it is zero in a
    diagonal initial state, but not in the global Gibbs state).

    Returns
    -------
    beta_ref, mu_ref : float
        Inverse temperature (1/energy) and chemical potential (energy).

    Notes
    -----
    Seed 001, App. B (eqs. B1–B2) and the dashed lines of Fig. 4.
    """
    if not isinstance(model, QuadraticModel) or not isinstance(state, InitialState):
        raise InputError("global_equilibrium needs a QuadraticModel and an InitialState")
    lam, _ = model.eigensystem()
    g0 = state.occupations
    h = model.hamiltonian()
    energy = float(np.real(np.sum(np.diag(h) * g0)))  # Tr[𝓗 𝒞(0)] for a diagonal 𝒞(0)
    guess = None
    if state.reservoirs and all(d is not None for d in state.reservoirs.values()):
        guess = (float(np.mean([d.beta for d in state.reservoirs.values()])),
                 float(np.mean([d.mu for d in state.reservoirs.values()])))
    return effective_beta_mu(lam, energy, float(g0.sum()), guess=guess, where="the global ensemble")



def global_bath_parameters(model: QuadraticModel, beta: float, mu: float) -> dict[str, tuple[float, float]]:
    """Effective (β*, μ*) of each bath in the global grand-canonical state π(β, μ) of App. B.

    The global Gibbs state has 𝒞_gg = V f(β(Λ − μ)) V† (eq. B2); its bath diagonals give, through
    eqs. 5–6, the local parameters a bath shows when the whole model has thermalized. They differ
    from (β_ref, μ_ref) by finite-size terms (the system and the interaction energy are part of
    the global ensemble), which matter at small K.

    Returns
    -------
    dict bath -> (beta, mu)
    """
    from thermoflux.distributions import fermi

    lam, vec = model.eigensystem()
    occ = (np.abs(vec) ** 2) @ fermi(beta * (lam - mu))
    out = {}
    for name, sl in model.bath_slices.items():
        eps = model.bath_energies[name]
        out[name] = effective_beta_mu(eps, float(eps @ occ[sl]), float(occ[sl].sum()),
                                          guess=(beta, mu), where=f"bath {name!r} of the global ensemble")
    return out

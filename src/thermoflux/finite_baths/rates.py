"""Flows of a finite-bath run at one time, or averaged exactly over a time window (seed 001).

:func:`flows` gives the :class:`~thermoflux.Flows` of a system between finite baths — the
particle, energy and heat currents out of each bath, the baths' entropy flows and the entropy
production rate, against the baths' initial (β*_ν(0), μ*_ν(0)) — either at a time t (exact time derivatives of the bath contents, seed 001,
eqs. 4, 22) or as the exact mean over a window [t₁, t₂], from the change of the bath contents
between two snapshots (no sampling of J(t), hence no aliasing of the bound-state oscillation;
``tests/crosscheck/test_finite_baths_landauer.py`` compares such plateaus with Landauer).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from thermoflux._validation import as_finite
from thermoflux.entropy import fermionic_gaussian_entropy
from thermoflux.errors import InputError
from thermoflux.finite_baths.dynamics import Propagator
from thermoflux.finite_baths.model import QuadraticModel
from thermoflux.finite_baths.simulate import check_model_and_state, initial_parameters, mode_rates
from thermoflux.finite_baths.states import InitialState
from thermoflux.flows import Flows

__all__ = ["flows", "BathContent", "bath_contents"]


@dataclass(frozen=True)
class BathContent:
    """What bath ν holds at time t.

    Attributes
    ----------
    particles, energy : float
        N_ν = Σ_k n_k and E_ν = Σ_k ε_k n_k (seed 001, eq. 22; the bath alone).
    coupling_energy : float
        ⟨H_int,ν⟩ = Σ_{k,s} (𝓗_sk ⟨c†_s c_k⟩ + c.c.), the energy of the bath's tunnel coupling.
    """

    particles: float
    energy: float
    coupling_energy: float


def bath_contents(propagator: Propagator, t: float) -> dict[str, BathContent]:
    """:class:`BathContent` of every bath at time ``t`` from one O(N²) snapshot of G(t)."""
    return _contents(propagator, propagator.snapshot(float(t)))


def _contents(propagator: Propagator, snap: Any) -> dict[str, BathContent]:
    model = propagator.model
    n_s = model.n_system
    occ = snap.bath_diagonal()
    g_bs = snap.g_cols[n_s:, :]                                   # G_ks = ⟨c†_s c_k⟩
    out = {}
    for name, sl in model.bath_slices.items():
        b = slice(sl.start - n_s, sl.stop - n_s)
        coupling = 2.0 * float(np.real(np.sum(propagator.x_sb.T[b] * g_bs[b])))
        out[name] = BathContent(float(occ[b].sum()), float(model.bath_energies[name] @ occ[b]), coupling)
    return out


def _time(value: Any, name: str) -> float:
    t = as_finite(value, name)
    if t < 0:
        raise InputError(f"{name} must be >= 0; got {t!r}")
    return t


def flows(model: QuadraticModel, state: InitialState, time: float | None = None, *,
          window: tuple[float, float] | None = None) -> Flows:
    """Flows out of each finite bath at ``time``, or their exact mean over ``window`` = (t₁, t₂).

    Parameters
    ----------
    model : QuadraticModel
    state : InitialState
        Diagonal initial state at t = 0.
    time : float, optional
        t >= 0 (ħ/energy): the instantaneous rates, exact derivatives of the bath contents.
    window : (float, float), optional
        0 <= t₁ < t₂: every rate is the exact time average over [t₁, t₂], the change of the
        cumulative quantity divided by t₂ − t₁ (two snapshots, no sampling). Give exactly one
        of ``time`` and ``window``.

    Returns
    -------
    Flows
        Per bath ν, positive out of the bath into the system: ``particle`` J^N_ν = −dN_ν/dt,
        ``energy`` J^E_ν = −dE_ν/dt (the bath's own energy E_ν = Σ_k ε_k n_k, eq. 22),
        ``heat`` J^Q_ν = J^E_ν − μ_ν J^N_ν = dQ_ν/dt (the rate of ``heat_exchanged`` of
        :func:`~thermoflux.finite_baths.simulate`, eqs. 13, 22) and ``entropy`` −β_ν J^Q_ν, with
        ``temperature`` 1/β_ν and ``chemical_potential`` μ_ν the bath's initial parameters
        (β*_ν(0), μ*_ν(0)) (those of its distribution for a thermal state; eqs. 5–6 at t = 0
        otherwise). ``system_particle_rate`` = Σ_ν J^N_ν and ``system_energy_rate`` = Σ_ν J^E_ν
        (system plus coupling energy: the total is conserved), ``system_entropy_rate`` = dS_S/dt,
        so ``entropy_production`` is dσ/dt, the rate of the entropy production with the initial
        temperatures σ (eq. 13, ``entropy_produced_initial_temperatures``) — the entropy
        production of reservoirs that stay at their initial parameters, as Landauer's; σ(t) ≥ 0
        for a thermal state, its rate may be negative in the transient.

    Raises
    ------
    InputError
        Bad model or state, neither or both of ``time`` and ``window``, a negative time or an
        empty window.
    ConvergenceError
        A non-thermal initial bath with no effective (β*, μ*) (the message names it).

    Notes
    -----
    Seed 001, eqs. 4, 13, 22. dN_ν/dt and dE_ν/dt come from dG/dt = −i[𝓗, G] (see
    :func:`~thermoflux.finite_baths.simulate.mode_rates`); dS_S/dt = Tr[ln((1 − G_SS)/G_SS)
    dG_SS/dt]. On a plateau (regime I) the window mean approaches the Landauer flows of the
    initial reservoirs (``tests/crosscheck/test_finite_baths_landauer.py``).
    """
    check_model_and_state(model, state)
    if (time is None) == (window is None):
        raise InputError(f"give exactly one of time and window; got time={time!r}, window={window!r}")
    prop = Propagator(model, state.occupations)
    initial = {name: (beta, mu) for name, (beta, mu, _) in initial_parameters(model, state).items()}
    if time is not None:
        return _instantaneous(prop, _time(time, "time"), initial)
    try:
        t1, t2 = window  # type: ignore[misc]
    except (TypeError, ValueError):
        raise InputError(f"window must be a pair (t1, t2); got {window!r}") from None
    t1, t2 = _time(t1, "window[0]"), _time(t2, "window[1]")
    if not t2 > t1:
        raise InputError(f"window must have t1 < t2; got ({t1!r}, {t2!r})")
    return _window_mean(prop, t1, t2, initial)


def _system_entropy_rate(prop: Propagator, snap: Any) -> float:
    """dS_S/dt = Tr[ln((1 − G_SS)/G_SS) dG_SS/dt], dG/dt = −i[𝓗, G] restricted to the system.

    An eigenvalue of G_SS at 0 or 1 (a pure system at t = 0, or a level no bath reaches)
    contributes nothing: occupations stay in [0, 1], so one that sits on a bound is at an
    extremum and dn/dt = 0 there (and dn ln n → 0 as n → 0). Eigenvalues that rounding puts on
    or just past a bound are therefore left out rather than fed to the logarithm.
    """
    n_s = prop.n_s
    h_ss = np.asarray(prop.model.hamiltonian()[:n_s, :n_s])
    g_ss = snap.system_block
    g_bs = snap.g_cols[n_s:, :]
    d_g = -1j * (h_ss @ g_ss - g_ss @ h_ss + prop.x_sb @ g_bs - g_bs.conj().T @ prop.x_bs)
    occ, vec = np.linalg.eigh(g_ss)
    d_occ = np.real(np.einsum("is,ij,js->s", vec.conj(), d_g, vec))
    return math.fsum(float(dn * (math.log1p(-n) - math.log(n)))
                     for n, dn in zip(occ, d_occ) if dn != 0.0 and 0.0 < n < 1.0)


def _instantaneous(prop: Propagator, t: float, initial: dict[str, tuple[float, float]]) -> Flows:
    model = prop.model
    snap = prop.snapshot(t)
    rate = mode_rates(prop, snap.g_cols)
    particle = {name: -float(np.sum(rate[sl])) for name, sl in model.bath_slices.items()}
    energy = {name: -float(np.dot(model.bath_energies[name], rate[sl])) for name, sl in model.bath_slices.items()}
    return _assemble(particle, energy, initial, _system_entropy_rate(prop, snap))


def _window_mean(prop: Propagator, t1: float, t2: float, initial: dict[str, tuple[float, float]]) -> Flows:
    snaps = [prop.snapshot(t) for t in (t1, t2)]
    ends = [_contents(prop, snap) for snap in snaps]
    dt = t2 - t1
    particle = {name: -(ends[1][name].particles - ends[0][name].particles) / dt for name in initial}
    energy = {name: -(ends[1][name].energy - ends[0][name].energy) / dt for name in initial}
    s_sys = [float(fermionic_gaussian_entropy(snap.system_block)) for snap in snaps]
    return _assemble(particle, energy, initial, (s_sys[1] - s_sys[0]) / dt)


def _assemble(particle: dict[str, float], energy: dict[str, float], initial: dict[str, tuple[float, float]],
              system_entropy_rate: float) -> Flows:
    """Flows against the initial (β_ν, μ_ν): J^Q = J^E − μ J^N, dS_ν/dt = −β J^Q (seed 001, eq. 13)."""
    heat = {name: energy[name] - mu * particle[name] for name, (_, mu) in initial.items()}
    return Flows(particle, energy, heat,
                 entropy={name: -beta * heat[name] for name, (beta, _) in initial.items()},
                 temperature={name: 1.0 / beta for name, (beta, _) in initial.items()},
                 chemical_potential={name: mu for name, (_, mu) in initial.items()},
                 system_particle_rate=math.fsum(particle.values()),
                 system_energy_rate=math.fsum(energy.values()),
                 system_entropy_rate=system_entropy_rate, method="finite_baths")

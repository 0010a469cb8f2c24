"""The mixture state Ω_mix of a free field in contact with N >= 2 reservoirs (seed 000).

A free quantum field on the line, ψ(t, x) = ∫ dk/2π e^{−iω(k)t + ikx} a(k) (seed 000, eq. 38),
in the quasi-free state whose two-point function is ⟨a*(k)a(p)⟩ = 2πδ(k − p) d_mix(k) with the
mixed distribution

    d_mix(k) = Σ_i w_i(k) d_i(ω(k))                                   (seed 000, eqs. 2, 5)

of the reservoirs' Gibbs distributions d_i, weighted with momentum-dependent exchange
probabilities w_i(k). This module holds :class:`MixtureState` and its mean observables
(density, particle, energy and heat currents, entropy production, efficiency, ``Flows``); the
fluctuations, Lorenz number, linear response and the equilibrium check are defined in sibling
modules (``counting``, ``lorenz``, ``linear_response``, ``equilibrium``) as functions of the
state and bound here as methods: each analysis exists once, as a method. The siblings share the
state's :class:`~thermoflux.mixture.grid.MomentumGrid` (``state.grid``) and its documented
helpers (``reservoir_index``, ``modes_at``, ``require_two_gates``, ``momentum_of_energy``).

Orientation (seed 000, after eq. 76): the bulk current j is positive from gate G_1 (reservoir
index 0) to gate G_2 (index 1). In thermoflux's convention (currents positive out of a
reservoir into the system) reservoir 0 carries +j and reservoir 1 carries −j.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import Any

import numpy as np

from thermoflux._validation import as_positive, as_real_array, call_user, check_callable, describe
from thermoflux.distributions import BoseEinstein, Distribution, FermiDirac, occupation_from_log_odds
from thermoflux.errors import InputError
from thermoflux.flows import Flows
from thermoflux.mixture import counting, equilibrium, linear_response, lorenz
from thermoflux.mixture import grid as quad
from thermoflux.mixture.grid import MomentumGrid
from thermoflux.mixture.grid import as_scalar as _scalar
from thermoflux.mixture.weights import check_weights

__all__ = ["MixtureState"]


class MixtureState:
    """Quasi-free state of the mixed distribution d_mix(k) = Σ_i w_i(k) d_i(ω(k)).

    Parameters
    ----------
    reservoirs : mapping name -> distribution, or sequence of distributions
        N >= 2 thermal reservoirs (:class:`~thermoflux.FermiDirac` or
        :class:`~thermoflux.BoseEinstein`, all of one statistics). The order is the gate order:
        index 0 is gate G_1, index 1 is G_2. A sequence gets the names "R1", "R2", ...
        Arrays of β and μ broadcast to a parameter shape S: every observable then returns an
        array of shape S (one vectorized pass).
    weights : sequence of callables
        w_i(k), vectorized over momenta, one per reservoir, with Σ_i w_i = 1 and w_i >= 0
        (seed 000, eq. 1), checked on a logarithmic grid of ±k spanning eleven decades
        around the thermal momentum and at the weights' breakpoints. A
        :class:`~thermoflux.mixture.WeightFunction` may carry its exact odd part I(k)
        (``imbalance``), used instead of w(k) − w(−k) wherever I is needed.
    mass : float, default 1.0
        m > 0 of the default dispersion ω(k) = k²/2m.
    dispersion : callable, optional
        A vectorized even dispersion ω(k), increasing in |k|; ``velocity`` must be given with
        it. The band bottom is ω(0).

    Other Parameters
    ----------------
    velocity : callable, optional
        Group velocity dω/dk (odd in k), required with ``dispersion``; default k/m.
    momentum_breakpoints : sequence of float, default ()
        Extra momenta where the weights change (panel edges at ±them); weights built by
        :func:`step_weights` / :func:`gaussian_weights` bring their own.

    Raises
    ------
    InputError
        Fewer than two reservoirs, non-thermal or mixed statistics, m <= 0, a Bose reservoir
        with μ at or above the band bottom (its density diverges), weights that are negative
        or do not sum to one, a dispersion that is not even and increasing.

    Notes
    -----
    Seed 000, eqs. 2–5, 15, 27, 33, 38–40; N > 2 reservoirs as in Sec. 4 (eq. 131). Integrals
    are split at k = 0 and done by 20-point Gauss–Legendre panels whose edges are the momenta of
    the reservoirs' thermal steps (see :mod:`thermoflux.mixture.grid`); the closed forms of
    the paper (eqs. 44, 56, 57, 75, 85, 119, 123) are tested against this general path to
    relative 1e-10.
    """

    def __init__(self, reservoirs: Mapping[str, Distribution] | Sequence[Distribution],
                 weights: Sequence[Callable], *, mass: float = 1.0, dispersion: Callable | None = None,
                 velocity: Callable | None = None, momentum_breakpoints: Sequence[float] = ()) -> None:
        if isinstance(reservoirs, Mapping):
            names, dists = [str(n) for n in reservoirs], list(reservoirs.values())
        elif isinstance(reservoirs, Sequence) and not isinstance(reservoirs, (str, bytes)):
            dists = list(reservoirs)
            names = [f"R{i + 1}" for i in range(len(dists))]
        else:
            raise InputError(f"reservoirs must be a mapping name -> distribution or a sequence; got {describe(reservoirs)}")
        if len(dists) < 2:
            raise InputError(f"reservoirs must hold at least two reservoirs; got {len(dists)}")
        for name, d in zip(names, dists):
            if not isinstance(d, (FermiDirac, BoseEinstein)):
                raise InputError(f"reservoir {name!r} must be a FermiDirac or BoseEinstein distribution "
                                 f"(seed 000 uses Gibbs reservoirs); got {type(d).__name__}")
        stats = {d.statistics for d in dists}
        if len(stats) != 1:
            raise InputError(f"reservoirs must share one statistics; got {sorted(stats)}")
        self.statistics: str = stats.pop()
        self.names: tuple[str, ...] = tuple(names)
        self.reservoirs: dict[str, Distribution] = dict(zip(names, dists))
        self.mass = as_positive(mass, "mass")
        if dispersion is None:
            if velocity is not None:
                raise InputError("velocity is only used with a custom dispersion; got velocity without dispersion")
            self._omega: Callable = lambda k: k * k / (2.0 * self.mass)
            self._velocity: Callable = lambda k: k / self.mass
            self.dispersion = None
        else:
            check_callable(dispersion, "dispersion")
            if velocity is None:
                raise InputError("velocity (the group velocity dω/dk) must be given with a custom dispersion")
            check_callable(velocity, "velocity")
            self._omega = lambda k: np.asarray(call_user(dispersion, "dispersion", k), dtype=float)
            self._velocity = lambda k: np.asarray(call_user(velocity, "velocity", k), dtype=float)
            self.dispersion = dispersion
        try:
            self.shape: tuple[int, ...] = np.broadcast_shapes(
                *[np.shape(d.beta) for d in dists], *[np.shape(d.mu) for d in dists])
        except ValueError as exc:
            raise InputError("the reservoirs' beta and mu arrays must broadcast to one parameter shape") from exc
        self.betas = np.stack([np.broadcast_to(np.asarray(d.beta, float), self.shape) for d in dists])
        self.mus = np.stack([np.broadcast_to(np.asarray(d.mu, float), self.shape) for d in dists])
        self.band_bottom = float(self._omega(np.array(0.0)))
        if dispersion is not None:
            self._check_dispersion()
        if self.statistics == "boson" and np.any(self.mus >= self.band_bottom):
            i = int(np.argwhere(np.any((self.mus >= self.band_bottom).reshape(len(dists), -1), axis=1))[0, 0])
            raise InputError(f"mu of the Bose reservoir {names[i]!r} must lie below the bottom of the band "
                             f"omega(0) = {self.band_bottom:g} (else its occupation diverges); got "
                             f"mu={describe(np.asarray(dists[i].mu))}")
        extra = [abs(b) for b in np.atleast_1d(as_real_array(momentum_breakpoints, "momentum_breakpoints"))]
        for w in weights if isinstance(weights, Sequence) else ():
            extra.extend(abs(float(b)) for b in getattr(w, "breakpoints", ()))
        self._k_breaks = np.array(sorted(set(b for b in extra if b > 0)), dtype=float)
        self.weights = check_weights(weights, self.check_momenta(), len(dists))
        # Distributions broadcasting against a trailing momentum axis (core log_odds).
        self._expanded = [type(d)(beta=b[..., None], mu=m[..., None]) if self.shape else d
                          for d, b, m in zip(dists, self.betas, self.mus)]

    # -- construction helpers -------------------------------------------------------------------
    def _check_dispersion(self) -> None:
        k = np.concatenate([[0.0], np.logspace(-6, 4, 200)])
        wp, wm = self._omega(k), self._omega(-k)
        if wp.shape != k.shape or not np.all(np.isfinite(wp)):
            raise InputError("dispersion must return finite values shaped like its argument")
        if not np.allclose(wp, wm, rtol=1e-12, atol=0):
            raise InputError("dispersion must be even, omega(k) = omega(-k) (seed 000, eq. 50 uses it)")
        if np.any(np.diff(wp) <= 0):
            raise InputError("dispersion must increase strictly with |k|")

    def momentum_of_energy(self, energies: np.ndarray) -> np.ndarray:
        """Momentum k >= 0 with ω(k) = E (E below the band bottom maps to 0)."""
        e = np.maximum(energies, self.band_bottom)
        if self.dispersion is None:
            return np.sqrt(2.0 * self.mass * e)
        hi = np.ones_like(e)
        for _ in range(2000):
            short = self._omega(hi) < e
            if not np.any(short):
                break
            hi = np.where(short, 2.0 * hi, hi)
        lo = np.zeros_like(e)
        for _ in range(80):
            mid = 0.5 * (lo + hi)
            below = self._omega(mid) < e
            lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
        return 0.5 * (lo + hi)

    def check_momenta(self) -> np.ndarray:
        """Momenta (both signs, eleven decades around the thermal one, and the weights' breakpoints)
        on which weights and the equilibrium check are tested pointwise."""
        scale = float(np.max(np.maximum(self.mus, self.band_bottom) - self.band_bottom + 1.0 / self.betas))
        k0 = float(self.momentum_of_energy(np.array(self.band_bottom + scale)))
        k = k0 * np.logspace(-8, 3, 441)
        if self._k_breaks.size:
            k = np.concatenate([k, self._k_breaks, self._k_breaks * (1 - 1e-9), self._k_breaks * (1 + 1e-9)])
        return np.concatenate([-k[::-1], [0.0], k])

    # -- the momentum grid shared by every analysis (thermoflux.mixture.grid) ---------------------
    @cached_property
    def grid(self) -> MomentumGrid:
        """The state on the Gauss nodes of k > 0 (:class:`~thermoflux.mixture.grid.MomentumGrid`).

        Built once per state; every integrated observable is ``self.grid.integrate(...)`` of
        arrays it holds. Panel edges: the momenta of the reservoirs' thermal steps, the weights'
        breakpoints and the cut-off (see :mod:`thermoflux.mixture.grid`).
        """
        bosons = self.statistics == "boson"
        e_edges, e_max = quad.energy_edges(self.betas, self.mus, self.band_bottom, bosons)
        k_max = self.momentum_of_energy(e_max)
        k_edges = self.momentum_of_energy(e_edges)
        parts = [np.zeros(self.shape + (1,)), k_edges, k_max[..., None] * np.ones(self.shape + (1,))]
        if self._k_breaks.size:
            parts.append(np.broadcast_to(self._k_breaks, self.shape + self._k_breaks.shape))
        edges = np.concatenate(parts, axis=-1)
        edges = np.sort(np.clip(edges, 0.0, k_max[..., None]), axis=-1)
        nodes = quad.build_grid(edges)
        k = nodes.k
        omega = self._omega(k)
        x = np.stack([d.log_odds(omega) for d in self._expanded])             # (R,) + S + (n,)
        occ = occupation_from_log_odds(x, self.statistics)
        wp = np.stack([np.broadcast_to(np.asarray(call_user(w, f"weights[{i}]", k), float), k.shape)
                       for i, w in enumerate(self.weights)])
        wm = np.stack([np.broadcast_to(np.asarray(call_user(w, f"weights[{i}]", -k), float), k.shape)
                       for i, w in enumerate(self.weights)])
        imbalance = np.stack([np.broadcast_to(self._odd_part(i, k), k.shape) for i in range(len(self.weights))])
        return MomentumGrid(quadrature=nodes, edges=edges, k=k, omega=omega, velocity=self._velocity(k),
                            log_odds=x, occupation=occ, w_plus=wp, w_minus=wm,
                            d_plus=np.sum(wp * occ, axis=0), d_minus=np.sum(wm * occ, axis=0),
                            imbalance=imbalance)

    def _odd_part(self, i: int, k: np.ndarray) -> np.ndarray:
        """I_i(k) = w_i(k) − w_i(−k), from the weight's exact ``imbalance`` when it has one."""
        f = self.weights[i]
        odd = getattr(f, "imbalance", None)
        if odd is not None:
            return np.asarray(call_user(odd, f"weights[{i}].imbalance", k), float)
        return (np.asarray(call_user(f, f"weights[{i}]", k), float)
                - np.asarray(call_user(f, f"weights[{i}]", -k), float))

    def require_two_gates(self, what: str) -> None:
        """Raise InputError unless the state has two reservoirs (the two-gate line of seed 000)."""
        if len(self.names) != 2:
            raise InputError(f"{what} is defined by seed 000 for the two-gate line (eqs. 76-77, 95); "
                             f"this state has {len(self.names)} reservoirs")

    def reservoir_index(self, gate: Any, argument: str = "gate") -> int:
        """Index of a reservoir given by index or name (0 is gate G_1, 1 is G_2).

        Raises InputError naming ``argument`` (the caller's parameter) otherwise.
        """
        if isinstance(gate, str):
            if gate not in self.names:
                raise InputError(f"{argument} must be a reservoir index or one of {list(self.names)}; got {gate!r}")
            return self.names.index(gate)
        if isinstance(gate, bool) or not isinstance(gate, (int, np.integer)) or not 0 <= gate < len(self.names):
            raise InputError(f"{argument} must be a reservoir index 0..{len(self.names) - 1} or name; got {gate!r}")
        return int(gate)

    # -- pointwise functions of momentum ------------------------------------------------------------
    def modes_at(self, k: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(w_i(k), d_i(ω(k)), log-odds) at user momenta; shapes (R,) + S + k.shape."""
        k = np.asarray(k, dtype=float)
        if not np.all(np.isfinite(k)):
            raise InputError("k must be finite")
        omega = self._omega(k)
        expanded = [type(d)(beta=b.reshape(b.shape + (1,) * k.ndim), mu=m.reshape(m.shape + (1,) * k.ndim))
                    for d, b, m in zip(self._expanded, self.betas, self.mus)] if self.shape else self._expanded
        x = np.stack([d.log_odds(omega) for d in expanded])
        occ = occupation_from_log_odds(x, self.statistics)
        w = np.stack([np.broadcast_to(np.asarray(call_user(f, f"weights[{i}]", k), float), k.shape)
                      for i, f in enumerate(self.weights)])
        w = w.reshape(w.shape[:1] + (1,) * len(self.shape) + k.shape)
        return w, occ, x

    def distribution(self, k: Any) -> np.ndarray:
        """Mixed distribution d_mix(k) = Σ_i w_i(k) d_i(ω(k)) (seed 000, eqs. 2, 5).

        Returns an array of shape S + k.shape (a float for scalar parameters and k); an
        occupation per momentum mode (dimensionless).
        """
        w, occ, _ = self.modes_at(k)
        return _scalar(np.sum(w * occ, axis=0))

    def imbalance(self, k: Any, reservoir: Any = 0) -> np.ndarray:
        """Emission-absorption imbalance I_i(k) = w_i(k) − w_i(−k) of one gate (seed 000, eq. 6).

        ``reservoir`` is the gate index or name (default 0, so I(k) = I_1(k) of eq. 8).
        Σ_i I_i(k) = 0 (eqs. 7, 131). Returns an array shaped like ``k``.
        """
        i = self.reservoir_index(reservoir, "reservoir")
        k = np.asarray(k, dtype=float)
        return _scalar(np.broadcast_to(self._odd_part(i, k), k.shape))

    # -- mean observables ----------------------------------------------------------------------------
    def density(self, *, return_error: bool = False) -> Any:
        """Mean particle density ⟨ρ⟩ = ∫ dk/2π d_mix(k) (seed 000, eq. 42).

        Returns
        -------
        float or ndarray of shape S
            Particles per unit length. With ``return_error``, also the quadrature error estimate.
        """
        g = self.grid
        return g.integrate(g.d_plus + g.d_minus, return_error)

    def particle_current(self, *, return_error: bool = False) -> Any:
        """Bulk particle current ⟨j⟩ = ∫ dk/2π (k/m) d_mix(k) = ∫_0^∞ dk/2π v(k) Σ_i I_i(k) d_i(k).

        Seed 000, eqs. 49–50 (eq. 50 for N reservoirs: Σ_i I_i d_i replaces I (d_1 − d_2)).

        Returns
        -------
        float or ndarray of shape S
            Particles per unit time, positive from gate G_1 (index 0) towards G_2: in
            thermoflux's convention, the current out of reservoir 0 into the system.
        """
        g = self.grid
        return g.integrate(g.velocity * np.sum(g.imbalance * g.occupation, axis=0), return_error)

    def energy_current(self, *, return_error: bool = False) -> Any:
        """Bulk energy current ⟨ϑ⟩ = ∫ dk/2π (k/m) ω(k) d_mix(k) (seed 000, eq. 74).

        Returns energy per unit time, oriented like :meth:`particle_current`.
        """
        g = self.grid
        integrand = g.velocity * g.omega * np.sum(g.imbalance * g.occupation, axis=0)
        return g.integrate(integrand, return_error)

    def heat_current(self, gate: Any) -> Any:
        """Heat current in a gate, q(G_i) = ⟨ϑ⟩ − μ_i ⟨j⟩ (seed 000, eq. 76).

        Parameters
        ----------
        gate : int or str
            Reservoir index (0 for G_1, 1 for G_2) or name.

        Returns
        -------
        float or ndarray of shape S
            Energy per unit time with the paper's line orientation: q(G_1) > 0 flows from R_1
            into the system, q(G_2) > 0 flows from the system into R_2. The heat current out of
            reservoir i in thermoflux's convention is +q(G_1) for i = 0 and −q(G_2) for i = 1
            (see :meth:`flows`).
        """
        self.require_two_gates("heat_current")
        i = self.reservoir_index(gate)
        return _scalar(np.asarray(self.energy_current()) - self.mus[i] * np.asarray(self.particle_current()))

    def heat_conversion_rate(self) -> Any:
        """Heat-to-chemical conversion rate ⟨Q̇⟩ = q(G_1) − q(G_2) = (μ_2 − μ_1)⟨j⟩ (seed 000, eq. 78).

        Returns energy per unit time: positive when heat is converted into chemical energy
        (heat engine), negative when chemical energy is converted into heat.
        """
        self.require_two_gates("heat_conversion_rate")
        return _scalar((self.mus[1] - self.mus[0]) * np.asarray(self.particle_current()))

    def entropy_production(self, *, return_error: bool = False) -> Any:
        """Mean entropy production ⟨Ṡ⟩ = ∫_0^∞ dk/2π v(k) [γ_2 − γ_1][d_1 − d_2] I(k) (seed 000, eq. 96).

        γ_i(k) = β_i(ω(k) − μ_i) (eq. 97) is the log-odds of reservoir i, taken from the core
        distribution. Equal to β_2 q(G_2) − β_1 q(G_1) (eq. 95) but without its cancellation.

        Returns
        -------
        float or ndarray of shape S
            Entropy per unit time (k_B = 1); > 0 whenever I(k) > 0 on k > 0 away from
            equilibrium (eqs. 99, 101).

        Notes
        -----
        The first form printed in eq. 96, ∫ dk/2π (k/m)[γ_1 − γ_2] d_mix, has the sign of the
        bracket reversed: eq. 95 with eq. 76 gives ∫ dk/2π (k/m)[γ_2 − γ_1] d_mix, which is the
        paper's own second form. ``test_entropy_production_sign_typo`` checks both routes.
        """
        self.require_two_gates("entropy_production")
        g = self.grid
        x, occ = g.log_odds, g.occupation
        integrand = g.velocity * (x[1] - x[0]) * (occ[0] - occ[1]) * g.imbalance[0]
        return g.integrate(integrand, return_error)

    def efficiency(self) -> Any:
        """Heat-engine efficiency η = ⟨Q̇⟩/q(G_1) = 1 − q(G_2)/q(G_1) (seed 000, eq. 104).

        Defined in the regime q(G_1) > q(G_2) > 0 (eq. 103), where η < 1 − T_2/T_1 (eq. 105).

        Returns
        -------
        float or ndarray of shape S
            Dimensionless. For array parameters, NaN where the state is not a heat engine.

        Raises
        ------
        InputError
            For scalar parameters outside the regime of eq. 103.
        """
        q1, q2 = np.asarray(self.heat_current(0)), np.asarray(self.heat_current(1))
        engine = (q1 > q2) & (q2 > 0)
        if not self.shape and not engine:
            raise InputError(f"efficiency: the state is not a heat engine (seed 000, eq. 103 needs "
                             f"q(G_1) > q(G_2) > 0); got q(G_1)={float(q1):.6g}, q(G_2)={float(q2):.6g}")
        with np.errstate(invalid="ignore", divide="ignore"):
            eta = np.where(engine, 1.0 - q2 / q1, np.nan)
        return _scalar(eta)

    def flows(self) -> Flows:
        """Steady flows of both reservoirs in thermoflux's sign convention.

        Reservoir 0 gives J^N = ⟨j⟩ and J^E = ⟨ϑ⟩, reservoir 1 gives −⟨j⟩ and −⟨ϑ⟩ (eq. 77:
        what enters at G_1 leaves at G_2); heats J^Q_α = J^E_α − μ_α J^N_α and entropy rates
        −J^Q_α/T_α, so ``entropy_production`` = β_2 q(G_2) − β_1 q(G_1), eq. 95. No work is
        done (energy is conserved); the heat-to-chemical conversion of eq. 78 is Σ_α J^Q_α.
        Checked with :meth:`Flows.check` (a ThermodynamicsWarning if a law fails).
        """
        self.require_two_gates("flows")
        if self.shape:
            raise InputError(f"flows needs scalar reservoir parameters; this state has parameter shape {self.shape}")
        j, e = self.particle_current(), self.energy_current()
        n0, n1 = self.names
        flows = Flows.from_currents(self.reservoirs, {n0: j, n1: -j}, {n0: e, n1: -e},
                                    method="mixture (seed 000)")
        flows.check(hint="check that the weights and distributions are physical (seed 000, eq. 102)")
        return flows

    def to_dataset(self, *, max_order: int = 4, entropy_moments: int = 3):
        """Flows, fluctuations and gate response of a two-reservoir state as one xarray Dataset.

        Parameters
        ----------
        max_order : int, default 4
            Highest cumulant of :meth:`current_cumulants` (>= 2).
        entropy_moments : int, default 3
            Highest order of :meth:`entropy_production_moment` (>= 1).

        Returns
        -------
        xarray.Dataset
            :meth:`Flows.to_dataset <thermoflux.Flows.to_dataset>` variables on dim ``reservoir``
            (rates out of each reservoir, ``entropy_production``) plus ``lorenz_number``,
            ``electric_conductance``, ``thermal_conductance`` (dim ``reservoir``), scalars
            ``density``, ``bulk_particle_current`` (and its quadrature
            ``bulk_particle_current_error``), ``bulk_energy_current``, ``heat_conversion_rate``,
            ``efficiency`` (NaN unless a heat engine, eq. 103), ``noise`` (dims ``reservoir``,
            ``reservoir_``: :meth:`noise`, eq. 117), ``current_cumulant`` (dims ``reservoir``,
            ``order``) and ``entropy_production_moment`` (dim ``moment_order``). ``attrs``
            (from :func:`thermoflux.io.result_attrs`): method, seed, equations, software
            version, units, sign convention, the orientation of the bulk currents and the
            parameters (statistics, mass, weights).
        """
        import xarray as xr

        from thermoflux.io import result_attrs

        n_cumulants = counting.order_of(max_order, "max_order", minimum=2)
        n_moments = counting.order_of(entropy_moments, "entropy_moments")
        names = list(self.names)
        flows = self.flows()
        j, j_err = self.particle_current(return_error=True)
        try:
            eta = self.efficiency()
        except InputError:
            eta = float("nan")
        cond = [self.conductances(i) for i in range(2)]
        ds = flows.to_dataset()

        def scalar(v: Any, name: str, units: str) -> Any:
            return xr.DataArray(v, attrs={"long_name": name, "units": units})

        def on_res(v: Any, name: str, units: str) -> Any:
            return xr.DataArray(np.array(v, float), dims="reservoir", attrs={"long_name": name, "units": units})

        def index(dim: str, values: Any, long_name: str) -> Any:
            return (dim, values, {"long_name": long_name, "units": "1"})

        ds["density"] = scalar(self.density(), "mean particle density (eq. 42)", "1/length")
        ds["bulk_particle_current"] = scalar(j, "bulk current from G_1 to G_2 (eq. 49)", "1/time")
        ds["bulk_particle_current_error"] = scalar(j_err, "quadrature error estimate of the bulk current", "1/time")
        ds["bulk_energy_current"] = scalar(self.energy_current(), "bulk energy current from G_1 to G_2 (eq. 74)", "energy/time")
        ds["heat_conversion_rate"] = scalar(self.heat_conversion_rate(), "heat-to-chemical conversion rate (eq. 78)", "energy/time")
        ds["efficiency"] = scalar(eta, "heat-engine efficiency (eq. 104; NaN outside eq. 103)", "1")
        ds["lorenz_number"] = on_res([self.lorenz_number(i) for i in range(2)], "Lorenz number of the gate (eq. 83)", "k_B^2/e^2")
        ds["electric_conductance"] = on_res([c[0] for c in cond], "dJ^N/dmu of the gate (eq. 80)", "e^2/hbar")
        ds["thermal_conductance"] = on_res([c[1] for c in cond], "dJ^Q/dT of the gate (eq. 81)", "k_B/hbar")
        ds["noise"] = self.noise().to_dataset()["noise"]
        orders = np.arange(1, n_cumulants + 1)
        cumulants = [self.current_cumulants(name, n_cumulants) for name in names]
        ds["current_cumulant"] = xr.DataArray([[c[int(n)] for n in orders] for c in cumulants], dims=("reservoir", "order"),
                                              coords={"order": index("order", orders, "cumulant order")},
                                              attrs={"long_name": "cumulant of the reservoir's particle outflow (eq. 62)", "units": "1/time"})
        morders = np.arange(1, n_moments + 1)
        ds["entropy_production_moment"] = xr.DataArray(
            [self.entropy_production_moment(int(n)) for n in morders], dims="moment_order",
            coords={"moment_order": index("moment_order", morders, "moment order n")},
            attrs={"long_name": "zero-frequency moment W_n of the entropy production (eq. 107)", "units": "1/time"})
        ds.attrs.update(result_attrs(
            "mixture", seed="000", equations="42, 49-50, 62, 74-83, 95-117",
            parameters={"statistics": self.statistics, "mass": self.mass,
                        "weights": [repr(w) for w in self.weights]},
            orientation="bulk currents positive from gate G_1 (first reservoir) to G_2"))
        return ds

    # -- analyses defined in sibling modules, bound here as methods (one definition each) --------
    # counting.py: fluctuations (seed 000, Secs. 3.1, 3.4, 3.5)
    current_cumulants = counting.current_cumulants
    noise = counting.noise
    fcs_probabilities = counting.fcs_probabilities
    generating_function = counting.generating_function
    counting_distribution = counting.counting_distribution
    entropy_production_moment = counting.entropy_production_moment
    entropy_production_distribution = counting.entropy_production_distribution
    # lorenz.py: gate conductances and the Lorenz number (Sec. 3.3)
    conductances = lorenz.conductances
    lorenz_number = lorenz.lorenz_number
    # linear_response.py: response to a static potential (Sec. 3.6)
    density_response = linear_response.density_response
    linear_response_density = linear_response.linear_response_density
    linear_response_current = linear_response.linear_response_current
    # equilibrium.py: KMS and no-transport checks (eqs. 51-52)
    equilibrium_check = equilibrium.equilibrium_check

    def __repr__(self) -> str:
        res = ", ".join(f"{n}: {d!r}" for n, d in self.reservoirs.items())
        return f"MixtureState({res}; {self.statistics}s, mass={self.mass!r}, shape={self.shape})"

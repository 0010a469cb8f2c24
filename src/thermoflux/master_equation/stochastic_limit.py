"""The stochastic-limit master equation of a system coupled to several fields (seed 002, Secs. II-III).

:class:`StochasticLimit` assembles the GKSL generator of eq. 22 (optionally with the Lamb shift
of eq. 22b), the Pauli rate matrix of eq. 24, stationary states, the evolution, the decay of
coherences (eq. 23), the micro-currents of eq. 38 and the macro-currents as :class:`~thermoflux.Flows`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from types import MappingProxyType
from typing import Any

import numpy as np
import scipy.sparse as sp

from thermoflux._validation import as_positive, as_real_array, check_choice, check_hermitian
from thermoflux.errors import InputError
from thermoflux.flows import Flows
from thermoflux.io import netcdf_attrs, result_attrs, time_series_dataset
from thermoflux.master_equation import stationary as _st
from thermoflux.master_equation.balance import (
    backward_generator,
    forward_generator,
    has_inverted_populations,
    kolmogorov_residual,
    local_kms_residual,
    pair_net_currents,
    temperature_function,
)
from thermoflux.master_equation.currents import build_flows, field_totals, transition_currents
from thermoflux.master_equation.generator import (
    Transitions,
    build_transitions,
    lamb_shift_coefficients,
    lamb_shift_hamiltonian,
    liouvillian,
    pauli_rate_matrix,
)
from thermoflux.master_equation.system import Field, System

__all__ = ["StochasticLimit", "MICRO_SIGN"]

MICRO_SIGN = ("micro-current J_{j,mn}: quanta (or energy) per unit time emitted INTO field j by the "
              "transition upper m -> lower n (seed 002, eq. 38: positive into the field)")


class StochasticLimit:
    """GKSL master equation of the stochastic limit, dρ/dt = −i[H_S + Δ, ρ] + Σ_j Σ_ω D_{j,ω}(ρ).

    Seed 002, eq. 22a: D_{j,ω}(ρ) = Γ_−,j(ω)(E_ω ρ E_ω† − ½{E_ω†E_ω, ρ}) + Γ_+,j(ω)(E_ω† ρ E_ω −
    ½{E_ω E_ω†, ρ}), E_ω = Σ_{ε_m−ε_n=ω} ⟨n|D_j|m⟩|n⟩⟨m| (eq. 15b), Δ the Lamb shift (eq. 22b).

    Parameters
    ----------
    system : System
    fields : mapping str -> Field
        One Field per coupling name of ``system``.
    lamb_shift : bool, default False
        Include Δ of eq. 22b (principal-value integrals of the spectral densities). It does not
        change the populations or currents of a system without degenerate levels.

    Other Parameters
    ----------------
    picture : {"schrodinger", "interaction"}, default "schrodinger"
        Whether the Hamiltonian part holds H_S + Δ or Δ only (eq. 22a is written in the
        interaction picture). Stationary populations and currents do not depend on it.

    Notes
    -----
    The model is fixed at construction: the rates are evaluated once into :attr:`transitions`
    (read-only arrays), and ``system``, ``fields``, ``transitions``, ``picture`` and
    ``lamb_shift`` cannot be reassigned (AttributeError; ``fields`` is a read-only mapping). So
    the rate matrix W, the Liouvillian, the stationary state and its transition currents are
    computed once per model and shared by :meth:`flows`, :meth:`to_dataset`,
    :meth:`micro_currents` and the detailed-balance checks; the public methods return copies.
    For other parameters build a new model.
    """

    _FIXED = ("system", "fields", "transitions", "picture", "lamb_shift")

    def __init__(self, system: System, fields: Mapping[str, Field], *, lamb_shift: bool = False,
                 picture: str = "schrodinger") -> None:
        if not isinstance(system, System):
            raise InputError(f"system must be a System; got {type(system).__name__}")
        self.system = system
        self.picture = check_choice(picture, "picture", ("schrodinger", "interaction"))
        self.lamb_shift = bool(lamb_shift)
        self.transitions: Transitions = build_transitions(system, fields)
        self.fields = MappingProxyType({k: fields[k] for k in system.field_names})

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._FIXED and name in self.__dict__:
            raise AttributeError(f"StochasticLimit.{name} is fixed at construction (the stationary state "
                                 "is computed once per model); build a new StochasticLimit instead")
        super().__setattr__(name, value)

    def _attrs(self, equations: str) -> dict[str, Any]:
        """Dataset attrs of every result of this model (DESIGN "Result contract")."""
        return result_attrs("master_equation", seed="002", equations=equations,
                            parameters={"picture": self.picture, "lamb_shift": self.lamb_shift,
                                        "fields": list(self.system.field_names)})

    # -- generators -----------------------------------------------------------------------------
    @property
    def n_levels(self) -> int:
        return self.system.n_levels

    def pauli_rate_matrix(self, *, field: str | None = None) -> sp.csr_array:
        """W with dp/dt = W p: W[n, m] rate m → n, columns summing to 0 (seed 002, eq. 24; A = −W)."""
        if field is None:
            return self._rate_matrix.copy()
        check_choice(field, "field", self.system.field_names)
        return pauli_rate_matrix(self.transitions, self.n_levels, field=self.system.field_names.index(field))

    @cached_property
    def _rate_matrix(self) -> sp.csr_array:
        """W of all fields, built once (internal: never handed out, see :meth:`pauli_rate_matrix`)."""
        return pauli_rate_matrix(self.transitions, self.n_levels)

    @cached_property
    def lamb_shift_hamiltonian(self) -> sp.csr_array:
        """Δ = Σ_j Σ_ω (Im γ_− E_ω†E_ω − Im γ_+ E_ω E_ω†) (seed 002, eq. 22b without its stray i); 0 if not asked."""
        n = self.n_levels
        if not self.lamb_shift:
            return sp.csr_array((n, n), dtype=complex)
        s_minus, s_plus = lamb_shift_coefficients(self.transitions, self.fields)
        return lamb_shift_hamiltonian(self.transitions, n, s_minus, s_plus)

    @cached_property
    def _liouvillian(self) -> sp.csr_array:
        return liouvillian(self.system, self.transitions, lamb_shift=self.lamb_shift_hamiltonian,
                           picture=self.picture)

    def liouvillian(self) -> sp.csr_array:
        """The GKSL generator as a sparse N²×N² matrix on column-stacked ρ (vec ρ[i + N j] = ρ_ij).

        A copy: the model keeps its own (cached) generator, which a caller's edit must not reach.
        """
        return self._liouvillian.copy()

    # -- stationary state and dynamics ----------------------------------------------------------
    def stationary_populations(self, *, solver: str = "auto") -> np.ndarray:
        """Stationary populations ρ_ll: W p = 0, Σ p = 1 (seed 002, eq. 24).

        ``solver``: "pauli" (rate matrix), "gksl" (diagonal of :meth:`stationary_state`), or
        "auto" (Pauli unless the system has degenerate levels, where coherences in a degenerate
        subspace can feed populations and the Pauli equation is not exact).

        Returns
        -------
        ndarray, shape (N,)
            ρ_ll >= 0 summing to 1, in the order of ``system.energies``.

        Raises
        ------
        ConvergenceError
            If the stationary state is not unique (message gives the null-space dimension).
        """
        check_choice(solver, "solver", ("auto", "pauli", "gksl"))
        if solver == "gksl" or (solver == "auto" and self.system.has_degenerate_levels):
            return np.real(np.diag(self._sector_state)).copy()  # np.diag of the cache is a read-only view
        return self._pauli_populations.copy()

    @cached_property
    def _pauli_populations(self) -> np.ndarray:
        """Stationary populations of W (seed 002, eq. 24), solved once; read-only."""
        return _read_only(_st.stationary_populations(self._rate_matrix))

    @cached_property
    def _sector_state(self) -> np.ndarray:
        """Stationary ρ_S of the zero-Bohr-frequency sector of the Liouvillian, solved once; read-only."""
        return _read_only(_st.gksl_stationary(self._liouvillian, self.n_levels, sector=self._zero_sector()))

    @property
    def _steady_state(self) -> np.ndarray:
        """The state the stationary currents use: ρ_S with degenerate levels, else the populations."""
        return self._sector_state if self.system.has_degenerate_levels else self._pauli_populations

    @cached_property
    def _stationary_currents(self) -> np.ndarray:
        """J_p of every transition in the stationary state (seed 002, eq. 38a), once; read-only."""
        return _read_only(transition_currents(self.transitions, self._steady_state))

    def _zero_sector(self) -> np.ndarray:
        n = self.n_levels
        groups = self.system.level_groups
        a, b = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
        same = groups[a] == groups[b]
        return (a[same] + n * b[same]).ravel()

    def stationary_state(self, *, solver: str = "sector") -> np.ndarray:
        """Stationary density matrix ρ_S (N×N, complex, Hermitian, trace 1).

        ``solver``: "sector" solves L ρ = 0 on the invariant zero-Bohr-frequency sector
        (ρ_ab with ε_a = ε_b; exact because the secular generator commutes with [H_S, ·]);
        "full" solves on all N² unknowns with the trace condition (what QuTiP's ``steadystate``
        does); "pauli" returns diag(:meth:`stationary_populations`), exact without degenerate levels.
        """
        check_choice(solver, "solver", ("sector", "full", "pauli"))
        if solver == "pauli":
            return np.diag(self._pauli_populations).astype(complex)
        if solver == "sector":
            return self._sector_state.copy()
        if self.picture == "interaction":
            raise InputError("solver='full' needs picture='schrodinger' (in the interaction picture "
                             "every Bohr sector is stationary); use solver='sector'")
        return _st.gksl_stationary(self._liouvillian, self.n_levels, sector=None)

    def evolve(self, rho0: Any, times: Any):
        """ρ(t) = exp(L t) ρ(0) at the given times, with populations, energy and field currents.

        Parameters
        ----------
        rho0 : array_like, shape (N,) or (N, N)
            Initial populations (a diagonal state) or density matrix (Hermitian, trace 1, >= 0).
        times : array_like, shape (T,)
            Non-negative times (units 1/energy).

        Returns
        -------
        xarray.Dataset
            ``rho_real``, ``rho_imag`` (time, row, column); ``populations`` (time, level);
            ``energy`` tr(H_S ρ) (time); ``particle_current`` and ``energy_current`` (time, reservoir):
            the instantaneous currents out of each field into the system (DESIGN sign; minus
            the emission of eq. 36a).

        Notes
        -----
        Each invariant block of the N²×N² Liouvillian is exponentiated densely (``expm``), so any
        time (1e8 included) costs a few squarings; meant for N up to ~100 (the population block
        is N×N, the coherences of a generic spectrum are 1×1 blocks).
        """
        times = as_real_array(times, "times", ndim=1)
        if np.any(times < 0):
            raise InputError(f"times must be non-negative; got min {times.min()!r}")
        rhos = self._propagate(self._density_matrix(rho0), times)
        pops = np.real(np.diagonal(rhos, axis1=1, axis2=2))
        particle, energy_cur = self._instantaneous_currents(rhos, pops)
        return self._time_series_dataset(times, rhos, pops, particle, energy_cur)

    def _density_matrix(self, rho0: Any) -> np.ndarray:
        """``rho0`` (populations or a density matrix) checked and as an N×N complex matrix."""
        n = self.n_levels
        rho0 = np.asarray(rho0)
        if rho0.ndim == 1:
            pops = as_real_array(rho0, "rho0", ndim=1)
            if pops.shape != (n,):
                raise InputError(f"rho0 populations must have shape ({n},); got {pops.shape}")
            rho0 = np.diag(pops).astype(complex)
        rho0 = check_hermitian(rho0, "rho0").astype(complex)
        if rho0.shape != (n, n):
            raise InputError(f"rho0 must have shape ({n}, {n}); got {rho0.shape}")
        evals = np.linalg.eigvalsh(rho0)
        tol = 1e-10 * max(1.0, float(np.abs(evals).max()))  # rounding of a user-built state
        if evals.min() < -tol or abs(np.trace(rho0).real - 1.0) > 1e-10:
            raise InputError(f"rho0 must be a density matrix (>= 0, trace 1); got eigenvalues down to "
                             f"{evals.min():.3g} and trace {np.trace(rho0).real:.12g}")
        return rho0

    def _propagate(self, rho0: np.ndarray, times: np.ndarray) -> np.ndarray:
        """ρ(t) = exp(L t) ρ(0), shape (T, N, N)."""
        n = self.n_levels
        if not times.size:
            return np.zeros((0, n, n), complex)
        vecs = _st.evolve_vector(self._liouvillian, rho0.reshape(-1, order="F"), times)
        return np.stack([v.reshape(n, n, order="F") for v in vecs])

    def _instantaneous_currents(self, rhos: np.ndarray, pops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Particle and energy currents out of each field (T, fields), DESIGN sign (minus eq. 36a)."""
        shape = (rhos.shape[0], len(self.system.field_names))
        particle, energy = np.zeros(shape), np.zeros(shape)
        for i in range(rhos.shape[0]):
            cur = transition_currents(self.transitions, rhos[i] if self.system.has_degenerate_levels else pops[i])
            q, e = field_totals(self.transitions, cur)
            particle[i], energy[i] = -q, -e
        return particle, energy

    def _time_series_dataset(self, times, rhos, pops, particle, energy_cur):
        """The evolution as a Dataset (:func:`thermoflux.io.time_series_dataset`)."""
        levels = np.arange(self.n_levels)
        return time_series_dataset(
            times, self.system.field_names,
            per_reservoir={
                "particle_current": (particle, "quanta per time out of the field into the system", "1/time"),
                "energy_current": (energy_cur, "energy per time out of the field into the system", "energy/time"),
            },
            series={"energy": (pops @ self.system.energies, "tr(H_S rho)", "energy")},
            other={
                "rho_real": (("time", "row", "column"), rhos.real, "Re rho(t)", "1"),
                "rho_imag": (("time", "row", "column"), rhos.imag, "Im rho(t)", "1"),
                "populations": (("time", "level"), pops, "populations rho_ll(t)", "1"),
            },
            coords={"row": ("row", levels, "level index of the row", "1"),
                    "column": ("column", levels, "level index of the column", "1"),
                    "level": ("level", levels, "level index", "1")},
            attrs=self._attrs("22, 36a"))

    def coherence_decay(self):
        """Decay rates G_mn and frequency shifts Δ_mn of the coherences ρ_mn (seed 002, eq. 23).

        dρ_mn/dt = (−i(ε_m − ε_n + Δ_mn) − G_mn) ρ_mn in the Schrödinger picture, with
        Δ_mn = Δ_mm − Δ_nn (Lamb shift) and G_mn = ½ Σ_l (Γ_ml + Γ_nl), Γ_ml the rate m → l.

        Returns
        -------
        xarray.Dataset
            ``decay_rate`` and ``frequency_shift`` on (row, column); ``isolated`` is True where
            the coherence is alone in its invariant block, so eq. 23 is exact; elsewhere
            (degenerate Bohr frequencies) coherences of equal frequency feed each other.

        Notes
        -----
        Seed 002, eq. 23c prints G_mn = Σ_l (Γ_ml + Γ_nl), without the ½; the GKSL anticommutator
        −½{E†E, ρ} gives half the total escape rate of each level. The ½ is confirmed against the
        Liouvillian's diagonal and evolve() in ``test_stochastic_limit.py::test_coherence_decay``.
        eq. 23a's "+iΔ_mn" is for the paper's anti-Hermitian Δ (eq. 22b); with Hermitian Δ the
        shift enters as −iΔ_mn.
        """
        import xarray as xr

        n = self.n_levels
        out_rates = -self._rate_matrix.diagonal().real
        decay = 0.5 * (out_rates[:, None] + out_rates[None, :])
        np.fill_diagonal(decay, 0.0)
        shifts = self.lamb_shift_hamiltonian.diagonal().real
        freq = shifts[:, None] - shifts[None, :]
        blocks = _st.invariant_blocks(self._liouvillian)
        isolated = np.zeros(n * n, dtype=bool)
        for b in blocks:
            if b.size == 1:
                isolated[b] = True
        isolated = isolated.reshape(n, n, order="F")
        np.fill_diagonal(isolated, False)
        return xr.Dataset(
            {"decay_rate": (("row", "column"), decay, {"units": "1/time", "long_name": "G_mn"}),
             "frequency_shift": (("row", "column"), freq, {"units": "energy", "long_name": "Delta_mn"}),
             "isolated": (("row", "column"), isolated.astype(np.int8), {"long_name": "1 if eq. 23 is exact", "units": "1"})},
            coords={"row": ("row", np.arange(n), {"long_name": "level index of the row", "units": "1"}),
                    "column": ("column", np.arange(n), {"long_name": "level index of the column", "units": "1"})},
            attrs=self._attrs("23 (with the factor 1/2 in G_mn)"))

    # -- currents -------------------------------------------------------------------------------
    def _state_for_currents(self, state: Any) -> np.ndarray:
        if state is None:
            return self._steady_state
        arr = np.asarray(state)
        n = self.n_levels
        if arr.shape not in ((n,), (n, n)):
            raise InputError(f"state must be populations of shape ({n},) or a density matrix ({n}, {n}); got {arr.shape}")
        return arr

    def transition_currents(self, *, state: Any = None) -> np.ndarray:
        """J_p per transition (order of :attr:`transitions`), quanta/time into the field (eq. 38a)."""
        return self._currents(state).copy()

    def _currents(self, state: Any) -> np.ndarray:
        """J_p in ``state`` (None: the stationary state, cached and read-only)."""
        if state is None:
            return self._stationary_currents
        return transition_currents(self.transitions, self._state_for_currents(state))

    def micro_currents(self, kind: str = "particle", *, state: Any = None, layout: str = "matrix"):
        """Micro-currents J_{j,mn} (``kind="particle"``) or J^E_{j,mn} = ω_mn J_{j,mn} (``"energy"``).

        Seed 002, eq. 38: quanta (energy) per unit time emitted INTO field j by the transition
        m → n, m = ``upper``, n = ``lower`` (the paper's sign, opposite to :meth:`flows`). For a
        fermionic lead "upper" is the state with one more particle (it need not be higher in
        energy).

        Parameters
        ----------
        kind : {"particle", "energy"}
        state : array_like, optional
            Populations or density matrix; default the stationary state.
        layout : {"matrix", "transitions"}
            "matrix": DataArray (reservoir, upper, lower) with zeros where no transition exists;
            "transitions": DataArray on dim ``transition`` with coords reservoir, upper, lower, omega.

        Returns
        -------
        xarray.DataArray
            Units 1/time (particle) or energy/time (energy); positive when quanta flow INTO the
            field (seed 002 sign). With degenerate levels and a density matrix, coherences
            within a degenerate subspace are included (eq. 35a); with populations only they are not.
        """
        import xarray as xr

        check_choice(kind, "kind", ("particle", "energy"))
        check_choice(layout, "layout", ("matrix", "transitions"))
        t = self.transitions
        cur = self.transition_currents(state=state)
        if kind == "energy":
            cur = cur * t.omega
        units = "1/time" if kind == "particle" else "energy/time"
        attrs = {"units": units, "sign_convention": MICRO_SIGN, "reference": "seed 002, eq. 38"}
        names = list(t.fields)
        if layout == "transitions":
            return xr.DataArray(cur, dims="transition", name=f"micro_{kind}_current", attrs=attrs,
                                coords={"reservoir": ("transition", np.asarray(names, dtype=object)[t.field].astype(str),
                                                      {"long_name": "reservoir (field) of the transition", "units": "1"}),
                                        "upper": ("transition", t.upper, {"long_name": "level m", "units": "1"}),
                                        "lower": ("transition", t.lower, {"long_name": "level n", "units": "1"}),
                                        "omega": ("transition", t.omega, {"long_name": "Bohr frequency", "units": "energy"})})
        n = self.n_levels
        return xr.DataArray(self._micro_matrix(cur), dims=("reservoir", "upper", "lower"),
                            name=f"micro_{kind}_current", attrs=attrs,
                            coords={"reservoir": ("reservoir", names, {"long_name": "reservoir", "units": "1"}),
                                    "upper": ("upper", np.arange(n), {"long_name": "level m of the transition m -> n", "units": "1"}),
                                    "lower": ("lower", np.arange(n), {"long_name": "level n of the transition m -> n", "units": "1"})})

    def _micro_matrix(self, per_transition: np.ndarray) -> np.ndarray:
        """(field, upper, lower) array of a per-transition quantity, summed over repeated pairs."""
        t = self.transitions
        n = self.n_levels
        mat = np.zeros((len(t.fields), n, n))
        np.add.at(mat, (t.field, t.upper, t.lower), per_transition)
        return mat

    def flows(self, *, state: Any = None, check: bool = True) -> Flows:
        """Stationary macro-currents as :class:`~thermoflux.Flows` (DESIGN sign: out of each field).

        particle[j] = −Σ_{mn} J_{j,mn}, energy[j] = −Σ_{mn} J^E_{j,mn} (seed 002, eqs. 41-43),
        entropy[j] = dS_j/dt = Σ J_{j,mn} x_j(ω_mn) with x the field's log-odds. ``check`` runs
        :meth:`Flows.check` (warns on a violated first or second law).

        Returns
        -------
        Flows
            ``particle`` (1/time), ``energy`` and ``heat`` (energy/time) positive when flowing out
            of the field into the system; ``entropy`` dS_j/dt of each field (1/time, k_B = 1);
            ``entropy_production`` >= 0. Without ``System.particle_numbers`` the fields' quanta are
            not conserved by the coupling and ``conserves_particles`` is False (see
            :func:`thermoflux.master_equation.currents.build_flows`).
        """
        cur = self._currents(state)
        flows = build_flows(self.system, self.fields, self.transitions, cur, method="master_equation")
        if check:
            flows.check()
        return flows

    def to_dataset(self):
        """The stationary state as one ``xarray.Dataset`` (seed 002, eqs. 24, 27-28, 38, 41-43, 26).

        Returns
        -------
        xarray.Dataset
            The variables of :meth:`Flows.to_dataset` (dim ``reservoir``: the fields; DESIGN
            sign), ``populations``, ``energy_level`` and ``temperature_function`` (dim ``level``),
            ``micro_particle_current`` and ``micro_energy_current`` (reservoir, upper, lower;
            seed 002 sign: into the field), and ``detailed_balance`` (0/1: the Kolmogorov
            criterion, or the current criterion of eq. 47 when a transition goes one way only).
        """
        import xarray as xr

        flows = self.flows().to_dataset(attrs=self._attrs("22, 24, 26-28, 38, 41-43"))
        n = self.n_levels
        cur = self._stationary_currents
        micro = {"units": "1/time", "sign_convention": MICRO_SIGN, "reference": "seed 002, eq. 38"}
        try:
            balanced, criterion = self.satisfies_detailed_balance(), "Kolmogorov criterion (seed 002, eq. 26)"
        except InputError:
            balanced = self.satisfies_detailed_balance(criterion="currents")
            criterion = "pair currents cancel (seed 002, eq. 47)"
        beta, beta_attrs = self._temperature_function(None)
        variables = {name: (var.dims, var.values, netcdf_attrs(var.attrs)) for name, var in flows.data_vars.items()}
        variables.update({
            "populations": ("level", self.stationary_populations(), {"units": "1"}),
            "temperature_function": ("level", beta, netcdf_attrs(beta_attrs)),
            "energy_level": ("level", self.system.energies.copy(), {"units": "energy"}),
            "micro_particle_current": (("reservoir", "upper", "lower"), self._micro_matrix(cur), micro),
            "micro_energy_current": (("reservoir", "upper", "lower"), self._micro_matrix(cur * self.transitions.omega),
                                     {**micro, "units": "energy/time"}),
            "detailed_balance": ((), int(balanced), {"long_name": f"1 if detailed balanced: {criterion}", "units": "1"}),
        })
        index = {"units": "1"}
        coords = {"reservoir": ("reservoir", flows["reservoir"].values, {"long_name": "reservoir", **index}),
                  "level": ("level", np.arange(n), {"long_name": "level index", **index}),
                  "upper": ("upper", np.arange(n), {"long_name": "level m of the transition m -> n", **index}),
                  "lower": ("lower", np.arange(n), {"long_name": "level n of the transition m -> n", **index})}
        return xr.Dataset(variables, coords=coords, attrs=flows.attrs)

    # -- detailed balance, temperature function, local KMS (seed 002, Secs. II-V) ----------------
    def satisfies_detailed_balance(self, tol: float = 1e-9, *, criterion: str = "kolmogorov") -> bool:
        """Whether the stationary state is detailed balanced (seed 002, eqs. 25-26 and 47).

        ``criterion="kolmogorov"``: every cycle affinity of the Pauli rates
        (:func:`~thermoflux.master_equation.balance.kolmogorov_residual`) is <= ``tol``; it needs
        every transition to be reversible. ``criterion="currents"``: |Σ_j J_{j,mn}| <= tol ·
        (largest one-way flow of the pair) for every level pair (eq. 47a: the micro-currents of
        the fields cancel pair by pair).
        """
        tol = as_positive(tol, "tol")
        check_choice(criterion, "criterion", ("kolmogorov", "currents"))
        if criterion == "kolmogorov":
            return kolmogorov_residual(self._rate_matrix) <= tol
        _, _, net, scale = pair_net_currents(self.transitions, self._steady_state)
        return bool(np.all(np.abs(net) <= tol * np.maximum(scale, np.finfo(float).tiny)))

    def no_inverted_populations(self, *, tol: float = 0.0) -> bool:
        """Seed 002, eq. 44: ρ_mm <= ρ_nn (1 + tol) whenever ε_m > ε_n, in the stationary state."""
        return not has_inverted_populations(self.system.energies, self.stationary_populations(), tol=tol)

    def gibbs_domination(self, *, state: Any = None):
        """The Gibbs-domination bound of seed 002, eq. 45, per level pair coupled to several fields.

        For each level pair (m, n) coupled to two or more fields: ``ratio`` = ρ_mm/ρ_nn, ``lower``
        and ``upper`` = min and max over those fields of e^{−x_j(ω)} (x the log-odds;
        e^{−β_j(ω − μ_j)} for a thermal field), ``opposite`` = whether the fields' micro-currents
        do not all have the same strict sign (the hypothesis of eq. 45) and ``holds`` = lower <=
        ratio <= upper (to 1e-12 relative rounding). Eq. 45 says ``opposite`` implies ``holds``.
        ``state``: populations or density matrix, default the stationary state.

        Returns
        -------
        xarray.Dataset
            The variables above on dim ``pair`` (coords ``upper_level``, ``lower_level``).
        """
        import xarray as xr

        t = self.transitions
        st = self._state_for_currents(state)
        pops = np.real(np.diag(st)) if st.ndim == 2 else st
        cur = self._currents(state)
        boltz = np.zeros(t.size)
        for j, name in enumerate(t.fields):
            sel = t.field == j
            if np.any(sel):
                boltz[sel] = np.exp(-self.fields[name].log_odds(t.omega[sel], name))
        n = self.n_levels
        key = t.upper * n + t.lower
        rows = []
        for k in np.unique(key):
            sel = key == k
            if np.unique(t.field[sel]).size < 2:
                continue
            m, l = int(k // n), int(k % n)
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = pops[m] / pops[l]
            lo, hi = boltz[sel].min(), boltz[sel].max()
            c = cur[sel]
            opposite = not (np.all(c > 0) or np.all(c < 0))
            slack = 1e-12 * max(hi, 1e-300)  # relative rounding of the stationary solve
            rows.append((m, l, ratio, lo, hi, opposite, lo - slack <= ratio <= hi + slack))
        arr = list(zip(*rows)) if rows else [[] for _ in range(7)]
        return xr.Dataset(
            {"ratio": ("pair", np.asarray(arr[2], float), {"units": "1"}),
             "lower": ("pair", np.asarray(arr[3], float), {"units": "1"}),
             "upper": ("pair", np.asarray(arr[4], float), {"units": "1"}),
             "opposite": ("pair", np.asarray(arr[5], dtype=np.int8),
                          {"long_name": "1 if the fields' micro-currents differ in sign", "units": "1"}),
             "holds": ("pair", np.asarray(arr[6], dtype=np.int8),
                       {"long_name": "1 if lower <= ratio <= upper (eq. 45)", "units": "1"})},
            coords={"upper_level": ("pair", np.asarray(arr[0], int), {"long_name": "level m", "units": "1"}),
                    "lower_level": ("pair", np.asarray(arr[1], int), {"long_name": "level n", "units": "1"})},
            attrs=self._attrs("45"))

    def temperature_function(self, *, reference: int | None = None):
        """β_S(ε) of the stationary state, ρ_S = e^{−β_S(H)(H − ε_ref)}/Z (seed 002, eqs. 27-28, 83).

        Returns an ``xarray.DataArray`` on ``level`` (coord ``energy``), NaN at levels degenerate
        with the reference (default: the lowest level); built on
        :func:`thermoflux.master_equation.balance.temperature_function` (any populations).
        """
        import xarray as xr

        e = self.system.energies
        beta, attrs = self._temperature_function(reference)
        return xr.DataArray(beta, dims="level", name="beta_s",
                            coords={"level": ("level", np.arange(e.size), {"long_name": "level index", "units": "1"}),
                                    "energy": ("level", e, {"long_name": "level energy", "units": "energy"})},
                            attrs=attrs)

    def _temperature_function(self, reference: int | None) -> tuple[np.ndarray, dict[str, Any]]:
        """β_S(ε_l) of the stationary populations (eqs. 27-28) and the attrs naming its reference."""
        e = self.system.energies
        ref = int(np.argmin(e)) if reference is None else int(reference)
        beta = temperature_function(e, self.stationary_populations(), reference=ref)
        return beta, {"units": "1/energy", "reference_level": ref, "reference_energy": float(e[ref]),
                      "definition": "rho = exp(-beta_s(H) (H - e_ref)) / Z, Z = 1/rho_ref"}

    def local_kms_residual(self, *, reference: int | None = None) -> float:
        """Local KMS residual (eq. 74b) of the stationary state with its own β_S (0 up to rounding)."""
        beta = self.temperature_function(reference=reference)
        e = self.system.energies - float(beta.attrs["reference_energy"])
        return local_kms_residual(self.stationary_state(solver="sector"), e, beta=beta.values)

    def dynamical_detailed_balance_residual(self, x: Any, y: Any) -> float:
        """|tr(ρ X L(Y)) − tr(ρ L_B(X) Y) − Σ_{m>n}(X_mm Y_nn − X_nn Y_mm) Σ_j J_{j,mn}| (seed 002, eq. 68b).

        Eq. 68b: the defect of the equilibrium symmetry is carried by the pair currents
        Σ_j J_{j,mn} (θ(ε_l − ε_m)(J_1,lm + J_2,lm) − θ(ε_m − ε_l)(J_1,ml + J_2,ml)), with ρ the
        stationary state and L, L_B the generators of eq. 65
        (:func:`~thermoflux.master_equation.balance.forward_generator`, ``backward_generator``).
        Vanishes for any X, Y when no Bohr frequency is degenerate (with degenerate Bohr
        frequencies, for diagonal X, Y).
        """
        rho = self.stationary_state(solver="sector")
        x = np.asarray(x, dtype=complex)
        y = np.asarray(y, dtype=complex)
        lhs = np.trace(rho @ x @ forward_generator(self, y)) - np.trace(rho @ backward_generator(self, x) @ y)
        up, lo, net, _ = pair_net_currents(self.transitions, self._steady_state)
        dx, dy = np.diag(x), np.diag(y)
        rhs = np.sum((dx[up] * dy[lo] - dx[lo] * dy[up]) * net)
        return float(abs(lhs - rhs))

    def audit(self, *, thresholds: Mapping[str, Any] | None = None):
        """Does the model stay in the regime where the stochastic limit holds? (issue 12)

        Checks weak-coupling, markov, secular and detailed-balance, and the Flows checks of the
        stationary flows; see :func:`thermoflux.master_equation.audit.audit_stochastic_limit`.
        ``thresholds`` maps check ids to (warn, error) overrides. Returns a
        :class:`thermoflux.audit.Report`.
        """
        from thermoflux.master_equation.audit import audit_stochastic_limit

        return audit_stochastic_limit(self, thresholds=thresholds)

    def __repr__(self) -> str:
        return (f"StochasticLimit({self.system!r}, {self.transitions.size} transitions, "
                f"lamb_shift={self.lamb_shift})")


def _read_only(values: np.ndarray) -> np.ndarray:
    """``values`` with its write flag cleared: a cached result cannot be changed in place."""
    values.setflags(write=False)
    return values

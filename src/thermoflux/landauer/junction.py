"""Landauer–Büttiker junction: steady particle, energy and entropy currents of any reservoirs.

Seed 004, eqs. 6, 17–19: non-interacting particles cross a coherent conductor between
reservoirs whose occupations f_α(E) may be thermal or not. With T_{α←β}(E) the probability
that a particle leaving reservoir β at energy E ends in reservoir α (h = 2π):

    J^N_α = (1/2π) Σ_β ∫ [T_{β←α}(E) f_α(E) − T_{α←β}(E) f_β(E)] dE,
    J^E_α = (1/2π) Σ_β ∫ E [T_{β←α} f_α − T_{α←β} f_β] dE,
    dS_α/dt = −(1/2π) Σ_β ∫ [T_{β←α} f_α − T_{α←β} f_β] ln((1 ∓ f_α)/f_α) dE,

all positive when flowing out of α into the conductor (DESIGN.md). With T symmetric the
bracket is T_αβ (f_α − f_β). The entropy rate uses the reservoir's own log-odds x_α(E), so for
a thermal reservoir (x = β(E − μ)) it is exactly −J^Q_α/T_α.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from thermoflux._validation import as_real_array, call_user, describe
from thermoflux.distributions import Distribution
from thermoflux.errors import ConvergenceError, InputError, warn_thermodynamics
from thermoflux.flows import Flows
from thermoflux.landauer import counting, current_noise, linear_response
from thermoflux.landauer.divergence import divergence_message, find_divergences
from thermoflux.landauer.quadrature import TWO_PI, EnergyGrid, plan_energy_grid
from thermoflux.landauer.transmissions import Transmission

__all__ = ["Junction", "JunctionIntegrals", "TWO_PI"]

# Seed and equations of every Landauer result's attrs (thermoflux.io.result_attrs): the
# Landauer-Büttiker currents (seed 004, eqs. 17-19) and the entropy current (eq. 6).
# Internal (not in __all__): landauer/config.py stamps the same on its Datasets.
SEED, EQUATIONS = "004", "6, 17-19"
# Relative tolerance of the sum rule Σ_β T_{β←α} = Σ_β T_{α←β} for non-reciprocal input:
# values are compared after evaluation in double precision, so 1e-10 leaves room for rounding
# in a user's matrix algebra and nothing physical.
_SUM_RULE_RTOL = 1e-10
# flows() refuses a result whose K21-G10 error estimate exceeds 1e-6 of ∫|integrand| (plus
# 1e-12 of the junction's current unit max T · range/2π, for integrands that are rounding noise):
# on a resolved integrand the estimate is ~1e-15 (it overestimates the Kronrod error by orders of
# magnitude), so only an unresolved jump or spike (a missing breakpoint or feature) trips it.
# Internal (not in __all__): landauer/batch.py applies the same test to its vectorised batch.
RELATIVE_ACCURACY = 1e-6


class _Evaluation(NamedTuple):
    """What one pass of :meth:`Junction._evaluate` over a grid returns (module-private).

    ``values``/``errors`` have shape (reservoir, 3 [particle, energy, entropy], *batch);
    ``magnitude`` is ∫|integrand|/2π (an array for a batch chunk, a dict per reservoir for one
    point, None if not asked); ``current_unit`` and ``divergence`` only for one point.
    """

    values: np.ndarray
    errors: np.ndarray
    nodes: int
    live: np.ndarray
    magnitude: Any
    current_unit: float | None
    divergence: dict[str, dict[str, tuple[str, float, float]]] | None


@dataclass(frozen=True)
class JunctionIntegrals:
    """The energy integrals of a junction, with quadrature error estimates.

    Every mapping is keyed by reservoir name; values are floats, or arrays of the batch shape
    when the junction describes many parameter points. Signs: positive out of the reservoir.

    Attributes
    ----------
    particle, energy, entropy : mapping
        J^N_α (1/time), J^E_α (energy/time), dS_α/dt (1/time).
    particle_error, energy_error, entropy_error : mapping
        Estimates Σ_panels |K21 − G10| of the absolute quadrature error.
    nodes : int
        Quadrature nodes per parameter point (for a batch: of the widest row).
    magnitude : mapping or None
        ∫|integrand| dE/2π of J^N_α, J^E_α, dS_α/dt (an array of 3 per reservoir, of shape
        (3, n) for a batch asked with ``integrals(magnitude=True)``), the scale against which
        :meth:`Junction.flows` judges the error estimate.
    current_unit : float or None
        One parameter point only: max T(E) × (width of the core energy range) / 2π, a floor
        for that judgement when an integrand is rounding noise.
    divergence : mapping or None
        One parameter point only: reservoir → {quantity: (end, E, E·g(E))} for every integral
        ("particle", "energy", or "entropy" of a non-thermal reservoir) whose integrand g falls
        off no faster than 1/|E| at an end of the integration ("high" for |E| → ∞, "soft" for
        E → 0⁺ of bosons), so that the value in ``particle``/``energy``/``entropy`` grows
        like the logarithm of the cutoff: the integral diverges (:meth:`Junction.flows`).
    """

    particle: Mapping[str, Any]
    energy: Mapping[str, Any]
    entropy: Mapping[str, Any]
    particle_error: Mapping[str, Any]
    energy_error: Mapping[str, Any]
    entropy_error: Mapping[str, Any]
    nodes: int = 0
    batch_shape: tuple[int, ...] = field(default=())
    magnitude: Mapping[str, Any] | None = None
    current_unit: float | None = None
    divergence: Mapping[str, Mapping[str, tuple[str, float, float]]] | None = None
    #: nodes of non-empty panels per point (int, or an int array of the batch shape): a row of
    #: a batch has the panels of its point integrated alone, plus empty padding panels.
    live_nodes: Any = None


def _is_batched(d: Distribution) -> bool:
    return d.is_thermal and (np.ndim(d.beta) > 0 or np.ndim(d.mu) > 0)


class Junction:
    """A coherent conductor between reservoirs: J^N_α = (1/2π) Σ_β ∫ T_βα (f_α − f_β) dE.

    Parameters
    ----------
    reservoirs : mapping name → Distribution
        At least two reservoirs, all fermions or all bosons (thermal, non-thermal, tabulated…).
        Thermal ones may hold arrays of shape (n,) for ``beta`` and ``mu``: the junction then
        describes n parameter points, integrated together (see :meth:`integrals`).
    transmission : mapping (α, β) → callable
        T_{α←β}(E), the probability that a particle from β at energy E reaches α (Kwant's
        ``transmission(lead_out, lead_in)`` order): a vectorized callable returning values
        >= 0, e.g. from :func:`lorentzian`, :func:`boxcar`, :func:`constant` or
        :func:`from_hamiltonian`. A pair given in one order only is symmetric, T_{β←α} =
        T_{α←β}; give both orders for a non-reciprocal conductor. Missing pairs have T = 0.
    breakpoints : sequence of float, optional
        Energies where some integrand jumps (they become exact panel edges).
    features : sequence of (centre, scale), optional
        Extra energies with structure of width ``scale`` (e.g. of a non-thermal distribution);
        panels refine geometrically around each.
    energy_range : (float, float), optional
        The finite core range of the integration; tails beyond it are mapped unless every
        transmission has compact support. By default it spans 60 T around every chemical
        potential and every feature.
    chunk_size : int, default 64
        Parameter points integrated together in one vectorized pass (memory ~ chunk·nodes).

    Notes
    -----
    Seed 004, eqs. 6, 17, 18 and 19, written with currents out of the reservoirs. Eq. 18 of
    the seed prints ln(1/f_l + 1) for fermions; the entropy current of eq. 6 (and Appendix A,
    eq. A9) requires ln(1/f_l − 1) = ln((1 − f)/f) for fermions, which is what is used here
    (``Distribution.log_odds``). ``tests/landauer/test_junction.py::test_eq18_sign_typo``
    shows the printed form fails to reduce to −J^Q/T for a thermal reservoir while the corrected
    one does.

    Eq. 7 of the seed prints "S_r = T_r ∫ ṅ (ε − ε_F) dε"; what is meant (and what the tests
    check, ``test_conservation_and_thermal_entropy_multiterminal``) is J_r = ∫ ṅ (ε − ε_F) dε
    with Ṡ_r = J_r/T_r. The seed counts currents into the reservoirs; thermoflux counts them out.

    Bosons (photon or phonon channels) are integrated over E > 0 only, and their chemical
    potentials must be <= 0; the particle current then converges only if T(E)·(n_α − n_β)
    is integrable at E → 0 (e.g. T(E) → 0 there, or μ < 0). Otherwise (μ = 0 and T(0) > 0,
    e.g. coupled oscillators between phonon baths) the number of soft quanta exchanged is
    infinite: quanta of μ = 0 bosons are not conserved, and :meth:`flows` returns the finite
    energy, heat and entropy currents with the particle current NaN and
    ``conserves_particles=False``.

    An integrand that falls off only as 1/|E| at |E| → ∞ makes its current infinite: a
    transmission falling as 1/E² (wide-band leads on the same site, a single level) makes the
    energy current diverge when the occupations still differ at high energy (non-thermal or
    tabulated ones). :meth:`flows` then raises :class:`~thermoflux.ConvergenceError` saying
    so, and :meth:`integrals` still gives the finite particle current.

    The quadrature (:mod:`thermoflux.landauer.quadrature`) places Gauss–Kronrod panels on every
    chemical potential (scale T), resonance (scale Γ/2), feature and breakpoint, and maps the
    tails; the same nodes serve all reservoirs. Plain callables carry no such information:
    give their jumps as ``breakpoints`` and narrow peaks as ``features``. :meth:`flows` raises
    :class:`~thermoflux.ConvergenceError` when an error estimate shows an unresolved integrand.

    Raises
    ------
    InputError
        Mixed statistics, fewer than two reservoirs, unknown names in ``transmission``,
        non-callable or negative/non-finite transmissions, a boson μ > 0, bad options.

    Examples
    --------
    >>> from thermoflux import FermiDirac
    >>> from thermoflux.landauer import Junction, lorentzian
    >>> leads = {"L": FermiDirac(temperature=0.1, mu=0.2), "R": FermiDirac(temperature=0.1)}
    >>> flows = Junction(leads, lorentzian(0.1, {"L": 0.05, "R": 0.05})).flows()
    >>> abs(flows.particle["L"] + flows.particle["R"]) < 1e-15, flows.entropy_production > 0
    (True, True)
    >>> import math                           # thermal: dS/dt = -J^Q/T up to rounding
    >>> math.isclose(flows.entropy["L"], -flows.heat["L"] / 0.1, rel_tol=1e-14)
    True
    """

    def __init__(self, reservoirs: Mapping[str, Distribution],
                 transmission: Mapping[tuple[str, str], Callable], *,
                 breakpoints: Sequence[float] | None = None,
                 features: Sequence[tuple[float, float]] | None = None,
                 energy_range: tuple[float, float] | None = None,
                 chunk_size: int = 64) -> None:
        self.reservoirs = self._check_reservoirs(reservoirs)
        self.statistics = next(iter(self.reservoirs.values())).statistics
        self.transmission = self._check_transmission(transmission)
        self.breakpoints = (np.zeros(0) if breakpoints is None
                            else as_real_array(breakpoints, "breakpoints", ndim=1))
        self.features = self._check_features(features)
        self.energy_range = self._check_range(energy_range)
        if not isinstance(chunk_size, int | np.integer) or chunk_size < 1:
            raise InputError(f"chunk_size must be a positive integer; got {chunk_size!r}")
        self.chunk_size = int(chunk_size)
        self.batch_shape = self._batch_shape()
        if self.statistics == "boson":
            for name, d in self.reservoirs.items():
                if d.is_thermal and np.any(np.asarray(d.mu) > 0):
                    raise InputError(f"mu of reservoir {name!r} must be <= 0 for bosons (the junction "
                                     f"integrates over E > 0); got mu={describe(d.mu)}")

    # -- validation ---------------------------------------------------------------------------
    @staticmethod
    def _check_reservoirs(reservoirs: Any) -> dict[str, Distribution]:
        if not isinstance(reservoirs, Mapping) or len(reservoirs) < 2:
            raise InputError(f"reservoirs must map at least two names to distributions; got {describe(reservoirs)}")
        out = {}
        for name, d in reservoirs.items():
            if not isinstance(name, str) or not name:
                raise InputError(f"reservoirs: names must be non-empty strings; got {name!r}")
            if not isinstance(d, Distribution):
                raise InputError(f"reservoirs[{name!r}] must be a thermoflux Distribution; got {type(d).__name__}")
            out[name] = d
        stats = {d.statistics for d in out.values()}
        if len(stats) > 1:
            kinds = ", ".join(f"{k}: {d.statistics}" for k, d in out.items())
            raise InputError(f"reservoirs must be all fermions or all bosons; got {kinds}")
        return out

    def _check_transmission(self, transmission: Any) -> dict[tuple[str, str], Callable]:
        if not isinstance(transmission, Mapping) or not transmission:
            raise InputError(f"transmission must map pairs (a, b) of reservoir names to callables; got {describe(transmission)}")
        directed: dict[tuple[str, str], Callable] = {}
        given = set()
        for key, func in transmission.items():
            if not (isinstance(key, tuple) and len(key) == 2):
                raise InputError(f"transmission keys must be pairs (a, b) of reservoir names; got {key!r}")
            a, b = key
            for x in (a, b):
                if x not in self.reservoirs:
                    raise InputError(f"transmission[{key!r}] names {x!r}, which is not a reservoir "
                                     f"(reservoirs: {', '.join(map(repr, self.reservoirs))})")
            if a == b:
                raise InputError(f"transmission[{key!r}] must connect two different reservoirs")
            if key in given:
                raise InputError(f"transmission[{key!r}] is given twice")
            if not callable(func):
                raise InputError(f"transmission[{key!r}] must be callable T(E); got {describe(func)}")
            given.add(key)
            directed[key] = func
        for (a, b) in list(given):
            if (b, a) not in given:
                directed[(b, a)] = directed[(a, b)]
        self.reciprocal = all((b, a) not in given for (a, b) in given)
        return directed

    @staticmethod
    def _check_features(features: Any) -> tuple[np.ndarray, np.ndarray]:
        if features is None:
            return np.zeros(0), np.zeros(0)
        arr = as_real_array(features, "features")
        if arr.ndim != 2 or arr.shape[1] != 2:
            raise InputError(f"features must be a sequence of (centre, scale) pairs; got shape {arr.shape}")
        if np.any(arr[:, 1] <= 0):
            raise InputError("features: every scale must be positive")
        return arr[:, 0], arr[:, 1]

    @staticmethod
    def _check_range(energy_range: Any) -> np.ndarray | None:
        if energy_range is None:
            return None
        arr = as_real_array(energy_range, "energy_range", ndim=1)
        if arr.shape != (2,) or not arr[1] > arr[0]:
            raise InputError(f"energy_range must be (low, high) with high > low; got {describe(arr)}")
        return arr

    def _batch_shape(self) -> tuple[int, ...]:
        shapes = []
        for d in self.reservoirs.values():
            if d.is_thermal:
                shapes += [np.shape(d.beta), np.shape(d.mu)]
        for t in self.transmission.values():
            if isinstance(t, Transmission):
                shapes.append(t.batch_shape)
        try:
            shape = np.broadcast_shapes(*shapes) if shapes else ()
        except ValueError as exc:
            raise InputError(f"batched parameters have incompatible shapes: {shapes}") from exc
        if len(shape) > 1:
            raise InputError(f"batched parameters must be 1-D arrays (n,); got shape {shape}")
        return shape

    # -- the integration grid -----------------------------------------------------------------
    def _grid(self, reservoirs: Mapping[str, Distribution], transmissions: Mapping[Any, Callable],
              n: int | None) -> EnergyGrid:
        return plan_energy_grid(reservoirs, transmissions, n, statistics=self.statistics,
                                breakpoints=self.breakpoints, features=self.features,
                                energy_range=self.energy_range)

    # -- integration --------------------------------------------------------------------------
    def quadrature_nodes(self, reservoirs: Mapping[str, Distribution], transmissions: Mapping[Any, Callable],
                         n: int | None, *, thermal_odds: bool = True) -> tuple[EnergyGrid, dict, dict, dict, dict]:
        """Grid, occupations, log-odds and transmission values at the quadrature nodes.

        Internal (not in ``__all__``): shared by :meth:`integrals` and by the sibling modules
        ``landauer/counting.py`` and ``landauer/linear_response.py``, which integrate other
        functions of the same occupations and transmissions on the same panels. With
        ``thermal_odds=False`` the log-odds of thermal reservoirs are not evaluated.
        """
        grid = self._grid(reservoirs, transmissions, n)
        energies = grid.flat_energies
        occ, odds = {}, {}
        for name, d in reservoirs.items():
            if d.is_thermal and n is not None:
                d = type(d)(beta=np.asarray(d.beta)[..., None], mu=np.asarray(d.mu)[..., None])
            if d.is_thermal and not thermal_odds:
                occ[name] = np.asarray(d.occupation(energies), dtype=float)
                continue
            odds[name] = np.asarray(d.log_odds(energies), dtype=float)
            occ[name] = np.asarray(d.occupation(energies), dtype=float)
        tvals: dict[int, np.ndarray] = {}
        tkey: dict[tuple[str, str], int] = {}
        for key, func in transmissions.items():
            if id(func) not in tvals:
                val = np.asarray(call_user(func, f"transmission[{key!r}]", energies), dtype=float)
                try:
                    val = np.broadcast_to(val, energies.shape)
                except ValueError as exc:
                    raise InputError(f"transmission[{key!r}] must return an array of the shape of its "
                                     f"energies {energies.shape}; got {val.shape}") from exc
                if not np.all(np.isfinite(val)) or np.any(val < 0):
                    bad = val[~(np.isfinite(val) & (val >= 0))]
                    raise InputError(f"transmission[{key!r}] must be finite and non-negative; got e.g. {bad.flat[0]!r}")
                tvals[id(func)] = val
            tkey[key] = id(func)
        values = {key: tvals[i] for key, i in tkey.items()}
        return grid, occ, odds, values, tkey

    def _evaluate(self, reservoirs: Mapping[str, Distribution], transmissions: Mapping[Any, Callable],
                  n: int | None, *, magnitude: bool = False) -> _Evaluation:
        grid, occ, odds, tvalues, tkey = self.quadrature_nodes(reservoirs, transmissions, n, thermal_odds=False)
        energies = grid.flat_energies
        names = list(reservoirs)
        tvals = {tkey[k]: v for k, v in tvalues.items()}
        if not self.reciprocal:
            for a in names:
                out_ = sum((tvals[tkey[(b, a)]] for b in names if (b, a) in tkey), np.zeros(energies.shape))
                in_ = sum((tvals[tkey[(a, b)]] for b in names if (a, b) in tkey), np.zeros(energies.shape))
                if np.any(np.abs(out_ - in_) > _SUM_RULE_RTOL * np.maximum(1.0, np.abs(out_))):
                    warn_thermodynamics(
                        f"transmission: Σ_β T(β←{a!r}) ≠ Σ_β T({a!r}←β); the conductor is not unitary, "
                        "so currents flow at equilibrium and the second law may fail", stacklevel=4)
        # Particle-current densities, one pair at a time (a symmetric pair once, with both signs).
        density = {a: np.zeros(energies.shape) for a in names}
        done = set()
        for (a, b) in tkey:
            if (a, b) in done:
                continue
            t_ab, t_ba = tvals[tkey[(a, b)]], tvals[tkey[(b, a)]]
            if t_ab is t_ba:
                c = t_ab * (occ[b] - occ[a])          # out of b, into a
                density[b] += c
                density[a] -= c
            else:
                density[b] += t_ab * occ[b] - t_ba * occ[a]
                density[a] += t_ba * occ[a] - t_ab * occ[b]
            done.update({(a, b), (b, a)})
        # Rows: J^N and J^E of every reservoir, and dS/dt of the non-thermal ones (for a thermal
        # reservoir x = β(E − μ) is linear, so dS/dt = −β(J^E − μ J^N) exactly, no third integral).
        nonthermal = [a for a in names if not reservoirs[a].is_thermal]
        rows = np.empty((2 * len(names) + len(nonthermal),) + energies.shape)
        for i, a in enumerate(names):
            rows[2 * i] = density[a]
            np.multiply(energies, density[a], out=rows[2 * i + 1])
        for j, a in enumerate(nonthermal):
            with np.errstate(invalid="ignore"):
                rows[2 * len(names) + j] = np.where(density[a] == 0.0, 0.0, -density[a] * odds[a])
        vals, errs = grid.integrate(rows)
        live = np.count_nonzero(grid.weights.reshape(grid.batch_shape + (-1,)), axis=-1)
        scale = unit = divergence = None
        if n is not None and magnitude:
            with np.errstate(invalid="ignore"):   # a non-finite row is refused by its value anyway
                mags = grid.integral(np.abs(rows))
            scale = self._magnitudes(mags, reservoirs, nonthermal)
        if n is None:
            with np.errstate(invalid="ignore"):
                mags, _ = grid.integrate(np.abs(rows))
            mag = self._magnitudes(mags, reservoirs, nonthermal)
            scale = {a: mag[i] for i, a in enumerate(names)}
            found = find_divergences(grid, rows, mags, accuracy=RELATIVE_ACCURACY, soft_end=self.statistics == "boson")
            divergence = {a: {} for a in names}
            for i, a in enumerate(names):
                for q, r in (("particle", 2 * i), ("energy", 2 * i + 1)):
                    if found[r]:
                        divergence[a][q] = found[r][0]
            for j, a in enumerate(nonthermal):
                if found[2 * len(names) + j]:
                    divergence[a]["entropy"] = found[2 * len(names) + j][0]
            # A current unit of the junction: max T(E) times the width of the core range, /2π.
            core = grid.energies[..., :-1, :]
            tmax = max((float(np.max(v)) for v in tvalues.values()), default=0.0)
            unit = tmax * float(np.ptp(core)) / TWO_PI
        values = np.empty((len(names), 3) + vals.shape[1:])
        errors = np.empty_like(values)
        for i, a in enumerate(names):
            values[i, :2], errors[i, :2] = vals[2 * i:2 * i + 2], errs[2 * i:2 * i + 2]
            d = reservoirs[a]
            if d.is_thermal:
                beta = np.asarray(d.beta, float)
                mu = np.asarray(d.mu, float)
                values[i, 2] = -beta * (values[i, 1] - mu * values[i, 0])
                errors[i, 2] = beta * (errors[i, 1] + np.abs(mu) * errors[i, 0])
            else:
                j = 2 * len(names) + nonthermal.index(a)
                values[i, 2], errors[i, 2] = vals[j], errs[j]
        return _Evaluation(values / TWO_PI, errors / TWO_PI, energies.shape[-1], live, scale, unit, divergence)

    @staticmethod
    def _magnitudes(mags: np.ndarray, reservoirs: Mapping[str, Distribution], nonthermal: list[str]) -> np.ndarray:
        """Per reservoir ∫|integrand|/2π of J^N, J^E, dS/dt from ∫|row| of every integrand row.

        For a thermal reservoir dS/dt = −β(J^E − μJ^N), so its scale is β(∫|J^E| + |μ|∫|J^N|).
        """
        names = list(reservoirs)
        mag = np.empty((len(names), 3) + mags.shape[1:])
        for i, a in enumerate(names):
            mag[i, :2] = mags[2 * i:2 * i + 2]
            d = reservoirs[a]
            mag[i, 2] = (np.asarray(d.beta, float) * (mag[i, 1] + np.abs(np.asarray(d.mu, float)) * mag[i, 0])
                         if d.is_thermal else mags[2 * len(names) + nonthermal.index(a)])
        return mag / TWO_PI

    def integrals(self, *, magnitude: bool = False) -> JunctionIntegrals:
        """All particle, energy and entropy integrals with error estimates (batched if needed).

        Parameters
        ----------
        magnitude : bool, default False
            For a batch, also integrate |integrand| (the ``magnitude`` of every point, against
            which :meth:`flows` judges the error estimate; twice the quadrature sums). A single
            point always has it.

        Returns
        -------
        JunctionIntegrals
            Units ħ = k_B = 1 (h = 2π); positive out of the reservoir into the conductor.
        """
        names = list(self.reservoirs)
        unit = divergence = scale = None
        if not self.batch_shape:
            ev = self._evaluate(self.reservoirs, self.transmission, None)
            values, errors, nodes = ev.values, ev.errors, ev.nodes
            scale, unit, divergence = ev.magnitude, ev.current_unit, ev.divergence
            live = int(ev.live)
        else:
            n = self.batch_shape[0]
            chunkable = all(isinstance(t, Transmission) for t in self.transmission.values()) and all(
                d.is_thermal for d in self.reservoirs.values())
            step = self.chunk_size if chunkable else n
            vals, errs, mags, lives, nodes = [], [], [], [], 0
            for start in range(0, n, step):
                idx = slice(start, min(n, start + step))
                res = {k: self._take(d, idx, n) for k, d in self.reservoirs.items()} if chunkable else self.reservoirs
                trans = self.transmission
                if chunkable:
                    cache: dict[int, Transmission] = {}
                    trans = {}
                    for key, t in self.transmission.items():
                        if id(t) not in cache:
                            cache[id(t)] = t.take(idx) if t.batch_shape else t
                        trans[key] = cache[id(t)]
                ev = self._evaluate(res, trans, idx.stop - idx.start, magnitude=magnitude)
                nodes = max(nodes, ev.nodes)
                vals.append(ev.values)
                errs.append(ev.errors)
                lives.append(ev.live)
                if magnitude:
                    mags.append(ev.magnitude)
            values, errors = np.concatenate(vals, axis=-1), np.concatenate(errs, axis=-1)
            live = np.concatenate(lives)
            if magnitude:
                stacked = np.concatenate(mags, axis=-1)
                scale = {name: stacked[i] for i, name in enumerate(names)}

        def pick(arr: np.ndarray, q: int) -> dict[str, Any]:
            return {name: (float(arr[i, q]) if arr.ndim == 2 else arr[i, q]) for i, name in enumerate(names)}

        return JunctionIntegrals(pick(values, 0), pick(values, 1), pick(values, 2),
                                 pick(errors, 0), pick(errors, 1), pick(errors, 2), nodes,
                                 self.batch_shape, scale, unit, divergence, live)

    @staticmethod
    def _take(d: Distribution, idx: slice, n: int) -> Distribution:
        beta = np.broadcast_to(np.asarray(d.beta, float), (n,))[idx]
        mu = np.broadcast_to(np.asarray(d.mu, float), (n,))[idx]
        return type(d)(beta=beta, mu=mu)

    def flows(self, *, check: bool = True, integrals: JunctionIntegrals | None = None) -> Flows:
        """Steady-state flows of every reservoir (seed 004, eqs. 6 and 17–19).

        Parameters
        ----------
        check : bool, default True
            Warn (:class:`~thermoflux.ThermodynamicsWarning`) if particle or energy
            conservation or the second law fails beyond the quadrature error.

        Returns
        -------
        Flows
            ``particle`` J^N_α (1/time), ``energy`` J^E_α and ``heat`` J^E_α − μ_α J^N_α
            (energy/time), positive when flowing out of α into the conductor; ``entropy``
            dS_α/dt (1/time, k_B = 1), equal to −J^Q_α/T_α for a thermal reservoir; method
            "landauer". For μ = 0 bosons whose number current diverges at E → 0 (T(0) > 0)
            that entry is NaN and ``conserves_particles`` is False (class Notes).

        Other Parameters
        ----------------
        integrals : JunctionIntegrals, optional
            Reuse integrals already computed by :meth:`integrals` instead of integrating again.

        Raises
        ------
        ConvergenceError
            A current that diverges, saying why: an integrand falling off no faster than 1/|E|
            at |E| → ∞ (e.g. the energy current through wide-band leads on one site between
            reservoirs whose occupations differ at high energy), or soft bosons at E → 0⁺
            reaching a reservoir with μ ≠ 0; or an error estimate above 1e-6 of
            ∫|integrand|: a jump or spike the panels do not resolve (pass
            ``breakpoints``/``features``).
        InputError
            An infinite entropy rate (occupation exactly 0 or 1 where particles flow), or a
            batched junction.
        """
        if self.batch_shape:
            raise InputError("flows() needs one parameter point; this junction holds a batch of "
                             f"{self.batch_shape[0]}: use integrals() or to_dataset()")
        ints = self.integrals() if integrals is None else integrals
        for name, value in ints.entropy.items():
            if not np.isfinite(value):
                raise InputError(
                    f"the entropy rate of reservoir {name!r} is infinite ({value}): particles flow where its "
                    "occupation is exactly 0 or 1, and ln((1 - f)/f) diverges there (seed 004, eq. 6). "
                    "If f only underflowed (a far tail), give NonThermal an exact log_odds= callable; "
                    "integrals() returns the currents")
        undefined = self._undefined_particle_currents(ints)
        if ints.magnitude is not None:
            floor = 1e-12 * (ints.current_unit or 0.0) + 1e-300
            for name in self.reservoirs:
                errs = (ints.particle_error[name], ints.energy_error[name], ints.entropy_error[name])
                for q, err, mag in zip(("particle", "energy", "entropy"), errs, ints.magnitude[name]):
                    if err <= RELATIVE_ACCURACY * mag + floor or (q == "particle" and name in undefined):
                        continue
                    raise ConvergenceError(
                            f"landauer: the {q} integral of reservoir {name!r} is not resolved by the "
                            f"Gauss-Kronrod panels ({ints.nodes} nodes): error estimate {err:.3g} against "
                            f"∫|integrand| = {mag:.3g}; pass breakpoints= for jumps or features=[(centre, "
                            "width)] for narrow structure of the transmission or distributions")
        particle = {k: (math.nan if k in undefined else v) for k, v in ints.particle.items()}
        flows = Flows.from_currents(self.reservoirs, particle, ints.energy, ints.entropy,
                                    method="landauer", conserves_particles=not undefined)
        if check:
            err = sum(v for k, v in ints.particle_error.items() if k not in undefined) + sum(
                ints.energy_error.values()) + sum(ints.entropy_error.values())
            flows.check(rtol=1e-8, atol=1e-12 + 10 * err)
        return flows

    def _undefined_particle_currents(self, ints: JunctionIntegrals) -> set[str]:
        """Reservoirs whose particle current diverges at E → 0⁺ (μ = 0 bosons); raise on other divergences.

        Quanta of μ = 0 bosons (photons, phonons) are not conserved: their number current is
        undefined while energy, heat and entropy currents are finite. Any other divergent
        integral (:func:`~thermoflux.landauer.divergence.find_divergences`) raises :class:`~thermoflux.ConvergenceError` that
        names its physical cause.
        """
        undefined = set()
        for name, found in (ints.divergence or {}).items():
            for q, (end, energy, tail) in found.items():
                d = self.reservoirs[name]
                if q == "particle" and end == "soft" and not d.mu:
                    undefined.add(name)
                    continue
                raise ConvergenceError(divergence_message(
                    name, q, end, energy, tail, particle_finite="particle" not in found))
        return undefined

    def _parameters(self) -> dict[str, Any]:
        """The inputs that produced a result, for :meth:`to_dataset` attrs (transmissions by name)."""
        reservoirs: dict[str, Any] = {}
        for name, d in self.reservoirs.items():
            reservoirs[name] = ({"beta": np.asarray(d.beta, float).ravel(), "mu": np.asarray(d.mu, float).ravel()}
                                if d.is_thermal else {"occupation": "non-thermal"})
        return {"statistics": self.statistics, "reservoirs": reservoirs,
                "transmission": self._transmission_parameters(),
                "breakpoints": self.breakpoints,
                "features": {"centre": self.features[0], "width": self.features[1]},
                "energy_range": self.energy_range}

    def _transmission_parameters(self) -> dict[str, Any]:
        """Each distinct transmission once, keyed ``a<-b``: its description and parameters."""
        out: dict[str, Any] = {}
        seen: set[int] = set()
        for (a, b), t in self.transmission.items():
            if id(t) in seen:
                continue
            seen.add(id(t))
            out[f"{a}<-{b}"] = ({"description": t.description or "Transmission", **t.params}
                                if isinstance(t, Transmission) else getattr(t, "__name__", type(t).__name__))
        return out

    def to_dataset(self):
        """All flows as an ``xarray.Dataset`` (dims ``point`` if batched, and ``reservoir``).

        Variables ``particle_current``, ``energy_current``, ``heat_current`` (J^E − μJ^N;
        μ = 0 without one), ``entropy_flow`` (dS_α/dt), their ``*_error`` estimates, and
        ``entropy_production`` = Σ_α dS_α/dt; positive out of the reservoir.
        """
        import xarray as xr

        from thermoflux.io import result_attrs

        ints = self.integrals()
        names = list(self.reservoirs)
        dims = ("point", "reservoir") if self.batch_shape else ("reservoir",)

        def stack(m: Mapping[str, Any]) -> np.ndarray:
            return np.stack([np.asarray(m[k], float) for k in names], axis=-1)

        mus = stack({k: (np.zeros(self.batch_shape) if d.mu is None else
                         np.broadcast_to(np.asarray(d.mu, float), self.batch_shape))
                     for k, d in self.reservoirs.items()})
        particle, energy = stack(ints.particle), stack(ints.energy)
        entropy = stack(ints.entropy)
        data = {
            "particle_current": (dims, particle, {"units": "1/time", "long_name": "particle current out of the reservoir"}),
            "energy_current": (dims, energy, {"units": "energy/time", "long_name": "energy current out of the reservoir"}),
            "heat_current": (dims, energy - mus * particle, {"units": "energy/time", "long_name": "heat current out of the reservoir"}),
            "entropy_flow": (dims, entropy, {"units": "1/time", "long_name": "rate of change of the reservoir's entropy"}),
            "particle_current_error": (dims, stack(ints.particle_error), {"units": "1/time"}),
            "energy_current_error": (dims, stack(ints.energy_error), {"units": "energy/time"}),
            "entropy_flow_error": (dims, stack(ints.entropy_error), {"units": "1/time"}),
            "entropy_production": (dims[:-1], entropy.sum(axis=-1), {"units": "1/time", "long_name": "entropy production rate"}),
        }
        ds = xr.Dataset(data, coords={"reservoir": ("reservoir", names, {"long_name": "reservoir", "units": "1"})})
        ds.attrs.update(result_attrs("landauer", seed=SEED, equations=EQUATIONS, parameters=self._parameters(),
                                     nodes_per_point=ints.nodes))
        return ds

    def require_point(self, reservoir: str, argument: str, what: str) -> None:
        """InputError unless the junction is one parameter point and ``reservoir`` one of its names.

        The precondition of the analyses below (counting statistics, noise, linear response);
        ``argument`` names the caller's argument and ``what`` the analysis in the message.
        """
        if self.batch_shape:
            raise InputError(f"{what} needs one parameter point; the junction holds a batch of {self.batch_shape[0]}")
        if reservoir not in self.reservoirs:
            raise InputError(f"{argument} must be one of {', '.join(map(repr, self.reservoirs))}; got {reservoir!r}")

    # -- analyses defined in sibling modules, bound here as methods (one definition each) --------
    # counting.py: Levitov–Lesovik counting statistics; current_noise.py: Büttiker noise;
    # linear_response.py: the Onsager matrix. Those modules import Junction for type checking only.
    current_cumulants = counting.current_cumulants
    noise = current_noise.noise
    onsager_matrix = linear_response.onsager_matrix

    def audit(self, *, thresholds: Mapping[str, Any] | None = None):
        """Does the junction's input stay where the Landauer integrals hold? (issue 12)

        Checks bosonic-mu, wide-band and integration-range, and the Flows checks of the steady
        state; see :func:`thermoflux.landauer.audit.audit_junction`. Returns a
        :class:`thermoflux.audit.Report`.
        """
        from thermoflux.landauer.audit import audit_junction

        return audit_junction(self, thresholds=thresholds)

    def __repr__(self) -> str:
        pairs = sorted({tuple(sorted(k)) for k in self.transmission})
        return (f"Junction({', '.join(self.reservoirs)}; {self.statistics}s; pairs {pairs}"
                + (f"; batch {self.batch_shape[0]}" if self.batch_shape else "") + ")")

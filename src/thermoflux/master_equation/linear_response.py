"""Linear response of the micro-currents between two fields: Onsager coefficients (seed 002, Sec. III B).

Two bosonic fields with the same form factor and coupling operator, at β_1,2 = β_0 ± δβ/2 and
μ_1,2 = μ_0 ∓ δμ/2 (eq. 48). By the 1 ↔ 2 symmetry the stationary state changes only at second
order (eqs. 49-52), so to first order each micro-current is set by the reference state ρ̃.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from thermoflux._validation import as_finite, as_positive
from thermoflux.distributions import BoseEinstein, bose
from thermoflux.errors import InputError
from thermoflux.io import result_attrs
from thermoflux.master_equation.currents import field_totals, transition_currents
from thermoflux.master_equation.generator import Transitions
from thermoflux.master_equation.stochastic_limit import StochasticLimit
from thermoflux.master_equation.system import Field, System

__all__ = ["onsager_coefficients", "linear_entropy_production", "finite_difference_onsager"]


def _two_field_model(system: System, spectral_density: Callable | float, beta1: float, mu1: float,
                     beta2: float, mu2: float) -> StochasticLimit:
    if len(system.couplings) != 1:
        raise InputError("system must have exactly one coupling operator D, shared by both fields "
                         f"(seed 002, Sec. III B: g_1 = g_2); got {list(system.couplings)}")
    d = next(iter(system.couplings.values()))
    two = System(system.energies, {"1": d, "2": d}, degeneracy_tol=system.degeneracy_tol)
    fields = {"1": Field(BoseEinstein(beta=beta1, mu=mu1), spectral_density),
              "2": Field(BoseEinstein(beta=beta2, mu=mu2), spectral_density)}
    return StochasticLimit(two, fields)


def _population_weights(transitions: Transitions, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per transition m → n, its shares of tr(E_ω†E_ω ρ) and tr(E_ω E_ω† ρ) (seed 002, eq. 35a).

    The current of a transition is Γ_−(ω) times the first minus Γ_+(ω) times the second. For a
    diagonal state they are |⟨n|D|m⟩|² ρ_mm and |⟨n|D|m⟩|² ρ_nn; with coherences between degenerate
    levels joined by one E_ω they carry the grouped terms of :func:`transition_currents`.
    """
    weight = np.abs(transitions.amplitude) ** 2
    zero = np.zeros_like(weight)
    emitting = transition_currents(replace(transitions, emission=weight, absorption=zero), state)
    absorbing = -transition_currents(replace(transitions, emission=zero, absorption=weight), state)
    return emitting, absorbing


def onsager_coefficients(system: System, spectral_density: Callable | float, *, beta: float, mu: float = 0.0):
    """Onsager coefficients of [J_{1→2}, J^Q_{1→2}] = [[Γ, L], [L, M]] [δμ, δβ/β_0] (seed 002, eq. 57).

    Per transition m → n with ω = ε_m − ε_n and x = β_0(ω − μ_0):
    Γ_mn = ½ J(ω)|⟨n|D|m⟩|² β_0 e^x/(e^x − 1)² (ρ̃_mm − ρ̃_nn) (eq. 57b, J(ω)/2 = γ of eq. 53c),
    L_mn = (ω − μ_0) Γ_mn, M_mn = (ω − μ_0)² Γ_mn, where J_{1→2} = ½(J_2 − J_1) is the flow of quanta
    from field 1 to field 2 and J^Q = J^E − μ_0 J. The macro coefficients are the sums.

    Parameters
    ----------
    system : System
        With exactly one coupling operator D (both fields couple through it, g_1 = g_2).
    spectral_density : callable or float
        J(ω) of both fields.
    beta, mu : float
        β_0 and μ_0 of the reference (both fields equal); μ_0 below every Bohr frequency.

    Returns
    -------
    xarray.Dataset
        ``gamma``, ``l_coefficient``, ``m_coefficient`` on dim ``transition`` (coords upper,
        lower, omega); ``onsager`` (flux: particle, heat; force: chemical, thermal) the macro
        matrix; ``reference_populations`` (level). Units: Γ 1/(time·energy), L 1/time, M energy/time.

    Notes
    -----
    Seed 002, eq. 54 (third line) has −δμ where the expansion gives +δμ (∂N/∂μ = −∂N/∂ω), and
    eq. 57c prints L = −(ω − μ_0)Γ and M = −(ω + μ_0)²Γ. Eq. 55 (J^Q = (ω − μ_0) J per transition)
    forces L = (ω − μ_0)Γ and M = (ω − μ_0)²Γ, so L² = ΓM (the paper's "L² + ΓM = 0" with its signs).
    ``test_linear_response.py`` checks these against finite differences of the exact currents.

    With degenerate levels the reference state ρ̃ can hold coherences between them (when μ_0 ≠ 0
    it is not a Gibbs state), and these carry current through the grouped jump operator E_ω of
    eq. 15b: |⟨n|D|m⟩|²(ρ̃_mm − ρ̃_nn) is then replaced by the transition's shares of
    tr(E_ω†E_ω ρ̃) − tr(E_ω E_ω† ρ̃) (eq. 35a). ρ̃ still changes only at second order, since the
    generator is symmetric under 1 ↔ 2 as a whole (eqs. 49-51).
    ``test_onsager_reference.py`` checks all this against central differences of ``flows()``.
    """
    beta = as_positive(beta, "beta")
    mu = as_finite(mu, "mu")
    model = _two_field_model(system, spectral_density, beta, mu, beta, mu)
    if system.has_degenerate_levels:
        state = model.stationary_state(solver="sector")
        pops = np.real(np.diag(state))
    else:
        state = pops = model.stationary_populations(solver="pauli")
    t = model.transitions
    sel = t.field == 0
    omega = t.omega[sel]
    up, lo = t.upper[sel], t.lower[sel]
    emitting, absorbing = _population_weights(t, state)
    spectral = model.fields["1"].spectral_values(omega, "1")
    x = beta * (omega - mu)
    n = bose(x)
    gamma = 0.5 * spectral * beta * n * (1.0 + n) * (emitting[sel] - absorbing[sel])
    a = omega - mu
    l_coef = a * gamma
    m_coef = a * a * gamma
    onsager = np.array([[gamma.sum(), l_coef.sum()], [l_coef.sum(), m_coef.sum()]])
    return _dataset(gamma, l_coef, m_coef, onsager, pops, up, lo, omega, beta, mu)


def _dataset(gamma, l_coef, m_coef, onsager, pops, up, lo, omega, beta, mu):
    import xarray as xr

    return xr.Dataset(
        {"gamma": ("transition", gamma, {"units": "1/(time*energy)", "long_name": "Gamma_mn (eq. 57b)"}),
         "l_coefficient": ("transition", l_coef, {"units": "1/time", "long_name": "L_mn"}),
         "m_coefficient": ("transition", m_coef, {"units": "energy/time", "long_name": "M_mn"}),
         "onsager": (("flux", "force"), onsager,
                     {"long_name": "macro Onsager matrix",
                      "units": "[[1/(time*energy), 1/time], [1/time, energy/time]]"}),
         "reference_populations": ("level", pops, {"units": "1"})},
        coords={"upper": ("transition", up, {"long_name": "level m of the transition m -> n", "units": "1"}),
                "lower": ("transition", lo, {"long_name": "level n of the transition m -> n", "units": "1"}),
                "omega": ("transition", omega, {"long_name": "Bohr frequency of the transition", "units": "energy"}),
                "flux": ("flux", ["particle", "heat"], {"long_name": "flux", "units": "1"}),
                "force": ("force", ["chemical", "thermal"], {"long_name": "force", "units": "1"}),
                "level": ("level", np.arange(pops.size), {"long_name": "level index", "units": "1"})},
        attrs=result_attrs(
            "master_equation", seed="002", equations="54-59 (corrected signs)",
            parameters={"beta0": beta, "mu0": mu},
            forces="chemical = delta_mu = mu2 - mu1; thermal = delta_beta/beta0, delta_beta = beta1 - beta2",
            fluxes="J_{1->2} = (J_2 - J_1)/2 with J_j quanta emitted into field j; heat = energy - mu0*particle"))


def linear_entropy_production(onsager, *, beta: float, delta_mu: float, delta_beta: float) -> float:
    """σ = −β_0 Xᵀ 𝕃 X, X = (δμ, δβ/β_0): the linear entropy production (seed 002, eq. 59, corrected sign).

    Equals Σ_j β_j J^Q_j(emitted) to second order when the reference state is in detailed balance
    (μ_0 = 0, or no cycle of transitions: with μ_0 ≠ 0 a cycle that turns one quantum into two
    already produces entropy at δ = 0); >= 0 when no population is inverted (Γ_mn <= 0), zero on
    δμ = −(ω − μ_0) δβ/β_0 for a single transition (eq. 60 with the corrected sign).
    """
    beta = as_positive(beta, "beta")
    x = np.array([as_finite(delta_mu, "delta_mu"), as_finite(delta_beta, "delta_beta") / beta])
    mat = np.asarray(onsager, dtype=float)
    return float(-beta * x @ mat @ x)


def finite_difference_onsager(system: System, spectral_density: Callable | float, *, beta: float,
                              mu: float = 0.0, step: float = 1e-5) -> np.ndarray:
    """The macro Onsager matrix by central differences of the exact (nonlinear) stationary currents.

    An independent route to :func:`onsager_coefficients`: ∂[J_{1→2}, J^Q_{1→2}]/∂[δμ, δβ/β_0] at 0,
    with the full stationary state at each displaced point. ``step`` is the displacement of δμ and
    δβ/β_0 (in units of the Bohr frequencies).
    """
    beta = as_positive(beta, "beta")
    mu = as_finite(mu, "mu")
    step = as_positive(step, "step")

    def fluxes(delta_mu: float, delta_b: float) -> np.ndarray:
        db = delta_b * beta
        model = _two_field_model(system, spectral_density, beta + db / 2, mu - delta_mu / 2,
                                 beta - db / 2, mu + delta_mu / 2)
        cur = model.transition_currents()
        quanta, energy = field_totals(model.transitions, cur)
        j12 = 0.5 * (quanta[1] - quanta[0])
        e12 = 0.5 * (energy[1] - energy[0])
        return np.array([j12, e12 - mu * j12])

    out = np.zeros((2, 2))
    out[:, 0] = (fluxes(step, 0.0) - fluxes(-step, 0.0)) / (2 * step)
    out[:, 1] = (fluxes(0.0, step) - fluxes(0.0, -step)) / (2 * step)
    return out

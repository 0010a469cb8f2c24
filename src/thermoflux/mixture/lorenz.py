"""Conductances and Lorenz number of a mixture state in each gate (seed 000, Sec. 3.3).

The definitions (seed 000, eqs. 80, 81, 83) are derivatives of the mean currents with respect
to the gate's own chemical potential and temperature,

    σ(G_i) = ∂J^N_i/∂μ_i,     κ(G_i) = ∂J^Q_i/∂T_i,     L_i = β_i κ(G_i)/σ(G_i),

with J_i the currents entering the system through gate i (k_B = e = 1). Only the occupation
d_i depends on (μ_i, T_i), so the derivatives are taken analytically under the integral:
∂d/∂μ = β d(1 ∓ d) and (ω − μ)∂d/∂T = x² d(1 ∓ d) with x = β(ω − μ) the log-odds, giving

    σ(G_i) = ∫_0^∞ dk/2π v(k) I(k) β_i d_i(1 ∓ d_i),
    κ(G_i) = ∫_0^∞ dk/2π v(k) I(k) x_i² d_i(1 ∓ d_i),

for any weights (I(k) = I_1(k), oriented into the system at each gate). No finite differences.

:func:`conductances` and :func:`lorenz_number` are bound as methods of
:class:`~thermoflux.mixture.MixtureState`: call ``state.lorenz_number(gate)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from thermoflux.distributions import fermi

if TYPE_CHECKING:
    from thermoflux.mixture.state import MixtureState

# conductances and lorenz_number are MixtureState methods (bound in state.py), not listed here.
__all__: list[str] = []


def _response_integrals(state: MixtureState, gate: Any) -> tuple[np.ndarray, np.ndarray, int]:
    state.require_two_gates("the gate conductances")
    i = state.reservoir_index(gate)
    g = state.grid
    x = g.log_odds[i]
    if state.statistics == "fermion":
        slope = fermi(x) * fermi(-x)              # d(1 − d) without cancellation near d = 1
    else:
        d = g.occupation[i]
        slope = d * (1.0 + d)
    orient = 1.0 if i == 0 else -1.0              # current entering through G_1 is +j, through G_2 −j
    base = orient * g.velocity * g.imbalance[i] * slope
    sigma, kappa = np.asarray(g.integrate(base)), np.asarray(g.integrate(base * x * x))
    return state.betas[i] * sigma, kappa, i


def conductances(self: MixtureState, gate: Any) -> tuple[Any, Any]:
    """Electric and thermal conductance of a gate, σ = ∂J^N_i/∂μ_i and κ = ∂J^Q_i/∂T_i.

    Seed 000, eqs. 80–81, evaluated by differentiating the integrands analytically (see the
    module docstring), so they hold for any weights.

    Parameters
    ----------
    gate : int or str
        Reservoir index (0 = G_1, 1 = G_2) or name; the state has two reservoirs.

    Returns
    -------
    sigma : float or ndarray of shape S
        Particle conductance (e = 1: conductance in units e²/ħ), positive for I(k) > 0.
    kappa : float or ndarray of shape S
        Thermal conductance at fixed μ_i (k_B = 1).

    Notes
    -----
    Seed 000, eq. 80 writes σ(G_i) = ∂⟨j⟩/∂μ_i; with ⟨j⟩ = J(β_1, μ_1) − J(β_2, μ_2) (eq. 53)
    that derivative is negative at G_2 while the stated result is positive at both gates, so
    the currents are taken as entering the system through each gate (eq. 76's orientation:
    +j at G_1, −j at G_2). For the weights of eq. 9, κ(G_i) = (c₊ − c₋)/(2πβ_i){βμ[βμ/(1 +
    e^{−βμ}) − 2 ln(1 + e^{βμ})] − 2 Li_2(−e^{βμ})}: eq. 82 prints the last term with
    coefficient 1 instead of 2, which contradicts its own eq. 85 and gives L(0) = π²/6 instead
    of π²/3. ``test_kappa_closed_form_typo`` checks both against the general path.
    """
    sigma, kappa, _ = _response_integrals(self, gate)
    unwrap = (lambda a: float(a) if np.ndim(a) == 0 else a)
    return unwrap(sigma), unwrap(kappa)


def lorenz_number(self: MixtureState, gate: Any) -> Any:
    """Lorenz number of a gate, L_i = κ(G_i)/(σ(G_i) T_i) (seed 000, eq. 83).

    The same quantity, κ/(G·T), as :attr:`thermoflux.landauer.linear_response.LinearResponse.lorenz_number`.

    Returns
    -------
    float or ndarray of shape S
        In units k_B²/e² (= 1 here); compare with the free-electron value L_0 = π²/3 (eq. 86).
        For the step weights of eq. 9 it equals L(β_i μ_i) of eq. 85 whatever c₊ ≠ c₋.
    """
    sigma, kappa, i = _response_integrals(self, gate)
    value = self.betas[i] * kappa / sigma
    return float(value) if np.ndim(value) == 0 else value

"""Full counting statistics, noise and entropy-production fluctuations of a mixture state.

Seed 000, Secs. 3.1, 3.4 and 3.5. At zero frequency every connected correlator of the current
is an integral over one momentum (eq. 62),

    W_n^conn[j] = ∫ dk/2π |k|/m C_n(k),     C_n(k) = (−i∂_λ)^n χ(k; λ)|_{λ=0},

with the per-mode generating function χ of the number of particles of momentum k crossing the
line, each carrying the charge ε(k) = sign(k). The state is quasi-free (eq. 33), so the
particle number N_k of mode k is Bernoulli(d_mix) for fermions,
χ = ln(1 − d + d e^{iλε}) (eq. 64), and geometric for bosons, χ = −ln(1 + d − d e^{iλε}),
whose counting distribution has infinitely many teeth. The cumulants of N_k are polynomials in
d from the exponential-family recursion κ_{n+1}(d) = d(1 ∓ d) dκ_n/dd, κ_1 = d.

The entropy-production operator (eq. 95) transfers γ_21(k) = γ_2(k) − γ_1(k) per particle
(eq. 109); its zero-frequency moments are W_n[Ṡ] = ∫ dk/2π |k|/m M_n(k) (eq. 107) with
M_n(k) = (ε γ_21)^n E[N_k^n] (eq. 110 for fermions, where E[N^n] = d).

The functions taking ``self`` are bound as methods of :class:`~thermoflux.mixture.MixtureState`
(``state.noise()``, ``state.current_cumulants(...)``, ...): call them there.
"""

from __future__ import annotations

from math import comb
from typing import TYPE_CHECKING, Any

import numpy as np

from thermoflux.errors import InputError
from thermoflux.flows import Noise

if TYPE_CHECKING:
    from thermoflux.mixture.state import MixtureState

# The functions taking ``self`` are MixtureState methods (bound in state.py), not listed here.
__all__ = ["mode_cumulant_polynomial", "order_of"]


def order_of(n: Any, name: str = "n", minimum: int = 1) -> int:
    """``n`` as an int >= ``minimum`` (an order of a cumulant or moment); InputError naming ``name``."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < minimum:
        raise InputError(f"{name} must be an integer >= {minimum}; got {n!r}")
    return int(n)


def mode_cumulant_polynomial(n: int, statistics: str) -> np.polynomial.Polynomial:
    """κ_n(d), the n-th cumulant of a mode's particle number as a polynomial in its occupation d.

    Fermions (Bernoulli): κ_{n+1} = d(1 − d) κ_n'; bosons (geometric): κ_{n+1} = d(1 + d) κ_n';
    κ_1 = d. So κ_2 = d(1 ∓ d), κ_3 = d(1 ∓ d)(1 ∓ 2d), ...
    """
    n = order_of(n)
    sign = -1.0 if statistics == "fermion" else 1.0
    poly = np.polynomial.Polynomial([0.0, 1.0])
    factor = np.polynomial.Polynomial([0.0, 1.0, sign])
    for _ in range(n - 1):
        poly = factor * poly.deriv()
    return poly


def _mode_moments(d: np.ndarray, n: int, statistics: str) -> np.ndarray:
    """Raw moment E[N^n] of a mode with occupation d (from its cumulants)."""
    if statistics == "fermion":
        return d
    kappa = [mode_cumulant_polynomial(j, statistics)(d) for j in range(1, n + 1)]
    moments = [np.ones_like(d)]
    for m in range(1, n + 1):
        moments.append(sum(comb(m - 1, j - 1) * kappa[j - 1] * moments[m - j] for j in range(1, m + 1)))
    return moments[n]


def fcs_probabilities(self: MixtureState, k: Any) -> tuple[Any, Any, Any]:
    """Probabilities of the three-tooth counting distribution (seed 000, eqs. 67–68).

    p_12(k) = θ(k) d_mix(k) (one particle from R_1 to R_2), p(k) = 1 − d_mix(k) (no transfer),
    p_21(k) = θ(−k) d_mix(k) (one particle from R_2 to R_1); they sum to one (eq. 69) and are
    non-negative (eq. 70).

    Parameters
    ----------
    k : array_like
        Momenta. The state must be fermionic (bosons have infinitely many teeth:
        :meth:`counting_distribution`).

    Returns
    -------
    tuple of ndarray, each of shape S + k.shape
        (p_12, p, p_21), dimensionless.
    """
    if self.statistics != "fermion":
        raise InputError("fcs_probabilities: the three-tooth comb of eq. 67 is fermionic (Pauli principle); "
                         "for bosons use counting_distribution")
    k = np.asarray(k, dtype=float)
    d = np.asarray(self.distribution(k))
    right = k >= 0  # k = 0 carries no current; counted with k > 0 as in counting_distribution
    p12 = np.where(right, d, 0.0)
    p21 = np.where(right, 0.0, d)
    p = 1.0 - d
    return tuple(x if np.ndim(x) else float(x) for x in (p12, p, p21))  # type: ignore[return-value]


def counting_distribution(self: MixtureState, k: Any, *, max_transfer: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Teeth of the counting distribution ρ[j](k; ξ) = Σ_n P_k(n) δ(ξ − n ε(k)) (eqs. 66–67).

    Fermions: P(0) = 1 − d, P(1) = d (eq. 68). Bosons: P(n) = d^n/(1 + d)^{n+1} for
    n = 0, 1, 2, ... (the many-tooth comb of a geometric mode; the tail above ``max_transfer``
    carries probability (d/(1 + d))^{max_transfer+1}).

    Parameters
    ----------
    k : array_like
        Momenta (k = 0 counts as k > 0; it carries no current).
    max_transfer : int, default 1
        Largest number of transferred particles listed (fermions need only 1).

    Returns
    -------
    transfers : ndarray of int, shape (2 max_transfer + 1,)
        −max_transfer, ..., max_transfer: the particle number moved from R_1 to R_2.
    probabilities : ndarray, shape S + k.shape + (2 max_transfer + 1,)
        Probability of each tooth.
    """
    m = order_of(max_transfer, "max_transfer")
    k = np.asarray(k, dtype=float)
    d = np.asarray(self.distribution(k))
    n = np.arange(m + 1)
    if self.statistics == "fermion":
        pn = np.zeros(d.shape + (m + 1,))
        pn[..., 0] = 1.0 - d
        pn[..., 1] = d
    else:
        q = d / (1.0 + d)
        pn = (1.0 - q)[..., None] * q[..., None] ** n
    transfers = np.arange(-m, m + 1)
    probs = np.zeros(d.shape + (2 * m + 1,))
    right = np.broadcast_to(k >= 0, d.shape)[..., None]
    probs[..., m:] = np.where(right, pn, 0.0)
    probs[..., m::-1] += np.where(right, 0.0, pn)
    return transfers, probs


def generating_function(self: MixtureState, k: Any, counting_field: Any) -> np.ndarray:
    """Per-mode cumulant generating function χ(k; λ) (seed 000, eq. 64).

    Fermions: χ = ln[1 − d_mix + d_mix e^{iλε(k)}]; bosons: χ = −ln[1 + d_mix − d_mix e^{iλε(k)}],
    ε(k) = sign(k). Complex array of the broadcast shape of S + k.shape and ``counting_field``
    (real λ; complex λ gives the analytic continuation, e.g. for contour derivatives).
    """
    k = np.asarray(k, dtype=float)
    lam = np.asarray(counting_field)
    if not np.issubdtype(lam.dtype, np.number) or not np.all(np.isfinite(lam)):
        raise InputError("counting_field must be finite numbers (complex values continue χ analytically)")
    d = np.asarray(self.distribution(k))
    phase = np.exp(1j * lam * np.where(k >= 0, 1.0, -1.0))
    if self.statistics == "fermion":
        return np.log(1.0 - d + d * phase)
    return -np.log(1.0 + d - d * phase)


def current_cumulants(self: MixtureState, reservoir: Any, max_order: int) -> dict[int, Any]:
    """Scaled cumulants κ_n of the particles leaving ``reservoir``, n = 1..max_order (seed 000, eqs. 62–64).

    κ_n = ±W_n^conn[j] with the zero-frequency connected correlators of the bulk current,
    W_n^conn[j] = ∫ dk/2π |k|/m ε(k)^n κ_n(d_mix(k)) (eq. 62) and κ_n(d) of
    :func:`mode_cumulant_polynomial`; the sign is + for reservoir 0 (the bulk current leaves
    G_1) and (−1)^n for reservoir 1 (its outflow is −j). Same calling convention and return
    shape as :meth:`thermoflux.landauer.Junction.current_cumulants`.

    Parameters
    ----------
    reservoir : int or str
        The reservoir whose outflow is counted: index (0 = G_1, 1 = G_2) or name. With N > 2
        reservoirs (Sec. 4) the bulk current still runs from G_1 to G_2, so 0 and 1 are allowed.
    max_order : int
        Highest cumulant, >= 1.

    Returns
    -------
    dict
        order n → κ_n per unit time (particles^n/time; a float, or an array of shape S for
        array parameters). κ_1 is the mean current out of ``reservoir`` (DESIGN.md sign), κ_2
        the zero-frequency noise ``noise()[name, name]``.
    """
    i = self.reservoir_index(reservoir, "reservoir")
    if i > 1:
        raise InputError(f"reservoir: seed 000 counts the bulk current through the gates G_1, G_2 "
                         f"(reservoirs 0 and 1, eq. 62); got {reservoir!r}")
    order = order_of(max_order, "max_order")
    g = self.grid
    speed = np.abs(g.velocity)
    out: dict[int, Any] = {1: self.particle_current()}
    for n in range(2, order + 1):
        poly = mode_cumulant_polynomial(n, self.statistics)
        out[n] = g.integrate(speed * (poly(g.d_plus) + (-1.0) ** n * poly(g.d_minus)))
    orient = 1.0 if i == 0 else -1.0
    return {n: _scale(value, orient ** n) for n, value in out.items()}


def _scale(value: Any, factor: float) -> Any:
    return value * factor if np.ndim(value) else float(value) * factor


def noise(self: MixtureState) -> Noise:
    """Zero-frequency noise matrix S_αβ = ∫dt ⟨δI_α(t) δI_β(0)⟩ of the two reservoirs' outflows.

    I_0 = j and I_1 = −j (eq. 77), so S = P_0 [[1, −1], [−1, 1]] with the noise power of the
    bulk current P_0 = ∫ dk/2π |k|/m d_mix(k)[1 ∓ d_mix(k)] (seed 000, eq. 117). The same
    :class:`thermoflux.Noise` as :meth:`thermoflux.landauer.Junction.noise`: rows and columns
    are the reservoirs in :attr:`names` order, currents out of the reservoirs, rows sum to zero.

    Returns
    -------
    thermoflux.Noise
        Particle counting (particles²/time, ħ = e = 1); ``matrix`` of shape S + (2, 2): a state
        with array parameters of shape S carries one 2×2 matrix per parameter point in the
        leading axes. P_0 = ``noise[a, a]`` >= 0 (eq. 118); at equilibrium
        P_0 = 1/(πβ(1 + e^{−βμ})) for fermions (eq. 119), 1/(2πβ) at μ = 0 (Johnson–Nyquist,
        eq. 120). No thermal/shot split (None).
    """
    self.require_two_gates("noise")
    g = self.grid
    sign = -1.0 if self.statistics == "fermion" else 1.0
    dp, dm = g.d_plus, g.d_minus
    p0 = np.asarray(g.integrate(np.abs(g.velocity) * (dp * (1.0 + sign * dp) + dm * (1.0 + sign * dm))))
    return Noise(self.names, p0[..., None, None] * np.array([[1.0, -1.0], [-1.0, 1.0]]),
                 "particle", method="mixture (seed 000)")


def entropy_production_moment(self: MixtureState, n: int, *, return_error: bool = False) -> Any:
    """Zero-frequency moment W_n[Ṡ] = ∫ dk/2π |k|/m M_n(k) of the entropy production (eqs. 107–113).

    M_n(k) = (ε(k) γ_21(k))^n E[N_k^n]: for fermions γ_21^n [p_12 + (−1)^n p_21] (eq. 110), so
    W_{2l} = ∫ |k|/m γ_21^{2l} d_mix (eq. 111, > 0 by eq. 112) and
    W_{2l+1} = ∫_0^∞ dk/2π (k/m) γ_21^{2l+1} [d_1 − d_2] I(k) (eq. 113, > 0 when I > 0, eq. 114).
    For bosons E[N^n] are the moments of the geometric mode.

    Returns
    -------
    float or ndarray of shape S
        (entropy)^n per unit time (k_B = 1); n = 1 is ⟨Ṡ⟩ of eq. 96.
    """
    n = order_of(n)
    self.require_two_gates("entropy_production_moment")
    if n == 1:
        return self.entropy_production(return_error=return_error)
    g = self.grid
    gamma21 = g.log_odds[1] - g.log_odds[0]
    sign = (-1.0) ** n
    mp = _mode_moments(g.d_plus, n, self.statistics)
    mm = _mode_moments(g.d_minus, n, self.statistics)
    if n % 2 and self.statistics == "fermion":
        # eq. 113: the odd moment from the imbalance, without the cancellation of d(k) − d(−k)
        occ = g.occupation
        values = g.velocity * gamma21 ** n * (occ[0] - occ[1]) * g.imbalance[0]
    else:
        values = np.abs(g.velocity) * gamma21 ** n * (mp + sign * mm)
    return g.integrate(values, return_error)


def entropy_production_distribution(self: MixtureState, k: Any, *, max_transfer: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Teeth of ρ[Ṡ](k; σ) (seed 000, eq. 108): σ = n ε(k) γ_21(k) with the counting probabilities.

    Fermions: p_12 at σ = γ_21(k), p at 0, p_21 at −γ_21(k) (eq. 108). Bosons: the many-tooth
    version, n transferred particles carrying n γ_21.

    Returns
    -------
    positions : ndarray, shape S + k.shape + (2 max_transfer + 1,)
        Entropy produced by each event (k_B = 1).
    probabilities : ndarray, same shape
        Their probabilities (those of :meth:`counting_distribution`).
    """
    self.require_two_gates("entropy_production_distribution")
    transfers, probs = counting_distribution(self, k, max_transfer=max_transfer)
    _, _, x = self.modes_at(k)
    gamma21 = x[1] - x[0]
    positions = transfers * np.broadcast_to(gamma21, probs.shape[:-1])[..., None]
    return positions, probs

"""Closed forms of the three-level example of seed 002 (Sec. VI, eqs. 94-113), used by ``reproduce``.

Seed-specific formulas (and the printed versions of the seed's typos) that reproduce/seed002.py
checks against the general :class:`~thermoflux.master_equation.StochasticLimit`; they are not
part of ``thermoflux.master_equation``.

Levels ε_1 < ε_2 < ε_3 (indices 0, 1, 2) coupled by one bosonic field whose occupation is
n(ω) = 1/(e^{β(ω)ω} − 1) (eq. 95, a :class:`~thermoflux.TemperatureFunction`, or any
distribution). The single cycle 1 → 2 → 3 → 1 carries a current whenever
δ = x(ω_21) − x(ω_31) + x(ω_32) ≠ 0, x(ω) = β(ω)ω the log-odds (eqs. 106, 111).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from thermoflux._validation import as_real_array
from thermoflux.distributions import Distribution
from thermoflux.errors import InputError
from thermoflux.master_equation import Field, StochasticLimit, System

__all__ = [
    "three_level_model",
    "three_level_rates",
    "cycle_affinity",
    "spanning_tree_sum",
    "three_level_currents",
    "unnormalized_cycle_currents",
    "three_level_rate_matrix",
    "inversion_condition",
]


def _levels(energies: Sequence[float]) -> np.ndarray:
    e = as_real_array(energies, "energies", ndim=1)
    if e.shape != (3,) or not (e[0] < e[1] < e[2]):
        raise InputError(f"energies must be three increasing levels ε_1 < ε_2 < ε_3; got {e!r}")
    return e


def three_level_model(energies: Sequence[float], distribution: Distribution,
                      spectral_density: Callable | float, dipoles: Sequence[complex] = (1.0, 1.0, 1.0)) -> StochasticLimit:
    """The model of seed 002, eq. 94: one field, D with ⟨1|D|2⟩ = d_21, ⟨2|D|3⟩ = d_32, ⟨1|D|3⟩ = d_31.

    ``dipoles`` = (d_21, d_32, d_31); d_21 = 0 is the case of eqs. 107-108.
    """
    e = _levels(energies)
    d21, d32, d31 = (complex(d) for d in dipoles)
    dop = np.zeros((3, 3), dtype=complex)
    dop[0, 1], dop[1, 2], dop[0, 2] = d21, d32, d31
    return StochasticLimit(System(e, {"field": dop}), {"field": Field(distribution, spectral_density)})


def three_level_rates(model: StochasticLimit) -> dict[str, float]:
    """Rates Γ_±(ω_21), Γ_±(ω_32), Γ_±(ω_31) (including |d|²) as a dict "minus21", "plus21", ..."""
    t = model.transitions
    out = {f"{s}{k}": 0.0 for s in ("minus", "plus") for k in ("21", "32", "31")}
    for up, lo, em, ab in zip(t.upper, t.lower, t.emission, t.absorption):
        key = f"{up + 1}{lo + 1}"
        out["minus" + key] += em
        out["plus" + key] += ab
    return out


def cycle_affinity(model: StochasticLimit) -> float:
    """δ = x(ω_21) − x(ω_31) + x(ω_32), x the field's log-odds (seed 002, eqs. 106, 111).

    For a temperature function x(ω) = β(ω)ω; δ = 0 is detailed balance (eq. 106).
    """
    e = model.system.energies
    name = model.system.field_names[0]
    x = model.fields[name].log_odds(np.array([e[1] - e[0], e[2] - e[0], e[2] - e[1]]), name)
    return float(x[0] - x[1] + x[2])


def spanning_tree_sum(rates: dict[str, float]) -> float:
    """c of seed 002, eq. 104c: the sum of the 9 rooted spanning trees (= product of the non-zero eigenvalues of A)."""
    p21, p32, p31 = rates["plus21"], rates["plus32"], rates["plus31"]
    m21, m32, m31 = rates["minus21"], rates["minus32"], rates["minus31"]
    return (p21 * p32 + p21 * m31 + p21 * m32 + p31 * m21 + p31 * p32 + p31 * m32
            + m21 * m31 + m21 * m32 + p32 * m31)


def three_level_rate_matrix(rates: dict[str, float], *, as_printed: bool = False) -> np.ndarray:
    """The matrix A of dρ/dt = −A ρ for three levels (seed 002, eq. 103).

    Notes
    -----
    As printed, eq. 103 has A_22 = Γ_−(ω_21) + Γ_+(ω_31) and A_33 = Γ_−(ω_21) + Γ_−(ω_32); the
    escape rates of levels 2 and 3 are Γ_−(ω_21) + Γ_+(ω_32) and Γ_−(ω_31) + Γ_−(ω_32), which make
    the columns sum to zero (probability conservation) and the trace equal b of eq. 104b.
    ``as_printed=True`` returns the printed matrix (``test_seed002_three_level.py`` shows it fails both).
    """
    p21, p32, p31 = rates["plus21"], rates["plus32"], rates["plus31"]
    m21, m32, m31 = rates["minus21"], rates["minus32"], rates["minus31"]
    a22 = m21 + p31 if as_printed else m21 + p32
    a33 = m21 + m32 if as_printed else m31 + m32
    return np.array([[p21 + p31, -m21, -m31],
                     [-p21, a22, -m32],
                     [-p31, -p32, a33]])


def unnormalized_cycle_currents(model: StochasticLimit) -> dict[str, float]:
    """Seed 002, eq. 109a as printed, with I = K_21 K_32 K_31 (K = J(ω)|d|², the rates per (1 ± n)).

    J_mn = (−1)^{m+n+1} (e^δ − 1)/((e^{x_21} − 1)(e^{x_32} − 1)(1 − e^{−x_31})) · I. It lacks the
    normalization of the stationary state: the true micro-currents are these divided by the
    spanning-tree sum c of eq. 104c (:func:`three_level_currents`).
    """
    e = model.system.energies
    name = model.system.field_names[0]
    field = model.fields[name]
    omegas = np.array([e[1] - e[0], e[2] - e[1], e[2] - e[0]])
    x21, x32, x31 = field.log_odds(omegas, name)
    k = dict(zip(("21", "32", "31"), field.spectral_values(omegas, name)))
    t = model.transitions
    for up, lo, amp in zip(t.upper, t.lower, t.amplitude):
        k[f"{up + 1}{lo + 1}"] *= abs(amp) ** 2
    delta = x21 - x31 + x32
    big_i = k["21"] * k["32"] * k["31"]
    core = np.expm1(delta) / (np.expm1(x21) * np.expm1(x32) * -np.expm1(-x31)) * big_i
    return {"21": core, "32": core, "31": -core}


def three_level_currents(model: StochasticLimit) -> dict[str, float]:
    """Closed-form stationary micro-currents J_21 = J_32 = −J_31 = (eq. 109a)/c (seed 002, eqs. 104c, 109).

    The single cycle carries J = (Π backward − Π forward rates)/c emitted into the field at
    ω_21 and ω_32, absorbed at ω_31; c is the spanning-tree sum of eq. 104c.
    """
    c = spanning_tree_sum(three_level_rates(model))
    return {k: v / c for k, v in unnormalized_cycle_currents(model).items()}


def inversion_condition(energies: Sequence[float], beta_of_energy: Callable, *, as_printed: bool = False) -> bool:
    """Whether ρ_22 > ρ_11 when ⟨1|D|2⟩ = 0 (seed 002, eqs. 107-108).

    Corrected: β(ε_3 − ε_2) > (ε_3 − ε_1)/(ε_3 − ε_2) · β(ε_3 − ε_1), which is X > 1 of eq. 107a
    (β(ω_32)ω_32 > β(ω_31)ω_31). Eq. 108 as printed (``as_printed=True``) has the factor
    (ε_2 − ε_1)/(ε_3 − ε_2); ``test_seed002_three_level.py::test_inversion_condition`` finds a case where
    the printed condition holds and there is no inversion.
    """
    e = _levels(energies)
    w32, w31, w21 = e[2] - e[1], e[2] - e[0], e[1] - e[0]
    b32 = float(beta_of_energy(w32))
    b31 = float(beta_of_energy(w31))
    factor = (w21 if as_printed else w31) / w32
    return b32 > factor * b31

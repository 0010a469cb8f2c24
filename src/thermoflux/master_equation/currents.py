"""Micro-currents per field and Bohr frequency, and the macro-currents as Flows (seed 002, eqs. 36-43).

J_{j,mn} = Γ_−,j(ω_mn)|⟨n|D_j|m⟩|² ρ_mm − Γ_+,j(ω_mn)|⟨n|D_j|m⟩|² ρ_nn (eq. 38a, with
Γ = 2 Re γ) is the number of quanta per unit time emitted into field j by the transition m → n
(the paper's sign: positive into the field); J^E_{j,mn} = ω_mn J_{j,mn} (eq. 38b).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from thermoflux.flows import Flows
from thermoflux.master_equation.generator import Transitions, class_pairs
from thermoflux.master_equation.system import Field, System

__all__ = ["transition_currents", "field_totals", "field_entropy_rates", "build_flows"]


def transition_currents(transitions: Transitions, state: np.ndarray) -> np.ndarray:
    """Quanta emitted per unit time into the field by each transition (seed 002, eqs. 36a, 38a).

    ``state`` is either the populations (shape (N,)) or a density matrix (shape (N, N)). With a
    density matrix, coherences between degenerate levels that the grouped jump operator E_ω
    connects are included: the emission of a class is tr(Γ_− E_ω†E_ω ρ) − tr(Γ_+ E_ω E_ω† ρ)
    (eq. 35a), shared among its transitions as Re(c_p* Σ_q c_q ρ_{m_q m_p}); without degeneracy
    this is eq. 38a exactly.
    """
    t = transitions
    state = np.asarray(state)
    if state.ndim == 1:
        return t.emission * state[t.upper] - t.absorption * state[t.lower]
    cls, to, frm, amp, rate, _ = t.jump_entries()
    coeff = np.sqrt(rate) * amp
    p, q = class_pairs(cls)
    same = to[p] == to[q]
    p, q = p[same], q[same]
    vals = np.zeros(cls.size, dtype=complex)
    np.add.at(vals, p, coeff[p].conj() * coeff[q] * state[frm[q], frm[p]])
    vals = vals.real
    return vals[: t.size] - vals[t.size:]


def field_totals(transitions: Transitions, currents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per field, total quanta and energy emitted into it per unit time (seed 002, eq. 43, corrected).

    Notes
    -----
    Seed 002, eqs. 42-43 write the macro-current as Σ_m (Σ_{n<m} J^E_{1,mn} − Σ_{n>m} J^E_{1,nm}),
    which vanishes identically (both double sums run over the same pairs). The energy emitted into
    field j is Σ_{m>n} J^E_{j,mn}, and Σ_j of it equals −d tr(H_S ρ)/dt, as eq. 42 intends;
    ``tests/master_equation/test_currents.py::test_eq42_as_printed_vanishes`` shows both.
    """
    n_fields = len(transitions.fields)
    quanta = np.bincount(transitions.field, weights=currents, minlength=n_fields)
    energy = np.bincount(transitions.field, weights=currents * transitions.omega, minlength=n_fields)
    return quanta, energy


def field_entropy_rates(transitions: Transitions, fields: Mapping[str, Field], currents: np.ndarray) -> np.ndarray:
    """dS_j/dt = Σ_{mn} J_{j,mn} x_j(ω_mn), x = ln((1 ± n)/n) the field's log-odds.

    Each quantum added to a field mode of occupation n raises its entropy by ds/dn = x(ω); for a
    thermal field x = β(ω − μ) and this is −J^Q_j/T_j in the DESIGN sign. Summed over fields it is
    the Schnakenberg entropy production Σ J ln(Γ_−/Γ_+) >= 0 in a steady state.
    """
    out = np.zeros(len(transitions.fields))
    for j, name in enumerate(transitions.fields):
        sel = transitions.field == j
        if not np.any(sel):
            continue
        x = fields[name].log_odds(transitions.omega[sel], name)
        cur = currents[sel]
        with np.errstate(invalid="ignore"):
            contrib = np.where(cur == 0, 0.0, cur * x)
        out[j] = contrib.sum()
    return out


def build_flows(system: System, fields: Mapping[str, Field], transitions: Transitions,
                currents: np.ndarray, *, method: str) -> Flows:
    """Flows in the DESIGN sign (out of each field into the system) from the stationary currents.

    particle[j] = −Σ J_{j,mn}, energy[j] = −Σ ω_mn J_{j,mn}; entropy of every field from
    :func:`field_entropy_rates` (for a thermal field it equals −J^Q/T, which the tests check
    against ``flows.heat``). In a steady state the system
    rates of energy and entropy are 0. When the system has ``particle_numbers`` the particle
    balance Σ_j J^N_j = Σ_l N_l dρ_ll/dt = 0 is a real check; without them the coupling does not
    conserve the fields' quanta and the flows say so (``conserves_particles=False``), so no
    particle balance is asserted.
    """
    quanta, energy = field_totals(transitions, currents)
    entropy = field_entropy_rates(transitions, fields, currents)
    names = transitions.fields
    reservoirs = {k: fields[k].distribution for k in names}
    particle = {k: -float(quanta[j]) for j, k in enumerate(names)}
    energy_in = {k: -float(energy[j]) for j, k in enumerate(names)}
    entropy_rates = {k: float(entropy[j]) for j, k in enumerate(names)}
    return Flows.from_currents(reservoirs, particle, energy_in, entropy_rates, method=method,
                               conserves_particles=system.particle_numbers is not None)

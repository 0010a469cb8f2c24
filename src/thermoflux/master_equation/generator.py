"""The stochastic-limit generator: transitions, Pauli rates, Lamb shift and GKSL Liouvillian.

Seed 002, eqs. 15, 20, 22-24: every non-zero matrix element ⟨n|D_j|m⟩ is a transition m → n of
Bohr frequency ω = ε_m − ε_n that emits a quantum into field j at the rate
Γ_−,j(ω)|⟨n|D_j|m⟩|² and absorbs one (n → m) at Γ_+,j(ω)|⟨n|D_j|m⟩|². Transitions of one field
with the same Bohr frequency form one jump operator E_ω (eq. 15b), so degenerate Bohr
frequencies are grouped, not assumed away.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy import integrate

from thermoflux.errors import ConvergenceError, InputError
from thermoflux.master_equation.system import Field, System, group_values

__all__ = ["Transitions", "build_transitions", "pauli_rate_matrix", "liouvillian",
           "lamb_shift_coefficients", "principal_value"]


@dataclass(frozen=True)
class Transitions:
    """All transitions of all fields (one row per non-zero resonant ⟨n|D_j|m⟩).

    Attributes
    ----------
    field : int array — index into ``fields``; upper, lower : int arrays — m (emitting state)
    and n; omega : Bohr frequency ε_m − ε_n; amplitude : ⟨n|D_j|m⟩; emission, absorption :
    Γ_−,j(ω)|D|² (m → n) and Γ_+,j(ω)|D|² (n → m); bohr_class : id of the jump operator E_ω
    (field, grouped Bohr frequency); fields : names.
    """

    field: np.ndarray
    upper: np.ndarray
    lower: np.ndarray
    omega: np.ndarray
    amplitude: np.ndarray
    emission: np.ndarray
    absorption: np.ndarray
    bohr_class: np.ndarray
    fields: tuple[str, ...]

    @property
    def size(self) -> int:
        return int(self.upper.size)

    def jump_entries(self, s_minus: np.ndarray | None = None, s_plus: np.ndarray | None = None):
        """Entries of all jump operators E_ω and E_ω† (seed 002, eq. 15b), emission block first.

        Returns (class, to, from, amplitude a, rate per |a|², shift per |a|²): one entry per
        transition for the emission operator (class ``bohr_class``, to = lower, from = upper) and
        one for its absorption partner (class ``bohr_class + n_classes``, to = upper, from =
        lower). ``s_minus``, ``s_plus`` are the Lamb-shift coefficients per transition (zero if
        not given). Shared inside ``master_equation`` (generator, currents, balance).
        """
        weight = np.abs(self.amplitude) ** 2
        with np.errstate(divide="ignore", invalid="ignore"):
            rate_em = np.where(weight > 0, self.emission / weight, 0.0)
            rate_ab = np.where(weight > 0, self.absorption / weight, 0.0)
        n_cls = int(self.bohr_class.max()) + 1 if self.size else 0
        cls = np.concatenate([self.bohr_class, self.bohr_class + n_cls])
        to = np.concatenate([self.lower, self.upper])
        frm = np.concatenate([self.upper, self.lower])
        amp = np.concatenate([self.amplitude, self.amplitude.conj()])
        rate = np.concatenate([rate_em, rate_ab])
        if s_minus is None:
            shift = np.zeros_like(rate)
        else:
            shift = np.concatenate([s_minus, s_plus])
        return cls, to, frm, amp, rate, shift


def build_transitions(system: System, fields: Mapping[str, Field]) -> Transitions:
    """Enumerate the resonant transitions and their rates (seed 002, eqs. 15b, 22c, 36b).

    Bosonic fields keep only the components with ω > 0 (eq. 22c: Γ = 0 for ω <= 0, beyond the
    degeneracy tolerance); fermionic leads keep every component.
    """
    names = system.field_names
    if not isinstance(fields, Mapping) or set(fields) != set(names):
        got = list(fields) if isinstance(fields, Mapping) else type(fields).__name__
        raise InputError(f"fields must map exactly the coupled field names {list(names)} to Field objects; got {got}")
    cols: dict[str, list[np.ndarray]] = {k: [] for k in
                                         ("field", "upper", "lower", "omega", "amp", "em", "ab", "cls")}
    class_offset = 0
    for j, name in enumerate(names):
        field = fields[name]
        if not isinstance(field, Field):
            raise InputError(f"fields[{name!r}] must be a Field; got {type(field).__name__}")
        coo = system.couplings[name].tocoo()
        lower, upper, amp = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
        omega = system.energies[upper] - system.energies[lower]
        if field.statistics == "boson":
            keep = omega > system.energy_tol
            lower, upper, amp, omega = lower[keep], upper[keep], amp[keep], omega[keep]
        labels = group_values(omega, system.energy_tol)
        weight = np.abs(amp) ** 2
        emit, absorb = field.rates(omega, name)
        cols["field"].append(np.full(omega.size, j, dtype=np.int64))
        cols["upper"].append(upper)
        cols["lower"].append(lower)
        cols["omega"].append(omega)
        cols["amp"].append(amp)
        cols["em"].append(emit * weight)
        cols["ab"].append(absorb * weight)
        cols["cls"].append(labels + class_offset)
        class_offset += int(labels.max()) + 1 if labels.size else 0
    cat = {k: np.concatenate(v) if v else np.zeros(0) for k, v in cols.items()}
    cat["amp"] = cat["amp"].astype(complex)
    for values in cat.values():
        values.setflags(write=False)  # fixed rates: a StochasticLimit caches what it derives from them
    return Transitions(cat["field"], cat["upper"], cat["lower"], cat["omega"],
                       cat["amp"], cat["em"], cat["ab"], cat["cls"], names)


def pauli_rate_matrix(transitions: Transitions, n_levels: int, *, field: int | None = None) -> sp.csr_array:
    """Generator W of the Pauli master equation dp/dt = W p (seed 002, eq. 24; A = −W).

    W[n, m] (n ≠ m) is the total rate m → n; the diagonal is minus the total rate out, so the
    columns sum to zero. ``field`` restricts to one field's transitions.
    """
    sel = slice(None) if field is None else transitions.field == field
    up, lo = transitions.upper[sel], transitions.lower[sel]
    em, ab = transitions.emission[sel], transitions.absorption[sel]
    rows = np.concatenate([lo, up])
    cols = np.concatenate([up, lo])
    vals = np.concatenate([em, ab])
    off = rows != cols
    w = sp.coo_array((vals[off], (rows[off], cols[off])), shape=(n_levels, n_levels)).tocsr()
    out_rates = np.asarray(w.sum(axis=0)).ravel()
    return (w - sp.diags_array(out_rates)).tocsr()


def principal_value(func, c: float, lo: float, hi: float, *, what: str = "integral") -> float:
    """PV ∫_lo^hi func(x)/(x − c) dx with quad's Cauchy weight near c and plain quad elsewhere.

    A pole outside [lo, hi] gives an ordinary integral; a pole on an edge diverges (InputError).
    """
    if c == lo or c == hi:
        raise InputError(f"{what}: the pole ω = {c:.6g} lies on an edge of the field's frequency "
                         f"range ({lo:.6g}, {hi:.6g}), where the Lamb shift diverges logarithmically")
    inside = lo < c < hi
    if inside:
        half = 0.5 * min(c - lo, hi - c, max(1.0, abs(c)))
        a, b = c - half, c + half
    else:
        a = b = lo  # no Cauchy part: one plain integral over [lo, hi]
    total = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error", integrate.IntegrationWarning)
        try:
            if inside:
                val, _ = integrate.quad(lambda x: float(func(x)), a, b, weight="cauchy", wvar=c, limit=200)
                total += val
            if a > lo:
                val, _ = integrate.quad(lambda x: float(func(x)) / (x - c), lo, a, limit=200)
                total += val
            if b < hi:
                val, _ = integrate.quad(lambda x: float(func(x)) / (x - c), b, hi, limit=200)
                total += val
        except integrate.IntegrationWarning as exc:
            raise ConvergenceError(f"{what}: scipy.integrate.quad did not converge for the principal "
                                   f"value at ω = {c:.6g} over ({lo:.6g}, {hi:.6g}): {exc}. Give the field a "
                                   "spectral density that decays, or a finite frequency_range.") from exc
    return total


def lamb_shift_coefficients(transitions: Transitions, fields: Mapping[str, Field]) -> tuple[np.ndarray, np.ndarray]:
    """Per transition, (S_−(ω), S_+(ω)) with H_LS = Σ_ω [S_− E_ω†E_ω + S_+ E_ω E_ω†] (seed 002, eq. 22b).

    S_−(ω) = Im γ_− = −(1/2π) PV∫ dω' Γ_−(ω')/(ω' − ω) and S_+(ω) = −Im γ_+ =
    (1/2π) PV∫ dω' Γ_+(ω')/(ω' − ω), with Γ_∓ the rates per unit |D|² (eq. 20).

    Notes
    -----
    Seed 002, eq. 22b prints Δ = i Σ (Im γ_− E†E − Im γ_+ E E†); the factor i would make Δ
    anti-Hermitian, contradicting Δ = Δ† stated before eq. 68a and the GKSL form. We use
    Δ = Σ (Im γ_− E†E − Im γ_+ E E†), which is second-order perturbation theory for the level
    shifts; ``tests/master_equation/test_generator.py::test_lamb_shift_closed_form`` checks it
    against the closed form for a flat band at zero temperature.
    """
    s_minus = np.zeros(transitions.size)
    s_plus = np.zeros(transitions.size)
    for j, name in enumerate(transitions.fields):
        field = fields[name]
        sel = np.flatnonzero(transitions.field == j)
        if sel.size == 0:
            continue
        lo, hi = field.frequency_range
        classes, inverse = np.unique(transitions.bohr_class[sel], return_inverse=True)
        for k in range(classes.size):
            members = sel[inverse == k]
            omega = float(np.mean(transitions.omega[members]))
            what = f"Lamb shift of field {name!r}"
            emit = principal_value(lambda x: field.rates(np.asarray(x), name)[0], omega, lo, hi, what=what)
            absorb = principal_value(lambda x: field.rates(np.asarray(x), name)[1], omega, lo, hi, what=what)
            s_minus[members] = -emit / (2 * np.pi)
            s_plus[members] = absorb / (2 * np.pi)
    return s_minus, s_plus


def class_pairs(cls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (p, p') of jump entries in the same class (all ordered pairs, p = p' included).

    Shared inside ``master_equation`` (generator, currents) with :meth:`Transitions.jump_entries`;
    listed in no ``__all__``: not part of the public surface.
    """
    order = np.argsort(cls, kind="stable")
    sorted_cls = cls[order]
    starts = np.flatnonzero(np.r_[True, sorted_cls[1:] != sorted_cls[:-1]])
    sizes = np.diff(np.r_[starts, sorted_cls.size])
    singles = order[starts[sizes == 1]]
    ps, qs = [singles], [singles]
    for start, size in zip(starts[sizes > 1], sizes[sizes > 1]):
        members = order[start:start + size]
        p, q = np.meshgrid(members, members, indexing="ij")
        ps.append(p.ravel())
        qs.append(q.ravel())
    return np.concatenate(ps), np.concatenate(qs)


def lamb_shift_hamiltonian(transitions: Transitions, n_levels: int, s_minus, s_plus) -> sp.csr_array:
    """H_LS = Σ_classes Σ_{p,p'} ½(s_p + s_p') a_p* a_p' |from_p⟩⟨from_p'| over entries with equal 'to'."""
    cls, to, frm, amp, _, shift = transitions.jump_entries(s_minus, s_plus)
    p, q = class_pairs(cls)
    same = to[p] == to[q]
    p, q = p[same], q[same]
    vals = 0.5 * (shift[p] + shift[q]) * amp[p].conj() * amp[q]
    return sp.coo_array((vals, (frm[p], frm[q])), shape=(n_levels, n_levels)).tocsr()


def liouvillian(system: System, transitions: Transitions, *, lamb_shift: sp.csr_array | None = None,
                picture: str = "schrodinger") -> sp.csr_array:
    """GKSL generator of seed 002, eq. 22a, as a sparse N²×N² matrix acting on column-stacked ρ.

    dρ/dt = −i[H, ρ] + Σ_k (L_k ρ L_k† − ½{L_k†L_k, ρ}), with H = H_S + H_LS (Schrödinger picture)
    or H_LS (interaction picture, as printed in eq. 22a), and one jump operator per field and
    grouped Bohr frequency: L = Σ_p √Γ_−(ω_p) ⟨n_p|D|m_p⟩ |n_p⟩⟨m_p| (emission) and its
    absorption partner with Γ_+. vec(ρ)[i + N j] = ρ_ij.
    """
    n = system.n_levels
    cls, to, frm, amp, rate, _ = transitions.jump_entries()
    coeff = np.sqrt(rate) * amp
    p, q = class_pairs(cls)
    # jump term L X L†: (a, b) <- (c, d) with value c_p conj(c_q), a = to_p, b = to_q
    rows_j = to[p] + n * to[q]
    cols_j = frm[p] + n * frm[q]
    vals_j = coeff[p] * coeff[q].conj()
    # K = Σ L†L: entries with to_p == to_q: conj(c_p) c_q |frm_p><frm_q|
    same = to[p] == to[q]
    k = sp.coo_array((coeff[p[same]].conj() * coeff[q[same]], (frm[p[same]], frm[q[same]])),
                     shape=(n, n)).tocsr()
    if picture == "schrodinger":
        h = sp.diags_array(system.energies.astype(complex)).tocsr()
    elif picture == "interaction":
        h = sp.csr_array((n, n), dtype=complex)
    else:
        raise InputError(f"picture must be 'schrodinger' or 'interaction'; got {picture!r}")
    if lamb_shift is not None:
        h = h + lamb_shift
    eye = sp.identity(n, dtype=complex, format="csr")
    jumps = sp.coo_array((vals_j, (rows_j, cols_j)), shape=(n * n, n * n)).tocsr()
    effective = -1j * h - 0.5 * k  # X -> G X + X G†, G = −iH − K/2
    lv = sp.kron(eye, effective) + sp.kron(effective.conj(), eye) + jumps
    return sp.csr_array(lv)

"""Audits: does a model stay in the regime where its method holds? (issue 12)

A number from a master equation at Γ ≫ k_B T, or from a finite-bath run past its recurrence
time, looks as trustworthy as a good one. An audit measures the quantities that control a
method's validity (Γ/k_BT, Γτ_B, Bohr-frequency splittings over Γ, t/t_rec, ...) and returns a
:class:`Report` of :class:`Finding` objects, each with a stable check id, a severity, the
measured value, the threshold it crossed, one line with the remedy and a reference.

This module holds the framework and the checks that apply to any :class:`~thermoflux.Flows`
(:func:`audit_flows`): the second and zeroth laws with a scale-aware noise floor, heat
bookkeeping that leaves out μ where particles flow, and a non-thermal reservoir left out of σ.
Each method adds its own checks in ``<method>/audit.py``, reached through an ``audit()``
method on its model object; the core never imports a method (DESIGN.md).

Thresholds
----------
Every check has a pair ``(warn, error)`` in :data:`DEFAULT_THRESHOLDS`, in the units of the
value it measures (documented with each check); a user overrides any of them with
``audit(thresholds={"weak-coupling": (0.05, 0.5)})``. Unknown ids raise
:class:`~thermoflux.InputError` naming them. A check flags values above its thresholds
(weak-coupling, markov, ...) or below them (secular, continuum, bandwidth, integration-range);
``math.inf`` disables a tier of the former, ``-math.inf`` one of the latter.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from thermoflux.errors import InputError
from thermoflux.flows import Flows

__all__ = [
    "Finding",
    "Report",
    "DEFAULT_THRESHOLDS",
    "SEVERITIES",
    "NOISE_FACTOR",
    "resolve_thresholds",
    "classify",
    "audit_flows",
]

SEVERITIES = ("error", "warning", "info")

#: Rounding noise of a sum of n terms of magnitudes |a_i| is <= n·eps·Σ|a_i|; the flows of every
#: method here are sums or quadratures of at most ~1e3 rounded terms per reservoir, so a
#: violation smaller than NOISE_FACTOR·eps·(gross scale) cannot be told from rounding.
NOISE_FACTOR = 1e3

#: (warn, error) of every check, in the units of the value it measures.
DEFAULT_THRESHOLDS: dict[str, tuple[float, float]] = {
    # any Flows: multiples k of eps·(gross scale) (the noise floor); both tiers error
    "second-law": (NOISE_FACTOR, NOISE_FACTOR),
    "zeroth-law": (NOISE_FACTOR, NOISE_FACTOR),
    "chemical-potential": (NOISE_FACTOR, NOISE_FACTOR),
    "nonthermal-entropy": (NOISE_FACTOR, NOISE_FACTOR),
    # master equation (seed 002; Breuer & Petruccione, Sec. 3.3)
    "weak-coupling": (0.1, 1.0),        # Γ/k_BT and Γ/ω_min
    "markov": (0.1, 1.0),               # Γ·τ_B
    "secular": (10.0, 1.0),             # Bohr-frequency splitting / Γ (warn below 10, error below 1)
    "detailed-balance": (1e-6, math.inf),  # relative spread of the implied temperatures
    # finite baths (seed 001)
    "recurrence": (1.0, math.inf),      # t_max / t_rec, t_rec = 2π/Δε
    "continuum": (5.0, 1.0),            # Γ/Δε, modes within the level width (warn below 5, error below 1)
    "bandwidth": (10.0, 0.0),           # margin of the band beyond the levels and μ / max(T, Γ)
    "heat-capacity": (0.1, math.inf),   # estimated drift ΔT/T of a bath's temperature by t_max
    # Landauer (seed 004)
    # (bosonic-mu is information only, with nothing to tune: it has no thresholds)
    "wide-band": (1e-6, 1e-3),          # share of ∫|E g(E)| dE per e-fold of energy at 1000x the core range
    "integration-range": (30.0, 10.0),  # distance of the range edge from μ in units of T
    # harmonic networks (seed 003)
    "local-lindblad": (0.1, 1.0),       # local vs normal-mode drive of a bath pair / largest drive
    "stability": (-1e-9, -1e-12),       # max Re λ(drift) / max damping rate (flagged above)
}


@dataclass(frozen=True)
class Finding:
    """One result of one check.

    Attributes
    ----------
    check : str
        Stable id of the check (e.g. ``"weak-coupling"``; :data:`DEFAULT_THRESHOLDS` lists those with thresholds).
    severity : {"error", "warning", "info"}
    value : float
        The measured quantity (units as documented by the check).
    threshold : float
        The threshold it crossed (or the one it is compared with, for "info").
    message : str
        One line: what was measured, why it matters and the remedy.
    reference : str or None
        Where the criterion comes from ("Breuer & Petruccione, Sec. 3.3.1"; "seed 001, Sec. III").
    subject : str or None
        The field, reservoir, bath or pair of sites the finding is about.
    """

    check: str
    severity: str
    value: float
    threshold: float
    message: str
    reference: str | None = None
    subject: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise InputError(f"severity must be one of {', '.join(SEVERITIES)}; got {self.severity!r}")
        if not isinstance(self.check, str) or not self.check:
            raise InputError(f"check must be a non-empty id; got {self.check!r}")
        object.__setattr__(self, "value", float(self.value))
        object.__setattr__(self, "threshold", float(self.threshold))

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready: non-finite numbers become strings)."""
        out = asdict(self)
        for key in ("value", "threshold"):
            if not math.isfinite(out[key]):
                out[key] = str(out[key])
        return out


class Report(Sequence):
    """The findings of an audit: a sequence of :class:`Finding`, errors first.

    Attributes
    ----------
    subject : str
        What was audited (e.g. "master_equation: StochasticLimit(3 levels, ...)").
    checks : tuple of str
        The ids of the checks that ran (a check that ran and found nothing is not a finding).
    """

    def __init__(self, findings: Iterable[Finding] = (), *, subject: str = "",
                 checks: Iterable[str] = ()) -> None:
        items = list(findings)
        for f in items:
            if not isinstance(f, Finding):
                raise InputError(f"findings must be Finding objects; got {type(f).__name__}")
        order = {s: i for i, s in enumerate(SEVERITIES)}
        self._findings = tuple(sorted(items, key=lambda f: order[f.severity]))
        self.subject = str(subject)
        self.checks = tuple(dict.fromkeys(list(checks) + [f.check for f in items]))

    # -- sequence -----------------------------------------------------------------------------
    def __getitem__(self, index: Any) -> Any:
        return self._findings[index]

    def __len__(self) -> int:
        return len(self._findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._findings)

    def __add__(self, other: Report) -> Report:
        if not isinstance(other, Report):
            return NotImplemented
        subject = " + ".join(s for s in (self.subject, other.subject) if s)
        return Report(self._findings + other._findings, subject=subject,
                      checks=self.checks + other.checks)

    # -- summaries ----------------------------------------------------------------------------
    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings of severity "error"."""
        return tuple(f for f in self if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings of severity "warning"."""
        return tuple(f for f in self if f.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed; ``thermoflux audit`` exits 0)."""
        return not self.errors

    def by_check(self, check: str) -> tuple[Finding, ...]:
        """The findings of one check id."""
        return tuple(f for f in self if f.check == check)

    # -- output -------------------------------------------------------------------------------
    def table(self, *, severities: Sequence[str] = SEVERITIES) -> str:
        """Printable text: one row per finding (severity, check, subject, value, threshold) and its message."""
        rows = [f for f in self if f.severity in severities]
        head = f"audit of {self.subject}" if self.subject else "audit"
        if not rows:
            ran = ", ".join(self.checks) if self.checks else "none"
            return f"{head}: no findings (checks run: {ran})"
        header = f"{'severity':<9}{'check':<20}{'subject':<16}{'value':>12}{'threshold':>12}"
        lines = [head, header, "-" * len(header)]
        for f in rows:
            lines.append(f"{f.severity:<9}{f.check:<20}{(f.subject or '-'):<16}{f.value:>12.4g}{f.threshold:>12.4g}")
            lines.append(f"    {f.message}" + (f" [{f.reference}]" if f.reference else ""))
        lines.append(f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """{"subject", "ok", "checks", "findings": [Finding.to_dict(), ...]}."""
        return {"subject": self.subject, "ok": self.ok, "checks": list(self.checks),
                "findings": [f.to_dict() for f in self]}

    def to_json(self, **kwargs: Any) -> str:
        """JSON text of :meth:`to_dict` (keyword arguments go to :func:`json.dumps`)."""
        kwargs.setdefault("indent", 2)
        return json.dumps(self.to_dict(), **kwargs)

    def to_dataset(self):
        """An ``xarray.Dataset`` with dim ``finding``: check, severity, subject, value, threshold, message, reference.

        ``attrs`` from :func:`thermoflux.io.result_attrs` (method ``"audit"``), with the subject,
        the checks run and the counts of errors and warnings.
        """
        import xarray as xr

        from thermoflux.io import result_attrs

        n = len(self)
        checks_units = "as documented by each check"

        def text(values: list[Any], long_name: str) -> tuple[str, np.ndarray, dict[str, str]]:
            arr = np.array(["" if v is None else str(v) for v in values], dtype=str if n else "<U1")
            return ("finding", arr, {"long_name": long_name, "units": "1"})

        ds = xr.Dataset(
            {
                "check": text([f.check for f in self], "name of the check"),
                "severity": text([f.severity for f in self], "warning or error"),
                "subject": text([f.subject for f in self], "what the finding is about"),
                "value": ("finding", np.array([f.value for f in self], dtype=float),
                          {"long_name": "measured value", "units": checks_units}),
                "threshold": ("finding", np.array([f.threshold for f in self], dtype=float),
                              {"long_name": "threshold crossed", "units": checks_units}),
                "message": text([f.message for f in self], "what is wrong and what to do"),
                "reference": text([f.reference for f in self], "where the criterion comes from"),
            },
            coords={"finding": ("finding", np.arange(n), {"long_name": "finding index", "units": "1"})},
        )
        ds.attrs.update(result_attrs("audit", subject=self.subject, checks=", ".join(self.checks),
                                     ok=int(self.ok), n_errors=len(self.errors), n_warnings=len(self.warnings)))
        return ds

    def to_html(self) -> str:
        """An HTML fragment (a ``<table class="audit">``) for the reproduction gallery."""
        esc = html.escape
        head = f"<p class=\"audit-summary\">Audit of {esc(self.subject or 'model')}: "
        head += f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        if not len(self):
            return head + f"; checks run: {esc(', '.join(self.checks) or 'none')}.</p>"
        rows = ["<tr><th>severity</th><th>check</th><th>subject</th><th>value</th><th>threshold</th>"
                "<th>message</th><th>reference</th></tr>"]
        for f in self:
            rows.append(f"<tr class=\"{esc(f.severity)}\"><td>{esc(f.severity)}</td><td>{esc(f.check)}</td>"
                        f"<td>{esc(f.subject or '')}</td><td>{f.value:.4g}</td><td>{f.threshold:.4g}</td>"
                        f"<td>{esc(f.message)}</td><td>{esc(f.reference or '')}</td></tr>")
        return head + ".</p>\n<table class=\"audit\">\n" + "\n".join(rows) + "\n</table>"

    def __repr__(self) -> str:
        return (f"Report({self.subject!r}: {len(self.errors)} error(s), {len(self.warnings)} warning(s), "
                f"{len(self) - len(self.errors) - len(self.warnings)} info)")


# -- shared helpers of every audit ----------------------------------------------------------------
def resolve_thresholds(thresholds: Mapping[str, Any] | None, checks: Iterable[str]) -> dict[str, tuple[float, float]]:
    """The defaults of ``checks`` with the user's overrides; InputError naming unknown ids.

    Parameters
    ----------
    thresholds : mapping check id -> (warn, error), or None
        Overrides. Each pair is two numbers (``math.inf`` disables a tier).
    checks : iterable of str
        The ids the calling audit runs; only those with thresholds (in
        :data:`DEFAULT_THRESHOLDS`) may be overridden.
    """
    tunable = tuple(c for c in checks if c in DEFAULT_THRESHOLDS)   # info-only checks have none
    out = {c: DEFAULT_THRESHOLDS[c] for c in tunable}
    if thresholds is None:
        return out
    if not isinstance(thresholds, Mapping):
        raise InputError(f"thresholds must be a mapping check id -> (warn, error); got {type(thresholds).__name__}")
    unknown = sorted(set(thresholds) - set(tunable))
    if unknown:
        raise InputError(f"thresholds: unknown check id(s) {', '.join(map(repr, unknown))} for this audit "
                         f"(known: {', '.join(tunable)})")
    for key, pair in thresholds.items():
        try:
            warn, error = (float(v) for v in pair)
        except (TypeError, ValueError) as exc:
            raise InputError(f"thresholds[{key!r}] must be a pair (warn, error) of numbers; got {pair!r}") from exc
        if math.isnan(warn) or math.isnan(error):
            raise InputError(f"thresholds[{key!r}] must not be NaN; got {pair!r}")
        out[key] = (warn, error)
    return out


def classify(value: float, warn: float, error: float, *, above: bool = True) -> str | None:
    """"error", "warning" or None for ``value`` against (warn, error) thresholds.

    ``above=True``: bad when value > threshold; ``above=False``: bad when value < threshold.
    """
    if math.isnan(value):
        return None
    if above:
        return "error" if value > error else "warning" if value > warn else None
    return "error" if value < error else "warning" if value < warn else None


# -- checks on any Flows --------------------------------------------------------------------------
_EPS = float(np.finfo(float).eps)
FLOWS_CHECKS = ("second-law", "zeroth-law", "chemical-potential", "nonthermal-entropy")
_REF_FLOWS = "DESIGN.md (sign convention); seed 004, eq. 6"


def _default_gross(flows: Flows) -> dict[str, float]:
    """Gross scales from the flows themselves: Σ|J^N|, Σ(|J^E| + |μ J^N|), Σ(|J^E| + |μ J^N|)/T."""
    # An undefined particle current (NaN: μ = 0 bosons, quanta not conserved) carries no chemical
    # work, J^E − J^Q = 0 (Flows), and adds nothing to the particle scale.
    particle = math.fsum(abs(v) for v in flows.particle.values() if not math.isnan(v))
    particle += abs(flows.system_particle_rate) if not math.isnan(flows.system_particle_rate) else 0.0
    energy, entropy = abs(flows.power) + abs(flows.system_energy_rate), abs(flows.system_entropy_rate)
    for k in flows.reservoirs:
        term = abs(flows.energy[k]) + abs(flows.energy[k] - flows.heat[k])   # |J^E| + |μ J^N|
        energy += term
        t = flows.temperature[k]
        entropy += term / t if t else abs(flows.entropy[k])
    return {"particle": particle, "energy": energy, "entropy": entropy}


def _channel_scale(flows: Flows) -> dict[str, float]:
    """Gross scales of one open channel per thermal reservoir: (T + |μ|)/2π, (T + |μ|)²/2π, ÷T.

    A unit transmission over the thermal window and the bias carries currents of this size
    (Landauer, seed 004, eq. 1); rounding noise of any method's net currents is below k·eps of
    it whenever its gross flows are, i.e. unless the coupling is stronger than one open channel.
    """
    particle = energy = entropy = 0.0
    for k in flows.reservoirs:
        t = flows.temperature[k]
        if t is None:
            continue
        width = t + abs(flows.chemical_potential[k] or 0.0)
        particle += width / (2 * math.pi)
        energy += width**2 / (2 * math.pi)
        entropy += width**2 / (2 * math.pi * t) if t > 0 else 0.0
    return {"particle": particle, "energy": energy, "entropy": entropy}


def _law_severity(violation: float, k: float, kind: str, certain: Mapping[str, float] | None) -> tuple[str, str]:
    """("error", "") beyond k·eps of the one-channel scale ``certain`` (or when gross was given),
    else ("warning", why): a violation within that floor may be rounding noise of the flows."""
    if certain is None or abs(violation) > k * _EPS * certain[kind]:
        return "error", ""
    return "warning", (f" It is within k·eps of one open channel at these T and μ ({k * _EPS * certain[kind]:.2g}) "
                       "and may be rounding noise: give gross= (the method's audit() does) to decide")


def audit_flows(flows: Flows, *, gross: Mapping[str, float] | None = None,
                thresholds: Mapping[str, Any] | None = None, subject: str | None = None,
                undriven: bool = False) -> Report:
    """Checks that apply to any :class:`~thermoflux.Flows`, whatever the method.

    Parameters
    ----------
    flows : Flows
    gross : mapping with keys "particle", "energy", "entropy", optional
        Gross magnitudes of the flows (1/time, energy/time, 1/time): the sums of the magnitudes
        of the terms each net current is computed from (Landauer: ∫|integrand| dE/2π; master
        equation: Σ of the one-way transition rates). Rounding noise is judged against them;
        a method's ``audit()`` passes them. Default: computed from the flows themselves,
        Σ_α(|J^E_α| + |μ_α J^N_α|)/T_α etc., which is right unless the net currents are
        themselves rounding noise, as at equilibrium. Without ``gross`` a second- or zeroth-law
        violation is therefore an error only beyond k·eps of the currents of one open channel
        per reservoir, (T + |μ|)/2π, (T + |μ|)²/2π, (T + |μ|)²/2πT; below that, a warning
        that asks for ``gross``.
    thresholds : mapping, optional
        Overrides of the noise factors k (see below), as ``{"second-law": (k, k)}``.
    subject : str, optional
        Label of the report.
    undriven : bool, default False
        True when the model has no work source, so that any ``power`` it reports is itself a
        symptom (the local dissipators of a harmonic network, seed 003): equilibrium is then
        judged from the reservoirs alone. False: a power ≠ 0 means a drive, and the zeroth law
        does not apply.

    Returns
    -------
    Report
        Findings of the checks:

        ``second-law``
            error when σ = dS_S/dt + Σ_α dS_α/dt < −k·eps·S_gross, S_gross the gross entropy
            scale. Rounding noise at equilibrium (σ = −1e-17 against rates ~0.1) is no finding:
            the floor scales with the terms summed, not with the (noise-sized) net currents.
        ``zeroth-law``
            error when every reservoir is thermal at one T and one μ, no power is done (or
            ``undriven``), and a
            particle or energy current exceeds k·eps times its gross scale: at equilibrium
            nothing flows (value: the largest |J^E_α| or |J^N_α|).
        ``chemical-potential``
            error when a thermal reservoir's heat current is not J^E − μ J^N, or its entropy
            flow is not −J^Q/T, beyond k·eps of the gross scale; the message says when the
            entropy flow is −J^E/T, the bookkeeping that leaves μ out where particles flow
            (a biased dot then shows σ ≈ 0 instead of Δμ·I/T).
        ``nonthermal-entropy``
            error when a non-thermal reservoir exchanges energy or particles but its entropy
            flow is exactly 0: it was left out of σ (seed 004, eq. 6 gives it).
    """
    if not isinstance(flows, Flows):
        raise InputError(f"flows must be a Flows; got {type(flows).__name__}")
    th = resolve_thresholds(thresholds, FLOWS_CHECKS)
    scale = _default_gross(flows)
    certain = _channel_scale(flows) if gross is None else None
    if gross is not None:
        if not isinstance(gross, Mapping) or set(gross) - {"particle", "energy", "entropy"}:
            raise InputError(f"gross must map 'particle', 'energy', 'entropy' to scales; got {gross!r}")
        for k, v in gross.items():
            v = float(v)
            if not v >= 0 or not math.isfinite(v):
                raise InputError(f"gross[{k!r}] must be finite and >= 0; got {v!r}")
            scale[k] = max(scale[k], v)
    findings: list[Finding] = []
    findings += _second_law(flows, scale, th["second-law"][1], certain)
    findings += _zeroth_law(flows, scale, th["zeroth-law"][1], certain, undriven=undriven)
    findings += _chemical_potential(flows, scale, th["chemical-potential"][1])
    findings += _nonthermal_entropy(flows, scale, th["nonthermal-entropy"][1])
    return Report(findings, subject=subject or f"flows ({flows.method or 'unknown method'})", checks=FLOWS_CHECKS)


def _second_law(flows: Flows, scale: Mapping[str, float], k: float,
                certain: Mapping[str, float] | None = None) -> list[Finding]:
    sigma = flows.entropy_production
    floor = k * _EPS * scale["entropy"]
    if sigma >= -floor:
        return []
    severity, why = _law_severity(sigma, k, "entropy", certain)
    return [Finding("second-law", severity, sigma, -floor,
                    f"entropy production σ = {sigma:.3g} < 0 beyond the rounding floor {floor:.2g} "
                    f"(= {k:g}·eps·{scale['entropy']:.3g}): the model breaks the second law; check that "
                    f"the rates, transmissions or distributions are physical.{why}", _REF_FLOWS)]


def _equilibrium(flows: Flows, *, undriven: bool = False) -> tuple[float, float] | None:
    """(T, μ) shared by every reservoir, or None if they differ, one is non-thermal, or P ≠ 0 (unless undriven)."""
    temps = list(flows.temperature.values())
    mus = [m or 0.0 for m in flows.chemical_potential.values()]
    if any(t is None for t in temps) or (flows.power != 0.0 and not undriven):
        return None
    t0, mu0 = temps[0], mus[0]
    same_t = all(abs(t - t0) <= 4 * _EPS * t0 for t in temps)
    same_mu = all(abs(m - mu0) <= 4 * _EPS * max(abs(mu0), t0) for m in mus)
    if not flows.conserves_particles:
        same_mu = True   # quanta not conserved: μ plays no role in equilibrium
    return (t0, mu0) if same_t and same_mu else None


def _zeroth_law(flows: Flows, scale: Mapping[str, float], k: float,
                certain: Mapping[str, float] | None = None, *, undriven: bool = False) -> list[Finding]:
    eq = _equilibrium(flows, undriven=undriven)
    if eq is None:
        return []
    out = []
    for kind, values in (("energy", flows.energy), ("particle", flows.particle)):
        if kind == "particle" and not flows.conserves_particles:
            continue
        floor = k * _EPS * scale[kind]
        name, worst = max(values.items(), key=lambda kv: abs(kv[1]))
        if abs(worst) > floor:
            severity, why = _law_severity(worst, k, kind, certain)
            out.append(Finding("zeroth-law", severity, worst, floor,
                               f"every reservoir is at T = {eq[0]:.4g}, μ = {eq[1]:.4g}, yet a {kind} current "
                               f"{worst:.3g} flows out of {name!r} (floor {floor:.2g}): at equilibrium nothing "
                               f"flows; the rates or transmissions violate detailed balance or unitarity.{why}",
                               "zeroth law; seed 002, eq. 26 (detailed balance)", name))
    return out


def _chemical_potential(flows: Flows, scale: Mapping[str, float], k: float) -> list[Finding]:
    out = []
    floor_e = k * _EPS * scale["energy"]
    floor_s = k * _EPS * scale["entropy"]
    for name in flows.reservoirs:
        t = flows.temperature[name]
        mu = flows.chemical_potential[name] or 0.0
        jn, je, jq, ds = flows.particle[name], flows.energy[name], flows.heat[name], flows.entropy[name]
        mu_jn = 0.0 if mu == 0 else mu * jn          # μ = 0: no chemical work even if J^N is undefined
        heat_residual = jq - (je - mu_jn)
        if abs(heat_residual) > floor_e:
            out.append(Finding("chemical-potential", "error", heat_residual, floor_e,
                               f"heat current of {name!r} is not J^E − μJ^N (off by {heat_residual:.3g}); "
                               "build the flows with Flows.from_currents so that μ enters the heat",
                               _REF_FLOWS, name))
            continue
        if t is None:
            continue
        entropy_residual = ds + jq / t
        if abs(entropy_residual) <= floor_s:
            continue
        without_mu = abs(ds + je / t) <= floor_s and abs(mu_jn) / t > floor_s
        why = ("it equals −J^E/T: μ was left out where particles flow, so σ misses Δμ·J^N/T"
               if without_mu else "it is not −J^Q/T of a thermal reservoir")
        out.append(Finding("chemical-potential", "error", entropy_residual, floor_s,
                           f"entropy flow of {name!r} is {ds:.4g}; {why}; use dS/dt = −(J^E − μJ^N)/T",
                           _REF_FLOWS, name))
    return out


def _nonthermal_entropy(flows: Flows, scale: Mapping[str, float], k: float) -> list[Finding]:
    out = []
    for name in flows.reservoirs:
        if flows.temperature[name] is not None or flows.entropy[name] != 0.0:
            continue
        exchange = max(abs(flows.energy[name]) / max(scale["energy"], 1e-300),
                       abs(flows.particle[name]) / max(scale["particle"], 1e-300))
        if exchange > k * _EPS:
            out.append(Finding("nonthermal-entropy", "error", flows.entropy[name], 0.0,
                               f"non-thermal reservoir {name!r} exchanges energy/particles but its entropy "
                               "flow is 0: it is left out of σ; give its entropy current (seed 004, eq. 6)",
                               "seed 004, eq. 6", name))
    return out

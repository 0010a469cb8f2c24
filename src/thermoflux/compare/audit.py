"""Audit of a compare system: is each method's model in the regime where the method holds? (issue 12)

:func:`compare` puts the flows of several methods side by side; this module audits the very
models those runners build (the Caroli junction, the stochastic-limit master equation in the
Fock eigenbasis, the finite-bath discretizations with the times of their plateau windows, the
local-bath network), each with its own method's checks (``<method>/audit.py``), and joins the
reports into one. Every finding's subject is led by its method ("master_equation: L#0"), and a
method that does not apply to the system gets an ``info`` finding with the reason. Reached
through :meth:`OpenSystem.audit`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from thermoflux._validation import describe
from thermoflux.audit import FLOWS_CHECKS, Finding, Report, resolve_thresholds
from thermoflux.compare.runners import (
    METHODS,
    bath_plan,
    landauer_junction,
    master_equation_model,
    harmonic_network,
    plateau_window,
    applicability,
)
from thermoflux.compare.system import OpenSystem
from thermoflux.errors import ConvergenceError, InputError

__all__ = ["audit_system", "method_checks"]


def method_checks(method: str) -> tuple[str, ...]:
    """The check ids the audit of ``method``'s model runs (the Flows checks included where it has flows)."""
    if method == "landauer":
        from thermoflux.landauer.audit import CHECKS
    elif method == "master_equation":
        from thermoflux.master_equation.audit import CHECKS
    elif method == "finite_baths":
        from thermoflux.finite_baths.audit import CHECKS

        return CHECKS              # the plateau is not evolved by the audit: no flows to check
    elif method == "harmonic_networks":
        from thermoflux.harmonic_networks.audit import CHECKS
    else:
        raise InputError(f"methods: unknown method {method!r}; choose from {', '.join(METHODS)}")
    return CHECKS + FLOWS_CHECKS


def _methods(methods: Any) -> list[str]:
    if methods is None:
        return list(METHODS)
    if isinstance(methods, str) or not isinstance(methods, Sequence) or not methods:
        raise InputError(f"methods must be a non-empty list of method names; got {describe(methods)}")
    for m in methods:
        if m not in METHODS:
            raise InputError(f"methods: unknown method {m!r}; choose from {', '.join(METHODS)}")
    return list(dict.fromkeys(methods))


def _not_applied(message: str) -> Report:
    """An ``info`` finding saying why a method's model was not audited."""
    return Report([Finding("applicability", "info", math.nan, math.nan, message)], checks=("applicability",))


def _method_report(system: OpenSystem, method: str, thresholds: Mapping[str, Any],
                   n_modes: int | None, max_modes: int) -> Report:
    """The audit of the model :mod:`~thermoflux.compare.runners` builds for ``method``, subjects unprefixed."""
    if method == "landauer":
        return landauer_junction(system).audit(thresholds=thresholds)
    if method == "master_equation":
        return master_equation_model(system)[0].audit(thresholds=thresholds)
    if method == "harmonic_networks":
        return harmonic_network(system)[0].audit(thresholds=thresholds)
    plan = bath_plan(system, n_modes, max_modes)
    if plan.skipped:
        return _not_applied(f"{plan.skipped}; nothing to audit")
    report = Report()
    for band in range(len(plan.modes)):
        model, window, _ = plateau_window(system, plan, band)
        part = model.audit(system.distributions, times=window, thresholds=thresholds)
        if len(plan.modes) > 1:   # say which of the two bands of the 1/W extrapolation it is
            part = Report([replace(f, subject=f"W={plan.widths[band]:.4g} {f.subject or ''}".strip()) for f in part],
                          subject=part.subject, checks=part.checks)
        report = report + part
    return report


def _prefixed(report: Report, method: str) -> Report:
    """``report`` with every finding's subject led by ``method`` ("master_equation: L#0")."""
    findings = [replace(f, subject=f"{method}: {f.subject}" if f.subject else method) for f in report]
    return Report(findings, subject=report.subject, checks=report.checks)


def audit_system(system: OpenSystem, methods: Sequence[str] | None = None, *,
                 thresholds: Mapping[str, Any] | None = None, n_modes: int | None = None,
                 max_modes: int = 600) -> Report:
    """One report joining the audits of the models every method of :func:`compare` runs on ``system``.

    Parameters
    ----------
    system : OpenSystem
    methods : sequence of str, optional
        Among :data:`~thermoflux.compare.METHODS`; default all of them. A method that does not
        apply (:func:`~thermoflux.compare.applicability`) is not an error here: it gets an
        ``info`` finding (check ``applicability``) with the reason.
    thresholds : mapping check id -> (warn, error), optional
        Overrides, given to every method whose audit runs that check; an id no requested
        method checks raises InputError naming it.
    n_modes, max_modes : int
        As for :func:`~thermoflux.compare.runners.run_finite_baths`: they fix the finite-bath
        discretizations audited (both bands of the 1/W extrapolation, up to the end of the
        plateau window at 0.7 t_rec). A run that would need more modes than allowed is not run
        by ``compare`` and gets an ``info`` finding here.

    Returns
    -------
    Report
        The method reports joined with ``+``, each finding's subject led by its method
        ("master_equation: L#0" for channel 0 of reservoir L; "finite_baths: W=14.4 L" for bath
        L of the band of width 14.4). The checks are those of the method audits:
        ``landauer.audit.audit_junction``, ``master_equation.audit.audit_stochastic_limit``
        (weak coupling Γ/T, Markov, secular with the Bohr frequencies of the Fock eigenbasis,
        detailed balance), ``finite_baths.audit.audit_finite_baths`` (recurrence, continuum,
        bandwidth, heat capacity) and ``harmonic_networks.audit.audit_network``. A method whose
        model cannot be solved (e.g. bosons at μ = 0 in a wide band) gets an ``error`` finding
        ``convergence``.
    """
    if not isinstance(system, OpenSystem):
        raise InputError(f"system must be an OpenSystem; got {describe(system)}")
    chosen = _methods(methods)
    checks = {m: method_checks(m) for m in chosen}
    resolve_thresholds(thresholds, dict.fromkeys(c for m in chosen for c in checks[m]))  # unknown ids, bad pairs
    given = dict(thresholds or {})
    reasons = applicability(system)
    total = Report()
    for method in chosen:
        if reasons[method]:
            total = total + _prefixed(_not_applied(f"does not apply to this system: {reasons[method]}"), method)
            continue
        own = {k: v for k, v in given.items() if k in checks[method]}
        try:
            report = _method_report(system, method, own, n_modes, max_modes)
        except ConvergenceError as exc:
            report = Report([Finding("convergence", "error", math.nan, math.nan,
                                     f"the model could not be solved, so it was not audited: {exc}")],
                            checks=("convergence",))
        total = total + _prefixed(report, method)
    return Report(total, subject=f"compare: {system!r} ({', '.join(chosen)})", checks=total.checks)

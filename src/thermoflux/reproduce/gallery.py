"""The reproduction gallery: run the seeds' reproduction modules and write an ``index.html``.

``thermoflux reproduce [SEED|all] -o DIR`` calls :func:`run_gallery` then :func:`write_index`.
``--resume`` (``resume=True``) is passed on to the reproductions whose ``reproduce`` takes a
``resume`` argument (seed 001, whose ``--full`` run takes 8-20 min and writes a checkpoint
under ``DIR/seed001/checkpoint``); the others take seconds even with ``--full`` and simply run
again.
Each seed writes its PNG figures into ``DIR/seedNNN/`` (the cross-method page into
``DIR/methods/``); the index shows every figure and,
under each paper, the table of the claims it checked (claim, value found, expected,
pass/fail). A module that raises is shown with its error and does not stop the others;
``claims.json`` holds the same tables for scripts.
"""

from __future__ import annotations

import html
import json
import math
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thermoflux.errors import InputError
from thermoflux.reproduce import SEEDS, Report

#: Width at which the index shows every figure (CSS), whatever the figure's own size.
FIGURE_WIDTH = "36em"
#: Where the tutorials behind the figures are when no documentation URL is given.
DOCS_HINT = ("The tutorials that explain these figures, the equations behind them and the seed typos "
             "the library corrects are in the thermoflux documentation: build it with "
             "<code>pip install '.[docs]' &amp;&amp; sphinx-build -b html docs docs/_build/html</code> "
             "and open <code>docs/_build/html/index.html</code>.")

__all__ = ["GalleryEntry", "run_gallery", "write_index", "select_seeds", "format_value",
           "format_duration", "takes_resume", "FIGURE_WIDTH", "DOCS_HINT"]


@dataclass
class GalleryEntry:
    """One seed's outcome: its report, or the error that stopped it, and the time taken."""

    seed: str
    title: str
    report: Report | None
    error: str | None
    seconds: float

    @property
    def passed(self) -> bool:
        """The module ran, produced its figures, and every claim passed."""
        return self.error is None and self.report is not None and self.report.passed


def _installed() -> dict[str, Any]:
    """Seed -> module, or the exception its import raised (a broken module is still listed)."""
    import importlib

    out: dict[str, Any] = {}
    for key, name in SEEDS.items():
        full = f"thermoflux.reproduce.{name}"
        try:
            out[key] = importlib.import_module(full)
        except ModuleNotFoundError as exc:
            if exc.name != full:
                out[key] = exc
        except Exception as exc:  # noqa: BLE001 - reported in the gallery, not fatal
            out[key] = exc
    return out


def select_seeds(seed: str | Sequence[str] | None) -> dict[str, Any]:
    """The reproduction modules to run: ``"all"``/None for every one installed, or a seed
    number ("004", "4") or a list of them; InputError naming the installed seeds otherwise.
    A module whose import fails maps to the exception (shown as that seed's error)."""
    modules = _installed()
    if seed is None or seed == "all":
        return modules
    wanted = [seed] if isinstance(seed, str) else list(seed)
    out = {}
    for s in wanted:
        key = str(s).strip().zfill(3)
        if key not in modules:
            have = ", ".join(sorted(modules)) or "none"
            raise InputError(f"seed must be 'all' or one of the installed reproductions ({have}); got {s!r}")
        out[key] = modules[key]
    return out


def takes_resume(module: Any) -> bool:
    """True when the module's ``reproduce`` accepts ``resume=`` (it checkpoints its work)."""
    import inspect

    try:
        return "resume" in inspect.signature(module.reproduce).parameters
    except (AttributeError, TypeError, ValueError):
        return False


def run_gallery(outdir: str | Path, seed: str | Sequence[str] | None = "all", *, full: bool = False,
                resume: bool = False, echo: Callable[[str], Any] | None = None) -> list[GalleryEntry]:
    """Run the selected reproductions into ``outdir/seedNNN/``; never stops at a failing one.

    ``resume=True`` is passed to the reproductions that take it (:func:`takes_resume`): they
    continue from their checkpoint under ``outdir/seedNNN/``. The others, which need no
    checkpoint (seconds even with ``full``), run from the start.
    """
    modules = select_seeds(seed)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    entries = []
    for key, module in sorted(modules.items()):
        title = str(getattr(module, "TITLE", f"seed {key}"))
        if echo:
            echo(f"{'seed ' if key.isdigit() else ''}{key}: {title} ...")
        start = time.perf_counter()
        try:
            if isinstance(module, BaseException):
                raise module
            options = {"full": full, **({"resume": resume} if resume and takes_resume(module) else {})}
            report = module.reproduce(outdir / (f"seed{key}" if key.isdigit() else key), **options)
            if not isinstance(report, Report):
                raise TypeError(f"reproduce() returned {type(report).__name__}, not a Report")
            error = None
        except Exception as exc:  # noqa: BLE001 - shown in the index, the other seeds still run
            report = None
            error = f"{type(exc).__name__}: {exc}\n" + "".join(traceback.format_tb(exc.__traceback__)[-3:])
        entry = GalleryEntry(key, title, report, error, time.perf_counter() - start)
        entries.append(entry)
        if echo:
            if report is not None:
                ok = sum(c.passed for c in report.claims)
                echo(f"  {len(report.figures)} figures, {ok}/{len(report.claims)} claims passed "
                     f"(wall time {format_duration(entry.seconds)})")
            else:
                echo(f"  FAILED: {error.splitlines()[0]}")
    return entries


def format_duration(seconds: float) -> str:
    """A wall time as a person reads it: ``4.1 s``, ``9 min 12 s``, ``1 h 02 min 05 s``.

    Examples
    --------
    >>> format_duration(4.13), format_duration(552.4), format_duration(3725)
    ('4.1 s', '9 min 12 s', '1 h 02 min 05 s')
    """
    if round(seconds, 1) < 60:
        return f"{seconds:.1f} s"
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours} h {minutes:02d} min {secs:02d} s" if hours else f"{minutes} min {secs} s"


def format_value(value: Any, digits: int = 6) -> str:
    """A claim's value as a person reads it: numbers to ``digits`` significant digits.

    Floats and NumPy scalars print as numbers (``0.9999999999999999`` -> ``1``, never
    ``np.float64(...)``), recursively inside tuples, lists, dicts and arrays; strings and
    booleans print as they are.

    Parameters
    ----------
    value : object
        A claim's ``found`` or ``expected`` value.
    digits : int, default 6
        Significant digits of every floating-point number.

    Returns
    -------
    str
        The text shown in the gallery's claims table and in ``claims.json``.

    Examples
    --------
    >>> import numpy as np
    >>> format_value((np.float64(0.9999999999999999), np.float64(1.0000000000000058)))
    '(1, 1)'
    >>> format_value({"corrected": np.float64(-0.0301234567), "printed": 2.5e-12})
    '{corrected: -0.0301235, printed: 2.5e-12}'
    """
    if isinstance(value, (bool, str)) or value is None:
        return str(value)
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        np = None
    if np is not None:
        if isinstance(value, np.ndarray):
            return format_value(value.tolist(), digits) if value.size <= 8 else np.array2string(
                value, precision=digits - 1, threshold=8, separator=", ")
        if isinstance(value, np.generic):
            return format_value(value.item(), digits)
    if isinstance(value, float):
        return f"{value:.{digits}g}" if math.isfinite(value) else str(value)
    if isinstance(value, complex):
        return f"{value.real:.{digits}g}{value.imag:+.{digits}g}j"
    if isinstance(value, tuple):
        inner = ", ".join(format_value(v, digits) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(format_value(v, digits) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {format_value(v, digits)}" for k, v in value.items()) + "}"
    return str(value)


_CSS_TEMPLATE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #eee; }
.pass { color: #176317; font-weight: bold; } .fail { color: #b00020; font-weight: bold; }
figure { display: inline-block; margin: 0.5em; vertical-align: top; }
figure img { width: %(width)s; max-width: 100%%; height: auto; border: 1px solid #ddd; }
pre { background: #fbeaea; padding: 0.6em; overflow-x: auto; }
"""
_CSS = _CSS_TEMPLATE % {"width": FIGURE_WIDTH}


def _figure_link(outdir: Path, path: Path) -> str:
    path = Path(path)
    try:
        return path.resolve().relative_to(outdir.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_uri()


def _audit_section(report: Report, parts: list[str], record: dict[str, Any]) -> None:
    """Append the audits of the models a reproduction used (HTML and the claims.json record)."""
    if not report.audits:
        return
    parts.append("<h3>Audit of the models used</h3>")
    record["audits"] = {}
    for label, audit in report.audits.items():
        parts.append(f"<p>{html.escape(str(label))}:</p>{audit.to_html()}")
        record["audits"][str(label)] = audit.to_dict()


def write_index(outdir: str | Path, entries: Sequence[GalleryEntry], *, full: bool = False,
                docs_url: str | None = None) -> Path:
    """Write ``outdir/index.html`` (figures, claims tables, audits) and ``outdir/claims.json``.

    Every figure is shown at the common width :data:`FIGURE_WIDTH`; claim values are formatted
    by :func:`format_value`. ``docs_url`` (absolute, or relative to ``outdir``) links the page
    to the documentation; without it the page says how to build the documentation.
    """
    from thermoflux import __version__

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    esc = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>thermoflux reproductions</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>thermoflux: reproductions of the seed papers</h1>",
             f"<p>thermoflux {esc(__version__)}; sizes: {'full (the papers)' if full else 'reduced (default)'}; "
             "units &#295; = k<sub>B</sub> = e = 1; currents positive out of a reservoir into the system.</p>",
             (f'<p>Documentation: <a href="{esc(docs_url)}">tutorials, API reference and the table of '
              "seed typos</a>.</p>" if docs_url else f"<p>{DOCS_HINT}</p>")]
    if not entries:
        parts.append("<p>No reproduction module is installed.</p>")
    parts += ["<table><tr><th>seed</th><th>paper</th><th>figures</th><th>claims passed</th><th>time</th></tr>"]
    for e in entries:
        if e.report is not None:
            ok = sum(c.passed for c in e.report.claims)
            status = f'<span class="{"pass" if e.passed else "fail"}">{ok}/{len(e.report.claims)}</span>'
            nfig = str(len(e.report.figures))
        else:
            status, nfig = '<span class="fail">error</span>', "-"
        parts.append(f'<tr><td><a href="#seed{e.seed}">{e.seed}</a></td><td>{esc(e.title)}</td>'
                     f"<td>{nfig}</td><td>{status}</td><td>{e.seconds:.1f} s</td></tr>")
    parts.append("</table>")
    records = []
    for e in entries:
        heading = f"Seed {e.seed}" if e.seed.isdigit() else "Across methods"
        parts.append(f'<h2 id="seed{e.seed}">{heading}: {esc(e.title)}</h2>')
        record: dict[str, Any] = {"seed": e.seed, "title": e.title, "seconds": e.seconds,
                                  "error": e.error, "figures": [], "claims": []}
        if e.error is not None:
            parts.append(f'<p class="fail">The reproduction raised an error:</p><pre>{esc(e.error)}</pre>')
        if e.report is not None:
            for fig in e.report.figures:
                link = _figure_link(outdir, fig)
                record["figures"].append(link)
                parts.append(f'<figure><a href="{esc(link)}"><img src="{esc(link)}" alt="{esc(Path(fig).name)}">'
                             f"</a><figcaption>{esc(Path(fig).name)}</figcaption></figure>")
            parts.append("<table><tr><th>claim</th><th>value found</th><th>expected</th><th>result</th></tr>")
            for c in e.report.claims:
                cls, word = ("pass", "pass") if c.passed else ("fail", "FAIL")
                parts.append(f"<tr><td>{esc(str(c.claim))}</td><td>{esc(format_value(c.found))}</td>"
                             f'<td>{esc(format_value(c.expected))}</td><td class="{cls}">{word}</td></tr>')
                record["claims"].append({"claim": str(c.claim), "found": format_value(c.found),
                                         "expected": format_value(c.expected), "passed": bool(c.passed)})
            parts.append("</table>")
            _audit_section(e.report, parts, record)
        records.append(record)
    parts.append("</body></html>")
    index = outdir / "index.html"
    index.write_text("\n".join(parts), encoding="utf-8")
    (outdir / "claims.json").write_text(json.dumps(records, indent=2), encoding="utf-8")
    return index

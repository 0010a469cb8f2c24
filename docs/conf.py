"""Sphinx configuration of the thermoflux documentation.

Build (from the repository root, after ``pip install '.[docs]'``)::

    sphinx-build -W --keep-going -b html docs docs/_build/html

The gallery (``docs/examples``) runs at build time; the API stubs (``docs/api/generated``) are
generated at build time; neither is committed. Nothing is fetched from the network: no
intersphinx inventories, no remote images or fonts, so ``docs/_build/html/index.html`` works
offline, search included.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Stubs of names that were renamed or removed would otherwise survive a rebuild in a working
# tree and fail -W ("failed to import"); they are generated afresh from __all__ every build.
shutil.rmtree(HERE / "api" / "generated", ignore_errors=True)
# Build the checkout's source even when an older thermoflux is installed.
sys.path.insert(0, str(HERE.parent / "src"))
# The gallery runs figures headless; reductions of BLAS threads keep the 2-core CI honest.
os.environ.setdefault("MPLBACKEND", "Agg")

import thermoflux  # noqa: E402

project = "thermoflux"
author = "thermoflux developers"
copyright = "thermoflux developers"
version = release = thermoflux.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "examples/**/README.rst"]
root_doc = "index"
# A bare `name` in a docstring is a cross-reference when it resolves (`Flows` links to Flows).
default_role = "py:obj"

# -- autodoc / autosummary / numpydoc ---------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"          # numpydoc's Parameters section carries the types
numpydoc_show_class_members = False  # the class template lists members itself
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = True
numpydoc_xref_aliases = {
    "Flows": "thermoflux.Flows",
    "Distribution": "thermoflux.Distribution",
    "FermiDirac": "thermoflux.FermiDirac",
    "BoseEinstein": "thermoflux.BoseEinstein",
    "NonThermal": "thermoflux.NonThermal",
    "InputError": "thermoflux.InputError",
    "ConvergenceError": "thermoflux.ConvergenceError",
    "ThermodynamicsWarning": "thermoflux.ThermodynamicsWarning",
    "Junction": "thermoflux.landauer.Junction",
    "Transmission": "thermoflux.landauer.Transmission",
    "MixtureState": "thermoflux.mixture.MixtureState",
    "QuadraticModel": "thermoflux.finite_baths.QuadraticModel",
    "InitialState": "thermoflux.finite_baths.InitialState",
    "StochasticLimit": "thermoflux.master_equation.StochasticLimit",
    "System": "thermoflux.master_equation.System",
    "Field": "thermoflux.master_equation.Field",
    "Network": "thermoflux.harmonic_networks.Network",
    "NESS": "thermoflux.harmonic_networks.NESS",
    "GaussianState": "thermoflux.harmonic_networks.GaussianState",
    "Report": "thermoflux.reproduce.Report",
    "Claim": "thermoflux.reproduce.Claim",
}
# numpydoc's default aliases point into Python's and NumPy's inventories, which an offline
# build does not fetch: those words stay plain text.
for _word in ("None", "bool", "boolean", "True", "False", "list", "tuple", "str", "string",
              "dict", "float", "int", "callable", "iterable", "sequence", "contextmanager",
              "namedtuple", "generator", "array", "ndarray", "np.ndarray", "array-like",
              "array_like", "scalar", "RandomState", "np.random.RandomState",
              "np.inf", "np.nan", "numpy", "complex", "object"):
    numpydoc_xref_aliases.setdefault(_word, _word)
# Words in type lines that are not objects to link.
numpydoc_xref_ignore = {
    "optional", "default", "or", "of", "and", "array_like", "array-like", "callable", "mapping",
    "sequence", "iterable", "scalar", "int", "float", "complex", "bool", "str", "None", "dict",
    "list", "tuple", "object", "keyword-only", "ndarray", "shape", "same", "as", "the", "any",
    "one", "a", "an", "to", "in", "with", "from", "by", "per", "each", "name", "names",
    "boolean", "True", "False", "string", "iterable", "contextmanager", "namedtuple",
    "generator", "array", "np.ndarray", "RandomState", "np.random.RandomState", "np.inf",
    "np.nan", "numpy",
}

# -- sphinx-gallery -------------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": ["examples/getting_started", "examples/tutorials"],
    "gallery_dirs": ["getting_started", "tutorials"],
    "filename_pattern": r".*\.py$",          # every example runs at build time
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "reference_url": {"thermoflux": None},    # link names in the examples to the API pages
    "show_memory": False,
    "write_computation_times": False,         # its page loads jQuery and DataTables from CDNs
    "abort_on_example_error": False,          # -W turns a failing example into a failed build
    "only_warn_on_example_error": False,
}

# -- HTML -----------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"thermoflux {release}"
html_static_path = ["_static"]
html_css_files = ["thermoflux.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_prev_next": True,
    "icon_links": [],
    "header_links_before_dropdown": 7,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False
html_copy_source = False
# Search works from file:// (the index is a script); page summaries would need fetch(),
# which browsers refuse on file://, so results list titles only.
html_show_search_summary = False


# -- plain-text maths in docstrings ------------------------------------------------------------
# The docstrings write their equations in Unicode, readable in help(): |x| is an absolute
# value, |a⟩⟨b| a projector, (*batch, n) a shape, mode_ a dimension name. In reST those are
# substitutions, emphasis and link targets. Escape them in prose (never inside ``literals``,
# roles, intentional *emphasis*, literal blocks or doctests) before numpydoc parses the text.
import re  # noqa: E402

_PROTECTED = re.compile(
    r"``.+?``"                                   # inline literal
    r"|:[\w:.-]+:`[^`]+`"                        # role
    r"|`[^`]+`_{0,2}"                            # default role / link
    r"|(?<![\w*\\])\*\*(?=\S).+?(?<=\S)\*\*(?![\w*])"   # strong
    r"|(?<![\w*\\(\[])\*(?=[^\s*,])[^*]+?(?<=[^\s\\,])\*(?![\w*])"   # emphasis
)


# ``Flows`` in a docstring becomes a link to Flows (and likewise every aliased class).
_LINKED = {name: target for name, target in numpydoc_xref_aliases.items() if target.startswith("thermoflux.")}


def _link_literal(span: str) -> str:
    name = span[2:-2] if span.startswith("``") else None
    return f":obj:`{name} <{_LINKED[name]}>`" if name in _LINKED else span


def _escape_prose(text: str) -> str:
    text = re.sub(r"(?<!\s)\||\|(?!\s)", r"\\|", text)              # | not spaced on both sides
    text = re.sub(r"(?<!\s)\*|\*(?!\s)", r"\\*", text)              # * not spaced on both sides
    return re.sub(r"(?<=\w)_(?=[\s,.;:)\]]|$)", r"\\_", text)       # trailing _ of a name


def plain_math_safe(line: str) -> str:
    """Escape reST's inline markup characters in one docstring line of plain-text maths."""
    stripped = line.lstrip()
    if stripped.startswith((">>>", "...")):
        return line
    indent = line[: len(line) - len(stripped)]
    bullet = ""
    if re.match(r"[*+-] ", stripped):
        bullet, stripped = stripped[:2], stripped[2:]
    out, pos = [], 0
    for match in _PROTECTED.finditer(stripped):
        out.append(_escape_prose(stripped[pos:match.start()]))
        out.append(_link_literal(match.group(0)))
        pos = match.end()
    out.append(_escape_prose(stripped[pos:]))
    return indent + bullet + "".join(out)


def _process_docstring(app, what, name, obj, options, lines):
    literal_indent = None
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        if literal_indent is not None:
            if line.strip() and indent <= literal_indent:
                literal_indent = None
            else:
                continue
        lines[i] = plain_math_safe(line)
        if line.rstrip().endswith("::"):
            literal_indent = indent


def _write_reproductions(app, exception):
    """The ``thermoflux reproduce`` gallery of this build, at ``reproduce/index.html``."""
    if exception is not None or app.builder.format != "html":
        return
    from thermoflux.reproduce.gallery import run_gallery, write_index

    outdir = Path(app.outdir) / "reproduce"
    entries = run_gallery(outdir, "all")
    write_index(outdir, entries, docs_url="../index.html")
    failed = [e.seed for e in entries if not e.passed]
    if failed:
        raise RuntimeError(f"reproductions failed for seeds {failed}: see {outdir / 'index.html'}")


# numpydoc reports a docstring it cannot parse (an unknown section, ...) with a Python
# UserWarning, which Sphinx would not see: forward it to Sphinx's log, so -W fails the build.
import warnings  # noqa: E402

from sphinx.util import logging as _sphinx_logging  # noqa: E402

_numpydoc_log = _sphinx_logging.getLogger("numpydoc")
_show_warning = warnings.showwarning


def _forward_numpydoc_warnings(message, category, filename, lineno, file=None, line=None):
    if "numpydoc" in str(filename):
        _numpydoc_log.warning(f"numpydoc: {message}")
    else:
        _show_warning(message, category, filename, lineno, file, line)


def setup(app):
    warnings.showwarning = _forward_numpydoc_warnings
    warnings.filterwarnings("always", category=UserWarning, module="numpydoc")
    # Before numpydoc (priority 500) parses the sections.
    app.connect("autodoc-process-docstring", _process_docstring, priority=400)
    app.connect("build-finished", _write_reproductions)

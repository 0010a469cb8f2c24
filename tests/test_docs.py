"""The documentation cannot drift from the code: every public name is in the API reference,
every run config has its schema page, every test the typo table names exists, and the docs
build is wired into CI. Parses the .rst sources; needs no Sphinx."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import thermoflux

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
API = DOCS / "api"
# Core modules whose names are documented on their own page, apart from those the top level
# re-exports (documented once, under ``thermoflux``, to avoid duplicate targets).
CORE_MODULES = ["thermoflux.distributions", "thermoflux.flows", "thermoflux.errors", "thermoflux.io",
                "thermoflux.audit",
                "thermoflux.plotting", "thermoflux.reproduce.gallery"]


def subpackages() -> list[str]:
    names = ["thermoflux"]
    for info in pkgutil.walk_packages(thermoflux.__path__, prefix="thermoflux."):
        if info.ispkg and not any(part.startswith("_") for part in info.name.split(".")[1:]):
            names.append(info.name)
    return names


def autosummary_entries(text: str) -> dict[str, set[str]]:
    """module -> names listed in ``.. autosummary::`` blocks under ``.. currentmodule::``."""
    out: dict[str, set[str]] = {}
    module = None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"\.\. currentmodule:: (\S+)", line)
        if m:
            module = m.group(1)
        elif line.startswith(".. autosummary::"):
            assert module is not None, "autosummary before any currentmodule"
            i += 1
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                entry = lines[i].strip()
                if entry and not entry.startswith(":"):
                    out.setdefault(module, set()).add(entry.lstrip("~"))
                i += 1
            continue
        i += 1
    return out


def documented() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for page in API.glob("*.rst"):
        for module, names in autosummary_entries(page.read_text(encoding="utf-8")).items():
            out.setdefault(module, set()).update(names)
    return out


def test_parser_reads_an_autosummary_block():
    text = ".. currentmodule:: a.b\n\n.. autosummary::\n   :toctree: generated/\n\n   x\n   ~y\n\nText\n"
    assert autosummary_entries(text) == {"a.b": {"x", "y"}}


@pytest.mark.parametrize("package", subpackages())
def test_every_public_name_of_every_subpackage_is_in_the_api_reference(package):
    module = importlib.import_module(package)
    missing = set(module.__all__) - documented().get(package, set())
    assert not missing, f"{package}: {sorted(missing)} not in docs/api/*.rst (add them to its autosummary)"


@pytest.mark.parametrize("name", CORE_MODULES)
def test_core_module_names_not_reexported_are_in_the_api_reference(name):
    module = importlib.import_module(name)
    expected = set(module.__all__) - set(thermoflux.__all__)
    missing = expected - documented().get(name, set())
    assert not missing, f"{name}: {sorted(missing)} not in docs/api/{name}.rst"


def test_no_name_is_documented_twice_or_listed_without_existing():
    seen: dict[str, str] = {}
    for module, names in documented().items():
        mod = importlib.import_module(module)
        for name in names:
            assert hasattr(mod, name), f"docs list {module}.{name}, which does not exist"
            obj = getattr(mod, name)
            key = f"{getattr(obj, '__module__', module)}.{getattr(obj, '__qualname__', name)}"
            if callable(obj) or isinstance(obj, type):
                assert key not in seen, f"{module}.{name} and {seen[key]} document the same object"
                seen[key] = f"{module}.{name}"


def test_every_api_page_is_in_the_api_toctree():
    index = (API / "index.rst").read_text(encoding="utf-8")
    for page in API.glob("thermoflux*.rst"):
        assert re.search(rf"^\s+{re.escape(page.stem)}$", index, flags=re.M), f"{page.name} not in api/index.rst"


def test_every_method_config_has_its_schema_and_a_tested_example():
    from thermoflux.configs import METHODS

    text = (DOCS / "howto" / "configs.rst").read_text(encoding="utf-8")
    for method in METHODS:
        assert f".. automodule:: thermoflux.{method}.config" in text, method
        include = f".. literalinclude:: ../../examples/{method}.toml"
        assert include in text, method
        assert (ROOT / "examples" / f"{method}.toml").is_file()
    for path in re.findall(r"literalinclude:: \.\./\.\./(examples/\S+)", text):
        assert (ROOT / path).is_file(), path


def test_every_test_named_in_the_typo_table_exists():
    text = (DOCS / "background" / "typos.rst").read_text(encoding="utf-8")
    named = re.findall(r"(tests/[\w/]+\.py)::(\w+)", text)
    assert len(named) >= 20
    for path, name in named:
        source = (ROOT / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {name}\(", source, flags=re.M), f"{path}::{name} does not exist"


def test_every_tutorial_names_existing_tests_and_reproduces_its_seed():
    seeds = {"landauer": "seed004", "mixture": "seed000", "finite_baths": "seed001",
             "master_equation": "seed002", "harmonic_networks": "seed003"}
    tutorials = sorted((DOCS / "examples" / "tutorials").glob("plot_*.py"))
    assert len(tutorials) == len(seeds)
    for method, seed in seeds.items():
        (path,) = [p for p in tutorials if p.stem.endswith(method)]
        text = path.read_text(encoding="utf-8")
        assert f"from thermoflux.reproduce import {seed}" in text and f"{seed}.reproduce(" in text
        for test_path, name in re.findall(r"(tests/[\w/]+\.py)(?:::(\w+))?", text):
            assert (ROOT / test_path).is_file(), test_path
            if name:
                assert f"def {name}(" in (ROOT / test_path).read_text(encoding="utf-8"), f"{test_path}::{name}"


def test_docs_are_built_in_ci_after_the_quick_start():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    build = [i for i, line in enumerate(ci) if "sphinx-build" in line and not line.lstrip().startswith("#")]
    quick = [i for i, line in enumerate(ci) if "thermoflux demo" in line or "'.[test]'" in line]
    assert build and quick and min(build) > max(quick)
    assert all(" -W" in ci[i] and "'.[docs]'" in ci[i] for i in build)


def test_generated_files_are_ignored():
    if not (ROOT / ".gitignore").is_file():
        pytest.skip("not a git checkout (an unpacked sdist has no .gitignore)")
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    for entry in ("docs/_build/", "docs/api/generated/", "docs/getting_started/", "docs/tutorials/"):
        assert entry in ignored, entry


def test_docs_extra_installs_the_build():
    import tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]["docs"]
    names = {re.split(r"[<>=!~\[ ]", req, maxsplit=1)[0].lower() for req in extra}
    assert {"sphinx", "numpydoc", "sphinx-gallery", "pydata-sphinx-theme"} <= names


def test_conf_fetches_nothing_from_the_network():
    conf = (DOCS / "conf.py").read_text(encoding="utf-8")
    assert "sphinx.ext.intersphinx" not in conf and "intersphinx_mapping" not in conf
    assert "binder" not in conf and "jupyterlite" not in conf


def test_readme_links_the_docs_and_says_how_to_build_them():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Documentation"):]
    section = section[:section.index("\n## ", 1)]
    assert "(docs/index.rst)" in section and "docs/_build/html/index.html" in section
    assert "pip install '.[docs]' && sphinx-build -W -b html docs docs/_build/html" in section


def test_seed001_full_size_figures_are_stored_small_and_shown():
    """The K = 1000 figures of ``reproduce 001 --full`` ship with the docs (not recomputed at
    build time, not fetched), each under 300 kB, and the seed-001 tutorial shows all four."""
    stored = sorted((DOCS / "_static" / "full").glob("seed001_fig*.png"))
    assert [p.name[8:12] for p in stored] == ["fig4", "fig5", "fig6", "fig8"]
    text = (DOCS / "examples" / "tutorials" / "plot_3_finite_baths.py").read_text(encoding="utf-8")
    for path in stored:
        assert path.stat().st_size < 300_000, path.name
        assert f"/_static/full/{path.name}" in text

"""No module of src/thermoflux imports a private name from another module (issue 13).

What sibling modules share is a documented internal name (no underscore, in no ``__all__``)
or a method/return value. Allowed: importing a private *module* shared on purpose
(``from thermoflux import _config``); a private name bound locally (``import x as _x``).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "thermoflux"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str) -> bool:
    base = SRC.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _resolve(node: ast.ImportFrom, here: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = here.split(".")
    base = parts if is_package else parts[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def private_imports(path: Path) -> list[str]:
    """``file:line: from X import _name`` and ``alias._name`` on an imported thermoflux module."""
    here = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found, modules = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _resolve(node, here, path.name == "__init__.py")
            if not source.startswith("thermoflux"):
                continue
            for alias in node.names:
                if _is_module(f"{source}.{alias.name}"):
                    modules.add(alias.asname or alias.name)
                elif _private(alias.name) and source != here:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}: from {source} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("thermoflux") and alias.asname:
                    modules.add(alias.asname)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in modules and _private(node.attr)):
            found.append(f"{path.relative_to(SRC)}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_private_name_is_imported_across_modules():
    found = [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in private_imports(path)]
    assert not found, "private names reached across modules:\n" + "\n".join(found)


def test_the_checker_sees_a_private_import(tmp_path, monkeypatch):
    # the checker itself: a planted reach-in is found, a private module import is not
    fake = PACKAGE / "landauer" / "junction.py"
    text = ("from thermoflux import _config\nfrom thermoflux.landauer.counting import _setup\n"
            "from thermoflux.master_equation import stationary as st\nst._hidden()\n")
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: text)
    hits = private_imports(fake)
    assert len(hits) == 2 and "import _setup" in hits[0] and "st._hidden" in hits[1]

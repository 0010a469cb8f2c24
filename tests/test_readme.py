"""The README cannot rot: its Quick start has the two promised lines and its Python runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in re.finditer(r"```(\w*)\n(.*?)```", text, flags=re.S)]


def test_quick_start_is_two_lines_install_and_demo_then_tests():
    text = README.read_text()
    quick = text[text.index("## Quick start"):]
    _, body = fenced_blocks(quick)[0]
    lines = [line for line in body.splitlines() if line.strip()]
    assert lines == ["pip install . && thermoflux demo", "pip install '.[test]' && pytest"]


@pytest.mark.parametrize("index", range(sum(lang == "python" for lang, _ in fenced_blocks(README.read_text()))))
def test_python_examples_run(index):
    code = [body for lang, body in fenced_blocks(README.read_text()) if lang == "python"][index]
    exec(compile(code, f"README.md python block {index}", "exec"), {})


def test_toml_examples_are_valid_configs(tmp_path):
    from thermoflux import run_config
    import tomllib

    for lang, body in fenced_blocks(README.read_text()):
        if lang == "toml":
            ds = run_config(tomllib.loads(body))
            assert "entropy_production" in ds

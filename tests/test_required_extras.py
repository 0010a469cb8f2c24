"""A module of the test extra that is missing fails the run, not skips it (issue 14).

The mechanism is run for real: pytest in a subprocess, on tiny test files that require a module
that does not exist (once at module level, once inside a test), with and without the opt-out
THERMOFLUX_ALLOW_MISSING_EXTRAS=1; then on the real QuTiP and Dask test files with QuTiP or
dask.distributed made unimportable, as on an install without them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from required_extras import ALLOW_MISSING, require

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

#: a pytest run in which ``modules`` cannot be imported (``None`` in sys.modules), like an
#: install without them; prints the outcome of every test and collector as JSON at the end.
_RUNNER = textwrap.dedent("""
    import json, sys
    import pytest
    for name in {modules!r}:
        sys.modules[name] = None
    outcomes = {{}}

    class Record:
        def pytest_runtest_logreport(self, report):
            if report.when == "call" or report.outcome != "passed":
                outcomes[report.nodeid.split("::", 1)[-1]] = report.outcome

        def pytest_collectreport(self, report):
            if report.outcome != "passed":
                outcomes[report.nodeid] = report.outcome

    code = pytest.main({args!r}, plugins=[Record()])
    print("OUTCOMES", json.dumps([int(code), outcomes]))
""")


def run_pytest(args: list[str], *, allow_missing: bool, hide: tuple[str, ...] = (), cwd: Path = ROOT):
    """Run pytest in a subprocess; return (exit code, {test or file: outcome}, output)."""
    env = {k: v for k, v in os.environ.items() if k != ALLOW_MISSING}
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), str(ROOT / "src")])
    if allow_missing:
        env[ALLOW_MISSING] = "1"
    script = _RUNNER.format(modules=list(hide), args=[*args, "-p", "no:cacheprovider", "-rA"])
    done = subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)
    output = done.stdout + done.stderr
    marker = [line for line in done.stdout.splitlines() if line.startswith("OUTCOMES ")]
    assert marker, output
    code, outcomes = json.loads(marker[-1][len("OUTCOMES "):])
    return code, outcomes, output


@pytest.fixture
def tiny_suite(tmp_path):
    """Two test files needing a module that does not exist: at module level, inside a test."""
    (tmp_path / "test_module_level.py").write_text(textwrap.dedent("""
        from required_extras import require
        nothing = require("thermoflux_no_such_module")

        def test_uses_it():
            assert nothing
    """))
    (tmp_path / "test_in_a_test.py").write_text(textwrap.dedent("""
        from required_extras import require

        def test_needs_it():
            require("thermoflux_no_such_module")

        def test_needs_only_json():
            assert require("json").dumps([]) == "[]"
    """))
    return tmp_path


def test_require_returns_the_module():
    assert require("json") is json


def test_missing_required_module_is_an_error_naming_the_install_command(tiny_suite):
    code, outcomes, output = run_pytest([str(tiny_suite), "--continue-on-collection-errors"],
                                        allow_missing=False, cwd=tiny_suite)
    assert code != 0, output
    assert outcomes == {"test_module_level.py": "failed", "test_needs_it": "failed",
                        "test_needs_only_json": "passed"}, output
    assert "thermoflux_no_such_module cannot be imported" in output
    assert "pip install '.[test]'" in output and f"{ALLOW_MISSING}=1" in output


def test_opt_out_skips_with_the_reason(tiny_suite):
    code, outcomes, output = run_pytest([str(tiny_suite)], allow_missing=True, cwd=tiny_suite)
    assert code == 0, output
    assert outcomes == {"test_module_level.py": "skipped", "test_needs_it": "skipped",
                        "test_needs_only_json": "passed"}, output
    assert "thermoflux_no_such_module cannot be imported" in output
    assert f"pip install '.[test]' [skipped because {ALLOW_MISSING}=1]" in output


@pytest.mark.parametrize(("test_file", "module"), [
    ("tests/crosscheck/test_master_equation_qutip.py", "qutip"),  # require() at module level
    ("tests/crosscheck/test_harmonic_qutip.py", "qutip"),
    ("tests/sweep/test_dask.py", "distributed"),  # require() in a fixture and in tests
])
def test_suite_fails_without_qutip_or_dask(test_file, module):
    code, outcomes, output = run_pytest([test_file], allow_missing=False, hide=(module,))
    assert code != 0, output  # `pip install '.[test]' && pytest` fails on such an install
    assert "failed" in outcomes.values() and "skipped" not in outcomes.values(), output
    assert f"{module} cannot be imported" in output and "pip install '.[test]'" in output

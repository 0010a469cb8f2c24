"""Running a config is a library function: the sweep engine does not load the click application."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import thermoflux


def test_sweep_does_not_import_the_cli():
    # a fresh interpreter: this test session has imported thermoflux.cli long ago
    code = ("import sys, thermoflux.sweep, thermoflux.configs; "
            "assert 'thermoflux.cli' not in sys.modules, 'thermoflux.sweep imports thermoflux.cli'; "
            "assert 'click' not in sys.modules, 'thermoflux.sweep imports click'")
    # the checkout's (or installed) package, whether or not it is installed in this interpreter
    env = {**os.environ, "PYTHONPATH": str(Path(thermoflux.__file__).resolve().parents[1])}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_cli_and_sweep_share_the_library_runner():
    from thermoflux import audit_config, cli, configs, run_config
    from thermoflux.sweep import ConfigTask

    assert cli.run_config is run_config is configs.run_config
    assert cli.audit_config is audit_config
    assert ConfigTask({"method": "landauer"}).runner is None   # None: configs.run_config at call time

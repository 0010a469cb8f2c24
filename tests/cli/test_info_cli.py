"""`thermoflux info`: version, optional extras, methods, cores and BLAS threads."""

from __future__ import annotations

import json

from click.testing import CliRunner

from thermoflux import __version__, cli
from thermoflux.configs import METHODS


def test_info_text():
    result = CliRunner().invoke(cli.main, ["info"])
    assert result.exit_code == 0, result.output
    assert f"thermoflux {__version__}" in result.output
    for word in ("optional:", "distributed", "methods:", "landauer", "cores:", "BLAS"):
        assert word in result.output


def test_info_json_matches_the_machine():
    from thermoflux._threads import available_cores

    result = CliRunner().invoke(cli.main, ["info", "--json"])
    data = json.loads(result.output)
    assert data["thermoflux"] == __version__
    assert data["cores_available"] == available_cores()
    assert set(data["methods"]) == set(METHODS)
    assert all(isinstance(pool["num_threads"], int) for pool in data["blas"])
    import importlib.util

    assert (data["extras"]["distributed"] is not None) == (importlib.util.find_spec("distributed") is not None)

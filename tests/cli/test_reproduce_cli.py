"""`thermoflux reproduce`: figures and an index.html with each paper's claims table."""

from __future__ import annotations

import json
import re
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from thermoflux import cli
from thermoflux.reproduce import Claim, Report, gallery


def _fake(seed: str, *, claim_passes: bool = True, crash: bool = False) -> types.ModuleType:
    module = types.ModuleType(f"fake_seed{seed}")
    module.SEED, module.TITLE = seed, f"Fake paper {seed} <with markup>"

    def reproduce(outdir: Path, *, full: bool = False) -> Report:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        if crash:
            raise RuntimeError("integrator exploded")
        outdir.mkdir(parents=True, exist_ok=True)
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.plot([0, 1], [0, 1 if full else 2])
        path = outdir / "fig1.png"
        fig.savefig(path)
        plt.close(fig)
        found = 0.5 if claim_passes else 0.7
        return Report(seed, module.TITLE, figures=[path],
                      claims=[Claim("COP <= Carnot bound T_c/(T_h - T_c)", found, 0.5, claim_passes)])

    module.reproduce = reproduce
    return module


def _install(monkeypatch, modules):
    monkeypatch.setattr(gallery, "_installed", lambda: dict(modules))


def test_index_shows_figures_and_claims(monkeypatch, tmp_path):
    _install(monkeypatch, {"001": _fake("001"), "003": _fake("003")})
    result = CliRunner().invoke(cli.main, ["reproduce", "all", "-o", str(tmp_path / "g")])
    assert result.exit_code == 0, result.output
    index = (tmp_path / "g" / "index.html").read_text()
    for seed in ("001", "003"):
        assert (tmp_path / "g" / f"seed{seed}" / "fig1.png").stat().st_size > 0
        assert f'src="seed{seed}/fig1.png"' in index
    assert "COP &lt;= Carnot bound" in index and "Fake paper 001 &lt;with markup&gt;" in index
    assert index.count('class="pass">pass<') == 2
    claims = json.loads((tmp_path / "g" / "claims.json").read_text())
    assert [r["seed"] for r in claims] == ["001", "003"] and claims[0]["claims"][0]["passed"] is True
    assert "2/2 reproductions passed" in result.output


def test_failed_claim_and_crash_are_shown_and_exit_1(monkeypatch, tmp_path):
    _install(monkeypatch, {"000": _fake("000", claim_passes=False), "002": _fake("002", crash=True),
                           "004": _fake("004")})
    result = CliRunner().invoke(cli.main, ["reproduce", "-o", str(tmp_path)])
    assert result.exit_code == 1
    index = (tmp_path / "index.html").read_text()
    assert 'class="fail">FAIL<' in index and "integrator exploded" in index
    assert (tmp_path / "seed004" / "fig1.png").exists()  # a crash does not stop the others
    assert "1/3 reproductions passed" in result.output


def test_one_seed_by_number_and_unknown_seed(monkeypatch, tmp_path):
    _install(monkeypatch, {"001": _fake("001"), "004": _fake("004")})
    result = CliRunner().invoke(cli.main, ["reproduce", "4", "-o", str(tmp_path), "--full"])
    assert result.exit_code == 0 and not (tmp_path / "seed001").exists()
    assert "full (the papers)" in (tmp_path / "index.html").read_text()
    bad = CliRunner().invoke(cli.main, ["reproduce", "7", "-o", str(tmp_path)])
    assert bad.exit_code == 2 and "one of the installed reproductions (001, 004); got '7'" in bad.stderr


def test_broken_import_of_a_seed_module_is_reported(monkeypatch, tmp_path):
    _install(monkeypatch, {"001": ImportError("cannot import name 'simulate'"), "004": _fake("004")})
    result = CliRunner().invoke(cli.main, ["reproduce", "-o", str(tmp_path)])
    assert result.exit_code == 1 and "cannot import name" in (tmp_path / "index.html").read_text()


def test_installed_lists_the_real_modules():
    installed = gallery._installed()
    assert set(installed) <= {"000", "001", "002", "003", "004", "methods"}
    for module in installed.values():
        if not isinstance(module, BaseException):
            assert callable(module.reproduce) and module.SEED in installed


@pytest.mark.slow
def test_real_reproductions_write_index(tmp_path):
    installed = {k: m for k, m in gallery._installed().items() if not isinstance(m, BaseException)}
    if not installed:
        pytest.skip("no reproduction module is present yet")
    result = CliRunner().invoke(cli.main, ["reproduce", "all", "-o", str(tmp_path)])
    index = (tmp_path / "index.html").read_text()
    for seed in installed:
        assert f'id="seed{seed}"' in index
        folder = f"seed{seed}" if seed.isdigit() else seed  # the cross-method page: DIR/methods
        assert list((tmp_path / folder).glob("*.png"))
    assert result.exit_code in (0, 1)  # 1 when another engineer's claim fails: shown in the index


def test_resume_reaches_seed001_and_spares_the_others(monkeypatch, tmp_path):
    """``--resume`` continues seed 001 from DIR/seed001/checkpoint; seeds without checkpoints
    (their ``reproduce`` takes no ``resume``) simply run; the wall time is printed."""
    from thermoflux.reproduce import seed001

    monkeypatch.setattr(seed001, "REDUCED", seed001.Sizes(40, 6, (3.0, 10.0), 4))  # ~2 s
    calls = []
    original = seed001._Simulation.__call__
    monkeypatch.setattr(seed001._Simulation, "__call__",
                        lambda task, **point: calls.append(point) or original(task, **point))
    _install(monkeypatch, {"001": seed001, "004": _fake("004")})
    out = tmp_path / "g"
    runs = []
    for _ in range(2):
        calls.clear()
        result = CliRunner().invoke(cli.main, ["reproduce", "all", "-o", str(out), "--resume"])
        assert result.exit_code in (0, 1), result.output  # at K = 40 a claim may fail: not checked here
        records = json.loads((out / "claims.json").read_text())
        assert [r["error"] for r in records] == [None, None]
        runs.append((len(calls), [r["claims"] for r in records]))
        assert re.search(r"seed 001: \d+/\d+ claims pass, wall time \d", result.output)
    assert (out / "seed001" / "checkpoint" / "manifest.json").exists()
    assert runs[0][0] == len(seed001.simulation_grid(seed001.REDUCED)) and runs[1][0] == 0
    assert runs[1][1] == runs[0][1]  # the resumed report is identical

"""Checkpoint and resume: atomic chunk files, identical results, refusal of foreign folders."""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from thermoflux import InputError, sweep
from thermoflux.sweep import PointFailedWarning

SRC = Path(__file__).resolve().parents[2] / "src"
TASKS = Path(__file__).with_name("_tasks.py")
GRID = {"a": [0.5, 1.0, 2.0, 4.0], "b": [-1.0, 0.0, 1.0, 2.0, 3.0]}


def _logged_points(log: Path) -> list[tuple[float, float]]:
    if not log.exists():
        return []
    return [tuple(map(float, line.split())) for line in log.read_text().splitlines() if line.strip()]


def test_checkpointed_run_equals_plain_run_and_resume_reuses_everything(sweep_tasks, tmp_path):
    plain = sweep.run(sweep_tasks.product, GRID, executor="serial")
    ck = tmp_path / "ck"
    first = sweep.run(sweep_tasks.product, GRID, executor="serial", checkpoint=ck, chunk_size=3)
    xr.testing.assert_identical(first, plain)
    assert len(list(ck.glob("chunk-*.json"))) == 7  # ceil(20 / 3) chunks, each with a marker
    got = []
    again = sweep.run(sweep_tasks.product, GRID, executor="serial", checkpoint=ck, resume=True,
                      summary=got.append)
    assert got[0].computed == 0 and got[0].reused == 20
    xr.testing.assert_identical(again, plain)


def test_resume_computes_only_missing_chunks(sweep_tasks, tmp_path):
    ck = tmp_path / "ck"
    log = tmp_path / "log"
    task = functools.partial(sweep_tasks.logged, log=log)
    full = sweep.run(task, GRID, executor="serial", checkpoint=ck, chunk_size=4)
    for name in ("chunk-000001.json", "chunk-000003.json"):  # as if these never finished
        (ck / name).unlink()
    (ck / "chunk-000003.nc").unlink()
    log.unlink()
    resumed = sweep.run(task, GRID, executor="processes", workers=2, checkpoint=ck, resume=True)
    grid = sweep.Grid(GRID)
    expected = sorted(tuple(grid.point(i).values()) for i in [*range(4, 8), *range(12, 16)])
    assert sorted(_logged_points(log)) == expected
    xr.testing.assert_identical(resumed, full)


def test_failed_points_survive_resume(tmp_path):
    def task(seed):
        if seed % 4 == 1:
            raise ArithmeticError(f"bad seed {seed}")
        return {"value": seed / 3}

    points = [{"seed": s} for s in range(8)]
    with pytest.warns(PointFailedWarning):
        full = sweep.run(task, points, executor="serial", checkpoint=tmp_path / "ck", chunk_size=3, retries=0)
    (tmp_path / "ck" / "chunk-000002.json").unlink()
    with pytest.warns(PointFailedWarning):
        resumed = sweep.run(task, points, executor="serial", checkpoint=tmp_path / "ck", resume=True, retries=0)
    xr.testing.assert_identical(resumed, full)
    assert [f["index"] for f in json.loads(resumed.attrs["failed_points"])] == [1, 5]


@pytest.mark.parametrize(("grid", "match"), [
    ({"a": [0.5, 1.0, 2.0, 4.0], "b": [-1.0, 0.0, 1.0, 2.0, 3.5]}, "different values"),
    ({"a": [0.5, 1.0], "b": [-1.0, 0.0, 1.0, 2.0, 3.0]}, "grid shape"),
    ({"b": [-1.0, 0.0, 1.0, 2.0, 3.0], "a": [0.5, 1.0, 2.0, 4.0]}, "parameters"),
])
def test_checkpoint_of_another_grid_is_refused(sweep_tasks, tmp_path, grid, match):
    sweep.run(sweep_tasks.product, GRID, executor="serial", checkpoint=tmp_path / "ck")
    with pytest.raises(InputError, match=f"another sweep.*{match}"):
        sweep.run(sweep_tasks.product, grid, executor="serial", checkpoint=tmp_path / "ck", resume=True)


def test_checkpoint_of_another_task_or_config_is_refused(sweep_tasks, tmp_path):
    sweep.run(sweep_tasks.product, GRID, executor="serial", checkpoint=tmp_path / "ck")
    with pytest.raises(InputError, match="another task"):
        sweep.run(sweep_tasks.logged, GRID, executor="serial", checkpoint=tmp_path / "ck", resume=True)
    run = lambda config: xr.Dataset({"y": config["p"]["x"] * config["p"]["k"]})  # noqa: E731
    base = sweep.ConfigTask({"p": {"x": 1.0, "k": 2.0}}, runner=run)
    sweep.run(base, {"p.x": [1.0, 2.0]}, executor="serial", checkpoint=tmp_path / "ck2")
    other = sweep.ConfigTask({"p": {"x": 1.0, "k": 3.0}}, runner=run)
    with pytest.raises(InputError, match="other fixed parameters"):
        sweep.run(other, {"p.x": [1.0, 2.0]}, executor="serial", checkpoint=tmp_path / "ck2", resume=True)


def test_existing_checkpoint_without_resume_and_foreign_folder_are_refused(sweep_tasks, tmp_path):
    sweep.run(sweep_tasks.product, GRID, executor="serial", checkpoint=tmp_path / "ck")
    with pytest.raises(InputError, match="pass resume=True"):
        sweep.run(sweep_tasks.product, GRID, executor="serial", checkpoint=tmp_path / "ck")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not a sweep checkpoint folder"):
        sweep.run(sweep_tasks.product, GRID, executor="serial", checkpoint=tmp_path / "other")
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        sweep.run(sweep_tasks.product, GRID, executor="serial", checkpoint=tmp_path / "file")


def test_resume_on_an_empty_folder_starts_fresh_and_stray_temporaries_are_removed(sweep_tasks, tmp_path):
    ck = tmp_path / "ck"
    sweep.run(sweep_tasks.product, GRID, executor="serial", checkpoint=ck, resume=True)
    (ck / ".chunk-000000.nc.abc.tmp").write_bytes(b"half a file")
    sweep.run(sweep_tasks.product, GRID, executor="serial", checkpoint=ck, resume=True)
    assert not list(ck.glob(".*.tmp"))


_KILLED_RUN = textwrap.dedent("""
    import functools, importlib.util, sys
    spec = importlib.util.spec_from_file_location("thermoflux_sweep_test_tasks", {tasks!r})
    tasks = importlib.util.module_from_spec(spec); sys.modules[spec.name] = tasks
    spec.loader.exec_module(tasks)
    import cloudpickle; cloudpickle.register_pickle_by_value(tasks)
    from thermoflux import sweep
    task = functools.partial(tasks.logged, log={log!r}, delay=0.04)
    sweep.run(task, {grid!r}, executor="processes", workers=2, checkpoint={ck!r}, chunk_size=2,
              progress=False, summary=False)
    print("finished")
""")


def test_sigkill_midway_then_resume_is_identical_and_recomputes_only_missing(sweep_tasks, tmp_path):
    ck, log = tmp_path / "ck", tmp_path / "log-killed"
    script = _KILLED_RUN.format(tasks=str(TASKS), log=str(log), grid=GRID, ck=str(ck))
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    try:
        while len(list(ck.glob("chunk-*.json"))) < 3:  # 3 of 10 chunks done: kill mid-run
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the sweep subprocess made no progress"
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the parent and its workers, at an arbitrary instant
        out, _ = proc.communicate()
    assert b"finished" not in out
    done_before = {json.loads(p.read_text())["chunk"] for p in ck.glob("chunk-*.json")}
    assert 3 <= len(done_before) < 10

    # the same task (a different log file would be another partial: a foreign checkpoint)
    task = functools.partial(sweep_tasks.logged, log=str(log), delay=0.04)
    before = len(_logged_points(log))
    resumed = sweep.run(task, GRID, executor="serial", checkpoint=ck, resume=True)
    grid = sweep.Grid(GRID)
    missing = [i for c in range(10) if c not in done_before for i in (2 * c, 2 * c + 1)]
    computed = _logged_points(log)[before:]
    assert sorted(computed) == sorted(tuple(grid.point(i).values()) for i in missing)

    uninterrupted = sweep.run(functools.partial(sweep_tasks.logged, delay=0.0), GRID, executor="serial")
    xr.testing.assert_identical(resumed, uninterrupted)
    np.testing.assert_array_equal(resumed["x"].values, np.outer(GRID["a"], GRID["b"]))

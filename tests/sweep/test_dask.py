"""The Dask executor against a LocalCluster of two worker processes on loopback."""

from __future__ import annotations

import json
import sys

import pytest
import xarray as xr

from thermoflux import InputError, sweep
from thermoflux.sweep import PointFailedWarning
from required_extras import require

GRID = {"a": [0.5, 1.0, 2.0], "b": [-1.0, 3.0, 4.0]}


@pytest.fixture(scope="module")
def cluster():
    distributed = require("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, worker_dashboard_address=None) as local:
        yield local


def test_dask_by_address_equals_serial(sweep_tasks, cluster):
    serial = sweep.run(sweep_tasks.product, GRID, executor="serial")
    on_dask = sweep.run(sweep_tasks.product, GRID, executor="dask", scheduler=cluster.scheduler_address,
                        chunk_size=2)
    xr.testing.assert_identical(on_dask, serial)


def test_dask_with_client_records_failures_and_sets_one_blas_thread(sweep_tasks, cluster, tmp_path):
    distributed = require("distributed")

    def task(seed):
        if seed == 2:
            raise RuntimeError("bad seed")
        return {"square": seed * seed}

    with distributed.Client(cluster) as client:
        with pytest.warns(PointFailedWarning):
            ds = sweep.run(task, [{"seed": s} for s in range(5)], executor="dask", scheduler=client,
                           checkpoint=tmp_path / "ck", chunk_size=2)
        assert client.status == "running"  # a Client given by the caller is left open

        def threads():
            from threadpoolctl import threadpool_info

            return sorted({pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"})

        per_worker = client.run(threads)
    assert len(per_worker) == 2 and all(v in ([1], []) for v in per_worker.values())
    assert json.loads(ds.attrs["failed_points"])[0]["parameters"] == {"seed": 2}
    assert list(ds["square"].fillna(-1).values) == [0, 1, -1, 9, 16]


def test_missing_dask_says_how_to_install(sweep_tasks, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(ImportError, match=r"pip install 'thermoflux\[dask\]'"):
        sweep.run(sweep_tasks.product, GRID, executor="dask")


def test_unreachable_scheduler_is_an_input_error(sweep_tasks, monkeypatch):
    require("distributed")
    from thermoflux.sweep import executors

    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(InputError, match="cannot reach a Dask scheduler"):
        sweep.run(sweep_tasks.product, GRID, executor="dask", scheduler="tcp://127.0.0.1:9")

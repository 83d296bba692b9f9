"""When one machine is not enough: the recipes of docs/python.md, run.

- Dask: `map_partitions(aitag.tag_frame)` on a dask.distributed LocalCluster
  of worker processes gives the frame one process gives.
- GNU parallel: `aitag batch` as the map step over JSONL splits (`--pipe`)
  gives the records of one run.
- Spark: examples/spark_tag.py (mapInPandas, local mode) where pyspark and
  Java are installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

import aitag
from conftest import INCIDENTS, ROOT, cli_path, run_cli


def needed(tool: str) -> None:
    """CI installs the tools the recipes need: there a missing one fails."""
    if shutil.which(tool) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is not installed (.ci/run installs it)")
        pytest.skip(f"{tool} is not installed")


def test_dask_map_partitions_on_a_local_cluster_gives_one_runs_frame():
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("dask.distributed")
    tagger = aitag.Tagger(min_confidence=0.4)  # pickled to the workers as its arguments
    whole = pd.read_json(INCIDENTS, lines=True)
    expected = aitag.tag_frame(whole, text=["title", "description"], id="id", tagger=tagger)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster):
        ddf = dd.read_json(str(INCIDENTS), lines=True, blocksize=64 * 1024)
        assert ddf.npartitions > 2
        meta = aitag.tag_frame(ddf._meta, text=["title", "description"], id="id", tagger=tagger)
        tagged = ddf.map_partitions(
            aitag.tag_frame,
            text=["title", "description"],
            id="id",
            tagger=tagger,
            jobs=1,
            meta=meta,
        ).compute()
    assert len(tagged) == len(expected)
    got = tagged.reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected.reset_index(drop=True))
    assert got["tags"].map(len).sum() > 0


def test_gnu_parallel_map_step_gives_the_records_of_one_run(tmp_path):
    needed("parallel")
    aitag_bin = str(cli_path())
    one = run_cli("batch", "-o", "jsonl", "--explain", str(INCIDENTS)).stdout.splitlines()
    with open(INCIDENTS, "rb") as stdin:
        split = subprocess.run(
            [
                "parallel", "--pipe", "-k", "--block", "64k", "-j", "2",
                aitag_bin, "--color", "never", "batch", "-o", "jsonl", "--explain",
                "--input", "jsonl", "-j", "1",
            ],
            stdin=stdin,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8").splitlines()
    assert len(split) == len(one) == 1367
    lines_of_splits = set()
    for a, b in zip(one, split):
        a, b = json.loads(a), json.loads(b)
        lines_of_splits.add(b["source"]["line"] == a["source"]["line"])
        # `source` names the split (stdin of one job), everything else is equal.
        del a["source"], b["source"]
        assert a == b
    # More than one split really ran: line numbers restart in each.
    assert False in lines_of_splits


def test_spark_script_in_local_mode(tmp_path):
    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")
    needed("java")
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "spark_tag.py"), str(INCIDENTS), "--check"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "1367 records" in done.stdout

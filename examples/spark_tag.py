#!/usr/bin/env python3
"""Tag JSONL incidents with PySpark: `mapInPandas` runs aitag.tag_frame on
each partition's rows, on the executors (docs/python.md, "Spark").

    python examples/spark_tag.py INCIDENTS.jsonl [--out DIR] [--check]

Runs in local mode (all cores of this machine) unless SPARK_MASTER names a
cluster; needs Java and `pip install pyspark pyarrow` besides aitag (and
pandas). --out writes the tagged records as JSON lines (Spark's part files);
--check also tags the file in this process and exits 1 unless every record
agrees. On a cluster every executor needs aitag installed, and any taxonomy or
model file the Tagger names at the same path.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Iterator

import pandas as pd
from pyspark.sql import SparkSession
from pyspark.sql import types as T

import aitag

TEXT = ["title", "description"]


def schema(tagger: aitag.Tagger) -> T.StructType:
    """The Spark schema of aitag.tag_frame's columns (without reasons)."""
    return T.StructType(
        [
            T.StructField("id", T.StringType()),
            T.StructField("tags", T.ArrayType(T.StringType())),
            *[T.StructField(tag, T.DoubleType()) for tag in tagger.tags],
            T.StructField("rules", T.ArrayType(T.StringType())),
            T.StructField("error", T.StringType()),
        ]
    )


def tag_spark(frame, tagger: aitag.Tagger):
    """A Spark DataFrame of incidents -> a Spark DataFrame of tag_frame rows.
    The Tagger is pickled to the executors as its arguments and compiled once
    per Python worker; jobs=1 because Spark already runs a task per core."""

    def tag_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            yield aitag.tag_frame(batch, text=TEXT, id="id", tagger=tagger, jobs=1)

    return frame.mapInPandas(tag_batches, schema(tagger))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("incidents", help="JSONL with id, title and description")
    parser.add_argument("--out", help="write the tagged records here (a directory)")
    parser.add_argument("--check", action="store_true", help="compare with one local run")
    parser.add_argument("--partitions", type=int, default=4, help="Spark partitions (default 4)")
    args = parser.parse_args()

    tagger = aitag.Tagger()
    # The workers must run the Python that has aitag installed (a virtual
    # environment's), not whichever `python3` comes first on the PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[*]"))
        .appName("aitag")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        incidents = spark.read.json(args.incidents).select("id", *TEXT)
        incidents = incidents.repartition(args.partitions)
        tagged = tag_spark(incidents, tagger)
        if args.out:
            tagged.write.mode("overwrite").json(args.out)
        rows = tagged.toPandas()
    finally:
        spark.stop()
    counts = pd.Series([t for tags in rows["tags"] for t in tags]).value_counts()
    print(f"{len(rows)} records tagged with Spark")
    print(counts.to_string())
    if args.check:
        local = aitag.tag_frame(
            pd.read_json(args.incidents, lines=True, dtype={"id": str}),
            text=TEXT,
            id="id",
            tagger=tagger,
        )
        got = rows.set_index("id").sort_index()  # partitions do not keep the file's order
        want = local.set_index("id").sort_index()
        same = (
            got.index.equals(want.index)
            and [list(t) for t in got["tags"]] == want["tags"].tolist()
            and [list(r) for r in got["rules"]] == want["rules"].tolist()
            and all(got[t].equals(want[t]) for t in tagger.tags)
        )
        if not same:
            print("Spark and one local run disagree", file=sys.stderr)
            return 1
        print("Spark agrees with one local run on every record")
    return 0


if __name__ == "__main__":
    sys.exit(main())

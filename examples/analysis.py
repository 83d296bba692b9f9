#!/usr/bin/env python3
"""Notebook-style analysis: which AI-safety subfields do the AIID incidents
call for, year by year?

    python examples/analysis.py [INCIDENTS.jsonl] [--out docs/tags-per-year.png]

Each cell below is what one would run in Jupyter: read the incidents with
pandas, tag them with aitag.tag_frame, count tags per year of the `date`
field, plot the counts with matplotlib. Needs `pip install ./python pandas
matplotlib`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # a file, not a window: runs headless and in CI
import matplotlib.pyplot as plt
import pandas as pd

import aitag

ROOT = Path(__file__).resolve().parents[1]


def tags_per_year(incidents: pd.DataFrame, tagger: aitag.Tagger) -> pd.DataFrame:
    """A year x tag table: how many incidents of each year carry each tag."""
    # %% Tag every incident: one row per incident, a `tags` list column.
    tagged = aitag.tag_frame(incidents, text=["title", "description"], id="id", tagger=tagger)
    # %% One row per (incident, tag), with the incident's year.
    years = pd.to_datetime(incidents["date"], errors="coerce").dt.year
    long = (
        pd.DataFrame({"year": years, "tag": tagged["tags"]})
        .explode("tag")
        .dropna(subset=["year", "tag"])
    )
    # %% Count, with a column for every tag of the taxonomy in its order.
    table = pd.crosstab(long["year"].astype(int), long["tag"])
    return table.reindex(columns=tagger.tags, fill_value=0)


# Years with fewer incidents than this are in the table but not the plot:
# before 2012 the AIID has a handful a year, and their lines are noise.
MIN_INCIDENTS_PLOTTED = 10


def plot(table: pd.DataFrame, per_year: pd.Series, out: Path, tagger: aitag.Tagger) -> None:
    shown = per_year[per_year >= MIN_INCIDENTS_PLOTTED].index
    table = table.loc[table.index.intersection(shown)]
    fig, ax = plt.subplots(figsize=(10, 5.5), dpi=110)
    children = {t for t in tagger.tags if t in ("outer-alignment", "inner-alignment")}
    for tag in table.columns:
        style = "--" if tag in children else "-"
        ax.plot(table.index, table[tag], style, marker="o", markersize=3, label=tag)
    ax.set_xlabel("year of the incident (AIID `date`)")
    ax.set_ylabel("incidents carrying the tag")
    ax.set_title(
        f"AI-safety subfields of the AIID incidents per year "
        f"({int(per_year.sum())} incidents tagged by aitag; years with at least "
        f"{MIN_INCIDENTS_PLOTTED})",
        fontsize=10,
    )
    ax.set_xticks(list(table.index))
    ax.grid(alpha=0.3)
    ax.legend(ncols=2, fontsize=9)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "incidents",
        nargs="?",
        default=ROOT / "tests" / "data" / "aiid" / "incidents.jsonl",
        type=Path,
    )
    parser.add_argument("--out", default=ROOT / "docs" / "tags-per-year.png", type=Path)
    args = parser.parse_args()

    # %% Read the incidents (id, title, description, date).
    incidents = pd.read_json(args.incidents, lines=True, dtype={"id": str})
    tagger = aitag.Tagger()
    table = tags_per_year(incidents, tagger)
    print(table.to_string())
    per_year = pd.to_datetime(incidents["date"], errors="coerce").dt.year.value_counts()
    plot(table, per_year, args.out, tagger)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

"""examples/analysis.py: the tags-per-year table and its plot."""

from __future__ import annotations

import importlib.util

import pandas as pd
import pytest

import aitag
from conftest import INCIDENTS, ROOT


def load_example():
    spec = importlib.util.spec_from_file_location("analysis", ROOT / "examples" / "analysis.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tags_per_year_counts_every_tag_of_every_dated_incident(tmp_path, tagger):
    pytest.importorskip("matplotlib")
    analysis = load_example()
    incidents = pd.read_json(INCIDENTS, lines=True, dtype={"id": str})
    table = analysis.tags_per_year(incidents, tagger)
    assert list(table.columns) == tagger.tags
    frame = aitag.tag_frame(incidents, text=["title", "description"], id="id", tagger=tagger)
    dated = pd.to_datetime(incidents["date"], errors="coerce").notna()
    assert int(table.to_numpy().sum()) == int(frame.loc[dated, "tags"].map(len).sum())
    year = pd.to_datetime(incidents["date"]).dt.year
    in_2020 = frame.loc[year == 2020, "tags"]
    assert table.loc[2020, "competence"] == sum("competence" in t for t in in_2020)
    out = tmp_path / "plot.png"
    per_year = year.value_counts()
    analysis.plot(table, per_year, out, tagger)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

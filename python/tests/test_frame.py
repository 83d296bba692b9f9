"""aitag.tag_frame: a DataFrame in, a DataFrame out, the same records and
figures as `aitag batch -o csv` on the same incidents."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

import aitag
from conftest import INCIDENTS, load_jsonl, run_cli, without_char_offsets


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    return pd.read_json(INCIDENTS, lines=True)


@pytest.fixture(scope="module")
def csv_explain() -> pd.DataFrame:
    out = run_cli("batch", "-o", "csv", "--explain", str(INCIDENTS)).stdout
    return pd.read_csv(io.StringIO(out), dtype={"id": str, "tags": str, "rules": str}, keep_default_na=False)


def split(cell: str) -> list:
    return cell.split(";") if cell else []


def test_frame_has_the_records_and_figures_of_the_csv_output(incidents, csv_explain):
    tagger = aitag.Tagger()
    frame = aitag.tag_frame(incidents, text=["title", "description"], id="id", explain=True)
    assert list(frame.columns) == ["id", "tags", *tagger.tags, "rules", "error", "reasons"]
    assert len(frame) == len(incidents) == len(csv_explain)
    assert frame.index.equals(incidents.index)
    assert frame["id"].tolist() == csv_explain["id"].tolist()
    assert frame["tags"].tolist() == [split(c) for c in csv_explain["tags"]]
    assert frame["rules"].tolist() == [split(c) for c in csv_explain["rules"]]
    for tag in tagger.tags:
        # The CSV writes three decimals; the frame keeps the full value.
        assert [float(f"{x:.3f}") for x in frame[tag]] == csv_explain[tag].astype(float).tolist(), tag
    assert frame["error"].isna().all()
    assert [without_char_offsets(r) for r in frame["reasons"]] == [
        json.loads(c) for c in csv_explain["reasons"]
    ]
    assert frame["tags"].map(len).sum() > len(frame) // 2


def test_rows_keep_their_index_and_order(incidents):
    some = incidents.iloc[:200]
    shuffled = some.sample(frac=1.0, random_state=7).set_index(
        pd.Index([f"row-{i}" for i in range(len(some))])
    )
    straight = aitag.tag_frame(some, text=["title", "description"], id="id")
    mixed = aitag.tag_frame(shuffled, text=["title", "description"], id="id", jobs=2)
    assert mixed.index.equals(shuffled.index)
    by_id = straight.set_index("id")
    again = mixed.set_index("id").loc[by_id.index]
    pd.testing.assert_frame_equal(again, by_id)


def test_a_frame_with_text_and_no_id_uses_the_index(tagger):
    texts = [
        "Hackers stole the model weights and leaked them online.",
        "The chatbot was jailbroken with a prompt injection.",
    ]
    df = pd.DataFrame({"text": texts}, index=[10, 20])
    frame = aitag.tag_frame(df, tagger=tagger)
    assert frame["id"].tolist() == ["10", "20"]
    assert frame["tags"].tolist() == [
        [t["tag"] for t in r["tags"]] for r in tagger.classify_many(texts)
    ]


def test_rows_without_usable_text_carry_the_cli_error():
    rows = [
        {"id": "a", "title": "Robot arm crushed a worker", "description": None},
        {"id": "b", "title": "   ", "description": ""},
        {"id": "c", "title": None, "description": None},
        {"id": None, "title": "A drone crashed", "description": "It fell."},
    ]
    df = pd.DataFrame(rows)
    frame = aitag.tag_frame(df, text=["title", "description"], id="id")
    stdin = "".join(json.dumps(r) + "\n" for r in rows)
    cli = load_jsonl(
        run_cli(
            "batch", "-o", "jsonl", "--input", "jsonl",
            "--text-field", "title", "--text-field", "description",
            stdin=stdin, check=False,
        ).stdout
    )
    assert frame["error"].tolist() == [c.get("error") for c in cli]
    assert frame["error"].iloc[1] == "empty text in `title` and `description`"
    # A row with no id gets the reader's FILE:LINE id, with the row's number.
    assert frame["id"].tolist()[:3] == ["a", "b", "c"]
    assert frame["id"].iloc[3] == "<DataFrame>:4"
    assert frame.loc[1, "tags"] == [] and pd.isna(frame.loc[1, "competence"])


def test_an_empty_frame_gives_an_empty_frame_with_the_columns(tagger):
    empty = pd.DataFrame({"text": pd.Series([], dtype=object)})
    frame = aitag.tag_frame(empty, tagger=tagger)
    assert len(frame) == 0
    assert list(frame.columns) == ["id", "tags", *tagger.tags, "rules", "error"]
    assert all(frame[t].dtype == "float64" for t in tagger.tags)


def test_a_missing_column_is_a_key_error(incidents):
    with pytest.raises(KeyError, match="summary"):
        aitag.tag_frame(incidents, text=["summary"])
    with pytest.raises(KeyError, match="key"):
        aitag.tag_frame(incidents, text=["title"], id="key")

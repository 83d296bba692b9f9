"""Python and the CLI agree byte for byte: every AIID incident, read by the
product's own reader, classified from Python, gives the JSON the CLI prints."""

from __future__ import annotations

import json

import pytest

import aitag
from conftest import (
    DEFAULT_MODEL,
    INCIDENTS,
    evidence_spans,
    load_jsonl,
    run_cli,
    without_char_offsets,
)


def test_read_records_reads_what_batch_reads(records, batch_explain):
    cli = [json.loads(line) for line in batch_explain]
    assert [r["id"] for r in records] == [c["id"] for c in cli]
    assert [r["source"] for r in records] == [c["source"] for c in cli]
    # The reader's own joining of title and description, not Python's.
    first = json.loads(INCIDENTS.read_text(encoding="utf-8").splitlines()[0])
    assert records[0]["text"] == f"{first['title']}. {first['description']}"


def test_every_incident_gives_the_bytes_of_the_cli(records, tagger, batch_explain):
    # A batch record with --explain is {"id", then the classification's own
    # fields, then "source"}: classify's JSON must sit inside it unchanged.
    for record, line in zip(records, batch_explain):
        body = tagger.classify_json(record["text"], explain=True)
        assert body.startswith("{") and body.endswith("}")
        assert f",{body[1:-1]},\"source\":" in line, record["id"]


def test_every_incident_gives_the_dict_of_the_cli(records, tagger, batch_explain):
    texts = [r["text"] for r in records]
    results = tagger.classify_many(texts, explain=True)
    assert len(results) == len(records)
    tagged = 0
    for record, line, result in zip(records, batch_explain, results):
        cli = json.loads(line)
        # id, text (with --explain) and source belong to the batch record,
        # around the classification.
        assert cli.pop("id") == record["id"]
        assert cli.pop("text") == record["text"]
        cli.pop("source")
        assert without_char_offsets(result) == cli, record["id"]
        tagged += bool(result["tags"])
    # The comparison means something only if most incidents carry tags.
    assert tagged > len(records) // 2


def test_char_offsets_slice_the_python_string(records, tagger):
    texts = [r["text"] for r in records]
    non_ascii = 0
    spans = 0
    for text, result in zip(texts, tagger.classify_many(texts, explain=True)):
        for ev in evidence_spans(result):
            spans += 1
            assert text[ev["char_start"] : ev["char_end"]] == ev["text"]
            assert text.encode("utf-8")[ev["start"] : ev["end"]].decode("utf-8") == ev["text"]
            if ev["char_start"] != ev["start"]:
                non_ascii += 1
    assert spans > 10_000
    # AIID titles use curly quotes: some spans sit after multi-byte characters.
    assert non_ascii > 0


def sample(records, every=97):
    """A spread of incidents, and all those whose text is not ASCII among the first 400."""
    chosen = records[::every] + [r for r in records[:400] if not r["text"].isascii()][:10]
    assert len(chosen) > 15
    return chosen


@pytest.mark.parametrize(
    "cli_args, tagger_args",
    [
        ([], {}),
        (["--explain"], {"explain": True}),
    ],
)
def test_classify_json_is_what_classify_prints(records, tagger, cli_args, tagger_args):
    for record in sample(records):
        done = run_cli("classify", "-o", "json", *cli_args, stdin=record["text"])
        assert done.stdout == tagger.classify_json(record["text"], **tagger_args) + "\n"
        assert done.returncode == (0 if json.loads(done.stdout)["tags"] else 1)


def test_options_mean_what_the_cli_options_mean(records):
    texts = [r["text"] for r in records[:300]]
    stdin = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts))
    # (global options, batch options, the Tagger that should mean the same)
    cases = [
        (["--no-model"], [], aitag.Tagger(use_model=False)),
        ([], ["--min-confidence", "0.3"], aitag.Tagger(min_confidence=0.3)),
        (["--model", str(DEFAULT_MODEL)], ["--min-confidence", "0.9"],
         aitag.Tagger(model=DEFAULT_MODEL, min_confidence=0.9)),
    ]
    outputs = []
    for global_flags, flags, tagger in cases:
        cli = load_jsonl(
            run_cli(
                *global_flags, "batch", *flags, "--explain", "-o", "jsonl", "--input", "jsonl",
                stdin=stdin,
            ).stdout
        )
        got = tagger.classify_many(texts, explain=True)
        for c, g, text in zip(cli, got, texts, strict=True):
            assert c.pop("text") == text
            del c["id"], c["source"]
            assert without_char_offsets(g) == c
        outputs.append(got)
    # The options change results, so the comparison above is not vacuous.
    assert outputs[0] != outputs[1] != outputs[2]
    assert aitag.Tagger(use_model=False).has_model is False

"""A taxonomy of one's own, and errors: Python raises what the CLI reports,
in the CLI's words."""

from __future__ import annotations

import json
import pickle

import pytest

import aitag
from conftest import DEFAULT_MODEL, EVAL_TAXONOMY, INCIDENTS, ROOT, run_cli, without_char_offsets


def cli_error(*args: str) -> str:
    """The CLI's message for a failing command: stderr without `aitag: `."""
    done = run_cli(*args, "classify", "hacked", check=False)
    assert done.returncode == 2, done
    assert done.stderr.startswith("aitag: ")
    return done.stderr[len("aitag: ") :].rstrip("\n")


def test_a_custom_taxonomy_tags_as_the_cli_does(records):
    tagger = aitag.Tagger(taxonomy=EVAL_TAXONOMY)
    assert tagger.tags == ["alignment", "outer-alignment", "competence", "security"]
    # The built-in model was fit for the built-in tags: none for this taxonomy.
    assert tagger.has_model is False
    cli = run_cli("--taxonomy", str(EVAL_TAXONOMY), "batch", "--explain", "-o", "jsonl", str(INCIDENTS))
    got = tagger.classify_many([r["text"] for r in records], explain=True)
    tagged = 0
    for line, result, record in zip(cli.stdout.splitlines(), got, records, strict=True):
        expected = json.loads(line)
        assert expected.pop("text") == record["text"]
        del expected["id"], expected["source"]
        assert without_char_offsets(result) == expected
        tagged += bool(result["tags"])
        assert {t["tag"] for t in result["tags"]} <= set(tagger.tags)
    assert tagged > 10
    frame = aitag.tag_frame(
        __import__("pandas").DataFrame({"text": ["The car crashed.", "The model was hacked."]}),
        tagger=tagger,
    )
    assert frame["tags"].tolist() == [["competence"], ["security"]]
    assert [c for c in frame.columns if c in tagger.tags] == tagger.tags


def test_a_pickled_tagger_is_rebuilt_from_its_files(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    tagger = aitag.Tagger(taxonomy=EVAL_TAXONOMY.relative_to(ROOT))
    pickled = pickle.dumps(tagger)
    monkeypatch.chdir(tmp_path)  # a worker somewhere else
    again = pickle.loads(pickled)
    assert again.tags == tagger.tags
    assert again.classify("The model was hacked.") == tagger.classify("The model was hacked.")
    assert pickle.loads(pickle.dumps(again)) is again  # compiled once per process


@pytest.fixture
def broken(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(
        "tags:\n"
        "  - id: security\n"
        "    name: Security\n"
        "    definition: Attacked.\n"
        "rules:\n"
        "  - id: security.hack\n"
        "    tag: securty\n"
        "    weight: 0.9\n"
        "    because: Hacked.\n"
        "    when:\n"
        "      any: [{phrase: [hacked]}]\n"
        "  - id: security.two\n"
        "    tag: security\n"
        "    weight: 1.9\n"
        "    because: Twice.\n"
        "    when:\n"
        "      any: [{phrase: [hacked]}]\n",
        encoding="utf-8",
    )
    return path


def test_a_broken_taxonomy_names_file_line_and_column(broken):
    with pytest.raises(aitag.TaxonomyError) as caught:
        aitag.Tagger(taxonomy=broken)
    assert str(caught.value) == cli_error("--taxonomy", str(broken))
    problems = caught.value.problems
    assert [(p.file, p.line, p.column) for p in problems] == [
        # The bad key's own place (`tag: securty`), and the rule's for a bad
        # weight, as the CLI says.
        (str(broken), 7, 5),
        (str(broken), 12, 5),
    ]
    assert "unknown tag `securty`" in problems[0].message
    assert isinstance(caught.value, ValueError)


def test_yaml_syntax_errors_are_taxonomy_errors(tmp_path):
    path = tmp_path / "syntax.yaml"
    path.write_text("tags:\n  - id: security\n   name: x\n", encoding="utf-8")
    with pytest.raises(aitag.TaxonomyError) as caught:
        aitag.Tagger(taxonomy=path)
    assert str(caught.value) == cli_error("--taxonomy", str(path))
    assert str(caught.value).startswith(f"{path}:2:")


def test_model_errors_have_the_cli_message(tmp_path):
    with pytest.raises(aitag.ModelError) as caught:
        aitag.Tagger(taxonomy=EVAL_TAXONOMY, model=DEFAULT_MODEL)
    assert str(caught.value) == cli_error("--taxonomy", str(EVAL_TAXONOMY), "--model", str(DEFAULT_MODEL))
    bad = tmp_path / "model.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(aitag.ModelError) as caught:
        aitag.Tagger(model=bad)
    assert str(caught.value) == cli_error("--model", str(bad))


def test_missing_files_are_os_errors_with_the_cli_message(tmp_path):
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(aitag.FileError) as caught:
        aitag.Tagger(taxonomy=missing)
    assert isinstance(caught.value, OSError)
    assert str(caught.value) == cli_error("--taxonomy", str(missing))
    with pytest.raises(aitag.FileError, match="nowhere.jsonl"):
        aitag.read_records(tmp_path / "nowhere.jsonl")


def test_bad_arguments_are_value_errors(tagger):
    for x in (1.5, -0.1, float("nan")):
        with pytest.raises(aitag.InputError, match="is not between 0 and 1"):
            aitag.Tagger(min_confidence=x)
    with pytest.raises(aitag.InputError, match="use_model"):
        aitag.Tagger(model=DEFAULT_MODEL, use_model=False)
    with pytest.raises(aitag.InputError, match="jobs"):
        tagger.classify_many(["text"], jobs=0)
    with pytest.raises(aitag.InputError, match="unknown input format `xml`"):
        aitag.read_records(INCIDENTS, format="xml")
    with pytest.raises(TypeError, match="one str"):
        tagger.classify_many("not a list")
    with pytest.raises(TypeError, match="item 1"):
        tagger.classify_many(["ok", 3])
    assert issubclass(aitag.InputError, aitag.AitagError)


def test_bad_records_stand_in_their_place(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"id": 1, "text": "A drone crashed."}\nnot json\n{"id": 3}\n', encoding="utf-8")
    got = aitag.read_records(path)
    cli = [json.loads(line) for line in run_cli("batch", "-o", "jsonl", str(path), check=False).stdout.splitlines()]
    assert [r["id"] for r in got] == [c["id"] for c in cli]
    assert [r.get("error") for r in got] == [c.get("error") for c in cli]
    assert got[0]["text"] == "A drone crashed."
    assert got[1]["error"].startswith("invalid JSON at column")

"""Shared fixtures: the repository's data, the CLI built from the same source
(AITAG_BIN, else target/debug/aitag, which the root's `cargo test` builds), and
taggers compiled once per session."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest

import aitag

ROOT = Path(__file__).resolve().parents[2]
INCIDENTS = ROOT / "tests" / "data" / "aiid" / "incidents.jsonl"
EVAL_TAXONOMY = ROOT / "tests" / "data" / "eval" / "taxonomy.yaml"
DEFAULT_MODEL = ROOT / "models" / "default.json"


def cli_path() -> Path:
    given = os.environ.get("AITAG_BIN")
    path = Path(given) if given else ROOT / "target" / "debug" / "aitag"
    if not path.is_file():
        pytest.fail(
            f"no aitag binary at {path}: run `cargo build` at the root or set AITAG_BIN"
        )
    return path


def run_cli(*args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Runs the CLI; exit 1 (nothing tagged) is not a failure."""
    done = subprocess.run(
        [str(cli_path()), "--color", "never", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={k: v for k, v in os.environ.items() if not k.startswith("AITAG_")},
    )
    if check and done.returncode not in (0, 1):
        raise AssertionError(f"aitag {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done


def without_char_offsets(value: Any) -> Any:
    """The value with every `char_start`/`char_end` taken out: what the CLI prints."""
    if isinstance(value, dict):
        return {
            k: without_char_offsets(v)
            for k, v in value.items()
            if k not in ("char_start", "char_end")
        }
    if isinstance(value, list):
        return [without_char_offsets(v) for v in value]
    return value


def evidence_spans(value: Any):
    """Every evidence object (text, start, end) anywhere in a result."""
    if isinstance(value, dict):
        if "start" in value and "end" in value and "text" in value:
            yield value
        for v in value.values():
            yield from evidence_spans(v)
    elif isinstance(value, list):
        for v in value:
            yield from evidence_spans(v)


@pytest.fixture(scope="session")
def records() -> List[Dict[str, Any]]:
    """The AIID incidents as the product's reader makes them (as `batch` does)."""
    got = aitag.read_records(INCIDENTS)
    assert len(got) == 1367 and all("text" in r for r in got)
    return got


@pytest.fixture(scope="session")
def tagger() -> aitag.Tagger:
    return aitag.Tagger()


@pytest.fixture(scope="session")
def batch_explain() -> List[Dict[str, Any]]:
    """`aitag batch --explain -o jsonl` of every incident: the raw lines."""
    out = run_cli("batch", "--explain", "-o", "jsonl", "-j", "2", str(INCIDENTS)).stdout
    lines = out.splitlines()
    assert len(lines) == 1367
    return lines


def load_jsonl(text: str) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]

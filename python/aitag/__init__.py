"""aitag: tag free-text descriptions of AI failure incidents with the
AI-safety subfields that address them (alignment, outer- and inner-alignment,
moral philosophy, competence, governance, resilience, security), each tag with
its reasons: the rules that fired and the words they fired on.

This is the aitag engine itself (Rust, through PyO3), not a wrapper around the
binary: a result is the JSON object ``aitag classify -o json`` prints, parsed.

>>> import aitag
>>> tagger = aitag.Tagger()
>>> result = tagger.classify("Hackers stole the model weights and leaked them online.")
>>> [t["tag"] for t in result["tags"]]
['security']
>>> ev = result["tags"][0]["reasons"][0]["evidence"][0]
>>> text = "Hackers stole the model weights and leaked them online."
>>> text[ev["char_start"]:ev["char_end"]] == ev["text"]
True

- :class:`Tagger` classifies one text (``classify``), many on all cores
  (``classify_many``), or gives the CLI's exact JSON bytes (``classify_json``).
- :func:`tag_frame` tags a pandas DataFrame: a row per input row, a column per
  tag with its confidence, a ``tags`` list column.
- :func:`read_records` reads JSONL, CSV, TSV or text files as ``aitag batch`` does.
- Errors are :class:`AitagError` subclasses with the CLI's messages.

docs/python.md in the repository has the distributed recipes (Dask, Spark,
GNU parallel).
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Union

from ._aitag import Tagger, __version__, read_records
from ._errors import (
    AitagError,
    FileError,
    InputError,
    ModelError,
    Problem,
    TaxonomyError,
)

if TYPE_CHECKING:  # pandas is optional
    import pandas

__all__ = [
    "AitagError",
    "FileError",
    "InputError",
    "ModelError",
    "Problem",
    "Tagger",
    "TaxonomyError",
    "__version__",
    "read_records",
    "tag_frame",
]

PathLike = Union[str, "os.PathLike[str]"]

# What the readers use when no text field is named: `text`, else these two.
_DEFAULT_TEXT_FIELDS = ("text", "title", "description")


def _tagger(
    taxonomy: Optional[PathLike] = None,
    model: Optional[PathLike] = None,
    min_confidence: Optional[float] = None,
    use_model: bool = True,
) -> Tagger:
    """The Tagger for these arguments, compiled once per process. Unpickling a
    Tagger (on a Dask or Spark worker) comes here, so that a worker compiles
    the taxonomy once, not once per partition."""
    return _compiled(taxonomy, model, min_confidence, use_model)


@functools.lru_cache(maxsize=None)
def _compiled(
    taxonomy: Optional[PathLike],
    model: Optional[PathLike],
    min_confidence: Optional[float],
    use_model: bool,
) -> Tagger:
    return Tagger(taxonomy, model, min_confidence, use_model)


def tag_frame(
    df: "pandas.DataFrame",
    text: Union[str, Sequence[str], None] = None,
    id: Optional[str] = None,
    *,
    tagger: Optional[Tagger] = None,
    explain: bool = False,
    jobs: Optional[int] = None,
) -> "pandas.DataFrame":
    """Tags every row of a DataFrame; returns a new DataFrame with the same
    index, one row per input row, in order.

    text: the column(s) whose values, joined as the CLI's readers join fields
        (". " between them), are the text; None: ``text`` if there is such a
        column, else ``title`` and ``description`` (the CLI's default).
    id: the column holding each row's id; None: ``id`` if there is such a
        column, else the index.
    tagger: the :class:`Tagger` to use; None: the built-in taxonomy and model.
    explain: add a ``reasons`` column: each row's reasons (the list the CLI's
        ``batch -o csv --explain`` puts in its ``reasons`` column), with
        character offsets.
    jobs: threads (None: all cores; give 1 inside Dask or Spark workers).

    Columns: ``id``; ``tags`` (the emitted tags, a list); one column per tag of
    the taxonomy with its confidence (0.0 when there was no evidence; a tag
    below its threshold keeps its confidence but is not in ``tags``), as
    ``aitag batch -o csv`` writes them; ``rules`` (the rules behind the tags, a
    list); ``error`` (None, or why the row could not be tagged, e.g. an empty
    text, as the CLI's error records say); and ``reasons`` with ``explain``.

    Raises KeyError for a named column the frame does not have, and
    ImportError when pandas is not installed.
    """
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("aitag.tag_frame needs pandas: pip install pandas") from e
    tagger = tagger if tagger is not None else _tagger()
    if isinstance(text, str):
        text = [text]
    if text is None:
        text_fields: List[str] = []
        text_columns = [c for c in _DEFAULT_TEXT_FIELDS if c in df.columns]
    else:
        text_fields = list(text)
        missing = [c for c in text_fields if c not in df.columns]
        if missing:
            raise KeyError(f"tag_frame: no column {missing[0]!r} in the frame")
        text_columns = list(dict.fromkeys(text_fields))
    if id is not None and id not in df.columns:
        raise KeyError(f"tag_frame: no id column {id!r} in the frame")
    id_field = id if id is not None else "id"
    cells = df[text_columns].astype(object)
    cells = cells.where(cells.notna(), None)
    if id_field in df.columns:
        ids = df[id_field].astype(object)
        ids = ids.where(ids.notna(), None).tolist()
    else:
        ids = [str(label) for label in df.index]
    rows = [row + [i] for row, i in zip(cells.values.tolist(), ids)]
    out = tagger._tag_rows(
        text_columns + [id_field], rows, text_fields, id_field, jobs, explain
    )
    tags = tagger.tags
    columns: Dict[str, Any] = {
        "id": pd.Series([r[0] for r in out], index=df.index, dtype=object),
        "tags": pd.Series([r[2] for r in out], index=df.index, dtype=object),
    }
    for k, tag in enumerate(tags):
        columns[tag] = pd.Series(
            [r[3][k] if r[3] else float("nan") for r in out],
            index=df.index,
            dtype="float64",
        )
    columns["rules"] = pd.Series([r[4] for r in out], index=df.index, dtype=object)
    columns["error"] = pd.Series([r[1] for r in out], index=df.index, dtype=object)
    if explain:
        columns["reasons"] = pd.Series(
            [r[5] for r in out], index=df.index, dtype=object
        )
    return pd.DataFrame(columns, index=df.index)

"""Type hints of the compiled engine (python/src/lib.rs)."""

import os
import pathlib
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

__version__: str

_Path = Union[str, os.PathLike[str]]

class Tagger:
    """A compiled taxonomy (and learned model), ready to tag texts.

    taxonomy: a YAML file or a directory of them (the CLI's --taxonomy);
        None: the built-in taxonomy.
    model: a model file written by ``aitag fit`` (the CLI's --model); None:
        the built-in model where it fits the taxonomy.
    min_confidence: emit tags whose confidence is at least this, between 0
        and 1 (the CLI's --min-confidence).
    use_model: False for rules only (the CLI's --no-model).
    """

    def __init__(
        self,
        taxonomy: Optional[_Path] = None,
        model: Optional[_Path] = None,
        min_confidence: Optional[float] = None,
        use_model: bool = True,
    ) -> None: ...
    def classify(self, text: str, explain: bool = False) -> Dict[str, Any]:
        """The JSON object ``aitag classify -o json`` prints, parsed, with
        ``char_start``/``char_end`` beside every evidence span's byte offsets."""
    def classify_json(self, text: str, explain: bool = False) -> str:
        """The exact JSON ``aitag classify -o json`` prints (without the newline)."""
    def classify_many(
        self,
        texts: Iterable[str],
        jobs: Optional[int] = None,
        explain: bool = False,
    ) -> List[Dict[str, Any]]:
        """``classify`` for every text, on ``jobs`` threads (None: all cores),
        the GIL released, in the order of the texts."""
    def _tag_rows(
        self,
        columns: List[str],
        rows: List[List[Any]],
        text_fields: List[str],
        id_field: str,
        jobs: Optional[int] = None,
        explain: bool = False,
    ) -> List[
        Tuple[
            str,
            Optional[str],
            List[str],
            List[float],
            List[str],
            Optional[List[Dict[str, Any]]],
        ]
    ]: ...
    @property
    def tags(self) -> List[str]:
        """The taxonomy's tag ids, in the order of the CLI's CSV columns."""
    @property
    def taxonomy_origin(self) -> str:
        """The taxonomy's path, or the built-in one's name."""
    @property
    def has_model(self) -> bool:
        """Whether a learned model is attached."""
    @property
    def taxonomy(self) -> Optional[pathlib.Path]: ...
    @property
    def model(self) -> Optional[pathlib.Path]: ...
    @property
    def min_confidence(self) -> Optional[float]: ...
    @property
    def use_model(self) -> bool: ...

def read_records(
    path: _Path,
    text_fields: Optional[List[str]] = None,
    id_field: Optional[str] = None,
    format: Optional[str] = None,
) -> List[Dict[str, Any]]:
    """The records of a file as ``aitag batch`` reads them: {"id", "text",
    "source"} each, or {"id", "error", "source"} for a record that cannot be used."""

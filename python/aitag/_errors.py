"""Exceptions of aitag. Their messages are the CLI's (what `aitag` prints
after ``aitag: ``), so a notebook and the command line report a problem in the
same words."""

from __future__ import annotations

from typing import List, NamedTuple, Optional, Sequence, Tuple


class AitagError(Exception):
    """Base of every error aitag raises about its inputs."""


class Problem(NamedTuple):
    """One problem in a taxonomy file; line and column are 1-based."""

    file: str
    line: Optional[int]
    column: Optional[int]
    message: str


class TaxonomyError(AitagError, ValueError):
    """A taxonomy (or rule file) that cannot be used. ``str(e)`` lists every
    problem as ``file:line:col: message``, one per line; ``e.problems`` holds
    them as :class:`Problem` tuples."""

    def __init__(
        self,
        message: str,
        problems: Sequence[Tuple[str, Optional[int], Optional[int], str]] = (),
    ) -> None:
        super().__init__(message)
        self.problems: List[Problem] = [Problem(*p) for p in problems]


class ModelError(AitagError, ValueError):
    """A model file that cannot be used: malformed, or fit for another taxonomy."""


class InputError(AitagError, ValueError):
    """A bad argument (an out-of-range min_confidence, an unknown input format)."""


class FileError(AitagError, OSError):
    """A file that cannot be read (a taxonomy, a model, records)."""


# Shown as aitag.TaxonomyError etc., where users catch them.
for _cls in (AitagError, Problem, TaxonomyError, ModelError, InputError, FileError):
    _cls.__module__ = "aitag"
del _cls

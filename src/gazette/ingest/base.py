"""What every importer shares: the result of parsing a source, and the error for a bad one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from gazette.model import Attachment, Post


class ImportFailure(Exception):
    """A source could not be imported; the message names the source and what is wrong."""


@dataclass
class Batch:
    """What parsing one source produced.

    ``failures`` are items that could not be read (each fails alone; the message names the
    source, the item and the problem); ``skipped`` are items deliberately left out (a
    Blogger settings entry); ``warnings`` are problems worked around (a repaired file).

    ``posts`` is a list, except from a source read as it is stored (``jsonl.stream``): there
    it is an iterator, and the other lists fill in as it is consumed.
    """

    posts: Iterable[Post] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    total: int | None = None
    """How many items (lines) a stream holds, when it was counted beforehand: for progress."""
    read: int = 0
    """How many items a stream has read so far."""

"""SQL helpers shared by the store's modules."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

IN_CHUNK = 500
"""Values per ``IN (...)`` list: well under SQLite's limit on bound parameters."""


def marks(values: Sequence) -> str:
    """``?`` placeholders for ``values``, comma-separated (an ``IN (...)`` list)."""
    return ",".join("?" * len(values))


def select_in(db: sqlite3.Connection, query: str, values: Iterable) -> list[tuple]:
    """The rows of ``query`` for ``values``, whose ``IN ({marks})`` takes them
    ``IN_CHUNK`` at a time."""
    values = list(values)
    found: list[tuple] = []
    for start in range(0, len(values), IN_CHUNK):
        chunk = values[start : start + IN_CHUNK]
        found += db.execute(query.format(marks=marks(chunk)), chunk).fetchall()
    return found

"""Importers: one module per source format, each turning bytes into posts (no database).

Every importer module has ``FORMAT`` (its name), ``sniff(data) -> bool`` (does this look
like my format?) and ``parse(data, source) -> list[Post]``.
"""

from __future__ import annotations

from types import ModuleType

from gazette.ingest import blogpage
from gazette.ingest.errors import ImportFailure

IMPORTERS: dict[str, ModuleType] = {module.FORMAT: module for module in (blogpage,)}


def detect_format(data: bytes, source: str) -> str:
    """The name of the format ``data`` is in; ImportFailure if no importer recognises it."""
    for name, module in IMPORTERS.items():
        if module.sniff(data):
            return name
    known = ", ".join(IMPORTERS)
    raise ImportFailure(f"{source}: unknown format (Gazette reads: {known}); try --format")


def importer(format_name: str, source: str) -> ModuleType:
    try:
        return IMPORTERS[format_name]
    except KeyError:
        known = ", ".join(IMPORTERS)
        raise ImportFailure(f"{source}: unknown format {format_name!r} (known: {known})") from None


__all__ = ["IMPORTERS", "ImportFailure", "detect_format", "importer"]

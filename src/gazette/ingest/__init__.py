"""Importers: one module per source format, each turning bytes into posts (no database).

Every importer module has ``FORMAT`` (its name), ``sniff(data) -> bool`` (does this look
like my format?) and ``parse(data, source) -> Batch`` (posts, plus per-item failures,
skips and warnings). A source that cannot be read at all raises ``ImportFailure``.
"""

from __future__ import annotations

from types import ModuleType

from gazette.clips import split_post
from gazette.ingest import blogger, blogpage, feed, jsonl, webpage, wxr
from gazette.ingest.base import Batch, ImportFailure
from gazette.model import Post

_IN_DETECTION_ORDER = (jsonl, blogger, wxr, feed, webpage, blogpage)
"""The most specific sniffers first: a Blogger export is also an Atom feed."""

IMPORTERS: dict[str, ModuleType] = {module.FORMAT: module for module in _IN_DETECTION_ORDER}

CLIPPING_FORMATS = frozenset({blogpage.FORMAT, blogger.FORMAT, wxr.FORMAT})
"""Formats whose posts are a curator's compilations of clipped articles: on import, each
post without clips is split into them (``gazette.clips.split_post``)."""


def with_clips(post: Post) -> Post:
    """A post of a clipping format, split into its clips if it has none."""
    post.clips = post.clips or split_post(post.title, post.body_text)
    return post


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


__all__ = [
    "CLIPPING_FORMATS",
    "IMPORTERS",
    "Batch",
    "ImportFailure",
    "detect_format",
    "importer",
    "with_clips",
]

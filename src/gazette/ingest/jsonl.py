"""Importer for JSON Lines: Gazette's own export (a backup that restores exactly) and
simple hand-made files of posts.

Every non-blank line is one JSON object. An export (see :mod:`gazette.export`) starts with a
header line ``{"type": "gazette-export", "version": 1, ...}``, then has one ``"type": "post"``
line per post with every field of :class:`~gazette.model.Post` except ``id``, then one
``"type": "attachment"`` line per attachment. A line without ``"type"`` is a post, so a bulk
import needs no more than ``{"title": ..., "published": ..., "body": ...}`` a line, with
``body`` plain text (or ``body_html`` and/or ``body_text``) and optional ``labels``,
``author``, ``url``, ``uid``, ``status``.

Dates are ISO 8601; a date alone means 00:00 UTC, and a post's ``published`` date and time
needs a UTC offset. HTML given in a line is sanitized; HTML made here from plain text is
escaped text in ``<p>`` and ``<br>``, nothing to sanitize. A bad line fails alone, named by
its number; unknown fields are ignored with a warning.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from gazette.ingest.base import Batch, ImportFailure
from gazette.ingest.html import sanitize, to_text
from gazette.model import Attachment, Clip, Comment, Post

FORMAT = "jsonl"
HEADER = "gazette-export"
VERSION = 1
"""The export format version this module reads and :mod:`gazette.export` writes."""

SAFE_SLUG = re.compile(r"[\w%~-][\w.%~-]*")
"""A slug that is one safe path segment (and file name): no ``/``, no leading dot."""

_KNOWN_KEYS = {
    HEADER: {"type", "version", "exported"},
    "post": {"type", "body", "url"} | {f.name for f in fields(Post)} - {"id"},
    "attachment": {"type"} | {f.name for f in fields(Attachment)},
    "clips": {f.name for f in fields(Clip)},
    "comments": {f.name for f in fields(Comment)},
}
_BLANK_LINES = re.compile(r"\r?\n[ \t]*(?:\r?\n[ \t]*)+")  # a literal start: fast to scan

T = TypeVar("T")


class _BadLine(ValueError):
    """What is wrong with one line; the caller names the source and the line."""


def sniff(data: bytes) -> bool:
    """True if the first non-blank line is an export header, or a JSON object of a post."""
    lines = io.BytesIO(data.removeprefix(codecs.BOM_UTF8))
    first = next((line for line in lines if line.strip()), b"")
    try:
        record = json.loads(first)
    except ValueError:
        return False
    return isinstance(record, dict) and (
        record.get("type") == HEADER or {"title", "published"} <= record.keys()
    )


def parse(data: bytes, source: str) -> Batch:
    """The posts and attachments on the lines of ``data``; each bad line becomes a failure.

    Raises ImportFailure for an export of a version this Gazette cannot read.
    """
    batch = stream(io.BytesIO(data), source)
    batch.posts = list(batch.posts)
    return batch


def stream(lines: Iterable[bytes], source: str, total: int | None = None) -> Batch:
    """``parse`` for lines read one at a time (an open file): the batch's ``posts`` is an
    iterator, and its failures, warnings and attachments fill in as it is consumed, so a
    file of any size takes the memory of one post at a time. ``total`` is the number of lines
    (``scan``), for progress.

    Consuming ``posts`` raises ImportFailure at an export header of a version this Gazette
    cannot read; ``scan`` finds those before anything is read.
    """
    batch = Batch(total=total)
    batch.posts = _read(lines, source, batch)
    return batch


def _read(lines: Iterable[bytes], source: str, batch: Batch) -> Iterator[Post]:
    for number, line in enumerate(lines, 1):
        batch.read = number
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line.strip():
            continue
        where = f"{source}: line {number}"
        try:
            record = _object(line)
            kind = record.get("type", "post")
            if kind == HEADER:
                _check_version(record, where)
            elif kind == "post":
                post = _post(record, source)
            elif kind == "attachment":
                batch.attachments.append(_attachment(record))
            else:
                raise _BadLine(f"unknown type {kind!r} (expected 'post' or 'attachment')")
        except _BadLine as problem:
            batch.failures.append(f"{where}: {problem}")
            continue
        if unknown := _unknown_keys(record, kind):
            batch.warnings.append(f"{where}: ignored unknown field(s) {', '.join(unknown)}")
        if kind == "post":
            yield post


_HEADER_MARK = HEADER.encode()


def scan(chunks: Iterable[bytes], source: str) -> int:
    """The number of lines in a file read in ``chunks`` (of any size), having checked the
    version of every export header in it: ImportFailure for one this Gazette cannot read, so
    that a file is refused before any of it is stored, as ``parse`` refuses it."""
    lines = 0
    pending = bytearray()
    for chunk in chunks:
        cut = chunk.rfind(b"\n") + 1
        if not cut:
            pending += chunk
            continue
        pending += chunk[:cut]
        lines = _check_headers(bytes(pending), lines, source)
        pending = bytearray(chunk[cut:])
    return _check_headers(bytes(pending), lines, source) + (1 if pending else 0)


def _check_headers(block: bytes, lines: int, source: str) -> int:
    """Check the headers among the whole lines in ``block``, which follows line ``lines``;
    returns the number of the block's last line."""
    at = block.find(_HEADER_MARK)
    while at >= 0:
        start = block.rfind(b"\n", 0, at) + 1
        end = block.find(b"\n", at) + 1 or len(block)
        number = lines + block.count(b"\n", 0, start) + 1
        line = block[start:end]
        try:
            record = _object(line.removeprefix(codecs.BOM_UTF8) if number == 1 else line)
        except _BadLine:
            record = {}
        if record.get("type") == HEADER:
            _check_version(record, f"{source}: line {number}")
        at = block.find(_HEADER_MARK, end)
    return lines + block.count(b"\n")


def _object(line: bytes) -> dict[str, Any]:
    """One line as a JSON object (strict: no NaN or Infinity)."""
    try:
        text = line.rstrip(b"\r\n").decode("utf-8")
    except UnicodeDecodeError as error:
        raise _BadLine(
            f"not UTF-8 text (byte 0x{line[error.start]:02x} at column {error.start + 1})"
        ) from None
    try:
        value = json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as error:
        raise _BadLine(f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(value, dict):
        raise _BadLine(f"expected a JSON object, not {_kind(value)}")
    return value


def _not_json(name: str) -> None:
    raise _BadLine(f"not valid JSON ({name} is not a JSON value)")


def _check_version(record: dict[str, Any], where: str) -> None:
    if record.get("version") != VERSION:
        raise ImportFailure(
            f"{where}: export version {record.get('version')!r} is not supported "
            f"(this Gazette reads version {VERSION}); upgrade Gazette"
        )


def _unknown_keys(record: dict[str, Any], kind: str) -> list[str]:
    """Names of the fields of ``record`` (and of its clips and comments) nobody reads."""
    unknown = [repr(key) for key in record if key not in _KNOWN_KEYS[kind]]
    for nested in ("clips", "comments") if kind == "post" else ():
        for index, item in enumerate(record.get(nested) or []):
            unknown += [
                f"'{nested}[{index}].{key}'" for key in item if key not in _KNOWN_KEYS[nested]
            ]
    return unknown


def _post(record: dict[str, Any], source: str) -> Post:
    title = _text(record, "title")
    published = _date(record, "published")
    if published is None:
        raise _BadLine("missing 'published'")
    if published.tzinfo is None:
        raise _BadLine(f"'published' has no UTC offset: {record['published']!r}")
    origin_url = _optional_text(record, "origin_url", _optional_text(record, "url"))
    slug = _text(record, "slug", "")
    if slug and not SAFE_SLUG.fullmatch(slug):
        raise _BadLine(f"'slug' is not one path segment: {slug!r}")
    plain = _optional_text(record, "body_text", _optional_text(record, "body"))
    given_html = _optional_text(record, "body_html")
    body_html = _paragraphs(plain or "") if given_html is None else sanitize(given_html)
    return Post(
        uid=_text(record, "uid", "") or _uid(title, published, origin_url),
        title=title,
        published=published,
        body_text=plain if plain is not None else to_text(body_html),
        body_html=body_html,
        updated=_date(record, "updated"),
        status=_choice(record, "status", ("published", "draft")),
        kind=_choice(record, "kind", ("post", "page")),
        labels=_texts(record, "labels"),
        author=_optional_text(record, "author"),
        origin_format=_text(record, "origin_format", FORMAT),
        origin_url=origin_url,
        source_path=_optional_text(record, "source_path", source),
        slug=slug,
        clips=_nested(record, "clips", _clip),
        comments=_nested(record, "comments", _comment),
    )


def _clip(record: dict[str, Any], index: int) -> Clip:
    position = record.get("position", index)
    if not isinstance(position, int) or isinstance(position, bool):
        raise _BadLine(f"'position' must be a whole number, not {_kind(position)}")
    story_id = record.get("story_id")
    if story_id is not None and (not isinstance(story_id, int) or isinstance(story_id, bool)):
        raise _BadLine(f"'story_id' must be a whole number or null, not {_kind(story_id)}")
    return Clip(
        position=position,
        headline=_text(record, "headline", ""),
        body=_text(record, "body", ""),
        outlet=_optional_text(record, "outlet"),
        authors=_texts(record, "authors"),
        published=_date(record, "published"),
        updated=_date(record, "updated"),
        dateline=_optional_text(record, "dateline"),
        url=_optional_text(record, "url"),
        story_id=story_id,
    )


def _comment(record: dict[str, Any], _index: int) -> Comment:
    body_html = sanitize(_text(record, "body_html", ""))
    return Comment(
        uid=_text(record, "uid"),
        body_html=body_html,
        body_text=_text(record, "body_text") if "body_text" in record else to_text(body_html),
        author=_optional_text(record, "author"),
        author_url=_optional_text(record, "author_url"),
        published=_date(record, "published"),
        status=_text(record, "status", "approved"),
    )


def _attachment(record: dict[str, Any]) -> Attachment:
    return Attachment(
        uid=_text(record, "uid"),
        url=_text(record, "url"),
        title=_text(record, "title", ""),
        mime_type=_optional_text(record, "mime_type"),
        parent_uid=_optional_text(record, "parent_uid"),
    )


def _uid(title: str, published: datetime, url: str | None) -> str:
    """A hand-made post's identity: its URL, else a digest of its title and date."""
    if url:
        return f"{FORMAT}:{url}"
    digest = hashlib.sha256(f"{title}\n{published.isoformat()}".encode()).hexdigest()
    return f"{FORMAT}:{digest[:16]}"


def _paragraphs(text: str) -> str:
    """Plain text as HTML: blank-line separated paragraphs, ``<br>`` for line breaks.

    Built from escaped text only, so it needs no sanitizing (the costliest step of a bulk
    import), and written exactly as the sanitizer writes it (``&nbsp;``, no NUL), so that
    sanitizing it again, as restoring a backup does, changes nothing.
    """
    # Escaping leaves line breaks, spaces and tabs alone: the whole text is escaped at once.
    text = _escape(text.replace("\x00", "").strip())
    return "\n".join(
        "<p>" + "<br>".join(block.splitlines()) + "</p>"
        for block in _BLANK_LINES.split(text)
        if block
    )


def _escape(line: str) -> str:
    return html.escape(line, quote=False).replace("\u00a0", "&nbsp;")


# -- typed fields ------------------------------------------------------------------------


def _kind(value: object) -> str:
    """The JSON name of ``value``'s type, for messages."""
    names = {str: "a string", bool: "true/false", int: "a number", float: "a number"}
    names |= {list: "a list", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _text(record: dict[str, Any], key: str, default: str | None = None) -> str:
    """``record[key]``, a string; ``default`` if it is absent (required if that is None)."""
    if key not in record:
        if default is None:
            raise _BadLine(f"missing {key!r}")
        return default
    value = record[key]
    if not isinstance(value, str):
        raise _BadLine(f"{key!r} must be a string, not {_kind(value)}")
    return value


def _optional_text(record: dict[str, Any], key: str, default: str | None = None) -> str | None:
    """``record[key]``, a string or null; ``default`` if it is absent."""
    value = record.get(key, default)
    if value is not None and not isinstance(value, str):
        raise _BadLine(f"{key!r} must be a string or null, not {_kind(value)}")
    return value


def _texts(record: dict[str, Any], key: str) -> list[str]:
    """``record[key]``, a list of strings (empty if absent)."""
    value = record.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _BadLine(f"{key!r} must be a list of strings")
    return value


def _choice(record: dict[str, Any], key: str, choices: tuple[str, ...]) -> Any:
    """``record[key]``, one of ``choices`` (the first if it is absent)."""
    value = record.get(key, choices[0])
    if value not in choices:
        raise _BadLine(f"{key!r} must be one of {', '.join(map(repr, choices))}, not {value!r}")
    return value


def _date(record: dict[str, Any], key: str) -> datetime | None:
    """``record[key]`` as a datetime (a date alone is 00:00 UTC), or None if absent or null."""
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _BadLine(f"{key!r} must be an ISO 8601 date string, not {_kind(value)}")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        pass
    else:
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise _BadLine(f"{key!r} is not an ISO 8601 date: {value!r}") from None


def _nested(record: dict[str, Any], key: str, read: Callable[[dict[str, Any], int], T]) -> list[T]:
    """``record[key]``, a list of objects, each read by ``read``; errors name the item."""
    items = record.get(key, [])
    if not isinstance(items, list):
        raise _BadLine(f"{key!r} must be a list, not {_kind(items)}")
    found: list[T] = []
    for index, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise _BadLine(f"expected an object, not {_kind(item)}")
            found.append(read(item, index))
        except _BadLine as problem:
            raise _BadLine(f"{key}[{index}]: {problem}") from None
    return found

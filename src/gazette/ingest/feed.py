"""Importer for RSS and Atom feeds (RSS 0.9x, 1.0 and 2.0; Atom 0.3 and 1.0), via feedparser.

Each feed entry becomes a post whose ``uid`` is ``feed:`` plus the entry's id (else its link,
else a digest of its title, date and summary), so importing the feed again updates posts
instead of duplicating them.

An entry's date is its published date, else its updated or created date, else the feed's own
updated or published date. An entry with no date anywhere is dated 1970-01-01 00:00 UTC (with
a warning), so that it is still imported and a re-import gives it the same date.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import io
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from xml.sax import SAXParseException

from lxml import etree

from gazette.clips.article import article_clip, byline, known_outlet, url_outlet
from gazette.ingest.base import Batch, ImportFailure
from gazette.ingest.html import sanitize, to_text
from gazette.model import Clip, Post

if TYPE_CHECKING:
    from feedparser import FeedParserDict

FORMAT = "feed"

UNDATED = datetime(1970, 1, 1, tzinfo=UTC)
"""The date of an entry when neither it nor its feed has one."""

_FEED_ROOTS = frozenset({"rss", "feed", "RDF"})
_EXPORT_MARKERS = re.compile(
    rb"""term\s*=\s*["']https?://schemas\.google\.com/blogger/2008/kind#"""
    rb"""|=\s*["']https?://schemas\.google\.com/blogger/2018"""
    rb"""|=\s*["']https?://wordpress\.org/export/"""
)
"""Blogger and WordPress exports are Atom and RSS too, but have importers of their own."""

_EMAIL = re.compile(r"[^\s()<>]+@[^\s()<>]+")
_TITLE_WORDS = 10
_WEB = ("http://", "https://")


def sniff(data: bytes) -> bool:
    """True if ``data`` is XML rooted at ``rss``, ``feed`` or ``rdf:RDF`` and is not a Blogger
    export or a WordPress (WXR) export."""
    return _root_name(data) in _FEED_ROOTS and not _EXPORT_MARKERS.search(data)


def parse(data: bytes, source: str, *, headers: Mapping[str, str] | None = None) -> Batch:
    """The entries of a feed as posts, in feed order.

    ``source`` (a file path or URL) names the feed in messages and becomes
    ``Post.source_path``. ``headers`` are the HTTP response headers when the feed was
    fetched: ``content-type`` gives its charset, ``content-location`` resolves relative links.
    Raises ImportFailure when ``data`` is not a feed or no entry could be read from it.
    """
    return parse_feed(data, source, headers=headers)[1]


def parse_feed(
    data: bytes, source: str, *, headers: Mapping[str, str] | None = None
) -> tuple[str | None, Batch]:
    """The feed's own title (plain text, None if it has none) and :func:`parse`'s batch."""
    import feedparser  # imported when a feed is read: 35 ms that other commands need not pay

    # A stream, never bytes: feedparser would open bytes that look like a path as a file.
    try:
        parsed = feedparser.parse(
            io.BytesIO(data), response_headers={k.lower(): v for k, v in (headers or {}).items()}
        )
    except Exception as error:  # feedparser's own bugs on odd input must not escape
        raise ImportFailure(
            f"{source}: unreadable feed ({type(error).__name__}: {error})"
        ) from None
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries:
        if not parsed.get("version"):
            reason = f" ({_describe(problem)})" if problem else ""
            raise ImportFailure(f"{source}: not an RSS or Atom feed{reason}")
        # feedparser's name for harmless problems: a wrong charset or media type.
        if problem and not isinstance(problem, feedparser.ThingsNobodyCaresAboutButMe):
            raise ImportFailure(
                f"{source}: ill-formed feed, no entries could be read ({_describe(problem)})"
            )
    batch = Batch()
    if problem:
        batch.warnings.append(
            f"{source}: the feed is ill-formed ({_describe(problem)}); "
            f"read {_entries(len(parsed.entries))} from it anyway"
        )
    elif not parsed.entries:
        batch.warnings.append(f"{source}: the feed has no entries")
    feed_date = _date(parsed.feed, "updated_parsed", "published_parsed")
    title = _plain(parsed.feed, "title") or None
    feed_outlet = known_outlet(title)
    undated = 0
    for number, entry in enumerate(parsed.entries, 1):
        published = _date(entry, "published_parsed", "updated_parsed", "created_parsed")
        if published is None:
            undated += 1
        try:
            batch.posts.append(_post(entry, published or feed_date or UNDATED, source, feed_outlet))
        except Exception as error:  # one bad entry must not stop the others
            title = dict.get(entry, "title") or "untitled"
            batch.failures.append(f"{source}: entry {number} ({title!r}): {error}")
    if undated:
        fallback = "the feed's date" if feed_date else f"{UNDATED:%Y-%m-%d}"
        batch.warnings.append(f"{source}: {_entries(undated)} with no date; dated {fallback}")
    return title, batch


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def _describe(problem: Exception) -> str:
    """feedparser's complaint about a feed, with the line and column if it has them."""
    if isinstance(problem, SAXParseException):
        where = f"line {problem.getLineNumber()}, column {problem.getColumnNumber()}"
        return f"{where}: {problem.getMessage()}"
    return str(problem) or type(problem).__name__


def _root_name(data: bytes) -> str | None:
    """The local name of the document's root element, or None if it is not XML."""
    events = etree.iterparse(
        io.BytesIO(data), events=("start",), recover=True, resolve_entities=False, no_network=True
    )
    try:
        for _, element in events:
            return element.tag.rpartition("}")[2].rpartition(":")[2]
    except etree.LxmlError:
        return None
    return None


def _post(entry: FeedParserDict, published: datetime, source: str, feed_outlet: str | None) -> Post:
    """One feed entry as a post holding the entry's article as its one clip."""
    body_html = _body(entry)
    body_text = to_text(body_html)
    link = _link(entry)
    return Post(
        uid=f"{FORMAT}:{_entry_key(entry, link)}",
        title=_title(entry, body_text),
        published=published,
        updated=_date(entry, "updated_parsed"),
        body_html=body_html,
        body_text=body_text,
        labels=_labels(entry),
        author=_author(entry),
        origin_format=FORMAT,
        origin_url=link,
        source_path=source,
        clips=[_clip(entry, body_text, link, feed_outlet)],
    )


def _clip(entry: FeedParserDict, body_text: str, link: str | None, feed_outlet: str | None) -> Clip:
    """The article an entry holds: its title, its text cleaned as a clip's body, its authors
    as bylines, its own dates and link, and the known outlet that the text itself (a dateline,
    a byline), the entry's authors, its source or publisher, the feed's title (``feed_outlet``)
    or the link's domain names, in that order of trust."""
    clip = article_clip(_plain(entry, "title"), body_text)
    named = byline(_author_names(entry))
    source = entry.get("source") or {}
    outlets = (
        known_outlet(clip.outlet),
        named.outlet,
        known_outlet(_plain(source, "title")),
        url_outlet(source.get("href") or source.get("link")),
        known_outlet(entry.get("publisher")),
        feed_outlet,
        url_outlet(link),
    )
    clip.outlet = next(filter(None, outlets), None)
    clip.authors = list(named.authors) or clip.authors
    clip.published = (
        _date(entry, "published_parsed", "updated_parsed", "created_parsed") or clip.published
    )
    updated = _date(entry, "updated_parsed") or clip.updated
    clip.updated = updated if updated != clip.published else None
    clip.url = link
    return clip


def _entry_key(entry: FeedParserDict, link: str | None) -> str:
    """The entry's id, else its link, else a digest of its title, date and summary."""
    if key := (entry.get("id") or "").strip() or link:
        return key
    names = ("title", "published", "updated", "summary")
    parts = (dict.get(entry, name) or "" for name in names)
    return "sha256:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _title(entry: FeedParserDict, body_text: str) -> str:
    """The entry's title as plain text; else the first words of its body; else "(untitled)"."""
    if title := _plain(entry, "title"):
        return title
    words = body_text.split()
    if not words:
        return "(untitled)"
    return " ".join(words[:_TITLE_WORDS]) + ("…" if len(words) > _TITLE_WORDS else "")


def _plain(item: FeedParserDict, key: str) -> str:
    """``item[key]`` as one line of plain text (markup dropped if it is HTML)."""
    value = item.get(key) or ""
    if "html" in ((item.get(f"{key}_detail") or {}).get("type") or ""):
        value = to_text(sanitize(value))
    return " ".join(value.split())


def _body(entry: FeedParserDict) -> str:
    """The entry's sanitized HTML: its first HTML content, else its first content, else its
    summary. Plain text is escaped, a paragraph per blank-line-separated block."""
    contents = entry.get("content") or []
    chosen = next((c for c in contents if "html" in (c.get("type") or "")), None)
    chosen = chosen or (contents[0] if contents else entry.get("summary_detail"))
    if not chosen:
        return ""
    value = chosen.get("value") or ""
    if "html" in (chosen.get("type") or "text/html"):
        return sanitize(value)
    paragraphs = (block.strip() for block in re.split(r"\n\s*\n", value))
    return sanitize("".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p))


def _link(entry: FeedParserDict) -> str | None:
    """The entry's web address: its main link if that is http(s), else its first http(s) link."""
    candidates = [entry.get("link")] + [link.get("href") for link in entry.get("links", [])]
    return next((url for url in candidates if url and url.startswith(_WEB)), None)


def _labels(entry: FeedParserDict) -> list[str]:
    """The terms of the entry's categories, in order, without blanks or repeats."""
    terms = ((tag.get("term") or tag.get("label") or "").strip() for tag in entry.get("tags", []))
    return list(dict.fromkeys(term for term in terms if term))


def _author_names(entry: FeedParserDict) -> list[str]:
    """The names in the entry's author fields (``author``, ``dc:creator``), as given.

    feedparser cuts an e-mail address at a top-level domain longer than four letters and
    takes the rest for the name (``ed@news.example`` -> ``ple``); such an author's name is
    read from the field's text, without the address.
    """
    text = entry.get("author") or ""
    names = []
    for author in entry.get("authors") or []:
        email = author.get("email") or ""
        if email and re.search(rf"{re.escape(email)}\w", text):
            names.append(_EMAIL.sub("", text).strip(" ()<>"))
        else:
            names.append(author.get("name") or "")
    return [name for name in names if name.strip()] or [text]


def _author(entry: FeedParserDict) -> str | None:
    detail = entry.get("author_detail") or {}
    return (detail.get("name") or entry.get("author") or "").strip() or None


def _date(item: FeedParserDict, *keys: str) -> datetime | None:
    """The first of ``item``'s parsed dates (UTC ``struct_time``) that is a real date.

    Read with ``dict.get``: feedparser's own ``get`` answers ``updated_parsed`` with the
    published date when there is none (and a DeprecationWarning).
    """
    for key in keys:
        value: time.struct_time | None = dict.get(item, key)
        if value is None:
            continue
        try:
            return datetime.fromtimestamp(calendar.timegm(value), UTC)
        except (OverflowError, OSError, ValueError):
            continue
    return None

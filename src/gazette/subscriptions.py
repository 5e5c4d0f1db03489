"""Feed subscriptions: RSS and Atom feeds the archive follows, and polling them for new posts.

Each feed is fetched with a conditional GET (its last ETag and Last-Modified), so an unchanged
feed costs one 304 and imports nothing. A changed feed is parsed by :mod:`gazette.ingest.feed`
and imported like any other source: new entries become posts, edited entries update theirs.
Every post gets the feed's label. A feed that cannot be fetched or read keeps the error (and
its HTTP status) until a later poll succeeds; it never stops the other feeds.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlsplit

import httpx

from gazette.archive import Archive
from gazette.ingest import feed as feed_format
from gazette.ingest.base import ImportFailure
from gazette.model import ImportSummary

USER_AGENT = "Gazette/0.1 (+news clipping archive)"
PERMANENT_REDIRECTS = frozenset({301, 308})

PollStatus = Literal["ok", "not-modified", "error"]

_COLUMNS = "id, url, label, title, etag, last_modified, last_polled, last_status, error"


@dataclass(frozen=True)
class Feed:
    """A subscription, and what its last poll found."""

    id: int
    url: str
    label: str | None
    title: str | None
    etag: str | None
    last_modified: str | None
    last_polled: datetime | None
    last_status: int | None
    error: str | None


@dataclass(frozen=True)
class PollResult:
    """What polling one feed did: ``summary`` is set when the feed was imported."""

    feed: Feed
    status: PollStatus
    summary: ImportSummary | None
    message: str


class _FetchError(Exception):
    """A feed could not be fetched or read; ``status`` is the HTTP status if there was one."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def add_feed(archive: Archive, url: str, label: str | None = None) -> Feed:
    """Subscribe to the feed at ``url`` (http or https). Adding a URL that is already
    subscribed sets its label to ``label``."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"{url!r} is not a web address: a feed's URL must start with http:// or https://"
        )
    label = (label or "").strip() or None
    with archive.writing(), archive.store.transaction():
        archive.store.db.execute(
            "INSERT INTO feeds (url, label, added_at) VALUES (?, ?, ?) "
            "ON CONFLICT (url) DO UPDATE SET label = excluded.label",
            (url, label, _now()),
        )
    row = archive.store.db.execute(f"SELECT {_COLUMNS} FROM feeds WHERE url = ?", (url,))
    return _feed(row.fetchone())


def list_feeds(archive: Archive) -> list[Feed]:
    """Every subscription, oldest first."""
    rows = archive.store.db.execute(f"SELECT {_COLUMNS} FROM feeds ORDER BY id")
    return [_feed(row) for row in rows]


def remove_feed(archive: Archive, url_or_id: str | int) -> Feed | None:
    """Unsubscribe (by URL or id; a string of digits is an id); returns the feed removed, or
    None if there was none. Posts imported from the feed stay in the archive."""
    key = "id" if isinstance(url_or_id, int) or url_or_id.strip().isdigit() else "url"
    value = int(url_or_id) if key == "id" else str(url_or_id).strip()
    with archive.writing(), archive.store.transaction():
        row = archive.store.db.execute(
            f"SELECT {_COLUMNS} FROM feeds WHERE {key} = ?", (value,)
        ).fetchone()
        if row is None:
            return None
        archive.store.db.execute("DELETE FROM feeds WHERE id = ?", (row[0],))
    return _feed(row)


def poll(
    archive: Archive, *, timeout: float = 20.0, client: httpx.Client | None = None
) -> list[PollResult]:
    """Fetch every feed and import what changed, one feed at a time; a feed that fails
    records its error and the others go on. Holds the archive's write lock throughout."""
    with archive.writing(), nullcontext(client) if client is not None else httpx.Client() as http:
        return [_poll_one(archive, http, feed, timeout) for feed in list_feeds(archive)]


def _poll_one(archive: Archive, http: httpx.Client, feed: Feed, timeout: float) -> PollResult:
    state: dict[str, object] = {"last_polled": _now()}
    try:
        response = _fetch(http, feed, timeout)
        if response.status_code == 304:  # a 304 may send the validators again; else keep ours
            status: PollStatus = "not-modified"
            summary, message = None, "not modified since the last poll"
            etag = response.headers.get("etag", feed.etag)
            last_modified = response.headers.get("last-modified", feed.last_modified)
        else:
            title, summary = _import(archive, feed, response)
            status, message = "ok", _describe(summary)
            state["title"] = title or feed.title
            etag = response.headers.get("etag")
            last_modified = response.headers.get("last-modified")
    except _FetchError as error:
        _update(archive, feed.id, state | {"last_status": error.status, "error": str(error)})
        return PollResult(_get(archive, feed.id), "error", None, str(error))
    state |= {
        "etag": etag,
        "last_modified": last_modified,
        "last_status": response.status_code,
        "error": None,
    }
    _update(archive, feed.id, state)
    if (url := _permanent_url(feed.url, response)) != feed.url:
        _move(archive, feed.id, url)
    return PollResult(_get(archive, feed.id), status, summary, message)


def _fetch(http: httpx.Client, feed: Feed, timeout: float) -> httpx.Response:
    """A conditional GET of the feed, following redirects: a success or a 304, else
    _FetchError."""
    headers = {"User-Agent": USER_AGENT}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    try:
        response = http.get(feed.url, headers=headers, timeout=timeout, follow_redirects=True)
    except httpx.TimeoutException:
        raise _FetchError(f"{feed.url}: no answer within {timeout:g} s") from None
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise _FetchError(f"{feed.url}: cannot fetch ({type(error).__name__}: {error})") from None
    if response.status_code != 304 and not response.is_success:
        reason = f"{response.status_code} {response.reason_phrase}".strip()
        raise _FetchError(
            f"{response.url}: the server answered HTTP {reason}", response.status_code
        )
    return response


def _import(
    archive: Archive, feed: Feed, response: httpx.Response
) -> tuple[str | None, ImportSummary]:
    """Parse a fetched feed and import its entries, each labelled with the feed's label."""
    source = str(response.url)
    headers = {
        "content-type": response.headers.get("content-type", ""),
        "content-location": source,
    }
    try:
        title, batch = feed_format.parse_feed(response.content, source, headers=headers)
    except ImportFailure as error:
        raise _FetchError(str(error), response.status_code) from None
    if feed.label:
        for post in batch.posts:
            if feed.label.casefold() not in (label.casefold() for label in post.labels):
                post.labels.append(feed.label)
    summary = archive.import_batch(batch, source=source, format_name=feed_format.FORMAT)
    return title, summary


def _permanent_url(url: str, response: httpx.Response) -> str:
    """Where the feed now lives: the target of the permanent redirects the request began with."""
    targets = [hop.url for hop in response.history] + [response.url]
    for hop, target in zip(response.history, targets[1:], strict=True):
        if hop.status_code not in PERMANENT_REDIRECTS:
            break
        url = str(target)
    return url


def _describe(summary: ImportSummary) -> str:
    parts = [f"{summary.added} new", f"{summary.updated} updated", f"{summary.unchanged} same"]
    if summary.failed:
        parts.append(f"{summary.failed} failed")
    return ", ".join(parts)


def _update(archive: Archive, feed_id: int, values: dict[str, object]) -> None:
    assignments = ", ".join(f"{column} = ?" for column in values)
    with archive.store.transaction():
        archive.store.db.execute(
            f"UPDATE feeds SET {assignments} WHERE id = ?", (*values.values(), feed_id)
        )


def _move(archive: Archive, feed_id: int, url: str) -> None:
    """Store the feed's new URL, unless another subscription already has it."""
    with archive.store.transaction():
        archive.store.db.execute("UPDATE OR IGNORE feeds SET url = ? WHERE id = ?", (url, feed_id))


def _get(archive: Archive, feed_id: int) -> Feed:
    row = archive.store.db.execute(f"SELECT {_COLUMNS} FROM feeds WHERE id = ?", (feed_id,))
    return _feed(row.fetchone())


def _feed(row: tuple) -> Feed:
    *head, last_polled, last_status, error = row
    polled = datetime.fromisoformat(last_polled) if last_polled else None
    return Feed(*head, last_polled=polled, last_status=last_status, error=error)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

"""Plain data: the things Gazette stores, imports and returns. No I/O here."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Status = Literal["published", "draft"]
Kind = Literal["post", "page"]
SortOrder = Literal["relevance", "date", "date-asc"]


@dataclass
class Clip:
    """One clipped article inside a post."""

    position: int
    headline: str = ""
    body: str = ""
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    updated: datetime | None = None
    dateline: str | None = None
    url: str | None = None
    story_id: int | None = None
    captions: list[str] = field(default_factory=list)
    """Photo captions found in the clip, kept out of its searchable body."""
    credits: list[str] = field(default_factory=list)
    """Credit lines (``AP Photo/…``, ``Reporting by …``), shown with the clip, not searched."""

    def to_json(self) -> dict:
        return {
            "position": self.position,
            "headline": self.headline,
            "outlet": self.outlet,
            "authors": self.authors,
            "published": _iso(self.published),
            "updated": _iso(self.updated),
            "dateline": self.dateline,
            "url": self.url,
            "story_id": self.story_id,
            "captions": self.captions,
            "credits": self.credits,
            "body": self.body,
        }


@dataclass
class Comment:
    """A reader's comment on a post, as imported with it."""

    uid: str
    body_html: str
    body_text: str
    author: str | None = None
    author_url: str | None = None
    published: datetime | None = None
    status: str = "approved"


@dataclass
class Attachment:
    """A file a source refers to (a WordPress attachment): recorded, never made a post."""

    uid: str
    url: str
    title: str = ""
    mime_type: str | None = None
    parent_uid: str | None = None


@dataclass
class Post:
    """A dated post: a title, a body, labels, and where it came from.

    ``uid`` is the post's identity at its source (a feed's entry id, a permalink, or a
    key derived from the source's own structure); importing the same ``uid`` again
    updates the post instead of adding a second one.
    """

    uid: str
    title: str
    published: datetime
    body_text: str
    body_html: str = ""
    updated: datetime | None = None
    status: Status = "published"
    kind: Kind = "post"
    labels: list[str] = field(default_factory=list)
    author: str | None = None
    origin_format: str = ""
    origin_url: str | None = None
    source_path: str | None = None
    slug: str = ""
    id: int | None = None
    clips: list[Clip] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.published.tzinfo is None:
            raise ValueError(f"post {self.uid!r}: published date must be timezone-aware")
        if not self.slug:
            self.slug = slugify(self.title)

    @property
    def listed(self) -> bool:
        """Shown in lists, archives, feeds and search: a published post (not a page or draft)."""
        return self.status == "published" and self.kind == "post"

    @property
    def path(self) -> str:
        """The post's address on the blog: ``/YYYY/MM/slug``."""
        return f"/{self.published.year}/{self.published.month:02d}/{self.slug}"

    def to_json(self) -> dict:
        """The post as readers may see it (not the file it was imported from)."""
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published.isoformat(),
            "updated": _iso(self.updated),
            "labels": self.labels,
            "author": self.author,
            "url": self.path,
            "origin": {"format": self.origin_format, "url": self.origin_url},
            "body_text": self.body_text,
            "body_html": self.body_html,
            "clips": [clip.to_json() for clip in self.clips],
        }

    def content_hash(self) -> str:
        """A digest of everything an import can change; equal digests mean nothing changed.

        The fields go into it as JSON, except the texts (bodies, HTML), which are hashed as
        they are, after it: writing long texts into JSON took most of the time.
        """
        texts = [self.body_text, self.body_html]
        texts += [clip.body for clip in self.clips]
        for comment in self.comments:
            texts += (comment.body_html, comment.body_text)
        fields = [
            self.title,
            self.published.isoformat(),
            _iso(self.updated),
            self.status,
            self.kind,
            sorted(self.labels),
            self.author,
            self.origin_url,
            [
                [clip.position, clip.headline, clip.outlet, clip.authors, _iso(clip.published),
                 _iso(clip.updated), clip.dateline, clip.url, clip.captions, clip.credits]
                for clip in self.clips
            ],
            [
                [comment.uid, comment.author, comment.author_url, _iso(comment.published),
                 comment.status]
                for comment in self.comments
            ],
            [len(text) for text in texts],
        ]  # fmt: skip
        digest = hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode())
        for text in texts:
            digest.update(text.encode())
        return f"2:{digest.hexdigest()}"

    def first_content_hash(self) -> str:
        """The digest as archives before ``content_hash``'s second form wrote it (all the
        fields as one JSON document): a post stored with one is unchanged if it matches."""
        content = {
            "title": self.title,
            "published": self.published.isoformat(),
            "updated": self.updated.isoformat() if self.updated else None,
            "status": self.status,
            "kind": self.kind,
            "labels": sorted(self.labels),
            "author": self.author,
            "body_text": self.body_text,
            "body_html": self.body_html,
            "origin_url": self.origin_url,
            "comments": [vars(comment) for comment in self.comments],
            "clips": [{**vars(clip), "story_id": None} for clip in self.clips],
        }
        blob = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode()
        return hashlib.sha256(blob).hexdigest()


@dataclass(frozen=True)
class PostSummary:
    """What a list of posts needs of each one, without its body."""

    id: int
    title: str
    path: str
    published: datetime
    labels: list[str]

    def to_json(self) -> dict:
        return _listed(self.id, self.title, self.published, self.labels, self.path)


@dataclass(frozen=True)
class Version:
    """Another post's clip of the same story as one of this post's clips."""

    post: PostSummary
    headline: str
    outlet: str | None

    def to_json(self) -> dict:
        return {**self.post.to_json(), "headline": self.headline, "outlet": self.outlet}


@dataclass(frozen=True)
class Neighbours:
    """What a post's page shows after it: for each of its clips (by position) the other
    posts' versions of its story, newest first; and the posts most like it."""

    versions: dict[int, list[Version]]
    related: list[PostSummary]

    def post_json(self, post: Post) -> dict:
        """``post.to_json()`` with each clip's ``versions`` and the post's ``related``."""
        shown = post.to_json()
        for clip in shown["clips"]:
            clip["versions"] = [v.to_json() for v in self.versions.get(clip["position"], [])]
        shown["related"] = [other.to_json() for other in self.related]
        return shown


@dataclass
class Hit:
    """One post in a page of search results."""

    id: int
    title: str
    published: datetime
    labels: list[str]
    snippet: str
    url: str
    score: float | None = None
    matches_all: bool = True
    """False for a post that matches only some of the query's plain words."""
    versions: list[PostSummary] = field(default_factory=list)
    """Lower-ranked matches folded into this one: every clip they hold is a version of a
    story this post has too."""

    def to_json(self) -> dict:
        listed = _listed(self.id, self.title, self.published, self.labels, self.url)
        return {
            **listed,
            "snippet": self.snippet,
            "matches_all": self.matches_all,
            "versions": [version.to_json() for version in self.versions],
        }


@dataclass
class Facet:
    value: str
    count: int


@dataclass
class SearchResult:
    """A page of hits for one query, with the total, facets and notes for the reader."""

    query: str
    sort: SortOrder
    total: int
    page: int
    per_page: int
    hits: list[Hit]
    notes: list[str] = field(default_factory=list)
    partial: bool = False
    matched_all: int = 0
    """How many of the ``total`` posts match every plain word (they are ranked first)."""
    more: bool = False
    """Posts that match only some of the words follow, not counted in ``total`` yet (while
    the posts with every word fill the page, the others are not counted: it is costly)."""
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    """Counts over all the matches: ``labels``, ``years``, ``outlets``, ``authors``."""
    entries: int | None = None
    """How many entries the matches make once versions of one story are folded together
    (None when nothing folds): pages are counted in entries, ``total`` counts posts."""

    @property
    def pages(self) -> int:
        listed = self.total if self.entries is None else self.entries
        return max(1, -(-listed // self.per_page)) + self.more

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "sort": "relevance" if self.sort == "relevance" else "date",
            "order": self.sort,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "partial": self.partial,
            "matched_all": self.matched_all,
            "more": self.more,
            "notes": self.notes,
            "hits": [hit.to_json() for hit in self.hits],
            "facets": {
                name: [{"value": f.value, "count": f.count} for f in found]
                for name, found in self.facets.items()
            },
        }


@dataclass
class ImportSummary:
    """What one import run did, item by item."""

    source: str
    format: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0


def _listed(post_id: int, title: str, published: datetime, labels: list[str], url: str) -> dict:
    """A post as lists and search results show it, in JSON."""
    return {
        "id": post_id,
        "title": title,
        "published": published.isoformat(),
        "labels": labels,
        "url": url,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 60) -> str:
    """``"Afghan Taliban ‘unlikely’"`` -> ``"afghan-taliban-unlikely"`` (ASCII, <= 60 chars)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _SLUG_JUNK.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "post"

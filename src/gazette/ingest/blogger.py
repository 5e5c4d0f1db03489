"""Importer for Blogger backups: the legacy "Back up content" export and Takeout's feed.atom.

Both are Atom feeds holding every entry of a blog. The legacy export says what an entry is
with a ``kind`` category (post, page, comment, settings, template), marks drafts with
``<app:control><app:draft>yes``, and ties a comment to its post with
``<thr:in-reply-to ref="post id">``. Takeout says it with ``<blogger:type>`` and
``<blogger:status>``, ties comments with ``<blogger:parent>`` and gives the post's path in
``<blogger:filename>``. Other Atom feeds, a blog's public feed among them, are left to the
feed importer.

Posts and pages become posts whose ``uid`` is the entry's ``<id>`` (its permalink when it
has none), so importing a newer backup updates them; comments go with their post; settings,
templates and deleted entries are skipped. Real exports are not always well-formed XML, so
the file is read leniently and the repair is reported as a warning.
"""

from __future__ import annotations

import html
import io
import re
from datetime import datetime
from functools import cache
from operator import attrgetter
from typing import NamedTuple
from urllib.parse import urldefrag, urljoin

from lxml import etree

from gazette.ingest.base import Batch, ImportFailure
from gazette.ingest.html import sanitize, to_text
from gazette.model import Comment, Post, Status

FORMAT = "blogger"

_NAMESPACES = {
    "atom": ("http://www.w3.org/2005/Atom",),
    "app": ("http://purl.org/atom/app#", "http://www.w3.org/2007/app"),
    "thr": ("http://purl.org/syndication/thread/1.0",),
    "blogger": ("http://schemas.google.com/blogger/2018",),
}
_FEED = "{http://www.w3.org/2005/Atom}feed"
_KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
_LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
_MARKERS = re.compile(rb"""=\s*["']https?://schemas\.google\.com/blogger/(?:2008/kind#|2018)""")
"""An entry kind (``term="...kind#post"``) or the Takeout namespace (``xmlns:blogger=...``)."""

_PARSER_OPTIONS = dict(recover=True, huge_tree=True, resolve_entities=False, no_network=True)

_TAKEOUT_STATUS: dict[str, Status | None] = {
    "LIVE": "published",
    "DRAFT": "draft",
    "SCHEDULED": "draft",
    "PENDING": "draft",  # a comment awaiting moderation
    "DELETED": None,
    "SOFT_TRASHED": None,
    "SPAM": None,
    "EMPTIED": None,  # a comment whose text was removed
}
"""Takeout's ``<blogger:status>`` -> the post's status; None: left out."""


class _Skipped(Exception):
    """An entry deliberately left out; the message says why."""


class _Invalid(Exception):
    """An entry that cannot be read; the message says what is wrong."""


class _Reply(NamedTuple):
    post_id: str
    comment: Comment


def sniff(data: bytes) -> bool:
    """True for an Atom ``<feed>`` with Blogger's entry kinds or its Takeout namespace; False
    for other Atom feeds (a blog's public feed too), RSS (WordPress WXR) and anything else."""
    try:
        _, root = next(etree.iterparse(io.BytesIO(data), events=("start",), **_PARSER_OPTIONS))
    except (etree.XMLSyntaxError, StopIteration):
        return False
    return root.tag == _FEED and _MARKERS.search(data) is not None


def parse(data: bytes, source: str) -> Batch:
    """The posts and pages of a Blogger backup, each with its comments.

    ``source`` names the file in messages and becomes ``Post.source_path``. Raises
    ImportFailure if the file is not a Blogger export at all.
    """
    root, problem = _read(data, source)
    batch = Batch()
    if problem:
        batch.warnings.append(f"{source}: not well-formed XML ({problem}); read leniently")
    blog_url = _link(root, "alternate")
    posts: dict[str, Post] = {}
    replies: list[tuple[str, _Reply]] = []
    entry_ids: set[str] = set()
    for number, entry in enumerate(_children(root, "atom:entry"), 1):
        entry_id = _text(entry, "atom:id")
        entry_ids.add(entry_id)
        where = f"{source}: entry {number} ({_text(entry, 'atom:title') or entry_id!r})"
        try:
            item = _item(entry, blog_url, source)
            if isinstance(item, Post) and item.uid in posts:
                raise _Invalid(f"the same id as an earlier entry ({item.uid!r})")
        except _Skipped as reason:
            batch.skipped.append(f"{where}: {reason}")
        except _Invalid as error:
            batch.failures.append(f"{where}: {error}")
        else:
            if isinstance(item, Post):
                posts[item.uid] = item
            else:
                replies.append((where, item))
    for where, reply in replies:
        if post := posts.get(reply.post_id):
            post.comments.append(reply.comment)
        else:
            fate = "was not imported" if reply.post_id in entry_ids else "is not in the file"
            batch.warnings.append(f"{where}: comment left out: its post {reply.post_id!r} {fate}")
    for post in posts.values():
        post.comments.sort(key=attrgetter("published", "uid"))
    batch.posts = list(posts.values())
    return batch


def _read(data: bytes, source: str) -> tuple[etree._Element, str | None]:
    """The document's ``<feed>``, and what was wrong with the XML if it had to be repaired."""
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ImportFailure(f"{source}: not XML ({error.msg})") from None
    errors = [error for error in parser.error_log if error.level >= etree.ErrorLevels.ERROR]
    problem = f"{errors[0].message}, line {errors[0].line}" if errors else None
    if root is None:
        raise ImportFailure(f"{source}: not XML ({problem})")
    if root.tag != _FEED:
        name = root.tag.rpartition("}")[2]
        raise ImportFailure(
            f"{source}: not a Blogger export (its root is <{name}>, not an Atom <feed>)"
        )
    if not _MARKERS.search(data):
        raise ImportFailure(
            f"{source}: an Atom feed but not a Blogger export "
            "(no Blogger entry kinds and no blogger: namespace)"
        )
    return root, problem


def _item(entry: etree._Element, blog_url: str | None, source: str) -> Post | _Reply:
    """The post, page or comment in ``entry``; _Skipped or _Invalid if there is none."""
    kind = _kind(entry)
    if not kind:
        raise _Invalid("no kind (neither a kind category nor <blogger:type>)")
    if kind not in ("post", "page", "comment"):
        raise _Skipped(f"Blogger {kind} entry")
    status = _status(entry)
    if status is None:
        raise _Skipped(f"{kind} with status {_text(entry, 'blogger:status')}")
    published = _date(entry, "published")
    if published is None:
        raise _Invalid("no <published> date")
    entry_id = _text(entry, "atom:id")
    body_html = _body(entry)
    author, author_url = _author(entry)
    if kind == "comment":
        post_id = _text(entry, "blogger:parent") or _reply_ref(entry)
        if not post_id:
            raise _Invalid("a comment without its post's id (thr:in-reply-to or blogger:parent)")
        if not entry_id:
            raise _Invalid("a comment without an <id>")
        comment = Comment(
            uid=entry_id,
            body_html=body_html,
            body_text=to_text(body_html),
            author=author,
            author_url=author_url,
            published=published,
            status="approved" if status == "published" else "pending",
        )
        return _Reply(post_id, comment)
    permalink = _permalink(entry, blog_url)
    uid = entry_id or permalink
    if not uid:
        raise _Invalid("no <id> and no permalink to identify it")
    return Post(
        uid=uid,
        title=_text(entry, "atom:title"),
        published=published,
        body_text=to_text(body_html),
        body_html=body_html,
        updated=_date(entry, "updated"),
        status=status,
        kind="page" if kind == "page" else "post",
        labels=_labels(entry),
        author=author,
        origin_format=FORMAT,
        origin_url=permalink,
        source_path=source,
    )


def _kind(entry: etree._Element) -> str:
    """``post``, ``page``, ``comment``, ``settings``, ``template``... as the entry says; ''
    if it does not say."""
    if kind := _text(entry, "blogger:type"):
        return kind.lower()
    for category in _children(entry, "atom:category"):
        if category.get("scheme") == _KIND_SCHEME:
            return (category.get("term") or "").rpartition("#")[2]
    return ""


def _status(entry: etree._Element) -> Status | None:
    """``published`` or ``draft``; None for an entry deleted, trashed or marked as spam."""
    if status := _text(entry, "blogger:status"):
        try:
            return _TAKEOUT_STATUS[status.upper()]
        except KeyError:
            raise _Invalid(f"unknown <blogger:status> {status!r}") from None
    control = _child(entry, "app:control")
    draft = control is not None and _text(control, "app:draft").lower() == "yes"
    return "draft" if draft else "published"


def _date(entry: etree._Element, name: str) -> datetime | None:
    """The entry's ``<published>`` or ``<updated>`` (timezone-aware); None if it has none."""
    text = _text(entry, f"atom:{name}")
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _Invalid(f"<{name}> is not an ISO 8601 date: {text!r}") from None
    if value.tzinfo is None:
        raise _Invalid(f"<{name}> has no UTC offset: {text!r}")
    return value


def _body(entry: etree._Element) -> str:
    """The entry's content as sanitized HTML (text content is escaped first)."""
    content = _child(entry, "atom:content")
    if content is None:
        return ""
    if content.get("type") == "html":
        return sanitize(content.text or "")
    return sanitize(html.escape("".join(content.itertext())))


def _author(entry: etree._Element) -> tuple[str | None, str | None]:
    """The name and address (``<uri>``) of the entry's author, where given."""
    author = _child(entry, "atom:author")
    if author is None:
        return None, None
    return _text(author, "atom:name") or None, _text(author, "atom:uri") or None


def _labels(entry: etree._Element) -> list[str]:
    """Label categories: Blogger's label scheme, or every category of a Takeout entry."""
    takeout = _child(entry, "blogger:type") is not None
    terms = (
        (category.get("term") or "").strip()
        for category in _children(entry, "atom:category")
        if takeout or category.get("scheme") == _LABEL_SCHEME
    )
    return list(dict.fromkeys(term for term in terms if term))


def _permalink(entry: etree._Element, blog_url: str | None) -> str | None:
    """Where the entry was on the blog: Takeout's filename (joined to the blog's address if
    the feed gives it), the alternate link, or else the post's comment-form link."""
    if filename := _text(entry, "blogger:filename"):
        return urljoin(blog_url or "", filename)
    if url := _link(entry, "alternate"):
        return url
    if url := _link(entry, "replies"):
        return urldefrag(url).url
    return None


def _reply_ref(entry: etree._Element) -> str:
    """The ``ref`` (id of the post replied to) of the entry's ``<thr:in-reply-to>``, or ''."""
    reply = _child(entry, "thr:in-reply-to")
    return (reply.get("ref") or "").strip() if reply is not None else ""


def _link(element: etree._Element, rel: str) -> str | None:
    """The href of ``element``'s first HTML ``<link>`` with relation ``rel``."""
    for link in _children(element, "atom:link"):
        if (
            link.get("rel", "alternate") == rel
            and link.get("type", "text/html") == "text/html"
            and (href := (link.get("href") or "").strip())
        ):
            return href
    return None


@cache
def _tags(qname: str) -> frozenset[str]:
    """The tags ``prefix:name`` may have: in each namespace of the prefix, and as read
    leniently when the prefix was never declared (the literal ``prefix:name``)."""
    prefix, name = qname.split(":")
    return frozenset({qname, *(f"{{{namespace}}}{name}" for namespace in _NAMESPACES[prefix])})


def _children(element: etree._Element, qname: str) -> list[etree._Element]:
    tags = _tags(qname)
    return [child for child in element if child.tag in tags]


def _child(element: etree._Element, qname: str) -> etree._Element | None:
    tags = _tags(qname)
    return next((child for child in element if child.tag in tags), None)


def _text(element: etree._Element, qname: str) -> str:
    """The stripped text of ``element``'s first ``qname`` child; '' if there is none."""
    child = _child(element, qname)
    return (child.text or "").strip() if child is not None else ""

"""Importer for WordPress exports: WXR ("WordPress eXtended RSS") 1.0, 1.1 and 1.2.

What becomes what:

* ``wp:post_type`` ``post`` becomes a post and ``page`` a page (kind "page"); an
  ``attachment`` becomes an :class:`Attachment` (recorded, never a post); any other type
  (``nav_menu_item``, ``revision``, custom types) is skipped, saying which type.
* ``wp:status`` ``publish`` becomes "published"; ``draft``, ``pending``, ``private``,
  ``future`` and ``auto-draft`` become "draft" (none of them is public on the blog), and so
  does a missing or unknown status (WordPress's own default); ``trash`` is skipped.
* Labels are the names in ``<category domain="category">``, ``domain="post_tag"`` and WXR
  1.0's ``domain="tag"``, de-duplicated in order. WXR 1.0's domain-less duplicates and other
  taxonomies (``post_format``, custom ones) are ignored, as WordPress's own parser does.
* The author is ``dc:creator`` (a login), shown by its ``wp:author_display_name`` from the
  channel's ``wp:author`` list when there is one.
* ``published`` is ``wp:post_date_gmt`` (UTC). Drafts carry WordPress's zero date
  ``0000-00-00 00:00:00`` there; then ``wp:post_date`` (the site's local time, read in the
  channel's time zone), then the RFC 822 ``pubDate``. An item with none of them fails alone.
* The body is ``content:encoded`` exactly as written (every CDATA section, no trimming),
  with ``[caption]`` shortcodes made ``<figure>``/``<figcaption>`` and, when it has no block
  tags, blank-line separated text made paragraphs (a minimal ``wpautop``), then sanitized.
* Comments approved (``1``) or pending (``0``) are kept; spam and trash are dropped.
* A post's identity is ``wxr:`` + its ``guid``, else ``wxr:<channel link>?p=<wp:post_id>``.
  A later item repeating an earlier one's identity (hand-edited exports do) gets
  ``#<wp:post_name>`` (or ``#item-<n>``) appended and a warning, so every item stays a post of
  its own and importing the file again changes nothing.

Strict where the format says reject, lenient otherwise. A document must be an ``<rss>`` root
with a ``<channel>`` holding a ``wp:wxr_version`` (in either the ``http://`` or the
``https://wordpress.org/export/1.x/`` namespace) of 1.0 or later; anything else is rejected,
as WordPress's importer rejects it ("This does not appear to be a WXR file, missing/invalid
WXR version number"). Versions after 1.2 are read with a warning, as WordPress does.

The XML is parsed as it is read, an item at a time (``iterparse``): the check is made on
the channel's elements before its first item, as WordPress writes them (a file that writes
its version after its items is parsed whole first; one that lists its authors after its
items shows their logins). A document that is not well-formed XML is parsed again in lxml's
recover mode and kept only if the repaired document passes the same check, with one warning
naming the file and the XML error: a stray ``&`` or a broken tag inside one item is repaired
(when the break comes after some items, reading goes on from there). A file broken as a whole is
rejected, naming both problems: wordpress-importer's ``malformed.xml``, whose ``<channel>``
is opened as ``<notachanneltag>`` and closed as ``</channel>``, repairs to an ``<rss>``
without a ``<channel>`` (and its version is ``abc``), and WordPress's parsers reject it too
("There was an error when reading this WXR file").
"""

from __future__ import annotations

import html
import io
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime
from itertools import islice
from urllib.parse import urlsplit

from lxml import etree

from gazette.ingest.base import Batch, ImportFailure
from gazette.ingest.html import sanitize, to_text
from gazette.model import Attachment, Comment, Post

FORMAT = "wxr"

_WP_NAMESPACE = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/")
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"

_LABEL_DOMAINS = frozenset({"category", "post_tag", "tag"})
_COMMENT_STATUSES = {"1": "approved", "0": "pending"}
"""``wp:comment_approved``; other values (``spam``, ``trash``, ``post-trashed``) are dropped."""

_SNIFF_BYTES = 65536
_ROOT_IS_RSS = re.compile(
    r"\ufeff?\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<rss[\s>]", re.S
)
_DECLARES_WP = re.compile(r"""xmlns(?::[\w.-]+)?\s*=\s*["']https?://wordpress\.org/export/""")

_RFC822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s+\S+"
)
"""A plausible RFC 822 date: the standard library parses far worse (``-0001`` as a year)."""

_BLOCK_TAG = re.compile(
    r"<(?:address|article|aside|blockquote|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header"
    r"|hr|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul)\b",
    re.I,
)
_BLANK_LINE = re.compile(r"\n\s*\n")
_CAPTION = re.compile(r"\[(?:wp_)?caption\b([^\]]*)\](.*?)\[/(?:wp_)?caption\]", re.S)
_CAPTION_ATTRIBUTE = re.compile(r"""\bcaption=(["'])(.*?)\1""", re.S)
_CAPTIONED = re.compile(
    r"\s*(?P<media>(?P<link><a\b[^>]*>\s*)?<img\b[^>]*>(?P<closed>\s*</a>)?)(?P<caption>.*)", re.S
)
"""A caption shortcode's content: an image, perhaps in a link, then the caption text."""


class _NotWXR(Exception):
    """The document is not a WordPress export (the message says why)."""


class _ItemError(Exception):
    """What is wrong with one item; the item fails alone."""


def sniff(data: bytes) -> bool:
    """True for XML whose root is ``<rss>`` and that uses the WordPress export namespace."""
    head = data[:_SNIFF_BYTES].decode("utf-8", errors="replace")
    return bool(_ROOT_IS_RSS.match(head)) and bool(_DECLARES_WP.search(head) or b"<wp:" in data)


def parse(data: bytes, source: str) -> Batch:
    """Read a WXR export into posts, pages and attachments, in file order.

    ``source`` names the file in messages and becomes ``Post.source_path``. Raises
    ImportFailure when the file is not a WordPress export (see the module's docstring).
    """
    batch = iterparse(data, source)
    batch.posts = list(batch.posts)
    return batch


def iterparse(data: bytes, source: str) -> Batch:
    """:func:`parse`, with the XML read as ``Batch.posts`` is consumed: each item is parsed,
    read and freed in turn, so the first posts come at once and a large file is never held
    as a whole tree. Whether the file is a WordPress export is settled from the channel's
    elements before its first item, before this returns (when they do not settle it, the
    whole file is parsed first, as for a broken one). XML found not to be well-formed
    further on is parsed again in recover mode, and reading goes on from the item where it
    broke, with the warning. ``total`` counts the ``<item>`` tags in the text (for progress).
    """
    stream = etree.iterparse(io.BytesIO(data), events=("start", "end"), tag="item", **_XML)
    try:
        first = next((item for event, item in stream if event == "start"), None)
        export = _Export.of(stream.root if first is None else first.getroottree().getroot(), source)
    except (etree.XMLSyntaxError, _NotWXR):
        export = _whole(data, source)
        items: Iterator[etree._Element] = export.channel.iterfind("item")
    else:
        items = _streamed(stream, first, data, export)
    export.batch.total = data.count(b"<item>") + data.count(b"<item ")
    export.batch.posts = export.posts(items)
    return export.batch


def _whole(data: bytes, source: str) -> _Export:
    """The export in the file parsed as a whole (in recover mode if it is not well-formed,
    with a warning); ImportFailure if it is not a WordPress export."""
    root, xml_error = _parse_xml(data)
    try:
        export = _Export.of(root, source)
    except _NotWXR as error:
        if xml_error:
            raise ImportFailure(
                f"{source}: not well-formed XML ({xml_error}), and the repaired document is "
                f"not a WordPress export: {error}"
            ) from None
        raise ImportFailure(f"{source}: not a WordPress export: {error}") from None
    if xml_error:
        export.batch.warnings.insert(0, _repaired(source, xml_error))
    return export


def _repaired(source: str, xml_error: str) -> str:
    return (
        f"{source}: not well-formed XML ({xml_error}); repaired in lxml's recover mode, "
        "so text near the error may be lost"
    )


def _streamed(
    stream: etree.iterparse, first: etree._Element | None, data: bytes, export: _Export
) -> Iterator[etree._Element]:
    """The channel's items as the parser finishes each (the one before freed meanwhile);
    after an XML error, the rest from the document parsed again in recover mode."""
    done = 0
    previous = first
    try:
        for event, item in stream:
            if event == "end":
                yield item
                done += 1
                if previous is not None and previous is not item:
                    previous.getparent().remove(previous)
                previous = item
    except etree.XMLSyntaxError as error:
        root, _ = _parse_xml(data)
        channel = root.find("channel") if root is not None else None
        export.batch.warnings.insert(0, _repaired(export.source, error.msg))
        if channel is not None:
            yield from islice(channel.iterfind("item"), done, None)


_XML = {"huge_tree": True, "resolve_entities": False, "no_network": True, "strip_cdata": False}


def _parse_xml(data: bytes) -> tuple[etree._Element | None, str | None]:
    """The document's root, and the XML error if it had to be repaired to get one."""
    try:
        return etree.fromstring(data, etree.XMLParser(**_XML)), None
    except etree.XMLSyntaxError as error:
        problem = error.msg
    try:
        return etree.fromstring(data, etree.XMLParser(recover=True, **_XML)), problem
    except etree.XMLSyntaxError:
        return None, problem


@dataclass
class _Export:
    """One export's channel: what reading its items needs, and the batch they go into."""

    channel: etree._Element
    wp: str
    """The ``wp`` namespace as a tag prefix, ``{http://wordpress.org/export/1.2/}``."""
    link: str
    """The blog's address, for identities of items without a guid."""
    local_time: tzinfo
    """The site's time zone, for ``wp:post_date`` (the offset of the channel's pubDate)."""
    display_names: dict[str, str]
    """Author display names by case-folded login (logins are case-insensitive)."""
    source: str
    batch: Batch

    @classmethod
    def of(cls, root: etree._Element | None, source: str) -> _Export:
        """The export in ``root``; _NotWXR if it is not one."""
        if root is None:
            raise _NotWXR("no XML document in it")
        if root.tag != "rss":
            raise _NotWXR(f"the root element is <{etree.QName(root).localname}>, not <rss>")
        channel = root.find("channel")
        if channel is None:
            raise _NotWXR("no <channel> in <rss>")
        found = [
            element
            for element in channel
            if isinstance(element.tag, str)
            and etree.QName(element).localname == "wxr_version"
            and _WP_NAMESPACE.fullmatch(etree.QName(element).namespace or "")
        ]
        if not found:
            raise _NotWXR("missing wp:wxr_version")
        version = (found[0].text or "").strip()
        if not re.fullmatch(r"\d+\.\d+", version):
            raise _NotWXR(f"invalid WXR version {version!r}")
        number = tuple(int(part) for part in version.split("."))
        if number < (1, 0):
            raise _NotWXR(f"unsupported WXR version {version!r}")
        wp = f"{{{etree.QName(found[0]).namespace}}}"
        batch = Batch()
        if number > (1, 2):
            batch.warnings.append(
                f"{source}: WXR version {version!r} is newer than 1.2 and may not be fully read"
            )
        # WordPress writes the channel's pubDate in UTC (+0000), so this is UTC in practice;
        # the offset is honoured for other exporters, and without a pubDate it is UTC too.
        exported = _rfc822(_field(channel, "pubDate"))
        display_names = {
            _field(author, f"{wp}author_login").casefold(): name
            for author in channel.iterfind(f"{wp}author")
            if (name := _plain(_field(author, f"{wp}author_display_name")))
        }
        link = next(
            (
                value
                for tag in ("link", f"{wp}base_blog_url", f"{wp}base_site_url")
                if (value := _field(channel, tag))
            ),
            "",
        )
        return cls(
            channel=channel,
            wp=wp,
            link=link,
            local_time=exported.tzinfo if exported and exported.tzinfo else UTC,
            display_names=display_names,
            source=source,
            batch=batch,
        )

    def posts(self, items: Iterator[etree._Element]) -> Iterator[Post]:
        """The posts and pages among the channel's ``items``, each item read (or failed)
        alone; attachments, skips and failures go to the batch."""
        post_ids: dict[str, str] = {}
        seen: dict[str, int] = {}
        parents: list[tuple[Attachment, str]] = []
        for number, item in enumerate(items, 1):
            self.batch.read = number
            title = _plain(_field(item, "title"))
            where = f"{self.source}: item {number} ({title!r})"
            post_type = _field(item, f"{self.wp}post_type")
            try:
                if _field(item, f"{self.wp}status") == "trash":
                    self.batch.skipped.append(f"{where}: in the trash")
                elif post_type == "attachment":
                    attachment = self._attachment(item, title)
                    self.batch.attachments.append(attachment)
                    parents.append((attachment, _field(item, f"{self.wp}post_parent")))
                elif post_type in ("post", "page"):
                    uid = self._uid(item)
                    post = self._post(item, self._unique(uid, item, number, seen), title, post_type)
                    if post.uid != uid:
                        self.batch.warnings.append(
                            f"{where}: same identity as item {seen[uid]}; imported as {post.uid!r}"
                        )
                    seen[post.uid] = number
                    yield post
                    if post_id := _field(item, f"{self.wp}post_id"):
                        post_ids.setdefault(post_id, post.uid)
                elif post_type:
                    self.batch.skipped.append(f"{where}: post type {post_type!r} is not imported")
                else:
                    raise _ItemError("no wp:post_type")
            except _ItemError as error:
                self.batch.failures.append(f"{where}: {error}")
        for attachment, parent in parents:
            attachment.parent_uid = post_ids.get(parent)  # "0": no parent

    def _post(self, item: etree._Element, uid: str, title: str, kind: str) -> Post:
        login = _field(item, _CREATOR)
        body = _body(_content(item.find(_CONTENT)))
        return Post(
            uid=uid,
            title=title,
            published=self._published(item),
            body_text=to_text(body),
            body_html=body,
            updated=self._when(item, "post_modified_gmt", "post_modified"),
            # pending, private, future, auto-draft (and unknown): not public, so a draft
            status="published" if _field(item, f"{self.wp}status") == "publish" else "draft",
            kind="page" if kind == "page" else "post",
            labels=list(
                dict.fromkeys(
                    name
                    for category in item.iterchildren("category")
                    if category.get("domain") in _LABEL_DOMAINS
                    and (name := _plain("".join(category.itertext())))
                )
            ),
            author=self.display_names.get(login.casefold(), login) or None,
            origin_format=FORMAT,
            origin_url=_field(item, "link") or None,
            source_path=self.source,
            comments=self._comments(item, uid),
        )

    def _attachment(self, item: etree._Element, title: str) -> Attachment:
        url = _field(item, f"{self.wp}attachment_url") or _field(item, "guid")
        if not url:
            raise _ItemError("an attachment without wp:attachment_url or guid")
        return Attachment(
            uid=self._uid(item),
            url=url,
            title=title,
            mime_type=mimetypes.guess_type(urlsplit(url).path)[0],
        )

    def _uid(self, item: etree._Element) -> str:
        if guid := _field(item, "guid"):
            return f"{FORMAT}:{guid}"
        post_id = _field(item, f"{self.wp}post_id")
        if post_id and self.link:
            return f"{FORMAT}:{self.link}?p={post_id}"
        raise _ItemError("no guid, and no wp:post_id and channel <link> to identify it by")

    def _unique(self, uid: str, item: etree._Element, number: int, seen: dict[str, int]) -> str:
        """``uid``, or if an earlier item has it, ``uid#<wp:post_name>`` (``uid#item-<n>``)."""
        if uid not in seen:
            return uid
        named = f"{uid}#{_field(item, f'{self.wp}post_name') or f'item-{number}'}"
        return named if named not in seen else f"{uid}#item-{number}"

    def _published(self, item: etree._Element) -> datetime:
        when = self._when(item, "post_date_gmt", "post_date") or _rfc822(_field(item, "pubDate"))
        if when:
            return when
        given = [
            f"{tag} {value!r}"
            for tag, value in (
                ("wp:post_date_gmt", _field(item, f"{self.wp}post_date_gmt")),
                ("wp:post_date", _field(item, f"{self.wp}post_date")),
                ("pubDate", _field(item, "pubDate")),
            )
            if value
        ]
        raise _ItemError(f"no usable date ({', '.join(given) or 'none given'})")

    def _when(self, element: etree._Element, gmt: str, local: str) -> datetime | None:
        """The UTC time in ``wp:<gmt>``, else the site's local time in ``wp:<local>``."""
        return _mysql_date(_field(element, f"{self.wp}{gmt}"), UTC) or _mysql_date(
            _field(element, f"{self.wp}{local}"), self.local_time
        )

    def _comments(self, item: etree._Element, post_uid: str) -> list[Comment]:
        comments = []
        for number, element in enumerate(item.iterchildren(f"{self.wp}comment"), 1):
            status = _COMMENT_STATUSES.get(_field(element, f"{self.wp}comment_approved"))
            if status is None:
                continue
            body = _body(_content(element.find(f"{self.wp}comment_content")))
            comment_id = _field(element, f"{self.wp}comment_id") or str(number)
            comments.append(
                Comment(
                    uid=f"{post_uid}#comment-{comment_id}",
                    body_html=body,
                    body_text=to_text(body),
                    author=_plain(_field(element, f"{self.wp}comment_author")) or None,
                    author_url=_field(element, f"{self.wp}comment_author_url") or None,
                    published=self._when(element, "comment_date_gmt", "comment_date"),
                    status=status,
                )
            )
        return comments


def _field(element: etree._Element, tag: str) -> str:
    """The stripped text of ``element``'s first ``tag`` child ("" if there is none).
    ``iterchildren`` finds it as ``findtext`` does, without going through ElementPath."""
    for child in element.iterchildren(tag):
        return (child.text or "").strip()
    return ""


def _plain(text: str) -> str:
    """A plain-text field: WordPress stores titles and names with HTML entities in them."""
    return html.unescape(text).strip()


def _content(element: etree._Element | None) -> str:
    """An element's content as written: its text (every CDATA section) and any markup in it."""
    if element is None:
        return ""
    return (element.text or "") + "".join(
        etree.tostring(child, encoding="unicode") for child in element
    )


_MYSQL_DATE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def _mysql_date(text: str, zone: tzinfo) -> datetime | None:
    """``2010-10-16 20:53:18`` in ``zone``; None for WordPress's zero date or anything else."""
    if not _MYSQL_DATE.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=zone)
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    """An RFC 822 date (UTC if it gives no zone); None if it is not one, or is the epoch
    WordPress writes for a zero date."""
    if not _RFC822.fullmatch(text):
        return None
    try:
        when = parsedate_to_datetime(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return None if when == datetime(1970, 1, 1, tzinfo=UTC) else when


def _body(content: str) -> str:
    """Sanitized HTML for a post's or comment's raw WordPress content."""
    converted = _CAPTION.sub(_figure, content)
    if not _BLOCK_TAG.search(content):
        converted = _autop(converted)
    return sanitize(converted)


def _figure(match: re.Match[str]) -> str:
    """``[caption ...]<img ...> Text[/caption]`` as a figure; the caption may also be given as
    a ``caption="..."`` attribute (older WordPress), which then wins, as in WordPress."""
    attributes, inner = match[1], match[2]
    if attribute := _CAPTION_ATTRIBUTE.search(attributes):
        media, caption = inner, attribute[2]
    elif captioned := _CAPTIONED.fullmatch(inner):
        media, caption = captioned["media"], captioned["caption"]
        if captioned["link"] and not captioned["closed"]:
            media += "</a>"  # else the link would swallow the caption and the text after it
    else:
        media, caption = inner, ""
    caption = caption.strip()
    return f"<figure>{media}{f'<figcaption>{caption}</figcaption>' if caption else ''}</figure>"


def _autop(text: str) -> str:
    """Blank-line separated text as paragraphs; a chunk opening with a block tag (a caption's
    figure) stays as it is."""
    chunks = (chunk.strip() for chunk in _BLANK_LINE.split(text))
    return "\n".join(
        chunk if _BLOCK_TAG.match(chunk) else f"<p>{chunk}</p>" for chunk in chunks if chunk
    )

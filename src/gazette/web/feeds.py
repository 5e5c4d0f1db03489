"""XML for other programs: Atom and RSS feeds (via feedgen) and the OpenSearch description."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from xml.etree import ElementTree

from feedgen.feed import FeedGenerator
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gazette.model import Post
from gazette.web import params
from gazette.web.render import SITE_TITLE

FEED_SIZE = 25
MEDIA_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (NUL, most control characters)."""
    return _NOT_XML.sub("", text)


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def build_feed(request: Request, kind: str, title: str, query: str) -> Response:
    """The newest posts matching ``query`` as an Atom or RSS document."""
    archive = request.app.state.archive
    result = archive.search(query, sort="date", per_page=FEED_SIZE, facets=False)
    posts = [post for hit in result.hits if (post := archive.get(hit.id)) is not None]
    base = base_url(request)
    feed = FeedGenerator()
    feed.id(xml_safe(str(request.url)))
    feed.title(xml_safe(title))
    feed.subtitle(xml_safe(f"{title}, newest first"))
    feed.author(name=SITE_TITLE)
    feed.link(href=xml_safe(str(request.url)), rel="self")
    feed.link(href=base + "/", rel="alternate")  # the last link is RSS's <link>
    feed.generator("Gazette")
    feed.updated(
        max((p.updated or p.published for p in posts), default=datetime(1970, 1, 1, tzinfo=UTC))
    )
    for post in posts:
        add_entry(feed, post, base)
    body = feed.atom_str(pretty=True) if kind == "atom" else feed.rss_str(pretty=True)
    return Response(body, media_type=MEDIA_TYPES[kind])


def add_entry(feed: FeedGenerator, post: Post, base: str) -> None:
    entry = feed.add_entry(order="append")
    entry.id(base + post.path)
    entry.guid(base + post.path, permalink=True)
    entry.title(xml_safe(post.title))
    entry.link(href=base + post.path, rel="alternate")
    entry.published(post.published)
    entry.updated(post.updated or post.published)
    entry.content(xml_safe(post.body_html), type="html")
    if post.author:
        entry.author(name=xml_safe(post.author))
    for label in post.labels:
        entry.category(term=xml_safe(label), label=xml_safe(label))


def feed_kind(request: Request) -> str:
    """``atom`` or ``rss`` from ``/feeds/posts.KIND``, or Blogger's ``alt=rss``; else 404."""
    kind = request.path_params.get("kind") or (
        "rss" if request.query_params.get("alt") == "rss" else "atom"
    )
    if kind not in MEDIA_TYPES:
        raise HTTPException(404)
    return kind


async def posts_feed(request: Request) -> Response:
    """``/feeds/posts.atom`` (and ``.rss``): the latest posts, or those matching ``?q=``."""
    q = request.query_params.get("q", "")
    title = f"{SITE_TITLE}: posts matching {q}" if q.strip() else SITE_TITLE
    return build_feed(request, feed_kind(request), title, q)


async def label_feed(request: Request) -> Response:
    """``/feeds/posts.atom/-/Label``: the latest posts with a label (``A+B``: both)."""
    names = params.label_names(request.path_params["labels"])
    if not names:
        raise HTTPException(404)
    query, _ = params.combine("", params.label_filters(names))
    title = f"{SITE_TITLE}: posts with label {' and '.join(names)}"
    return build_feed(request, feed_kind(request), title, query)


async def opensearch(request: Request) -> Response:
    """``/opensearch.xml``: lets browsers add the archive as a search engine."""
    base = base_url(request)
    ElementTree.register_namespace("", OPENSEARCH_NS)
    root = ElementTree.Element(f"{{{OPENSEARCH_NS}}}OpenSearchDescription")
    for tag, text in (
        ("ShortName", SITE_TITLE),
        ("Description", f"Search the {SITE_TITLE} archive of news clippings"),
        ("InputEncoding", "UTF-8"),
    ):
        ElementTree.SubElement(root, f"{{{OPENSEARCH_NS}}}{tag}").text = text
    for media_type, template in (
        ("text/html", "/search?q={searchTerms}"),
        ("application/atom+xml", "/feeds/posts.atom?q={searchTerms}"),
    ):
        ElementTree.SubElement(
            root, f"{{{OPENSEARCH_NS}}}Url", type=media_type, method="get", template=base + template
        )
    ElementTree.SubElement(
        root,
        f"{{{OPENSEARCH_NS}}}Url",
        type="application/opensearchdescription+xml",
        rel="self",
        template=base + "/opensearch.xml",
    )
    body = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type="application/opensearchdescription+xml")


routes = [
    Route("/feeds/posts.{kind}", posts_feed),
    Route("/feeds/posts.{kind}/-/{labels:path}", label_feed),
    Route("/feeds/posts/default", posts_feed),
    Route("/feeds/posts/default/-/{labels:path}", label_feed),
    Route("/opensearch.xml", opensearch),
]

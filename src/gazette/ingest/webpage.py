"""Importer for one web page: the news article on it, clipped with trafilatura.

``extract`` reads a saved or downloaded page into a Clip: the headline as printed, the
byline, the outlet, the dates the page declares, and the article's text without navigation,
advertising or reader comments. ``parse`` makes that clip a post of its own, and ``fetch``
downloads a page for ``gazette clip URL``.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import suppress
from datetime import UTC, datetime
from http.client import HTTPException
from itertools import chain
from urllib.parse import urljoin

from lxml.html import HtmlElement

from gazette.clips.article import known_outlet, url_outlet
from gazette.ingest.base import Batch, ImportFailure
from gazette.model import Clip, Post

FORMAT = "webpage"
USER_AGENT = "Gazette/0.1 (+news clipping archive)"
MAX_PAGE_BYTES = 20_000_000
MIN_ARTICLE_CHARS = 200
"""Less extracted text than this (about two sentences) is page furniture, not an article."""
_DATE_SEARCH = {"original_date": True, "extensive_search": False}
"""htmldate, for pages that declare no dates: the publication date, and only from the
page's markup and URL, not from dates anywhere in its text (a copyright year)."""

_HTML_START = re.compile(rb"<!doctype\s+html|<html[\s>]", re.IGNORECASE)
_XML_ROOTS = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:[;,&]|\band\b)\s*")
_BYLINE = re.compile(
    r"(?:written by|by|par|von|por|door|auteure?|authors?|autor(?:in)?)\s*:?\s+(?P<names>.+)",
    re.IGNORECASE,
)
_BYLINE_ZONE = 3
"""A byline is looked for in the article's first and last few paragraphs."""
_SAME_HEADLINE = 0.5
"""Share of words an <h1> and the metadata title must have in common (of the longer one's)
to be the same headline; a site-name <h1> ("BBC News") is not the title "... - BBC News"."""

_PUBLISHED_KEYS = ("datePublished", "dateCreated")
_UPDATED_KEYS = ("dateModified",)
_META_PUBLISHED = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "og:pubdate",
    "dc.date.issued",
)
_META_UPDATED = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "datemodified",
)


def sniff(data: bytes) -> bool:
    """True if ``data`` is an HTML document (not an XML feed or export)."""
    head = data[:4096]
    return bool(_HTML_START.search(head)) and not _XML_ROOTS.search(head)


def parse(data: bytes, source: str) -> Batch:
    """One post holding the article on the page ``data``.

    ``source`` is the file path or the URL the page came from (a URL is used when the page
    names no canonical address of its own); it names the page in errors and warnings.
    """
    url = source if _is_web_url(source) else None
    clip = extract(data, url, source)
    warnings = []
    published = clip.published
    if published is None:
        published = datetime.now(UTC)
        warnings.append(
            f"{source}: no publication date found on the page; "
            f"dated the post now ({published:%Y-%m-%d %H:%M} UTC)"
        )
    body_html = "\n".join(
        f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in clip.body.split("\n\n")
    )
    key = clip.url or hashlib.sha256(clip.body.encode()).hexdigest()[:16]
    post = Post(
        uid=f"{FORMAT}:{key}",
        title=clip.headline,
        published=published,
        updated=clip.updated,
        body_text=clip.body,
        body_html=body_html,
        author=", ".join(clip.authors) or None,
        origin_format=FORMAT,
        origin_url=clip.url,
        source_path=source,
        clips=[clip],
    )
    return Batch(posts=[post], warnings=warnings)


def extract(data: bytes, url: str | None, source: str) -> Clip:
    """The article on the page ``data`` (fetched from ``url``, if known) as a clip.

    Raises ImportFailure if the page holds no article text.
    """
    import trafilatura  # imported when a page is clipped: 85 ms that other commands need not pay
    from trafilatura.settings import Document

    tree = trafilatura.load_html(_decode(data))
    if tree is None:
        raise ImportFailure(f"{source}: no article text found (not an HTML page)")
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        favor_precision=True,
        date_extraction_params=_DATE_SEARCH,
    )
    if not isinstance(document, Document):
        raise ImportFailure(f"{source}: no article text found")
    headline = _headline(tree, _fold(document.title or ""))
    paragraphs = _paragraphs(document.text or "", headline)
    if sum(map(len, paragraphs)) < MIN_ARTICLE_CHARS:
        raise ImportFailure(f"{source}: no article text found")
    outlet = (
        known_outlet(document.sitename)
        or url_outlet(url or document.url)
        or document.sitename
        or document.hostname
        or None
    )
    published, updated = _declared_dates(tree)
    return Clip(
        position=0,
        headline=headline,
        body="\n\n".join(paragraphs),
        outlet=outlet,
        authors=_authors(_byline(paragraphs) or document.author or "", outlet),
        published=published or _datetime(document.date),
        updated=updated if updated != published else None,
        url=_canonical_url(tree, url) or url or document.url,
    )


def fetch(url: str, timeout: float = 20.0) -> bytes:
    """The page at the http(s) ``url``, following redirects.

    Raises ImportFailure on a network error, a timeout, an HTTP error status or a page
    larger than MAX_PAGE_BYTES.
    """
    if not _is_web_url(url):
        raise ImportFailure(f"{url}: could not fetch (not an http or https URL)")
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_PAGE_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise ImportFailure(f"{url}: could not fetch (HTTP {error.code} {error.reason})") from None
    except urllib.error.URLError as error:
        raise ImportFailure(f"{url}: could not fetch ({error.reason})") from None
    except TimeoutError:
        raise ImportFailure(f"{url}: could not fetch (timed out after {timeout:g} s)") from None
    except (OSError, HTTPException, ValueError) as error:
        raise ImportFailure(f"{url}: could not fetch ({error})") from None
    if len(data) > MAX_PAGE_BYTES:
        raise ImportFailure(f"{url}: could not fetch (page larger than {MAX_PAGE_BYTES} bytes)")
    return data


def _decode(data: bytes) -> str | bytes:
    """The page as text in the charset it declares, if it is not UTF-8; else the bytes,
    for trafilatura to decode (UTF-8, or its best guess)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        declared = _CHARSET.search(data[:4096])
        if declared:
            try:
                codec = codecs.lookup(declared[1].decode("ascii")).name
                # as browsers do, a page labelled Latin-1 or ASCII is read as windows-1252
                return data.decode("cp1252" if codec in ("iso8859-1", "ascii") else codec)
            except (LookupError, UnicodeDecodeError):
                pass
    return data


def _fold(text: str) -> str:
    """``text`` with its white space folded to single spaces."""
    return _SPACES.sub(" ", text).strip()


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def _headline(tree: HtmlElement, title: str) -> str:
    """The headline as printed: the first <h1> that is evidently the metadata title
    (which is often a social-media rewrite, or carries the site's name), else that title."""
    title_words = _words(title)
    for heading in tree.iter("h1"):
        text = _fold(heading.text_content())
        words = _words(text)
        if words and (
            not title_words
            or len(words & title_words) >= _SAME_HEADLINE * max(len(words), len(title_words))
        ):
            return text
    return title


def _paragraphs(text: str, headline: str) -> list[str]:
    """The non-blank lines of the extracted ``text``, without the headline repeated on top."""
    paragraphs = [line for line in map(_fold, text.splitlines()) if line]
    while paragraphs and paragraphs[0].casefold() == headline.casefold():
        paragraphs.pop(0)
    return paragraphs


def _byline(paragraphs: list[str]) -> str | None:
    """The names in a byline paragraph ("By Ann Smith", "Auteur : Ann Smith") printed at
    the top or the bottom of the article."""
    for paragraph in paragraphs[:_BYLINE_ZONE] + paragraphs[-_BYLINE_ZONE:]:
        found = _BYLINE.fullmatch(paragraph)
        if found and all(map(_looks_like_name, _AUTHOR_SEPARATORS.split(found["names"]))):
            return found["names"]
    return None


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return (
        2 <= len(words) <= 5
        and words[0][0].isupper()
        and words[-1][0].isupper()
        and not any(char.isdigit() for char in text)
    )


def _authors(names: str, outlet: str | None) -> list[str]:
    """``names`` ("A and B", "A; B", "A, B") as a list, without the outlet's own name
    ("Rob Picheta, CNN" is by Rob Picheta)."""
    authors: list[str] = []
    for name in map(_fold, _AUTHOR_SEPARATORS.split(names)):
        if name and name.casefold() != (outlet or "").casefold() and name not in authors:
            authors.append(name)
    return authors


def _declared_dates(tree: HtmlElement) -> tuple[datetime | None, datetime | None]:
    """When the page says the article was first published and last updated: its JSON-LD
    article's dates, else its meta tags and ``itemprop`` elements."""
    articles = [
        item
        for item in _json_ld(tree)
        if any(kind.endswith(("Article", "Posting")) for kind in _types(item))
    ]
    return (
        _first_date(articles, _PUBLISHED_KEYS, tree, _META_PUBLISHED),
        _first_date(articles, _UPDATED_KEYS, tree, _META_UPDATED),
    )


def _first_date(
    articles: list[dict], keys: tuple[str, ...], tree: HtmlElement, meta_names: tuple[str, ...]
) -> datetime | None:
    values = chain(
        (article.get(key) for article in articles for key in keys), _meta_values(tree, meta_names)
    )
    return next(filter(None, map(_datetime, values)), None)


def _json_ld(tree: HtmlElement) -> Iterator[dict]:
    """Every object in the page's JSON-LD scripts, nested ones and ``@graph`` members too."""

    def walk(value: object) -> Iterator[dict]:
        if isinstance(value, list):
            for item in value:
                yield from walk(item)
        elif isinstance(value, dict):
            yield value
            for item in value.values():
                yield from walk(item)

    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        try:
            yield from walk(json.loads(script.text or "", strict=False))
        except json.JSONDecodeError:
            continue


def _types(item: dict) -> list[str]:
    kind = item.get("@type", [])
    return [kind] if isinstance(kind, str) else [k for k in kind if isinstance(k, str)]


def _meta_values(tree: HtmlElement, names: tuple[str, ...]) -> Iterator[str]:
    """The values of ``<meta>`` tags (by property, name or itemprop) and ``itemprop``
    elements named in ``names`` (matched case-insensitively), in page order."""
    for element in tree.xpath("//meta | //*[@itemprop]"):
        name = element.get("property") or element.get("name") or element.get("itemprop") or ""
        if name.casefold() in names:
            yield element.get("content") or element.get("datetime") or ""


def _datetime(value: object) -> datetime | None:
    """An ISO 8601 date or time as a timezone-aware datetime (a date, or a time without an
    offset, is taken as UTC); None if ``value`` is not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _canonical_url(tree: HtmlElement, url: str | None) -> str | None:
    """The page's canonical address (``<link rel="canonical">``), made absolute."""
    for link in tree.iterfind(".//link[@rel='canonical']"):
        with suppress(ValueError):  # a malformed address
            href = urljoin(url or "", (link.get("href") or "").strip())
            if _is_web_url(href):
                return href
    return None


def _is_web_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))

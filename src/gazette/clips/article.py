"""One article as one clip, for sources whose items are single articles (a feed entry).

A curator's post is split into clips by ``split_post``; an item that is already one article
needs only its text cleaned the same way (``article_clip``), and its outlet and authors read
from the metadata that came with it: author fields as bylines (``byline``), a publisher's or
a site's name (``known_outlet``) and a web address (``url_outlet``) as a known outlet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from gazette.clips.bylines import Byline, parse_byline, person_name
from gazette.clips.outlets import canonical
from gazette.clips.split import parse_article
from gazette.model import Clip

_TITLE_SEPARATOR = re.compile(r"\s+[-–—|>»·:]\s+|:\s+")
"""Between the parts of a site's title: ``World news | The Guardian``, ``BBC News - World``."""
_MAX_NAME = 120
"""A longer author field is not names (a byline is at most as long)."""


def article_clip(headline: str, text: str) -> Clip:
    """One article's plain ``text`` as a clip under ``headline``, cleaned as ``split_post``
    cleans a clip (``split.parse_article``). ``outlet`` is as printed: it may not be a
    known one."""
    return parse_article(" ".join(headline.split()), text)


def byline(names: Iterable[str]) -> Byline:
    """The people named in author fields, read as bylines with or without their "By"
    (``By KATHY GANNON and MUNIR AHMED``, ``Jane Doe, Associated Press``), and the outlet if
    one names it (``Reuters Staff`` names no person). A field no byline reads (``admin``) is
    kept as one name; e-mail addresses and web addresses are not names."""
    authors: list[str] = []
    outlet: str | None = None
    for name in names:
        text = " ".join(name.split())
        if not text or len(text) > _MAX_NAME or "@" in text or "://" in text:
            continue
        found = parse_byline(text) or parse_byline(f"By {text}") or Byline((person_name(text),))
        authors += found.authors
        outlet = outlet or found.outlet
    return Byline(tuple(dict.fromkeys(authors)), outlet)


def known_outlet(name: str | None) -> str | None:
    """The known outlet that ``name`` (a publisher's name, a feed's or a site's title) is,
    as a whole or as one of the parts a title is made of (``BBC News - World``); None if it
    names no known outlet."""
    if not name:
        return None
    parts = (name, *_TITLE_SEPARATOR.split(name))
    return next(filter(None, map(canonical, parts)), None)


def url_outlet(url: str | None) -> str | None:
    """The known outlet whose web domain ``url`` is on (``https://www.reuters.com/world/x``
    -> Reuters, ``https://edition.cnn.com/`` -> CNN); None for any other address."""
    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:  # a malformed address
        return None
    labels = host.rstrip(".").split(".")
    domains = (".".join(labels[start:]) for start in range(len(labels) - 1))
    return next(filter(None, map(canonical, domains)), None)

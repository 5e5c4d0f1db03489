"""Importer for a saved blog page in plain text: Blogger date headers, each followed by a post.

The layout is that of a Blogger page saved as text: page chrome ("Showing posts sorted by
relevance for query X. Sort by date Show all posts"), then for each post a date header line
such as ``Thursday, February 16, 2023``, the post's title on the next non-empty line, and its
body up to the next header. A last line ``Labels: A, B`` gives the post's labels.
"""

from __future__ import annotations

import codecs
import html
import re
from datetime import UTC, datetime
from itertools import dropwhile, groupby

from gazette.ingest.base import Batch, ImportFailure
from gazette.model import Post, slugify

FORMAT = "blogpage"

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_HEADER = re.compile(
    rf"\s*(?:{'|'.join(_WEEKDAYS)}),\s+(?P<month>{'|'.join(_MONTHS)})"
    r"\s+(?P<day>\d{1,2}),\s+(?P<year>\d{4})\s*"
)
_PAGER = r"(?:Newer Posts|Older Posts|Home)"
_CHROME = re.compile(
    r"Showing posts (?:sorted by (?:relevance|date) for query|with label) .+"
    r"|(?:Sort by (?:date|relevance)\s*\|?\s*)?Show all posts"
    r"|Sort by (?:date|relevance)"
    rf"|{_PAGER}(?:\s+{_PAGER})*"
    r"|Subscribe to: (?:Posts|Comments|Post Comments) \(Atom\)"
)

_LABELS = re.compile(r"Labels:\s*(?P<labels>.+)")
"""Blogger's line under a post: ``Labels: Afghanistan, Pakistan, Taliban``."""


def sniff(data: bytes) -> bool:
    """True if this looks like a plain-text blog page (a date header line; not XML/HTML/JSON)."""
    text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")
    if text.lstrip().startswith(("<", "{", "[")):
        return False
    return any(_header_date(line) for line in _split_lines(text))


def parse(data: bytes, source: str) -> Batch:
    """Split a plain-text blog page into posts, in page order.

    ``source`` is the file path or URL; it names the source in errors and becomes
    ``Post.source_path``.
    """
    lines = _without_footer([line.rstrip() for line in _split_lines(_decode(data, source))])
    headers = [(i, day) for i, line in enumerate(lines) if (day := _header_date(line))]
    if not headers:
        raise ImportFailure(
            f"{source}: no posts found "
            "(expected Blogger date headers such as 'Thursday, February 16, 2023')"
        )
    ends = [i for i, _ in headers[1:]] + [len(lines)]
    posts = (
        _post(lines[start + 1 : end], day, source)
        for (start, day), end in zip(headers, ends, strict=True)
    )
    return Batch(posts=[post for post in posts if post is not None])


def _decode(data: bytes, source: str) -> str:
    """UTF-8 text without a BOM, or an ImportFailure naming the first bad byte."""
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        offset = len(data) - len(body) + err.start
        raise ImportFailure(
            f"{source}: not UTF-8 text (byte 0x{data[offset]:02x} at offset {offset})"
        ) from err


def _split_lines(text: str) -> list[str]:
    """Lines of ``text``, whatever its line ends (LF, CRLF or CR)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _header_date(line: str) -> datetime | None:
    """The date (00:00 UTC) if ``line`` is a date header with a real calendar date."""
    match = _HEADER.fullmatch(line)
    if not match:
        return None
    month = _MONTHS.index(match["month"]) + 1
    try:
        return datetime(int(match["year"]), month, int(match["day"]), tzinfo=UTC)
    except ValueError:
        return None


def _without_footer(lines: list[str]) -> list[str]:
    """Right-stripped ``lines`` without their trailing run of blank and page-chrome lines."""
    end = len(lines)
    while end and (not lines[end - 1] or _CHROME.fullmatch(lines[end - 1].strip())):
        end -= 1
    return lines[:end]


def _post(lines: list[str], published: datetime, source: str) -> Post | None:
    """The post in the right-stripped ``lines`` under one date header, or None if they are blank."""
    content = list(dropwhile(lambda line: not line, lines))
    if not content:
        return None
    title = content[0].strip()
    paragraphs = [list(run) for nonblank, run in groupby(content[1:], key=bool) if nonblank]
    labels: list[str] = []
    if paragraphs and (found := _LABELS.fullmatch(paragraphs[-1][-1].strip())):
        labels = [label.strip() for label in found["labels"].split(",") if label.strip()]
        paragraphs[-1].pop()
        paragraphs = [paragraph for paragraph in paragraphs if paragraph]
    return Post(
        uid=f"{FORMAT}:{published:%Y-%m-%d}:{slugify(title)}",
        title=title,
        published=published,
        body_text="\n\n".join("\n".join(paragraph) for paragraph in paragraphs),
        body_html="\n".join(
            "<p>" + "<br>".join(html.escape(line, quote=False) for line in paragraph) + "</p>"
            for paragraph in paragraphs
        ),
        status="published",
        labels=labels,
        origin_format=FORMAT,
        source_path=source,
    )

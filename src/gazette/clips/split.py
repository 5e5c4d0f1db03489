"""Splitting a post into its clips: headline, byline, outlet, dates, dateline and clean body.

A post's text (paragraphs separated by blank lines, as the importers store it) is read line
by line. Each line is first classified on its own (a byline, a date line, an outlet line, a
slideshow counter, a photo credit, a credit line, a label, a widget, or text) by the first
test it passes, put only to the tests that a line of its length could pass. A clip starts
at a headline: a short line without closing punctuation, at the start of a paragraph, that is
followed by the clip's header (a byline, bare names, an outlet line, a date line, or a first
paragraph opening with a dateline), perhaps after a standfirst of one or two short
paragraphs. The post's title is the first clip's headline unless the text starts with a
headline of its own. docs/clippings.md describes the rules.

Everything between one headline and the next is that clip: its header fills the clip's
fields; captions and credits are set aside; counters, widgets and separators are dropped;
the rest is the body, without the dateline that opens it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum, auto
from functools import lru_cache

from gazette.clips import datelines, furniture
from gazette.clips.bylines import parse_byline, parse_names
from gazette.clips.dates import parse_date_line
from gazette.clips.outlets import (
    AROUND_NAMES,
    LONGEST_SPELLING,
    canonical,
    mentioned,
    outlet_line,
)
from gazette.model import Clip

MAX_STANDFIRST = 2
"""Short paragraphs allowed between a headline and its byline or date (a summary)."""
MAX_STANDFIRST_CHARS = 400
"""Longer paragraphs are the article itself, not a summary above its byline."""
MAX_HEADLINE_WORDS = 25
MAX_HEADLINE_CHARS = 250


class Kind(Enum):
    """What a line is, on its own."""

    TEXT = auto()
    BYLINE = auto()
    NAMES = auto()
    DATE = auto()
    OUTLET = auto()
    LABEL = auto()
    COUNTER = auto()
    PHOTO_CREDIT = auto()
    CREDIT = auto()
    SEPARATOR = auto()
    WIDGET = auto()


SIGNALS = (Kind.BYLINE, Kind.NAMES, Kind.DATE, Kind.OUTLET)
"""Kinds of line that mark a clip's header (a tuple: an Enum member's hash is slow)."""
_PASSED = (Kind.LABEL, Kind.COUNTER, Kind.SEPARATOR, Kind.WIDGET, Kind.PHOTO_CREDIT)
"""Kinds of line that may come between a headline and its header: furniture, photo credits."""


@dataclass(slots=True)
class Line:
    """One non-blank line of a post: its text, paragraph, place in it, kind, and whether it is
    a line of text with a headline's shape."""

    text: str
    paragraph: int
    first: bool
    kind: Kind
    headline: bool


def split_post(title: str, body_text: str) -> list[Clip]:
    """The clips of one post, in order (at least one: a post is one clip if nothing else),
    with the captions and credits kept out of their bodies."""
    lines = classify(body_text)
    starts = _clip_starts(lines)
    headlines = [" ".join(line.text for line in lines[start:end]) for start, end in starts]
    if not starts or starts[0][0] > 0:
        starts.insert(0, (0, 0))
        headlines.insert(0, " ".join(title.split()))
    ends = [start for start, _ in starts[1:]] + [len(lines)]
    clips = [
        _parse_clip(headline, lines[begin:finish], followed=finish < len(lines))
        for headline, (_, begin), finish in zip(headlines, starts, ends, strict=True)
    ]
    for position, clip in enumerate(clips):
        clip.position = position
    return clips


def parse_article(headline: str, text: str) -> Clip:
    """One article's text as one clip under ``headline``, read as a clip of a post is:
    byline, date and outlet lines into its fields, the opening dateline into ``dateline``
    (its outlet into ``outlet``), captions and credits set aside, counters and widgets
    dropped; the rest is its body."""
    return _parse_clip(headline, classify(text))


def classify(text: str) -> list[Line]:
    """The non-blank lines of ``text``, whitespace-normalised, each with its kind."""
    lines: list[Line] = []
    for number, paragraph in enumerate(p for p in _paragraphs(text) if p):
        kinds = _kinds(paragraph)
        for index, line in enumerate(paragraph):
            kind = kinds[index]
            headline = kind is Kind.TEXT and headline_shape(line)
            lines.append(Line(line, number, index == 0, kind, headline))
    return lines


_BLANK_LINE = re.compile(r"\n\s*\n")
"""Where one paragraph ends and the next begins."""


def _paragraphs(text: str) -> list[list[str]]:
    """The blocks of ``text`` between blank lines, as their non-blank lines,
    whitespace-normalised (most blocks are one such line already)."""
    blocks = _BLANK_LINE.split(text.replace("\xa0", " ").replace("\u200b", ""))
    return [[block] if _tidy_line(block) else _normalised_lines(block) for block in blocks]


def _tidy_line(text: str) -> bool:
    """True if ``text`` is one non-blank line, whitespace-normalised: no whitespace but single
    spaces between words."""
    return (
        text.isprintable()
        and "  " not in text
        and text != ""
        and not text.startswith(" ")
        and not text.endswith(" ")
    )


def _normalised_lines(block: str) -> list[str]:
    """The non-blank lines of ``block``, each with single spaces between its words."""
    return [normalised for line in block.splitlines() if (normalised := " ".join(line.split()))]


def _kinds(paragraph: list[str]) -> list[Kind]:
    """The kinds of a paragraph's lines: all WIDGET if the paragraph is one; a line of text
    beside a date or outlet line is NAMES if it is bare names."""
    if furniture.is_widget(" ".join(paragraph)):
        return [Kind.WIDGET] * len(paragraph)
    if len(paragraph) == 1:  # the line was just tested as a widget
        return [_kind(paragraph[0]) or Kind.TEXT]
    kinds = [
        _kind(line) or (Kind.WIDGET if furniture.is_widget(line) else Kind.TEXT)
        for line in paragraph
    ]
    for i, line in enumerate(paragraph):
        around = kinds[max(i - 1, 0) : i + 2]
        if kinds[i] is Kind.TEXT and (Kind.DATE in around or Kind.OUTLET in around):
            kinds[i] = Kind.NAMES if parse_names(line) else Kind.TEXT
    return kinds


_LONG = 200
"""Longer lines are prose or a credit line: no other kind of line is this long."""
_CHECKS = (
    (furniture.credit_line, Kind.CREDIT),
    (furniture.is_counter, Kind.COUNTER),
    (furniture.is_separator, Kind.SEPARATOR),
    (furniture.photo_credit, Kind.PHOTO_CREDIT),
    (parse_date_line, Kind.DATE),
    (outlet_line, Kind.OUTLET),
    (parse_byline, Kind.BYLINE),
    (furniture.is_label, Kind.LABEL),
)
"""The tests of a line's kind, in order: the first it passes gives its kind."""
_FEW_WORDS = frozenset({Kind.COUNTER, Kind.SEPARATOR, Kind.OUTLET, Kind.LABEL})
"""Kinds of line no longer than an outlet's name (``LONGEST_SPELLING``, without
``AROUND_NAMES`` at its ends) or of one word (a separator, a web domain): counters (18
characters at most), separators, outlet lines and labels."""
_WORDY_CHECKS = tuple((check, kind) for check, kind in _CHECKS if kind not in _FEW_WORDS)


def _kind(line: str) -> Kind | None:
    """The kind of a whitespace-normalised line by the first of ``_CHECKS`` it passes (only
    those that can pass a line of its length); None if it passes none (a widget line or
    text)."""
    if len(line) > _LONG:
        return Kind.CREDIT if furniture.credit_line(line) else Kind.TEXT
    wordy = " " in line and len(line.strip(AROUND_NAMES)) > LONGEST_SPELLING
    for check, kind in _WORDY_CHECKS if wordy else _CHECKS:
        if check(line):
            return kind
    return None


_CLOSED = re.compile(r"(?<!\b[A-Z])[.,;:…]['\"”’)\]>]*$")
"""Closing punctuation of a sentence (not the full stop of an initial: ``TO U.S.``)."""
_CLOSERS = "'\"”’)]>"


def _closed(text: str) -> bool:
    """``_CLOSED.search(text)``, tried only where it can match: at the last character that
    is not a closing quote or bracket (or a final newline), when that is punctuation."""
    end = len(text.rstrip(_CLOSERS + "\n")) - 1
    return end >= 0 and text[end] in ".,;:…" and _CLOSED.match(text, end) is not None


_SENTENCE_BREAK = re.compile(r"\b[a-z]{2,}[.!?]['\"”’]?\s+[A-Z]")
_PROSE_END = re.compile(r"[.!?…]['\"”’)\]]*$")
_PROSE_CLOSERS = "'\"”’)]"


_MEMO = 1024
"""Lines remembered by the line tests below: a post asks about each of its lines several
times (as a headline, as a standfirst, as an aside); the answers depend on the text alone."""

split_dateline = lru_cache(maxsize=_MEMO)(datelines.split_dateline)


@lru_cache(maxsize=_MEMO)
def headline_shape(text: str) -> bool:
    """True if ``text`` could be a headline: 2-25 words, one sentence without a closing full
    stop or comma, a capital first, not a quotation and not opening with a dateline."""
    if len(text) > MAX_HEADLINE_CHARS or _closed(text):
        return False
    first = text.lstrip("'‘\"“([<")[:1]
    if not (first.isupper() or first.isdigit() or first in "$£€"):
        return False
    if not 2 <= _word_count(text, MAX_HEADLINE_WORDS + 1) <= MAX_HEADLINE_WORDS:
        return False
    if text[0] in '“"' and text[-1] in '”"':
        return False
    if _SENTENCE_BREAK.search(text):
        return False
    return split_dateline(text)[0] is None


def _word_count(text: str, limit: int) -> int:
    """The number of words in ``text``, or ``limit`` if it has more (counting stops there)."""
    return min(len(text.split(maxsplit=limit)), limit)


def _prose(text: str) -> bool:
    """True if ``text`` ends a sentence and has six words or more. ``_PROSE_END`` is tried
    only where it can match: after the closing quotes and brackets (and a final newline)."""
    end = len(text.rstrip(_PROSE_CLOSERS + "\n")) - 1
    return end >= 0 and _PROSE_END.match(text, end) is not None and _word_count(text, 6) >= 6


def _paragraph_end(lines: list[Line], i: int) -> int:
    end = i + 1
    while end < len(lines) and not lines[end].first:
        end += 1
    return end


def _clip_starts(lines: list[Line]) -> list[tuple[int, int]]:
    """(start, end) of each clip headline in ``lines``. The header after each headline is
    skipped, so that a caption or widget heading in it is never taken for the next headline."""
    starts: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        found = _headline_at(lines, i)
        if found is None:
            i = max(_header_end(lines, i), i + 1) if i == 0 else i + 1
            continue
        end, header = found
        starts.append((i, end))
        i = _header_end(lines, header)
    return starts


def _headline_at(lines: list[Line], i: int) -> tuple[int, int] | None:
    """If a clip's headline starts at line ``i``: the line after it, and where its header is."""
    if not (lines[i].first and lines[i].headline):
        return None
    end = i + 1
    while end < len(lines) and not lines[end].first and end - i < 3 and lines[end].headline:
        end += 1
    if end < len(lines) and not lines[end].first:
        rest = lines[end]
        header = rest.kind in SIGNALS or _opens_clip(rest.text)
        attached = end == i + 1 and rest.kind is Kind.TEXT and _prose(rest.text)
        return (end, end) if header or (attached and _word_count(lines[i].text, 13) <= 12) else None
    header = _header_after(lines, end)
    return None if header is None else (end, header)


def _opens_clip(text: str) -> bool:
    """True if ``text`` opens with a dateline that marks a story's start: one naming its
    outlet, a country or region, or the day (not a bare word in capitals)."""
    dateline = split_dateline(text)[0]
    return dateline is not None and bool(dateline.outlet or "," in dateline.place)


def _header_after(lines: list[Line], j: int) -> int | None:
    """Where a clip header starts: at paragraph ``j``, or after furniture, or after a short
    standfirst and widget headings in capitals; None if there is none."""
    standfirst = 0
    while j < len(lines):
        end = _paragraph_end(lines, j)
        paragraph = lines[j:end]
        text = " ".join(line.text for line in paragraph)
        if lines[j].kind in SIGNALS or (standfirst == 0 and _opens_clip(text)):
            return j
        if all(line.kind in _PASSED for line in paragraph):
            pass
        elif all(line.headline for line in paragraph):
            if not (standfirst and text.isupper()):
                return None
        elif standfirst < MAX_STANDFIRST and len(text) <= MAX_STANDFIRST_CHARS and _prose(text):
            standfirst += 1
        else:
            return None
        j = end
    return None


def _header_end(lines: list[Line], j: int) -> int:
    """The first line at or after ``j`` that is not part of a clip's header: bylines, dates,
    outlet lines, labels, counters, photo credits and captions (a headline-shaped line is a
    caption only after some other header line)."""
    start = j
    while j < len(lines):
        line = lines[j]
        if line.kind is Kind.CREDIT:
            break
        caption = line.kind is not Kind.TEXT or _is_caption(lines, j)
        if not caption and (j == start or not line.headline):
            break
        j += 1
    return j


def _is_caption(lines: list[Line], j: int) -> str | None:
    """The caption text if line ``j`` is a photo caption: by its form, or by its place
    (after a slideshow counter, before a photo credit, or carrying a trailing credit)."""
    line = lines[j]
    if found := furniture.caption(line.text, line.first):
        return found
    after_counter = j > 0 and lines[j - 1].kind is Kind.COUNTER
    before_credit = (
        j + 1 < len(lines) and not lines[j + 1].first and lines[j + 1].kind is Kind.PHOTO_CREDIT
    )
    credited = furniture.trailing_photo_credit(line.text) is not None
    return line.text if after_counter or before_credit or credited else None


@dataclass
class _Body:
    """A clip's body as it is assembled: paragraphs of lines."""

    paragraphs: list[list[str]] = field(default_factory=list)
    last_paragraph: int = -1

    def add(self, line: Line, text: str) -> None:
        if line.paragraph != self.last_paragraph or not self.paragraphs:
            self.paragraphs.append([])
            self.last_paragraph = line.paragraph
        self.paragraphs[-1].append(text)

    def pop_heading(self) -> None:
        """Drop the last paragraph if it is a lone heading (a widget's, beside header lines)."""
        if (
            self.paragraphs
            and len(self.paragraphs[-1]) == 1
            and headline_shape(self.paragraphs[-1][0])
        ):
            self.paragraphs.pop()


def _parse_clip(headline: str, lines: list[Line], followed: bool = False) -> Clip:
    """One clip from its lines after the headline (header, then body); ``followed`` if
    another clip follows it in the post."""
    parts = Clip(position=0, headline=headline)
    media_credits: list[str] = []
    start = _header_end(lines, 0)
    for j in range(start):
        _header_line(parts, lines, j, media_credits)
    body = _Body()
    for j in range(start, len(lines)):
        line = lines[j]
        if line.kind is Kind.TEXT:
            _body_line(parts, body, lines, j, media_credits)
        elif line.kind in SIGNALS:
            _header_line(parts, lines, j, media_credits)
            if line.first:
                body.pop_heading()
        elif line.kind is Kind.PHOTO_CREDIT:
            media_credits.append(furniture.photo_credit(line.text) or line.text)
        elif line.kind is Kind.CREDIT:
            parts.credits.append(furniture.credit_line(line.text) or line.text)
    parts.body = _finish(parts, body, followed)
    if not parts.outlet:
        parts.outlet = next(filter(None, map(mentioned, parts.credits)), None)
    parts.credits += media_credits
    return parts


def _header_line(parts: Clip, lines: list[Line], j: int, media: list[str]) -> None:
    """Take what one line of a clip's header says into ``parts``."""
    line = lines[j]
    text = line.text
    if line.kind in (Kind.BYLINE, Kind.NAMES):
        byline = parse_byline(text) if line.kind is Kind.BYLINE else parse_names(text)
        if byline:
            parts.authors += [a for a in byline.authors if a not in parts.authors]
            parts.outlet = parts.outlet or byline.outlet
    elif line.kind is Kind.OUTLET:
        parts.outlet = parts.outlet or outlet_line(text)
    elif line.kind is Kind.DATE and (date := parse_date_line(text)):
        if date.updated:
            parts.updated = parts.updated or date.when
        else:
            parts.published = parts.published or date.when
        if date.outlet:
            parts.outlet = parts.outlet or canonical(date.outlet) or date.outlet
            parts.credits.append(text)
    elif line.kind is Kind.PHOTO_CREDIT:
        media.append(furniture.photo_credit(text) or text)
    elif line.kind is Kind.CREDIT:
        parts.credits.append(furniture.credit_line(text) or text)
    elif line.kind is Kind.TEXT:
        _caption(parts, _is_caption(lines, j) or text, media)


def _caption(parts: Clip, text: str, media: list[str]) -> None:
    """Record a caption, and the photo credit at its end if it has one."""
    if found := furniture.trailing_photo_credit(text):
        text, credit = found
        media.append(credit)
    parts.captions.append(text)


def _body_line(parts: Clip, body: _Body, lines: list[Line], j: int, media: list[str]) -> None:
    """Add one text line to the body, or to the captions or credits if it is one."""
    line = lines[j]
    if caption := _is_caption(lines, j):
        _caption(parts, caption, media)
        return
    text = line.text
    if found := furniture.trailing_media_credit(text):
        text, credit = found
        media.append(credit)
    if not body.paragraphs:
        dateline, text = split_dateline(text)
        if dateline:
            parts.dateline = dateline.place
            parts.outlet = parts.outlet or dateline.outlet
    body.add(line, text)


_SIGN_OFF = re.compile(r"(?:^|\s+)Reuter$", re.IGNORECASE)
"""The old Reuters wire's sign-off at the end of a story."""
_MINOR = frozenset(
    "a an the and or but of in on at to for from by with as is are was were be been it its "
    "this that these those who what why how when where not no i you he she we they me him "
    "her us them my your his our their vs v".split()
)


def _aside_shape(text: str) -> bool:
    """True if a lone line reads as a caption or a widget's heading rather than a subheading:
    a headline shape of 6-20 words with the spread of lower-case words of a sentence, or a
    long sentence in capitals (a teaser); not a line of figures or a "Label: text" line."""
    if not headline_shape(text) or text.endswith(("?", "!")) or ":" in text:
        return False
    words = text.split()
    if len(words) > 20:
        return False
    if text.isupper():
        shaped = len(words) >= 8
    else:
        lower = [w for w in words if w[:1].islower() and w.casefold() not in _MINOR]
        shaped = len(words) >= 6 and len(lower) >= 2
    figures = (not w.isalpha() and any(map(str.isdigit, w)) for w in words)
    return shaped and sum(figures) <= 1


def _asides(paragraphs: list[list[str]], protected: int) -> set[int]:
    """Indexes of the lone lines in ``paragraphs`` that are asides: aside-shaped, alone or
    in a run of such lines, with prose on both sides."""
    candidate = [
        k != protected and len(p) == 1 and _aside_shape(p[0]) for k, p in enumerate(paragraphs)
    ]
    found: set[int] = set()
    k = 0
    while k < len(paragraphs):
        if not candidate[k]:
            k += 1
            continue
        end = k
        while end < len(paragraphs) and candidate[end]:
            end += 1
        inside = k > 0 and end < len(paragraphs)
        if inside and _prose_paragraph(paragraphs[k - 1]) and _prose_paragraph(paragraphs[end]):
            found.update(range(k, end))
        k = end
    return found


def _prose_paragraph(lines: list[str]) -> bool:
    """True if a paragraph of the body is prose: more than one line, or a line of eight words
    or more that is not headline-shaped."""
    return len(lines) > 1 or (not headline_shape(lines[0]) and _word_count(lines[0], 8) >= 8)


def _finish(parts: Clip, body: _Body, followed: bool) -> str:
    """The body text: the wire sign-off and asides dropped, and a heading left between this
    clip and the next (``followed``); an author's note at the end moved to the credits."""
    paragraphs = body.paragraphs
    if paragraphs and "reuter" in paragraphs[-1][-1][-7:].lower():  # where _SIGN_OFF can be
        end = paragraphs[-1]
        end[-1] = _SIGN_OFF.sub("", end[-1])
        if not end[-1]:  # the sign-off was the whole line (no other line of a body is empty)
            end.pop()
            if not end:
                paragraphs.pop()
    asides = _asides(paragraphs, protected=0 if parts.dateline else -1)
    kept = [p for k, p in enumerate(paragraphs) if k not in asides]
    last = kept[-1][0] if kept and len(kept[-1]) == 1 else ""
    if followed and headline_shape(last) and not any(c.isdigit() for c in last):
        kept.pop()
    if kept and parts.authors and kept[-1][0].startswith(tuple(f"{a} " for a in parts.authors)):
        parts.credits.append(" ".join(kept.pop()))
    return "\n\n".join(map("\n".join, kept))

"""Page furniture: lines of a clipping that are not the article's text.

Slideshow counters (``1 of 11``, ``1 / 25``), photo credits (``(AP Photo/Fareed Khan)``),
photo captions, credit lines (``(Reporting by ...; Editing by ...)``, ``... contributed to
this report.``), section labels (``COMMENTARY``), separators (``___``) and widgets (a photo
gallery teaser ending ``PHOTOS 123456789``, ``Read more: ...``, ``Advertisement``).
"""

from __future__ import annotations

import re

from gazette.clips.dates import DATE
from gazette.clips.outlets import canonical

_COUNTER = re.compile(r"(?:(?:photo|image|picture|slide)\s+)?\d{1,3}\s*(?:of|/)\s*\d{1,3}", re.I)
_CREDIT_WORDS = re.compile(r"photo|getty|images|/|\bvia\b|\bfile\b|pool|shutterstock", re.I)
_PHOTO_CREDIT = re.compile(r"\(\s*(?P<credit>[^()]{2,100}?)\s*\)\s*(?:More)?")
_LABELLED_CREDIT = re.compile(
    r"(?:(?:photo|photograph|picture|photo credit|credit)\s*:|image source\s*,)"
    r"\s*(?P<credit>.{2,100})",
    re.I,
)
_TRAILING_PHOTO = re.compile(
    r"(?P<text>.+?)\s*\((?P<credit>[^()]*(?:Photo|Getty|Images|\bvia\b)[^()]*)\)\s*(?:More)?"
)
_TRAILING_MEDIA = re.compile(r"(?P<text>.+?)\s*\bCredit:\s*(?P<credit>[^()]{2,120})")
_CREDIT_LINE = re.compile(
    r"\((?P<inner>(?:Additional\s+)?(?:Reporting|Writing|Editing|Reported|Compiled|Edited)"
    r"\s+by\b[^()]*)\)"
    r"|(?:Additional|With additional|With) reporting by\b.*"
    r"|.{0,300}\bcontributed (?:to )?(?:this|the) (?:report|story|article)\.?"
    r"|This (?:article|story) (?:was |is |has been )?(?:originally |first )?"
    r"(?:published|appeared|posted)\b.{0,120}"
    r"|(?:Copyright\s*©?|©)\s*\d{4}\b.{0,150}",
    re.I,
)
_CREDIT_OPENINGS = ("(", "additional", "with", "this ", "copyright", "©")
"""How a credit line can start, unless it says who "contributed"."""
_CAPTION = re.compile(r"(?:FILE(?:\s+PHOTO)?\s*[-–—:]|Image caption\s*[,:])\s*(?P<text>.+)")
_CAPTION_OPENINGS = ("FILE", "Image caption")
"""How a caption by its form starts (``_CAPTION`` minds the case)."""
_CAPTION_DATE = re.compile(rf".{{20,}},\s+{DATE}\.?\s*", re.I)
"""A caption's last words are where and when the photo was taken: ``..., July 13, 2021.``"""
_LABELS = frozenset(
    "commentary|long read|analysis|opinion|editorial|factbox|explainer|exclusive|feature|"
    "interview|breaking news|live|video|premium|sponsored|in depth|news analysis|op-ed".split("|")
)
_SEPARATOR_CHARS = "_*=~-–—•"
_SEPARATOR = re.compile(rf"[{re.escape(_SEPARATOR_CHARS)}]{{3,}}")
_BARE_WIDGETS = (
    "advertisement|more|share|share this|continue reading|skip next|skip ad|related|"
    "related articles|recommended|most read|top stories|photos|video"
)
"""Widget lines that are only these words (a widget line with more has a colon)."""
_WIDGET_LINE = re.compile(
    rf"(?:{_BARE_WIDGETS})"
    r"|(?:read more|also read|read also|see also|related(?:\s+\w+)?|watch|listen|more on this)"
    r"\s*:.*",
    re.I,
)
_MAX_WIDGET = 200
_LONGEST_BARE_WIDGET = max(map(len, _BARE_WIDGETS.split("|")))
_GALLERY = re.compile(r".*\bPHOTOS?\s*\d+", re.S)
"""A photo gallery teaser ends with its numbered thumbnails: ``... PHOTOS 123456789``."""


def is_counter(line: str) -> bool:
    """A slideshow counter: ``1 of 11``, ``1 / 25``, ``Photo 3 of 9``."""
    return line[-1:].isdecimal() and bool(_COUNTER.fullmatch(line))


def photo_credit(line: str) -> str | None:
    """The credit if ``line`` is only a photo credit: ``(AP Photo/Fareed Khan)``,
    ``(Associated Press)``, ``Photo: Reuters``."""
    if line.startswith("("):
        match = _PHOTO_CREDIT.fullmatch(line)
        return match["credit"] if match and _looks_like_credit(match["credit"]) else None
    match = _LABELLED_CREDIT.fullmatch(line)
    return match["credit"].strip() if match else None


def trailing_photo_credit(line: str) -> tuple[str, str] | None:
    """A caption and the photo credit closing it, if it has one.

    >>> trailing_photo_credit("Children play in Lahore. (AP Photo/K.M. Chaudary, File)")
    ('Children play in Lahore.', 'AP Photo/K.M. Chaudary, File')
    """
    if not line.endswith((")", "More")):
        return None
    match = _TRAILING_PHOTO.fullmatch(line)
    return (match["text"], match["credit"].strip()) if match else None


def trailing_media_credit(line: str) -> tuple[str, str] | None:
    """A paragraph and the video or footage credit closing it (``... Credit: Storyful``)."""
    match = _TRAILING_MEDIA.fullmatch(line) if "Credit:" in line else None
    return (match["text"], match["credit"].strip()) if match else None


def credit_line(line: str) -> str | None:
    """The credit if ``line`` is a credit line: ``(Reporting by X; Editing by Y)``,
    ``Additional reporting by ...``, ``... contributed to this report.``"""
    opening = line[:11].casefold()
    if not (opening.startswith(_CREDIT_OPENINGS) or "contributed" in line):
        return None
    match = _CREDIT_LINE.fullmatch(line)
    return (match["inner"] or line) if match else None


def caption(line: str, first_in_paragraph: bool) -> str | None:
    """The caption if ``line`` is a photo caption by its form: ``FILE - ...``, ``Image
    caption, ...``, or (not the first line of its paragraph) ending ``..., July 13, 2021.``"""
    if line.startswith(_CAPTION_OPENINGS) and (match := _CAPTION.fullmatch(line)):
        return match["text"]
    if not first_in_paragraph and line[-5:].strip(". ").isdigit() and _CAPTION_DATE.fullmatch(line):
        return line
    return None


def is_label(line: str) -> bool:
    """A section label over a clip: ``COMMENTARY``, ``LONG READ``, ``Analysis``."""
    return line.casefold().strip(" :") in _LABELS


def is_separator(line: str) -> bool:
    """A rule between an article and its notes: ``___``, ``***``."""
    return line[:1] in _SEPARATOR_CHARS and bool(_SEPARATOR.fullmatch(line))


def is_widget(paragraph: str) -> bool:
    """A widget: a gallery teaser (``... PHOTOS 1234``), ``Read more: ...``, ``Advertisement``."""
    if paragraph[-1:].isdigit() and _GALLERY.fullmatch(paragraph):
        return True
    if len(paragraph) > _MAX_WIDGET:
        return False
    if len(paragraph) > _LONGEST_BARE_WIDGET and ":" not in paragraph:
        return False
    return bool(_WIDGET_LINE.fullmatch(paragraph))


def _looks_like_credit(text: str) -> bool:
    return bool(_CREDIT_WORDS.search(text) or canonical(text))

"""Datelines: where a story was filed, at the start of its first paragraph.

``PESHAWAR, Pakistan (AP) — When Wahab...``, ``KARACHI, Pakistan (Reuters) -Thousands...``,
``WASHINGTON: Afghanistan's...``, and the old Reuters wire's ``NEW YORK, March 3 - ``. The
place is in capitals; a place in lower case needs the day after it (``New York, June 1 - ``)
or a known outlet in brackets (``Edmonton, Alberta (Reuters) - ``). The outlet in brackets is
the clip's outlet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gazette.clips.outlets import canonical

_CAPS_WORD = r"[A-Z][A-Z.'’&/-]*"
_PLACE_CAPS = rf"{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{0,3}}"
_PLACE_ANY = r"[A-Za-z][A-Za-z.'’-]*(?:\s+[A-Za-z][A-Za-z.'’-]*){0,3}"
_REGION = r"\s*,\s*(?:the\s+)?[A-Z][A-Za-z.'’-]*(?:\s+[A-Z][A-Za-z.'’-]*){0,2}"
_MONTH = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-zA-Z]*\.?"
"""A month, as the wire spelled it: ``March``, ``Feb``, ``Sept.``, and typos (``Apri``)."""
_DAY = (
    rf"\s*(?:,|(?<=\.))\s*(?:{_MONTH}(?:\s+\d[\dO]?\d?)?|\d{{1,2}}\s+{_MONTH})"
    r"(?:\s*,\s*(?i:Reuters?))?,?"
)
"""The day after the place: ``, March 3``, ``, 2 March``, ``, April 7, Reuter``."""
_OUTLET = r"\s*\((?P<outlet>[^()]{2,40})\)"
_DASH = r"\s*(?:[—–]|--?)\s*"
_DATELINE = re.compile(
    r"\**\s*"
    rf"(?:(?P<place>{_PLACE_CAPS}(?:{_REGION}){{0,2}}(?:{_DAY})?,?)"
    rf"|(?P<wire>{_PLACE_ANY}(?:{_REGION}){{0,2}}{_DAY})"
    rf"|(?P<named>{_PLACE_ANY}(?:{_REGION}){{0,2}})(?=\s*\())"
    rf"(?:{_OUTLET})?(?P<sep>{_DASH}|:\s+)"
)
_NOT_PLACES = frozenset(
    "file photo photos update updated breaking watch exclusive analysis opinion editorial "
    "factbox explainer timeline interview live video read note notes nb correction caption "
    "warning source sources reporting writing editing rpt repeat".split()
)
"""Words in capitals that open a paragraph with a colon or dash but are not places."""


@dataclass(frozen=True)
class Dateline:
    """A dateline: the place as printed (``PESHAWAR, Pakistan``), the outlet in its brackets."""

    place: str
    outlet: str | None = None


def split_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    """The dateline at the start of ``paragraph`` and the text after it.

    >>> split_dateline("ISLAMABAD (AP) — Major aid agencies warned...")
    (Dateline(place='ISLAMABAD', outlet='AP'), 'Major aid agencies warned...')
    """
    if not ("-" in paragraph or ":" in paragraph or "—" in paragraph or "–" in paragraph):
        return None, paragraph  # a dateline ends with a dash or a colon
    match = _DATELINE.match(paragraph)
    rest = paragraph[match.end() :] if match else ""
    if not (match and rest and _is_dateline(match, rest)):
        return None, paragraph
    place, outlet = _place(match), match["outlet"]
    if signed := _SIGNED.search(place):
        place, outlet = place[: signed.start()], outlet or "Reuters"
    return Dateline(place, (canonical(outlet) or outlet.strip()) if outlet else None), rest


_SIGNED = re.compile(r",\s*Reuters?$", re.IGNORECASE)
"""Reuters' old wire form names itself in the dateline: ``BUDAPEST, April 7, Reuter - ``."""
_DATED = re.compile(rf"{_DAY}$")


def _place(match: re.Match[str]) -> str:
    printed = match["place"] or match["wire"] or match["named"]
    return " ".join(printed.split()).replace(" ,", ",").rstrip(",")


def _is_dateline(match: re.Match[str], rest: str) -> bool:
    """True unless the match is a heading, a label or a hyphenated word in disguise."""
    place, outlet, separator = _place(match), match["outlet"], match["sep"]
    dated = bool(_DATED.search(place))
    if match["named"] is not None:
        return bool(outlet and canonical(outlet))
    if separator.strip() == ":" and match["wire"] is not None:
        return False
    if separator.lstrip().startswith("-") and not (dated or outlet or separator[0].isspace()):
        return False  # COVID-19
    if match["place"] is None:
        return True
    if place.split(",")[0].casefold() in _NOT_PLACES or len(place) < 3:
        return False
    return bool(outlet or dated) or not _reads_as_heading(rest)


def _reads_as_heading(rest: str) -> bool:
    """True if the text after a bare capitals "dateline" shows it is not one: it starts in
    lower case, or is itself in capitals and short (``PAKISTAN: HOW ISLAMIST MILITANCY...``,
    ``... DOWNTURN - SURVEY``)."""
    first = rest[:1]
    if not (first.isupper() or first.isdigit() or first in "\"“‘'(<"):
        return True
    return rest.isupper() and len(rest.split()) < 20

"""Bylines: who wrote a clip (``By KATHY GANNON`` -> Kathy Gannon).

Two forms: a line starting with "By" (``By Ayaz Gul``, ``By Reuters staff``), and a line of
bare names under a headline (``MUNIR AHMED and RIAZ KHAN``, ``Azizullah Khan & Kelly Ng - in
Peshawar and Singapore``). A byline may also name the outlet (``By Jane Doe, Associated
Press``, ``By DW correspondent``); desk and staff bylines name no person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gazette.clips.outlets import canonical

_BY = re.compile(r"by\s*:?\s+(?P<rest>.+)", re.IGNORECASE)
_SUFFIX = re.compile(r"\s+[-–—|]\s+|\s*\|\s*")
"""Between the names and what follows them: an outlet, a place, a role."""
_SEPARATOR = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]*)*\.?")
"""One word of a name: letters, perhaps joined by apostrophes, dots or hyphens (``O'Brien``)."""
_PARTICLES = frozenset(
    "al el bin ibn bint abu ul ur de da di du dos das del van von der den la le".split()
)
_NOT_NAMES = frozenset("the a an and of in on at for to with from by".split())
_ROLES = frozenset(
    "staff correspondent correspondents reporter reporters writer writers desk team editor "
    "editors contributor contributors bureau agencies agency service online web monitoring "
    "special senior chief our news".split()
)
"""Words of a byline that names a desk or a role, not a person (``By Staff Correspondent``)."""
_MAX_LINE = 120


@dataclass(frozen=True)
class Byline:
    """The people a byline names, in order, and the outlet if it names one."""

    authors: tuple[str, ...] = ()
    outlet: str | None = None


def parse_byline(line: str) -> Byline | None:
    """The byline in a line starting with "By", or None if the rest is not names.

    >>> parse_byline("By KATHY GANNON")
    Byline(authors=('Kathy Gannon',), outlet=None)
    """
    if len(line) > _MAX_LINE or not (match := _BY.fullmatch(line.strip())):
        return None
    return _parse(match["rest"], strict=False)


def parse_names(line: str) -> Byline | None:
    """The byline if ``line`` is only people's names (``MUNIR AHMED and RIAZ KHAN``), else None."""
    if len(line) > _MAX_LINE:
        return None
    byline = _parse(line.strip(), strict=True)
    return byline if byline and byline.authors else None


def person_name(text: str) -> str:
    """A name as it is shown: all-capital names title-cased (``JEFF M. SMITH`` -> Jeff M. Smith)."""
    name = " ".join(text.split())
    if name.upper() != name:
        return name
    return re.sub(r"[^\W\d_]+", lambda word: word[0].capitalize(), name.lower())


def is_person(text: str) -> bool:
    """True if ``text`` looks like one person's name: two to four capitalised words, besides
    particles (``al``, ``bin``, ``van``)."""
    words = text.split()
    named = [w for w in words if w.casefold() not in _PARTICLES]
    return (
        2 <= len(named) <= 4
        and all(w[0].isupper() and _TOKEN.fullmatch(w) for w in named)
        and not any(w.endswith(("'s", "’s")) for w in words)
        and not any(w.casefold() in _NOT_NAMES for w in words)
    )


def _parse(text: str, strict: bool) -> Byline | None:
    """Names, outlet and roles in a byline without its "By"; None if it is not one.

    ``strict`` (a line of bare names) allows nothing after the names but an outlet or a
    place (``- in Peshawar``); otherwise a role or a place may follow the names.
    """
    head, *tails = _SUFFIX.split(text.strip().rstrip("."))
    authors: list[str] = []
    outlet: str | None = None
    for position, piece in enumerate(_SEPARATOR.split(head)):
        if not piece:
            continue
        if found := canonical(piece):
            outlet = outlet or found
        elif _is_role(piece):
            if strict:
                return None
            outlet = outlet or _role_outlet(piece)
        elif is_person(piece):
            authors.append(person_name(piece))
        elif position == 0 or strict or not piece[:1].isupper():
            return None
    for tail in tails:
        if found := canonical(tail):
            outlet = outlet or found
        elif strict and not tail.casefold().startswith("in "):
            return None
    if not authors and not outlet and not any(map(_is_role, _SEPARATOR.split(head))):
        return None
    return Byline(tuple(dict.fromkeys(authors)), outlet)


def _is_role(piece: str) -> bool:
    return any(word.casefold() in _ROLES for word in piece.split())


def _role_outlet(piece: str) -> str | None:
    """The outlet in a desk byline (``Reuters staff`` -> Reuters), if it names one."""
    words = [word for word in piece.split() if word.casefold() not in _ROLES]
    return canonical(" ".join(words)) if words else None

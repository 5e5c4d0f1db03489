"""Outlets: the news organisations clips come from, under one canonical name each.

A clipping names its outlet in many spellings: a source line (``Reuters``, ``Associated
Press``, `` NEWS18.COM``), a dateline (``(AP)``), a credit (``Published in Dawn``,
``originally published on NBCNews.com``). ``canonical`` maps each spelling to the one name
that facets and the ``source:`` filter use.
"""

from __future__ import annotations

import re

OUTLETS: dict[str, tuple[str, ...]] = {
    "AP": ("Associated Press", "The Associated Press", "AP News", "apnews.com"),
    "Reuters": ("Thomson Reuters", "reuters.com"),
    "AFP": ("Agence France-Presse", "Agence France Presse", "afp.com"),
    "BBC": ("BBC News", "BBC Urdu", "BBC World Service", "bbc.com", "bbc.co.uk"),
    "Dawn": ("Dawn.com", "Dawn News"),
    "DW": ("Deutsche Welle", "dw.com"),
    "VOA": ("Voice of America", "VOA News", "voanews.com"),
    "NBC News": ("NBCNews.com", "NBC"),
    "The Independent": ("Independent", "independent.co.uk"),
    "News18": ("News18.com",),
    "Storyful": (),
    "CNN": ("cnn.com",),
    "Al Jazeera": ("aljazeera.com", "Al Jazeera English"),
    "The Guardian": ("Guardian", "theguardian.com"),
    "The New York Times": ("New York Times", "nytimes.com", "NYT"),
    "The Washington Post": ("Washington Post", "washingtonpost.com"),
    "The Wall Street Journal": ("Wall Street Journal", "WSJ", "wsj.com"),
    "Bloomberg": ("Bloomberg News", "bloomberg.com"),
    "Financial Times": ("FT", "ft.com"),
    "The Express Tribune": ("Express Tribune", "tribune.com.pk"),
    "The News International": ("thenews.com.pk",),
    "Geo News": ("geo.tv",),
    "Arab News": ("arabnews.com",),
    "RFE/RL": ("Radio Free Europe/Radio Liberty", "Radio Free Europe", "rferl.org"),
    "NPR": ("npr.org",),
    "PBS NewsHour": ("PBS",),
    "The Diplomat": ("thediplomat.com",),
    "Foreign Policy": ("foreignpolicy.com",),
    "War on the Rocks": ("warontherocks.com",),
    "The Hindu": ("thehindu.com",),
    "Hindustan Times": ("hindustantimes.com",),
    "The Times of India": ("Times of India", "timesofindia.com"),
    "NDTV": ("ndtv.com",),
    "Anadolu Agency": ("Anadolu", "aa.com.tr"),
    "Xinhua": ("Xinhua News Agency",),
    "Yahoo News": ("Yahoo",),
}
"""Canonical name -> other spellings. Matching ignores case and a leading "The"."""

_DOMAIN = re.compile(r"(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|tv|pk|in|uk|de)")


AROUND_NAMES = " .,:;|"
"""Spaces and punctuation around an outlet's name, which ``canonical`` ignores."""


def _key(name: str) -> str:
    key = " ".join(name.casefold().split()).strip(AROUND_NAMES)
    return key.removeprefix("the ")


_CANONICAL = {_key(alias): name for name, aliases in OUTLETS.items() for alias in (name, *aliases)}
LONGEST_SPELLING = max(map(len, _CANONICAL)) + len("the ")
"""No outlet line is longer without ``AROUND_NAMES`` at its ends, unless it is a bare web
domain (one word)."""
_SPELLINGS = sorted(
    {
        form
        for name, aliases in OUTLETS.items()
        for alias in (name, *aliases)
        for form in (alias, alias.upper())
    },
    key=len,
    reverse=True,
)
_MENTION = re.compile(rf"(?<![\w.])(?:{'|'.join(map(re.escape, _SPELLINGS))})(?![\w])")


def canonical(name: str) -> str | None:
    """The canonical name of the outlet spelled ``name`` (``"Associated Press"`` -> ``"AP"``).

    None if ``name`` is not a known outlet.
    """
    return _CANONICAL.get(_key(name))


def outlet_line(line: str) -> str | None:
    """The outlet if the whole ``line`` names one: a known outlet or a bare web domain."""
    text = line.strip()
    if found := canonical(text):
        return found
    return text if _DOMAIN.fullmatch(text.casefold()) else None


def mentioned(text: str) -> str | None:
    """The first known outlet named in ``text``, as spelled (``DW's correspondent`` -> DW)."""
    match = _MENTION.search(text)
    return canonical(match[0]) if match else None

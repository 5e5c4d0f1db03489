"""Clips from real news text: BBC and Reuters-21578 articles, formatted as clips in posts.

A sample of articles from ``../shared/corpora`` is made into posts of one to three clips, each
clip with a header as the seed page has them (a byline, an outlet and a date, bare names and
a date) and Reuters stories with their dateline (the wire's ``NEW YORK, March 3 -`` or the
modern ``NEW YORK (Reuters) -``). Splitting the posts must find the clips, and no clip body may
start with a byline, a dateline, a date line, an outlet line or a credit line.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from gazette.clips import furniture, split_post
from gazette.clips.bylines import parse_byline
from gazette.clips.dates import parse_date_line
from gazette.clips.outlets import outlet_line

pytestmark = pytest.mark.shared

POSTS = 400
SEED = 20240607
REUTERS_FILES = ("reut2-000.sgm", "reut2-006.sgm", "reut2-012.sgm", "reut2-018.sgm")
NAMES = ("Jane Doe", "Ahmed Khan", "Maria Lopez", "Li Wei", "John O'Brien", "Sara Ali")
DATES = ("Thu, November 2, 2023", "Updated Wed, November 1, 2023", "March 3, 1987")

_STORY = re.compile(r"<REUTERS\b[^>]*>(.*?)</REUTERS>", re.S)
_FIELD = {name: re.compile(rf"<{name}>(.*?)</{name}>", re.S) for name in ("TITLE", "BODY")}
_DATELINE = re.compile(r"<DATELINE>(.*?)</DATELINE>", re.S)
_WIRE_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Za-z .'/&-]*(?:, [A-Z][A-Za-z.]*)*), "
    r"(?:Jan|Feb|March|April|May|June|July|Aug|Sept|Oct|Nov|Dec)[a-z]* \d{1,2} -"
)
"""A well-formed Reuters dateline (the corpus also has typos and table headings there)."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Article:
    headline: str
    paragraphs: tuple[str, ...]
    outlet: str
    dateline: str | None = None
    """Reuters' dateline, without its dash: ``NEW YORK, March 3``."""
    place: str | None = None


def bbc(shared: Path) -> list[Article]:
    articles = []
    for path in sorted((shared / "corpora" / "bbc").glob("*/*.txt")):
        headline, _, rest = (
            path.read_text(encoding="utf-8", errors="replace").strip().partition("\n")
        )
        paragraphs = tuple(" ".join(p.split()) for p in rest.split("\n\n") if p.strip())
        if paragraphs:
            articles.append(Article(" ".join(headline.split()), paragraphs, "BBC"))
    return articles


def reuters(shared: Path) -> list[Article]:
    articles = []
    for name in REUTERS_FILES:
        data = (shared / "corpora" / "reuters21578" / name).read_bytes().decode("latin-1")
        for story in _STORY.finditer(data):
            title, body = (_FIELD[f].search(story[1]) for f in ("TITLE", "BODY"))
            dateline = _DATELINE.search(story[1])
            wire = _WIRE_DATELINE.fullmatch(" ".join(dateline[1].split())) if dateline else None
            if not (title and body and wire):
                continue
            text = _CONTROL.sub("", html.unescape(body[1]))
            paragraphs = tuple(" ".join(p.split()) for p in re.split(r"\n[ \t]{2,}", text))
            paragraphs = tuple(p for p in paragraphs if p)
            if paragraphs:
                headline = " ".join(html.unescape(title[1]).split())
                place = wire["place"]
                articles.append(Article(headline, paragraphs, "Reuters", wire[0][:-2], place))
    return articles


def clip_text(article: Article, rng: random.Random) -> list[str]:
    """The paragraphs of one clip: a header in one of the seed page's styles, then the text."""
    name, date = rng.choice(NAMES), rng.choice(DATES)
    header = rng.choice(
        (
            [f"By {name}"],
            [article.outlet, date],
            [name.upper() if rng.random() < 0.3 else name, date],
            [f"By {name}", date],
        )
    )
    paragraphs = list(article.paragraphs)
    if article.dateline:
        modern = f"{article.place} (Reuters) -"
        paragraphs[0] = f"{rng.choice((article.dateline + ' -', modern))} {paragraphs[0]}"
    return ["\n".join(header), *paragraphs]


def posts(shared: Path) -> list[tuple[list[Article], str]]:
    """Posts of 1-3 articles (title: the first headline; later headlines open their clip)."""
    rng = random.Random(SEED)
    articles = bbc(shared) + reuters(shared)
    made = []
    for _ in range(POSTS):
        chosen = rng.sample(articles, rng.choice((1, 2, 3)))
        blocks: list[str] = []
        for number, article in enumerate(chosen):
            blocks += ([article.headline] if number else []) + clip_text(article, rng)
        made.append((chosen, "\n\n".join(blocks)))
    return made


def starts_with_furniture(body: str, article: Article) -> str | None:
    """What the clip body wrongly starts with, if anything."""
    first = body.split("\n", 1)[0]
    if article.place and (
        first.startswith(f"{article.place},") or first.startswith(f"{article.place} (")
    ):
        return "dateline"
    checks = {
        "byline": parse_byline(first),
        "date line": parse_date_line(first),
        "outlet line": outlet_line(first),
        "credit line": furniture.credit_line(first),
        "photo credit": furniture.photo_credit(first),
    }
    return next((kind for kind, found in checks.items() if found), None)


def test_corpus_clip_bodies_start_with_the_story(shared_dir: Path) -> None:
    made = posts(shared_dir)
    wrong_starts = []
    split_right = kept = clips = 0
    for articles, text in made:
        parts = split_post(articles[0].headline, text)
        split_right += [p.headline for p in parts] == [a.headline for a in articles]
        for part, article in zip(parts, articles, strict=False):
            clips += 1
            if kind := starts_with_furniture(part.body, article):
                wrong_starts.append((kind, article.headline, part.body[:80]))
            kept += len(part.body) >= 0.95 * sum(map(len, article.paragraphs)) - 60

    assert len({a.outlet for articles, _ in made for a in articles}) == 2
    assert wrong_starts == []
    assert split_right / len(made) >= 0.98
    assert kept / clips >= 0.98

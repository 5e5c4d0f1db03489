"""Large news archives for the speed benchmarks: 10k, 100k and 1M posts as JSON Lines.

The posts are built, deterministically from a seed, out of the three news corpora in
``../shared/corpora`` (read at run time, never copied): BBC News (2,225 articles),
Reuters-21578 (about 18,800 distinct stories with a body; both read with ``bench/core.py``'s
readers) and AG News (7,600 short items). Those ~28,600 articles are scaled up into as many
posts as asked for, the way a clippings blog looks:

- **articles are recombined**: each clipped article keeps a real headline and first
  paragraph and takes its further paragraphs partly from its own story and partly from
  other stories of the same corpus and category, so the text stays news prose on one
  subject while no two articles are alike;
- **posts are compilations**, as on the seed page: 1-3 clipped articles a post (weights
  5:3:2), the post's title the first headline, each further article's headline a line of
  the body; about half the articles open with a byline (``By Jane Smith, Reuters``);
- **dates over twenty years** (2005-2024, UTC), more posts in later years (the density rises
  from 0.5 to 1.5 times the mean), a time of day for each;
- **outlets and authors**: each article has an outlet (Reuters stories mostly Reuters, BBC
  stories mostly BBC News, AG News items one of 30 outlets) and each post a curator-author
  from a pool of 400 names, drawn with a long tail (Zipf-like); the post's ``url`` is the
  first article's address at its outlet;
- **labels**: the articles' categories (BBC's five, Reuters' Markets/Energy/Commodities,
  AG News' World/Sport/Business/Tech), at most three a post.

A post is one line in the simple form ``gazette import`` takes: ``title``, ``body`` (plain
text, paragraphs separated by blank lines), ``published``, ``labels``, ``author``, ``url``,
``uid``. Every size is a prefix of the same stream, so the 10k archive is the first 10,000
posts of the 1M one. Files are cached under ``/tmp/gazette-bench`` (or ``$GAZETTE_BENCH_DIR``)
keyed by size, seed and generator version, with a ``.meta.json`` beside each.

The queries (:func:`queries`) are the same for every size: ``bench/core.py``'s 40 corpus
queries and 160 drawn from the corpora's headlines (2-3 words, phrases, label filters,
date ranges, sorted by date).

Usage, from the repository root::

    python bench/corpus.py 10k 100k      # build (or find) the files, print their paths
    python bench/corpus.py 1m --seed 7   # another seed
    python bench/corpus.py --queries     # print the 200 queries
"""

from __future__ import annotations

import argparse
import csv
import html
import itertools
import json
import os
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import core
from gazette.search.analysis import STOP_WORDS

SHARED = core.SHARED
AG_NEWS = SHARED / "corpora" / "ag_news" / "test.csv"
CACHE = Path(os.environ.get("GAZETTE_BENCH_DIR", "/tmp/gazette-bench"))
GENERATOR_VERSION = 1
"""Part of the cache key: bump it whenever the posts this module makes change."""

SEED = core.SEED_RANDOM
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}

START = datetime(2005, 1, 1, tzinfo=UTC)
END = datetime(2025, 1, 1, tzinfo=UTC)

FAMILY_WEIGHTS = {"bbc": 0.35, "reuters": 0.45, "ag": 0.20}
"""The share of clipped articles led by each corpus (Reuters has 8x BBC's stories but they
are short; BBC's are long; AG News items are two sentences)."""

AG_LABELS = {"1": "World", "2": "Sport", "3": "Business", "4": "Tech"}
OUTLETS = [
    ("Reuters", "reuters.com"), ("BBC News", "bbc.co.uk"), ("Associated Press", "apnews.com"),
    ("AFP", "afp.com"), ("The Guardian", "theguardian.com"), ("The New York Times", "nytimes.com"),
    ("The Washington Post", "washingtonpost.com"), ("Financial Times", "ft.com"),
    ("The Wall Street Journal", "wsj.com"), ("Bloomberg", "bloomberg.com"), ("CNN", "cnn.com"),
    ("Al Jazeera", "aljazeera.com"), ("Dawn", "dawn.com"),
    ("The Times of India", "timesofindia.com"),
    ("Deutsche Welle", "dw.com"), ("The Independent", "independent.co.uk"),
    ("The Telegraph", "telegraph.co.uk"), ("Los Angeles Times", "latimes.com"),
    ("The Economist", "economist.com"), ("NPR", "npr.org"), ("ABC News", "abcnews.go.com"),
    ("CBC News", "cbc.ca"), ("Sydney Morning Herald", "smh.com.au"), ("Le Monde", "lemonde.fr"),
    ("South China Morning Post", "scmp.com"), ("The Hindu", "thehindu.com"),
    ("Politico", "politico.com"), ("Axios", "axios.com"), ("TechCrunch", "techcrunch.com"),
    ("ESPN", "espn.com"),
]  # fmt: skip
FIRST_NAMES = (
    "James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Ahmed Fatima Ravi Priya Wei Mei "
    "Hiroshi Yuki Olu Amara Carlos Lucia Pierre Claire Hans Anna Ivan Olga Omar Layla"
).split()
LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Wilson Anderson Taylor Thomas "
    "Moore Jackson Martin Lee Khan Patel Chen Wang Tanaka Okafor Silva Dubois Schmidt Ivanova"
).split()
AUTHORS = 400


@dataclass(frozen=True)
class Source:
    """One article of the corpora, and where it came from."""

    family: str  # bbc, reuters, ag
    headline: str
    paragraphs: tuple[str, ...]
    labels: tuple[str, ...]


# --- reading the corpora -------------------------------------------------------------------

_AG_ENTITY = re.compile(r" ?#(\d+);")
_AG_SOURCE_PREFIX = re.compile(r"^[A-Za-z][\w.&' ]{1,40} - ")


def ag_articles() -> Iterator[core.Article]:
    """AG News: class, title, description. Its text has ``#36;``-style entities and ``\\``
    for line breaks; the description often starts ``SPACE.com - ``, which is dropped."""
    with AG_NEWS.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            title = " ".join(_AG_ENTITY.sub(lambda m: chr(int(m[1])), row["title"]).split())
            text = _AG_ENTITY.sub(lambda m: chr(int(m[1])), html.unescape(row["description"]))
            text = " ".join(text.replace("\\", " ").split())
            text = _AG_SOURCE_PREFIX.sub("", text, count=1)
            if title and len(text) >= 40:
                yield core.Article(title, (text,), (AG_LABELS[row["label"]],))


def sources() -> list[Source]:
    """Every article of the three corpora, in a fixed order."""
    found = [Source("bbc", a.headline, a.paragraphs, a.labels) for a in core.bbc_articles()]
    found += [
        Source("reuters", a.headline, a.paragraphs, a.labels) for a in core.reuters_articles()
    ]
    found += [Source("ag", a.headline, a.paragraphs, a.labels) for a in ag_articles()]
    return found


# --- the generator -------------------------------------------------------------------------


class Generator:
    """The stream of posts for one seed: ``posts()`` yields them as dicts, forever."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        articles = sources()
        self.by_family: dict[str, list[Source]] = {}
        self.pools: dict[tuple[str, str], list[str]] = {}  # (family, category) -> paragraphs
        for article in articles:
            self.by_family.setdefault(article.family, []).append(article)
            self.pools.setdefault((article.family, article.labels[0]), []).extend(
                article.paragraphs[1:] or article.paragraphs
            )
        self.families = list(FAMILY_WEIGHTS)
        self.family_weights = [FAMILY_WEIGHTS[f] for f in self.families]
        names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        names_rng = random.Random(seed + 1)
        self.authors = names_rng.sample(names, AUTHORS)
        self.author_weights = [1 / (rank + 1) ** 0.8 for rank in range(AUTHORS)]
        self.span = int((END - START).total_seconds())

    def outlet(self, family: str) -> tuple[str, str]:
        roll = self.rng.random()
        if family == "reuters" and roll < 0.85:
            return OUTLETS[0]
        if family == "bbc" and roll < 0.85:
            return OUTLETS[1]
        return self.rng.choice(OUTLETS)

    def article(self) -> tuple[Source, list[str], tuple[str, str]]:
        """A clipped article: a real headline and lead, the rest recombined."""
        rng = self.rng
        family = rng.choices(self.families, self.family_weights)[0]
        lead = rng.choice(self.by_family[family])
        pool = self.pools[family, lead.labels[0]]
        own = list(lead.paragraphs[1:])
        if family == "ag":
            length = rng.choice((1, 1, 2, 3))
        else:
            length = max(1, len(lead.paragraphs) + rng.randint(-2, 2))
        paragraphs = [lead.paragraphs[0]]
        while len(paragraphs) < length:
            if own and rng.random() < 0.5:
                paragraphs.append(own.pop(0))
            else:
                paragraphs.append(rng.choice(pool))
        return lead, paragraphs, self.outlet(family)

    def posts(self) -> Iterator[dict]:
        rng = self.rng
        number = 0
        while True:
            clips = [self.article() for _ in range(rng.choices((1, 2, 3), (5, 3, 2))[0])]
            author = rng.choices(self.authors, self.author_weights)[0]
            u = rng.random()
            share = u if rng.random() < 0.5 else u**0.5  # density rising from 0.5 to 1.5
            published = START + timedelta(seconds=int(share * self.span))
            body: list[str] = []
            for position, (lead, paragraphs, (outlet, _)) in enumerate(clips):
                if position:
                    body.append(lead.headline)
                if rng.random() < 0.5:
                    byline = author if position == 0 and rng.random() < 0.3 else self.byline()
                    body.append(f"By {byline}, {outlet}")
                body.extend(paragraphs)
            labels = list(dict.fromkeys(label for lead, _, _ in clips for label in lead.labels))
            first, _, (_, domain) = clips[0]
            slug = "-".join(re.findall(r"[a-z0-9]+", first.headline.lower())[:8]) or "story"
            yield {
                "uid": f"bench:{self.seed}:{number:07d}",
                "title": first.headline,
                "published": published.isoformat(),
                "body": "\n\n".join(body),
                "labels": labels[:3],
                "author": author,
                "url": f"https://www.{domain}/{published:%Y/%m/%d}/{slug}-{number}",
            }
            number += 1

    def byline(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"


def path_for(size: int, seed: int = SEED) -> Path:
    return CACHE / f"corpus-{size}-s{seed}-v{GENERATOR_VERSION}.jsonl"


def build(size: int, seed: int = SEED, *, log=core.say) -> Path:
    """The JSON Lines file of the first ``size`` posts for ``seed``, made if not cached."""
    path = path_for(size, seed)
    meta = path.with_suffix(".meta.json")
    if path.exists() and meta.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    log(f"corpus: writing {size:,} posts to {path}")
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    chars = clips = 0
    labels: dict[str, int] = {}
    years: dict[int, int] = {}
    with partial.open("w", encoding="utf-8") as out:
        for count, post in enumerate(Generator(seed).posts(), 1):
            out.write(json.dumps(post, ensure_ascii=False))
            out.write("\n")
            chars += len(post["title"]) + len(post["body"])
            for label in post["labels"]:
                labels[label] = labels.get(label, 0) + 1
            year = int(post["published"][:4])
            years[year] = years.get(year, 0) + 1
            clips += 1 + post["body"].count("\n\nBy ")  # rough; for the description only
            if count % 100_000 == 0:
                log(f"  {count:,} posts, {time.perf_counter() - started:.0f} s")
            if count == size:
                break
    info = {
        "posts": size,
        "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "bytes": partial.stat().st_size,
        "text_chars": chars,
        "labels": dict(sorted(labels.items(), key=lambda kv: -kv[1])),
        "years": dict(sorted(years.items())),
        "seconds": round(time.perf_counter() - started, 1),
    }
    partial.rename(path)
    meta.write_text(json.dumps(info, indent=1))
    log(f"corpus: {size:,} posts, {info['bytes'] / 1e6:,.0f} MB in {info['seconds']} s")
    return path


def info(path: Path) -> dict:
    return json.loads(path.with_suffix(".meta.json").read_text())


# --- the queries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A query in Gazette's language, and whether the reader asked for newest first."""

    text: str
    sort: str = "relevance"  # or "date"
    kind: str = "words"  # words, phrase, not, or, label, dates, by-date (for the report)


_STOP = frozenset(STOP_WORDS) | {"says", "said", "new", "will", "set", "get", "back", "may"}
_STOP |= {"mln", "pct", "dlrs", "qtr", "cts", "inc", "corp", "ltd", "shr", "net", "rev", "avg"}
_STOP |= {"shrs", "sees", "sets", "gets", "makes", "year", "first", "unit", "plc", "nil", "div"}
_SHORT_WORDS = {"oil", "tax", "gas", "war", "car", "bid", "cut", "gdp", "ban", "art", "pop", "web"}
_HEADLINE_WORD = re.compile(r"[A-Za-z]{3,}")


def _core_kind(text: str) -> str:
    if "label:" in text:
        return "label"
    if "after:" in text:
        return "dates"
    if " OR " in text:
        return "or"
    if " -" in text:
        return "not"
    if '"' in text:
        return "phrase"
    return "words"


def queries(seed: int = SEED) -> list[Query]:
    """200 queries: ``bench/core.py``'s 40, then 160 drawn from the corpora's headlines."""
    found = [Query(q.gazette, kind=_core_kind(q.gazette)) for q in core.CORPUS_QUERIES]
    rng = random.Random(seed + 2)
    articles = sources()
    seen = {q.text for q in found}

    def words_of(article: Source) -> list[str]:
        return [w.lower() for w in _HEADLINE_WORD.findall(article.headline)
                if w.lower() not in _STOP
                and (len(w) > 3 or w.lower() in _SHORT_WORDS)]  # fmt: skip

    def add(text: str, sort: str, kind: str) -> bool:
        if text in seen:
            return False
        seen.add(text)
        found.append(Query(text, sort, kind))
        return True

    def draw(count: int, make) -> None:
        made = 0
        while made < count:
            article = rng.choice(articles)
            words = words_of(article)
            if len(words) < 2:
                continue
            text = make(article, words)
            if text and add(text, *text_sort_kind(make)):
                made += 1

    kinds: dict = {}

    def text_sort_kind(make) -> tuple[str, str]:
        return kinds[make]

    def plain(article: Source, words: list[str]) -> str:
        n = min(len(words), rng.choice((2, 2, 3)))
        start = rng.randrange(len(words) - n + 1)
        return " ".join(words[start : start + n])

    def phrase(article: Source, words: list[str]) -> str | None:
        raw = [w.lower() for w in _HEADLINE_WORD.findall(article.headline)]
        usable = set(words)
        pairs = [(a, b) for a, b in itertools.pairwise(raw) if a in usable and b in usable]
        if not pairs:
            return None
        a, b = rng.choice(pairs)
        return f'"{a} {b}"'

    def labelled(article: Source, words: list[str]) -> str:
        label = rng.choice(article.labels)
        return f"label:{label} " + " ".join(rng.sample(words, min(len(words), rng.choice((1, 2)))))

    def dated(article: Source, words: list[str]) -> str:
        text = " ".join(rng.sample(words, min(len(words), rng.choice((1, 2)))))
        form = rng.random()
        if form < 0.3:
            return f"{text} on:{rng.randint(2005, 2024)}"
        first = date(2005, 1, 1) + timedelta(days=rng.randrange(20 * 365 - 400))
        if form < 0.5:
            return f"{text} after:{first.isoformat()}"
        last = min(first + timedelta(days=rng.randint(365, 6 * 365)), date(2025, 1, 1))
        return f"{text} after:{first.isoformat()} before:{last.isoformat()}"

    def newest(article: Source, words: list[str]) -> str:
        return " ".join(rng.sample(words, min(len(words), rng.choice((1, 2, 2)))))

    kinds.update({plain: ("relevance", "words"), phrase: ("relevance", "phrase"),
                  labelled: ("relevance", "label"), dated: ("relevance", "dates"),
                  newest: ("date", "by-date")})  # fmt: skip
    draw(60, plain)
    draw(25, phrase)
    draw(25, labelled)
    draw(25, dated)
    draw(25, newest)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", help="10k, 100k, 1m or a number of posts")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--queries", action="store_true", help="print the 200 queries")
    args = parser.parse_args(argv)
    core.require_shared("bench/corpus.py")
    if args.queries:
        for query in queries(args.seed):
            print(f"{query.kind:8} {query.sort:9} {query.text}")
    for size in args.sizes:
        count = SIZES.get(size.lower()) or int(size.replace("_", ""))
        print(build(count, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())

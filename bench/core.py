"""Core speed benchmark: Gazette against a bare tantivy index of the same text.

Measures, in one process and one run, each side interleaved with the other:

1. importing the seed page (six posts) into a fresh archive;
2. importing 10,000 posts built from the BBC and Reuters-21578 corpora;
3. search latency (p50, p99) on both archives, for ~40 realistic queries each.

Every figure is reported beside a ratio to the bare tantivy baseline measured in the same
run, because the machines are shared and noisy: absolute times drift from run to run, the
ratios much less. Usage, from the repository root::

    python bench/core.py            # full run (about 2-3 minutes on 2 cores)
    python bench/core.py --quick    # smoke run: 2,000 posts, few rounds
    python bench/core.py --write    # also write bench/results/core.md

The corpora are read from ``../shared`` at run time; nothing from there is copied.
"""

from __future__ import annotations

import argparse
import gc
import html
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tantivy

import machine
from gazette.archive import Archive
from gazette.ingest import blogpage
from gazette.model import Post
from gazette.search.index import WRITER_HEAP

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "000_e93157cd53edb4b4.txt"
BBC = SHARED / "corpora" / "bbc"
REUTERS = SHARED / "corpora" / "reuters21578"
RESULTS = Path(__file__).resolve().parent / "results" / "core.md"

SEED_RANDOM = 20240601
"""Fixes the generated posts, their dates and labels, and the order of the rounds."""

BARE_THREADS = 1
"""The baseline's writer uses Gazette's heap (``WRITER_HEAP``) and thread count, so the import
ratio measures what Gazette does around tantivy, not a different writer configuration."""

SNIPPET_CHARS = 240  # as gazette.search.searcher.SNIPPET_CHARS
TITLE_BOOST = 2.0  # the baseline's own title weight (a plain multi-field BM25)


@dataclass(frozen=True)
class Settings:
    mode: str
    seed_rounds: int
    posts: int
    import_rounds: int
    search_rounds: int
    warmup: int


FULL = Settings("full", seed_rounds=31, posts=10_000, import_rounds=5, search_rounds=30, warmup=2)
QUICK = Settings("quick", seed_rounds=5, posts=2_000, import_rounds=1, search_rounds=3, warmup=1)


def say(message: str) -> None:
    """Progress goes to stderr, so that stdout is only the Markdown report."""
    print(message, file=sys.stderr, flush=True)


# --- the bare tantivy baseline -------------------------------------------------------------


class BareIndex:
    """A minimal tantivy index: title and body, stored, tokenizer ``en_stem``."""

    def __init__(self, path: Path) -> None:
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
        builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
        self.schema = builder.build()
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path))

    def add(self, posts: list[Post]) -> None:
        """Add the posts' title and body text, in one commit."""
        writer = self.index.writer(WRITER_HEAP, BARE_THREADS)
        for post in posts:
            writer.add_document(tantivy.Document(title=post.title, body=post.body_text))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()

    def search(self, text: str) -> tuple[int, list[tuple[str, str]]]:
        """Top 10 with their stored documents and an HTML snippet of the body: a page's work."""
        searcher = self.index.searcher()
        query = self.index.parse_query(
            text,
            ["title", "body"],
            field_boosts={"title": TITLE_BOOST},
            conjunction_by_default=True,  # Gazette's plain words must all match
        )
        return top_ten(searcher, self.schema, query)


def top_ten(
    searcher: tantivy.Searcher, schema: tantivy.Schema, query: tantivy.Query, by_date: bool = False
) -> tuple[int, list[tuple[str, str]]]:
    """A bare tantivy page: the top 10 (by BM25, or newest first), their stored documents
    and an HTML snippet of each body; the number of matches."""
    if by_date:
        order = tantivy.Order.Desc
        result = searcher.search(query, 10, order_by_field="published", order=order)
    else:
        result = searcher.search(query, 10)
    snippets = tantivy.SnippetGenerator.create(searcher, query, schema, "body")
    snippets.set_max_num_chars(SNIPPET_CHARS)
    hits = []
    for _key, address in result.hits:
        doc = searcher.doc(address)
        hits.append((doc["title"][0], snippets.snippet_from_doc(doc).to_html()))
    return result.count, hits


def bare_seed_import(folder: Path) -> BareIndex:
    """What the baseline can do of an import: the same parser, a new index, one commit."""
    parsed = blogpage.parse(SEED.read_bytes(), str(SEED))
    posts = getattr(parsed, "posts", parsed)  # a Batch, or (older Gazette) a list of posts
    bare = BareIndex(folder)
    bare.add(posts)
    return bare


# --- the 10,000 posts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    headline: str
    paragraphs: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class PostSpec:
    """A generated post, kept as plain values so each round gets fresh Post objects."""

    uid: str
    title: str
    published: datetime
    paragraphs: tuple[str, ...]
    labels: tuple[str, ...]

    def post(self) -> Post:
        return Post(
            uid=self.uid,
            title=self.title,
            published=self.published,
            body_text="\n\n".join(self.paragraphs),
            body_html="\n".join(f"<p>{html.escape(p)}</p>" for p in self.paragraphs),
            labels=list(self.labels),
            origin_format="bench",
            source_path="bench/core.py",
        )


MARKET_TOPICS = {"earn", "acq", "money-fx", "interest", "money-supply", "trade", "dlr", "yen"}
MARKET_TOPICS |= {"gnp", "cpi", "bop", "reserves", "ipi", "jobs", "retail", "stg", "dmk"}
ENERGY_TOPICS = {"crude", "nat-gas", "gas", "fuel", "heat", "propane", "pet-chem", "jet"}
COMMODITY_TOPICS = {"grain", "wheat", "corn", "sugar", "coffee", "cocoa", "gold", "copper"}
COMMODITY_TOPICS |= {"oilseed", "soybean", "veg-oil", "livestock", "cotton", "rice", "rubber"}

_STORY = re.compile(r"<REUTERS\b[^>]*>(.*?)</REUTERS>", re.S)
_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.S)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)
_TOPICS = re.compile(r"<TOPICS>(.*?)</TOPICS>", re.S)
_TOPIC = re.compile(r"<D>(.*?)</D>")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]{2,}")  # Reuters indents each new paragraph
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SIGN_OFF = re.compile(r"\s*\bReuter\s*$", re.I)


def bbc_articles() -> Iterator[Article]:
    """BBC News: first line the headline, then paragraphs; the folder is the category."""
    for path in sorted(BBC.glob("*/*.txt")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        headline, _, rest = text.strip().partition("\n")
        paragraphs = tuple(p.strip() for p in rest.split("\n\n") if p.strip())
        if headline.strip() and paragraphs:
            yield Article(headline.strip(), paragraphs, (path.parent.name.capitalize(),))


def reuters_articles() -> Iterator[Article]:
    """Reuters-21578 stories with a title and a body (read as latin-1), duplicates dropped."""
    seen: set[str] = set()
    for path in sorted(REUTERS.glob("*.sgm")):
        for story in _STORY.finditer(path.read_bytes().decode("latin-1")):
            title, body = _TITLE.search(story[1]), _BODY.search(story[1])
            if not (title and body):
                continue
            text = _SIGN_OFF.sub("", _CONTROL.sub("", html.unescape(body[1]))).strip()
            paragraphs = tuple(
                " ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text) if p.strip()
            )
            if len(text) < 80 or text in seen:
                continue
            seen.add(text)
            topics_block = _TOPICS.search(story[1])
            topics = set(_TOPIC.findall(topics_block[1])) if topics_block else set()
            labels = ["Reuters"]
            labels += ["Markets"] if topics & MARKET_TOPICS else []
            labels += ["Energy"] if topics & ENERGY_TOPICS else []
            labels += ["Commodities"] if topics & COMMODITY_TOPICS else []
            headline = " ".join(html.unescape(title[1]).split())
            yield Article(headline, paragraphs, tuple(labels[:3]))


START = datetime(2004, 1, 1, tzinfo=UTC)
END = datetime(2025, 1, 1, tzinfo=UTC)


def generate_posts(count: int, rng: random.Random) -> list[PostSpec]:
    """``count`` distinct posts, each a compilation of 1-3 articles as in the seed page.

    The articles (2,225 BBC, ~18,000 Reuters) are dealt from a shuffled deck; when the deck
    runs out it is shuffled again, so later posts recombine articles into new compilations.
    The post's title is its first article's headline; each further article keeps its
    headline as a line of the body. Dates are uniform over 2004-2024 (UTC); labels are
    the articles' categories, at most three.
    """
    articles = list(bbc_articles()) + list(reuters_articles())
    deck: list[Article] = []
    seen: set[tuple[str, ...]] = set()
    specs: list[PostSpec] = []
    span = int((END - START).total_seconds())
    while len(specs) < count:
        clips = []
        for _ in range(rng.choices((1, 2, 3), weights=(5, 3, 2))[0]):
            if not deck:
                deck = articles[:]
                rng.shuffle(deck)
            clips.append(deck.pop())
        paragraphs = list(clips[0].paragraphs)
        for clip in clips[1:]:
            paragraphs += [clip.headline, *clip.paragraphs]
        key = (clips[0].headline, *paragraphs)
        if key in seen:
            continue
        seen.add(key)
        labels = tuple(dict.fromkeys(label for clip in clips for label in clip.labels))[:3]
        published = START.timestamp() + rng.randrange(span)
        specs.append(
            PostSpec(
                uid=f"bench:{len(specs):05d}",
                title=clips[0].headline,
                published=datetime.fromtimestamp(published, UTC),
                paragraphs=tuple(paragraphs),
                labels=labels,
            )
        )
    return specs


# --- the queries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    gazette: str
    bare: str  # the same in tantivy's syntax; label:/after: filters dropped
    filtered: bool = False  # the baseline's version drops a filter, so totals differ


def q(gazette: str, bare: str | None = None) -> Query:
    return Query(gazette, bare or gazette, filtered=bare is not None)


SEED_QUERIES = [
    q("pakistan taliban"),
    q('"Durand Line"'),
    q("haqqani network"),
    q("afghan refugees"),
    q("imran khan"),
    q("kabul airport"),
    q("undocumented afghans deadline"),
    q("peshawar border crossing"),
    q("islamabad kabul talks"),
    q("suicide attacks"),
    q("siraj haqqani"),
    q("tribal areas"),
    q("torkham chaman"),
    q("intelligence agencies"),
    q("soviet jihad"),
    q("women education"),
    q('"Islamic State"'),
    q('"human rights"'),
    q('"United States"'),
    q('"al Qaeda"'),
    q('"safe havens"'),
    q('"prime minister"'),
    q("taliban -haqqani"),
    q("pakistan -deportation"),
    q("refugees -karachi"),
    q("kabul -biden"),
    q("deportation OR expulsion"),
    q("karachi OR peshawar"),
    q("biden OR washington"),
    q("mullah OR baradar"),
    # The seed's posts have no labels: these find nothing in Gazette (the baseline drops the
    # filter and finds the word), as a reader's label search on such a blog would.
    q("label:Pakistan taliban", "taliban"),
    q("label:Afghanistan refugees", "refugees"),
    q("taliban after:2015-01-01", "taliban"),
    q("refugees after:2022-01-01", "refugees"),
    q("haqqani after:2021-08-01", "haqqani"),
    q("border after:2023-01-01", "border"),
    # No seed post matches these in full: Gazette relaxes the plain words to "some of them".
    q("oil prices"),
    q("interest rates"),
    q("world cup"),
    q('"chief executive"'),
]

CORPUS_QUERIES = [
    q("oil prices"),
    q("interest rates"),
    q("mobile phone"),
    q("stock market"),
    q("world cup"),
    q("chelsea arsenal"),
    q("prime minister blair"),
    q("film award oscar"),
    q("music album chart"),
    q("tax election labour"),
    q("bank profit"),
    q("crude output opec"),
    q("video games console"),
    q("broadband internet"),
    q("wheat exports"),
    q("dollar yen"),
    q('"chief executive"'),
    q('"interest rates"'),
    q('"prime minister"'),
    q('"six nations"'),
    q('"net income"'),
    q('"european union"'),
    q("bank -interest"),
    q("music -film"),
    q("oil -opec"),
    q("election -labour"),
    q("tennis OR golf"),
    q("gold OR silver"),
    q("coffee OR cocoa"),
    q("microsoft OR apple"),
    q("label:Sport injury", "injury"),
    q("label:Markets dollar", "dollar"),
    q("label:Energy gas", "gas"),
    q("label:Tech security", "security"),
    q("oil after:2015-01-01", "oil"),
    q("growth economy after:2015-01-01", "growth economy"),
    q("football after:2020-06-01", "football"),
    q('"world cup" -rugby'),
    q("pakistan taliban"),
    q("shares takeover bid"),
]


def require_shared(script: str, *paths: Path) -> None:
    """Stop ``script`` with a message saying what is missing when the shared folder beside
    the repository, or one of the ``paths`` in it, is not there."""
    if not SHARED.is_dir():
        sys.exit(
            f"{script} reads its data from the shared folder beside the repository, "
            f"{SHARED}, which is not there. See the project's README for how to get it."
        )
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        sys.exit(f"{script}: missing from {SHARED}: {', '.join(missing)}")


# --- timing --------------------------------------------------------------------------------


@dataclass
class Clock:
    """Wall-clock and CPU seconds (all threads of this process, tantivy's included, and
    its children that have ended: an import's worker process).

    CPU time barely moves with what else the machine is running, wall time does; CPU time
    leaves out waiting for the disk (fsync), which wall time includes.
    """

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def start(self) -> tuple[float, float]:
        return time.perf_counter(), cpu_seconds()

    def stop(self, started: tuple[float, float]) -> float:
        self.wall.append(time.perf_counter() - started[0])
        self.cpu.append(cpu_seconds() - started[1])
        return self.wall[-1]


def children_cpu() -> float:
    """CPU time of this process's children that have ended (a command, an import's worker)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def cpu_seconds() -> float:
    """CPU time of this process (all its threads) and of its children that have ended."""
    return time.process_time() + children_cpu()


IMPORT_SETTINGS = ("IMPORT_BATCH", "FIRST_BATCH", "SYNC_EVERY", "SYNC_BATCH")
"""The archive's import batching constants, printed with the results that depend on them."""


def paired_ratio(ours: list[float], theirs: list[float]) -> float:
    """The median over rounds of ours ÷ theirs: each round's two runs ran back to back."""
    return statistics.median(a / b for a, b in zip(ours, theirs, strict=True))


def percentile(values: list[float], pct: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Outcome:
    """Everything the report needs."""

    settings: Settings
    seed_gazette: Clock = field(default_factory=Clock)  # open + import_file
    seed_gazette_import: Clock = field(default_factory=Clock)  # import_file alone
    seed_bare: Clock = field(default_factory=Clock)
    posts: int = 0
    post_chars: int = 0
    bulk_gazette: Clock = field(default_factory=Clock)
    bulk_bare: Clock = field(default_factory=Clock)
    search: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # archive -> side
    queries: dict[str, int] = field(default_factory=dict)
    agreement: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # same, relaxed, of
    segments: dict[str, tuple[int, int]] = field(default_factory=dict)  # Gazette's, baseline's
    seconds: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average at the start and the end


def bench_seed(settings: Settings, work: Path, outcome: Outcome) -> tuple[Archive, BareIndex]:
    """Seed import, Gazette and baseline alternating (A B B A ...); keeps the last of each."""
    say(f"seed import: {settings.seed_rounds} rounds each")
    archive: Archive | None = None
    bare: BareIndex | None = None
    for round_ in range(settings.seed_rounds):
        sides = ["gazette", "bare"] if round_ % 2 == 0 else ["bare", "gazette"]
        for side in sides:
            folder = work / f"seed-{side}-{round_}"
            gc.collect()
            if side == "gazette":
                started = outcome.seed_gazette.start()
                opened = Archive.open(folder, create=True)
                opened_at = outcome.seed_gazette_import.start()
                summary = opened.import_file(SEED)
                outcome.seed_gazette_import.stop(opened_at)
                outcome.seed_gazette.stop(started)
                assert summary.added == 6 and summary.ok, summary
                if archive is not None:
                    archive.close()
                    shutil.rmtree(archive.data_dir)
                archive = opened
            else:
                started = outcome.seed_bare.start()
                made = bare_seed_import(folder)
                outcome.seed_bare.stop(started)
                if bare is not None:
                    shutil.rmtree(bare.path)
                bare = made
    assert archive is not None and bare is not None
    return archive, bare


def bench_bulk(
    settings: Settings, specs: list[PostSpec], work: Path, outcome: Outcome
) -> tuple[Archive, BareIndex]:
    """Import of the generated posts, Gazette and baseline alternating; keeps the last of each."""
    say(f"import of {len(specs):,} posts: {settings.import_rounds} rounds each")
    outcome.posts = len(specs)
    outcome.post_chars = sum(len(s.title) + len("\n\n".join(s.paragraphs)) for s in specs)
    archive: Archive | None = None
    bare: BareIndex | None = None
    for round_ in range(settings.import_rounds):
        sides = ["gazette", "bare"] if round_ % 2 == 0 else ["bare", "gazette"]
        for side in sides:
            folder = work / f"bulk-{side}-{round_}"
            posts = [spec.post() for spec in specs]
            gc.collect()
            if side == "gazette":
                started = outcome.bulk_gazette.start()
                opened = Archive.open(folder, create=True)
                summary = opened.import_posts(posts, source="bench", format_name="bench")
                seconds = outcome.bulk_gazette.stop(started)
                assert summary.added == len(specs) and summary.ok, summary
                if archive is not None:
                    archive.close()
                    shutil.rmtree(archive.data_dir)
                archive = opened
            else:
                started = outcome.bulk_bare.start()
                made = BareIndex(folder)
                made.add(posts)
                seconds = outcome.bulk_bare.stop(started)
                if bare is not None:
                    shutil.rmtree(bare.path)
                bare = made
            say(f"  round {round_ + 1} {side}: {seconds:.2f} s")
    assert archive is not None and bare is not None
    return archive, bare


SIDES = ("gazette", "gazette-date", "gazette-nofacets", "bare")


def bench_search(
    name: str,
    archive: Archive,
    bare: BareIndex,
    queries: list[Query],
    settings: Settings,
    rng: random.Random,
    outcome: Outcome,
) -> None:
    """Every query on every side, round after round; the order of sides rotates per query."""
    say(f"search on the {name} archive: {len(queries)} queries x {settings.search_rounds} rounds")
    calls: dict[str, Callable[[Query], object]] = {
        "gazette": lambda query: archive.search(query.gazette),
        "gazette-date": lambda query: archive.search(query.gazette, sort="date"),
        "gazette-nofacets": lambda query: archive.search(query.gazette, facets=False),
        "bare": lambda query: bare.search(query.bare),
    }
    # The sides must do comparable work: where no filter was dropped, totals should agree,
    # except where nothing matches every word and Gazette relaxes to "some of the words".
    same = relaxed = 0
    comparable = [query for query in queries if not query.filtered]
    for query in comparable:
        result = archive.search(query.gazette, facets=False)
        same += result.total == bare.search(query.bare)[0]
        relaxed += result.partial
    outcome.agreement[name] = (same, relaxed, len(comparable))
    outcome.segments[name] = (
        archive.index.searcher().num_segments,
        bare.index.searcher().num_segments,
    )
    for _ in range(settings.warmup):
        for query in queries:
            for side in SIDES:
                calls[side](query)
    samples: dict[str, list[float]] = {side: [] for side in SIDES}
    gc.collect()
    for round_ in range(settings.search_rounds):
        timed_round(calls, SIDES, queries, round_, rng, lambda side, _, t: samples[side].append(t))
    outcome.search[name] = samples
    outcome.queries[name] = len(queries)


def timed_round(
    calls: dict[str, Callable[[Any], object]],
    sides: Sequence[str],
    items: Sequence,
    round_: int,
    rng: random.Random,
    record: Callable[[str, int, float], object],
) -> None:
    """One round of a side-by-side timing: every item once, in an order shuffled by ``rng``,
    each side in turn, the sides' order rotating from item to item and round to round;
    ``record(side, item's index, seconds)`` for each call."""
    order = list(range(len(items)))
    rng.shuffle(order)
    for number, i in enumerate(order):
        shift = (round_ + number) % len(sides)
        for side in sides[shift:] + sides[:shift]:
            started = time.perf_counter()
            calls[side](items[i])
            record(side, i, time.perf_counter() - started)


# --- the report ----------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}×"


def table(header: list[str], rows: list[list[str]], text_columns: int = 1) -> str:
    """A Markdown table with the columns padded, so it also reads well as plain text.

    The first ``text_columns`` columns are aligned left, the numbers right.
    """
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    right = [i >= text_columns for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = [
            cell.rjust(width) if align else cell.ljust(width)
            for cell, width, align in zip(cells, widths, right, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            "-" * (width + 1) + ":" if align else ":" + "-" * (width + 1)
            for width, align in zip(widths, right, strict=True)
        )
        + "|"
    )
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def git(*args: str) -> subprocess.CompletedProcess | None:
    """A read-only git query in the repository, or None if git is not there."""
    try:
        return subprocess.run(
            ["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None


def load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def import_row(label: str, ours: Clock, theirs: Clock) -> list[str]:
    return [
        label,
        ms(statistics.median(ours.wall)),
        f"{paired_ratio(ours.wall, theirs.wall):.2f}×",
        f"{paired_ratio(ours.cpu, theirs.cpu):.2f}×",
    ]


def bulk_row(label: str, outcome: Outcome, side: str) -> list[str]:
    ours = outcome.bulk_gazette if side == "gazette" else outcome.bulk_bare
    theirs = outcome.bulk_bare
    seconds = statistics.median(ours.wall)
    return [
        label,
        f"{seconds:.2f}",
        f"{outcome.posts / seconds:,.0f}",
        f"{paired_ratio(ours.wall, theirs.wall):.2f}×",
        f"{paired_ratio(ours.cpu, theirs.cpu):.2f}×",
    ]


def gazette_commit() -> str:
    """The checked-out commit, and whether ``src/`` differs from it (plumbing; writes nothing)."""
    head = git("rev-parse", "--short", "HEAD")
    if head is None or head.returncode != 0:
        return "unknown commit"
    changed = git("diff-index", "--quiet", "HEAD", "--", "src")
    dirty = changed is not None and changed.returncode == 1
    note = " with uncommitted changes in src/" if dirty else ""
    return f"commit `{head.stdout.strip()}`{note}"


def report(outcome: Outcome, command: str) -> str:
    s = outcome.settings
    out: list[str] = []
    out.append("# Core benchmark: Gazette against bare tantivy")
    out.append("")
    out.append(
        f"`{command}` — {s.mode} mode, Gazette at {gazette_commit()}, "
        f"run time {outcome.seconds:.0f} s, "
        f"temporary folders on {machine.filesystem(tempfile.gettempdir())}, "
        f"load average {outcome.load[0]:.1f} at the start and {outcome.load[1]:.1f} at the end "
        f"({machine.cores()} cores; other processes' load makes every figure noisier)."
    )
    if s.mode != "full":
        out.append("")
        out.append("**Quick (smoke) run: too few rounds to compare with other runs.**")
    out.append("")
    out.append(
        "Ratio = Gazette's time ÷ bare tantivy's time, both measured in this run, taking turns. "
        "Above 1 means Gazette takes longer. Gazette does more work than the baseline at every "
        "step (SQLite store, change log, label and date fields, facets, HTML highlighting, "
        "hydration of hits from SQLite), so ratios above 1 are expected; the question a ratio "
        "answers is how much that extra work costs."
    )

    # 1. seed import
    seed_g, seed_gi, seed_b = outcome.seed_gazette, outcome.seed_gazette_import, outcome.seed_bare
    out.append("")
    out.append(f"## Seed import (6 posts, {SEED.stat().st_size // 1024} KB page)")
    out.append("")
    out.append(
        f"{len(seed_b.wall)} rounds each, a fresh folder every round. Ratio: the median over "
        "rounds of Gazette's time ÷ the baseline's in the same round, wall clock and CPU."
    )
    out.append("")
    header = ["side", "median ms", "ratio", "CPU ratio"]
    out.append(
        table(
            header,
            [
                import_row("Gazette: Archive.open(create) + import_file", seed_g, seed_b),
                import_row("  of which import_file (open made store + index)", seed_gi, seed_b),
                import_row("bare tantivy: parse + new index + 6 docs + commit", seed_b, seed_b),
            ],
        )
    )

    # 2. bulk import
    n = outcome.posts
    out.append("")
    out.append(f"## Import of {n:,} posts")
    out.append("")
    out.append(
        f"{n:,} posts built from BBC News and Reuters-21578 (1-3 articles each, "
        f"{outcome.post_chars / n / 1000:.1f} K characters on average, "
        f"{outcome.post_chars / 1e6:.0f} M in all), {len(outcome.bulk_bare.wall)} round(s) "
        "each, a fresh folder every round. Ratio as above: a ratio of times, so the baseline's "
        "posts/s ÷ Gazette's, per round (it can differ a little from the ratio of the medians)."
    )
    out.append("")
    out.append(
        table(
            ["side", "median s", "posts/s", "ratio", "CPU ratio"],
            [
                bulk_row("Gazette: Archive.open(create) + import_posts", outcome, "gazette"),
                bulk_row("bare tantivy: new index + add title, body + 1 commit", outcome, "bare"),
            ],
        )
    )

    # 3. search
    labels = {
        "gazette": "Gazette search(q): relevance, top 10, snippets, facets",
        "gazette-date": 'Gazette search(q, sort="date")',
        "gazette-nofacets": "Gazette search(q, facets=False)",
        "bare": "bare tantivy: parse_query + top 10 + docs + snippets",
    }
    out.append("")
    out.append("## Search latency (in process)")
    out.append("")
    out.append(
        f"p50 and p99 over all (query, round) samples: {s.search_rounds} rounds after "
        f"{s.warmup} warm-up round(s); the four sides take turns on each query."
    )
    rows = []
    for name, samples in outcome.search.items():
        base50 = percentile(samples["bare"], 50)
        base99 = percentile(samples["bare"], 99)
        for side in SIDES:
            p50, p99 = percentile(samples[side], 50), percentile(samples[side], 99)
            rows.append(
                [
                    f"{name} ({outcome.queries[name]} queries)",
                    labels[side],
                    ms(p50),
                    ms(p99),
                    ratio(p50, base50),
                    ratio(p99, base99),
                ]
            )
    out.append("")
    header = ["archive", "side", "p50 ms", "p99 ms", "p50 ratio", "p99 ratio"]
    out.append(table(header, rows, text_columns=2))
    out.append("")
    checks = "; ".join(
        f"{name}: {same} of {total} the same, {relaxed} relaxed"
        for name, (same, relaxed, total) in outcome.agreement.items()
    )
    out.append(
        "Same work, same answers: on the queries without a `label:`/`after:` filter (the "
        "baseline runs those as plain words), both sides found the same number of posts "
        f"({checks}). A relaxed query is one no post matches in full: Gazette then runs a "
        "second search for posts that match some of the words, as designed; the baseline "
        "returns nothing."
    )
    segments = "; ".join(
        f"{name}: Gazette {ours}, baseline {theirs}"
        for name, (ours, theirs) in outcome.segments.items()
    )
    out.append("")
    out.append(
        f"Index segments searched ({segments}). Gazette's index commits every `SYNC_EVERY` "
        "posts and at the end of an import, and tantivy merges segments in the background; "
        "the baseline commits once."
    )
    out.append("")
    out.append("## Machine")
    out.append("")
    out.append(machine.describe())
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    written = RESULTS.relative_to(ROOT)
    parser.add_argument("--write", action="store_true", help=f"also write {written}")
    parser.add_argument("--quick", action="store_true", help="smoke run: 2,000 posts, few rounds")
    args = parser.parse_args(argv)
    require_shared("bench/core.py", SEED, BBC, REUTERS)
    settings = QUICK if args.quick else FULL
    rng = random.Random(SEED_RANDOM)
    started = time.perf_counter()
    load_before = load_average()
    outcome = Outcome(settings)
    say(f"building {settings.posts:,} posts from BBC and Reuters-21578")
    specs = generate_posts(settings.posts, rng)
    with tempfile.TemporaryDirectory(prefix="gazette-bench-") as tmp:
        work = Path(tmp)
        seed_archive, seed_bare = bench_seed(settings, work, outcome)
        bulk_archive, bulk_bare = bench_bulk(settings, specs, work, outcome)
        bench_search("seed", seed_archive, seed_bare, SEED_QUERIES, settings, rng, outcome)
        name = f"{settings.posts // 1000}k"
        bench_search(name, bulk_archive, bulk_bare, CORPUS_QUERIES, settings, rng, outcome)
        seed_archive.close()
        bulk_archive.close()
    outcome.seconds = time.perf_counter() - started
    outcome.load = (load_before, load_average())
    publish(report(outcome, command_line("core.py", args)), RESULTS, args.write)
    return 0


def command_line(script: str, args: argparse.Namespace) -> str:
    """How a benchmark was run, for its report: ``python bench/web.py --write --quick``."""
    flags = [f"--{name}" for name in ("write", "quick", "profile") if getattr(args, name, False)]
    return " ".join(["python", f"bench/{script}", *flags])


def publish(text: str, path: Path, write: bool) -> None:
    """Print a benchmark's report; with ``write``, also save it under bench/results/."""
    print(text, end="")
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        say(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())

"""Story-grouping benchmark: versions of Reuters stories found among distractors, and speed.

Quality. Base stories are drawn from Reuters-21578; each gets 1-5 synthetic near-copies, as
outlets re-run a wire story: sentences reordered, words changed or dropped, the lead or the
tail trimmed, paragraphs of new text added. The original and its copies are one story.
Distractors are other Reuters stories: one on the same topic (the corpus' TOPICS tags) for
each base story, and unrelated ones. Every clip goes through ``gazette.clips.stories``
(shingles, MinHash signatures, LSH bands, linked groups); the report gives the precision and
recall of its pairwise same-story decisions at a sweep of thresholds, and for shingle sizes
2-5 at each size's best threshold.

Speed. 100,000 clips (most Reuters stories, topped up with near-copies of them), stored as
one-clip posts in a real SQLite store, are grouped as the archive groups them when an import
commits (``gazette.store.stories``: signatures, band-key lookups and inserts, verification,
story ids), timed apart from writing the posts.

Usage, from the repository root (needs ``../shared``)::

    python bench/stories.py            # full run (about four minutes on 2 cores)
    python bench/stories.py --quick    # smoke run: fewer stories, 20,000 clips timed (1 min)
    python bench/stories.py --write    # also write bench/results/stories.md

The corpus is read from ``../shared`` at run time; nothing from there is copied.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

import machine
from gazette.clips import stories
from gazette.clips.stories import shingles, signatures
from gazette.model import Clip, Post
from gazette.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared"
REUTERS = SHARED / "corpora" / "reuters21578"
RESULTS = Path(__file__).resolve().parent / "results" / "stories.md"
SEED_RANDOM = 20240605

THRESHOLDS = (0.1, 0.15, 0.175, 0.2, 0.225, 0.25, 0.3, 0.4, 0.5)
SHINGLE_SIZES = (2, 3, 4, 5)
MIN_BASE_WORDS = 80
"""Base stories are news stories, not one-line notices or tables of figures."""
CORPUS_NEAR_DUPLICATE = 0.2
"""Exact shingle Jaccard at or above which two corpus stories count as the corpus' own
repeats (corrections, re-sends); all but one of each such group are left out of the pool."""

_STORY = re.compile(r"<REUTERS\b[^>]*>(.*?)</REUTERS>", re.S)
_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.S)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)
_TOPIC = re.compile(r"<D>(.*?)</D>")
_TOPICS = re.compile(r"<TOPICS>(.*?)</TOPICS>", re.S)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]{2,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SIGN_OFF = re.compile(r"\s*\bReuter\s*$", re.I)
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"])")


@dataclass(frozen=True)
class Settings:
    mode: str
    bases: int
    unrelated: int
    timed: int


FULL = Settings("full", bases=2000, unrelated=4000, timed=100_000)
QUICK = Settings("quick", bases=400, unrelated=800, timed=20_000)


@dataclass(frozen=True)
class Story:
    title: str
    paragraphs: tuple[tuple[str, ...], ...]
    """Paragraphs, each a tuple of sentences."""
    topics: frozenset[str]

    @property
    def text(self) -> str:
        return "\n\n".join(" ".join(p) for p in self.paragraphs)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def reuters() -> Iterator[Story]:
    """Reuters-21578 stories with a body, without exact duplicates."""
    seen: set[str] = set()
    for path in sorted(REUTERS.glob("*.sgm")):
        for match in _STORY.finditer(path.read_bytes().decode("latin-1")):
            title, body = _TITLE.search(match[1]), _BODY.search(match[1])
            if not (title and body):
                continue
            text = _SIGN_OFF.sub("", _CONTROL.sub("", html.unescape(body[1]))).strip()
            if text in seen:
                continue
            seen.add(text)
            paragraphs = tuple(
                tuple(_SENTENCE_END.split(" ".join(p.split())))
                for p in _PARAGRAPH_BREAK.split(text)
                if p.strip()
            )
            topics = _TOPICS.search(match[1])
            yield Story(
                " ".join(html.unescape(title[1]).split()),
                paragraphs,
                frozenset(_TOPIC.findall(topics[1]) if topics else ()),
            )


def without_repeats(pool: list[Story]) -> list[Story]:
    """The pool without the corpus' own near-duplicates (exact shingle Jaccard)."""
    sets = [set(shingles(story.text).tolist()) for story in pool]
    found = stories.group(
        dict(enumerate(signatures([s.text for s in pool], min_words=1))), threshold=0.1
    )
    members: dict[int, list[int]] = defaultdict(list)
    for key, root in found.items():
        members[root].append(key)
    dropped: set[int] = set()
    for key in range(len(pool)):
        for other in members[found[key]]:
            if other > key and other not in dropped and key not in dropped:
                a, b = sets[key], sets[other]
                if a and len(a & b) / len(a | b) >= CORPUS_NEAR_DUPLICATE:
                    dropped.add(other)
    return [story for key, story in enumerate(pool) if key not in dropped]


# --- near-copies --------------------------------------------------------------------------


def near_copy(story: Story, filler: list[str], vocabulary: list[str], rng: random.Random) -> str:
    """A version of ``story`` as another outlet might run it (see the module docstring).

    Added paragraphs are 2-4 sentences drawn from ``filler``, sentences of stories that are
    not in the collection: new text, as an outlet's own additions would be.
    """
    flat = [(number, s) for number, p in enumerate(story.paragraphs) for s in p]
    if rng.random() < 0.5:  # sentences reordered
        for _ in range(rng.randint(1, 3)):
            a, b = rng.randrange(len(flat)), rng.randrange(len(flat))
            flat[a], flat[b] = (flat[a][0], flat[b][1]), (flat[b][0], flat[a][1])
    if rng.random() < 0.3 and len(flat) > 4:  # the lead rewritten away
        flat = flat[rng.randint(1, 2) :]
    if rng.random() < 0.5 and len(flat) > 4:  # the tail trimmed
        flat = flat[: max(3, round(len(flat) * rng.uniform(0.5, 0.9)))]
    changed = rng.uniform(0.0, 0.1)
    dropped = rng.uniform(0.0, 0.03)
    paragraphs: dict[int, list[str]] = defaultdict(list)
    for number, sentence in flat:
        words = []
        for word in sentence.split():
            roll = rng.random()
            if roll < dropped:
                continue
            words.append(rng.choice(vocabulary) if roll < dropped + changed else word)
        paragraphs[number].append(" ".join(words))
    result = [" ".join(p) for _, p in sorted(paragraphs.items())]
    if rng.random() < 0.5:  # paragraphs added
        for _ in range(rng.randint(1, 2)):
            added = " ".join(rng.choice(filler) for _ in range(rng.randint(2, 4)))
            result.insert(rng.randint(0, len(result)), added)
    return "\n\n".join(result)


def sentences(stories: list[Story]) -> list[str]:
    return [s for story in stories for p in story.paragraphs for s in p if len(s.split()) > 5]


def vocabulary(stories: list[Story]) -> list[str]:
    """The words that replace words in near-copies: those of (up to) 3,000 stories."""
    return sorted(
        {w for story in stories[:3000] for p in story.paragraphs for s in p for w in s.split()}
    )


@dataclass
class Collection:
    texts: list[str]
    truth: list[int]
    """The true story of each text."""
    versions: int
    same_topic: int


def collection(pool: list[Story], settings: Settings, rng: random.Random) -> Collection:
    """Base stories with their near-copies, and distractors, in a shuffled order. Half of the
    stories that are not base stories are candidate distractors, the other half filler."""
    shuffled = pool[:]
    rng.shuffle(shuffled)
    bases = [s for s in shuffled if len(s.text.split()) >= MIN_BASE_WORDS][: settings.bases]
    chosen = set(map(id, bases))
    rest = [s for s in shuffled if id(s) not in chosen]
    rest, filler = rest[: len(rest) // 2], sentences(rest[len(rest) // 2 :])
    words = vocabulary(pool)
    by_topic: dict[str, list[Story]] = defaultdict(list)
    for story in rest:
        for topic in story.topics:
            by_topic[topic].append(story)
    items: list[tuple[str, int]] = []
    versions = same_topic = 0
    used: set[int] = set()
    for number, base in enumerate(bases):
        items.append((base.text, number))
        for _ in range(rng.randint(1, 5)):
            items.append((near_copy(base, filler, words, rng), number))
            versions += 1
        neighbours = [s for t in sorted(base.topics) for s in by_topic[t] if id(s) not in used]
        if neighbours:
            neighbour = rng.choice(neighbours)
            used.add(id(neighbour))
            items.append((neighbour.text, len(bases) + len(used)))
            same_topic += 1
    unrelated = [s for s in rest if id(s) not in used][: settings.unrelated]
    for story in unrelated:
        used.add(id(story))
        items.append((story.text, len(bases) + len(used)))
    rng.shuffle(items)
    return Collection([t for t, _ in items], [s for _, s in items], versions, same_topic)


# --- scoring ------------------------------------------------------------------------------


def pairs(groups: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in groups.values())


def pairwise(predicted: list[int], truth: list[int]) -> tuple[float, float]:
    """Precision and recall of the same-story decisions over all pairs of clips."""
    both = pairs(Counter(zip(predicted, truth, strict=True)))
    said, true = pairs(Counter(predicted)), pairs(Counter(truth))
    return (both / said if said else 1.0), both / true


def grouped(found: list[np.ndarray | None], threshold: float) -> list[int]:
    story = stories.group(dict(enumerate(found)), threshold)
    return [story[key] for key in range(len(found))]


def sweep(data: Collection) -> tuple[list[tuple[float, float, float, int]], dict[int, tuple]]:
    """Precision and recall at each threshold (default shingle size), and each shingle
    size's best F1 over the thresholds."""
    by_size: dict[int, tuple] = {}
    table: list[tuple[float, float, float, int]] = []
    for size in SHINGLE_SIZES:
        found = signatures(data.texts, size=size)
        rows = []
        for threshold in THRESHOLDS:
            predicted = grouped(found, threshold)
            precision, recall = pairwise(predicted, data.truth)
            rows.append((threshold, precision, recall, len(set(predicted))))
            say(f"  shingle {size}, threshold {threshold}: P {precision:.3f} R {recall:.3f}")
        if size == stories.SHINGLE:
            table = rows
        by_size[size] = max(rows, key=lambda r: 2 * r[1] * r[2] / (r[1] + r[2] or 1))
    return table, by_size


def timed_clips(pool: list[Story], count: int, rng: random.Random) -> list[tuple[int, str]]:
    """``count`` clips: 80 % of the pool's stories, then near-copies of random ones (the other
    20 % are filler)."""
    kept = pool[: len(pool) * 4 // 5]
    filler, words = sentences(pool[len(kept) :]), vocabulary(pool)
    texts = [story.text for story in kept[:count]]
    while len(texts) < count:
        texts.append(near_copy(rng.choice(kept), filler, words, rng))
    return list(enumerate(texts))


def time_grouping(items: list[tuple[int, str]]) -> dict[str, float]:
    """Store ``items`` as one-clip posts in a new SQLite store, then group them as an
    import's commit does, timing the grouping alone."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "gazette.db")
        day = datetime(2024, 1, 1, tzinfo=UTC)
        with store.transaction():
            for key, text in items:
                clip = Clip(position=0, headline=f"Story {key}", body=text)
                store.upsert(Post(f"clip-{key}", f"Story {key}", day, text, clips=[clip]))
            started = time.perf_counter()
            cpu = time.process_time()
            store.stories.group_new()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        groups = Counter(
            story for (story,) in store.db.execute("SELECT coalesce(story_id, id) FROM clips")
        )
        bands = store.db.execute("SELECT count(*) FROM story_bands").fetchone()[0]
        store.close()
        size = sum(f.stat().st_size for f in Path(folder).iterdir())
    return {
        "seconds": seconds,
        "cpu": cpu,
        "load": (load, os.getloadavg()[0]),
        "clips": sum(groups.values()),
        "stories": len(groups),
        "grouped": sum(n for n in groups.values() if n > 1),
        "bands": bands,
        "db_mb": size / 2**20,
    }


def report(settings: Settings, data: Collection, table, by_size, timing, pool_size) -> str:
    clips = len(data.texts)
    chosen = next(row for row in table if row[0] == stories.THRESHOLD)
    bands, rows = stories.lsh_bands()
    lines = [
        "# Story grouping: versions of Reuters stories",
        "",
        f"`python bench/stories.py{' --quick' if settings.mode == 'quick' else ''}` — "
        f"{settings.mode} mode. Shingles of {stories.SHINGLE} words, {stories.NUM_PERM} "
        f"permutations, LSH of {bands} bands of {rows} (datasketch's choice for the threshold "
        f"with false positive : false negative weights {stories.WEIGHTS[0]} : "
        f"{stories.WEIGHTS[1]}), clips under {stories.MIN_WORDS} words left alone. Chosen "
        f"threshold **{stories.THRESHOLD}**: precision **{chosen[1]:.3f}**, recall "
        f"**{chosen[2]:.3f}**; {timing['clips']:,} clips grouped in **{timing['seconds']:.1f} "
        f"s** ({timing['cpu']:.1f} s of CPU).",
        "",
        "## Quality",
        "",
        f"{clips:,} clips from a pool of {pool_size:,} Reuters-21578 stories (exact duplicates "
        f"and the corpus' own near-duplicates, exact shingle Jaccard >= {CORPUS_NEAR_DUPLICATE}, "
        f"left out): {settings.bases:,} base stories of {MIN_BASE_WORDS}+ words, each with "
        f"1-5 near-copies ({data.versions:,} in all: sentences swapped, 0-10 % of words "
        "replaced and 0-3 % dropped, the lead cut by 1-2 sentences in 30 % of copies, the tail "
        "cut to 50-90 % in half of them, 1-2 paragraphs of 2-4 sentences from stories outside "
        f"the collection added in half of them); {data.same_topic:,} distractors on a base "
        "story's topic and "
        f"{settings.unrelated:,} unrelated ones. Precision and recall are over pairs of clips: "
        "of the pairs put in one story, the share that are versions of one story; of the "
        "pairs that are, the share put in one story.",
        "",
        "| threshold | precision | recall | F1 | stories |",
        "|---:|---:|---:|---:|---:|",
    ]
    for threshold, precision, recall, groups in table:
        f1 = 2 * precision * recall / (precision + recall or 1)
        mark = " ←" if threshold == stories.THRESHOLD else ""
        lines.append(
            f"| {threshold}{mark} | {precision:.3f} | {recall:.3f} | {f1:.3f} | {groups:,} |"
        )
    lines += [
        "",
        f"True stories: {len(set(data.truth)):,}. By shingle size, at each size's best "
        "threshold (F1):",
        "",
        "| shingle words | best threshold | precision | recall |",
        "|---:|---:|---:|---:|",
    ]
    for size, (threshold, precision, recall, _) in by_size.items():
        lines.append(f"| {size} | {threshold} | {precision:.3f} | {recall:.3f} |")
    lines += [
        "",
        "## Speed",
        "",
        f"{timing['clips']:,} clips (80 % of the pool's stories, then near-copies of random "
        "ones), stored as one-clip posts in a new SQLite store, then grouped as an import's "
        "commit groups them (`store.stories.group_new()`: signatures, a band-key lookup and "
        "44 band-key inserts a clip, verification, story ids), timed apart from writing the "
        "posts; one process.",
        "",
        f"| clips | of {stories.MIN_WORDS}+ words | wall s | CPU s | clips/s | stories found "
        "| clips in a story of 2+ |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {timing['clips']:,} | {timing['signed']:,} | {timing['seconds']:.1f} | "
        f"{timing['cpu']:.1f} | {timing['clips'] / timing['seconds']:,.0f} | "
        f"{timing['stories']:,} | {timing['grouped']:,} |",
        "",
        f"The clips hold {timing['originals']:,} distinct stories; those under "
        f"{stories.MIN_WORDS} words, and their copies, are stories of their own. Nothing is "
        f"held in memory between imports: the store keeps {timing['bands']:,} band keys "
        f"(the whole database, posts and clips included, is {timing['db_mb']:,.0f} MB). "
        "Load average "
        f"{timing['load'][0]:.1f} at the start and {timing['load'][1]:.1f} at the end, on "
        f"{os.cpu_count()} cores: the wall-clock time grows with other processes' load, the CPU "
        "time much less.",
        "",
        "## Machine",
        "",
        machine.describe(),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS}")
    args = parser.parse_args()
    if not REUTERS.is_dir():
        sys.exit(f"{REUTERS} not found: the benchmark reads Reuters-21578 from ../shared")
    settings = QUICK if args.quick else FULL
    rng = random.Random(SEED_RANDOM)
    say("reading Reuters-21578...")
    pool = without_repeats(list(reuters()))
    say(f"{len(pool):,} stories in the pool; building the collection...")
    data = collection(pool, settings, rng)
    say(f"{len(data.texts):,} clips; sweeping thresholds...")
    table, by_size = sweep(data)
    say(f"timing {settings.timed:,} clips...")
    clips = timed_clips(pool, settings.timed, rng)
    timing = time_grouping(clips) | {
        "originals": min(len(pool) * 4 // 5, settings.timed),
        "signed": sum(len(_WORD.findall(text)) >= stories.MIN_WORDS for _, text in clips),
    }
    text = report(settings, data, table, by_size, timing, len(pool))
    print(text)
    if args.write:
        RESULTS.write_text(text, encoding="utf-8")
        say(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()

"""Speed at scale: Gazette on archives of 10k, 100k and 1M posts, beside bare tantivy and FTS5.

For each size, in one run (the posts from ``bench/corpus.py``, cached under
``/tmp/gazette-bench``):

1. **Bulk import** of the JSON Lines file, three systems, each as a child process so that its
   peak RSS is its own (``os.wait4``):
   - Gazette: ``gazette --data DIR import FILE --json`` (the product, as a user runs it);
   - bare tantivy: a new index (``title``, ``body`` with ``en_stem``, stored; ``published`` a
     date fast field; ``label`` a raw field), one writer with Gazette's heap and thread count,
     one commit at the end;
   - SQLite FTS5: a table ``fts(title, body, labels)`` with the ``porter`` tokenizer, a
     ``docs(id, published)`` table for dates, one transaction, then FTS5's ``optimize``
     (timed apart: a careful FTS5 user runs it after a bulk load; it helps FTS5's queries).
   Posts/s, wall and CPU time, peak RSS, size on disk.
2. **Opening the archive and answering the first query**: a fresh process that imports
   Gazette, runs ``Archive.open(DIR)`` and one search, timed as a whole process and in
   parts; with the archive's files in the page cache (warm) and evicted from it first with
   ``posix_fadvise(DONTNEED)`` (cold; only this archive's files, nothing else's).
3. **Search latency**, 200 queries (``corpus.queries()``: 2-3 words, phrases, ``-word``,
   ``OR``, ``label:``, ``after:``/``before:``/``on:``, 25 sorted by date), top 10 with
   snippets, p50 and p99 over all (query, round) samples, the sides taking turns query by
   query (the order rotating):
   - ``page``: ``archive.search(q, sort=..., facets=False)``, what the search page calls;
   - ``api``: the same with facets (label and year counts), what ``/api/search`` calls;
   - ``by-date``: every query with ``sort="date"``, facets off;
   - ``bare``: bare tantivy, ``parse_query`` (title boost 2, conjunction) + filters as
     tantivy queries + top 10 (or by the date fast field) + stored docs + ``SnippetGenerator``;
   - ``fts5``: ``MATCH`` (title and body; labels as a column filter; dates through ``docs``)
     ``ORDER BY rank`` (bm25, title weight 2) or by date, ``LIMIT 10``, ``snippet()``;
   - ``http``: ``GET /search?q=`` (``&by-date=true`` for the date-sorted queries) from
     ``gazette serve`` in another process, one request at a time on a keep-alive ``httpx``
     connection; the server's peak RSS (``VmHWM``) is read from ``/proc`` at the end.

Usage, from the repository root::

    python bench/speed.py                       # quick: --sizes 10k,100k (~10 minutes)
    python bench/speed.py --sizes 1m            # full: 1M posts (30-40 minutes)
    python bench/speed.py --sizes 10k --write   # write bench/results/speed-10k.json and
                                                # regenerate bench/results/speed.md
    python bench/speed.py --sizes 1m --reuse    # reuse the archives a --keep run left

The code measured is a snapshot of the checked-out commit (``git archive HEAD src``, put first
on ``PYTHONPATH`` for this process and its children), so that commits landing during a long
run do not mix versions; ``--work-tree`` measures the work tree instead. Large files go to
``/tmp/gazette-bench`` (``$GAZETTE_BENCH_DIR``); each size's archives are
deleted at the end of its run unless ``--keep``. The corpora are read from ``../shared``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import core
import corpus
import machine

ROOT = core.ROOT
RESULTS = Path(__file__).resolve().parent / "results"
REPORT = RESULTS / "speed.md"
TITLE_BOOST = core.TITLE_BOOST
FTS_SNIPPET_TOKENS = 32  # about core.SNIPPET_CHARS of text
FTS_BATCH = 5000

ROUNDS = {10_000: 10, 100_000: 6, 1_000_000: 3}
IMPORT_ROUNDS = {10_000: 3, 100_000: 1, 1_000_000: 1}
OPEN_RUNS = (5, 3)  # warm, cold

TARGETS = {
    "p50_ms": 2.0,
    "p99_ms": 20.0,
    "bare_ratio": 1.5,
    "fts5_p99_factor": 5.0,
    "http_p50_ms": 10.0,
    "import_rate": 3000.0,
    "server_rss_gib": 1.0,
    "open_first_s": 2.0,
}

say = core.say
percentile = core.percentile


# --- the baselines -------------------------------------------------------------------------


@dataclass
class Plan:
    """A query of Gazette's language (the subset ``corpus.queries()`` uses), taken apart for
    the baselines: text tokens (words, ``"phrases"``, ``-word``, ``OR``), a label, dates."""

    tokens: list[str]
    label: str | None = None
    lower: datetime | None = None  # inclusive
    upper: datetime | None = None  # exclusive


_TOKEN = re.compile(r'-?"[^"]*"|\S+')


def _day(text: str) -> tuple[datetime, datetime]:
    """``2015`` / ``2015-03`` / ``2015-03-02``: its first moment and the next period's, UTC."""
    parts = [int(p) for p in text.split("-")]
    start = datetime(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1,
                     tzinfo=UTC)  # fmt: skip
    if len(parts) == 1:
        end = start.replace(year=start.year + 1)
    elif len(parts) == 2:
        end = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    else:
        end = datetime.fromordinal(start.toordinal() + 1).replace(tzinfo=UTC)
    return start, end


def plan(text: str) -> Plan:
    found = Plan([])
    for token in _TOKEN.findall(text):
        name, _, value = token.partition(":")
        if name == "label" and value:
            found.label = value
        elif name == "after" and value:
            found.lower = _day(value)[0]
        elif name == "before" and value:
            found.upper = _day(value)[0]
        elif name == "on" and value:
            found.lower, found.upper = _day(value)
        else:
            found.tokens.append(token)
    return found


class BareTantivy:
    """A bare tantivy index of the same posts: as little as tantivy needs for the same job."""

    def __init__(self, path: Path) -> None:
        import tantivy

        self.t = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
        builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
        builder.add_date_field("published", indexed=True, fast=True)
        builder.add_text_field("label", tokenizer_name="raw")
        self.schema = builder.build()
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        self.path = path

    def build(self, jsonl: Path) -> int:
        from gazette.search.index import WRITER_HEAP

        writer = self.index.writer(WRITER_HEAP, core.BARE_THREADS)
        count = 0
        with jsonl.open("rb") as lines:
            for line in lines:
                post = json.loads(line)
                doc = self.t.Document(
                    title=post["title"],
                    body=post["body"],
                    published=datetime.fromisoformat(post["published"]),
                )
                for label in post["labels"]:
                    doc.add_text("label", label)
                writer.add_document(doc)
                count += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        return count

    def query(self, p: Plan):
        t = self.t
        text = t.Query.all_query()
        if p.tokens:
            text = self.index.parse_query(
                " ".join(p.tokens),
                ["title", "body"],
                field_boosts={"title": TITLE_BOOST},
                conjunction_by_default=True,
            )
        clauses = [(t.Occur.Must, text)]
        if p.label:
            clauses.append((t.Occur.Must, t.Query.term_query(self.schema, "label", p.label)))
        if p.lower or p.upper:
            dates = t.Query.range_query(
                self.schema, "published", t.FieldType.Date, p.lower, p.upper,
                include_upper=p.upper is None,
            )  # fmt: skip
            clauses.append((t.Occur.Must, dates))
        return text if len(clauses) == 1 else t.Query.boolean_query(clauses)

    def search(self, p: Plan, sort: str) -> tuple[int, list[tuple[str, str]]]:
        """Top 10 (by BM25, or newest first) with stored docs and an HTML body snippet."""
        searcher = self.index.searcher()
        return core.top_ten(searcher, self.schema, self.query(p), by_date=sort == "date")

    def segments(self) -> int:
        return self.index.searcher().num_segments


class Fts5:
    """SQLite FTS5 of the same posts: porter stemming, bm25 (title weight 2), ``snippet()``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")

    def build(self, jsonl: Path) -> tuple[int, float]:
        """Load the posts (one transaction); returns (posts, seconds of ``optimize``)."""
        db = self.db
        db.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, published INTEGER NOT NULL)")
        db.execute(
            "CREATE VIRTUAL TABLE fts USING fts5"
            "(title, body, labels, tokenize = 'porter unicode61')"
        )
        db.execute("INSERT INTO fts (fts, rank) VALUES ('rank', 'bm25(2.0, 1.0, 0.0)')")
        count = 0
        db.execute("BEGIN")
        with jsonl.open("rb") as lines:
            batch_docs, batch_fts = [], []
            for line in lines:
                post = json.loads(line)
                count += 1
                stamp = int(datetime.fromisoformat(post["published"]).timestamp())
                batch_docs.append((count, stamp))
                batch_fts.append((count, post["title"], post["body"], " ".join(post["labels"])))
                if len(batch_docs) == FTS_BATCH:
                    self._insert(batch_docs, batch_fts)
                    batch_docs, batch_fts = [], []
            self._insert(batch_docs, batch_fts)
        db.execute("COMMIT")
        started = time.perf_counter()
        db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return count, time.perf_counter() - started

    def _insert(self, docs: list, rows: list) -> None:
        self.db.executemany("INSERT INTO docs (id, published) VALUES (?, ?)", docs)
        self.db.executemany(
            "INSERT INTO fts (rowid, title, body, labels) VALUES (?, ?, ?, ?)", rows
        )

    @staticmethod
    def _quote(token: str) -> str:
        inner = token[1:-1] if token.startswith('"') else token
        return '"' + inner.replace('"', '""') + '"'

    def match(self, p: Plan) -> str:
        tokens = p.tokens
        if "OR" in tokens:
            expr = " OR ".join(self._quote(t) for t in tokens if t != "OR")
        else:
            positive = [self._quote(t) for t in tokens if not t.startswith("-")]
            negative = [self._quote(t[1:]) for t in tokens if t.startswith("-")]
            expr = " ".join(positive)
            if negative:
                expr = f"({expr}) NOT " + " NOT ".join(negative)
        found = f"{{title body}} : ({expr})"
        if p.label:
            found += f" AND {{labels}} : {self._quote(p.label)}"
        return found

    def search(self, p: Plan, sort: str) -> list[tuple]:
        dated = p.lower is not None or p.upper is not None
        join = " JOIN docs ON docs.id = fts.rowid" if dated or sort == "date" else ""
        where, args = ["fts MATCH ?"], [self.match(p)]
        if p.lower:
            where.append("docs.published >= ?")
            args.append(int(p.lower.timestamp()))
        if p.upper:
            where.append("docs.published < ?")
            args.append(int(p.upper.timestamp()))
        order = "docs.published DESC" if sort == "date" else "fts.rank"
        sql = (
            "SELECT fts.rowid, fts.title, "
            f"snippet(fts, 1, '<mark>', '</mark>', '…', {FTS_SNIPPET_TOKENS}) "
            f"FROM fts{join} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT 10"
        )
        return self.db.execute(sql, args).fetchall()


# --- child processes -----------------------------------------------------------------------


@dataclass
class Child:
    wall: float
    cpu: float
    max_rss: int  # bytes
    returncode: int
    stdout: str


def run_child(command: list[str], log: Path | None = None) -> Child:
    """Run ``command``; its wall time, CPU time and peak RSS (its own, from ``wait4``)."""
    with tempfile.TemporaryFile("w+") as out:
        errors = open(log, "a") if log else subprocess.DEVNULL  # noqa: SIM115
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=errors, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if log:
            errors.close()
        out.seek(0)
        text = out.read()
    return Child(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, process.returncode,
                 text)  # fmt: skip


def folder_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def evict(path: Path) -> None:
    """Drop ``path``'s files (only those) from the page cache."""
    files = [path] if path.is_file() else [f for f in path.rglob("*") if f.is_file()]
    for file in files:
        fd = os.open(file, os.O_RDONLY)
        try:
            with contextlib.suppress(OSError):
                os.fsync(fd)  # dirty pages cannot be dropped
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


OPEN_SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
from gazette.archive import Archive
t1 = time.perf_counter()
archive = Archive.open(sys.argv[1])
t2 = time.perf_counter()
result = archive.search(sys.argv[2], facets=False)
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "open": t2 - t1, "search": t3 - t2, "total": result.total}))
"""


# --- one size ------------------------------------------------------------------------------


@dataclass
class Sizes:
    """Everything measured at one size (goes to ``speed-<size>.json``)."""

    posts: int
    corpus: dict = field(default_factory=dict)
    imports: dict = field(default_factory=dict)
    open: dict = field(default_factory=dict)
    search: dict = field(default_factory=dict)
    http: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)


def size_name(posts: int) -> str:
    for name, count in corpus.SIZES.items():
        if count == posts:
            return name
    return str(posts)


def bench_imports(
    posts: int, jsonl: Path, work: Path, rounds: int, reuse: bool, out: Sizes
) -> None:
    names = {"gazette": work / "gazette", "bare": work / "bare", "fts5": work / "fts5.sqlite"}
    done = {name: path.exists() for name, path in names.items()}
    if reuse and all(done.values()):
        say("  reusing the archives of an earlier --keep run (no import measured)")
        out.imports = json.loads((work / "imports.json").read_text())
        return
    log = work / "children.log"
    records: dict[str, list[dict]] = {name: [] for name in names}
    for round_ in range(rounds):
        order = list(names)
        shift = round_ % len(order)
        for side in order[shift:] + order[:shift]:
            path = names[side]
            if path.exists():
                shutil.rmtree(path) if path.is_dir() else path.unlink()
                for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
                    extra.unlink(missing_ok=True)
            if side == "gazette":
                command = [sys.executable, "-m", "gazette", "--data", str(path), "import",
                           str(jsonl), "--json"]  # fmt: skip
            else:
                command = [sys.executable, __file__, "--build", side, str(jsonl), str(path)]
            say(f"  import round {round_ + 1}: {side} ...")
            child = run_child(command, log)
            if child.returncode != 0:
                tail = log.read_text()[-3000:]
                sys.exit(f"bench/speed.py: {' '.join(command)} failed ({child.returncode})\n{tail}")
            record = {"wall": child.wall, "cpu": child.cpu, "max_rss": child.max_rss}
            if side == "gazette":
                (summary,) = json.loads(child.stdout)
                assert summary["added"] == posts and not summary["failed"], summary
                record["bytes"] = folder_bytes(path / "gazette.db") + sum(
                    folder_bytes(Path(f"{path / 'gazette.db'}{s}")) for s in ("-wal",)
                    if Path(f"{path / 'gazette.db'}{s}").exists()
                )  # fmt: skip
                record["index_bytes"] = folder_bytes(path / "index")
            else:
                record |= json.loads(child.stdout)
                record["bytes"] = folder_bytes(path)
            records[side].append(record)
            say(
                f"    {child.wall:.1f} s, {posts / child.wall:,.0f} posts/s, "
                f"peak RSS {child.max_rss / 2**20:,.0f} MiB"
            )
    out.imports = records
    (work / "imports.json").write_text(json.dumps(records))


def bench_open(work: Path, query: str, out: Sizes) -> None:
    data = work / "gazette"
    runs: dict[str, list[dict]] = {"warm": [], "cold": []}
    warm, cold = OPEN_RUNS
    sequence = ["warm"] + ["cold", "warm"] * max(warm - 1, cold)
    counts = {"warm": 0, "cold": 0}
    for kind in sequence:
        if counts[kind] >= (warm if kind == "warm" else cold):
            continue
        if kind == "cold":
            evict(data)
        child = run_child([sys.executable, "-c", OPEN_SCRIPT, str(data), query])
        if child.returncode != 0:
            sys.exit(f"bench/speed.py: opening {data} failed")
        runs[kind].append(json.loads(child.stdout) | {"process": child.wall,
                                                      "max_rss": child.max_rss})  # fmt: skip
        counts[kind] += 1
    out.open = runs
    for kind, found in runs.items():
        say(
            f"  open + first query ({kind}): process "
            f"{statistics.median(r['process'] for r in found):.2f} s, open "
            f"{statistics.median(r['open'] for r in found):.3f} s, first search "
            f"{statistics.median(r['search'] * 1000 for r in found):.1f} ms"
        )


SIDES = ("page", "api", "by-date", "bare", "fts5", "http")


def bench_search(work: Path, rounds: int, out: Sizes, profile: Path | None) -> None:
    import httpx

    import web
    from gazette.archive import Archive

    queries = corpus.queries()
    plans = [plan(q.text) for q in queries]
    archive = Archive.open(work / "gazette")
    bare = BareTantivy(work / "bare")
    fts = Fts5(work / "fts5.sqlite")
    server = web.Server.cli(work / "gazette", work / "server.log")
    try:
        client = httpx.Client(base_url=server.base, timeout=120)
        started = time.perf_counter()
        first = client.get(page_path(queries[0]))
        first_page = time.perf_counter() - started
        assert first.status_code == 200, first.status_code

        def http(i: int) -> None:
            response = client.get(page_path(queries[i]))
            if response.status_code != 200:
                raise RuntimeError(f"{queries[i].text!r}: HTTP {response.status_code}")

        calls = {
            "page": lambda i: archive.search(queries[i].text, sort=queries[i].sort, facets=False),
            "api": lambda i: archive.search(queries[i].text, sort=queries[i].sort),
            "by-date": lambda i: archive.search(queries[i].text, sort="date", facets=False),
            "bare": lambda i: bare.search(plans[i], queries[i].sort),
            "fts5": lambda i: fts.search(plans[i], queries[i].sort),
            "http": http,
        }
        # Same work? Totals of Gazette and bare tantivy for each query (Gazette relaxes a
        # query that nothing matches in full; bare tantivy does not).
        agreement = []
        for i, q in enumerate(queries):
            ours = archive.search(q.text, sort=q.sort, facets=False)
            theirs = bare.search(plans[i], q.sort)[0]
            fts_hits = len(fts.search(plans[i], q.sort))
            agreement.append({"total": ours.total, "matched_all": ours.matched_all,
                              "partial": ours.partial, "bare": theirs,
                              "fts5_top": fts_hits})  # fmt: skip
        say(f"  search: {len(queries)} queries x {rounds} rounds x {len(SIDES)} sides")
        for i in range(len(queries)):  # one warm-up round
            for side in SIDES:
                calls[side](i)
        samples: dict[str, list[list[float]]] = {s: [[] for _ in queries] for s in SIDES}
        rng = random.Random(corpus.SEED)
        gc.collect()
        round_times = []
        for round_ in range(rounds):
            begun = time.perf_counter()
            core.timed_round(
                calls,
                SIDES,
                list(range(len(queries))),
                round_,
                rng,
                lambda side, i, t: samples[side][i].append(t),
            )
            round_times.append(time.perf_counter() - begun)
            say(f"    round {round_ + 1}: {round_times[-1]:.0f} s")
        status = Path(f"/proc/{server.process.pid}/status").read_text()
        memory = {k: int(v.split()[0]) * 1024 for k, v in
                  (line.split(":", 1) for line in status.splitlines())
                  if k in ("VmHWM", "VmRSS")}  # fmt: skip
        if profile:
            profile_search(archive, queries, profile)
    finally:
        server.stop()
    out.search = {
        "queries": [{"text": q.text, "sort": q.sort, "kind": q.kind} for q in queries],
        "samples": {
            side: [[round(v * 1e6) for v in per] for per in found]
            for side, found in samples.items()
        },  # microseconds
        "agreement": agreement,
        "rounds": rounds,
        "segments": {"gazette": archive.index.searcher().num_segments, "bare": bare.segments()},
    }
    out.http = {"first_page": first_page, "server": memory}
    archive.close()


def page_path(q: corpus.Query) -> str:
    params = {"q": q.text} | ({"by-date": "true"} if q.sort == "date" else {})
    return "/search?" + urlencode(params)


def profile_search(archive, queries, path: Path) -> None:
    """cProfile of the page search (facets off) over every query, 3 times; stats to ``path``."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        for q in queries:
            archive.search(q.text, sort=q.sort, facets=False)
    profiler.disable()
    with path.open("w") as out:
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
    say(f"  search profile written to {path}")


def run_size(posts: int, args: argparse.Namespace) -> Sizes:
    name = size_name(posts)
    say(f"== {name}: {posts:,} posts")
    out = Sizes(posts)
    began = time.perf_counter()
    load = os.getloadavg()[0]
    jsonl = corpus.build(posts, args.seed)
    out.corpus = corpus.info(jsonl) | {"path": str(jsonl)}
    work = corpus.CACHE / f"run-{posts}-s{args.seed}"
    work.mkdir(parents=True, exist_ok=True)
    rounds = args.rounds or ROUNDS.get(posts, 3)
    bench_imports(posts, jsonl, work, args.import_rounds or IMPORT_ROUNDS.get(posts, 1),
                  args.reuse, out)  # fmt: skip
    bench_open(work, corpus.queries()[0].text, out)
    profile = work / "search-profile.txt" if args.profile else None
    bench_search(work, rounds, out, profile)
    out.info = {
        "command": "python bench/speed.py " + " ".join(sys.argv[1:]),
        "seconds": time.perf_counter() - began,
        "load": [load, os.getloadavg()[0]],
        "commit": commit_measured(),
        "filesystem": machine.filesystem(work),
        "machine": machine.facts(),
        "import_batch": _constants(),
        "notes": args.note,
    }
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return out


def _constants() -> dict:
    from gazette import archive

    return {k: getattr(archive, k) for k in core.IMPORT_SETTINGS if hasattr(archive, k)}


# --- the report ----------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def pct(values: list[float], p: float) -> float:
    return percentile(values, p)


def flat(samples: list[list[int]], keep=None) -> list[float]:
    return [v / 1e6 for i, per in enumerate(samples) if keep is None or keep(i) for v in per]


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def summary(data: dict) -> dict:
    """The headline figures of one size (also what the targets are checked against)."""
    s = data["search"]["samples"]
    p = {side: (pct(flat(v), 50), pct(flat(v), 99)) for side, v in s.items()}
    imp = data["imports"]
    g = statistics.median(r["wall"] for r in imp["gazette"])
    b = statistics.median(r["wall"] for r in imp["bare"])
    opened = data["open"]
    return {
        "p": p,
        "import_rate": data["posts"] / g,
        "import_ratio": statistics.median(
            a["wall"] / c["wall"] for a, c in zip(imp["gazette"], imp["bare"], strict=False)
        ),
        "bare_rate": data["posts"] / b,
        "import_rss": max(r["max_rss"] for r in imp["gazette"]),
        "server_rss": data["http"]["server"].get("VmHWM", 0),
        "open_warm": statistics.median(r["process"] for r in opened["warm"]),
        "open_cold": statistics.median(r["process"] for r in opened["cold"]),
    }


def size_report(data: dict) -> list[str]:
    n = data["posts"]
    name = size_name(n)
    info = data["info"]
    c = data["corpus"]
    sm = summary(data)
    out = [f"## {name}: {n:,} posts", ""]
    out.append(
        f"`{info['command']}` — Gazette at {info['commit']}, {info['seconds'] / 60:.0f} min for "
        f"this size, load average {info['load'][0]:.1f} at its start and {info['load'][1]:.1f} "
        f"at its end ({info['machine']['cores']} cores), files on {info['filesystem']}, "
        f"{info['machine']['date']}. Corpus: {c['bytes'] / 1e6:,.0f} MB of JSON Lines, "
        f"{c['text_chars'] / n / 1000:.1f} K characters of text a post, seed {c['seed']}."
    )
    out.append("")
    if info.get("notes"):
        out.append(f"Note: {info['notes']}")
        out.append("")
    # imports
    imp = data["imports"]
    rows = []
    labels = {
        "gazette": "Gazette: `gazette import FILE` (store + index)",
        "bare": "bare tantivy: 1 writer, 1 commit",
        "fts5": "SQLite FTS5: 1 transaction (+ optimize)",
    }
    base = {r: rec["wall"] for r, rec in enumerate(imp["bare"])}
    for side in ("gazette", "bare", "fts5"):
        recs = imp[side]
        wall = statistics.median(r["wall"] for r in recs)
        cpu = statistics.median(r["cpu"] for r in recs)
        ratio = statistics.median(r["wall"] / base[i] for i, r in enumerate(recs) if i in base)
        size = statistics.median(r["bytes"] + r.get("index_bytes", 0) for r in recs)
        extra = ""
        if side == "gazette":
            g = recs[-1]
            extra = f" (db {g['bytes'] / 2**20:,.0f} + index {g['index_bytes'] / 2**20:,.0f})"
        if side == "fts5":
            extra = f" (optimize {statistics.median(r['optimize'] for r in recs):.1f} s)"
        rows.append([
            labels[side], f"{wall:,.1f}", f"{n / wall:,.0f}", f"{ratio:.2f}×", f"{cpu:,.1f}",
            f"{max(r['max_rss'] for r in recs) / 2**20:,.0f}",
            f"{size / 2**20:,.0f}{extra}",
        ])  # fmt: skip
    out.append(f"### Bulk import ({len(imp['gazette'])} round(s); ratio = time ÷ bare tantivy's)")
    out.append("")
    header = ["system", "wall s", "posts/s", "ratio", "CPU s", "peak RSS MiB", "on disk MiB"]
    out.append(core.table(header, rows))
    out.append("")
    # open
    opened = data["open"]
    rows = []
    for kind in ("warm", "cold"):
        runs = opened[kind]
        med = {k: statistics.median(r[k] for r in runs) for k in ("process", "import", "open",
                                                                    "search")}  # fmt: skip
        rows.append([
            f"{kind} ({len(runs)} runs)", f"{med['process']:.2f}", f"{med['import']:.2f}",
            f"{med['open']:.3f}", ms(med["search"]),
            f"{max(r['max_rss'] for r in runs) / 2**20:,.0f}",
        ])  # fmt: skip
    out.append("### Opening the archive and answering the first query (a fresh process)")
    out.append("")
    out.append(
        "`python -c 'from gazette.archive import Archive; Archive.open(DIR).search(Q, "
        "facets=False)'`, Q the first query; medians. Cold: the archive's files evicted "
        "from the page cache first (posix_fadvise DONTNEED)."
    )
    out.append("")
    header = ["page cache", "process s", "import gazette s", "Archive.open s",
              "first search ms", "peak RSS MiB"]  # fmt: skip
    out.append(core.table(header, rows))
    out.append("")
    # search
    s = data["search"]
    queries = s["queries"]
    p = sm["p"]
    out.append(
        f"### Search latency ({len(queries)} queries × {s['rounds']} rounds, top 10 with "
        "snippets, sides interleaved)"
    )
    out.append("")
    labels = {
        "page": "Gazette `search(q, facets=False)` (the search page)",
        "api": "Gazette `search(q)` with facets (the API)",
        "by-date": 'Gazette `search(q, sort="date", facets=False)`, every query',
        "bare": "bare tantivy (parse + filters + top 10 + docs + snippets)",
        "fts5": "SQLite FTS5 (MATCH, bm25 / date order, snippet())",
        "http": "Gazette `GET /search?q=` over HTTP (`gazette serve`)",
    }
    rows = []
    for side in SIDES:
        p50, p99 = p[side]
        rows.append([
            labels[side], ms(p50), ms(p99), f"{p50 / p['bare'][0]:.2f}×",
            f"{p99 / p['bare'][1]:.2f}×", f"{p['fts5'][0] / p50:.1f}×",
            f"{p['fts5'][1] / p99:.1f}×",
        ])  # fmt: skip
    header = ["side", "p50 ms", "p99 ms", "p50 ÷ bare", "p99 ÷ bare", "FTS5 p50 ÷ this",
              "FTS5 p99 ÷ this"]  # fmt: skip
    out.append(core.table(header, rows))
    out.append("")
    # by kind
    kinds = list(dict.fromkeys(q["kind"] for q in queries))
    rows = []
    for kind in kinds:
        keep = [i for i, q in enumerate(queries) if q["kind"] == kind]
        row = [f"{kind} ({len(keep)})"]
        for side in ("page", "api", "bare", "fts5", "http"):
            values = flat(s["samples"][side], lambda i, keep=set(keep): i in keep)
            row.append(f"{ms(pct(values, 50))} / {ms(pct(values, 99))}")
        rows.append(row)
    out.append("p50 / p99 ms by kind of query (`by-date` = the queries a reader sorts by date):")
    out.append("")
    out.append(core.table(["kind", "page", "api", "bare", "fts5", "http"], rows))
    out.append("")
    agree = s["agreement"]
    same = sum((0 if a["partial"] else a["matched_all"]) == a["bare"] for a in agree)
    relaxed = sum(bool(a["partial"]) for a in agree)
    slowest = sorted(range(len(queries)), key=lambda i: -statistics.median(s["samples"]["page"][i]))
    worst = ", ".join(
        f"`{queries[i]['text']}`{' (by date)' if queries[i]['sort'] == 'date' else ''} "
        f"{statistics.median(s['samples']['page'][i]) / 1000:.1f} ms"
        for i in slowest[:5]
    )
    out.append(
        f"Same work: Gazette and bare tantivy found the same number of posts matching the whole "
        f"query for {same} of {len(agree)} queries; {relaxed} matched nothing in full and "
        "Gazette relaxed them to some of the words (bare tantivy returns nothing there); "
        "Gazette's multi-word queries also count the posts matching only some words, which "
        "bare tantivy does not. Index segments: Gazette "
        f"{s['segments']['gazette']}, bare tantivy {s['segments']['bare']}. Slowest page "
        f"searches (median): {worst}."
    )
    out.append("")
    mem = data["http"]["server"]
    out.append(
        f"HTTP: the first `/search` page after the server started took "
        f"{data['http']['first_page'] * 1000:,.0f} ms (it builds the sidebar's label and month "
        f"counts); the server's peak RSS (VmHWM) was {mem.get('VmHWM', 0) / 2**20:,.0f} MiB, "
        f"{mem.get('VmRSS', 0) / 2**20:,.0f} MiB at the end."
    )
    out.append("")
    # targets
    rows = [
        ["in-process p50 <= 2 ms (search page)", f"{ms(p['page'][0])} ms",
         verdict(p["page"][0] * 1000 <= TARGETS["p50_ms"])],
        ["in-process p99 <= 20 ms (search page)", f"{ms(p['page'][1])} ms",
         verdict(p["page"][1] * 1000 <= TARGETS["p99_ms"])],
        ["within 1.5× of bare tantivy (p50, p99)",
         f"{p['page'][0] / p['bare'][0]:.2f}×, {p['page'][1] / p['bare'][1]:.2f}×",
         verdict(max(p["page"][0] / p["bare"][0], p["page"][1] / p["bare"][1])
                 <= TARGETS["bare_ratio"])],
        ["p99 >= 5× better than FTS5", f"{p['fts5'][1] / p['page'][1]:.1f}×",
         verdict(p["fts5"][1] / p["page"][1] >= TARGETS["fts5_p99_factor"])],
        ["HTTP p50 <= 10 ms", f"{ms(p['http'][0])} ms",
         verdict(p["http"][0] * 1000 <= TARGETS["http_p50_ms"])],
        ["bulk import >= 3,000 posts/s", f"{sm['import_rate']:,.0f} posts/s",
         verdict(sm["import_rate"] >= TARGETS["import_rate"])],
        ["serving process RSS <= 1 GiB", f"{sm['server_rss'] / 2**20:,.0f} MiB",
         verdict(sm["server_rss"] <= TARGETS["server_rss_gib"] * 2**30)],
        ["open + first query <= 2 s (process, warm / cold)",
         f"{sm['open_warm']:.2f} s / {sm['open_cold']:.2f} s",
         verdict(max(sm["open_warm"], sm["open_cold"]) <= TARGETS["open_first_s"])],
    ]  # fmt: skip
    out.append(f"### Targets (set for 1M posts; checked here at {name})")
    out.append("")
    out.append(core.table(["target", "measured", "verdict"], rows))
    out.append("")
    return out


def report(found: list[dict]) -> str:
    out = ["# Speed at scale: Gazette at 10k, 100k and 1M posts, beside bare tantivy and FTS5", ""]
    out.append(
        "Written by `python bench/speed.py --write` from the raw figures in "
        "`bench/results/speed-<size>.json` (each size can come from a different run; each "
        "says which). Posts from `bench/corpus.py` (BBC News, Reuters-21578 and AG News "
        "articles recombined into 1-3-article posts, dated 2005-2024, with outlets, authors "
        "and labels). Queries: 200 (`bench/corpus.py`'s `queries()`): 78 of 2-3 words, 31 "
        "phrases, 5 with `-word`, 4 with `OR`, 29 with `label:`, 28 with a date range, 25 "
        "sorted by date. How to read: ratios compare sides measured in the same run, taking "
        "turns, so they move less than the milliseconds on this shared machine; "
        "`p50 ÷ bare` above 1 means slower than bare tantivy; `FTS5 ÷ this` above 1 means "
        "faster than FTS5."
    )
    out.append("")
    rows = []
    for data in found:
        sm = summary(data)
        p = sm["p"]
        rows.append([
            size_name(data["posts"]), f"{sm['import_rate']:,.0f}", f"{sm['import_ratio']:.2f}×",
            f"{sm['import_rss'] / 2**30:.1f}", ms(p["page"][0]), ms(p["page"][1]),
            f"{p['page'][0] / p['bare'][0]:.2f}× / {p['page'][1] / p['bare'][1]:.2f}×",
            f"{p['fts5'][1] / p['page'][1]:.1f}×", ms(p["http"][0]),
            f"{sm['server_rss'] / 2**20:,.0f}", f"{sm['open_warm']:.2f} / {sm['open_cold']:.2f}",
        ])  # fmt: skip
    header = ["size", "import posts/s", "import ÷ bare", "import peak GiB", "page p50 ms",
              "page p99 ms", "÷ bare p50 / p99", "FTS5 p99 ÷ page", "HTTP p50 ms",
              "server RSS MiB", "open+query s warm / cold"]  # fmt: skip
    out.append("## Summary")
    out.append("")
    out.append(core.table(header, rows))
    out.append("")
    for data in found:
        out += size_report(data)
    out.append("## Machine")
    out.append("")
    facts = found[-1]["info"]["machine"]
    out.append("\n".join(f"- {k}: {v}" for k, v in facts.items()))
    return "\n".join(out) + "\n"


def write_report() -> None:
    found = []
    for path in RESULTS.glob("speed-*.json"):
        found.append(json.loads(path.read_text()))
    found.sort(key=lambda d: d["posts"])
    if found:
        REPORT.write_text(report(found))
        say(f"wrote {REPORT.relative_to(ROOT)}")


# --- main ----------------------------------------------------------------------------------

SNAPSHOT = "GAZETTE_BENCH_SNAPSHOT"


def pin_code() -> None:
    """Run on a snapshot of HEAD's ``src/`` (``git archive``, read-only), not on the work tree.

    The work tree is shared and colleagues commit while a 30-minute run goes on; a run must
    measure one version. The snapshot goes under ``/tmp/gazette-bench``; this process then
    starts again with it first on ``PYTHONPATH``, and so does every child process.
    """
    if os.environ.get(SNAPSHOT):
        return
    head = core.git("rev-parse", "HEAD")
    if head is None or head.returncode != 0:
        say("not a git checkout: measuring the installed code as it is")
        return
    sha = head.stdout.strip()
    target = corpus.CACHE / f"src-{sha[:12]}"
    if not target.exists():
        partial = corpus.CACHE / f"src-{sha[:12]}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        archive = subprocess.Popen(["git", "-C", str(ROOT), "archive", sha, "src"],
                                   stdout=subprocess.PIPE)  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(partial)], stdin=archive.stdout, check=True)
        if archive.wait() != 0:
            sys.exit("bench/speed.py: git archive failed")
        partial.rename(target)
    paths = [str(target / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = os.environ | {"PYTHONPATH": os.pathsep.join(paths), SNAPSHOT: sha}
    say(f"measuring a snapshot of commit {sha[:7]} ({target / 'src'})")
    os.execve(sys.executable, [sys.executable, __file__, *sys.argv[1:]], env)


def commit_measured() -> str:
    sha = os.environ.get(SNAPSHOT)
    if sha:
        return f"commit `{sha[:7]}` (a snapshot of it taken at the start of the run)"
    return core.gazette_commit() + " (the work tree as it was at the end of the run)"


def build_child(kind: str, jsonl: Path, out: Path) -> int:
    """``--build bare|fts5 FILE OUT``: build one baseline, print its figures as JSON."""
    started = time.perf_counter()
    if kind == "bare":
        index = BareTantivy(out)
        count = index.build(jsonl)
        print(json.dumps({"posts": count, "segments": index.segments(),
                          "seconds": time.perf_counter() - started}))  # fmt: skip
    else:
        count, optimize = Fts5(out).build(jsonl)
        print(json.dumps({"posts": count, "optimize": optimize,
                          "seconds": time.perf_counter() - started}))  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="10k,100k (quick), 1m (full), all")
    parser.add_argument("--seed", type=int, default=corpus.SEED)
    parser.add_argument("--rounds", type=int, help="search rounds (default by size)")
    parser.add_argument("--import-rounds", type=int, help="import rounds (default by size)")
    parser.add_argument("--write", action="store_true", help="write bench/results/speed*.")
    parser.add_argument("--keep", action="store_true", help="keep the archives after the run")
    parser.add_argument("--reuse", action="store_true", help="reuse archives a --keep run left")
    parser.add_argument("--profile", action="store_true", help="cProfile the page search too")
    parser.add_argument("--work-tree", action="store_true",
                        help="measure the work tree as it is, not a snapshot of HEAD")  # fmt: skip
    parser.add_argument("--build", nargs=3, metavar=("KIND", "FILE", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--report", action="store_true", help="only regenerate speed.md")
    parser.add_argument("--note", default="", help="a note for the report (what was special)")
    args = parser.parse_args(argv)
    if args.build:
        return build_child(args.build[0], Path(args.build[1]), Path(args.build[2]))
    if args.report:
        write_report()
        return 0
    if not args.work_tree:
        pin_code()
    core.require_shared("bench/speed.py")
    names = list(corpus.SIZES) if args.sizes == "all" else args.sizes.lower().split(",")
    found = []
    for name in names:
        posts = corpus.SIZES.get(name) or int(name)
        data = run_size(posts, args)
        record = {k: v for k, v in vars(data).items()}
        found.append(record)
        if args.write:
            path = RESULTS / f"speed-{size_name(posts)}.json"
            path.write_text(json.dumps(record))
            say(f"wrote {path.relative_to(ROOT)}")
        print("\n".join(size_report(record)), flush=True)
    if args.write:
        write_report()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Ranking-quality benchmark: Gazette's own search over standard IR test collections.

Loads collections in BEIR format (``corpus.jsonl``, ``queries.jsonl``, ``qrels/*.tsv``) and
TREC format (documents, topics, qrels), imports their documents into a fresh Gazette archive
as posts (``Archive.import_posts``: the product's store, analysis and index), runs every query
through the product's own query parser, compiler and searcher (``gazette.search``), and scores
the rankings with nDCG@10, Recall@100, MAP and P@30 computed exactly as ``trec_eval`` does.
The figures are printed beside the published anchors (Anserini's Lucene BM25).

Usage, from the repository root (needs ``../shared``)::

    python bench/relevance.py               # both collections (default ranking, the results
                                            # page rule, RM3) and latency on 10k news posts
    python bench/relevance.py --write       # also write bench/results/relevance.md
    python bench/relevance.py --sweep       # also the parameter sweep (about a minute more),
                                            # written to bench/results/relevance-sweep.tsv
    python bench/relevance.py --no-latency  # skip the 10,000-post latency run

Every figure is checked against pytrec_eval (trec_eval's own code) when
``pytrec-eval-terrier`` is installed. The exit status is 1 if a target is missed.

Nothing from ``../shared`` is copied into the repository: the collections are read at run
time and the archives live in a temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import math
import re
import statistics
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from gazette.search.query import parse
from gazette.search.ranking import DEFAULT, Feedback, RankingOptions
from gazette.search.searcher import Searcher

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RESULTS = Path(__file__).resolve().parent / "results"

PUBLISHED = datetime(2000, 1, 1, tzinfo=UTC)
"""Every collection document becomes a post published on this (arbitrary, fixed) day."""

DEPTH = 1000
"""Ranked list depth per query, as Anserini's runs (``-hits 1000``); MAP uses all of it."""


FULL_MATCH = 1e6
"""Added to the score of a post that matches every plain word (far above any BM25 score)."""


def say(message: str) -> None:
    """Progress goes to stderr, so that stdout is only the report."""
    print(message, file=sys.stderr, flush=True)


# --- collections ----------------------------------------------------------------------------


@dataclass
class Document:
    doc_id: str
    title: str
    text: str


@dataclass
class Collection:
    name: str
    documents: list[Document]
    queries: dict[str, str]  # query id -> query text (only the judged ones)
    qrels: dict[str, dict[str, int]]  # query id -> {doc id: relevance}
    metrics: tuple[str, ...]  # the headline metrics for this collection
    anchors: dict[str, dict[str, float]] = field(default_factory=dict)  # system -> figures
    notes: list[str] = field(default_factory=list)


def read_qrels_tsv(path: Path) -> dict[str, dict[str, int]]:
    """BEIR qrels: ``query-id <TAB> corpus-id <TAB> score`` with a header line."""
    qrels: dict[str, dict[str, int]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle, delimiter="\t")
        header = next(rows)
        if header[0].strip() != "query-id":
            raise ValueError(f"{path}: not BEIR qrels (header {header!r})")
        for row in rows:
            if len(row) >= 3:
                qrels.setdefault(row[0].strip(), {})[row[1].strip()] = int(row[2])
    return qrels


def read_qrels_trec(path: Path) -> dict[str, dict[str, int]]:
    """TREC qrels: ``qid iter docno rel`` per line."""
    qrels: dict[str, dict[str, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 4:
            qrels.setdefault(parts[0], {})[parts[2]] = int(parts[3])
    return qrels


def load_beir(folder: Path, split: str = "test", name: str | None = None) -> Collection:
    """A BEIR collection: the queries judged in ``qrels/<split>.tsv``, and the whole corpus."""
    documents = []
    with (folder / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                documents.append(Document(str(row["_id"]), row.get("title") or "", row["text"]))
    qrels = read_qrels_tsv(folder / "qrels" / f"{split}.tsv")
    queries = {}
    with (folder / "queries.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                if str(row["_id"]) in qrels:
                    queries[str(row["_id"])] = row["text"]
    return Collection(
        name or f"{folder.name} {split}", documents, queries, qrels, ("ndcg_cut_10", "recall_100")
    )


_TREC_TOPIC = re.compile(r"<DOC>\s*<DOCNO>\s*(\S+)\s*</DOCNO>(.*?)</DOC>", re.S | re.I)
_TREC_TOP = re.compile(r"<top>(.*?)</top>", re.S | re.I)
_NUM = re.compile(r"<num>\s*(?:Number:)?\s*(\S+)", re.I)
_TITLE = re.compile(r"<title>\s*(?:Topic:)?(.*?)(?=<\w+>|$)", re.S | re.I)


def read_trec_topics(path: Path) -> dict[str, str]:
    """TREC topics: either ``<top><num>..<title>..</top>`` (the title is the query) or, as
    CACM's, ``<DOC><DOCNO>n</DOCNO> text </DOC>`` (the whole text is the query)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    topics = {}
    for block in _TREC_TOP.findall(text):
        num, title = _NUM.search(block), _TITLE.search(block)
        if num and title:
            topics[num.group(1)] = " ".join(title.group(1).split())
    for number, body in _TREC_TOPIC.findall(text):
        topics[number] = " ".join(body.split())
    return topics


def html_document(doc_id: str, raw: str) -> Document:
    """An HTML file as a document: the text without tags; its first non-blank line is the
    title and the rest the body (CACM: title, abstract, date, authors, citations)."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip():
            return Document(doc_id, line.strip(), "\n".join(lines[i + 1 :]).strip())
    return Document(doc_id, "", "")


def load_trec_html(tarball: Path, topics: Path, qrels: Path, name: str) -> Collection:
    """A TREC collection whose documents are HTML files in a tarball (Anserini's
    ``HtmlCollection``: the file name without ``.html`` is the document id)."""
    documents = []
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive:
            if member.isfile():
                raw = archive.extractfile(member).read().decode("utf-8", errors="replace")
                doc_id = re.sub(r"\.html$", "", Path(member.name).name)
                documents.append(html_document(doc_id, raw))
    documents.sort(key=lambda d: d.doc_id)
    judged = read_qrels_trec(qrels)
    queries = {qid: text for qid, text in read_trec_topics(topics).items() if qid in judged}
    return Collection(name, documents, queries, judged, ("map", "P_30"))


def scifact() -> Collection:
    collection = load_beir(SHARED / "ir" / "scifact", "test", name="SciFact test")
    collection.anchors = {
        "Anserini BM25 flat": {"ndcg_cut_10": 0.6789, "recall_100": 0.9253},
        "Anserini BM25 multifield": {"ndcg_cut_10": 0.6647, "recall_100": 0.9076},
        "BEIR paper (Elasticsearch)": {"ndcg_cut_10": 0.665},
    }
    return collection


def cacm() -> Collection:
    folder = SHARED / "ir" / "cacm"
    collection = load_trec_html(
        folder / "cacm.tar.gz", folder / "topics.cacm.txt", folder / "qrels.cacm.txt", "CACM"
    )
    collection.anchors = {
        "Anserini BM25": {"map": 0.3123, "P_30": 0.1942},
        "Anserini BM25+RM3": {"map": 0.3648},
    }
    ids = {d.doc_id for d in collection.documents}
    unpadded = sum(doc not in ids for judged in collection.qrels.values() for doc in judged)
    collection.notes.append(
        f"qrels as shipped: {unpadded} of {sum(map(len, collection.qrels.values()))} judgments "
        "name unpadded ids (CACM-756 for CACM-0756) and can never be retrieved"
    )
    return collection


def padded_qrels(qrels: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """CACM's qrels with document ids zero-padded to four digits, as the documents are."""
    fix = re.compile(r"^CACM-(\d+)$")
    return {
        qid: {fix.sub(lambda m: f"CACM-{int(m[1]):04d}", doc): rel for doc, rel in judged.items()}
        for qid, judged in qrels.items()
    }


# --- trec_eval measures ---------------------------------------------------------------------

Run = dict[str, dict[str, float]]  # query id -> {doc id: score}


def trec_order(scores: dict[str, float]) -> list[str]:
    """The ranking trec_eval scores: by score descending, ties by doc id descending (trec_eval
    ignores the rank column and sorts the run itself)."""
    return [
        doc for doc, _ in sorted(scores.items(), key=lambda item: (item[1], item[0]), reverse=True)
    ]


def evaluate_query(ranking: list[str], judged: dict[str, int]) -> dict[str, float]:
    """trec_eval's ``map``, ``P_30``, ``recall_100`` and ``ndcg_cut_10`` for one query
    (relevance level 1: a document is relevant when its judgment is >= 1; nDCG's gain is
    the judgment itself, discounted by log2(rank + 1))."""
    relevant = {doc for doc, rel in judged.items() if rel >= 1}
    num_rel = len(relevant)
    hits, precision_sum, dcg = 0, 0.0, 0.0
    p30 = r100 = 0
    for rank, doc in enumerate(ranking, 1):
        gain = judged.get(doc, 0)
        if rank <= 10 and gain > 0:
            dcg += gain / math.log2(rank + 1)
        if doc in relevant:
            hits += 1
            precision_sum += hits / rank
            if rank <= 30:
                p30 += 1
            if rank <= 100:
                r100 += 1
    ideal = sorted((rel for rel in judged.values() if rel > 0), reverse=True)[:10]
    idcg = sum(gain / math.log2(rank + 1) for rank, gain in enumerate(ideal, 1))
    return {
        "map": precision_sum / num_rel if num_rel else 0.0,
        "P_30": p30 / 30,
        "recall_100": r100 / num_rel if num_rel else 0.0,
        "ndcg_cut_10": dcg / idcg if idcg else 0.0,
    }


def evaluate(run: Run, qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """Mean of each measure over the queries that are both judged and in the run, as
    trec_eval averages by default (without ``-c``)."""
    per_query = [
        evaluate_query(trec_order(scores), qrels[qid])
        for qid, scores in sorted(run.items())
        if qid in qrels
    ]
    if not per_query:
        return {}
    return {name: statistics.fmean(q[name] for q in per_query) for name in per_query[0]}


def check_with_pytrec_eval(
    run: Run, qrels: dict[str, dict[str, int]], ours: dict[str, float]
) -> dict[str, float]:
    """The same figures from pytrec_eval (trec_eval's own C code); raises if any differs."""
    import pytrec_eval

    measures = {"map", "P.30", "recall.100", "ndcg_cut.10"}
    evaluator = pytrec_eval.RelevanceEvaluator(qrels, measures)
    per_query = evaluator.evaluate(run)
    theirs = {
        name: statistics.fmean(q[name] for q in per_query.values())
        for name in ("map", "P_30", "recall_100", "ndcg_cut_10")
    }
    for name, value in theirs.items():
        if abs(value - ours[name]) > 1e-9:
            raise AssertionError(f"{name}: ours {ours[name]!r} != pytrec_eval {value!r}")
    return theirs


# --- running Gazette's search over a collection ---------------------------------------------

_QUERY_SYNTAX = re.compile(r"[\"“”()|]")


def as_plain_words(text: str) -> str:
    """A test collection's query as Gazette query text that reads every word as a plain word:
    brackets, quotes and bars become spaces, and each word is written in the ``+word``
    literal form, so that ``AND``/``OR``/``NOT``, a leading ``-`` and ``field:`` prefixes in
    natural-language text are searched for, not obeyed."""
    return " ".join(f"+{word}" for word in _QUERY_SYNTAX.sub(" ", text).split())


class Bench:
    """One collection imported into a fresh archive in a temporary folder."""

    def __init__(self, collection: Collection, folder: Path) -> None:
        from gazette.archive import Archive
        from gazette.model import Post, slugify

        self.collection = collection
        started = time.perf_counter()
        self.archive = Archive.open(folder, create=True)
        posts = [
            Post(
                uid=doc.doc_id,
                title=doc.title,
                body_text=doc.text,
                published=PUBLISHED,
                slug=slugify(f"d-{doc.doc_id}"),
                origin_format="bench",
            )
            for doc in collection.documents
        ]
        summary = self.archive.import_posts(posts, source=collection.name, format_name="bench")
        if summary.failed:
            raise RuntimeError(f"{collection.name}: {summary.errors[:3]}")
        self.doc_of = {post.id: post.uid for post in posts}  # post id -> collection doc id
        self.import_seconds = time.perf_counter() - started

    def run(
        self,
        options: RankingOptions | None = None,
        *,
        depth: int = DEPTH,
        complete: bool = True,
        feedback: Feedback | None = None,
    ) -> tuple[Run, list[float]]:
        """Every query through the product's parser and searcher: the ranked doc ids with
        their scores, and each query's search time in seconds. Gazette ranks the posts that
        match all the plain words above those that match only some, whatever their BM25
        scores; as trec_eval re-sorts a run by score, those get :data:`FULL_MATCH` added."""
        run: Run = {}
        latencies = []
        index = self.archive.index
        for qid, text in self.collection.queries.items():
            parsed = parse(as_plain_words(text))
            started = time.perf_counter()
            ranking = Searcher(index, options or DEFAULT).search(
                parsed,
                limit=depth,
                facets=False,
                snippets=False,
                complete=complete,
                feedback=feedback,
            )
            latencies.append(time.perf_counter() - started)
            full = ranking.matched_all or 0
            run[qid] = {
                self.doc_of[p.post_id]: float(p.score) + (FULL_MATCH if rank < full else 0.0)
                for rank, p in enumerate(ranking.posts)
            }
        return run, latencies


TARGETS = {"SciFact test": {"ndcg_cut_10": 0.679, "recall_100": 0.925}, "CACM": {"map": 0.312}}
"""Anserini's Lucene BM25 figures, rounded down to three places: what Gazette must reach."""

MEASURES = {"ndcg_cut_10": "nDCG@10", "recall_100": "R@100", "map": "MAP", "P_30": "P@30"}


@dataclass
class Row:
    system: str
    figures: dict[str, float]
    latencies: list[float] = field(default_factory=list)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def collection_table(collection: Collection, rows: list[Row]) -> str:
    measures = list(MEASURES)
    body = []
    for row in rows:
        cells = [row.system] + [
            f"{row.figures[m]:.4f}" if m in row.figures else "" for m in measures
        ]
        lat = row.latencies
        cells.append(f"{ms(statistics.median(lat))} / {ms(percentile(lat, 95))}" if lat else "")
        body.append(cells)
    for system, figures in collection.anchors.items():
        body.append(
            [system] + [f"{figures[m]:.4f}" if m in figures else "" for m in measures] + [""]
        )
    header = ["system", *MEASURES.values(), "ms per query p50 / p95 (depth 1000)"]
    return table(header, body)


def verdict(name: str, figures: dict[str, float]) -> list[str]:
    return [
        f"{MEASURES[m]} {figures[m]:.4f} {'>=' if figures[m] >= target else '<'} {target}"
        f" {'met' if figures[m] >= target else 'NOT MET'}"
        for m, target in TARGETS.get(name, {}).items()
    ]


def checked(run: Run, qrels: dict[str, dict[str, int]], figures: dict[str, float]) -> str:
    """Check ``figures`` against pytrec_eval when it is installed; say what happened."""
    try:
        import pytrec_eval  # noqa: F401
    except ImportError:
        return "not checked (pip install pytrec-eval-terrier to check)"
    check_with_pytrec_eval(run, qrels, figures)
    return "identical to pytrec_eval"


# --- the sweep ------------------------------------------------------------------------------

SWEEP_TITLE_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0)


def sweep_settings() -> list[tuple[str, RankingOptions, bool]]:
    """Every combination of title weight x stop words x word splitting (with spelling
    variants and the complete ranking on), then each of those two switched off alone
    around the default."""
    settings = []
    for weight in SWEEP_TITLE_WEIGHTS:
        for stop in ("english", "lucene", None):
            for split in (True, False):
                options = RankingOptions(title_weight=weight, stop_words=stop, split_words=split)
                settings.append((describe(options, True), options, True))
    settings.append((describe(DEFAULT, False), DEFAULT, False))
    no_variants = RankingOptions(spelling_variants=False)
    settings.append((describe(no_variants, True), no_variants, True))
    return settings


def describe(options: RankingOptions, complete: bool) -> str:
    return (
        f"title {options.title_weight:g}\tstop {options.stop_words or 'none'}\t"
        f"split {'on' if options.split_words else 'off'}\t"
        f"variants {'on' if options.spelling_variants else 'off'}\t"
        f"ranking {'complete' if complete else 'strict'}"
    )


def run_sweep(benches: list[Bench]) -> str:
    """Run every sweep setting on every collection; the whole table as TSV."""
    columns = ["title_weight", "stop_words", "split_words", "variants", "ranking"]
    header = (
        columns
        + [f"{b.collection.name} {MEASURES[m]}" for b in benches for m in b.collection.metrics]
        + ["all targets met"]
    )
    lines = ["\t".join(header)]
    for label, options, complete in sweep_settings():
        cells = [part.split(" ", 1)[1] for part in label.split("\t")]
        met = True
        for bench in benches:
            run, _ = bench.run(options, complete=complete)
            figures = evaluate(run, bench.collection.qrels)
            cells += [f"{figures[m]:.4f}" for m in bench.collection.metrics]
            met &= all(figures[m] >= t for m, t in TARGETS[bench.collection.name].items())
        lines.append("\t".join([*cells, "yes" if met else "no"]))
        say("  " + " ".join(cells))
    return "\n".join(lines) + "\n"


# --- latency on a 10,000-post news archive --------------------------------------------------


def latency_table(folder: Path, posts: int = 10_000, rounds: int = 5) -> str:
    """p50 / p95 of one results page (10 hits with snippets and facets, as the web page
    asks) for bench/core.py's 40 corpus queries over its generated news archive, with the
    default ranking, the complete ranking and RM3."""
    import random

    import core  # bench/core.py: the generated news archive and its queries
    from gazette.archive import Archive

    specs = core.generate_posts(posts, random.Random(core.SEED_RANDOM))
    archive = Archive.open(folder, create=True)
    archive.import_posts([spec.post() for spec in specs], source="bench", format_name="bench")
    queries = [parse(query.gazette) for query in core.CORPUS_QUERIES]
    modes = {
        "all words must match (else some), as sorted by date": {},
        "default: all words first, then some": {"complete": True},
        "default + RM3 feedback": {"complete": True, "feedback": Feedback()},
        "no ranking options (title 0, no stop words, no variants, no split)": {
            "complete": True,
            "options": RankingOptions(0.0, None, False, False),
        },
    }
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    for round_number in range(rounds + 1):
        for mode, kwargs in modes.items():
            options = kwargs.get("options", DEFAULT)
            extra = {k: v for k, v in kwargs.items() if k != "options"}
            for parsed in queries:
                started = time.perf_counter()
                Searcher(archive.index, options).search(parsed, limit=10, **extra)
                if round_number:  # the first round warms up
                    times[mode].append(time.perf_counter() - started)
    archive.close()
    base = statistics.median(times["default: all words first, then some"])
    rows = [
        [
            mode,
            ms(statistics.median(t)),
            ms(percentile(t, 95)),
            f"{statistics.median(t) / base:.2f}",
        ]
        for mode, t in times.items()
    ]
    return table(["search (10 hits, snippets, facets)", "p50 ms", "p95 ms", "p50 / default"], rows)


# --- the report -----------------------------------------------------------------------------


def report(sections: list[str], command: str) -> str:
    head = [
        "# Ranking quality: Gazette on SciFact and CACM",
        "",
        f"Written by `{command}` on {datetime.now(UTC):%Y-%m-%d}. Gazette's own search (the",
        "product's analysis, index, query compiler and searcher) over the test collections in",
        "`../shared/ir/`, scored as `trec_eval` scores (and checked against pytrec_eval).",
        "How the settings were chosen: `docs/ranking.md`. The whole sweep:",
        "`bench/results/relevance-sweep.tsv`.",
        "",
    ]
    return "\n".join(head + sections) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sweep", action="store_true", help="also run the parameter sweep")
    parser.add_argument("--no-latency", action="store_true", help="skip the 10k-post latency run")
    parser.add_argument("--write", action="store_true", help="write bench/results/relevance.md")
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        say(f"{SHARED} not found: the test collections live beside the repository")
        return 2
    sections: list[str] = []
    all_met = True
    with tempfile.TemporaryDirectory(prefix="gazette-relevance-") as tmp:
        benches = []
        for make in (scifact, cacm):
            collection = make()
            say(f"{collection.name}: importing {len(collection.documents)} documents")
            bench = Bench(collection, Path(tmp) / collection.name.replace(" ", "-"))
            benches.append(bench)
            rows = []
            run, latencies = bench.run()
            figures = evaluate(run, collection.qrels)
            check = checked(run, collection.qrels, figures)
            rows.append(
                Row(
                    "**Gazette, default ranking** (all-word matches first, then partial)",
                    figures,
                    latencies,
                )
            )
            strict, strict_lat = bench.run(complete=False)
            rows.append(
                Row(
                    "Gazette, all-word matches only (when any), as sorted by date",
                    evaluate(strict, collection.qrels),
                    strict_lat,
                )
            )
            rm3, rm3_lat = bench.run(feedback=Feedback())
            rows.append(Row("Gazette + RM3 (option)", evaluate(rm3, collection.qrels), rm3_lat))
            notes = [
                f"- {len(collection.queries)} queries, {len(collection.documents)} documents;"
                f" imported in {bench.import_seconds:.1f} s; figures {check}."
            ]
            if collection.name == "CACM":
                padded = padded_qrels(collection.qrels)
                rows.append(Row("Gazette, default, qrels ids zero-padded", evaluate(run, padded)))
                rows.append(Row("Gazette + RM3, qrels ids zero-padded", evaluate(rm3, padded)))
                notes += [f"- {note}." for note in collection.notes]
            results = verdict(collection.name, figures)
            all_met &= all(line.endswith(" met") for line in results)
            say(f"  {collection.name}: " + "; ".join(results))
            sections += [
                f"## {collection.name}",
                "",
                collection_table(collection, rows),
                "",
                *notes,
                f"- Targets (default settings): {'; '.join(results)}.",
                "",
            ]
        if not args.no_latency:
            say("latency: importing 10,000 generated news posts (bench/core.py)")
            sections += [
                "## Latency on a 10,000-post news archive",
                "",
                latency_table(Path(tmp) / "news"),
                "",
            ]
        if args.sweep:
            say("sweep:")
            tsv = run_sweep(benches)
            (RESULTS / "relevance-sweep.tsv").write_text(tsv, encoding="utf-8")
            sections += ["## Sweep", "", "Written to `bench/results/relevance-sweep.tsv`.", ""]
        for bench in benches:
            bench.archive.close()
    text = report(
        sections, "python bench/relevance.py" + "".join(f" {a}" for a in (argv or sys.argv[1:]))
    )
    print(text)
    if args.write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "relevance.md").write_text(text, encoding="utf-8")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())

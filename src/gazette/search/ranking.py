"""How search ranks posts: the settings behind "sorted by relevance", and query expansion.

The ranking function is tantivy's BM25 (k1 = 1.2, b = 0.75, fixed by tantivy). What Gazette
chooses around it, measured on SciFact and CACM by ``bench/relevance.py`` and explained in
``docs/ranking.md``:

- every word is matched in the post's whole text, title included, as one field (``body``
  holds the title as a second value), so a post's length normalisation covers all of it;
- a match in the title adds a further ``title_weight`` times the word's BM25 score over
  titles alone;
- stop words (:data:`gazette.search.analysis.STOP_WORDS`) are indexed, but a query drops
  them from its plain words when it has other words;
- a repeated query word counts again (query term frequency);
- the plural of an acronym matches its singular (``RXRs``/``RXR``), which English stemming
  misses.

Pseudo-relevance feedback (RM3, :func:`expansion`) is an option, off by default.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import tantivy

from gazette.search import analysis


@dataclass(frozen=True)
class RankingOptions:
    """The knobs of relevance ranking; :data:`DEFAULT` is what the product uses."""

    title_weight: float = 0.2
    """A word found in the title adds this much of its title-only BM25 score."""

    stop_words: str | None = "english"
    """Drop stop words from a query's plain words when it has other words: ``english``
    (:data:`analysis.STOP_WORDS`), ``lucene`` (:data:`analysis.LUCENE_STOP_WORDS`), or
    None to keep them."""

    spelling_variants: bool = True
    """Match acronym plurals with their singular (:func:`analysis.spelling_variants`)."""

    split_words: bool = True
    """Search the parts of a word such as ``IL-6`` or ``e-mail`` as separate words instead of
    as a phrase (when the query has fallen back to partial matches)."""


DEFAULT = RankingOptions()


@dataclass(frozen=True)
class Feedback:
    """RM3 pseudo-relevance feedback: Anserini's defaults (``-rm3``)."""

    docs: int = 10
    """How many of the top posts are taken as relevant."""

    terms: int = 10
    """How many expansion terms the relevance model keeps."""

    original_weight: float = 0.5
    """The weight of the original query against the relevance model."""

    max_doc_share: float = 0.1
    """A term in more than this share of the posts is never an expansion term."""


_FEEDBACK_TERM = re.compile(r"[a-z0-9]{2,20}")


def relevance_model(
    searcher: tantivy.Searcher,
    texts: list[str],
    scores: list[float],
    feedback: Feedback,
) -> dict[str, float]:
    """RM3's relevance model (as Anserini estimates it): each feedback post's ``feedback.terms``
    most frequent terms (two to twenty letters or digits, not stop words, in at most
    ``max_doc_share`` of the posts), weighted by their share of that post's kept terms times
    the post's score, summed, cut to the ``feedback.terms`` best and normalised to sum 1."""
    total_docs = max(searcher.num_docs, 1)
    stop = analysis.stop_terms()
    doc_freq: dict[str, int] = {}
    vectors = []
    for text in texts:
        counts = Counter(analysis.analyze(analysis.TEXT, text))
        kept: dict[str, int] = {}
        for term, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            if term in stop or not _FEEDBACK_TERM.fullmatch(term):
                continue
            if term not in doc_freq:
                doc_freq[term] = searcher.doc_freq("body", term)
            if doc_freq[term] / total_docs > feedback.max_doc_share:
                continue
            kept[term] = count
            if len(kept) == feedback.terms:
                break
        vectors.append(kept)
    model: Counter[str] = Counter()
    for kept, score in zip(vectors, scores, strict=True):
        norm = sum(kept.values())
        if norm:
            for term, count in kept.items():
                model[term] += count / norm * score
    best = sorted(model.items(), key=lambda item: (-item[1], item[0]))[: feedback.terms]
    total = sum(weight for _, weight in best)
    return {term: weight / total for term, weight in best} if total > 0 else {}


def interpolate(
    original: dict[str, float], model: dict[str, float], original_weight: float
) -> dict[str, float]:
    """``original_weight`` x the original query (normalised to sum 1) plus the rest x the
    relevance model: RM3's expanded query, term -> weight."""
    total = sum(original.values())
    weights: Counter[str] = Counter()
    if total > 0:
        for term, weight in original.items():
            weights[term] += original_weight * weight / total
    for term, weight in model.items():
        weights[term] += (1 - original_weight) * weight
    return {
        term: weight for term, weight in weights.items() if weight > 0 and math.isfinite(weight)
    }

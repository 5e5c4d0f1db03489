"""How text becomes search terms: one definition shared by indexing, queries and snippets."""

from __future__ import annotations

from functools import cache

import tantivy

TEXT = "en"
"""Running text (titles, bodies): words, lower-cased, accents folded, English stemming."""

NAME = "name"
"""Names (outlets, authors): words, lower-cased, accents folded, no stemming."""

KEYWORD = "keyword"
"""Whole values (labels): the value as one term, lower-cased and accents folded."""

MAX_TOKEN_LENGTH = 40


@cache
def analyzers() -> dict[str, tantivy.TextAnalyzer]:
    """The analyzers by name, to register on every opened index."""

    def words() -> tantivy.TextAnalyzerBuilder:
        return (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(MAX_TOKEN_LENGTH))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
        )

    keyword = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )
    return {
        TEXT: words().filter(tantivy.Filter.stemmer("english")).build(),
        NAME: words().build(),
        KEYWORD: keyword.build(),
    }


def analyze(analyzer: str, text: str) -> list[str]:
    """The terms of ``text`` under ``analyzer``: ``("en", "Taliban’s") -> ["taliban", "s"]``."""
    return analyzers()[analyzer].analyze(text)


STOP_WORDS = (
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
    "by", "cannot", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "me", "more", "most", "my", "myself", "no", "nor", "not", "of", "off", "on",
    "once", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own",
    "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs",
    "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
    "yourself", "yourselves", "s", "t",
)  # fmt: skip
"""Words that say little about what a post is about: the Snowball project's English stop
words (without its contractions, whose pieces such as ``d`` in ``I’d`` would also drop
``vitamin D``), plus the ``s`` and ``t`` that the tokenizer leaves of ``’s`` and ``n’t``.
They stay in the index, so phrases and queries of stop words alone still work; a query
drops them from its plain words when it has other words (see
:mod:`gazette.search.ranking`)."""


@cache
def stop_terms() -> frozenset[str]:
    """:data:`STOP_WORDS` as the ``TEXT`` analyzer indexes them (stemmed)."""
    return frozenset(term for word in STOP_WORDS for term in analyze(TEXT, word))


LUCENE_STOP_WORDS = (
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is",
    "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
    "these", "they", "this", "to", "was", "will", "with", "s", "t",
)  # fmt: skip
"""Lucene's (and Anserini's) 33 English stop words, plus ``s`` and ``t``: the shorter list,
kept for the relevance benchmark's sweep."""

_STOP_LISTS = {"english": frozenset(STOP_WORDS), "lucene": frozenset(LUCENE_STOP_WORDS)}


def is_stop_word(text: str, stop_list: str = "english") -> bool:
    """Is the word ``text`` made of stop words only (``The``, ``it’s``; not ``Doe``, whose
    stem is that of ``does``)? Compared unstemmed, against ``stop_list`` (``english``:
    :data:`STOP_WORDS`; ``lucene``: :data:`LUCENE_STOP_WORDS`)."""
    words = analyze(NAME, text)
    return bool(words) and _STOP_LISTS[stop_list].issuperset(words)


_VOWELS = frozenset("aeiouy")


def spelling_variants(raw: str, term: str) -> tuple[str, ...]:
    """Index terms that spell the same word as ``term`` (the analysis of ``raw``), which the
    English stemmer does not bring together: the plural of an acronym or a number, whose
    ``s`` Snowball keeps when no vowel precedes it, or when a vowel is right before it
    (``RXRs``/``RXR``, ``mRNAs``/``mRNA``, ``NGOs``/``NGO``, ``MPs``/``MP``, ``1990s``).

    ``("RXRs", "rxrs") -> ("rxr",)``, ``("mRNA", "mrna") -> ("mrnas",)``; plain words
    (``news``, ``gas``) get none."""
    if len(term) < 2 or not raw:
        return ()
    capitals = sum(char.isupper() for char in raw)
    vowelless = not _VOWELS.intersection(term)
    if capitals < 2 and not vowelless:
        return ()
    if term.endswith("s") and not term.endswith("ss") and len(term) > 2:
        if vowelless or (
            len(raw) > 1 and raw[-1] == "s" and (raw[-2].isupper() or raw[-2].isdigit())
        ):
            return (term[:-1],)
        return ()
    if vowelless or raw[-1].isupper() or raw[-1].isdigit():
        return (term + "s",)
    return ()


def query_terms(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The terms of one query word, each with its :func:`spelling_variants`; a trailing
    possessive ``’s`` is dropped (``Taliban’s`` -> ``taliban``)."""
    tokens = analyzers()[TEXT].pre_tokenize(text).tokens
    terms = [
        (t.text, spelling_variants(text[t.char_offset_from : t.char_offset_to], t.text))
        for t in tokens
    ]
    if len(terms) > 1 and terms[-1][0] == "s" and text[-2:-1] in ("'", "’"):
        terms.pop()
    return terms

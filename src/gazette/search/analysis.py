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

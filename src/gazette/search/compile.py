"""Turn a parsed query (the AST from :mod:`gazette.search.query`) into a tantivy query.

Each word is analysed exactly as the index analysed the text, so ``Taliban’s`` finds
``taliban``; a word that analyses to several terms (``anti-TTP``) becomes a phrase, and
one that analyses to nothing (``—``) is dropped. A plain word is searched in the post's
whole text (the ``body`` field, which also holds the title), and a match in the title
counts extra; stop words among other plain words are dropped. The ranking choices are
:class:`gazette.search.ranking.RankingOptions`.
"""

from __future__ import annotations

from datetime import date, timedelta

import tantivy

from gazette.search import analysis
from gazette.search.index import day_number
from gazette.search.query import And, DateRange, Node, Not, Or, Phrase, Term
from gazette.search.ranking import DEFAULT, RankingOptions

TITLE_BOOST = DEFAULT.title_weight
"""How much more a match in the title counts (on top of counting in the post's text)."""

_FIELD_ANALYZER = {
    "title": ("title", analysis.TEXT),
    "source": ("source", analysis.NAME),
    "author": ("author", analysis.NAME),
}

Must, Should, MustNot = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot


class QueryCompiler:
    """Compiles AST nodes against one index schema."""

    def __init__(self, schema: tantivy.Schema, options: RankingOptions = DEFAULT) -> None:
        self.schema = schema
        self.options = options

    def all_posts(self) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, "kind", "post")

    def compile(self, node: Node | None) -> tantivy.Query:
        """The query for ``node``; every post when there is nothing left to match on."""
        query = self.node(node) if node is not None else None
        return self.within_posts(query)

    def within_posts(self, query: tantivy.Query | None, *negated: tantivy.Query) -> tantivy.Query:
        """``query`` (or every post) minus ``negated``. A positive query needs no filter on
        post documents: the index's one other document (the checkpoint) has no text, labels
        or dates to match, and a filter on every post would cost a pass over all of them."""
        clauses = [(Must, self.all_posts() if query is None else query)]
        clauses += [(MustNot, q) for q in negated]
        return clauses[0][1] if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)

    def node(self, node: Node) -> tantivy.Query | None:
        """The query for one node, or None if it has nothing to search for."""
        match node:
            case Term(text=text, field=field):
                return self.words(text, field)
            case Phrase(text=text, field=field):
                return self.words(text, field, phrase=True)
            case DateRange(start=start, end=end):
                return self.dates(start, end)
            case Not(child=child):
                inner = self.node(child)
                return None if inner is None else self.within_posts(None, inner)
            case And(children=children):
                return self.conjunction(children)
            case Or(children=children):
                parts = [q for q in map(self.node, children) if q is not None]
                if not parts:
                    return None
                return tantivy.Query.boolean_query([(Should, q) for q in parts])
        raise TypeError(f"not a query node: {node!r}")

    def content_words(self, children: list[Node] | tuple[Node, ...]) -> list[Node]:
        """``children`` without the plain words that are stop words, if some plain word is
        left; else all of them. A stop word in capitals (``WHO``, ``IT``) is kept, unless
        the whole query is in capitals."""
        children = list(children)
        stop_list = self.options.stop_words
        if not stop_list:
            return children
        texts = [c.text for c in children if isinstance(c, Term | Phrase)]
        mixed_case = any(char.islower() for text in texts for char in text)

        def stop(node: Node) -> bool:
            if not isinstance(node, Term) or node.field is not None:
                return False
            if mixed_case and len(node.text) > 1 and node.text.isupper():
                return False
            return analysis.is_stop_word(node.text, stop_list)

        rest = [child for child in children if not stop(child)]
        if any(isinstance(c, Term | Phrase) and c.field in (None, "title") for c in rest):
            return rest
        return children

    def optional_words(self, words: list[Node]) -> list[tantivy.Query]:
        """One query per word for a partial match (any of them), best first by BM25; with
        ``split_words``, a word of several terms counts as that many words."""
        queries = []
        for word in self.content_words(words):
            if self.options.split_words and isinstance(word, Term) and word.field is None:
                parts = [self.word_query([term]) for term in self.query_terms(word.text)]
                queries += [q for q in parts if q is not None]
            elif (query := self.node(word)) is not None:
                queries.append(query)
        return queries

    def conjunction(self, children: tuple[Node, ...]) -> tantivy.Query | None:
        clauses = []
        for child in self.content_words(children):
            negated = isinstance(child, Not)
            query = self.node(child.child if negated else child)
            if query is not None:
                clauses.append((MustNot if negated else Must, query))
        if not clauses:
            return None
        if all(occur == MustNot for occur, _ in clauses):
            clauses.append((Must, self.all_posts()))
        return tantivy.Query.boolean_query(clauses)

    def words(self, text: str, field: str | None, phrase: bool = False) -> tantivy.Query | None:
        if field == "label":
            terms = analysis.analyze(analysis.KEYWORD, text.strip())
            return tantivy.Query.term_query(self.schema, "label_key", terms[0]) if terms else None
        if field is None:
            if phrase:
                return self.word_query([(t, ()) for t in analysis.analyze(analysis.TEXT, text)])
            return self.word_query(self.query_terms(text))
        index_field, analyzer = _FIELD_ANALYZER[field]
        return self.terms(index_field, analysis.analyze(analyzer, text))

    def query_terms(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        terms = analysis.query_terms(text)
        if not self.options.spelling_variants:
            terms = [(term, ()) for term, _ in terms]
        return terms

    def word_query(self, terms: list[tuple[str, tuple[str, ...]]]) -> tantivy.Query | None:
        """A plain word (its terms with their spelling variants) in the post's text, plus
        ``title_weight`` times its score in the title."""
        text = self.terms("body", terms)
        if text is None:
            return None
        if self.options.title_weight <= 0:
            return text
        title = self.terms("title", terms)
        assert title is not None
        boosted = tantivy.Query.boost_query(title, self.options.title_weight)
        return tantivy.Query.boolean_query([(Should, text), (Should, boosted)])

    def terms(
        self, field: str, terms: list[str] | list[tuple[str, tuple[str, ...]]]
    ) -> tantivy.Query | None:
        """One term (or the best-scoring of its spelling variants), or a phrase of several,
        in ``field``."""
        if not terms:
            return None
        words = [t if isinstance(t, str) else t[0] for t in terms]
        if len(words) > 1:
            return tantivy.Query.phrase_query(self.schema, field, words)
        variants = () if isinstance(terms[0], str) else terms[0][1]
        term = tantivy.Query.term_query(self.schema, field, words[0])
        if not variants:
            return term
        alternatives = [tantivy.Query.term_query(self.schema, field, v) for v in variants]
        return tantivy.Query.disjunction_max_query([term, *alternatives])

    def dates(self, start: date | None, end: date | None) -> tantivy.Query | None:
        if start is None and end is None:
            return None
        lower = day_number(start) if start else None
        upper = day_number(end - timedelta(days=1)) if end else None
        if lower is not None and upper is not None and upper < lower:
            return tantivy.Query.empty_query()
        return tantivy.Query.range_query(
            self.schema, "day", tantivy.FieldType.Unsigned, lower, upper
        )

"""Turn a parsed query (the AST from :mod:`gazette.search.query`) into a tantivy query.

Each word is analysed exactly as the index analysed the text, so ``Taliban’s`` finds
``taliban``; a word that analyses to several terms (``anti-TTP``) becomes a phrase, and
one that analyses to nothing (``—``) is dropped.
"""

from __future__ import annotations

from datetime import timedelta

import tantivy

from gazette.search import analysis
from gazette.search.index import day_number
from gazette.search.query import And, DateRange, Node, Not, Or, Phrase, Term

TITLE_BOOST = 2.0
"""How much a match in the title counts against the same match in the body."""

_FIELD_ANALYZER = {
    "title": ("title", analysis.TEXT),
    "source": ("source", analysis.NAME),
    "author": ("author", analysis.NAME),
}

Must, Should, MustNot = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot


class QueryCompiler:
    """Compiles AST nodes against one index schema."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema

    def all_posts(self) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, "kind", "post")

    def compile(self, node: Node | None) -> tantivy.Query:
        """The query for ``node``; every post when there is nothing left to match on."""
        query = self.node(node) if node is not None else None
        return self.within_posts(query)

    def within_posts(self, query: tantivy.Query | None, *negated: tantivy.Query) -> tantivy.Query:
        """``query`` (or every post) restricted to post documents, minus ``negated``."""
        clauses = [(Must, self.all_posts())]
        if query is not None:
            clauses.append((Must, query))
        clauses += [(MustNot, q) for q in negated]
        return tantivy.Query.boolean_query(clauses)

    def node(self, node: Node) -> tantivy.Query | None:
        """The query for one node, or None if it has nothing to search for."""
        match node:
            case Term(text=text, field=field) | Phrase(text=text, field=field):
                return self.words(text, field)
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

    def conjunction(self, children: tuple[Node, ...]) -> tantivy.Query | None:
        clauses = []
        for child in children:
            negated = isinstance(child, Not)
            query = self.node(child.child if negated else child)
            if query is not None:
                clauses.append((MustNot if negated else Must, query))
        if not clauses:
            return None
        if all(occur == MustNot for occur, _ in clauses):
            clauses.append((Must, self.all_posts()))
        return tantivy.Query.boolean_query(clauses)

    def words(self, text: str, field: str | None) -> tantivy.Query | None:
        if field == "label":
            terms = analysis.analyze(analysis.KEYWORD, text.strip())
            return tantivy.Query.term_query(self.schema, "label_key", terms[0]) if terms else None
        if field is None:
            terms = analysis.analyze(analysis.TEXT, text)
            title, body = self.terms("title", terms), self.terms("body", terms)
            if title is None or body is None:
                return None
            boosted = tantivy.Query.boost_query(title, TITLE_BOOST)
            return tantivy.Query.boolean_query([(Should, boosted), (Should, body)])
        index_field, analyzer = _FIELD_ANALYZER[field]
        return self.terms(index_field, analysis.analyze(analyzer, text))

    def terms(self, field: str, terms: list[str]) -> tantivy.Query | None:
        """One term, or a phrase of several, in ``field``."""
        if not terms:
            return None
        if len(terms) == 1:
            return tantivy.Query.term_query(self.schema, field, terms[0])
        return tantivy.Query.phrase_query(self.schema, field, terms)

    def dates(self, start, end) -> tantivy.Query | None:
        if start is None and end is None:
            return None
        lower = day_number(start) if start else None
        upper = day_number(end - timedelta(days=1)) if end else None
        if lower is not None and upper is not None and upper < lower:
            return tantivy.Query.empty_query()
        return tantivy.Query.range_query(
            self.schema, "day", tantivy.FieldType.Unsigned, lower, upper
        )

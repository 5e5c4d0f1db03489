"""Run a parsed query against the index: ranking, sorting, paging, snippets and facets."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import tantivy

from gazette.model import Facet, SortOrder
from gazette.search.compile import Must, QueryCompiler, Should
from gazette.search.index import SearchIndex
from gazette.search.query import And, ParsedQuery, plain_words, to_string

SNIPPET_CHARS = 240
FACET_SIZE = 50


@dataclass
class RankedPost:
    post_id: int
    score: float | None
    snippet: str


@dataclass
class Ranking:
    """Which posts match, in order, before the store fills in titles and dates."""

    total: int
    posts: list[RankedPost]
    partial: bool = False
    notes: list[str] = field(default_factory=list)
    labels: list[Facet] = field(default_factory=list)
    years: list[Facet] = field(default_factory=list)


def highlight(fragment: str, ranges: list[tuple[int, int]]) -> str:
    """Escape ``fragment``, wrap the byte ``ranges`` (tantivy's offsets) in ``<mark>``, and
    fold its white space (line breaks mean nothing in a snippet)."""
    raw = fragment.encode()
    out, last = [], 0
    for start, end in sorted(ranges):
        if start < last:
            continue
        out.append(html.escape(raw[last:start].decode(errors="replace")))
        out.append(f"<mark>{html.escape(raw[start:end].decode(errors='replace'))}</mark>")
        last = end
    out.append(html.escape(raw[last:].decode(errors="replace")))
    return " ".join("".join(out).split())


def lead(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of ``text``, cut at a word boundary, escaped: the snippet when nothing matched."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return html.escape(text)
    return html.escape(text[:limit].rsplit(" ", 1)[0]) + " …"


class Searcher:
    """Searches one index; cheap to create, so make one per request."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self.compiler = QueryCompiler(index.schema)
        self.searcher = index.searcher()

    def search(
        self,
        parsed: ParsedQuery,
        *,
        sort: SortOrder = "relevance",
        offset: int = 0,
        limit: int = 10,
        facets: bool = True,
    ) -> Ranking:
        query = self.compiler.compile(parsed.node)
        ranking = self.run(query, sort, offset, limit)
        words = plain_words(parsed.node)
        if ranking.total == 0 and len(words) > 1:
            query = self.relaxed(parsed, words)
            ranking = self.run(query, sort, offset, limit)
            if ranking.total:
                ranking.partial = True
                listed = ", ".join(to_string(word) for word in words)
                ranking.notes.append(
                    f"No posts match all of {listed}; showing posts that match some of them."
                )
        if facets:
            ranking.labels, ranking.years = self.facets(query)
        return ranking

    def relaxed(self, parsed: ParsedQuery, words: list) -> tantivy.Query:
        """The query with its plain words made optional (at least one must match)."""
        assert isinstance(parsed.node, And)
        rest = [child for child in parsed.node.children if child not in words]
        required = self.compiler.node(And(tuple(rest))) if rest else None
        optional = [q for q in map(self.compiler.node, words) if q is not None]
        clauses = [(Should, q) for q in optional]
        query = tantivy.Query.boolean_query(clauses) if clauses else None
        if required is not None:
            query = tantivy.Query.boolean_query(
                [(Must, required)] + ([(Must, query)] if query else [])
            )
        return self.compiler.within_posts(query)

    def run(self, query: tantivy.Query, sort: SortOrder, offset: int, limit: int) -> Ranking:
        if sort == "relevance":
            result = self.searcher.search(query, limit, offset=offset)
        else:
            order = tantivy.Order.Asc if sort == "date-asc" else tantivy.Order.Desc
            result = self.searcher.search(
                query, limit, offset=offset, order_by_field="published", order=order
            )
        snippets = tantivy.SnippetGenerator.create(self.searcher, query, self.index.schema, "body")
        snippets.set_max_num_chars(SNIPPET_CHARS)
        posts = []
        for key, address in result.hits:
            doc = self.searcher.doc(address)
            snippet = snippets.snippet_from_doc(doc)
            ranges = [(r.start, r.end) for r in snippet.highlighted()]
            text = highlight(snippet.fragment(), ranges) if ranges else lead(doc["body"][0])
            score = key if sort == "relevance" else None
            posts.append(RankedPost(doc["pid"][0], score, text))
        return Ranking(total=result.count, posts=posts)

    def facets(self, query: tantivy.Query) -> tuple[list[Facet], list[Facet]]:
        """Counts of labels and years over every post the query matches."""
        aggregation = {
            "labels": {"terms": {"field": "label", "size": FACET_SIZE}},
            "years": {"terms": {"field": "year", "size": 100, "order": {"_key": "desc"}}},
        }
        found = self.searcher.aggregate(query, aggregation)
        labels = [Facet(b["key"], b["doc_count"]) for b in found["labels"]["buckets"]]
        years = [Facet(str(b["key"]), b["doc_count"]) for b in found["years"]["buckets"]]
        return labels, years

"""Run a parsed query against the index: ranking, sorting, paging, snippets and facets."""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

import tantivy

from gazette.model import Facet, SortOrder
from gazette.search import analysis
from gazette.search.compile import Must, MustNot, QueryCompiler, Should
from gazette.search.index import SearchIndex
from gazette.search.query import And, Node, ParsedQuery, Phrase, Term, plain_words, to_string
from gazette.search.ranking import DEFAULT, Feedback, RankingOptions, interpolate, relevance_model

SNIPPET_CHARS = 240
FACET_SIZE = 50
RELATED_TERMS = 25
"""Words of a post that "related posts" searches for."""


@dataclass
class RankedPost:
    post_id: int
    score: float | None
    address: tantivy.DocAddress
    query: tantivy.Query
    """The query the post was found by: its snippet highlights that query's words."""
    snippet: str = ""


@dataclass
class Ranking:
    """Which posts match, in order, before the store fills in titles and dates."""

    total: int
    posts: list[RankedPost]
    partial: bool = False
    matched_all: int | None = None  # with ``complete``: how many posts match every plain word
    more: bool = False  # more posts, matching only some words, follow the ``total`` counted
    notes: list[str] = field(default_factory=list)
    facets: dict[str, list[Facet]] = field(default_factory=dict)


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


def spellings(texts: list[str]) -> dict[str, str]:
    """For each search term in ``texts``, its most common spelling there (``"evacu"`` ->
    ``"evacuation"``): feedback terms are stems, which are no words to show a reader."""
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for word in _WORD.findall(text):
            for term in analysis.analyze(analysis.TEXT, word):
                counts[term, word.lower()] += 1
    best: dict[str, str] = {}
    for (term, word), _ in counts.most_common():
        best.setdefault(term, word)
    return best


_WORD = re.compile(r"\w+")


def _anywhere(word: Node) -> bool:
    """Is ``word`` a plain word searched in the whole text (not a phrase, not ``title:``)?"""
    return isinstance(word, Term) and word.field is None


class Searcher:
    """Searches one index; cheap to create, so make one per request."""

    def __init__(self, index: SearchIndex, options: RankingOptions = DEFAULT) -> None:
        self.index = index
        self.compiler = QueryCompiler(index.schema, options)
        self.searcher = index.searcher()

    def search(
        self,
        parsed: ParsedQuery,
        *,
        sort: SortOrder = "relevance",
        offset: int = 0,
        limit: int = 10,
        facets: bool = True,
        snippets: bool = True,
        feedback: Feedback | None = None,
        complete: bool = False,
    ) -> Ranking:
        """Rank the posts that match ``parsed``: those that match all its plain words, or,
        when none does, those that match some of them. With ``complete`` (and relevance
        order), the posts that match all the plain words come first, then every post that
        matches some of them, best first: a complete ranking, as a test collection measures
        it. With ``feedback`` (and relevance order), the plain words are expanded with the
        top posts' words (RM3)."""
        query = full_query = self.compiler.compile(parsed.node)
        ranking = self.run(query, sort, offset, limit, snippets)
        words = self.compiler.content_words(plain_words(parsed.node))
        if len(words) > 1 and (ranking.total == 0 or (complete and sort == "relevance")):
            full, query = ranking, self.relaxed(parsed, words)
            if full.total == 0:
                ranking = self.run(query, sort, offset, limit, snippets)
            elif full.total < offset + limit:
                rest = tantivy.Query.boolean_query([(Must, query), (MustNot, full_query)])
                start = max(offset - full.total, 0)
                more = self.run(rest, sort, start, offset + limit - full.total - start, snippets)
                ranking = Ranking(full.total + more.total, full.posts + more.posts)
            else:
                # The full matches fill the page: only whether more posts follow is needed.
                ranking = Ranking(full.total, full.posts)
                ranking.more = self.some_not_all(parsed, words, full.total)
            ranking.matched_all = full.total
            if ranking.total > full.total or ranking.more:
                ranking.partial = full.total == 0
                listed = ", ".join(to_string(word) for word in words)
                if full.total:
                    ranking.notes.append(
                        f"First the posts that match all of {listed} ({full.total}); "
                        "then posts that match some of them."
                    )
                else:
                    ranking.notes.append(
                        f"No posts match all of {listed}; showing posts that match some of them."
                    )
        if feedback is not None and sort == "relevance" and words and ranking.total:
            matched_all = ranking.total and not ranking.partial
            best = full_query if matched_all else query
            expanded = self.expanded(parsed, best, words, feedback)
            if expanded is not None:
                # The expanded query is one soft ranking: which hits match every word is
                # not tracked, so only the "nothing matched all the words" note carries over.
                query, added = expanded
                partial = ranking.partial
                notes = ranking.notes if partial else []
                ranking = self.run(query, sort, offset, limit, snippets)
                ranking.partial, ranking.notes = partial, notes
                if added:
                    ranking.notes.append(
                        "Also searched for words from the best matches: " + ", ".join(added) + "."
                    )
        if facets:
            ranking.facets = self.facets(query)
        return ranking

    def some_not_all(self, parsed: ParsedQuery, words: list[Node], matched_all: int) -> bool:
        """Whether some post matches some of the plain ``words`` but not all of them, given
        that ``matched_all`` posts match all: exactly when one word alone (with the query's
        other parts) matches more posts than that. Counted, not ranked: in a query of plain
        words only, a word's term indexed in more posts (deleted ones aside) settles it at
        once; else one count per word, the rarest first (the cheapest to count, and the
        likeliest to be found without the others)."""
        if not self.other_parts(parsed):
            room = matched_all + self.deleted()
            for word in words:
                terms = self.compiler.query_terms(word.text) if _anywhere(word) else []
                if len(terms) == 1 and self.searcher.doc_freq("body", terms[0][0]) > room:
                    return True
        counts = (
            self.searcher.search(self.with_constraints(parsed, words, [one]), 1).count
            for one in self.compiler.optional_words(sorted(words, key=self.postings))
        )
        return any(count > matched_all for count in counts)

    def postings(self, word: Node) -> int:
        """At most how many posts contain ``word`` (a word or phrase): the document
        frequency of its rarest term."""
        assert isinstance(word, Term | Phrase)
        terms = analysis.analyze(analysis.TEXT, word.text)
        return min((self.searcher.doc_freq("body", term) for term in terms), default=0)

    def deleted(self) -> int:
        """How many deleted documents the index still holds (a term's ``doc_freq`` counts
        them until their segment is merged): every document is of kind post or meta."""
        indexed = sum(self.searcher.doc_freq("kind", kind) for kind in ("post", "meta"))
        return indexed - self.searcher.num_docs

    @staticmethod
    def other_parts(parsed: ParsedQuery) -> list[Node]:
        """The parts of ``parsed`` besides its plain words: filters, negations, …"""
        children = parsed.node.children if isinstance(parsed.node, And) else (parsed.node,)
        return [child for child in children if child not in plain_words(parsed.node)]

    def relaxed(self, parsed: ParsedQuery, words: list[Node]) -> tantivy.Query:
        """The query with its plain words made optional (at least one must match)."""
        return self.with_constraints(parsed, words, self.compiler.optional_words(words))

    def with_constraints(
        self, parsed: ParsedQuery, words: list[Node], optional: list[tantivy.Query]
    ) -> tantivy.Query:
        """``optional`` (at least one must match) in place of the plain ``words`` of
        ``parsed``, which keeps its other parts (filters, negations) as they were."""
        rest = self.other_parts(parsed)
        required = self.compiler.node(And(tuple(rest))) if rest else None
        clauses = [(Should, q) for q in optional]
        query = tantivy.Query.boolean_query(clauses) if clauses else None
        if required is not None:
            query = tantivy.Query.boolean_query(
                [(Must, required)] + ([(Must, query)] if query else [])
            )
        return self.compiler.within_posts(query)

    def expanded(
        self, parsed: ParsedQuery, query: tantivy.Query, words: list[Node], feedback: Feedback
    ) -> tuple[tantivy.Query, list[str]] | None:
        """RM3: the plain words, weighted, plus the terms of the relevance model estimated
        from the top ``feedback.docs`` posts of ``query``; and the terms it added."""
        top = self.searcher.search(query, feedback.docs, count=False).hits
        if not top:
            return None
        texts = [" ".join(self.searcher.doc(address)["body"]) for _, address in top]
        model = relevance_model(self.searcher, texts, [score for score, _ in top], feedback)
        spelled = spellings(texts)
        original: dict[str, float] = {}
        variants: dict[str, tuple[str, ...]] = {}
        stop = analysis.stop_terms() if self.compiler.options.stop_words else frozenset()
        for word in words:
            if isinstance(word, Phrase):
                terms = [(t, ()) for t in analysis.analyze(analysis.TEXT, word.text)]
            else:
                assert isinstance(word, Term)
                terms = self.compiler.query_terms(word.text)
            for term, alternatives in terms:
                if term not in stop:
                    original[term] = original.get(term, 0) + 1
                    variants.setdefault(term, alternatives)
        weights = interpolate(original, model, feedback.original_weight)
        optional = []
        for term, weight in sorted(weights.items()):
            word = self.compiler.word_query([(term, variants.get(term, ()))])
            if word is not None:
                optional.append(tantivy.Query.boost_query(word, weight))
        if not optional:
            return None
        added = [spelled.get(term, term) for term in model if term not in original]
        return self.with_constraints(parsed, words, optional), added

    def run(
        self, query: tantivy.Query, sort: SortOrder, offset: int, limit: int, snippets: bool = True
    ) -> Ranking:
        if sort == "relevance":
            result = self.searcher.search(query, limit, offset=offset)
        else:
            order = tantivy.Order.Asc if sort == "date-asc" else tantivy.Order.Desc
            result = self.searcher.search(
                query, limit, offset=offset, order_by_field="published", order=order
            )
        addresses = [address for _, address in result.hits]
        pids = self.searcher.fast_field_values("pid", addresses)
        posts = [
            RankedPost(pid, key if sort == "relevance" else None, address, query)
            for (key, address), pid in zip(result.hits, pids, strict=True)
        ]
        if snippets:
            self.add_snippets(posts)
        return Ranking(total=result.count, posts=posts)

    def add_snippets(self, posts: list[RankedPost]) -> None:
        """Give each post its snippet: the passage of its text where the words of the query
        it was found by stand closest, highlighted (or its opening, if none is there)."""
        generators: dict[int, tantivy.SnippetGenerator] = {}
        for post in posts:
            generator = generators.get(id(post.query))
            if generator is None:
                generator = tantivy.SnippetGenerator.create(
                    self.searcher, post.query, self.index.schema, "body"
                )
                generator.set_max_num_chars(SNIPPET_CHARS)
                generators[id(post.query)] = generator
            # The body's first value is the post's text; the second, its title.
            body = self.searcher.doc(post.address)["body"][0]
            snippet = generator.snippet_from_doc(tantivy.Document(body=body))
            ranges = [(r.start, r.end) for r in snippet.highlighted()]
            post.snippet = highlight(snippet.fragment(), ranges) if ranges else lead(body)

    def related(self, post_id: int, limit: int) -> list[int]:
        """The posts most like post ``post_id``, best first: more like this over the words
        of its text that are rarest in the archive and most frequent in the post."""
        this = self.index.post_query(post_id)
        found = self.searcher.search(this, 1, count=False).hits
        if not found:
            return []
        like = tantivy.Query.more_like_this_query(
            found[0][1],
            min_doc_frequency=1,
            min_term_frequency=1,
            max_query_terms=RELATED_TERMS,
            min_word_length=3,
            stop_words=sorted(analysis.stop_terms()),
        )
        query = tantivy.Query.boolean_query([(Must, like), (MustNot, this)])
        hits = self.searcher.search(query, limit, count=False).hits
        return self.searcher.fast_field_values("pid", [address for _, address in hits])

    def facets(self, query: tantivy.Query) -> dict[str, list[Facet]]:
        """Counts of labels, years, outlets and authors over every post the query matches."""
        aggregation = {
            "labels": {"terms": {"field": "label", "size": FACET_SIZE}},
            "years": {"terms": {"field": "year", "size": 100, "order": {"_key": "desc"}}},
            "outlets": {"terms": {"field": "outlet", "size": FACET_SIZE}},
            "authors": {"terms": {"field": "byline", "size": FACET_SIZE}},
        }
        found = self.searcher.aggregate(query, aggregation)
        return {
            name: [Facet(str(b["key"]), b["doc_count"]) for b in found[name]["buckets"]]
            for name in aggregation
        }

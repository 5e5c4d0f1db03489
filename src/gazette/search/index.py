"""The search index: a tantivy index derived from the store, and how posts become documents.

The index holds one document per published post, plus one ``meta`` document that records
the last change (by sequence number) it has applied and the layout version. The meta
document is written in the same commit as the posts it accounts for, so the checkpoint
can never run ahead of, or fall behind, what the index holds.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import tantivy

from gazette.model import Post
from gazette.search import analysis

LAYOUT_VERSION = 4
"""Bump when the schema or analysis changes: an index of another version is rebuilt."""

WRITER_HEAP = 64_000_000
MAX_LABELS = 10_000
"""The most labels counted for the sidebar and the labels API."""


class IndexCorrupt(Exception):
    """The index on disk cannot be opened or read; it can be rebuilt from the store."""


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("kind", tokenizer_name="raw")
    builder.add_unsigned_field("pid", stored=True, indexed=True, fast=True)
    builder.add_unsigned_field("seq", stored=True)
    builder.add_unsigned_field("version", stored=True)
    builder.add_text_field("title", stored=True, tokenizer_name=analysis.TEXT)
    builder.add_text_field("body", stored=True, tokenizer_name=analysis.TEXT)
    builder.add_text_field("label", fast=True, tokenizer_name="raw")
    builder.add_text_field("label_key", tokenizer_name=analysis.KEYWORD)
    builder.add_text_field("source", tokenizer_name=analysis.NAME)
    builder.add_text_field("author", tokenizer_name=analysis.NAME)
    builder.add_text_field("outlet", fast=True, tokenizer_name="raw")
    builder.add_text_field("byline", fast=True, tokenizer_name="raw")
    builder.add_date_field("published", indexed=True, fast=True)
    builder.add_unsigned_field("day", indexed=True, fast=True)
    builder.add_unsigned_field("year", indexed=True, fast=True)
    return builder.build()


def day_number(day: date) -> int:
    """``date(2023, 2, 16) -> 20230216``: the ``day`` field's encoding of a calendar date."""
    return day.year * 10000 + day.month * 100 + day.day


def searched_text(post: Post) -> str:
    """What search matches and snippets quote: the clips' headlines, datelines and cleaned
    bodies (no bylines, captions, counters or credit lines) when the post has clips, else
    its text."""
    if not post.clips:
        return post.body_text
    return "\n\n".join(
        "\n\n".join(
            part
            for part in (
                clip.headline,
                f"{clip.dateline} — {clip.body}" if clip.dateline else clip.body,
            )
            if part
        )
        for clip in post.clips
    )


def post_document(post: Post) -> tantivy.Document:
    """The index document of a post. Dates are the post's own (local) calendar date."""
    assert post.id is not None, "only stored posts are indexed"
    doc = tantivy.Document(title=post.title, body=searched_text(post), published=post.published)
    # The title again, as the body's second value: ``body`` is the post's whole text, so a
    # word is ranked once over all of it (see gazette.search.ranking).
    doc.add_text("body", post.title)
    doc.add_text("kind", "post")
    doc.add_unsigned("pid", post.id)
    doc.add_unsigned("day", day_number(post.published.date()))
    doc.add_unsigned("year", post.published.year)
    for label in post.labels:
        doc.add_text("label", label)
        doc.add_text("label_key", label)
    authors = {post.author} if post.author else set()
    for outlet in sorted({clip.outlet for clip in post.clips if clip.outlet}):
        doc.add_text("source", outlet)
        doc.add_text("outlet", outlet)
    for clip in post.clips:
        authors.update(clip.authors)
    for author in sorted(authors):
        doc.add_text("author", author)
        doc.add_text("byline", author)
    return doc


class SearchIndex:
    """A tantivy index in a folder. Writing needs the data folder's write lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schema = build_schema()
        try:
            path.mkdir(parents=True, exist_ok=True)
            self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
            self._stamp: tuple[int, int, int] | None = None
            self._writer: tantivy.IndexWriter | None = None
            for name, analyzer in analysis.analyzers().items():
                self.index.register_tokenizer(name, analyzer)
            self._meta = self._read_meta()
        except (OSError, ValueError) as error:
            raise IndexCorrupt(f"search index at {path} cannot be opened ({error})") from error

    @classmethod
    def create_empty(cls, path: Path) -> SearchIndex:
        """Remove whatever is at ``path`` and start a new, empty index there."""
        shutil.rmtree(path, ignore_errors=True)
        return cls(path)

    def _read_meta(self) -> tuple[int, int]:
        """(layout version, last applied change); (LAYOUT_VERSION, 0) for a new index."""
        searcher = self.index.searcher()
        if searcher.num_docs == 0:
            return LAYOUT_VERSION, 0
        hits = searcher.search(tantivy.Query.term_query(self.schema, "kind", "meta"), 1).hits
        if not hits:
            return 0, 0
        fields = searcher.doc(hits[0][1]).to_dict()
        return fields["version"][0], fields["seq"][0]

    @property
    def checkpoint(self) -> int:
        """The sequence number of the last store change this index has applied."""
        return self._meta[1]

    @property
    def up_to_date_layout(self) -> bool:
        return self._meta[0] == LAYOUT_VERSION

    def searcher(self) -> tantivy.Searcher:
        """A searcher over the latest commit, whichever process made it (the reader is
        reloaded only when the index's ``meta.json`` has changed: a stat, not a reload)."""
        try:
            meta = (self.path / "meta.json").stat()  # tantivy replaces it at each commit
            stamp = (meta.st_ino, meta.st_mtime_ns, meta.st_size)
        except OSError:
            stamp = None
        if stamp != self._stamp:
            self.index.reload()
            self._stamp = stamp
        return self.index.searcher()

    def refresh(self) -> None:
        """See commits made since the index was opened (by this or another process)."""
        self.index.reload()
        self._meta = self._read_meta()

    def apply(self, operations: Iterable[Post | int], seq: int, *, clear: bool = False) -> None:
        """Apply ``operations`` and move the checkpoint to ``seq``, in one commit (see
        :meth:`stage`). With ``clear`` the index is emptied first (a rebuild)."""
        self.stage(operations, clear=clear)
        self.commit(seq)

    def stage(self, operations: Iterable[Post | int], *, clear: bool = False) -> None:
        """Add ``operations`` in order to the commit in the making — a Post is (re)indexed,
        an int is the id of a post to remove. Tantivy indexes them in its own thread while
        the caller goes on; readers see nothing of them until :meth:`commit`.

        Replaying the same operations is harmless: each post is deleted by id before it is
        added again.
        """
        writer = self._open_writer()
        try:
            if clear:
                writer.delete_all_documents()
            for operation in operations:
                post_id = operation if isinstance(operation, int) else operation.id
                writer.delete_documents_by_query(self.post_query(post_id))
                if not isinstance(operation, int):
                    writer.add_document(post_document(operation))
        except BaseException:
            self.discard()
            raise

    def _open_writer(self) -> tantivy.IndexWriter:
        """The writer of the commit in the making, opened if there is none."""
        if self._writer is None:
            self._writer = self.index.writer(WRITER_HEAP, 1)
        return self._writer

    def commit(self, seq: int, *, more: bool = False) -> None:
        """Commit what was staged, with the checkpoint moved to ``seq``, atomically. With
        ``more`` (an import that goes on), the writer stays open and tantivy merges segments
        in the background; otherwise the merges are waited for and the writer closed."""
        writer = self._open_writer()
        try:
            writer.delete_documents_by_term("kind", "meta")
            meta = tantivy.Document()
            meta.add_text("kind", "meta")
            meta.add_unsigned("seq", seq)
            meta.add_unsigned("version", LAYOUT_VERSION)
            writer.add_document(meta)
            writer.commit()
        except BaseException:
            self.discard()
            raise
        if not more:
            self._writer = None
            writer.wait_merging_threads()
        self.index.reload()
        self._meta = (LAYOUT_VERSION, seq)

    def discard(self) -> None:
        """Drop what was staged and not committed."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.rollback()
            writer.wait_merging_threads()

    def label_counts(self) -> list[tuple[str, int]]:
        """Posts per label, most used first (an aggregation over the index's columns:
        milliseconds even for a million posts)."""
        buckets = self._aggregate({"terms": {"field": "label", "size": MAX_LABELS}})
        pairs = ((bucket["key"], bucket["doc_count"]) for bucket in buckets)
        return sorted(pairs, key=lambda pair: (-pair[1], pair[0].casefold()))

    def month_counts(self) -> list[tuple[int, int, int]]:
        """Posts per (year, month), newest first (an aggregation, as ``label_counts``)."""
        buckets = self._aggregate(
            {"histogram": {"field": "day", "interval": 100, "min_doc_count": 1}}
        )
        return [
            (int(bucket["key"]) // 10000, int(bucket["key"]) // 100 % 100, bucket["doc_count"])
            for bucket in reversed(buckets)
        ]

    def _aggregate(self, aggregation: dict) -> list[dict]:
        query = tantivy.Query.term_query(self.schema, "kind", "post")
        return self.searcher().aggregate(query, {"counts": aggregation})["counts"]["buckets"]

    def post_query(self, post_id: int) -> tantivy.Query:
        """The query that finds one post's document."""
        # A query, not a term: tantivy-py turns a Python int into an i64 term, which
        # never matches the u64 field.
        return tantivy.Query.term_query(self.schema, "pid", post_id)

    def post_ids(self) -> set[int]:
        """The ids of every post in the index (for drift checks)."""
        searcher = self.searcher()
        query = tantivy.Query.term_query(self.schema, "kind", "post")
        hits = searcher.search(query, max(searcher.num_docs, 1), count=False).hits
        return set(searcher.fast_field_values("pid", [address for _, address in hits]))

    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())

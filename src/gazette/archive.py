"""The archive: the one entry point the CLI and the web use.

An archive is a data folder holding the store (``gazette.db``, the truth) and the search
index (``index/``, derived from the store). Writers hold the folder's write lock; any
number of readers may search while one process writes.
"""

from __future__ import annotations

import fcntl
import functools
import html
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain, islice, repeat
from pathlib import Path

from gazette import ingest
from gazette.clips.stories import fold
from gazette.ingest import Batch, ImportFailure, jsonl, webpage, worker
from gazette.model import (
    Facet,
    Hit,
    ImportSummary,
    Neighbours,
    Post,
    PostSummary,
    SearchResult,
    SortOrder,
)
from gazette.search.index import IndexCorrupt, SearchIndex
from gazette.search.query import parse, searches_text
from gazette.search.ranking import Feedback
from gazette.search.searcher import RankedPost, Ranking, Searcher
from gazette.store import Store, StoreError

DEFAULT_DATA_DIR = "gazette-data"
DB_NAME = "gazette.db"
INDEX_NAME = "index"
LOCK_NAME = "write.lock"
STREAM_HEAD = 1 << 20
"""Bytes read to tell whether a file can be streamed, and the size of reads when scanning it."""
IMPORT_BATCH = 1000
"""Posts per store transaction during an import (each post is still all-or-nothing). Small
enough that a worker's parsing and this process's storing overlap well (a transaction waits
for its posts to be parsed, then the parser runs on while it is stored)."""
FIRST_BATCH = 200
"""Posts in an import's first transaction: storing starts as soon as a worker has sent them."""
SYNC_EVERY = 50_000
"""During an import the index commits after this many posts (readers then see them); between
commits each transaction's posts are staged in the open writer."""
SYNC_BATCH = 5000
MAX_PER_PAGE = 100
RELATED = 5
"""Related posts shown on a post's page."""

Progress = Callable[[int, int], None]
"""Called with (done, total) as long jobs advance."""


class ArchiveError(Exception):
    """Something a user can fix: the message says what and where."""


class ArchiveBusy(ArchiveError):
    """Another process is writing to the data folder."""


def data_dir_from(option: str | os.PathLike | None = None) -> Path:
    """The data folder: ``option``, else ``$GAZETTE_DATA``, else ``./gazette-data``."""
    return Path(option or os.environ.get("GAZETTE_DATA") or DEFAULT_DATA_DIR)


@dataclass
class Stats:
    data_dir: Path
    posts: int
    drafts: int
    pages: int
    labels: int
    clips: int
    stories: int
    """Stories with two or more versions among the clips."""
    clips_in_stories: int
    comments: int
    attachments: int
    import_runs: int
    last_change: int
    index_checkpoint: int
    index_posts: int
    missing_from_index: int
    extra_in_index: int
    db_bytes: int
    index_bytes: int

    @property
    def drift(self) -> bool:
        return bool(
            self.missing_from_index
            or self.extra_in_index
            or self.index_checkpoint != self.last_change
        )


class Archive:
    """A data folder: the store, the search index kept in step with it, and the write lock."""

    def __init__(self, data_dir: Path, store: Store) -> None:
        self.data_dir = data_dir
        self.store = store
        self._index: SearchIndex | None = None
        self._staged: int | None = None
        """The last change staged in the index's next commit, while an import runs."""
        self._lock_file = None
        self.notes: list[str] = []

    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None, *, create: bool = False) -> Archive:
        """Open the archive in ``data_dir``; with ``create``, make it if it is not there.

        The index is brought up to date with the store when it is behind and no other
        process is writing (a reader that finds it up to date takes no lock).
        """
        path = data_dir_from(data_dir)
        if not (path / DB_NAME).exists():
            if not create:
                raise ArchiveError(
                    f"no archive in {path}: run 'gazette init' or 'gazette import FILE' first"
                )
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise ArchiveError(f"cannot create data folder {path}: {error.strerror}") from None
        elif not path.is_dir():
            raise ArchiveError(f"{path} is not a folder")
        try:
            archive = cls(path, Store(path / DB_NAME))
        except StoreError as error:
            raise ArchiveError(str(error)) from None
        if archive.index_behind():
            with suppress(ArchiveBusy):
                archive.sync()
        return archive

    def close(self) -> None:
        self._release_lock()
        self.store.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the write lock -------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the data folder's write lock (re-entrant within this archive)."""
        if self._lock_file is not None:
            yield
            return
        lock_path = self.data_dir / LOCK_NAME
        handle = open(lock_path, "a+")  # noqa: SIM115 - held for the duration of the block
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise ArchiveBusy(
                f"data folder {self.data_dir} is being written by another Gazette process "
                f"(pid {holder}); try again when it has finished"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock_file = handle
        try:
            yield
        finally:
            self._release_lock()

    def _release_lock(self) -> None:
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    # -- the index ------------------------------------------------------------------------

    @property
    def index(self) -> SearchIndex:
        """The search index, opened (or rebuilt, if it is missing or corrupt) on first use."""
        if self._index is None:
            path = self.data_dir / INDEX_NAME
            try:
                self._index = SearchIndex(path)
            except IndexCorrupt as error:
                self.notes.append(f"{error}; rebuilding it from the store")
                with self.writing():
                    self._index = SearchIndex.create_empty(path)
                    self._rebuild()
        return self._index

    def index_behind(self) -> bool:
        """Whether the index lacks changes from the store, or has another layout."""
        index = self.index
        index.refresh()
        return not index.up_to_date_layout or index.checkpoint != self.store.last_seq()

    def sync(self, progress: Progress | None = None, *, more: bool = False) -> int:
        """Apply the store's changes that the index has not seen; returns how many. With
        ``more`` (an import that goes on) the index's writer stays open."""
        with self.writing():
            staged = self._stage(progress)
            if staged is None:
                return 0  # the index was rebuilt
            applied = staged - self.index.checkpoint
            self.index.commit(staged, more=more)
            self._staged = None
            return applied

    def _stage(
        self, progress: Progress | None = None, stored: Mapping[int, Post] | None = None
    ) -> int | None:
        """Stage the store's changes the index has not seen in the index's next commit
        (tantivy indexes them in its own thread); returns the last change staged, or None
        when the index had to be rebuilt instead (and is up to date). ``stored`` are posts
        as just written to the store, by id: they are indexed as they are instead of being
        read back (an import's transaction)."""
        index = self.index
        if self._staged is None:
            index.refresh()
            if not index.up_to_date_layout or index.checkpoint > self.store.last_seq():
                self.notes.append("search index is out of date; rebuilding it from the store")
                self._rebuild(progress)
                return None
        start = self._staged if self._staged is not None else index.checkpoint
        target = self.store.last_seq()

        known = stored or {}

        def operations() -> Iterator[Post | int]:
            seq = start
            while changes := self.store.changes_since(seq, SYNC_BATCH):
                latest = {change.post_id: change.op for change in changes}
                upserted = [i for i, op in latest.items() if op == "upsert"]
                found = {i: known[i] for i in upserted if i in known}
                found |= self.store.get_many([i for i in upserted if i not in known])
                for post_id in latest:
                    post = found.get(post_id)
                    yield post if post is not None and post.listed else post_id
                seq = changes[-1].seq
                if progress:
                    progress(seq - start, target - start)

        if target > start:
            index.stage(operations())
        self._staged = target
        return target

    def _discard_staged(self) -> None:
        """Forget changes staged and not committed (an import that stopped half-way), and
        close the index's writer."""
        self._staged = None
        if self._index is not None:
            self._index.discard()

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the search index from the store; returns the number of posts indexed."""
        with self.writing():
            if self._index is None:
                path = self.data_dir / INDEX_NAME
                try:
                    self._index = SearchIndex(path)
                except IndexCorrupt:
                    self._index = SearchIndex.create_empty(path)
            return self._rebuild(progress)

    def _rebuild(self, progress: Progress | None = None) -> int:
        """Replace the index's contents with every published post, in one commit."""
        assert self._index is not None
        seq = self.store.last_seq()
        total = self.store.count()
        done = 0

        def posts() -> Iterator[Post]:
            nonlocal done
            for post in self.store.iter_published():
                yield post
                done += 1
                if progress and (done % 500 == 0 or done == total):
                    progress(done, total)

        self._index.apply(posts(), seq, clear=True)
        if progress:
            progress(total, total)
        return done

    # -- writing posts --------------------------------------------------------------------

    def import_file(
        self,
        path: str | os.PathLike,
        format_name: str | None = None,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Import one file: parse it, then store its posts (each all-or-nothing) and index them.

        A JSON Lines file is read a line at a time as its posts are stored, so its size does
        not matter; a large file of another format is parsed in a worker process while its
        posts are stored (``ingest.worker``), a small one here, first. Raises ImportFailure
        when the file as a whole cannot be read or parsed; then nothing is written.
        """
        source = str(path)
        with source_errors(path):
            handle = Path(path).open("rb")  # noqa: SIM115 - closed by the block below
        with handle:
            with source_errors(path):
                head = handle.read(STREAM_HEAD)
                if format_name:
                    ingest.importer(format_name, source)
                streamed = (format_name or _stream_format(head)) == jsonl.FORMAT
                if streamed:
                    handle.seek(0)
                    total = jsonl.scan(iter(lambda: handle.read(STREAM_HEAD), b""), source)
                    handle.seek(0)
                else:
                    data = head + handle.read()
            if streamed:
                batch = jsonl.stream(handle, source, total)
                return self.import_batch(
                    batch, source=source, format_name=jsonl.FORMAT, progress=progress
                )
        name = format_name or ingest.detect_format(data, source)
        if len(data) >= worker.PARALLEL_BYTES:
            del data
            batch = worker.parse(Path(path), name, source)
        else:
            batch = ingest.importer(name, source).parse(data, source)
            del data  # not needed while the posts are stored
            if name in ingest.CLIPPING_FORMATS:
                batch.total = len(batch.posts)
                batch.posts = map(ingest.with_clips, batch.posts)
        return self.import_batch(batch, source=source, format_name=name, progress=progress)

    def clip(self, source: str, into: int | None = None) -> ImportSummary:
        """Clip a web page (a URL, or a saved HTML file) as a new post, or add it to post
        ``into`` as one more clipped article (a page clipped there before is left as is)."""
        is_url = source.startswith(("http://", "https://"))
        data = webpage.fetch(source) if is_url else read_source(Path(source))
        batch = webpage.parse(data, source)
        if into is None:
            return self.import_batch(batch, source=source, format_name=webpage.FORMAT)
        target = self.get(into)
        if target is None:
            raise ArchiveError(f"no post {into} to clip into")
        (page,) = batch.posts
        clip = page.clips[0]
        if clip.url and any(existing.url == clip.url for existing in target.clips):
            return ImportSummary(source=source, format=webpage.FORMAT, unchanged=1)
        clip.position = len(target.clips)
        target.clips.append(clip)
        target.body_text = f"{target.body_text}\n\n{clip.headline}\n\n{clip.body}".strip()
        heading = f"<h2>{html.escape(clip.headline, quote=False)}</h2>"
        target.body_html = f"{target.body_html}\n{heading}\n{page.body_html}".strip()
        return self.import_batch(
            Batch(posts=[target], warnings=batch.warnings),
            source=source,
            format_name=webpage.FORMAT,
        )

    def import_posts(
        self,
        posts: Iterable[Post],
        *,
        source: str,
        format_name: str,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Store ``posts`` (one failing post fails alone), then index them; an iterator is
        consumed a transaction's worth at a time."""
        return self.import_batch(
            Batch(posts=posts), source=source, format_name=format_name, progress=progress
        )

    def import_batch(
        self, batch: Batch, *, source: str, format_name: str, progress: Progress | None = None
    ) -> ImportSummary:
        """Store what an importer produced in transactions of IMPORT_BATCH posts, each post
        all-or-nothing; sync the index every SYNC_EVERY posts and at the end; record the run
        with its counts. ``batch.posts`` may be an iterator (a stream): it is read a
        transaction's worth at a time, outside the transaction."""
        summary = ImportSummary(source=source, format=format_name)
        started = datetime.now(UTC)
        posts = iter(batch.posts)
        total = len(batch.posts) if isinstance(batch.posts, Sized) else batch.total
        stored = unsynced = 0
        sizes = chain([min(FIRST_BATCH, IMPORT_BATCH)], repeat(IMPORT_BATCH))
        with self.writing():
            try:
                while chunk := list(islice(posts, next(sizes))):
                    written: dict[int, Post] = {}
                    with self.store.transaction():
                        for number, post in enumerate(chunk, stored + 1):
                            if self._store_one(post, number, summary) and post.id is not None:
                                written[post.id] = post
                    stored += len(chunk)
                    unsynced += len(chunk)
                    if unsynced >= SYNC_EVERY:
                        self.sync(more=True)
                        unsynced = 0
                    else:  # indexed by tantivy while the next chunk is stored
                        self._stage(stored=written)
                    if progress and total is not None:
                        progress(batch.read or stored, total)
                self.sync()
            finally:
                self._discard_staged()
            summary.failed += len(batch.failures)
            summary.skipped = len(batch.skipped)
            summary.errors[:0] = batch.failures
            summary.warnings = list(batch.warnings)
            with self.store.transaction():
                for attachment in batch.attachments:
                    self.store.upsert_attachment(attachment, source)
                self.store.record_import(summary, started)
        if progress and total is not None:
            progress(total, total)
        return summary

    def _store_one(self, post: Post, number: int, summary: ImportSummary) -> bool:
        """Store one post, all or nothing, and count the outcome; True if it was written
        (added or updated: ``post`` is then as stored, with its id)."""
        try:
            with self.store.savepoint():
                outcome, _ = self.store.upsert(post)
        except Exception as error:  # one bad item must not stop the others
            summary.failed += 1
            summary.errors.append(f"{summary.source}: item {number} ({post.title!r}): {error}")
            return False
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        return outcome != "unchanged"

    def delete(self, post_id: int) -> bool:
        with self.writing():
            with self.store.transaction():
                deleted = self.store.delete(post_id)
            self.sync()
        return deleted

    # -- reading --------------------------------------------------------------------------

    def get(self, post_id: int) -> Post | None:
        return self.store.get(post_id)

    def get_by_path(self, path: str) -> Post | None:
        return self.store.get_by_path(path)

    def list_posts(self, page: int = 1, per_page: int = 20) -> list[PostSummary]:
        """Published posts, newest first, a page at a time."""
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        return self.store.list_posts(offset=(max(page, 1) - 1) * per_page, limit=per_page)

    def neighbours(self, post_id: int, limit: int = RELATED) -> Neighbours:
        """The other versions of a post's clips (listed posts', newest first), and the
        ``limit`` published posts most like it (more like this over their text), best first,
        leaving out those already shown as versions."""
        versions = self.store.versions(post_id)
        shown = {v.post.id for found in versions.values() for v in found}
        ids = Searcher(self.index).related(post_id, limit + len(shown))
        ids = [other for other in ids if other not in shown][:limit]
        found = self.store.summaries(ids)
        return Neighbours(versions, [found[other] for other in ids if other in found])

    def label_counts(self) -> list[Facet]:
        """Labels of published posts with their counts, most used first."""
        return [Facet(name, count) for name, count in self.index.label_counts()]

    def month_counts(self) -> list[tuple[int, int, int]]:
        """(year, month, count) of published posts, newest month first."""
        return self.index.month_counts()

    def search(
        self,
        query: str,
        *,
        sort: SortOrder = "relevance",
        page: int = 1,
        per_page: int = 10,
        facets: bool = True,
        related: bool = False,
    ) -> SearchResult:
        """Search published posts. Never raises on what the reader typed.

        By relevance, the posts that match every plain word come first, then those that
        match only some of them (``Hit.matches_all`` tells which); by date, only the
        posts that match every word (or, if none does, those that match some). With
        ``related``, relevance ranking also searches for words from the best matches
        (pseudo-relevance feedback, RM3).
        """
        parsed = parse(query)
        page = max(page, 1)
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        offset = (page - 1) * per_page
        searcher = Searcher(self.index)
        rank = functools.partial(
            searcher.search,
            parsed,
            sort=sort,
            facets=facets,
            complete=True,
            feedback=Feedback() if related else None,
        )
        counted: int | None = None
        if searches_text(parsed.node) and self.store.has_stories():
            ranking, entries, counted = self._folded(rank, offset, per_page)
            searcher.add_snippets([ranked for ranked, _ in entries])
            first = 0  # the ranking starts at the top
        else:
            ranking = rank(offset=offset, limit=per_page)
            entries = [(ranked, []) for ranked in ranking.posts]
            first = offset
        ids = [ranked.post_id for ranked, folded in entries for ranked in (ranked, *folded)]
        found = self.store.summaries(ids)
        matched_all = ranking.total if ranking.matched_all is None else ranking.matched_all
        rank_of = {ranked.post_id: n for n, ranked in enumerate(ranking.posts, first)}
        hits = [
            Hit(
                id=ranked.post_id,
                title=found[ranked.post_id].title,
                published=found[ranked.post_id].published,
                labels=found[ranked.post_id].labels,
                snippet=ranked.snippet,
                url=found[ranked.post_id].path,
                score=ranked.score,
                matches_all=not ranking.partial and rank_of[ranked.post_id] < matched_all,
                versions=[found[other.post_id] for other in folded if other.post_id in found],
            )
            for ranked, folded in entries
            if ranked.post_id in found
        ]
        notes = list(parsed.notes) + ranking.notes
        if parsed.node is None and query.strip():
            notes.append("Nothing to search for in that query; showing all posts.")
        return SearchResult(
            query=query,
            sort=sort,
            total=ranking.total,
            page=page,
            per_page=per_page,
            hits=hits,
            notes=notes,
            partial=ranking.partial,
            matched_all=0 if ranking.partial else matched_all,
            more=ranking.more,
            facets=ranking.facets,
            entries=counted,
        )

    def _folded(
        self, rank: Callable[..., Ranking], offset: int, per_page: int
    ) -> tuple[Ranking, list[tuple[RankedPost, list[RankedPost]]], int]:
        """The page of results at ``offset`` once versions of one story are folded under
        the best of them: ranks from the top, widening until the page is full. Also the
        number of entries: exact when every match was ranked, else those ranked plus the
        posts not ranked yet (a page is then known to follow this one)."""
        window = offset + 2 * per_page
        ranking = rank(offset=0, limit=window, snippets=False)
        stories_of: dict[int, list[int | None]] = {}
        while True:
            by_id = {ranked.post_id: ranked for ranked in ranking.posts}
            stories_of |= self.store.stories_of([i for i in by_id if i not in stories_of])
            entries = fold(list(by_id), stories_of)
            if len(entries) > offset + per_page or len(ranking.posts) < window:
                break
            window *= 4
            facets = ranking.facets  # counted over all the matches: the same for any window
            ranking = rank(offset=0, limit=window, snippets=False, facets=False)
            ranking.facets = facets
        page = [
            (by_id[post], [by_id[other] for other in folded])
            for post, folded in entries[offset : offset + per_page]
        ]
        return ranking, page, len(entries) + ranking.total - len(ranking.posts)

    def stats(self) -> Stats:
        counts = self.store.table_counts()
        stored = self.store.published_ids()
        indexed = self.index.post_ids()
        return Stats(
            data_dir=self.data_dir,
            posts=len(stored),
            drafts=self.store.count("draft"),
            pages=self.store.count(kind="page"),
            labels=counts["labels"],
            clips=counts["clips"],
            stories=counts["stories"],
            clips_in_stories=counts["clips_in_stories"],
            comments=counts["comments"],
            attachments=counts["attachments"],
            import_runs=counts["import_runs"],
            last_change=self.store.last_seq(),
            index_checkpoint=self.index.checkpoint,
            index_posts=len(indexed),
            missing_from_index=len(stored - indexed),
            extra_in_index=len(indexed - stored),
            db_bytes=(self.data_dir / DB_NAME).stat().st_size,
            index_bytes=self.index.size_bytes(),
        )


def _stream_format(head: bytes) -> str | None:
    """``jsonl`` if a file starting with ``head`` is JSON Lines: its whole lines tell, and
    the detection of the whole file would say the same; else None (then the whole file is
    read and detected)."""
    whole = head if len(head) < STREAM_HEAD else head[: head.rfind(b"\n") + 1]
    return jsonl.FORMAT if jsonl.sniff(whole) else None


def read_source(path: Path) -> bytes:
    """The bytes of an import file, or an ImportFailure that says what is wrong with it."""
    with source_errors(path):
        return path.read_bytes()


@contextmanager
def source_errors(path: str | os.PathLike) -> Iterator[None]:
    """Turn a failure to open or read an import file into an ImportFailure that says what
    is wrong with it."""
    try:
        yield
    except FileNotFoundError:
        raise ImportFailure(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFailure(f"{path}: is a folder, not a file") from None
    except PermissionError:
        raise ImportFailure(f"{path}: permission denied") from None
    except OSError as error:
        raise ImportFailure(f"{path}: cannot be read ({error.strerror})") from None

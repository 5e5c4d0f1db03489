"""The source of truth: posts, labels, clips, import runs and the change log in SQLite."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from gazette.model import Attachment, Clip, Comment, ImportSummary, Post, PostSummary, Version
from gazette.store.schema import MIGRATIONS
from gazette.store.sql import marks, select_in
from gazette.store.stories import StoryGroups

Outcome = Literal["added", "updated", "unchanged"]


class StoreError(Exception):
    """The database cannot be opened or used; the message says why."""


@dataclass(frozen=True)
class Change:
    seq: int
    post_id: int
    op: Literal["upsert", "delete"]


_POST_COLUMNS = (
    "id, uid, path, slug, title, body_html, body_text, published, updated, status, kind, author, "
    "origin_format, origin_url, source_path"
)
_LISTED = "posts.status = 'published' AND posts.kind = 'post'"
"""The posts readers see in lists, archives, feeds and search (see ``Post.listed``)."""


CACHE_KIB = 64 * 1024
"""SQLite's page cache per connection (its default is 2 MiB): big imports write story band
keys and labels all over their tables' B-trees."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class Store:
    """One SQLite file in WAL mode. Writes go through :meth:`transaction`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 5000")
            self.db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            # Each imported post is a savepoint, whose statement journal would otherwise be a
            # temporary file: in memory, an import stores posts ~20% faster.
            self.db.execute("PRAGMA temp_store = MEMORY")
            self.stories = StoryGroups(self.db)
            self._labels: dict[str, tuple[int, str]] = {}
            self._migrate()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{path}: not a Gazette database ({error})") from error

    def close(self) -> None:
        self.db.close()

    def _migrate(self) -> None:
        (version,) = self.db.execute("PRAGMA user_version").fetchone()
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: written by a newer Gazette (schema {version}, "
                f"this version knows {len(MIGRATIONS)}); upgrade Gazette"
            )
        if version == len(MIGRATIONS):
            return
        scripts = "".join(MIGRATIONS[version:])
        try:
            self.db.executescript(
                f"BEGIN IMMEDIATE; {scripts}; PRAGMA user_version = {len(MIGRATIONS)}; COMMIT;"
            )
        except sqlite3.Error:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        with self.transaction():
            pass  # the clips of an older archive are grouped into stories as it commits

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction: all of it commits, or none of it. The clips it wrote are
        grouped into stories before it commits."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.stories.group_new()
        except BaseException:
            self.db.execute("ROLLBACK")
            self._labels.clear()
            raise
        self.db.execute("COMMIT")

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested all-or-nothing step inside a transaction (one imported item)."""
        self.db.execute("SAVEPOINT item")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK TO item")
            self.db.execute("RELEASE item")
            self._labels.clear()
            raise
        self.db.execute("RELEASE item")

    # -- writing -------------------------------------------------------------------------

    def upsert(self, post: Post) -> tuple[Outcome, int]:
        """Insert ``post`` or update the post with its ``uid``; call inside a transaction.
        ``post`` becomes the post as stored: its id, a slug made unique, its labels stripped
        and each once."""
        digest = post.content_hash()
        row = self.db.execute(
            "SELECT id, content_hash, path FROM posts WHERE uid = ?", (post.uid,)
        ).fetchone()
        if row and row[1] == digest:
            return "unchanged", row[0]
        if row and ":" not in row[1] and row[1] == post.first_content_hash():
            self.db.execute("UPDATE posts SET content_hash = ? WHERE id = ?", (digest, row[0]))
            return "unchanged", row[0]  # stored by an earlier Gazette, with the first form
        now = _now()
        values = {
            "uid": post.uid,
            "slug": post.slug,
            "title": post.title,
            "body_html": post.body_html,
            "body_text": post.body_text,
            "published": post.published.isoformat(),
            "published_ts": int(post.published.timestamp()),
            "updated": _iso(post.updated),
            "status": post.status,
            "kind": post.kind,
            "author": post.author,
            "origin_format": post.origin_format,
            "origin_url": post.origin_url,
            "source_path": post.source_path,
            "content_hash": digest,
            "modified_at": now,
        }
        if row:
            post_id = row[0]
            self._claim_path(post, post_id)
            values |= {"slug": post.slug, "path": post.path}
            assignments = ", ".join(f"{name} = :{name}" for name in values)
            self.db.execute(
                f"UPDATE posts SET {assignments} WHERE id = :id", values | {"id": post_id}
            )
            outcome: Outcome = "updated"
        else:
            self._claim_path(post, None)
            values |= {"slug": post.slug, "path": post.path, "created_at": now}
            names = ", ".join(values)
            placeholders = ", ".join(f":{name}" for name in values)
            cursor = self.db.execute(f"INSERT INTO posts ({names}) VALUES ({placeholders})", values)
            post_id = cursor.lastrowid
            outcome = "added"
        if outcome == "updated":
            self.stories.remove(self._clip_ids(post_id))
            for table in ("post_labels", "clips", "comments"):
                self.db.execute(f"DELETE FROM {table} WHERE post_id = ?", (post_id,))
        self._write_labels(post_id, post)
        self._write_clips(post_id, post.clips)
        self._write_comments(post_id, post.comments)
        self._log(post_id, "upsert")
        post.id = post_id
        return outcome, post_id

    def delete(self, post_id: int) -> bool:
        """Delete a post; returns False if there was none. Call inside a transaction."""
        self.stories.remove(self._clip_ids(post_id))
        deleted = self.db.execute("DELETE FROM posts WHERE id = ?", (post_id,)).rowcount
        if deleted:
            self._log(post_id, "delete")
        return bool(deleted)

    def _clip_ids(self, post_id: int) -> list[int]:
        return [
            row[0] for row in self.db.execute("SELECT id FROM clips WHERE post_id = ?", (post_id,))
        ]

    def _claim_path(self, post: Post, post_id: int | None) -> None:
        """Make ``post.path`` unique: add ``-2``, ``-3``... to the slug if another post has it."""
        base, n = post.slug, 1
        while True:
            row = self.db.execute("SELECT id FROM posts WHERE path = ?", (post.path,)).fetchone()
            if row is None or row[0] == post_id:
                return
            n += 1
            post.slug = f"{base}-{n}"

    def _write_labels(self, post_id: int, post: Post) -> None:
        """Write the post's labels, each once (in any case), named as the archive first
        spelled them: ``post.labels`` becomes the list as stored."""
        rows: dict[int, str] = {}
        seen = set()
        for name in (label.strip() for label in post.labels):
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                label_id, stored = self._label(name)
                rows.setdefault(label_id, stored)
        post.labels = list(rows.values())
        self.db.executemany(
            "INSERT INTO post_labels (post_id, label_id, position) VALUES (?, ?, ?)",
            [(post_id, label_id, position) for position, label_id in enumerate(rows)],
        )

    def _label(self, name: str) -> tuple[int, str]:
        """The id and name of the label ``name`` (any case), created if it is new. Labels are
        never deleted, so they are remembered (and forgotten when a write rolls back)."""
        found = self._labels.get(name)
        if found is None:
            found = self.db.execute(
                "SELECT id, name FROM labels WHERE name = ?", (name,)
            ).fetchone()
            if found is None:
                cursor = self.db.execute("INSERT INTO labels (name) VALUES (?)", (name,))
                found = (cursor.lastrowid, name)
            self._labels[name] = found
        return found

    def _write_clips(self, post_id: int, clips: Iterable[Clip]) -> None:
        self.db.executemany(
            "INSERT INTO clips (post_id, position, headline, body, outlet, authors, published, "
            "updated, dateline, url, captions, credits) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    post_id,
                    clip.position,
                    clip.headline,
                    clip.body,
                    clip.outlet,
                    json.dumps(clip.authors, ensure_ascii=False),
                    _iso(clip.published),
                    _iso(clip.updated),
                    clip.dateline,
                    clip.url,
                    json.dumps(clip.captions, ensure_ascii=False),
                    json.dumps(clip.credits, ensure_ascii=False),
                )
                for clip in clips
            ],
        )

    def _write_comments(self, post_id: int, comments: Iterable[Comment]) -> None:
        self.db.executemany(
            "INSERT INTO comments (post_id, position, uid, author, author_url, published, status, "
            "body_html, body_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    post_id,
                    position,
                    c.uid,
                    c.author,
                    c.author_url,
                    _iso(c.published),
                    c.status,
                    c.body_html,
                    c.body_text,
                )
                for position, c in enumerate(comments)
            ],
        )

    def upsert_attachment(self, attachment: Attachment, source: str) -> None:
        """Record a file a source refers to (by its uid; a second import replaces it)."""
        self.db.execute(
            "INSERT OR REPLACE INTO attachments (uid, url, title, mime_type, parent_uid, source) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (attachment.uid, attachment.url, attachment.title, attachment.mime_type,
             attachment.parent_uid, source),
        )  # fmt: skip

    def _log(self, post_id: int, op: str) -> None:
        self.db.execute(
            "INSERT INTO changes (post_id, op, at) VALUES (?, ?, ?)", (post_id, op, _now())
        )

    def record_import(self, summary: ImportSummary, started: datetime) -> None:
        self.db.execute(
            "INSERT INTO import_runs (source, format, started, finished, added, updated, "
            "unchanged, skipped, failed, errors, warnings) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                summary.source,
                summary.format,
                started.isoformat(timespec="seconds"),
                _now(),
                summary.added,
                summary.updated,
                summary.unchanged,
                summary.skipped,
                summary.failed,
                json.dumps(summary.errors, ensure_ascii=False),
                json.dumps(summary.warnings, ensure_ascii=False),
            ),
        )

    # -- reading -------------------------------------------------------------------------

    def get(self, post_id: int) -> Post | None:
        return self.get_many([post_id]).get(post_id)

    def get_by_path(self, path: str) -> Post | None:
        row = self.db.execute(
            f"SELECT {_POST_COLUMNS} FROM posts WHERE path = ?", (path,)
        ).fetchone()
        return self._posts([row])[0] if row else None

    def get_many(self, post_ids: list[int]) -> dict[int, Post]:
        """The posts with these ids (those that exist), with labels, clips and comments."""
        query = f"SELECT {_POST_COLUMNS} FROM posts WHERE id IN ({{marks}})"
        return {post.id: post for post in self._posts(select_in(self.db, query, post_ids))}

    def _posts(self, rows: list[tuple]) -> list[Post]:
        """Posts from ``posts`` rows, their labels, clips and comments read in one go."""
        ids = [row[0] for row in rows]
        labels = self.labels_of(ids)
        clips = self._clips(ids)
        comments = self._comments(ids)
        return [
            Post(
                id=post_id,
                uid=uid,
                slug=slug,
                title=title,
                body_html=body_html,
                body_text=body_text,
                published=datetime.fromisoformat(published),
                updated=_date(updated),
                status=status,
                kind=kind,
                author=author,
                origin_format=origin_format,
                origin_url=origin_url,
                source_path=source_path,
                labels=labels[post_id],
                clips=clips.get(post_id, []),
                comments=comments.get(post_id, []),
            )
            for (post_id, uid, _path, slug, title, body_html, body_text, published, updated,
                 status, kind, author, origin_format, origin_url, source_path) in rows
        ]  # fmt: skip

    def _clips(self, post_ids: list[int]) -> dict[int, list[Clip]]:
        found: dict[int, list[Clip]] = {}
        if not post_ids:
            return found
        rows = self.db.execute(
            "SELECT post_id, position, headline, body, outlet, authors, published, updated, "
            f"dateline, url, story_id, captions, credits FROM clips "
            f"WHERE post_id IN ({marks(post_ids)}) "
            "ORDER BY post_id, position",
            post_ids,
        )
        for (post_id, position, headline, body, outlet, authors, published, updated, dateline,
             url, story_id, captions, credits) in rows:  # fmt: skip
            found.setdefault(post_id, []).append(
                Clip(
                    position=position,
                    headline=headline,
                    body=body,
                    outlet=outlet,
                    authors=json.loads(authors),
                    published=_date(published),
                    updated=_date(updated),
                    dateline=dateline,
                    url=url,
                    story_id=story_id,
                    captions=json.loads(captions),
                    credits=json.loads(credits),
                )
            )
        return found

    def _comments(self, post_ids: list[int]) -> dict[int, list[Comment]]:
        found: dict[int, list[Comment]] = {}
        if not post_ids:
            return found
        rows = self.db.execute(
            "SELECT post_id, uid, body_html, body_text, author, author_url, published, status "
            f"FROM comments WHERE post_id IN ({marks(post_ids)}) ORDER BY post_id, position",
            post_ids,
        )
        for post_id, uid, body_html, body_text, author, author_url, published, status in rows:
            found.setdefault(post_id, []).append(
                Comment(uid, body_html, body_text, author, author_url, _date(published), status)
            )
        return found

    def labels_of(self, post_ids: list[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {post_id: [] for post_id in post_ids}
        if not post_ids:
            return found
        rows = self.db.execute(
            f"SELECT pl.post_id, l.name FROM post_labels pl JOIN labels l ON l.id = pl.label_id "
            f"WHERE pl.post_id IN ({marks(post_ids)}) ORDER BY pl.post_id, pl.position",
            post_ids,
        )
        for post_id, name in rows:
            found[post_id].append(name)
        return found

    def summaries(self, post_ids: list[int]) -> dict[int, PostSummary]:
        """Titles, paths, dates and labels of these posts, in one round trip each."""
        if not post_ids:
            return {}
        rows = self.db.execute(
            f"SELECT id, title, path, published FROM posts WHERE id IN ({marks(post_ids)})",
            post_ids,
        ).fetchall()
        labels = self.labels_of([row[0] for row in rows])
        return {
            post_id: PostSummary(
                post_id, title, path, datetime.fromisoformat(published), labels[post_id]
            )
            for post_id, title, path, published in rows
        }

    def has_stories(self) -> bool:
        """Whether any clip has a version elsewhere."""
        found = self.db.execute("SELECT 1 FROM clips WHERE story_id IS NOT NULL LIMIT 1")
        return found.fetchone() is not None

    def stories_of(self, post_ids: list[int]) -> dict[int, list[int | None]]:
        """The story of each clip of these posts (None for a clip with no other version)."""
        found: dict[int, list[int | None]] = {post_id: [] for post_id in post_ids}
        query = "SELECT post_id, story_id FROM clips WHERE post_id IN ({marks})"
        for post_id, story in select_in(self.db, query, post_ids):
            found[post_id].append(story)
        return found

    def versions(self, post_id: int) -> dict[int, list[Version]]:
        """For each clip of a post (by position), the listed posts' clips of its story,
        newest first."""
        rows = self.db.execute(
            "SELECT mine.position, other.headline, other.outlet, posts.id "
            "FROM clips mine JOIN clips other ON other.story_id = mine.story_id "
            "JOIN posts ON posts.id = other.post_id "
            f"WHERE mine.post_id = ? AND other.post_id != mine.post_id AND {_LISTED} "
            "ORDER BY mine.position, posts.published_ts DESC, other.id",
            (post_id,),
        ).fetchall()
        posts = self.summaries(list({row[3] for row in rows}))
        found: dict[int, list[Version]] = {}
        for position, headline, outlet, other in rows:
            found.setdefault(position, []).append(Version(posts[other], headline, outlet))
        return found

    def list_posts(
        self, *, offset: int = 0, limit: int = 20, newest_first: bool = True
    ) -> list[PostSummary]:
        """Published posts by date, a page at a time."""
        order = "DESC" if newest_first else "ASC"
        rows = self.db.execute(
            f"SELECT id FROM posts WHERE {_LISTED} "
            f"ORDER BY published_ts {order}, id {order} LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        ids = [row[0] for row in rows]
        found = self.summaries(ids)
        return [found[post_id] for post_id in ids]

    def count(self, status: str = "published", kind: str = "post") -> int:
        row = self.db.execute(
            "SELECT count(*) FROM posts WHERE status = ? AND kind = ?", (status, kind)
        ).fetchone()
        return row[0]

    def published_ids(self) -> set[int]:
        return {row[0] for row in self.db.execute(f"SELECT id FROM posts WHERE {_LISTED}")}

    def iter_published(self, batch: int = 1000) -> Iterator[Post]:
        """Every published post, with labels and clips, in id order."""
        last = 0
        while True:
            rows = self.db.execute(
                f"SELECT {_POST_COLUMNS} FROM posts WHERE {_LISTED} AND id > ? ORDER BY id LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            yield from self._posts(rows)
            last = rows[-1][0]

    def changes_since(self, seq: int, limit: int = 5000) -> list[Change]:
        rows = self.db.execute(
            "SELECT seq, post_id, op FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)
        )
        return [Change(*row) for row in rows]

    def last_seq(self) -> int:
        row = self.db.execute("SELECT max(seq) FROM changes").fetchone()
        return row[0] or 0

    def table_counts(self) -> dict[str, int]:
        counts = {}
        for table in ("posts", "labels", "clips", "comments", "attachments", "import_runs"):
            counts[table] = self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        counts["stories"], counts["clips_in_stories"] = self.db.execute(
            "SELECT count(DISTINCT story_id), count(story_id) FROM clips"
        ).fetchone()
        return counts

"""Export an archive: JSON Lines, the backup that importing restores exactly, and Markdown
files with front matter, for reading or a static site.

Both hold every post (published, drafts and pages) as one consistent snapshot of the
store, even while another process writes to it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from gazette.archive import Archive
from gazette.ingest.jsonl import HEADER, SAFE_SLUG, VERSION
from gazette.model import Attachment, Post

_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
"""Characters JSON leaves as they are but YAML reads as line breaks or rejects."""


def export_jsonl(archive: Archive, out: TextIO) -> int:
    """Write a header line, every post in id order, then every attachment, one JSON object
    a line (see :mod:`gazette.ingest.jsonl`); returns the number of posts."""
    exported = datetime.now(UTC).isoformat(timespec="seconds")
    _write_line(out, {"type": HEADER, "version": VERSION, "exported": exported})
    count = 0
    with _snapshot(archive):
        for post in _all_posts(archive):
            record = asdict(post)
            del record["id"]
            _write_line(out, {"type": "post", **record})
            count += 1
        rows = archive.store.db.execute(
            "SELECT uid, url, title, mime_type, parent_uid FROM attachments ORDER BY uid"
        )
        for row in rows:
            _write_line(out, {"type": "attachment", **asdict(Attachment(*row))})
    return count


def export_markdown(archive: Archive, folder: Path) -> int:
    """Write each post to ``folder/YYYY/MM/slug.md`` (its address on the blog): front matter,
    then its text; returns the number of posts."""
    count = 0
    with _snapshot(archive):
        for post in _all_posts(archive):
            if not SAFE_SLUG.fullmatch(post.slug):
                raise ValueError(f"post {post.id}: slug {post.slug!r} is not a safe file name")
            target = folder / f"{post.path.lstrip('/')}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"{_front_matter(post)}\n{post.body_text}\n", encoding="utf-8")
            count += 1
    return count


@contextmanager
def _snapshot(archive: Archive) -> Iterator[None]:
    """A read transaction: every query inside it sees the store as it was at the first."""
    archive.store.db.execute("BEGIN")
    try:
        yield
    finally:
        archive.store.db.execute("COMMIT")


def _all_posts(archive: Archive) -> Iterator[Post]:
    """Every post, draft and page, in id order."""
    ids = [post_id for (post_id,) in archive.store.db.execute("SELECT id FROM posts ORDER BY id")]
    for post_id in ids:
        if (post := archive.store.get(post_id)) is not None:
            yield post


def _write_line(out: TextIO, record: dict[str, Any]) -> None:
    out.write(json.dumps(record, ensure_ascii=False, default=_iso) + "\n")


def _iso(value: object) -> str:
    """JSON for the one type ``json`` does not know here: a datetime, as ISO 8601."""
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__} as JSON")


def _front_matter(post: Post) -> str:
    """YAML front matter, every value written as JSON (which YAML reads as the same value)."""
    fields = {
        "title": post.title,
        "date": post.published.isoformat(),
        "updated": post.updated.isoformat() if post.updated else None,
        "labels": post.labels,
        "status": post.status,
        "kind": post.kind,
        "author": post.author,
        "uid": post.uid,
        "origin": post.origin_url,
    }
    lines = [f"{key}: {_yaml_value(value)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _yaml_value(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match[0]):04x}", text)

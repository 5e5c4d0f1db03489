"""Export and restore: JSON Lines round-trips an archive exactly; Markdown files for reading."""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gazette.archive import Archive
from gazette.export import export_jsonl, export_markdown
from gazette.ingest import blogpage, jsonl
from gazette.ingest.base import Batch, ImportFailure
from gazette.ingest.html import sanitize
from gazette.model import Attachment, Clip, Comment, ImportSummary, Post

KARACHI = timezone(timedelta(hours=5))
RAW_HTML = (
    '<p>Kabul’s “new” order &amp; <a href="https://dawn.com/x" onclick="x()">Dawn</a></p>'
    "<script>alert(1)</script><table><tr><td>cell</td></tr></table><ul><li>one<li>two</ul>"
)


def _post(uid: str, title: str, day: datetime, **fields: Any) -> Post:
    return Post(uid=uid, title=title, published=day, body_text=f"{title}.", **fields)


def _fixture_posts() -> list[Post]:
    clip = Clip(
        position=0,
        headline="Taliban ‘unlikely’ to stop support",
        body="WASHINGTON: Afghanistan’s rulers…",
        outlet="Dawn",
        authors=["Anwar Iqbal", "Staff"],
        published=datetime(2023, 2, 16, 9, 30, tzinfo=KARACHI),
        updated=datetime(2023, 2, 17, tzinfo=UTC),
        dateline="WASHINGTON",
        url="https://www.dawn.com/news/1",
        story_id=7,
    )
    comment = Comment(
        uid="c1",
        body_html=sanitize("<p>Good <b>find</b><img src=x onerror=y></p>"),
        body_text="Good find",
        author="Reader",
        author_url="https://reader.example",
        published=datetime(2023, 2, 18, 8, 0, 5, 123456, tzinfo=UTC),
        status="pending",
    )
    day = datetime(2023, 2, 16, 10, tzinfo=KARACHI)
    return [
        Post(
            uid="wp:1",
            title="Kabul’s new order — Ünïcödé 📰",
            published=day,
            body_text="Kabul’s “new” order & Dawn\n\ncell\n\none\n\ntwo",
            body_html=sanitize(RAW_HTML),
            updated=day + timedelta(days=3),
            labels=["Pakistan", "Taliban", "Ünïcödé"],
            author="Curator",
            origin_format="wordpress",
            origin_url="https://old.example/2023/02/kabul",
            source_path="/imports/old.xml",
            clips=[clip, Clip(position=1, headline="Second clip")],
            comments=[comment],
        ),
        _post("d1", "A draft", day, status="draft", labels=["Taliban"]),
        _post("p1", "About", datetime(2020, 1, 1, tzinfo=UTC), kind="page"),
        _post("s1", "Same title", datetime(2023, 3, 1, tzinfo=UTC), labels=["taliban"]),
        _post("s2", "Same title", datetime(2023, 3, 9, tzinfo=UTC)),
        Post(
            uid="odd",
            title="Line\u2028separators\x85and\x1ecodes",
            published=datetime(2021, 7, 29, 23, 59, 59, tzinfo=timezone(timedelta(hours=-4))),
            body_text="para\u2028graph\r\nwith\x85odd\x1cbreaks\x00and a NUL",
            origin_format="test",
        ),
    ]


ATTACHMENTS = [
    Attachment("att:2", "https://old.example/a.pdf", "Report", "application/pdf", "wp:1"),
    Attachment("att:1", "https://old.example/b.jpg"),
]


@pytest.fixture
def filled(archive: Archive) -> Archive:
    """An archive with posts, drafts, a page, clips, comments, attachments and a slug clash."""
    batch = Batch(posts=_fixture_posts(), attachments=ATTACHMENTS)
    summary = archive.import_batch(batch, source="fixture.xml", format_name="test")
    assert (summary.added, summary.errors) == (6, [])
    return archive


def _export(archive: Archive) -> list[str]:
    out = io.StringIO()
    export_jsonl(archive, out)
    return out.getvalue().split("\n")


def _restore(archive: Archive, path: Path) -> ImportSummary:
    batch = jsonl.parse(path.read_bytes(), str(path))
    return archive.import_batch(batch, source=str(path), format_name=jsonl.FORMAT)


def _posts(archive: Archive) -> list[dict[str, Any]]:
    """Every post as stored (every field but id, dates as ISO text so offsets count too)."""
    ids = [post_id for (post_id,) in archive.store.db.execute("SELECT id FROM posts ORDER BY id")]
    posts = [archive.store.get(post_id) for post_id in ids]
    return [
        json.loads(
            json.dumps(asdict(post) | {"id": None, "path": post.path}, default=datetime.isoformat)
        )
        for post in posts
        if post is not None
    ]


def _rows(archive: Archive) -> dict[str, list[tuple]]:
    """The stored rows of posts, attachments and labels, without row ids, times of writing,
    import source, or content hash (a hash of the labels as imported, not as stored: a label
    is stored in its first spelling, so a post imported with ``taliban`` reads ``Taliban``)."""
    db = archive.store.db
    return {
        "posts": db.execute(
            "SELECT uid, path, slug, title, body_html, body_text, published, published_ts, "
            "updated, status, kind, author, origin_format, origin_url, source_path "
            "FROM posts ORDER BY id"
        ).fetchall(),
        "attachments": db.execute(
            "SELECT uid, url, title, mime_type, parent_uid FROM attachments ORDER BY uid"
        ).fetchall(),
        "labels": db.execute("SELECT name FROM labels ORDER BY name").fetchall(),
    }


def test_export_then_import_into_an_empty_archive_gives_an_identical_archive(
    filled: Archive, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.jsonl"
    with backup.open("w", encoding="utf-8") as out:
        assert export_jsonl(filled, out) == 6
    with Archive.open(tmp_path / "restored", create=True) as restored:
        summary = _restore(restored, backup)
        assert (summary.added, summary.failed, summary.warnings) == (6, 0, [])
        assert _posts(restored) == _posts(filled)
        assert _rows(restored) == _rows(filled)
        assert [p["path"] for p in _posts(restored)][3:5] == [
            "/2023/03/same-title",
            "/2023/03/same-title-2",
        ]
        assert _export(restored)[1:] == _export(filled)[1:]
        assert restored.stats().posts == 4 and not restored.stats().drift

        last_change = restored.store.last_seq()
        again = _restore(restored, backup)
        assert (again.added, again.updated, again.unchanged, again.failed) == (0, 0, 6, 0)
        assert restored.store.last_seq() == last_change
        assert _rows(restored) == _rows(filled)


def test_export_lines_header_posts_then_attachments(filled: Archive) -> None:
    lines = _export(filled)
    assert lines[-1] == ""
    records = [json.loads(line) for line in lines[:-1]]
    header = records[0]
    assert (header["type"], header["version"]) == ("gazette-export", 1)
    assert datetime.fromisoformat(header["exported"]).tzinfo is not None
    assert [r["type"] for r in records[1:]] == ["post"] * 6 + ["attachment"] * 2
    first = records[1]
    assert list(first) == ["type", *(name for name in asdict(filled.get(1)) if name != "id")]
    assert first["published"] == "2023-02-16T10:00:00+05:00"
    assert first["clips"][0]["published"] == "2023-02-16T09:30:00+05:00"
    assert [r["uid"] for r in records[-2:]] == ["att:1", "att:2"]
    assert records[-1] == {"type": "attachment", **asdict(ATTACHMENTS[0])}


def test_a_second_export_differs_only_in_the_header_time(filled: Archive) -> None:
    first, second = _export(filled), _export(filled)
    assert first[1:] == second[1:]
    assert json.loads(first[0]).keys() == json.loads(second[0]).keys()


def test_stored_html_is_a_fixed_point_of_sanitize(filled: Archive) -> None:
    """Importing sanitizes again; that must change nothing already sanitized."""
    html = [p["body_html"] for p in _posts(filled)]
    html += [c["body_html"] for p in _posts(filled) for c in p["comments"]]
    html += [sanitize(s) for s in ("<p>a&nbsp;b &lt;c&gt; ‘q’ &quot;d&quot;</p>", "<b><p>x</b>")]
    assert all(sanitize(h) == h for h in html)


@pytest.mark.parametrize("raw", ["<pre>\n\ncode</pre>", "<p><select><p>"])
def test_sanitize_is_idempotent_on_edge_cases(raw: str) -> None:
    assert sanitize(sanitize(raw)) == sanitize(raw)


def test_a_blogpage_import_round_trips(archive: Archive, tmp_path: Path) -> None:
    page = b"Thursday, February 16, 2023\n\nTaliban's \"offer\"\n\nIt's what they said.\n"
    archive.import_batch(blogpage.parse(page, "page.txt"), source="page.txt", format_name="bp")
    backup = tmp_path / "backup.jsonl"
    backup.write_text("\n".join(_export(archive)), encoding="utf-8")
    with Archive.open(tmp_path / "restored", create=True) as restored:
        _restore(restored, backup)
        assert _posts(restored) == _posts(archive)


def test_bad_lines_fail_alone_with_their_line_numbers(archive: Archive) -> None:
    good = '{"title": "Good %d", "published": "2023-01-0%dT10:00:00+00:00"}'
    lines = [
        b'{"type": "gazette-export", "version": 1, "exported": "2024-01-01T00:00:00+00:00"}',
        (good % (1, 1)).encode(),
        b'{"title": "x", "published": ',
        b"[1, 2]",
        b'{"title": "no date"}',
        b'{"title": "x", "published": "yesterday"}',
        b'{"title": "x", "published": "2023-01-05T10:00"}',
        b"",
        b'{"title": 5, "published": "2023-01-05"}',
        b'{"title": "x", "published": "2023-01-05", "slug": "../../etc"}',
        b'{"type": "mystery"}',
        b'{"title": "x", "published": "2023-01-05", "labels": "a, b"}',
        b'{"title": "x", "published": "2023-01-05", "clips": [{"position": "1"}]}',
        b'{"title": "x", "published": "2023-01-05", "score": NaN}',
        b'{"title": "caf\xe9", "published": "2023-01-05"}',
        b'{"type": "attachment", "uid": "a1"}',
        (good % (2, 2)).encode(),
    ]
    batch = jsonl.parse(b"\n".join(lines), "in.jsonl")
    assert batch.failures == [
        "in.jsonl: line 3: not valid JSON (Expecting value at column 29)",
        "in.jsonl: line 4: expected a JSON object, not a list",
        "in.jsonl: line 5: missing 'published'",
        "in.jsonl: line 6: 'published' is not an ISO 8601 date: 'yesterday'",
        "in.jsonl: line 7: 'published' has no UTC offset: '2023-01-05T10:00'",
        "in.jsonl: line 9: 'title' must be a string, not a number",
        "in.jsonl: line 10: 'slug' is not one path segment: '../../etc'",
        "in.jsonl: line 11: unknown type 'mystery' (expected 'post' or 'attachment')",
        "in.jsonl: line 12: 'labels' must be a list of strings",
        "in.jsonl: line 13: clips[0]: 'position' must be a whole number, not a string",
        "in.jsonl: line 14: not valid JSON (NaN is not a JSON value)",
        "in.jsonl: line 15: not UTF-8 text (byte 0xe9 at column 15)",
        "in.jsonl: line 16: missing 'url'",
    ]
    assert [post.title for post in batch.posts] == ["Good 1", "Good 2"]
    summary = archive.import_batch(batch, source="in.jsonl", format_name=jsonl.FORMAT)
    assert (summary.added, summary.failed) == (2, 13)


def test_a_newer_export_version_is_refused_as_a_whole() -> None:
    data = b'{"type": "gazette-export", "version": 2}\n{"title": "x", "published": "2023-01-05"}'
    with pytest.raises(ImportFailure, match=r"in.jsonl: line 1: export version 2 .* upgrade"):
        jsonl.parse(data, "in.jsonl")


def test_unknown_fields_are_ignored_with_a_warning() -> None:
    line = b'{"title": "x", "published": "2023-01-05", "lables": [], "clips": [{"hedline": ""}]}'
    batch = jsonl.parse(line, "in.jsonl")
    assert len(batch.posts) == 1
    assert batch.warnings == [
        "in.jsonl: line 1: ignored unknown field(s) 'lables', 'clips[0].hedline'"
    ]


def test_simple_jsonl_of_posts_imports(archive: Archive, tmp_path: Path) -> None:
    lines = [
        {
            "title": "Kabul talks",
            "published": "2023-01-05",
            "body": "First <para> & more\nsame para\n\n\nSecond ‘para’",
            "labels": ["Afghanistan", "Talks"],
            "url": "https://news.example/kabul",
        },
        {"title": "HTML one", "published": "2023-01-06T10:00Z", "body_html": "<p>Hi<script>"},
        {"title": "Draft", "published": "2023-01-07T10:00:00-05:00", "status": "draft"},
    ]
    path = tmp_path / "posts.jsonl"
    path.write_text("\ufeff" + "\r\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    assert jsonl.sniff(path.read_bytes())
    summary = _restore(archive, path)
    assert (summary.added, summary.failed) == (3, 0)
    first, second, draft = (archive.get(post_id) for post_id in (1, 2, 3))
    assert first is not None and second is not None and draft is not None
    assert first.uid == "jsonl:https://news.example/kabul"
    assert (first.origin_url, first.origin_format, first.source_path) == (
        "https://news.example/kabul",
        "jsonl",
        str(path),
    )
    assert first.published == datetime(2023, 1, 5, tzinfo=UTC)
    assert first.body_text == lines[0]["body"]
    assert first.body_html == (
        "<p>First &lt;para&gt; &amp; more<br>same para</p>\n<p>Second ‘para’</p>"
    )
    assert first.labels == ["Afghanistan", "Talks"] and first.path == "/2023/01/kabul-talks"
    assert (second.body_html, second.body_text) == ("<p>Hi</p>", "Hi")
    assert (
        second.uid.startswith("jsonl:")
        and second.uid == jsonl.parse(path.read_bytes(), "elsewhere").posts[1].uid
    )
    assert (draft.status, draft.published.utcoffset()) == ("draft", timedelta(hours=-5))
    assert archive.search("kabul").total == 1 and archive.search("draft").total == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'\n{"type": "gazette-export", "version": 1}\n', True),
        (b'{"title": "x", "published": "2023-01-05"}\n', True),
        (b"\xef\xbb\xbf" + b'{"title": "x", "published": "2023-01-05"}', True),
        (b'{"title": "x"}\n', False),
        (b'[{"title": "x", "published": "2023-01-05"}]', False),
        (b'{\n  "type": "gazette-export"\n}', False),
        (b"Thursday, February 16, 2023\n\nTitle\n", False),
        (b"", False),
    ],
)
def test_sniff(data: bytes, expected: bool) -> None:
    assert jsonl.sniff(data) is expected


def test_an_export_is_not_taken_for_a_blog_page(filled: Archive) -> None:
    data = "\n".join(_export(filled)).encode()
    assert jsonl.sniff(data) and not blogpage.sniff(data)


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The front matter's values (each read as JSON) and the body below it."""
    head, body = text.removeprefix("---\n").split("\n---\n\n", 1)
    return {
        key: json.loads(value) for key, value in (ln.split(": ", 1) for ln in head.split("\n"))
    }, body


def test_markdown_export_writes_a_file_per_post_at_its_address(
    filled: Archive, tmp_path: Path
) -> None:
    folder = tmp_path / "site"
    assert export_markdown(filled, folder) == 6
    files = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.md"))
    posts = _posts(filled)
    assert files == sorted(f"{p['path'].lstrip('/')}.md" for p in posts)
    for post in posts:
        meta, body = _front_matter((folder / f"{post['path'][1:]}.md").read_bytes().decode())
        assert meta == {
            "title": post["title"],
            "date": post["published"],
            "updated": post["updated"],
            "labels": post["labels"],
            "status": post["status"],
            "kind": post["kind"],
            "author": post["author"],
            "uid": post["uid"],
            "origin": post["origin_url"],
        }
        assert body == post["body_text"] + "\n"


def test_markdown_front_matter_is_yaml_too(filled: Archive, tmp_path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    export_markdown(filled, tmp_path)
    for path in tmp_path.rglob("*.md"):
        text = path.read_bytes().decode()
        meta, _ = _front_matter(text)
        head = text.split("\n---\n", 1)[0].removeprefix("---\n")
        assert yaml.safe_load(head) == meta


def test_markdown_export_refuses_a_slug_that_would_leave_the_folder(
    archive: Archive, tmp_path: Path
) -> None:
    day = datetime(2023, 1, 5, tzinfo=UTC)
    archive.import_posts([_post("x", "x", day, slug="../../../x")], source="t", format_name="t")
    with pytest.raises(ValueError, match="not a safe file name"):
        export_markdown(archive, tmp_path / "site")
    assert not list(tmp_path.rglob("*.md"))
    assert not archive.store.db.in_transaction


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_html_made_from_plain_text_is_already_sanitized(text: str) -> None:
    made = jsonl._paragraphs(text)
    assert sanitize(made) == made

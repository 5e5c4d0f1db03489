"""Streamed imports: a JSON Lines file is stored as it is read, with every promise of a whole
import kept (per-line failures, nothing written for a file refused as a whole, idempotence,
the summary, progress)."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from gazette import archive as archive_module
from gazette.archive import Archive
from gazette.export import export_jsonl
from gazette.ingest import ImportFailure, jsonl
from tests.conftest import post

FIXTURES = Path("fixtures/wxr")


def _line(number: int, **fields: object) -> str:
    record = {"title": f"Dispatch {number}", "published": "2023-01-05", "body": f"Text {number}"}
    return json.dumps(record | fields)


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Transactions of 10 posts and reads of 256 bytes, so that small files cross both."""
    monkeypatch.setattr(archive_module, "IMPORT_BATCH", 10)
    monkeypatch.setattr(archive_module, "SYNC_EVERY", 20)
    monkeypatch.setattr(archive_module, "STREAM_HEAD", 256)


@pytest.mark.usefixtures("small_batches")
def test_bad_lines_fail_alone_named_by_line_and_the_rest_is_stored(
    archive: Archive, tmp_path: Path
) -> None:
    lines = [_line(n) for n in range(1, 36)]
    lines[6] = "{not json"
    lines[24] = _line(25, published="someday")
    source = _write(tmp_path / "posts.jsonl", lines)
    summary = archive.import_file(source)
    assert (summary.format, summary.added, summary.failed) == ("jsonl", 33, 2)
    assert summary.errors == [
        f"{source}: line 7: not valid JSON (Expecting property name enclosed in double quotes "
        "at column 2)",
        f"{source}: line 25: 'published' is not an ISO 8601 date: 'someday'",
    ]
    assert archive.search("dispatch").total == 33
    assert not archive.stats().drift
    again = archive.import_file(source)
    assert (again.added, again.unchanged, again.failed) == (0, 33, 2)


@pytest.mark.usefixtures("small_batches")
def test_a_newer_export_header_late_in_the_file_refuses_it_before_anything_is_stored(
    archive: Archive, tmp_path: Path
) -> None:
    header = {"type": "gazette-export", "version": 1}
    lines = [json.dumps(header)] + [_line(n) for n in range(1, 50)]
    lines.append(json.dumps(header | {"version": 2}))
    source = _write(tmp_path / "backup.jsonl", lines)
    with pytest.raises(ImportFailure, match=r"backup.jsonl: line 51: export version 2"):
        archive.import_file(source)
    assert archive.store.last_seq() == 0
    assert archive.search("dispatch").total == 0


@pytest.mark.usefixtures("small_batches")
def test_progress_counts_the_lines_read_up_to_all_of_them(archive: Archive, tmp_path: Path) -> None:
    source = _write(tmp_path / "posts.jsonl", [_line(n) for n in range(1, 26)] + [""])
    seen: list[tuple[int, int]] = []
    archive.import_file(source, progress=lambda done, total: seen.append((done, total)))
    assert {total for _, total in seen} == {26}
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[0][0] < 26 and seen[-1] == (26, 26)


def test_posts_are_stored_while_the_rest_is_still_being_read(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive_module, "IMPORT_BATCH", 10)
    visible: list[int] = []

    def posts() -> Iterator:
        for number in range(1, 31):
            if number == 25:  # another process looks at the database
                with sqlite3.connect(archive.data_dir / "gazette.db") as other:
                    visible.append(other.execute("SELECT count(*) FROM posts").fetchone()[0])
            yield post(f"u{number}", f"Dispatch {number}", "text", "2023-01-05")

    summary = archive.import_posts(posts(), source="generator", format_name="test")
    assert summary.added == 30
    assert visible == [20]


def test_a_first_line_longer_than_the_head_is_still_detected(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive_module, "STREAM_HEAD", 32)
    source = _write(tmp_path / "posts", [_line(1, body="long " * 40), _line(2)])
    summary = archive.import_file(source)
    assert (summary.format, summary.added) == ("jsonl", 2)


def test_a_streamed_backup_restores_the_archive_exactly(
    archive: Archive, tmp_path: Path, shared_dir: Path
) -> None:
    export = shared_dir / FIXTURES / "pelican_wordpressexport.xml"
    archive.import_file(export)
    backup = tmp_path / "backup.jsonl"
    with backup.open("w", encoding="utf-8") as out:
        export_jsonl(archive, out)
    with Archive.open(tmp_path / "restored", create=True) as restored:
        summary = restored.import_file(backup)
        assert summary.ok and summary.added == archive.store.table_counts()["posts"]
        again = io.StringIO()
        export_jsonl(restored, again)
    original = backup.read_text().splitlines()
    copied = again.getvalue().splitlines()
    assert copied[1:] == original[1:]  # all but the header's export time
    assert any('"type": "attachment"' in line for line in copied)


def test_scan_counts_lines_across_reads_of_any_size() -> None:
    data = b'{"type": "gazette-export", "version": 1}\n\n{"a": 1}\n{"b": 2}'
    for size in (1, 3, 7, 64):
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        assert jsonl.scan(chunks, "x.jsonl") == 4
    assert jsonl.scan([], "x.jsonl") == 0
    late = data + b'\n{"type": "gazette-export", "version": 3}\n'
    with pytest.raises(ImportFailure, match=r"x.jsonl: line 5: export version 3"):
        jsonl.scan([late[i : i + 5] for i in range(0, len(late), 5)], "x.jsonl")

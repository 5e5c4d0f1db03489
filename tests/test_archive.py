"""The archive: store and index kept in step, idempotent imports, recovery, the write lock."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest

from gazette.archive import Archive, ArchiveBusy, ArchiveError
from gazette.ingest import ImportFailure
from gazette.model import Clip, Post
from gazette.search.index import SearchIndex, post_document
from tests.conftest import SEED, post, run_gazette


def test_seed_page_imports_as_its_six_posts_and_again_changes_nothing(
    archive: Archive, shared_dir: Path
) -> None:
    truth = json.loads((shared_dir / SEED).with_suffix(".posts.json").read_text())["posts"]
    first = archive.import_file(shared_dir / SEED)
    assert (first.added, first.failed, first.format) == (6, 0, "blogpage")
    stored = archive.list_posts(per_page=100)
    assert sorted((p.published.date().isoformat(), p.title) for p in stored) == sorted(
        (p["date"], p["title"]) for p in truth
    )
    last_change = archive.store.last_seq()
    again = archive.import_file(shared_dir / SEED)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 6)
    assert archive.store.last_seq() == last_change
    assert archive.stats().posts == 6


def test_seed_search_by_relevance_date_and_phrase(archive: Archive, shared_dir: Path) -> None:
    archive.import_file(shared_dir / SEED)
    relevance = archive.search("pakistan taliban")
    assert relevance.total == 6 and not relevance.partial
    assert all("<mark>" in hit.snippet for hit in relevance.hits)
    scores = [hit.score for hit in relevance.hits]
    assert scores == sorted(scores, reverse=True)
    by_date = [hit.published for hit in archive.search("pakistan taliban", sort="date").hits]
    assert by_date == sorted(by_date, reverse=True)
    containing = {
        p.id
        for p in archive.store.iter_published()
        if "durand line" in (p.title + " " + p.body_text).lower()
    }
    assert containing  # the seed mentions it
    assert {hit.id for hit in archive.search('"Durand Line"').hits} == containing


def test_an_edited_post_is_updated_not_duplicated(archive: Archive) -> None:
    archive.import_posts(
        [post("u1", "Old title", "old words", "2023-01-01")], source="t", format_name="t"
    )
    summary = archive.import_posts(
        [post("u1", "New title", "fresh words", "2023-01-01")], source="t", format_name="t"
    )
    assert (summary.added, summary.updated) == (0, 1)
    assert [hit.title for hit in archive.search("fresh").hits] == ["New title"]
    assert archive.search("old").total == 0
    assert archive.stats().posts == 1


def test_unpublishing_removes_a_post_from_search(archive: Archive) -> None:
    archive.import_posts(
        [post("u1", "Visible", "words", "2023-01-01")], source="t", format_name="t"
    )
    archive.import_posts(
        [post("u1", "Visible", "words", "2023-01-01", status="draft")], source="t", format_name="t"
    )
    assert archive.search("words").total == 0
    assert not archive.stats().drift


def test_same_slug_in_a_month_gets_a_distinct_path(archive: Archive) -> None:
    archive.import_posts(
        [post("a", "Same", "one", "2023-01-01"), post("b", "Same", "two", "2023-01-09")],
        source="t",
        format_name="t",
    )
    assert sorted(p.path for p in archive.list_posts()) == ["/2023/01/same", "/2023/01/same-2"]
    assert archive.get_by_path("/2023/01/same-2").body_text == "two"


def test_one_bad_post_fails_alone(archive: Archive) -> None:
    bad = post("bad", "Bad", "x", "2023-01-01")
    bad.status = "archived"  # violates the store's CHECK constraint
    summary = archive.import_posts(
        [
            post("ok1", "Fine one", "x", "2023-01-01"),
            bad,
            post("ok2", "Fine two", "x", "2023-01-02"),
        ],
        source="feed.xml",
        format_name="t",
    )
    assert (summary.added, summary.failed) == (2, 1)
    assert summary.errors == [
        "feed.xml: item 2 ('Bad'): CHECK constraint failed: status IN ('published', 'draft')"
    ]
    assert archive.stats().posts == 2 and archive.store.get_by_path("/2023/01/bad") is None


def test_delete_removes_from_store_and_index(archive: Archive) -> None:
    archive.import_posts(
        [post("a", "Gone soon", "words", "2023-01-01")], source="t", format_name="t"
    )
    (hit,) = archive.search("words").hits
    assert archive.delete(hit.id)
    assert archive.search("words").total == 0 and archive.get(hit.id) is None


def test_index_catches_up_with_changes_it_missed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Archive.open(data, create=True) as archive:
        # Write to the store without letting the index see it, as a crash would.
        with archive.store.transaction():
            archive.store.upsert(post("late", "Late arrival", "missed words", "2023-01-01"))
        assert archive.stats().missing_from_index == 1
    with Archive.open(data) as reopened:
        assert [hit.title for hit in reopened.search("missed").hits] == ["Late arrival"]
        assert not reopened.stats().drift


def test_replaying_changes_is_idempotent(archive: Archive) -> None:
    archive.import_posts(
        [post(str(n), f"Post {n}", "words", "2023-01-01") for n in range(5)],
        source="t",
        format_name="t",
    )
    archive.index.apply(list(archive.store.iter_published()), 0)  # replay everything
    archive.sync()
    assert archive.search("words").total == 5
    assert not archive.stats().drift


@pytest.mark.parametrize("damage", ["delete", "garbage"])
def test_a_missing_or_corrupt_index_is_rebuilt_from_the_store(tmp_path: Path, damage: str) -> None:
    data = tmp_path / "data"
    with Archive.open(data, create=True) as archive:
        archive.import_posts(
            [post("a", "Survivor", "still here", "2023-01-01")], source="t", format_name="t"
        )
    if damage == "delete":
        shutil.rmtree(data / "index")
    else:
        (data / "index" / "meta.json").write_text("{not json")
    with Archive.open(data) as reopened:
        assert [hit.title for hit in reopened.search("still").hits] == ["Survivor"]
        assert not reopened.stats().drift
        if damage == "garbage":
            assert any("rebuilding" in note for note in reopened.notes)


def test_reindex_rebuilds_the_same_index(archive: Archive) -> None:
    archive.import_posts(
        [post(str(n), f"Post {n}", f"words {n}", "2023-01-01") for n in range(7)],
        source="t",
        format_name="t",
    )
    before = archive.index.post_ids()
    assert archive.reindex() == 7
    assert archive.index.post_ids() == before
    assert not archive.stats().drift


def test_a_second_writer_is_refused_with_a_clear_message(archive: Archive) -> None:
    other = Archive.open(archive.data_dir)
    try:
        with archive.writing(), pytest.raises(ArchiveBusy, match="being written by another"):
            other.import_posts([post("a", "A", "b", "2023-01-01")], source="t", format_name="t")
    finally:
        other.close()
    assert archive.stats().posts == 0


def test_opening_a_missing_archive_without_create_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="no archive in"):
        Archive.open(tmp_path / "nowhere")


def test_a_file_that_is_not_a_database_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "gazette.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ArchiveError, match="not a Gazette database"):
        Archive.open(tmp_path)


@pytest.mark.parametrize(
    ("kind", "message"),
    [("missing", "no such file"), ("folder", "is a folder"), ("image", "unknown format")],
)
def test_unreadable_sources_fail_clearly_and_write_nothing(
    archive: Archive, tmp_path: Path, kind: str, message: str
) -> None:
    path = tmp_path / "source.txt"
    if kind == "folder":
        path.mkdir()
    elif kind == "image":
        path.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(ImportFailure, match=message):
        archive.import_file(path)
    assert archive.store.last_seq() == 0


def test_label_and_month_counts_cover_listed_posts_only(archive: Archive) -> None:
    archive.import_posts(
        [
            post("a", "One", "x", "2023-01-05", ("Pakistan", "TTP")),
            post("b", "Two", "x", "2023-01-20", ("pakistan",)),
            post("c", "Three", "x", "2021-12-31", ("Kabul",)),
            post("d", "Draft", "x", "2023-01-09", ("Pakistan", "Secret"), status="draft"),
        ],
        source="t",
        format_name="t",
    )
    labels = [(facet.value, facet.count) for facet in archive.label_counts()]
    assert labels == [("Pakistan", 2), ("Kabul", 1), ("TTP", 1)]
    assert archive.month_counts() == [(2023, 1, 2), (2021, 12, 1)]


def test_a_reader_sees_what_another_process_imports(tmp_path: Path) -> None:
    data = tmp_path / "data"
    page = tmp_path / "page.txt"
    with Archive.open(data, create=True) as reader:
        assert reader.search("kabul").total == 0
        for day, title in (
            ("Monday, August 16, 2021", "Kabul falls"),
            ("Tuesday, August 17, 2021", "Kabul airport"),
        ):
            page.write_text(f"{day}\n\n{title}\n\nText about Kabul.\n")
            run_gazette("import", str(page), data=data, check=True)
            assert title in [hit.title for hit in reader.search("kabul").hits]


def test_reading_an_up_to_date_archive_leaves_the_write_lock_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Archive.open(data, create=True) as archive:
        archive.import_posts([post("a", "Kabul", "Kabul airport.", "2021-08-16")], source="t",
                             format_name="test")  # fmt: skip
    lock = data / "write.lock"
    lock.write_text("12345")  # as a writer that has since finished left it
    found = run_gazette("search", "kabul", data=data, check=True)
    assert "Kabul" in found.stdout
    assert lock.read_text() == "12345"


def test_a_label_made_by_a_post_that_failed_is_made_again_by_the_next(archive: Archive) -> None:
    bad = post("bad", "Bad", "Text.", "2023-01-01", labels=("Fresh",))
    bad.clips = [Clip(position=0, headline=None, body="Text.")]  # type: ignore[arg-type]
    good = post("good", "Good", "Text.", "2023-01-02", labels=("Fresh",))
    summary = archive.import_posts([bad, good], source="t", format_name="test")
    assert (summary.failed, summary.added) == (1, 1)
    assert archive.get(good.id).labels == ["Fresh"]
    assert [f.value for f in archive.label_counts()] == ["Fresh"]


def test_posts_are_indexed_as_stored(
    archive: Archive, shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import indexes the posts it has just written without reading them back: their
    documents must be those the stored posts give (labels as the archive spells them,
    clips as split, and so on)."""
    indexed: dict[int, dict] = {}
    stage = SearchIndex.stage

    def recording(index: SearchIndex, operations: Iterable, **options: bool) -> None:
        operations = list(operations)
        indexed.update(
            (op.id, post_document(op).to_dict()) for op in operations if isinstance(op, Post)
        )
        stage(index, operations, **options)

    monkeypatch.setattr(SearchIndex, "stage", recording)
    archive.import_posts(
        [
            post("a", "One", "x", "2023-01-05", ("Pakistan", " TTP ", "ttp")),
            post("b", "One", "x", "2023-01-06", ("pakistan", "", "Kabul")),
        ],
        source="t",
        format_name="t",
    )
    fixtures = shared_dir / "fixtures"
    for name in (
        "wxr/pelican_wordpressexport.xml",
        "wxr/wpimporter_small-export.xml",
        "blogger/pelican_bloggerexport.xml",
        "blogger/jekyllimport_inline_blogger.xml",
        "feeds/trafilatura_feed2.rss",
    ):
        archive.import_file(fixtures / name)
    archive.import_file(shared_dir / SEED)
    assert len(indexed) > 20
    for post_id, document in indexed.items():
        assert document == post_document(archive.get(post_id)).to_dict()
    labels = {tuple(archive.get(post_id).labels) for post_id in indexed}
    assert ("Pakistan", "TTP") in labels and ("Pakistan", "Kabul") in labels


def test_a_post_stored_with_the_first_form_of_digest_is_unchanged(archive: Archive) -> None:
    """Archives written before the digest's second form compare their posts by the first."""
    made = post("a", "Kabul airport", "Text about Kabul.", "2021-08-16", ("Kabul",))
    archive.import_posts([made], source="t", format_name="t")
    db = archive.store.db
    db.execute("UPDATE posts SET content_hash = ?", (made.first_content_hash(),))
    again = post("a", "Kabul airport", "Text about Kabul.", "2021-08-16", ("Kabul",))
    assert archive.import_posts([again], source="t", format_name="t").unchanged == 1
    assert db.execute("SELECT content_hash FROM posts").fetchone() == (again.content_hash(),)
    edited = post("a", "Kabul airport", "Text about Kabul, edited.", "2021-08-16", ("Kabul",))
    assert archive.import_posts([edited], source="t", format_name="t").updated == 1

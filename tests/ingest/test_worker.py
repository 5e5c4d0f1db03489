"""Parsing a large file in a worker process gives what parsing it here gives, and a file
that fails as a whole fails before anything is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import SEED

from gazette import ingest
from gazette.archive import Archive
from gazette.ingest import ImportFailure, worker, wxr

WXR = "fixtures/wxr"


@pytest.mark.parametrize(
    ("name", "format_name"),
    [
        (f"{WXR}/pelican_wordpressexport.xml", "wxr"),
        (f"{WXR}/wpimporter_small-export.xml", "wxr"),
        (SEED, "blogpage"),
    ],
)
def test_a_worker_parses_as_this_process_does(
    shared_dir: Path, name: str, format_name: str
) -> None:
    path = shared_dir / name
    here = ingest.importer(format_name, str(path)).parse(path.read_bytes(), str(path))
    expected = [ingest.with_clips(post) for post in here.posts]
    there = worker.parse(path, format_name, str(path))
    assert there.total == len(expected) or format_name == "wxr"
    assert list(there.posts) == expected and expected
    assert (there.attachments, there.failures, there.skipped, there.warnings) == (
        here.attachments, here.failures, here.skipped, here.warnings
    )  # fmt: skip


def test_wxr_iterparse_reads_items_as_they_are_consumed(shared_dir: Path) -> None:
    path = shared_dir / WXR / "wpimporter_small-export.xml"
    batch = wxr.iterparse(path.read_bytes(), str(path))
    assert batch.read == 0 and batch.total and batch.total >= 1
    first = next(iter(batch.posts))
    assert first.title and 1 <= batch.read < batch.total


def test_a_file_that_is_no_export_fails_in_the_worker_before_anything_is_stored(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "PARALLEL_BYTES", 0)  # every file goes to a worker
    parsed: list[str] = []
    parse = worker.parse
    monkeypatch.setattr(worker, "parse", lambda *args: parsed.append(args[1]) or parse(*args))
    with Archive.open(tmp_path / "data", create=True) as archive:
        bad = shared_dir / WXR / "wpimporter_missing-version-tag.xml"
        with pytest.raises(ImportFailure, match="missing wp:wxr_version"):
            archive.import_file(bad, "wxr")
        assert archive.store.count() == 0
        summary = archive.import_file(shared_dir / WXR / "wpimporter_small-export.xml")
        assert summary.ok and summary.added >= 1
        assert archive.stats().posts + archive.stats().drafts + archive.stats().pages >= 1
    assert parsed == ["wxr", "wxr"]

"""Clippings in the archive: posts split into clips on import, clip-level filters and facets."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from gazette.archive import Archive
from tests.conftest import SEED

SAMPLES = resources.files("gazette") / "samples" / "gazette-sample.txt"


def test_sample_posts_are_split_into_clips_with_outlets_and_bylines(archive: Archive) -> None:
    with resources.as_file(SAMPLES) as path:
        archive.import_file(path)
    (hit,) = archive.search('author:"Kathy Gannon"').hits
    post = archive.get(hit.id)
    assert len(post.clips) >= 2
    gannon = next(clip for clip in post.clips if "Kathy Gannon" in clip.authors)
    assert gannon.outlet == "AP" and gannon.dateline == "PESHAWAR, Pakistan"
    assert not gannon.body.startswith(("By ", "PESHAWAR"))
    outlets = {f.value for f in archive.search("").facets["outlets"]}
    assert {"AP", "Reuters"} <= outlets
    assert archive.search("source:reuters").total == archive.search('source:"Reuters"').total > 0
    authors = {f.value: f.count for f in archive.search("").facets["authors"]}
    assert authors["Kathy Gannon"] == 1


def test_seed_clips_keep_credits_out_of_what_is_searched(
    archive: Archive, shared_dir: Path
) -> None:
    archive.import_file(shared_dir / SEED)
    posts = list(archive.store.iter_published())
    clips = [clip for post in posts for clip in post.clips]
    assert len(clips) > len(posts)  # compilations: several clips a post
    credited = [clip for clip in clips if clip.credits]
    assert credited, "the seed has photo credits and 'Reporting by' lines"
    for clip in credited:
        for credit in clip.credits:
            assert credit not in clip.body
    for hit in archive.search("photo", per_page=50).hits:
        assert "AP Photo/" not in hit.snippet
    assert archive.search("source:Reuters").total >= 1

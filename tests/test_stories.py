"""Versions of one story in the archive: grouped as posts come and go, folded in search,
linked from the post page's clips."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.clips import stories
from gazette.model import Clip, Post
from gazette.store.schema import MIGRATIONS
from tests.clips.test_stories import OTHER, WIRE, edited
from tests.conftest import post

TRIMMED = WIRE.rsplit(". ", 3)[0] + "."
"""Another outlet's version: the wire story without its last three sentences."""


def clipped(uid: str, day: str, *articles: tuple[str, str, str]) -> Post:
    """A post of clipped articles (headline, outlet, text)."""
    made = post(uid, articles[0][0], "\n\n".join(text for _, _, text in articles), day)
    made.clips = [
        Clip(position=n, headline=headline, outlet=outlet, body=text)
        for n, (headline, outlet, text) in enumerate(articles)
    ]
    return made


def story_of(archive: Archive, post_id: int) -> list[int | None]:
    return archive.store.stories_of([post_id])[post_id]


def store(archive: Archive, *posts: Post) -> list[int]:
    archive.import_posts(posts, source="test", format_name="test")
    return [found.id for found in posts]


def test_versions_of_a_story_share_a_story_and_other_clips_have_none(archive: Archive) -> None:
    wire, other, copy = store(
        archive,
        clipped("a", "2023-11-01", ("Pakistan deadline expires", "Reuters", WIRE)),
        clipped("b", "2023-11-01", ("Frankfurt bourse", "Reuters", OTHER)),
        clipped("c", "2023-11-02", ("Deadline passes", "AP", edited(WIRE))),
    )
    (story,) = story_of(archive, wire)
    assert story is not None and story_of(archive, copy) == [story]
    assert story_of(archive, other) == [None]
    assert (archive.stats().stories, archive.stats().clips_in_stories) == (1, 2)
    versions = archive.store.versions(copy)
    assert [(v.post.id, v.headline, v.outlet) for v in versions[0]] == [
        (wire, "Pakistan deadline expires", "Reuters")
    ]
    assert archive.store.versions(other) == {}


def test_a_story_chains_through_its_middle_version_and_splits_when_it_goes(
    archive: Archive,
) -> None:
    words = WIRE.split()
    head = " ".join(words[: len(words) * 11 // 20])
    tail = " ".join(words[len(words) * 9 // 20 :])
    first, middle, last = store(
        archive,
        clipped("head", "2023-11-01", ("Head", "AP", head)),
        clipped("whole", "2023-11-02", ("Whole", "Reuters", WIRE)),
        clipped("tail", "2023-11-03", ("Tail", "BBC", tail)),
    )
    assert stories.similarity(stories.signature(head), stories.signature(tail)) < 0.2
    assert story_of(archive, first) == story_of(archive, middle) == story_of(archive, last)
    archive.delete(middle)
    assert story_of(archive, first) == story_of(archive, last) == [None]


def test_an_edited_post_leaves_its_story(archive: Archive) -> None:
    wire, copy = store(
        archive,
        clipped("a", "2023-11-01", ("Deadline", "Reuters", WIRE)),
        clipped("c", "2023-11-02", ("Deadline", "AP", TRIMMED)),
    )
    assert story_of(archive, copy) == story_of(archive, wire) != [None]
    store(archive, clipped("c", "2023-11-02", ("Bourse hours", "AP", OTHER)))
    assert story_of(archive, copy) == story_of(archive, wire) == [None]
    assert archive.store.db.execute("SELECT count(*) FROM story_bands").fetchone()[0] == 2 * len(
        stories.band_keys(stories.signature(WIRE))
    )


def test_a_story_is_named_by_its_first_clip_and_renamed_when_that_goes(archive: Archive) -> None:
    first, second, third = store(
        archive,
        clipped("a", "2023-11-01", ("One", "Reuters", WIRE)),
        clipped("b", "2023-11-02", ("Two", "AP", TRIMMED)),
        clipped("c", "2023-11-03", ("Three", "BBC", edited(WIRE))),
    )
    ids = dict(archive.store.db.execute("SELECT post_id, id FROM clips"))
    assert story_of(archive, third) == [ids[first]]
    archive.delete(first)
    assert story_of(archive, second) == story_of(archive, third) == [ids[second]]


@pytest.mark.parametrize("together", [False, True], ids=["a post at a time", "one import"])
def test_grouping_in_the_store_is_grouping_all_clips_at_once(
    archive: Archive, together: bool
) -> None:
    """Clips added one post at a time (or all in one import), some removed, end in the
    groups ``stories.group`` finds over the clips left, whatever the order of events."""
    rng = random.Random(7)
    bases = [[f"w{rng.randrange(5000)}" for _ in range(80)] for _ in range(12)]
    texts = []
    for _ in range(60):
        words = list(rng.choice(bases))
        start = rng.randrange(30)
        words = words[start : start + rng.randint(45, 80)]
        for _ in range(rng.randrange(12)):
            words[rng.randrange(len(words))] = f"x{rng.randrange(5000)}"
        texts.append(" ".join(words))
    posts = [clipped(f"p{n}", "2023-11-01", (f"H{n}", None, text)) for n, text in enumerate(texts)]
    if together:
        store(archive, *posts)
    else:
        for made in posts:
            store(archive, made)
    for made in rng.sample(posts, 15):
        archive.delete(made.id)
    rows = archive.store.db.execute("SELECT id, body, story_id FROM clips").fetchall()
    found = stories.group({clip_id: stories.signature(body) for clip_id, body, _ in rows})
    sizes = {root: list(found.values()).count(root) for root in found.values()}
    expected = {clip_id: root if sizes[root] > 1 else None for clip_id, root in found.items()}
    assert {clip_id: story for clip_id, _, story in rows} == expected
    assert len(set(expected.values()) - {None}) >= 2, "the texts should form several stories"


def test_search_folds_versions_under_the_best_of_them(archive: Archive) -> None:
    wire, _, copy, compilation = store(
        archive,
        clipped("a", "2023-11-03", ("Pakistan deadline for migrants expires", "Reuters", WIRE)),
        clipped("b", "2023-11-01", ("Frankfurt bourse hours", "Reuters", OTHER)),
        clipped("c", "2023-11-02", ("Deadline passes", "AP", TRIMMED)),
        clipped(
            "d",
            "2023-11-04",
            ("Deadline passes", "AP", edited(WIRE)),
            ("Bourse", "Reuters", OTHER + " Expulsion deadline aside."),
        ),
    )
    result = archive.search("deadline expulsion")
    by_id = {hit.id: hit for hit in result.hits}
    assert compilation in by_id, "a post with a clip of its own stays an entry"
    leader = next(hit for hit in result.hits if hit.id in (wire, copy))
    assert {v.id for v in leader.versions} == {wire, copy} - {leader.id}
    assert not ({wire, copy} - {leader.id}) & by_id.keys()
    assert result.total == 3  # posts are counted, folded or not
    assert archive.search("frankfurt bourse").hits[0].versions == []


def test_folding_pages_through_every_entry_once(archive: Archive) -> None:
    made = [
        clipped(f"v{n}", f"2023-10-{n + 1:02d}", (f"Version {n}", "AP", edited(WIRE)))
        for n in range(5)
    ]
    made += [
        post(f"s{n}", f"Deadline note {n}", f"Deadline expulsion note number {n}.", "2023-09-01")
        for n in range(7)
    ]
    store(archive, *made)
    seen: list[int] = []
    folded: list[int] = []
    for page in range(1, 5):
        hits = archive.search("deadline expulsion", sort="date", page=page, per_page=3).hits
        seen += [hit.id for hit in hits]
        folded += [v.id for hit in hits for v in hit.versions]
    assert len(seen) == len(set(seen)) == 8  # 7 notes and one entry for the five versions
    assert len(folded) == 4 and not set(folded) & set(seen)


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_pages_are_counted_in_entries_so_the_next_page_is_never_empty(
    archive: Archive, sort: str
) -> None:
    made = [
        clipped(f"v{n}", f"2023-10-{n + 1:02d}", (f"Version {n}", "AP", edited(WIRE)))
        for n in range(5)
    ]
    store(archive, *made)
    result = archive.search("deadline expulsion", sort=sort, per_page=1)
    assert result.total == 5 and len(result.hits) == 1 and len(result.hits[0].versions) == 4
    assert result.pages == 1  # one entry: no "older posts" to an empty page
    unwidened = archive.search("deadline expulsion", sort=sort, per_page=50)
    assert result.facets == unwidened.facets and result.facets["years"]
    store(archive, post("s", "Deadline note", "Deadline expulsion note.", "2023-09-01"))
    page, seen = 1, []
    while True:
        result = archive.search("deadline expulsion", sort=sort, page=page, per_page=1)
        assert result.hits, f"page {page} of {result.pages} is empty"
        seen += [hit.id for hit in result.hits]
        if page >= result.pages:
            break
        page += 1
    assert len(seen) == len(set(seen)) == 2 and result.pages == 2


def test_an_older_archive_is_grouped_when_it_is_upgraded(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = sqlite3.connect(data / "gazette.db")
    db.executescript(f"{MIGRATIONS[0]}; PRAGMA user_version = 1;")
    for n, text in enumerate((WIRE, TRIMMED, OTHER), 1):
        db.execute(
            "INSERT INTO posts (id, uid, path, slug, title, body_html, body_text, published, "
            "published_ts, status, origin_format, content_hash, created_at, modified_at) "
            "VALUES (?, ?, ?, 's', 't', '', ?, '2023-11-01T00:00:00+00:00', 0, 'published', "
            "'test', 'h', '', '')",
            (n, f"u{n}", f"/2023/11/s{n}", text),
        )
        db.execute(
            "INSERT INTO clips (post_id, position, headline, body, story_id) "
            "VALUES (?, 0, ?, ?, 99)",
            (n, f"H{n}", text),
        )
    db.commit()
    db.close()
    with Archive.open(data) as archive:
        assert story_of(archive, 1) == story_of(archive, 2) != [None]
        assert story_of(archive, 3) == [None]


def test_signatures_of_an_older_hash_are_made_again(archive: Archive) -> None:
    ids = store(
        archive,
        clipped("a", "2023-11-01", ("Deadline", "Reuters", WIRE)),
        clipped("b", "2023-11-02", ("Bourse", "Reuters", OTHER)),
        clipped("c", "2023-11-03", ("Deadline passes", "AP", TRIMMED)),
    )
    expected = [story_of(archive, post_id) for post_id in ids]
    db = archive.store.db
    db.execute("UPDATE clips SET signature = zeroblob(512), story_id = 1")  # all "one story"
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    db.commit()
    archive.close()
    with Archive.open(archive.data_dir) as upgraded:
        assert [story_of(upgraded, post_id) for post_id in ids] == expected
        assert expected[0] == expected[2] != [None] and expected[1] == [None]
        assert upgraded.store.db.execute(
            "SELECT count(*) FROM clips WHERE signature = zeroblob(512)"
        ).fetchone() == (0,)


def rss(outlet: str, link: str, title: str, text: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<title>{outlet}</title><link>{link}</link><description>News</description>"
        f"<item><title>{title}</title><link>{link}/deadline</link><guid>{link}/1</guid>"
        "<pubDate>Thu, 02 Nov 2023 10:00:00 GMT</pubDate>"
        f"<description>{text}</description></item></channel></rss>"
    )


def test_one_wire_story_in_two_outlets_feeds_is_one_search_entry(
    archive: Archive, tmp_path: Path
) -> None:
    feeds = {
        "reuters.xml": rss("Reuters", "https://www.reuters.com", "Deadline expires", WIRE),
        "bbc.xml": rss("BBC News", "https://www.bbc.co.uk", "Afghans leave", TRIMMED),
    }
    for name, body in feeds.items():
        (tmp_path / name).write_text(body)
        archive.import_file(tmp_path / name)
    (hit,) = archive.search("undocumented foreigners deadline").hits
    assert len(hit.versions) == 1
    outlets = {
        clip.outlet for found in (hit.id, hit.versions[0].id) for clip in archive.get(found).clips
    }
    assert outlets == {"Reuters", "BBC"}

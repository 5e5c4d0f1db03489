import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gazette.ingest import blogpage
from gazette.ingest.base import ImportFailure

CHROME = "Showing posts sorted by relevance for query PAKISTAN TALIBAN. Sort by date Show all posts"

PAGE = f"""{CHROME}
{CHROME}

Thursday, February 16, 2023

Afghan Taliban 'unlikely to stop support for TTP'
Published February 16, 2023

WASHINGTON: Afghanistan's Taliban rulers are unlikely
to discontinue supporting militants.



Published in Dawn, February 17th, 2023

Thursday, July 29, 2021

Pakistan PM: 'US Really Messed It Up in Afghanistan'

By Ayaz Gul

Older Posts Home
Subscribe to: Posts (Atom)
"""


def parse(text: str) -> list:
    return blogpage.parse(text.encode(), "page.txt").posts


def test_splits_a_page_into_posts_in_page_order() -> None:
    first, second = parse(PAGE)

    assert first.title == "Afghan Taliban 'unlikely to stop support for TTP'"
    assert first.published == datetime(2023, 2, 16, tzinfo=UTC)
    assert first.body_text == (
        "Published February 16, 2023\n\n"
        "WASHINGTON: Afghanistan's Taliban rulers are unlikely\n"
        "to discontinue supporting militants.\n\n"
        "Published in Dawn, February 17th, 2023"
    )
    assert first.uid == "blogpage:2023-02-16:afghan-taliban-unlikely-to-stop-support-for-ttp"
    assert first.status == "published"
    assert first.origin_format == "blogpage"
    assert first.source_path == "page.txt"
    assert first.labels == []
    assert second.title == "Pakistan PM: 'US Really Messed It Up in Afghanistan'"
    assert second.published == datetime(2021, 7, 29, tzinfo=UTC)


def test_page_chrome_and_footer_are_dropped() -> None:
    posts = parse(PAGE)

    assert posts[-1].body_text == "By Ayaz Gul"
    assert all("Showing posts" not in post.body_text for post in posts)


def test_chrome_like_text_inside_a_post_is_kept() -> None:
    (post,) = parse("Monday, July 19, 2021\nTitle\nHome\n\nHome is where the heart is.\n")

    assert post.body_text == "Home\n\nHome is where the heart is."


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbfMonday, July 19, 2021\nTitle\nline 1\nline 2\n",
        b"Monday, July 19, 2021\r\nTitle\r\nline 1\r\nline 2\r\n",
        b"Monday, July 19, 2021\rTitle\rline 1\rline 2\r",
    ],
    ids=["bom", "crlf", "cr"],
)
def test_bom_and_line_ends_are_tolerated(data: bytes) -> None:
    (post,) = blogpage.parse(data, "page.txt").posts

    assert (post.published.day, post.title, post.body_text) == (19, "Title", "line 1\nline 2")


def test_header_forms() -> None:
    page = "  Friday, November 03, 2023  \nA\nMonday, November 3, 2023\nB\n"

    posts = parse(page)

    assert [p.published.day for p in posts] == [3, 3]
    assert [p.title for p in posts] == ["A", "B"]


def test_invalid_date_is_not_a_header() -> None:
    (post,) = parse("Monday, July 19, 2021\nTitle\nMonday, February 30, 2021\nmore\n")

    assert post.body_text == "Monday, February 30, 2021\nmore"


def test_header_without_title_is_skipped() -> None:
    posts = parse("Monday, July 19, 2021\n\n\nTuesday, July 20, 2021\nTitle\nbody\n")

    assert [(p.published.day, p.title) for p in posts] == [(20, "Title")]


def test_body_html_escapes_text_and_keeps_paragraphs() -> None:
    (post,) = parse("Monday, July 19, 2021\nTitle\n<script>alert(1)</script>\nA & B\n\nnext\n")

    assert post.body_html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>A &amp; B</p>\n<p>next</p>"
    )


@pytest.mark.parametrize(
    ("data", "offset"),
    [(b"Monday, July\xff 19, 2021\nTitle\n", 12), (b"\xef\xbb\xbfMonday\xff", 9)],
)
def test_non_utf8_input_names_the_byte_and_offset(data: bytes, offset: int) -> None:
    message = rf"^seed\.txt: not UTF-8 text \(byte 0xff at offset {offset}\)$"
    with pytest.raises(ImportFailure, match=message):
        blogpage.parse(data, "seed.txt")


def test_page_without_headers_is_an_error() -> None:
    with pytest.raises(ImportFailure, match=r"^page\.txt: no posts found \(expected Blogger"):
        parse(f"{CHROME}\nJust some text.\n")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PAGE.encode(), True),
        (b"\xef\xbb\xbfMonday, July 19, 2021\r\nTitle\r\n", True),
        (b'<?xml version="1.0"?>\n<feed>Monday, July 19, 2021</feed>', False),
        (b"<html><body>\nMonday, July 19, 2021\n</body></html>", False),
        (b'{"date": "x"}\nMonday, July 19, 2021\n', False),
        (b"Just some text.\nMonday, February 30, 2021\n", False),
        (b"", False),
    ],
)
def test_sniff(data: bytes, expected: bool) -> None:
    assert blogpage.sniff(data) is expected


@pytest.mark.shared
def test_seed_page_yields_the_posts_of_its_truth(shared_dir: Path) -> None:
    seed = shared_dir / "seeds" / "000_e93157cd53edb4b4.txt"
    truth = json.loads(seed.with_suffix(".posts.json").read_text(encoding="utf-8"))

    posts = blogpage.parse(seed.read_bytes(), str(seed)).posts

    assert [(p.published.date().isoformat(), p.title) for p in posts] == [
        (post["date"], post["title"]) for post in truth["posts"]
    ]
    for post in posts:
        assert "Showing posts" not in post.body_text
        assert not post.body_text.startswith(post.title)
    assert posts[-1].body_text.endswith("This article was originally published on NBCNews.com")
    assert len({p.uid for p in posts}) == len(posts)


def test_a_trailing_labels_line_gives_the_post_its_labels() -> None:
    page = (
        "Friday, November 03, 2023\n\nDeportations begin\n\nFirst paragraph.\n\n"
        "Labels: Pakistan, Afghan refugees , \n\n"
        "Thursday, November 02, 2023\n\nNo labels here\n\nLabels mentioned mid-text: none.\n"
    )
    first, second = parse(page)
    assert first.labels == ["Pakistan", "Afghan refugees"]
    assert first.body_text == "First paragraph."
    assert "Labels" not in first.body_html
    assert second.labels == []
    assert second.body_text == "Labels mentioned mid-text: none."

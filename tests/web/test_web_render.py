"""Templates and filters, rendered without a server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gazette.model import Clip, Post
from gazette.web.render import (
    Sidebar,
    archive_years,
    http_url,
    long_date,
    make_templates,
    snippet_html,
)
from gazette.web.routes import SITE_FEED


class FixedSidebar:
    def current(self) -> Sidebar:
        return Sidebar([], [])


def render_post(post: Post) -> str:
    templates = make_templates(FixedSidebar())  # type: ignore[arg-type]
    context = {
        "post": post,
        "q": "",
        "feeds": [SITE_FEED],
        "sidebar": Sidebar([], []),
        "sidebar_html": "",
        "versions": {},
        "related": [],
    }
    return templates.get_template("post.html").render(context)


def test_post_lists_its_clips_and_links_only_to_web_addresses() -> None:
    post = Post(
        uid="t:1",
        title="Clipped",
        published=datetime(2023, 11, 1, tzinfo=UTC),
        body_text="Body",
        body_html="<p>Body</p>",
        clips=[
            Clip(
                position=1,
                headline="Queues at Torkham",
                outlet="AP",
                authors=["Riaz Khan", "<b>Munir</b>"],
                published=datetime(2023, 11, 1, tzinfo=UTC),
                dateline="TORKHAM, Pakistan",
                url="https://apnews.com/article/x",
            ),
            Clip(position=2, headline="Hostile link", url="javascript:alert(1)"),
        ],
        origin_url="javascript:alert(2)",
    )
    page = render_post(post)
    assert '<h2 id="clips-heading">Clipped articles (2)</h2>' in page
    assert '<a href="https://apnews.com/article/x">Queues at Torkham</a>' in page
    assert '<span class="outlet">AP</span> · by Riaz Khan, &lt;b&gt;Munir&lt;/b&gt;' in page
    assert "Wednesday, November 1, 2023</time> · TORKHAM, Pakistan" in page
    assert "javascript:" not in page
    assert '<p class="clip-headline">Hostile link</p>' in page


def test_post_body_html_is_the_only_unescaped_value() -> None:
    page = render_post(
        Post(
            uid="t:2",
            title="<i>title</i>",
            published=datetime(2023, 1, 1, tzinfo=UTC),
            body_text="x",
            body_html="<p><em>kept</em></p>",
            author="<script>",
            labels=["<b>label</b>"],
        )
    )
    assert "<p><em>kept</em></p>" in page
    assert "&lt;i&gt;title&lt;/i&gt;" in page and "<i>title</i>" not in page
    assert "Posted by &lt;script&gt;" in page
    assert ">&lt;b&gt;label&lt;/b&gt;</a>" in page
    assert 'href="/search/label/%3Cb%3Elabel%3C%2Fb%3E"' in page


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("a <mark>b</mark> &amp; c", "a <mark>b</mark> &amp; c"),
        ("<script>x</script> <mark>y</mark>", "&lt;script>x&lt;/script> <mark>y</mark>"),
        ("<marker>", "&lt;marker>"),
    ],
)
def test_snippets_keep_only_mark(snippet: str, expected: str) -> None:
    assert snippet_html(snippet) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://dawn.com/news/1", "https://dawn.com/news/1"),
        ("HTTP://example.org", "HTTP://example.org"),
        ("javascript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,x", None),
        ("http://[bad", None),
        (None, None),
    ],
)
def test_http_url(url: str | None, expected: str | None) -> None:
    assert http_url(url) == expected


def test_long_date_is_bloggers() -> None:
    assert long_date(datetime(2023, 2, 6, tzinfo=UTC)) == "Monday, February 6, 2023"


def test_archive_years_group_months() -> None:
    years = archive_years([(2023, 11, 2), (2023, 2, 1), (2021, 7, 2)])
    assert [(y.year, y.count, y.url) for y in years] == [(2023, 3, "/2023/"), (2021, 2, "/2021/")]
    assert [(m.name, m.url) for m in years[0].months] == [
        ("November", "/2023/11/"),
        ("February", "/2023/02/"),
    ]


def test_post_page_shows_clip_credits_and_updates() -> None:
    page = render_post(
        Post(
            uid="t:3",
            title="Clipped",
            published=datetime(2023, 11, 1, tzinfo=UTC),
            body_text="Body",
            clips=[
                Clip(
                    position=0,
                    headline="Border swamped",
                    outlet="Reuters",
                    updated=datetime(2023, 11, 2, tzinfo=UTC),
                    credits=["Reporting by Jane Doe; Editing by <John>"],
                )
            ],
        )
    )
    assert 'id="clip-0"' in page
    assert "updated <time" in page and "Thursday, November 2, 2023" in page
    assert "Reporting by Jane Doe; Editing by &lt;John&gt;" in page

"""The HTML pages, requested from a real server over HTTP."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import SAMPLE_POSTS

from gazette.archive import Archive


def text_of(markup: str) -> str:
    """The text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split()).replace(" .", ".")


def element(markup: str, css_class: str) -> str:
    """The first ``<p class="css_class">…</p>`` (or other element) in ``markup``."""
    found = re.search(rf'<(\w+) class="{css_class}"[^>]*>(.*?)</\1>', markup, re.S)
    assert found, f"no element with class {css_class}"
    return found[2]


def dates(markup: str) -> list[date]:
    """The dates of the listed posts, in page order."""
    listed = markup.split('class="post-list"', 1)[-1].split("</ol>", 1)[0]
    return [date.fromisoformat(d[:10]) for d in re.findall(r'<time datetime="([^"]+)"', listed)]


def post_urls(markup: str) -> list[str]:
    return re.findall(r'<h2><a href="([^"]+)">', markup)


def test_home_lists_newest_first_ten_to_a_page(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert len(dates(page.text)) == 10
    assert dates(page.text) == sorted(dates(page.text), reverse=True)
    assert '<a class="pager-next" rel="next" href="/?page=2">Older posts</a>' in page.text
    assert "Newer posts" not in page.text
    second = client.get("/?page=2")
    assert len(dates(second.text)) == SAMPLE_POSTS - 10
    assert dates(second.text)[0] <= dates(page.text)[-1]
    assert 'rel="prev" href="/">Newer posts</a>' in second.text
    assert "Older posts" not in second.text


def test_every_page_has_landmarks_search_box_and_sidebar(client: httpx.Client) -> None:
    page = client.get("/").text
    for landmark in ("<header", "<nav", "<main", "<aside", "<footer"):
        assert landmark in page
    assert '<a class="skip-link" href="#content">' in page
    assert '<label for="q">Search posts</label>' in page
    assert '<input id="q" name="q" type="search"' in page
    assert '<a href="/search/label/North%20Waziristan">North Waziristan</a>' in page
    assert '<a href="/2023/11/">November</a> <span class="count">(3)</span>' in page
    assert '<a href="/2023/">2023</a> <span class="count">(5)</span>' in page
    assert 'rel="alternate" type="application/atom+xml"' in page
    assert 'rel="alternate" type="application/rss+xml"' in page
    assert '<link rel="search" type="application/opensearchdescription+xml"' in page


def test_responses_forbid_scripts(client: httpx.Client) -> None:
    headers = client.get("/").headers
    assert "script-src 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_search_header_highlights_and_count(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "pakistan taliban"}).text
    assert text_of(element(page, "status-msg")) == (
        "Showing posts sorted by relevance for query pakistan taliban. "
        "Sort by date | Show all posts"
    )
    assert '<a href="/search?q=pakistan+taliban&amp;by-date=true">Sort by date</a>' in page
    assert '<a href="/">Show all posts</a>' in page
    assert "<mark>Taliban</mark>" in page and "<mark>Pakistan</mark>" in page
    assert re.search(r'<p class="result-count">\d+ posts', page)
    assert 'rel="tag">Pakistan</a>' in page
    assert 'href="/feeds/posts.atom?q=pakistan+taliban"' in page


def test_search_by_date(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "pakistan taliban", "by-date": "true"}).text
    assert text_of(element(page, "status-msg")) == (
        "Showing posts sorted by date for query pakistan taliban. "
        "Sort by relevance | Show all posts"
    )
    assert '<a href="/search?q=pakistan+taliban">Sort by relevance</a>' in page
    found = dates(page)
    assert len(found) > 3
    assert found == sorted(found, reverse=True)


def test_search_pages_with_blogger_max_results_and_start(client: httpx.Client) -> None:
    first = client.get("/search", params={"q": "pakistan", "max-results": "3"}).text
    assert "page 1 of" in first
    assert 'href="/search?q=pakistan&amp;max-results=3&amp;page=2">Next page</a>' in first
    assert len(post_urls(first)) == 3
    second = client.get("/search", params={"q": "pakistan", "max-results": "3", "start": "3"})
    assert "page 2 of" in second.text
    assert 'href="/search?q=pakistan&amp;max-results=3">Previous page</a>' in second.text
    assert not set(post_urls(first)) & set(post_urls(second.text))


def test_search_explains_partial_matches(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "durand zanzibar"}).text
    assert 'class="notes" role="status"' in page
    assert "showing posts that match some of them" in page
    assert "<mark>Durand</mark>" in page


def test_search_repairs_and_says_so(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": '"durand line'}).text
    assert "Added a missing closing quote." in page
    assert "<mark>Durand</mark> <mark>Line</mark>" in page


def test_search_with_no_hits(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "zanzibar"}).text
    assert '<p class="result-count">0 posts</p>' in page
    assert "No posts found." in page


def test_empty_search_shows_all_posts(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": ""}).text
    assert "Showing posts sorted" not in page
    assert f"{SAMPLE_POSTS} posts" in page


def test_updated_max_shows_older_posts_newest_first(client: httpx.Client) -> None:
    page = client.get(
        "/search", params={"updated-max": "2022-01-01T00:00:00-08:00", "max-results": "20"}
    ).text
    found = dates(page)
    assert found == sorted(found, reverse=True)
    assert found and all(day < date(2022, 1, 1) for day in found)
    assert len(found) == 5


def test_label_page(client: httpx.Client) -> None:
    page = client.get("/search/label/North%20Waziristan").text
    assert text_of(element(page, "status-msg")) == (
        "Showing posts with label North Waziristan. Show all posts"
    )
    assert '<p class="result-count">4 posts</p>' in page
    assert dates(page) == sorted(dates(page), reverse=True)
    assert 'href="/feeds/posts.atom/-/North%20Waziristan"' in page


def test_label_page_matches_labels_case_insensitively(client: httpx.Client) -> None:
    assert '<p class="result-count">4 posts</p>' in client.get("/search/label/ttp").text


def test_both_labels_with_plus(client: httpx.Client) -> None:
    page = client.get("/search/label/Pakistan+TTP").text
    assert "Showing posts with label <strong>Pakistan and TTP</strong>" in page
    assert '<p class="result-count">4 posts</p>' in page


def test_either_label_with_bar(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "label:Refugees|label:TTP"}).text
    assert '<p class="result-count">7 posts</p>' in page


def test_year_and_month_archives(client: httpx.Client) -> None:
    year = client.get("/2023/").text
    assert "<h1>Posts from 2023</h1>" in year
    assert all(day.year == 2023 for day in dates(year)) and len(dates(year)) == 5
    month = client.get("/2023/11/").text
    assert "<h1>Posts from November 2023</h1>" in month
    assert dates(month) == [date(2023, 11, 5), date(2023, 11, 3), date(2023, 11, 1)]
    redirected = client.get("/2023")
    assert redirected.status_code in (301, 307, 308)
    assert redirected.headers["location"].endswith("/2023/")


def test_post_page(client: httpx.Client) -> None:
    home = client.get("/").text
    url = next(u for u in post_urls(home) if "torkham" in u)
    page = client.get(url)
    assert page.status_code == 200
    assert "<h1>Queues at Torkham as the deadline for undocumented Afghans passes</h1>" in page.text
    assert '<time datetime="2023-11-01T00:00:00+00:00">Wednesday, November 1, 2023</time>' in (
        page.text
    )
    assert '<a href="/search/label/Durand%20Line" rel="tag">Durand Line</a>' in page.text
    assert "Thousands of Afghans waited in long lines" in page.text
    assert '<div class="post-body"><p>' in page.text


def test_blogger_html_post_address_redirects(client: httpx.Client) -> None:
    url = post_urls(client.get("/").text)[0]
    moved = client.get(url + ".html")
    assert moved.status_code == 301
    assert moved.headers["location"] == url


@pytest.mark.parametrize(
    "path",
    ["/2023/02/no-such-post", "/2023/13/", "/nowhere", "/search/label/", "/feeds/posts.xml"],
)
def test_not_found_is_helpful(client: httpx.Client, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 404
    assert "<h1>Page not found</h1>" in page.text
    assert '<label for="q-404">Search the archive instead</label>' in page.text


def test_not_found_suggests_posts_like_the_address(client: httpx.Client) -> None:
    page = client.get("/2021/07/imran-khan-united-states-mishandled").text
    assert "Perhaps you were looking for" in page
    assert "Imran Khan: the United States mishandled Afghanistan" in page
    assert 'value="imran khan united states mishandled"' in page


def test_static_stylesheet(client: httpx.Client) -> None:
    css = client.get("/static/gazette.css")
    assert css.status_code == 200
    assert ":focus-visible" in css.text


def test_imported_markup_is_escaped(tmp_path: Path, serve) -> None:
    """A hostile title, label and body show as text, never as markup."""
    source = tmp_path / "hostile.txt"
    source.write_text(
        "Monday, January 02, 2023\n\n<script>alert('title')</script>\n\n"
        '"><img src=x onerror=alert(1)> <b>bold</b>\n\nLabels: <i>x</i>, Pakistan\n'
    )
    with Archive.open(tmp_path / "data", create=True) as archive:
        assert archive.import_file(source).added == 1
        with serve(archive) as url, httpx.Client(base_url=url) as local:
            pages = [local.get("/").text, local.get("/search?q=bold").text]
            pages.append(local.get(post_urls(pages[0])[0]).text)
            pages.append(local.get("/search/label/%3Ci%3Ex%3C%2Fi%3E").text)
            feed = local.get("/feeds/posts.atom").text
    for page in pages:
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "<i>x</i>" not in page
        assert "&lt;i&gt;x&lt;/i&gt;" in page
    assert "<script>" not in feed

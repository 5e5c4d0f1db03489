"""The web page importer: seven saved news pages, inline pages, sniffing and fetching."""

from __future__ import annotations

import hashlib
import html
import json
import re
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from tests.conftest import SHARED_DIR

from gazette.clips.article import known_outlet
from gazette.ingest import webpage
from gazette.ingest.base import ImportFailure
from gazette.ingest.html import sanitize, to_text
from gazette.model import Clip

PAGES = SHARED_DIR / "fixtures" / "html"
PASSING = [
    "bbc.com.52241221.html",
    "dw.com-elephants.html",
    "edition.cnn.com-royal.html",
    "independent.co.uk.penalty.html",
    "plentylife.blogspot.pamela-reif.html",
    "theguardian.com.academics.html",
]
"""The saved pages on which every check passes (reuters.com.parasite.html does not)."""
CHECKS = {
    "title": "title",
    "author": "author",
    "date": "date",
    "outlet": "sitename",
    "with": "with",
    "without": "without",
}
"""The checks made on a saved page, with the key of ``expected.json`` each one compares to."""

PARAGRAPHS = [
    "WELLINGTON (Gazette) - The harbour board voted on Tuesday to rebuild the old ferry "
    "terminal, ending a decade of argument over the waterfront.",
    "The new terminal will take three years to build and cost about 40 million dollars, "
    "the board said, most of it paid by the city council.",
    "Residents who opposed the plan said they would keep campaigning for a park instead.",
]
ARTICLE = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
NAV = '<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>'
FOOTER = "<footer><p>Copyright 2024 Harbour Herald. All rights reserved.</p></footer>"


def page(head: str = "", article: str = ARTICLE, headline: str = "Ferry terminal rebuilt") -> bytes:
    """A small news page: navigation, one article under an <h1>, a footer."""
    return (
        f"<!DOCTYPE html><html><head><title>{headline} | Harbour Herald</title>{head}</head>"
        f"<body>{NAV}<main><article><h1>{headline}</h1>{article}</article></main>{FOOTER}"
        "</body></html>"
    ).encode()


def meta(name: str, content: str) -> str:
    attribute = "property" if ":" in name else "name"
    return f'<meta {attribute}="{name}" content="{content}">'


# -- the seven saved pages ----------------------------------------------------------------


@pytest.fixture
def expected(shared_dir: Path) -> dict[str, dict]:
    """``expected.json``: per saved page, its metadata and passages the body must (``with``)
    and must not (``without``) contain."""
    return json.loads((shared_dir / "fixtures" / "html" / "expected.json").read_text())


@cache
def clip_of(name: str) -> Clip:
    return webpage.extract((PAGES / name).read_bytes(), None, name)


def folded(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip().casefold()


def failed_checks(clip: Clip, expected: dict) -> dict[str, list[str]]:
    """Which checks fail for one page: {check: [details]}; a check the page has no expected
    value for is not made. Text is compared case- and white-space-insensitively."""
    failures: dict[str, list[str]] = {}
    if "title" in expected and folded(clip.headline) != folded(expected["title"]):
        failures["title"] = [repr(clip.headline)]
    if "author" in expected and folded("; ".join(clip.authors)) != folded(expected["author"]):
        failures["author"] = [repr(clip.authors)]
    # the annotated date is the one the page shows: first publication (Reuters) or the last
    # update (CNN, "Updated ... March 14, 2021"); a clip keeps both
    days = {day.date().isoformat() for day in (clip.published, clip.updated) if day}
    if "date" in expected and expected["date"] not in days:
        failures["date"] = sorted(days)
    # a known outlet is named as everywhere in Gazette ("BBC News" -> BBC, "DW.COM" -> DW)
    site = expected.get("sitename")
    if site and folded(clip.outlet) != folded(known_outlet(site) or site):
        failures["outlet"] = [repr(clip.outlet)]
    body = folded(clip.body)
    if missing := [repr(text) for text in expected["with"] if folded(text) not in body]:
        failures["with"] = missing
    if present := [repr(text) for text in expected["without"] if folded(text) in body]:
        failures["without"] = present
    return failures


@pytest.mark.shared
def test_at_least_six_of_the_seven_saved_pages_pass_every_check(expected: dict) -> None:
    rows = [f"{'page':38} {' '.join(f'{check:7}' for check in CHECKS)} details"]
    passed = 0
    for name, truth in sorted(expected.items()):
        failures = failed_checks(clip_of(name), truth)
        passed += not failures
        cells = [
            "FAIL" if check in failures else "ok" if key in truth else "-"
            for check, key in CHECKS.items()
        ]
        details = "; ".join(f"{check}: {', '.join(found)}" for check, found in failures.items())
        rows.append(f"{name:38} {' '.join(f'{cell:7}' for cell in cells)} {details}".rstrip())
    table = "\n".join(rows)
    print(table)
    assert passed >= 6, f"only {passed} of {len(expected)} pages pass every check:\n{table}"


@pytest.mark.shared
@pytest.mark.parametrize("name", PASSING)
def test_saved_page_passes_every_check(expected: dict, name: str) -> None:
    assert failed_checks(clip_of(name), expected[name]) == {}


@pytest.mark.shared
def test_saved_page_becomes_one_post_of_one_clip(shared_dir: Path) -> None:
    name = "theguardian.com.academics.html"
    batch = webpage.parse((shared_dir / "fixtures" / "html" / name).read_bytes(), name)
    [post] = batch.posts
    url = (
        "https://www.theguardian.com/education/2020/jan/20/"
        "thousands-of-uk-academics-treated-as-second-class-citizens"
    )
    assert batch.warnings == []
    assert post.uid == f"webpage:{url}"
    assert post.title == "Thousands of UK academics 'treated as second-class citizens'"
    assert post.published == datetime(2020, 1, 20, 6, 5, 18, tzinfo=UTC)
    assert post.updated == datetime(2020, 1, 20, 6, 7, 9, tzinfo=UTC)
    assert post.author == "Richard Adams"
    assert (post.origin_format, post.origin_url, post.source_path) == ("webpage", url, name)
    assert post.labels == []
    assert post.clips == [clip_of(name)]
    assert post.body_text == post.clips[0].body
    assert post.body_html == "\n".join(
        f"<p>{html.escape(paragraph, quote=False)}</p>"
        for paragraph in post.body_text.split("\n\n")
    )


# -- inline pages -------------------------------------------------------------------------


def test_clip_has_headline_byline_outlet_dates_and_canonical_url() -> None:
    head = (
        meta("og:title", "Ferry terminal will be rebuilt")
        + meta("og:site_name", "Harbour Herald")
        + meta("author", "Ann Smith and Bob Jones")
        + meta("article:published_time", "2023-11-01T09:30:00+13:00")
        + meta("article:modified_time", "2023-11-02T08:00:00+13:00")
        + '<link rel="canonical" href="/news/ferry-terminal">'
    )
    clip = webpage.extract(page(head), "https://herald.example/news/ferry?utm_source=x", "p")
    assert clip.headline == "Ferry terminal rebuilt"
    assert clip.authors == ["Ann Smith", "Bob Jones"]
    assert clip.outlet == "Harbour Herald"
    assert clip.published == datetime(2023, 11, 1, 9, 30, tzinfo=timezone(timedelta(hours=13)))
    assert clip.updated == datetime(2023, 11, 2, 8, 0, tzinfo=timezone(timedelta(hours=13)))
    assert clip.url == "https://herald.example/news/ferry-terminal"
    assert clip.body == "\n\n".join(PARAGRAPHS)


def test_a_site_name_h1_is_not_the_headline() -> None:
    head = meta("og:title", "Ferry terminal rebuilt - Harbour Herald")
    data = page(head).replace(b"<body>", b"<body><header><h1>Harbour Herald</h1></header>")
    assert webpage.extract(data, None, "p").headline == "Ferry terminal rebuilt"


@pytest.mark.parametrize(
    "names", ["Ann Smith and Bob Jones", "Ann Smith; Bob Jones", "Ann Smith, Bob Jones"]
)
def test_several_authors_are_split(names: str) -> None:
    clip = webpage.extract(page(meta("author", names)), None, "p")
    assert clip.authors == ["Ann Smith", "Bob Jones"]


def test_the_outlet_is_not_an_author() -> None:
    head = meta("author", "Rob Smith, Harbour Herald") + meta("og:site_name", "Harbour Herald")
    assert webpage.extract(page(head), None, "p").authors == ["Rob Smith"]


def test_a_byline_printed_with_the_article_beats_the_metadata_author() -> None:
    article = ARTICLE + "<p>Auteur : Jeanne Martin</p>"
    clip = webpage.extract(page(meta("author", "Herald Media Group"), article), None, "p")
    assert clip.authors == ["Jeanne Martin"]


def test_a_date_without_a_time_is_midnight_utc() -> None:
    clip = webpage.extract(page(meta("article:published_time", "2021-05-04")), None, "p")
    assert clip.published == datetime(2021, 5, 4, tzinfo=UTC)


def test_json_ld_article_dates_come_first() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [{"@type": "NewsArticle", "datePublished": "2020-01-19T12:25:36Z"}],
    }
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>' + meta(
        "article:published_time", "2020-01-20T09:49:32Z"
    )
    assert webpage.extract(page(head), None, "p").published == datetime(
        2020, 1, 19, 12, 25, 36, tzinfo=UTC
    )


def test_page_without_date_is_dated_now_with_a_warning() -> None:
    before = datetime.now(UTC)
    batch = webpage.parse(page(), "saved/ferry.html")
    [post] = batch.posts
    assert post.clips[0].published is None
    assert before <= post.published <= datetime.now(UTC)
    assert batch.warnings == [
        f"saved/ferry.html: no publication date found on the page; "
        f"dated the post now ({post.published:%Y-%m-%d %H:%M} UTC)"
    ]


def test_page_without_url_is_keyed_by_its_text() -> None:
    [post] = webpage.parse(page(), "saved/ferry.html").posts
    digest = hashlib.sha256("\n\n".join(PARAGRAPHS).encode()).hexdigest()[:16]
    assert post.uid == f"webpage:{digest}"
    assert post.origin_url is None


def test_a_url_source_is_the_clips_url_when_the_page_names_none() -> None:
    [post] = webpage.parse(page(), "https://herald.example/ferry").posts
    assert post.uid == "webpage:https://herald.example/ferry"
    assert post.origin_url == post.clips[0].url == "https://herald.example/ferry"


def test_hostile_markup_does_not_reach_the_post() -> None:
    article = (
        "<p>The board met <script>alert('p0wned')</script>on Tuesday "
        '<img src="x.png" onerror="alert(1)"> and said x &lt; y &amp; z.</p>'
        + '<p><a href="javascript:alert(2)">Click here</a> for the full report.</p>'
        + ARTICLE
    )
    [post] = webpage.parse(page(article=article), "hostile.html").posts
    for hostile in ("<script", "alert", "onerror", "javascript:", "<img", "<a "):
        assert hostile not in post.body_html
        assert hostile not in post.body_text
    assert "x &lt; y &amp; z." in post.body_html
    assert "x < y & z." in post.body_text
    assert sanitize(post.body_html) == post.body_html
    assert to_text(post.body_html) == post.body_text


@pytest.mark.parametrize(
    "data",
    [
        page(article="<p>Subscribe</p>"),
        b"<!DOCTYPE html><html><head><title>Home</title></head><body>"
        + NAV.encode()
        + b"</body></html>",
        b"",
        b"just some text",
    ],
    ids=["no-article", "navigation-only", "empty", "not-html"],
)
def test_page_without_an_article_is_a_clear_failure(data: bytes) -> None:
    with pytest.raises(ImportFailure, match=r"^shop\.html: no article text found"):
        webpage.parse(data, "shop.html")


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta charset="windows-1252">',
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
    ],
)
def test_a_page_is_read_in_its_declared_charset(declaration: str) -> None:
    text = "Le café était fermé à Montréal, où l’on disait « déjà vu » — 3 €. " * 4
    data = (
        f"<!DOCTYPE html><html><head>{declaration}<title>Café</title></head>"
        f"<body><article><h1>Café fermé</h1><p>{text}</p></article></body></html>"
    ).encode("cp1252")
    clip = webpage.extract(data, None, "cafe.html")
    assert clip.headline == "Café fermé"
    assert clip.body == text.strip()


# -- sniff --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (page(), True),
        (b"\xef\xbb\xbf  <html lang='en'><body><p>Hi</p></body></html>", True),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">',
            True,
        ),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
            False,
        ),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>', False),
        (b"Thursday, February 16, 2023\n\nAfghan Taliban\n", False),
        (b'{"posts": []}', False),
    ],
    ids=["html5", "bom-html", "xhtml", "rss", "atom", "text", "json"],
)
def test_sniff_recognises_html_documents(data: bytes, expected: bool) -> None:
    assert webpage.sniff(data) is expected


# -- fetch --------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    user_agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.user_agents.append(self.headers["User-Agent"])
        if self.path == "/article":
            self._reply(200, {"Content-Type": "text/html; charset=utf-8"}, page())
        elif self.path == "/moved":
            self._reply(302, {"Location": "/article"}, b"")
        elif self.path == "/slow":
            time.sleep(0.5)
        else:
            self._reply(404, {"Content-Type": "text/plain"}, b"not here")

    def _reply(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The base URL of an HTTP server on 127.0.0.1 serving /article, /moved (a redirect to
    it), /slow (no answer for half a second) and 404 for anything else."""
    for variable in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    _Handler.user_agents = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_fetch_downloads_a_page_as_gazette(server: str) -> None:
    assert webpage.fetch(f"{server}/article") == page()
    assert _Handler.user_agents == ["Gazette/0.1 (+news clipping archive)"]


def test_fetch_follows_redirects(server: str) -> None:
    assert webpage.fetch(f"{server}/moved") == page()


def test_fetch_reports_an_http_error(server: str) -> None:
    with pytest.raises(ImportFailure, match=r"/missing: could not fetch \(HTTP 404 Not Found\)"):
        webpage.fetch(f"{server}/missing")


def test_fetch_reports_a_timeout(server: str) -> None:
    with pytest.raises(ImportFailure, match=r"/slow: could not fetch \(.*timed out"):
        webpage.fetch(f"{server}/slow", timeout=0.1)


def test_fetch_reports_a_refused_connection() -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), _Handler) as closed:
        port = closed.server_port
    with pytest.raises(ImportFailure, match=rf"^http://127.0.0.1:{port}/: could not fetch \("):
        webpage.fetch(f"http://127.0.0.1:{port}/")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "example.org"])
def test_fetch_only_fetches_web_urls(url: str) -> None:
    with pytest.raises(ImportFailure, match="could not fetch \\(not an http or https URL\\)"):
        webpage.fetch(url)

"""Feed subscriptions, polled from a real HTTP server on 127.0.0.1 (no external network)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from gazette.archive import Archive
from gazette.subscriptions import USER_AGENT, add_feed, list_feeds, poll, remove_feed
from gazette.web.app import create_app

LAST_MODIFIED = "Fri, 01 Mar 2024 12:00:00 GMT"
ENTRIES = {
    "1": ("Talks resume in Doha", "Delegations met for a second day."),
    "2": ("Border crossing reopens", "Trade resumed at Torkham on Monday."),
    "3": ("Floods in the north", "Rescue teams reached the valley."),
}


def rss(entries: dict[str, tuple[str, str]], title: str = "Frontier Wire") -> bytes:
    items = "".join(
        f"<item><guid>https://wire.example/{key}</guid><title>{headline}</title>"
        f"<link>https://wire.example/{key}</link><description>{body}</description>"
        f"<pubDate>Fri, 0{key} Mar 2024 09:00:00 GMT</pubDate></item>"
        for key, (headline, body) in entries.items()
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"{items}</channel></rss>"
    ).encode()


@dataclass
class Site:
    """What the test server serves, and what it was asked."""

    base: str = ""
    entries: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(ENTRIES))
    version: int = 1
    failing: bool = True
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def edit(self, key: str, headline: str, body: str) -> None:
        self.entries[key] = (headline, body)
        self.version += 1

    def seen(self, path: str) -> list[dict[str, str]]:
        return [headers for requested, headers in self.requests if requested == path]


def handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append((self.path, dict(self.headers)))
            if self.path == "/feed.xml":
                self.serve_feed()
            elif self.path == "/flaky.xml" and not site.failing:
                self.reply(200, rss({"9": ("Back online", "The flaky feed works.")}, "Flaky"))
            elif self.path in ("/broken.xml", "/flaky.xml"):
                self.reply(500, b"oops")
            elif self.path == "/slow.xml":
                site.release.wait(10)
            elif self.path == "/garbage.xml":
                self.reply(200, b"\x00 not a feed", "text/plain", {"ETag": '"junk"'})
            elif self.path == "/old.xml":
                self.redirect(301, "/moved-once.xml")
            elif self.path == "/moved-once.xml":
                self.redirect(302, "/new.xml")
            elif self.path in ("/new.xml", "/elsewhere.xml"):
                self.reply(200, rss({"7": ("Moved feed", "Served from the new address.")}))
            elif self.path == "/temporary.xml":
                self.redirect(307, "/elsewhere.xml")
            else:
                self.reply(404, b"not found")

        def serve_feed(self) -> None:
            etag = f'"v{site.version}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.reply(200, rss(site.entries), extra={"ETag": etag, "Last-Modified": LAST_MODIFIED})

        def redirect(self, status: int, location: str) -> None:
            self.send_response(status)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def reply(
            self,
            status: int,
            body: bytes,
            content_type: str = "application/rss+xml",
            extra: dict[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """A feed server on 127.0.0.1; ``*.invalid`` host names fail to resolve, without a lookup."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    resolve = socket.getaddrinfo

    def offline_dns(host: object, *args: object, **kwargs: object) -> object:
        if isinstance(host, str) and host.endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", offline_dns)
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


# -- subscribing ------------------------------------------------------------------------------


def test_add_list_and_remove_feeds(archive: Archive) -> None:
    first = add_feed(archive, "https://wire.example/feed.xml", label="Pakistan")
    second = add_feed(archive, "  http://other.example/rss  ")

    assert (first.url, first.label, first.error, first.last_polled) == (
        "https://wire.example/feed.xml",
        "Pakistan",
        None,
        None,
    )
    assert second.url == "http://other.example/rss"
    assert [feed.url for feed in list_feeds(archive)] == [first.url, second.url]

    assert remove_feed(archive, str(first.id)) == first
    assert remove_feed(archive, second.url) == second
    assert remove_feed(archive, second.url) is None
    assert list_feeds(archive) == []


def test_adding_a_feed_again_updates_its_label(archive: Archive) -> None:
    first = add_feed(archive, "https://wire.example/feed.xml", label="Pakistan")
    again = add_feed(archive, "https://wire.example/feed.xml", label="Afghanistan")

    assert again.id == first.id
    assert again.label == "Afghanistan"
    assert len(list_feeds(archive)) == 1


@pytest.mark.parametrize(
    "url", ["ftp://wire.example/feed.xml", "wire.example/feed.xml", "javascript:alert(1)", ""]
)
def test_only_web_addresses_can_be_subscribed(archive: Archive, url: str) -> None:
    with pytest.raises(ValueError, match="must start with http:// or https://"):
        add_feed(archive, url)
    assert list_feeds(archive) == []


# -- polling ----------------------------------------------------------------------------------


def test_poll_imports_then_asks_conditionally_then_updates_edited_entries(
    archive: Archive, site: Site
) -> None:
    add_feed(archive, f"{site.base}/feed.xml", label="Frontier")

    (first,) = poll(archive)
    assert first.status == "ok"
    assert first.summary is not None
    assert (first.summary.added, first.summary.updated) == (3, 0)
    assert first.feed.title == "Frontier Wire"
    assert (first.feed.etag, first.feed.last_modified) == ('"v1"', LAST_MODIFIED)
    assert (first.feed.last_status, first.feed.error) == (200, None)
    assert first.feed.last_polled is not None
    assert archive.search("label:Frontier").total == 3
    assert archive.search("Torkham").hits[0].title == "Border crossing reopens"

    (second,) = poll(archive)
    assert (second.status, second.summary) == ("not-modified", None)
    assert second.feed.last_status == 304
    assert second.feed.etag == '"v1"'
    headers = site.seen("/feed.xml")[-1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == LAST_MODIFIED
    assert headers["User-Agent"] == USER_AGENT
    assert archive.store.count() == 3

    site.edit("2", "Border crossing reopens", "Trade resumed after a ceasefire at Torkham.")
    (third,) = poll(archive)
    assert third.status == "ok"
    assert third.summary is not None
    assert (third.summary.added, third.summary.updated, third.summary.unchanged) == (0, 1, 2)
    assert third.feed.etag == '"v2"'
    assert archive.store.count() == 3
    found = archive.search("ceasefire")
    assert [hit.title for hit in found.hits] == ["Border crossing reopens"]
    assert found.hits[0].labels == ["Frontier"]


def test_one_broken_feed_never_stops_the_others(archive: Archive, site: Site) -> None:
    for path in ("broken", "slow", "garbage"):
        add_feed(archive, f"{site.base}/{path}.xml")
    add_feed(archive, "http://no-such-host.invalid/feed.xml")
    add_feed(archive, f"{site.base}/feed.xml")

    broken, slow, garbage, unresolved, good = poll(archive, timeout=0.5)

    assert good.status == "ok"
    assert archive.store.count() == 3
    assert [r.status for r in (broken, slow, garbage, unresolved)] == ["error"] * 4
    assert (
        broken.message
        == f"{site.base}/broken.xml: the server answered HTTP 500 Internal Server Error"
    )
    assert slow.message == f"{site.base}/slow.xml: no answer within 0.5 s"
    assert garbage.message.startswith(f"{site.base}/garbage.xml: not an RSS or Atom feed")
    assert unresolved.message.startswith(
        "http://no-such-host.invalid/feed.xml: cannot fetch (ConnectError: "
    )
    stored = list_feeds(archive)
    assert [(feed.error, feed.last_status) for feed in stored] == [
        (broken.message, 500),
        (slow.message, None),
        (garbage.message, 200),
        (unresolved.message, None),
        (None, 200),
    ]
    assert all(feed.last_polled is not None for feed in stored)
    assert stored[2].etag is None


def test_a_feed_that_recovers_has_its_error_cleared(archive: Archive, site: Site) -> None:
    add_feed(archive, f"{site.base}/flaky.xml", label="Flaky")
    (failed,) = poll(archive)
    assert (failed.status, failed.feed.last_status) == ("error", 500)

    site.failing = False
    (recovered,) = poll(archive)

    assert recovered.status == "ok"
    assert (recovered.feed.error, recovered.feed.last_status) == (None, 200)
    assert archive.search("label:Flaky").total == 1


def test_a_permanent_redirect_moves_the_subscription_a_temporary_one_does_not(
    archive: Archive, site: Site
) -> None:
    add_feed(archive, f"{site.base}/old.xml")  # 301 to /moved-once.xml, then 302 to /new.xml
    add_feed(archive, f"{site.base}/temporary.xml")  # 307 to /elsewhere.xml

    moved, temporary = poll(archive)

    assert moved.status == temporary.status == "ok"
    assert moved.summary is not None
    assert moved.summary.added == 1
    assert moved.feed.url == f"{site.base}/moved-once.xml"
    assert temporary.feed.url == f"{site.base}/temporary.xml"
    assert [feed.url for feed in list_feeds(archive)] == [moved.feed.url, temporary.feed.url]

    poll(archive)
    assert len(site.seen("/old.xml")) == 1
    assert len(site.seen("/temporary.xml")) == 2


def test_a_redirect_to_an_address_already_subscribed_keeps_both(
    archive: Archive, site: Site
) -> None:
    add_feed(archive, f"{site.base}/old.xml")
    add_feed(archive, f"{site.base}/moved-once.xml")

    assert [result.status for result in poll(archive)] == ["ok", "ok"]
    assert [feed.url for feed in list_feeds(archive)] == [
        f"{site.base}/old.xml",
        f"{site.base}/moved-once.xml",
    ]


# -- what polled entries carry ----------------------------------------------------------------


async def get_page(archive: Archive, path: str) -> httpx.Response:
    """A page of the blog, from the real web app serving ``archive`` (in this process)."""
    transport = httpx.ASGITransport(app=create_app(archive))
    async with httpx.AsyncClient(transport=transport, base_url="http://gazette.test") as client:
        return await client.get(path)


def test_polled_entries_are_clips_filtered_counted_and_shown_and_a_repoll_changes_nothing(
    archive: Archive, site: Site
) -> None:
    site.entries = {
        "1": ("Talks resume in Doha", "DOHA, Qatar (Reuters) - Delegations met for a second day."),
        "2": ("Border crossing reopens", "PESHAWAR, Pakistan (AP) — Trade resumed at Torkham."),
        "3": ("Floods in the north", "Rescue teams reached the valley."),
    }
    add_feed(archive, f"{site.base}/feed.xml", label="Frontier")
    (first,) = poll(archive)
    assert first.summary is not None
    assert first.summary.added == 3

    assert [hit.title for hit in archive.search("source:Reuters").hits] == ["Talks resume in Doha"]
    (ap,) = archive.search("source:AP").hits
    assert ap.title == "Border crossing reopens"
    outlets = archive.search("label:Frontier").facets["outlets"]
    assert sorted((f.value, f.count) for f in outlets) == [("AP", 1), ("Reuters", 1)]
    page = asyncio.run(get_page(archive, ap.url))
    assert page.status_code == 200
    assert "Clipped articles (1)" in page.text
    assert '<span class="outlet">AP</span>' in page.text
    assert "PESHAWAR, Pakistan" in page.text
    assert '<a href="https://wire.example/2">Border crossing reopens</a>' in page.text

    site.version += 1  # the same entries again, in full under a new ETag
    (again,) = poll(archive)
    assert again.status == "ok"
    assert again.summary is not None
    assert (again.summary.added, again.summary.updated, again.summary.unchanged) == (0, 0, 3)

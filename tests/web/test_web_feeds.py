"""Atom and RSS feeds and the OpenSearch description, parsed as a feed reader would."""

from __future__ import annotations

from xml.etree import ElementTree

import feedparser
import httpx
import pytest
from tests.web.conftest import SAMPLE_POSTS


def parsed(client: httpx.Client, url: str, **params: str) -> feedparser.FeedParserDict:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize(
    ("url", "version", "media_type"),
    [
        ("/feeds/posts.atom", "atom10", "application/atom+xml"),
        ("/feeds/posts.rss", "rss20", "application/rss+xml"),
    ],
)
def test_site_feeds(client: httpx.Client, url: str, version: str, media_type: str) -> None:
    assert client.get(url).headers["content-type"].startswith(media_type)
    feed = parsed(client, url)
    assert feed.version == version
    assert feed.feed.title == "Gazette"
    assert len(feed.entries) == SAMPLE_POSTS
    published = [entry.published_parsed for entry in feed.entries]
    assert published == sorted(published, reverse=True)
    first = feed.entries[0]
    assert first.title == "Soldiers killed in attack on army post in North Waziristan"
    assert first.link.endswith(
        "/2024/03/soldiers-killed-in-attack-on-army-post-in-north-waziristan"
    )
    assert {tag.term for tag in first.tags} == {"Pakistan", "North Waziristan", "TTP"}
    assert first.guid == first.link
    assert "Mir Ali" in (first.content[0].value if version == "atom10" else first.summary)
    assert feed.feed.link == str(client.base_url.join("/"))


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_label_feed(client: httpx.Client, kind: str) -> None:
    feed = parsed(client, f"/feeds/posts.{kind}/-/Durand Line")
    assert feed.feed.title == "Gazette: posts with label Durand Line"
    assert len(feed.entries) == 4
    assert all("Durand Line" in {tag.term for tag in entry.tags} for entry in feed.entries)


def test_search_feed(client: httpx.Client) -> None:
    feed = parsed(client, "/feeds/posts.atom", q="torkham")
    assert feed.feed.title == "Gazette: posts matching torkham"
    assert [entry.title for entry in feed.entries] == [
        "Deadline day at the border, as the wire told it",
        "Queues at Torkham as the deadline for undocumented Afghans passes",
        "Taliban enter Kabul as the government collapses",
    ]


def test_blogger_feed_addresses(client: httpx.Client) -> None:
    assert parsed(client, "/feeds/posts/default").version == "atom10"
    assert parsed(client, "/feeds/posts/default", alt="rss").version == "rss20"
    assert len(parsed(client, "/feeds/posts/default/-/Refugees").entries) == 3


@pytest.mark.parametrize(
    "q", ["\x00\x01\x1b<script>", "zanzibar", '"unbalanced (', "\ufffe\ud7ff label:"]
)
def test_feeds_of_odd_searches_still_parse(client: httpx.Client, q: str) -> None:
    for kind in ("atom", "rss"):
        parsed(client, f"/feeds/posts.{kind}", q=q)


def test_opensearch_description(client: httpx.Client, base_url: str) -> None:
    response = client.get("/opensearch.xml")
    assert response.headers["content-type"].startswith("application/opensearchdescription+xml")
    root = ElementTree.fromstring(response.content)
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    assert root.find("os:ShortName", ns).text == "Gazette"
    templates = {url.get("type"): url.get("template") for url in root.findall("os:Url", ns)}
    assert templates["text/html"] == f"{base_url}/search?q={{searchTerms}}"
    assert templates["application/atom+xml"] == f"{base_url}/feeds/posts.atom?q={{searchTerms}}"

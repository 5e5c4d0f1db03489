"""Versions of one story on the web: folded in search results, linked from the post page,
and related posts, over the sample archive (two posts clip the AP's Torkham report)."""

from __future__ import annotations

import re

import httpx

QUEUES = "/2023/11/queues-at-torkham-as-the-deadline-for-undocumented-afghans"
WIRE = "/2023/11/deadline-day-at-the-border-as-the-wire-told-it"


def test_search_shows_one_entry_for_the_story_with_its_other_version(
    client: httpx.Client,
) -> None:
    page = client.get("/search", params={"q": "torkham queues"}).text
    entries = re.findall(r'<h2><a href="([^"]+)">', page)
    assert entries[0] == QUEUES and WIRE not in entries
    versions = page.split('<details class="versions">', 1)[1].split("</details>", 1)[0]
    assert "<summary>1 other version</summary>" in versions
    assert f'<a href="{WIRE}">Deadline day at the border, as the wire told it</a>' in versions


def test_a_post_page_links_the_versions_of_its_clips_and_related_posts(
    client: httpx.Client,
) -> None:
    page = client.get(WIRE).text
    clip = page.split('<li class="clip" id="clip-0">', 1)[1].split("</li>\n      \n", 1)[0]
    assert "<summary>1 other version of this story</summary>" in clip
    assert f'<a href="{QUEUES}">' in clip and '<span class="outlet">AP</span>' in clip
    related = page.split('<section class="related"', 1)[1].split("</section>", 1)[0]
    links = re.findall(r'<a href="([^"]+)">', related)
    assert 1 <= len(links) <= 5 and QUEUES not in links and WIRE not in links
    assert "/2023/11/factbox-why-pakistan-is-sending-afghans-home" in links


def test_the_api_gives_versions_and_related_posts(client: httpx.Client) -> None:
    hits = client.get("/api/search", params={"q": "torkham queues"}).json()["hits"]
    assert [v["url"] for v in hits[0]["versions"]] == [WIRE]
    wire_id = hits[0]["versions"][0]["id"]
    post = client.get(f"/api/posts/{wire_id}").json()
    (version,) = post["clips"][0]["versions"]
    assert version["url"] == QUEUES and version["outlet"] == "AP"
    assert post["clips"][0]["story_id"] is not None
    assert post["related"] and all(other["url"] != QUEUES for other in post["related"])

"""Ranking as readers see it: every-word matches first, then some-word matches, and RM3."""

from __future__ import annotations

import httpx


def test_partial_matches_follow_under_their_own_heading(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "torkham kabul"}).text
    api = client.get("/api/search", params={"q": "torkham kabul"}).json()
    assert 0 < api["matched_all"] < api["total"]
    assert [hit["matches_all"] for hit in api["hits"]] == sorted(
        (hit["matches_all"] for hit in api["hits"]), reverse=True
    )
    heading = page.index("Posts that match some of the words")
    first_full = next(h for h in api["hits"] if h["matches_all"])["title"]
    first_partial = next(h for h in api["hits"] if not h["matches_all"])["title"]
    assert page.index(first_full) < heading < page.index(first_partial)


def test_by_date_lists_only_posts_with_every_word(client: httpx.Client) -> None:
    api = client.get("/api/search", params={"q": "torkham kabul", "sort": "date"}).json()
    assert api["total"] == api["matched_all"] > 0
    assert all(hit["matches_all"] for hit in api["hits"])


def test_related_words_option(client: httpx.Client) -> None:
    plain = client.get("/api/search", params={"q": "airport"}).json()
    related = client.get("/api/search", params={"q": "airport", "related": "true"}).json()
    assert related["total"] >= plain["total"]
    assert any(note.startswith("Also searched for words") for note in related["notes"])
    assert client.get("/api/search", params={"q": "x", "related": "maybe"}).status_code == 400
    page = client.get("/search", params={"q": "airport", "related": "true"}).text
    assert "Also searched for words from the best matches" in page

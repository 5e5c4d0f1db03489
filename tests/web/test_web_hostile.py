"""Hostile and odd queries: never a server error, and never markup that was not escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ATTACKS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
    'label:"<b>x</b>"',
    "javascript:alert(1)",
    "&lt;script&gt;",
    '"unbalanced',
    "((( ))) ) (",
    "- OR | AND NOT",
    "after:2023-13-45 before:x on:",
    "\u202etxt.exe \u200b\ufeff",
    "ملا عمر 塔利班 🇵🇰",
    "\x00\x1b[31m",
]
TAGS = set(
    "html head meta title link body a header div p form label input button main h1 h2 ol li "
    "article time mark strong nav aside ul details summary span footer code".split()
)
ATTRIBUTES = set(
    "href rel type title class id for name value placeholder autocomplete action method role "
    "aria-label aria-labelledby tabindex datetime open charset content lang".split()
)
_NOT_MARK = re.compile(r"<(?!/?mark>)")

queries = st.one_of(
    st.sampled_from(ATTACKS),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=60),
    st.lists(st.one_of(st.sampled_from(ATTACKS), st.text(max_size=8)), max_size=6).map(" ".join),
    st.builds(
        lambda attack, n: (attack * n)[:10_000], st.sampled_from(ATTACKS), st.integers(1, 2000)
    ),
)


class Elements(HTMLParser):
    """Every element and attribute name in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


HYPOTHESIS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@HYPOTHESIS
@given(q=queries, by_date=st.booleans())
def test_search_page_escapes_every_query(client: httpx.Client, q: str, by_date: bool) -> None:
    response = client.get("/search", params={"q": q, "by-date": "true" if by_date else ""})
    assert response.status_code == 200
    lowered = response.text.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<svg" not in lowered
    page = Elements()
    page.feed(response.text)
    assert page.tags <= TAGS, page.tags - TAGS
    assert page.attributes <= ATTRIBUTES, page.attributes - ATTRIBUTES


@HYPOTHESIS
@given(q=queries, sort=st.sampled_from(["relevance", "date", "date-asc"]))
def test_search_api_answers_every_query(client: httpx.Client, q: str, sort: str) -> None:
    response = client.get("/api/search", params={"q": q, "sort": sort, "per_page": "20"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] >= len(body["hits"])
    for hit in body["hits"]:
        assert not _NOT_MARK.search(hit["snippet"]), hit["snippet"]

"""Related posts: shared stories first, then the search index's more-like-this order."""

from __future__ import annotations

from gazette.clips.related import related_posts


def test_posts_sharing_stories_come_first_then_similar_text() -> None:
    stories = {1: {10, 11}, 2: {10}, 3: {10, 11}, 4: {12}, 5: set()}
    assert related_posts(1, similar=[4, 2, 1, 6], stories=stories) == [3, 2, 4, 6]


def test_related_posts_are_distinct_and_limited() -> None:
    assert related_posts(1, similar=[2, 2, 3, 4, 5, 6, 7], stories={}, limit=3) == [2, 3, 4]
    assert related_posts(1, similar=[], stories={1: {5}}) == []

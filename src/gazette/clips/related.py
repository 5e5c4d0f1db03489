"""Related posts: which posts to list beside a post, from shared stories and similar text."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

RELATED = 5


def related_posts(
    post: int,
    similar: Sequence[int],
    stories: Mapping[int, Collection[int]],
    limit: int = RELATED,
) -> list[int]:
    """The posts to list as related to ``post``, best first, each once and never ``post``.

    First the posts that share a story with it (another version of one of its clips), those
    sharing the most stories first, then by their place in ``similar``; then the rest of
    ``similar``: the search index's more-like-this answer for the post's text, best first.
    ``stories`` gives the story ids of the clips of ``post`` and of the posts sharing a story
    with it (any other posts in it are ignored).
    """
    mine = set(stories.get(post, ()))
    rank = {other: place for place, other in reversed(list(enumerate(similar)))}
    sharing = [
        other for other, theirs in stories.items() if other != post and mine.intersection(theirs)
    ]
    sharing.sort(
        key=lambda other: (
            -len(mine.intersection(stories[other])),
            rank.get(other, len(rank)),
            other,
        )
    )
    ordered = dict.fromkeys([*sharing, *(other for other in similar if other != post)])
    return list(ordered)[:limit]

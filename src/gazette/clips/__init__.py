"""Clips: the articles clipped into a post, and the versions of one story among them.

``split_post`` reads one post's text into its clips (headline, outlet, authors, dates,
dateline, clean body); ``parse_article`` reads one article's text as one clip. Grouping
clips into stories is ``gazette.clips.stories`` (not imported here: it needs numpy, which
an import's parsing worker does without). See docs/clippings.md.
"""

from gazette.clips.split import parse_article, split_post

__all__ = ["parse_article", "split_post"]

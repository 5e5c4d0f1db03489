"""Clips: the articles clipped into a post, and the versions of one story among them.

``split_post`` reads one post's text into its clips (headline, outlet, authors, dates,
dateline, clean body); ``clean_body`` cleans one article's text. Grouping clips into stories
is ``gazette.clips.stories`` (not imported here: it needs numpy and datasketch).
See docs/clippings.md.
"""

from gazette.clips.split import clean_body, split_post

__all__ = ["clean_body", "split_post"]

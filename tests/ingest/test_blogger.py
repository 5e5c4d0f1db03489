"""The Blogger backup importer: the legacy Atom export, Takeout's feed.atom, lenient reading."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.ingest import blogger
from gazette.ingest.base import Batch, ImportFailure

FIXTURES = Path("fixtures/blogger")
PELICAN = "pelican_bloggerexport.xml"  # Pelican's pelican/tests/content/bloggerexport.xml
JEKYLL = "jekyllimport_inline_blogger.xml"  # jekyll-import's test_blogger_importer.rb XML
BLOG = "tag:blogger.com,1999:blog-6303278419262689239"
PACIFIC_WINTER = timezone(timedelta(hours=-8))


def read(shared_dir: Path, name: str) -> bytes:
    return (shared_dir / FIXTURES / name).read_bytes()


@pytest.fixture
def pelican(shared_dir: Path) -> Batch:
    return blogger.parse(read(shared_dir, PELICAN), PELICAN)


def by_title(batch: Batch) -> dict:
    return {post.title: post for post in batch.posts}


# -- the legacy export: Pelican's fixture --------------------------------------------------


def test_pelican_kinds_and_titles(pelican: Batch) -> None:
    # Pelican's TestBloggerXmlImporter.test_recognise_kind_and_title: pages 'Test page' and
    # 'Test page 2', articles "Black as Egypt's Night" and 'The Steel Windpipe', and one
    # comment 'Mishka, always a pleasure to read your adventures!...'.
    assert {p.title for p in pelican.posts if p.kind == "page"} == {"Test page", "Test page 2"}
    assert {p.title for p in pelican.posts if p.kind == "post"} == {
        "Black as Egypt's Night",
        "The Steel Windpipe",
    }
    comments = [c for p in pelican.posts for c in p.comments]
    assert [c.body_text.split("\n")[0] for c in comments] == [
        "Mishka, always a pleasure to read your adventures!"
    ]
    assert not pelican.failures


def test_pelican_drafts_and_published(pelican: Batch) -> None:
    # Pelican's test_recognise_status_with_correct_filename: the drafts are
    # page-4386962582497458967 and post-1276418104709695660 (id-based names); the published
    # ones are 'the-steel-windpipe' and 'test-page' (named from their permalinks).
    drafts = {p.uid for p in pelican.posts if p.status == "draft"}
    assert drafts == {f"{BLOG}.page-4386962582497458967", f"{BLOG}.post-1276418104709695660"}
    published = {p.origin_url for p in pelican.posts if p.status == "published"}
    assert published == {
        "http://youngdoctornotes.blogspot.com/2010/11/the-steel-windpipe.html",
        "http://youngdoctornotes.blogspot.com/p/test-page.html",
    }
    assert {p.origin_url for p in pelican.posts if p.status == "draft"} == {None}


def test_pelican_post_fields(pelican: Batch) -> None:
    # Read from the fixture: its entries for these two posts.
    posts = by_title(pelican)
    draft, windpipe = posts["Black as Egypt's Night"], posts["The Steel Windpipe"]
    assert draft.labels == ["Interesting cases", "amputations"]
    assert draft.published == datetime(2010, 11, 27, 8, 21, tzinfo=PACIFIC_WINTER)
    assert draft.updated == datetime(
        2018, 8, 2, 12, 22, 48, 286000, tzinfo=timezone(timedelta(hours=-7))
    )
    assert draft.body_text == "Write next story here"
    assert windpipe.uid == f"{BLOG}.post-1858599377741856733"
    assert windpipe.labels == []
    assert windpipe.published == datetime(2010, 11, 27, 7, 12, tzinfo=PACIFIC_WINTER)
    assert windpipe.published.utcoffset() == timedelta(hours=-8)
    assert windpipe.author == "Mikhail Afanasyevich Bulgakov"
    assert windpipe.body_text == (
        "It was a cold Winter's night.\n\nVery cold indeed.\n\nNote to self: pad out ending"
    )
    assert "<ul><li>Very cold indeed.</li>" in windpipe.body_html
    assert posts["Test page 2"].body_html == "<div>This is a second test</div>"  # style gone
    assert all(p.origin_format == "blogger" and p.source_path == PELICAN for p in pelican.posts)


def test_pelican_comment_is_attached_to_its_post(pelican: Batch) -> None:
    # The fixture's comment replies (thr:in-reply-to ref) to post-1858599377741856733.
    posts = by_title(pelican)
    (comment,) = posts["The Steel Windpipe"].comments
    assert comment.uid == f"{BLOG}.post-5590533389087749201"
    assert comment.author == "Thomas Isidore Noël Sankara"
    assert comment.author_url == "https://www.blogger.com/profile/0617349827"
    assert comment.published == datetime(2010, 11, 29, 12, 35, 44, 27000, tzinfo=PACIFIC_WINTER)
    assert comment.body_text == (
        "Mishka, always a pleasure to read your adventures!\n\n"
        "It's a shame you don't get more time for writing."
    )
    assert comment.status == "approved"
    assert all(not p.comments for title, p in posts.items() if title != "The Steel Windpipe")


def test_pelican_settings_and_template_are_skipped(pelican: Batch) -> None:
    # The fixture has 64 entries: 1 template, 58 settings, 2 posts, 2 pages, 1 comment.
    assert len(pelican.skipped) == 59
    assert sum("Blogger settings entry" in reason for reason in pelican.skipped) == 58
    assert pelican.skipped[0] == (
        f"{PELICAN}: entry 1 ('Template: Notes of a Young Doctor'): Blogger template entry"
    )
    assert len(pelican.posts) == 4


def test_pelican_undeclared_app_prefix_is_read_leniently_with_one_warning(
    pelican: Batch,
) -> None:
    # The fixture uses <app:control> without declaring the app: prefix (line 973).
    assert pelican.warnings == [
        f"{PELICAN}: not well-formed XML (Namespace prefix app on control is not defined, "
        "line 973); read leniently"
    ]


# -- the legacy export: jekyll-import's fixture --------------------------------------------


def test_jekyll_import_entries(shared_dir: Path) -> None:
    # jekyll-import's "the xml parser / read entries": 3 entries besides the template, with
    # their categories, kind 'post', original URLs (post2's from its comment-form link),
    # dates, titles, bodies and authors.
    batch = blogger.parse(read(shared_dir, JEKYLL), JEKYLL)
    assert (batch.warnings, batch.failures, len(batch.skipped)) == ([], [], 1)
    assert [p.labels for p in batch.posts] == [
        ["post0.atom.ns.0"],
        ["post1.atom.ns.0", "post1.atom.ns.1"],
        ["post2.atom.ns.0", "post2.atom.ns.1"],
    ]
    assert {p.kind for p in batch.posts} == {"post"}
    assert [p.origin_url for p in batch.posts] == [
        "http://foobar.blogspot.com/1900/02/post0.link.html",
        "http://foobar.blogspot.com/1900/03/post1.link.html",
        "http://foobar.blogspot.com/1900/04/post2.link.html",
    ]
    assert [p.published for p in batch.posts] == [
        datetime(1900, month, 1, tzinfo=UTC) for month in (2, 3, 4)
    ]
    assert [p.updated for p in batch.posts] == [
        datetime(1900, month, 1, 1, tzinfo=UTC) for month in (2, 3, 4)
    ]
    assert [p.title for p in batch.posts] == ["post0.title", "post1.title", "post2.title"]
    assert [p.body_html for p in batch.posts] == [f"<p>*post{n}.content*</p>" for n in range(3)]
    assert [p.author for p in batch.posts] == [f"post{n}.author.name" for n in range(3)]
    # The fixture's entries have no <id>: each post is known by its permalink.
    assert [p.uid for p in batch.posts] == [p.origin_url for p in batch.posts]


@pytest.mark.parametrize("data", [b">>>This is not a XML file.<<<\n", b"<aaa><bbb></bbb></aaa"])
def test_broken_files_fail(data: bytes) -> None:
    # jekyll-import's "broken file" cases raise a parse error.
    with pytest.raises(ImportFailure, match=r"^broken\.xml: not"):
        blogger.parse(data, "broken.xml")


# -- inline exports ------------------------------------------------------------------------

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:app="http://purl.org/atom/app#"'
    ' xmlns:thr="http://purl.org/syndication/thread/1.0">\n'
)
KIND = '<category scheme="http://schemas.google.com/g/2005#kind"'
KIND += ' term="http://schemas.google.com/blogger/2008/kind#{}"/>'


def entry(
    n: int,
    title: str,
    content: str = "",
    published: str | None = "2023-02-16T10:30:00.000+05:00",
    kind: str = "post",
    extra: str = "",
) -> str:
    """A legacy export entry with id ``post-n``; ``content`` is HTML (escaped here)."""
    escaped = html.escape(content, quote=False)
    date = f"<published>{published}</published>" if published is not None else ""
    return (
        f"<entry><id>tag:blogger.com,1999:blog-1.post-{n}</id>{date}{KIND.format(kind)}"
        f'<title type="text">{title}</title><content type="html">{escaped}</content>'
        f"{extra}</entry>\n"
    )


def export(*entries: str) -> bytes:
    return (HEAD + "".join(entries) + "</feed>\n").encode()


def reply_to(n: int) -> str:
    return f'<thr:in-reply-to ref="tag:blogger.com,1999:blog-1.post-{n}" type="text/html"/>'


def test_every_body_is_sanitized() -> None:
    hostile = (
        '<p onclick="steal()">Clipped<script>alert(1)</script>'
        '<img src="https://example.com/a.png" onerror="alert(2)">'
        '<a href="javascript:alert(3)">link</a><iframe src="https://evil.example"></iframe></p>'
    )
    batch = blogger.parse(
        export(
            entry(1, "Post", hostile),
            entry(2, "Page", hostile, kind="page"),
            entry(3, "", hostile, kind="comment", extra=reply_to(1)),
        ),
        "hostile.xml",
    )
    post, page = batch.posts
    clean = (
        '<p>Clipped<img src="https://example.com/a.png"><a rel="noopener noreferrer">link</a></p>'
    )
    assert [post.body_html, page.body_html, post.comments[0].body_html] == [clean] * 3
    for text in (post.body_text, page.body_text, post.comments[0].body_text):
        assert text == "Clippedlink"


def test_a_malformed_entry_fails_alone() -> None:
    batch = blogger.parse(
        export(
            entry(1, "Good"),
            entry(2, "Bad date", published="yesterday"),
            entry(3, "", published=None),
            entry(4, "No offset", published="2023-02-16T10:30:00"),
            entry(5, "", "Nice!", kind="comment", extra=reply_to(2)),
            entry(6, "Also good", kind="page"),
        ),
        "inline.xml",
    )
    assert [p.title for p in batch.posts] == ["Good", "Also good"]
    assert batch.failures == [
        "inline.xml: entry 2 ('Bad date'): <published> is not an ISO 8601 date: 'yesterday'",
        "inline.xml: entry 3 ('tag:blogger.com,1999:blog-1.post-3'): no <published> date",
        "inline.xml: entry 4 ('No offset'): <published> has no UTC offset: '2023-02-16T10:30:00'",
    ]
    assert batch.warnings == [
        "inline.xml: entry 5 ('tag:blogger.com,1999:blog-1.post-5'): comment left out: "
        "its post 'tag:blogger.com,1999:blog-1.post-2' was not imported"
    ]


def test_a_comment_whose_post_is_not_in_the_file_is_a_warning() -> None:
    batch = blogger.parse(
        export(entry(1, "Post"), entry(2, "Lost", kind="comment", extra=reply_to(99))),
        "inline.xml",
    )
    assert batch.warnings == [
        "inline.xml: entry 2 ('Lost'): comment left out: "
        "its post 'tag:blogger.com,1999:blog-1.post-99' is not in the file"
    ]
    assert batch.posts[0].comments == []


def test_a_repeated_id_fails_the_later_entry() -> None:
    batch = blogger.parse(export(entry(1, "First"), entry(1, "Again")), "inline.xml")
    assert [p.title for p in batch.posts] == ["First"]
    assert batch.failures == [
        "inline.xml: entry 2 ('Again'): the same id as an earlier entry "
        "('tag:blogger.com,1999:blog-1.post-1')"
    ]


def test_an_entry_without_a_kind_fails_alone() -> None:
    data = export(entry(1, "Post"), entry(2, "Kindless", kind="nothing"))
    batch = blogger.parse(data.replace(KIND.format("nothing").encode(), b""), "inline.xml")
    assert [p.title for p in batch.posts] == ["Post"]
    assert batch.failures == [
        "inline.xml: entry 2 ('Kindless'): no kind (neither a kind category nor <blogger:type>)"
    ]


# -- Takeout's feed.atom -------------------------------------------------------------------

TAKEOUT = """<?xml version='1.0' encoding='utf-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
  <id>tag:blogger.com,1999:blog-42</id>
  <title>Clippings</title>
  <entry>
    <id>tag:blogger.com,1999:blog-42.post-1</id>
    <blogger:type>POST</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <author>
      <name>Curator</name>
      <uri>https://www.blogger.com/profile/7</uri>
      <blogger:type>BLOGGER</blogger:type>
    </author>
    <title>Afghan Taliban unlikely to stop support for TTP</title>
    <content type='html'>&lt;p&gt;WASHINGTON: Afghanistan&amp;#39;s rulers.&lt;/p&gt;</content>
    <blogger:created>2023-02-16T05:00:00.000Z</blogger:created>
    <published>2023-02-16T10:30:00.000+05:00</published>
    <updated>2023-02-17T08:00:00.000Z</updated>
    <category scheme='tag:blogger.com,1999:blog-42' term='Pakistan'/>
    <category scheme='tag:blogger.com,1999:blog-42' term='Taliban'/>
    <blogger:filename>/2023/02/afghan-taliban-unlikely.html</blogger:filename>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-42.post-2</id>
    <blogger:type>POST</blogger:type>
    <blogger:status>DRAFT</blogger:status>
    <title>Half-clipped</title>
    <content type='html'>Not yet.</content>
    <published>2023-03-01T00:00:00Z</published>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-42.page-3</id>
    <blogger:type>PAGE</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <title>About</title>
    <content type='html'>&lt;p&gt;Clippings on Pakistan.&lt;/p&gt;</content>
    <published>2021-06-07T08:09:10Z</published>
    <blogger:filename>/p/about.html</blogger:filename>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-42.post-4</id>
    <blogger:type>POST</blogger:type>
    <blogger:status>DELETED</blogger:status>
    <title>Gone</title>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-42.post-5</id>
    <blogger:type>POST</blogger:type>
    <blogger:status>SOFT_TRASHED</blogger:status>
    <title>Binned</title>
    <published>2023-01-01T00:00:00Z</published>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-42.post-6</id>
    <blogger:parent>tag:blogger.com,1999:blog-42.post-1</blogger:parent>
    <blogger:inReplyTo/>
    <blogger:type>COMMENT</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <author><name>Reader</name><uri></uri><blogger:type>ANONYMOUS</blogger:type></author>
    <content type='html'>Second.</content>
    <published>2023-02-18T12:00:00Z</published>
    <blogger:trashed/>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-42.post-7</id>
    <blogger:parent>tag:blogger.com,1999:blog-42.post-1</blogger:parent>
    <blogger:type>COMMENT</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <content type='html'>First.</content>
    <published>2023-02-17T12:00:00Z</published>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-42.post-8</id>
    <blogger:parent>tag:blogger.com,1999:blog-42.post-4</blogger:parent>
    <blogger:type>COMMENT</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <content type='html'>On a deleted post.</content>
    <published>2023-02-17T12:00:00Z</published>
  </entry>
</feed>
"""


def test_takeout_posts_pages_drafts_and_comments() -> None:
    batch = blogger.parse(TAKEOUT.encode(), "feed.atom")
    posts = by_title(batch)
    assert list(posts) == [
        "Afghan Taliban unlikely to stop support for TTP",
        "Half-clipped",
        "About",
    ]
    clipped, draft, about = posts.values()
    assert clipped.uid == "tag:blogger.com,1999:blog-42.post-1"
    assert (clipped.kind, clipped.status) == ("post", "published")
    assert (draft.kind, draft.status) == ("post", "draft")
    assert (about.kind, about.status) == ("page", "published")
    assert clipped.labels == ["Pakistan", "Taliban"]
    assert clipped.author == "Curator"
    assert clipped.origin_url == "/2023/02/afghan-taliban-unlikely.html"
    assert about.origin_url == "/p/about.html"
    assert clipped.published == datetime(2023, 2, 16, 5, 30, tzinfo=UTC)
    assert clipped.published.utcoffset() == timedelta(hours=5)
    assert clipped.updated == datetime(2023, 2, 17, 8, tzinfo=UTC)
    assert clipped.body_text == "WASHINGTON: Afghanistan's rulers."
    # Comments go with their post (blogger:parent), oldest first.
    assert [(c.body_text, c.author, c.author_url) for c in clipped.comments] == [
        ("First.", None, None),
        ("Second.", "Reader", None),
    ]
    assert batch.skipped == [
        "feed.atom: entry 4 ('Gone'): post with status DELETED",
        "feed.atom: entry 5 ('Binned'): post with status SOFT_TRASHED",
    ]
    assert batch.warnings == [
        "feed.atom: entry 8 ('tag:blogger.com,1999:blog-42.post-8'): comment left out: "
        "its post 'tag:blogger.com,1999:blog-42.post-4' was not imported"
    ]
    assert batch.failures == []


def test_takeout_filename_is_joined_to_the_blog_address() -> None:
    link = "<link rel='alternate' type='text/html' href='https://clippings.blogspot.com/'/>"
    data = TAKEOUT.replace("<title>Clippings</title>", f"<title>Clippings</title>{link}")
    batch = blogger.parse(data.encode(), "feed.atom")
    assert batch.posts[0].origin_url == (
        "https://clippings.blogspot.com/2023/02/afghan-taliban-unlikely.html"
    )


def test_takeout_unknown_status_fails_the_entry() -> None:
    data = TAKEOUT.replace(
        "<blogger:status>DRAFT</blogger:status>", "<blogger:status>WIP</blogger:status>"
    )
    batch = blogger.parse(data.encode(), "feed.atom")
    assert batch.failures == ["feed.atom: entry 2 ('Half-clipped'): unknown <blogger:status> 'WIP'"]
    assert len(batch.posts) == 2


# -- sniffing and refusing -----------------------------------------------------------------

GENERIC_ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <title>Clippings elsewhere</title>
  <entry>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <title>Seen on blogger.com</title>
    <link href="https://someone.blogspot.com/2023/01/post.html"/>
    <updated>2023-01-01T00:00:00Z</updated>
  </entry>
</feed>
"""

WXR = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">
  <channel>
    <wp:wxr_version>1.2</wp:wxr_version>
    <item><title>Moved from Blogger</title>
      <description>http://schemas.google.com/blogger/2008/kind#post</description></item>
  </channel>
</rss>
"""


def test_sniff_claims_blogger_exports(shared_dir: Path) -> None:
    assert blogger.sniff(read(shared_dir, PELICAN))  # not well-formed, still claimed
    assert blogger.sniff(read(shared_dir, JEKYLL))
    assert blogger.sniff(TAKEOUT.encode())
    assert blogger.sniff(export(entry(1, "Post")))


PUBLIC_FEED = export(entry(1, "Post")).replace(KIND.format("post").encode(), b"")
"""A blog's public feed: blogger.com ids but no entry kinds; the feed importer's."""


@pytest.mark.parametrize(
    "data",
    [
        GENERIC_ATOM,
        PUBLIC_FEED,
        WXR,
        b"",
        b"Monday, July 19, 2021\nTitle\n",
        b"<html><body>hi</body></html>",
    ],
    ids=["atom", "blogger-public-feed", "wxr", "empty", "text", "html"],
)
def test_sniff_leaves_other_formats_alone(data: bytes) -> None:
    assert not blogger.sniff(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "x.xml: not XML (Document is empty"),
        (WXR, "x.xml: not a Blogger export (its root is <rss>, not an Atom <feed>)"),
        (GENERIC_ATOM, "x.xml: an Atom feed but not a Blogger export"),
        (PUBLIC_FEED, "x.xml: an Atom feed but not a Blogger export"),
    ],
)
def test_what_is_not_a_blogger_export_fails_clearly(data: bytes, message: str) -> None:
    with pytest.raises(ImportFailure) as failure:
        blogger.parse(data, "x.xml")
    assert str(failure.value).startswith(message)


# -- through a real archive ----------------------------------------------------------------


def test_importing_twice_changes_nothing(archive: Archive, shared_dir: Path) -> None:
    data = read(shared_dir, PELICAN)
    first = archive.import_batch(
        blogger.parse(data, PELICAN), source=PELICAN, format_name="blogger"
    )
    assert (first.added, first.failed, first.skipped, len(first.warnings)) == (4, 0, 59, 1)
    last_change = archive.store.last_seq()
    again = archive.import_batch(
        blogger.parse(data, PELICAN), source=PELICAN, format_name="blogger"
    )
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    assert archive.store.last_seq() == last_change
    stats = archive.stats()
    assert (stats.posts, stats.drafts, stats.pages, stats.comments) == (1, 1, 1, 1)


def test_an_edited_entry_updates_its_post(archive: Archive, shared_dir: Path) -> None:
    data = read(shared_dir, PELICAN)
    archive.import_batch(blogger.parse(data, PELICAN), source=PELICAN, format_name="blogger")
    edited = data.replace(b"Very cold indeed.", b"Bitterly cold.")
    assert edited != data
    summary = archive.import_batch(
        blogger.parse(edited, PELICAN), source=PELICAN, format_name="blogger"
    )
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 3)
    assert archive.store.table_counts()["posts"] == 4
    assert [hit.title for hit in archive.search("bitterly").hits] == ["The Steel Windpipe"]

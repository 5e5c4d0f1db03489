import io
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from gazette.archive import Archive
from gazette.ingest import feed
from gazette.ingest.base import ImportFailure

FEEDS = Path("fixtures") / "feeds"
SUITE = FEEDS / "feedparser"


def atom(entries: str, head: str = "<title>T</title>") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom">{head}{entries}</feed>'
    ).encode()


def rss(items: str, channel: str = "<title>T</title>") -> bytes:
    return f'<rss version="2.0"><channel>{channel}{items}</channel></rss>'.encode()


def posts(data: bytes) -> list:
    batch = feed.parse(data, "feed.xml")
    assert batch.failures == []
    return batch.posts


# -- the real suites --------------------------------------------------------------------------


@pytest.mark.shared
def test_every_wellformed_feed_with_entries_imports_them_all(shared_dir: Path) -> None:
    files = sorted((shared_dir / SUITE / "wellformed").rglob("*.xml"))
    problems, with_entries, entries = [], 0, 0
    for path in files:
        data = path.read_bytes()
        expected = len(feedparser.parse(io.BytesIO(data)).entries)
        if not expected:
            continue
        with_entries += 1
        entries += expected
        batch = feed.parse(data, str(path))
        if batch.failures or len(batch.posts) != expected:
            problems.append((path.name, expected, len(batch.posts), batch.failures))
        for post in batch.posts:
            assert post.published.tzinfo is not None
            assert post.uid.startswith("feed:")
            assert post.title
            assert post.origin_format == "feed"
            assert post.source_path == str(path)
            (clip,) = post.clips
            assert clip.headline in (post.title, "")
            assert clip.url == post.origin_url
        again = feed.parse(data, str(path)).posts
        assert [p.content_hash() for p in again] == [p.content_hash() for p in batch.posts]

    assert problems == []
    assert (len(files), with_entries, entries) == (1004, 584, 593)


@pytest.mark.shared
def test_illformed_feeds_give_warnings_or_clear_errors(shared_dir: Path) -> None:
    rejected, warned = [], []
    for path in sorted((shared_dir / SUITE / "illformed").rglob("*.xml")):
        data = path.read_bytes()
        try:
            batch = feed.parse(data, str(path))
        except ImportFailure as failure:
            assert str(failure).startswith(f"{path}: ")
            rejected.append(path.name)
            continue
        assert batch.failures == []
        assert len(batch.posts) == len(feedparser.parse(io.BytesIO(data)).entries)
        assert all(len(post.clips) == 1 for post in batch.posts)
        if feedparser.parse(io.BytesIO(data)).bozo:
            (warning,) = [w for w in batch.warnings if "ill-formed" in w]
            assert warning.startswith(f"{path}: ")
            warned.append(path.name)

    assert rejected == ["aaa_illformed.xml", "rss_empty_document.xml", "undeclared_namespace.xml"]
    assert len(warned) == 11


@pytest.mark.shared
def test_illformed_messages_say_what_is_wrong_and_where(shared_dir: Path) -> None:
    folder = shared_dir / SUITE / "illformed"

    with pytest.raises(
        ImportFailure, match=r"no entries could be read \(line 7, column 0: unclosed"
    ):
        feed.parse((folder / "aaa_illformed.xml").read_bytes(), "aaa.xml")
    with pytest.raises(ImportFailure, match=r"^empty.xml: not an RSS or Atom feed"):
        feed.parse((folder / "rss_empty_document.xml").read_bytes(), "empty.xml")
    batch = feed.parse((folder / "rss_incomplete_cdata.xml").read_bytes(), "cdata.xml")
    assert batch.warnings[0] == (
        "cdata.xml: the feed is ill-formed (line 6, column 0: XML or text declaration "
        "not at start of entity); read 1 entry from it anyway"
    )


@pytest.mark.shared
def test_spec_atom_feed(shared_dir: Path) -> None:
    data = (shared_dir / FEEDS / "trafilatura_feed1.atom").read_bytes()
    title, batch = feed.parse_feed(data, "f.atom")

    assert title == "Example Feed"

    assert [p.title for p in batch.posts] == [
        "Atom-Powered Robots Run Amok",
        "Self-referenced link",
    ]
    assert [p.origin_url for p in batch.posts] == [
        "http://example.org/2003/12/13/atom03",
        "http://example.org/1000",
    ]
    assert [p.uid for p in batch.posts] == [
        "feed:urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a",
        "feed:urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa60",
    ]
    assert {p.published for p in batch.posts} == {datetime(2003, 12, 13, 18, 30, 2, tzinfo=UTC)}
    assert {p.body_text for p in batch.posts} == {"Some text."}
    assert batch.warnings == batch.failures == []
    first = batch.posts[0].clips[0]
    assert (first.headline, first.body, first.url) == (
        "Atom-Powered Robots Run Amok",
        "Some text.",
        "http://example.org/2003/12/13/atom03",
    )
    assert first.published == datetime(2003, 12, 13, 18, 30, 2, tzinfo=UTC)
    assert (first.updated, first.outlet, first.authors) == (None, None, [])


@pytest.mark.shared
def test_spec_rss_feed(shared_dir: Path) -> None:
    title, batch = feed.parse_feed((shared_dir / FEEDS / "trafilatura_feed2.rss").read_bytes(), "f")
    (post,) = batch.posts

    assert title == "RSS Title"

    assert post.title == "Example entry"
    assert post.origin_url == "http://www.example.com/blog/post/1"
    assert post.uid == "feed:7bd204c6-1655-4c27-aeee-53f933c5395f"
    assert post.published == datetime(2009, 9, 6, 16, 20, tzinfo=UTC)
    assert post.body_text == "Here is some text containing an interesting description."


# -- entries to posts -------------------------------------------------------------------------


def test_an_entry_becomes_a_post() -> None:
    (post,) = posts(
        atom(
            "<entry><id>tag:x,2024:1</id><title>Talks resume</title>"
            '<link rel="alternate" href="https://news.example/talks"/>'
            "<published>2024-03-01T10:00:00+05:00</published>"
            "<updated>2024-03-02T08:00:00Z</updated>"
            "<author><name>Ayaz Gul</name></author>"
            '<category term="Pakistan"/><category term="Taliban"/><category term="Pakistan"/>'
            '<content type="html">&lt;p&gt;First.&lt;/p&gt;&lt;p&gt;Second.&lt;/p&gt;</content>'
            "<summary>Short.</summary></entry>"
        )
    )

    assert post.uid == "feed:tag:x,2024:1"
    assert post.title == "Talks resume"
    assert post.published == datetime(2024, 3, 1, 5, tzinfo=UTC)
    assert post.updated == datetime(2024, 3, 2, 8, tzinfo=UTC)
    assert post.author == "Ayaz Gul"
    assert post.labels == ["Pakistan", "Taliban"]
    assert post.body_html == "<p>First.</p><p>Second.</p>"
    assert post.body_text == "First.\n\nSecond."
    assert post.origin_url == "https://news.example/talks"
    assert post.origin_format == "feed"
    assert post.source_path == "feed.xml"


def test_rss_item_without_content_uses_its_description() -> None:
    (post,) = posts(
        rss(
            "<item><title>A &amp; B</title><link>https://news.example/a</link>"
            "<description>&lt;b&gt;Bold&lt;/b&gt; claim</description>"
            "<category>World</category><pubDate>Tue, 05 Mar 2024 12:00:00 GMT</pubDate></item>"
        )
    )

    assert post.uid == "feed:https://news.example/a"
    assert post.title == "A & B"
    assert post.body_html == "<b>Bold</b> claim"
    assert post.body_text == "Bold claim"
    assert post.labels == ["World"]
    assert post.published == datetime(2024, 3, 5, 12, tzinfo=UTC)
    assert post.updated is None


def test_plain_text_content_is_escaped_not_parsed() -> None:
    (post,) = posts(
        atom(
            "<entry><id>1</id><title>t</title><updated>2024-01-01T00:00:00Z</updated>"
            '<content type="text">x &lt;b&gt; y\n\nnext</content></entry>'
        )
    )

    assert post.body_html == "<p>x &lt;b&gt; y</p><p>next</p>"
    assert post.body_text == "x <b> y\n\nnext"


def test_html_titles_become_plain_text() -> None:
    (post,) = posts(
        atom(
            '<entry><id>1</id><title type="html">Hi &lt;b&gt;there&lt;/b&gt;</title>'
            "<updated>2024-01-01T00:00:00Z</updated></entry>"
        )
    )

    assert post.title == "Hi there"


def test_untitled_entries_take_the_first_words_of_their_summary() -> None:
    long, short, empty = posts(
        rss(
            "<item><guid>1</guid><description>one two three four five six seven eight nine "
            "ten eleven twelve</description></item>"
            "<item><guid>2</guid><description>Just this.</description></item>"
            "<item><guid>3</guid></item>",
            channel="<title>T</title><pubDate>Sun, 06 Sep 2009 16:20:00 +0000</pubDate>",
        )
    )

    assert long.title == "one two three four five six seven eight nine ten…"
    assert short.title == "Just this."
    assert empty.title == "(untitled)"


def test_entry_without_id_or_link_gets_a_stable_digest() -> None:
    item = "<item><title>{}</title><pubDate>Sun, 06 Sep 2009 16:20:00 +0000</pubDate></item>"
    first = posts(rss(item.format("One")))[0].uid
    again = posts(rss(item.format("One")))[0].uid
    other = posts(rss(item.format("Two")))[0].uid

    assert first == again != other
    assert first.startswith("feed:sha256:")


def test_entry_link_that_is_not_a_web_address_is_not_its_origin() -> None:
    (post,) = posts(
        atom(
            "<entry><id>urn:uuid:1</id><title>t</title><updated>2024-01-01T00:00:00Z</updated>"
            "</entry>"
        )
    )

    assert post.origin_url is None


def test_relative_links_resolve_against_the_fetched_address() -> None:
    data = rss("<item><title>t</title><link>/story/1</link></item>")
    batch = feed.parse(data, "x", headers={"Content-Location": "https://news.example/feed.xml"})

    assert batch.posts[0].origin_url == "https://news.example/story/1"


# -- dates ------------------------------------------------------------------------------------


def test_entry_with_only_an_updated_date_is_published_then() -> None:
    (post,) = posts(
        atom("<entry><id>1</id><title>t</title><updated>2024-01-02T03:04:05Z</updated></entry>")
    )

    assert post.published == post.updated == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_undated_entry_takes_the_feed_date() -> None:
    batch = feed.parse(
        atom(
            "<entry><id>1</id><title>t</title></entry>",
            head="<title>T</title><updated>2023-11-01T09:00:00Z</updated>",
        ),
        "feed.xml",
    )

    assert batch.posts[0].published == datetime(2023, 11, 1, 9, tzinfo=UTC)
    assert batch.warnings == ["feed.xml: 1 entry with no date; dated the feed's date"]


def test_entry_with_no_date_anywhere_is_dated_the_epoch() -> None:
    data = rss(
        "<item><guid>1</guid><title>a</title></item><item><guid>2</guid><title>b</title></item>"
    )
    first = feed.parse(data, "feed.xml")

    assert [p.published for p in first.posts] == [feed.UNDATED] * 2
    assert first.warnings == ["feed.xml: 2 entries with no date; dated 1970-01-01"]
    assert [p.content_hash() for p in feed.parse(data, "feed.xml").posts] == [
        p.content_hash() for p in first.posts
    ]


# -- the entry's article as its post's one clip -----------------------------------------------

AP_STORY = (
    "<p>ISLAMABAD (AP) — Major aid agencies warned on Tuesday that disease could spread in "
    "the flooded south.</p>"
    "<p>FILE - Villagers wade through floodwaters in Jaffarabad, Pakistan, Aug. 30, 2022. "
    "(AP Photo/Fareed Khan)</p>"
    "<p>The United Nations said more than 600,000 people were still living in camps.</p>"
    "<p>Associated Press writer Riaz Khan in Peshawar contributed to this report.</p>"
)


def news(items: str, title: str = "Frontier Wire") -> bytes:
    """An RSS 2.0 feed that may use Dublin Core (``dc:creator``, ``dc:publisher``)."""
    return (
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>{title}</title>{items}</channel></rss>"
    ).encode()


def item(body: str = "Delegations met for a second day.", extra: str = "") -> str:
    return (
        f"<item><guid>1</guid><title>Talks resume</title>{extra}"
        f"<description>{body}</description></item>"
    )


GUARDIAN_RUNS_AP = news(
    "<item><guid>https://www.theguardian.com/world/floods</guid>"
    "<title>Pakistan floods: aid agencies warn of disease</title>"
    "<link>https://www.theguardian.com/world/floods</link>"
    "<dc:creator>By KATHY GANNON and MUNIR AHMED</dc:creator>"
    "<pubDate>Tue, 05 Mar 2024 12:00:00 GMT</pubDate>"
    f"<description><![CDATA[{AP_STORY}]]></description></item>",
    title="World news | The Guardian",
)
"""A newspaper's feed running an AP story."""


def test_an_entry_is_one_clip_cleaned_like_a_clipped_article() -> None:
    (post,) = posts(GUARDIAN_RUNS_AP)
    (clip,) = post.clips

    assert clip.position == 0
    assert clip.headline == "Pakistan floods: aid agencies warn of disease"
    assert clip.body == (
        "Major aid agencies warned on Tuesday that disease could spread in the flooded south."
        "\n\nThe United Nations said more than 600,000 people were still living in camps."
    )
    assert clip.dateline == "ISLAMABAD"
    assert clip.outlet == "AP"  # the wire in the dateline, not the paper running it
    assert clip.authors == ["Kathy Gannon", "Munir Ahmed"]
    assert clip.captions == [
        "Villagers wade through floodwaters in Jaffarabad, Pakistan, Aug. 30, 2022."
    ]
    assert clip.credits == [
        "Associated Press writer Riaz Khan in Peshawar contributed to this report.",
        "AP Photo/Fareed Khan",
    ]
    assert clip.published == datetime(2024, 3, 5, 12, tzinfo=UTC)
    assert clip.updated is None
    assert clip.url == "https://www.theguardian.com/world/floods"
    # the post itself keeps the entry as it came
    assert post.author == "By KATHY GANNON and MUNIR AHMED"
    assert "Villagers wade" in post.body_text


@pytest.mark.parametrize(
    ("title", "entry", "outlet"),
    [
        ("Frontier Wire", item("KARACHI, Pakistan (Reuters) - Thousands marched."), "Reuters"),
        ("Frontier Wire", item(extra="<dc:creator>Jane Doe, Associated Press</dc:creator>"), "AP"),
        ("Frontier Wire", item(extra="<dc:creator>Reuters Staff</dc:creator>"), "Reuters"),
        (
            "Frontier Wire",
            item(extra='<source url="https://x.example/rss">Reuters</source>'),
            "Reuters",
        ),
        (
            "Frontier Wire",
            item(extra='<source url="https://apnews.com/hub/x">Top News</source>'),
            "AP",
        ),
        ("Frontier Wire", item(extra="<dc:publisher>Deutsche Welle</dc:publisher>"), "DW"),
        ("BBC News - World", item(), "BBC"),
        ("World news | The Guardian", item(), "The Guardian"),
        ("NYT &gt; World News", item(), "The New York Times"),
        ("Frontier Wire", item(extra="<link>https://edition.cnn.com/2024/03/talks</link>"), "CNN"),
        ("Frontier Wire", item(extra="<link>https://www.bbc.co.uk/news/x</link>"), "BBC"),
        ("BBC News - World", item("KARACHI, Pakistan (Reuters) - Thousands marched."), "Reuters"),
        # nothing names a known outlet: none is guessed
        ("Frontier Wire", item(extra="<link>https://guardian.ng/news/talks</link>"), None),
        ("Notes on the AP Stylebook", item(), None),
        ("Frontier Wire", item("KUWAIT (KUNA) - The talks resumed on Monday."), None),
        ("Frontier Wire", item(extra="<dc:publisher>Harbour Herald</dc:publisher>"), None),
    ],
    ids=[
        "dateline",
        "byline",
        "desk-byline",
        "source-title",
        "source-address",
        "publisher",
        "feed-title",
        "feed-title-end",
        "feed-title-short-name",
        "link-subdomain",
        "link-co-uk",
        "dateline-before-feed-title",
        "unknown-domain",
        "title-mentioning-an-outlet",
        "unknown-dateline-outlet",
        "unknown-publisher",
    ],
)
def test_the_clip_outlet_is_a_known_outlet_the_entry_or_feed_names(
    title: str, entry: str, outlet: str | None
) -> None:
    (post,) = posts(news(entry, title))

    assert post.clips[0].outlet == outlet


@pytest.mark.parametrize(
    ("data", "authors"),
    [
        (
            atom(
                "<entry><id>1</id><title>t</title><updated>2024-01-01T00:00:00Z</updated>"
                "<author><name>AYAZ GUL</name></author>"
                "<author><name>Jane Doe</name><email>jane@news.example</email></author></entry>"
            ),
            ["Ayaz Gul", "Jane Doe"],
        ),
        (rss(item(extra="<author>jane@news.example (Jane Doe)</author>")), ["Jane Doe"]),
        (rss(item(extra="<author>desk@news.example</author>")), []),
        (rss(item(extra="<author>Reuters Staff</author>")), []),
        (rss(item(extra="<author>admin</author>")), ["admin"]),
        (
            rss(
                item("&lt;p&gt;By Ayaz Gul&lt;/p&gt;&lt;p&gt;ISLAMABAD — Officials met.&lt;/p&gt;")
            ),
            ["Ayaz Gul"],
        ),
    ],
    ids=["atom-authors", "rss-email-and-name", "rss-email-only", "desk", "not-a-byline", "in-text"],
)
def test_the_clip_authors_are_the_entry_authors_read_as_bylines(
    data: bytes, authors: list[str]
) -> None:
    (post,) = posts(data)

    assert post.clips[0].authors == authors


def test_a_byline_in_the_text_leaves_the_body() -> None:
    (post,) = posts(
        rss(item("&lt;p&gt;By Ayaz Gul&lt;/p&gt;&lt;p&gt;ISLAMABAD — Officials met.&lt;/p&gt;"))
    )

    assert (post.clips[0].body, post.clips[0].dateline) == ("Officials met.", "ISLAMABAD")


def test_the_clip_has_the_entry_dates_only() -> None:
    revised, only_updated, undated = posts(
        atom(
            "<entry><id>1</id><title>a</title><published>2024-03-01T10:00:00Z</published>"
            "<updated>2024-03-02T08:00:00Z</updated></entry>"
            "<entry><id>2</id><title>b</title><updated>2024-03-03T09:00:00Z</updated></entry>"
            "<entry><id>3</id><title>c</title></entry>",
            head="<title>T</title><updated>2024-03-04T00:00:00Z</updated>",
        )
    )

    assert (revised.clips[0].published, revised.clips[0].updated) == (
        datetime(2024, 3, 1, 10, tzinfo=UTC),
        datetime(2024, 3, 2, 8, tzinfo=UTC),
    )
    assert (only_updated.clips[0].published, only_updated.clips[0].updated) == (
        datetime(2024, 3, 3, 9, tzinfo=UTC),
        None,
    )
    # the post takes the feed's date; the article's own date is unknown
    assert undated.published == datetime(2024, 3, 4, tzinfo=UTC)
    assert (undated.clips[0].published, undated.clips[0].updated) == (None, None)


def test_an_untitled_entry_has_a_clip_without_a_headline() -> None:
    (post,) = posts(rss("<item><guid>1</guid><description>Just this.</description></item>"))

    assert post.title == "Just this."
    assert (post.clips[0].headline, post.clips[0].body) == ("", "Just this.")


def test_an_imported_feed_is_searched_filtered_and_counted_by_its_clips(
    archive: Archive, tmp_path: Path
) -> None:
    path = tmp_path / "guardian.xml"
    path.write_bytes(GUARDIAN_RUNS_AP)
    assert archive.import_file(path).added == 1

    (hit,) = archive.search("source:AP").hits
    assert hit.title == "Pakistan floods: aid agencies warn of disease"
    assert archive.search('author:"Munir Ahmed"').total == 1
    assert archive.search("source:Guardian").total == 0
    found = archive.search("floods")
    assert [(f.value, f.count) for f in found.facets["outlets"]] == [("AP", 1)]
    assert {f.value for f in found.facets["authors"]} >= {"Kathy Gannon", "Munir Ahmed"}
    # captions and credits are kept with the clip, out of what is searched
    assert "AP Photo" not in archive.search("agencies").hits[0].snippet
    assert archive.search("Villagers").total == 0
    assert archive.get(hit.id).clips[0].captions  # type: ignore[union-attr]

    again = archive.import_file(path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)


# -- sanitizing -------------------------------------------------------------------------------

XSS = (
    '<p style="color:red" onclick="alert(1)">kept</p>'
    '<form action="https://evil.example/"><input name="password"><button>Go</button></form>'
    "<script>alert(2)</script><img src=x onerror=alert(3)>"
    '<a href="javascript:alert(4)">link</a><iframe src="https://evil.example/"></iframe>'
    "<svg onload=alert(5)></svg><object data=x></object><style>p{}</style>"
)
DANGER = ("<script", "alert", "onerror", "onclick", "javascript:", "<form", "<input", "<iframe",
          "<svg", "<object", "style")  # fmt: skip


@pytest.mark.parametrize(
    "data",
    [
        atom(
            "<entry><id>1</id><title>t</title><updated>2024-01-01T00:00:00Z</updated>"
            f'<content type="html"><![CDATA[{XSS}]]></content></entry>'
        ),
        rss(
            f"<item><guid>1</guid><title>t</title><description><![CDATA[{XSS}]]></description></item>"
        ),
        rss(
            '<item><guid>1</guid><title>t</title><content:encoded xmlns:content="'
            f'http://purl.org/rss/1.0/modules/content/"><![CDATA[{XSS}]]></content:encoded></item>'
        ),
    ],
    ids=["atom-content", "rss-description", "rss-content-encoded"],
)
def test_entry_html_is_sanitized(data: bytes) -> None:
    (post,) = posts(data)

    assert "kept" in post.body_html
    assert not [danger for danger in DANGER if danger in post.body_html.lower()]
    assert "alert" not in post.body_text


def test_title_markup_is_dropped() -> None:
    (post,) = posts(
        atom(
            '<entry><id>1</id><title type="html">&lt;script&gt;alert(1)&lt;/script&gt;'
            "&lt;img src=x onerror=alert(2)&gt;News</title>"
            "<updated>2024-01-01T00:00:00Z</updated></entry>"
        )
    )

    assert post.title == "News"


# -- not feeds --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello, world",
        b'{"items": []}',
        b"<!doctype html><html><body><p>A page</p></body></html>",
    ],
)
def test_what_is_not_a_feed_is_refused_clearly(data: bytes) -> None:
    with pytest.raises(ImportFailure, match=r"^page: not an RSS or Atom feed"):
        feed.parse(data, "page")


def test_data_that_names_a_file_is_not_read_from_that_file(tmp_path: Path) -> None:
    local = tmp_path / "secret.xml"
    local.write_bytes(rss("<item><guid>1</guid><title>secret</title></item>"))

    with pytest.raises(ImportFailure, match="not an RSS or Atom feed"):
        feed.parse(str(local).encode(), "https://evil.example/feed")


def test_a_feed_without_entries_imports_nothing_and_says_so() -> None:
    batch = feed.parse(rss(""), "feed.xml")

    assert batch.posts == []
    assert batch.warnings == ["feed.xml: the feed has no entries"]


# -- sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        atom(""),
        rss(""),
        b'<?xml version="1.0"?><!-- a comment --><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns="http://purl.org/rss/1.0/"><channel/></rdf:RDF>',
        b'\xef\xbb\xbf<rss version="0.91"><channel><title>T</title></channel></rss>',
        b'<rss version="2.0"><channel><item><title>unclosed',
    ],
)
def test_sniff_recognises_feeds(data: bytes) -> None:
    assert feed.sniff(data)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"Thursday, February 16, 2023\nTitle\n",
        b"<html><body><rss>not really</rss></body></html>",
        b'{"feed": 1}',
        b'<?xml version="1.0"?><opml version="2.0"/>',
    ],
)
def test_sniff_refuses_what_is_not_a_feed(data: bytes) -> None:
    assert not feed.sniff(data)


@pytest.mark.shared
def test_sniff_leaves_blogger_and_wordpress_exports_to_their_importers(shared_dir: Path) -> None:
    exports = [*(shared_dir / "fixtures" / "blogger").iterdir()]
    exports += [*(shared_dir / "fixtures" / "wxr").iterdir()]

    assert len(exports) == 11
    assert not [path.name for path in exports if feed.sniff(path.read_bytes())]
    for name in ("trafilatura_feed1.atom", "trafilatura_feed2.rss"):
        assert feed.sniff((shared_dir / FEEDS / name).read_bytes())


def test_sniff_refuses_a_blogger_2018_export() -> None:
    data = atom(
        "", head='<title>T</title><x xmlns:blogger="http://schemas.google.com/blogger/2018"/>'
    )

    assert not feed.sniff(data)

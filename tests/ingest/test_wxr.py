"""The WordPress (WXR) importer, over the fixtures of the projects that made them and inline
exports.

Expectations on a fixture say where they come from: wordpress-importer's
``phpunit/tests/parser.php`` and ``import.php`` (WordPress/wordpress-importer), Pelican's
``pelican/tests/test_importer.py`` (TestWordpressXmlImporter, TestWordpressXMLAttachements),
or "fixture" when Gazette asserts what the file itself contains.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.ingest import wxr
from gazette.ingest.base import Batch, ImportFailure
from gazette.model import Post

FIXTURES = "fixtures/wxr"
WP_1_2 = "http://wordpress.org/export/1.2/"


def fixture(shared_dir: Path, name: str) -> tuple[Path, bytes]:
    path = shared_dir / FIXTURES / name
    return path, path.read_bytes()


def load(shared_dir: Path, name: str) -> Batch:
    path, data = fixture(shared_dir, name)
    return wxr.parse(data, str(path))


def titled(batch: Batch) -> dict[str, Post]:
    return {post.title: post for post in batch.posts}


def export(
    items: str, *, namespace: str = WP_1_2, version: str = "1.2", channel: str = ""
) -> bytes:
    """A small WXR document around ``items``."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{namespace}">
<channel>
<title>Clippings</title>
<link>https://clips.example/</link>
<wp:wxr_version>{version}</wp:wxr_version>
<wp:author><wp:author_login>ayaz</wp:author_login>
  <wp:author_display_name><![CDATA[Ayaz Gul]]></wp:author_display_name></wp:author>
{channel}
{items}
</channel>
</rss>""".encode()


def item(
    title: str = "Taliban talks",
    *,
    post_id: int = 1,
    post_type: str = "post",
    status: str = "publish",
    content: str = "Body.",
    dates: str = "<wp:post_date_gmt>2023-02-16 09:30:00</wp:post_date_gmt>",
    extra: str = "",
) -> str:
    return f"""<item>
<title>{title}</title>
<link>https://clips.example/?p={post_id}</link>
<dc:creator>ayaz</dc:creator>
<guid isPermaLink="false">https://clips.example/?p={post_id}</guid>
<content:encoded><![CDATA[{content}]]></content:encoded>
<wp:post_id>{post_id}</wp:post_id>
{dates}
<wp:status>{status}</wp:status>
<wp:post_type>{post_type}</wp:post_type>
{extra}
</item>"""


def parse(data: bytes) -> Batch:
    return wxr.parse(data, "export.xml")


# -- wordpress-importer's fixtures ---------------------------------------------------------


@pytest.mark.shared
def test_valid_wxr_1_1(shared_dir: Path) -> None:
    batch = load(shared_dir, "wpimporter_valid-wxr-1.1.xml")

    # parser.php test_wxr_version_1_1: two posts; the first has the terms alpha (category),
    # Clippable (post_tag) and bieup (post_tax, not a label); john is "John Doe".
    post, page = batch.posts
    assert (post.title, post.kind, post.status) == ("Hello world!", "post", "published")
    assert post.labels == ["alpha", "Clippable"]
    assert post.author == "John Doe"
    # fixture: a page, dates, identity from guid, the link, one approved comment
    assert (page.title, page.kind, page.status) == ("About", "page", "published")
    assert post.published == datetime(2010, 10, 16, 20, 53, 18, tzinfo=UTC)
    assert post.uid == "wxr:http://localhost/?p=1"
    assert post.origin_url == "http://localhost/?p=1"
    assert post.body_text.startswith("Welcome to WordPress.")
    (comment,) = post.comments
    assert (comment.author, comment.author_url, comment.status) == (
        "Mr WordPress",
        "http://wordpress.org/",
        "approved",
    )
    assert comment.body_html.startswith("<p>Hi, this is a comment.<br>To delete a comment")
    assert not batch.failures and not batch.skipped and not batch.warnings


@pytest.mark.shared
def test_valid_wxr_1_0_with_its_tag_domain(shared_dir: Path) -> None:
    batch = load(shared_dir, "wpimporter_valid-wxr-1.0.xml")

    # parser.php test_wxr_version_1_0: six posts; terms of posts 0, 2 and 3 (domain="tag"
    # are tags; the domain-less duplicates of WXR 1.0 are not terms)
    assert len(batch.posts) == 6
    assert batch.posts[0].labels == ["Uncategorized"]
    assert batch.posts[2].labels == ["alpha", "news", "roar"]
    assert batch.posts[3].labels == ["chicken", "child", "face"]
    # fixture: titles, kinds, statuses; no wp:author list, so the login is the author
    assert [(p.title, p.kind) for p in batch.posts] == [
        ("Hello world!", "post"),
        ("About", "page"),
        ("Alpha post", "post"),
        ("Child post", "post"),
        ("Child page", "page"),
        ("Parent page", "page"),
    ]
    assert {p.status for p in batch.posts} == {"published"}
    assert {p.author for p in batch.posts} == {"admin"}
    assert batch.posts[2].published == datetime(2010, 10, 20, 14, 9, 37, tzinfo=UTC)


@pytest.mark.shared
def test_small_export(shared_dir: Path) -> None:
    batch = load(shared_dir, "wpimporter_small-export.xml")
    posts = titled(batch)

    # import.php test_small_import: 11 posts and pages; posts 5 publish + 1 private, pages
    # 4 publish + 1 draft (private is not public, so a draft here); 1 comment
    assert len(batch.posts) == 11
    by_kind_status: dict[tuple[str, str], int] = {}
    for post in batch.posts:
        key = (post.kind, post.status)
        by_kind_status[key] = by_kind_status.get(key, 0) + 1
    assert by_kind_status == {
        ("post", "published"): 5,
        ("post", "draft"): 1,
        ("page", "published"): 4,
        ("page", "draft"): 1,
    }
    assert sum(len(post.comments) for post in batch.posts) == 1
    # import.php: 27 categories on "Many Categories", 1 on "Non-standard post format" (its
    # post_format is not a category), foo-bar's "Foo" on Foo-child, tags on Private Post,
    # authors by login
    assert len(posts["Many Categories"].labels) == 27
    assert posts["Many Categories"].labels[-1] == "远征手记"
    assert posts["Non-standard post format"].labels == ["Uncategorized"]
    assert posts["Foo-child"].labels == ["Foo"]
    assert posts["Foo-child"].author == "editor"
    assert posts["Hello world!"].author == "author"
    assert posts["Private Post"].labels == ["Tag1", "Tag2", "Tag3", "Uncategorized"]
    assert (posts["Private Post"].kind, posts["Private Post"].status) == ("post", "draft")
    # fixture: the draft's post_date_gmt is 0000-00-00 00:00:00, so its post_date counts
    assert posts["Draft Page"].published == datetime(2011, 1, 18, 7, 46, 29, tzinfo=UTC)


@pytest.mark.shared
def test_utf8_challenges(shared_dir: Path) -> None:
    (post,) = load(shared_dir, "wpimporter_wxr-utf-8-challenges.xml").posts

    # parser.php test_parse_wxr_with_challenging_utf8_sequences (written with escapes: the
    # bidi overrides, zero-width and combining characters are the point)
    assert post.title == (
        '"The Road \u202eNot\u202c Taken" by Rob\u202dert \u202eFrost \u202a\U0001f332\u202c'
    )
    assert post.uid == (
        "wxr:https://playground.internal/path/\U0001f680/\u202etsop\u202c/"
        "?p=1&test=\U0001f4ab\u200c\u200b\u200d\u200e"
    )
    assert "T̷̢̯̭̈w̴̰̜̾o̷͉̅ ̵̨͔̔r̶̞̈o̷̰͇̍ä̴́ͅd̶̰̒s̵̞̈́" in post.body_text
    assert "𝓣𝓮𝓼𝓽 𝓜𝓾𝓵𝓽𝓲-𝓑𝔂𝓽𝓮: 🚀🌟💫⭐️🔥💯🎉🎊🌈🦄" in post.body_text
    assert "السلام عليكم وﷲ" in post.body_text
    assert post.labels == [
        "U\u0337\u0322\u032f\u032d\u0308n\u0336\u0330\u030dc\u0336\u0330\u0312a\u0336\u0330"
        "\u0305t\u0336\u0330\u0312e\u0336\u031e\u0314g\u0336\u0330\u0308o\u0336\u0330\u030d"
        "r\u0336\u0330\u0308i\u0335\u0331\u0307z\u0336\u0330\u0312e\u0336\u031e\u0314d\u0336"
        "\u032c\u033d \U0001f3ad"
    ]
    assert post.author == (
        "A\u0338\u0330\u0305d\u0334\u0330\u035dm\u0335\u034e\u033di\u0335\u0331\u030b"
        "n\u0337\u0330\u030e \u200b\u200d\u200c\u200e"
    )
    # fixture: the item has no <link>
    assert post.origin_url is None


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "title", "html", "text"),
    [
        # parser.php testCdataSectionsConcatenateCorrectly: "line oneline twoline three"
        (
            "wpimporter_multiple-cdata.xml",
            "Multi",
            "<p>line oneline twoline three</p>",
            "line oneline twoline three",
        ),
        # parser.php testParserHandlesCdataWeirdSequence: the content ends with "]] >"
        (
            "wpimporter_cdata-edge.xml",
            "Edge",
            "<p>ends with sequence ]] &gt;</p>",
            "ends with sequence ]] >",
        ),
    ],
)
def test_cdata_sections(shared_dir: Path, name: str, title: str, html: str, text: str) -> None:
    path, data = fixture(shared_dir, name)

    # fixture: the item has no guid, no channel link and no date at all, so as it is it
    # cannot be a post; it fails alone, saying why
    batch = wxr.parse(data, str(path))
    assert batch.posts == []
    assert batch.failures == [
        f"{path}: item 1 ({title!r}): "
        "no guid, and no wp:post_id and channel <link> to identify it by"
    ]

    identified = data.replace(
        b"<wp:post_type>",
        b"<guid>urn:x</guid><wp:post_date_gmt>2024-01-01 00:00:00</wp:post_date_gmt><wp:post_type>",
    )
    (post,) = wxr.parse(identified, str(path)).posts
    assert (post.body_html, post.body_text) == (html, text)


@pytest.mark.shared
def test_malformed_and_versionless_files_are_rejected(shared_dir: Path) -> None:
    malformed, data = fixture(shared_dir, "wpimporter_malformed.xml")
    # parser.php test_malformed_wxr: "There was an error when reading this WXR file"
    with pytest.raises(ImportFailure) as caught:
        wxr.parse(data, str(malformed))
    assert str(caught.value) == (
        f"{malformed}: not well-formed XML (Opening and ending tag mismatch: notachanneltag "
        "line 27 and channel, line 90, column 11), and the repaired document is not a "
        "WordPress export: no <channel> in <rss>"
    )

    versionless, data = fixture(shared_dir, "wpimporter_missing-version-tag.xml")
    # parser.php test_invalid_wxr: "missing/invalid WXR version number"
    with pytest.raises(ImportFailure, match="missing wp:wxr_version") as caught:
        wxr.parse(data, str(versionless))
    assert str(caught.value) == f"{versionless}: not a WordPress export: missing wp:wxr_version"


@pytest.mark.shared
@pytest.mark.parametrize("name", ["wpimporter_malformed.xml", "wpimporter_missing-version-tag.xml"])
def test_a_rejected_file_writes_nothing(shared_dir: Path, archive: Archive, name: str) -> None:
    with pytest.raises(ImportFailure, match="not a WordPress export"):
        archive.import_file(shared_dir / FIXTURES / name, "wxr")

    assert archive.store.last_seq() == 0


@pytest.mark.shared
def test_every_fixture_is_sniffed_as_wxr(shared_dir: Path) -> None:
    # fixture: all are <rss> roots declaring the wp namespace (the broken ones too: sniffing
    # says what the file claims to be; parsing says what is wrong with it)
    for path in (shared_dir / FIXTURES).glob("*.xml"):
        assert wxr.sniff(path.read_bytes()), path.name


@pytest.mark.shared
def test_importing_an_export_twice_changes_nothing(shared_dir: Path, archive: Archive) -> None:
    path = shared_dir / FIXTURES / "wpimporter_small-export.xml"

    first = archive.import_file(path, "wxr")
    second = archive.import_file(path, "wxr")

    # import.php test_double_import: the same counts after importing twice
    assert (first.added, first.failed) == (11, 0)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 11)
    assert archive.store.table_counts()["posts"] == 11


# -- Pelican's fixture ---------------------------------------------------------------------


@pytest.mark.shared
def test_pelican_kinds_titles_statuses_and_custom_types(shared_dir: Path) -> None:
    batch = load(shared_dir, "pelican_wordpressexport.xml")
    posts = titled(batch)

    # test_recognise_page_kind: two pages, "Page" (contact) and "Empty Page" (empty)
    assert [(p.title, p.origin_url) for p in batch.posts if p.kind == "page"] == [
        ("Page", "http://thisisa.test/contact/"),
        ("Empty Page", "http://thisisa.test/empty/"),
    ]
    # test_decode_html_entities_in_titles
    assert "A normal post with some <html> entities in the title. You can't miss them." in posts
    # test_recognise_custom_post_type: the three custom posts (skipped here, saying so)
    assert [skip.split(": ", 1)[1] for skip in batch.skipped] == [
        "item 15 ('A custom post in category 4'): post type 'custom1' is not imported",
        "item 16 ('A custom post in category 5'): post type 'custom1' is not imported",
        "item 17 ('A 2nd custom post type also in category 5'): "
        "post type 'custom2' is not imported",
    ]
    # wp2fields: "publish" becomes published, "draft" stays a draft (the untitled draft too)
    assert {p.title for p in batch.posts if p.status == "draft"} == {
        "",
        "A normal post",
        "Complete draft",
        "Special chars: l'é",
    }
    # fixture: the untitled draft has no post_date_gmt, so its post_date counts; the page has
    # both and post_date_gmt wins
    assert posts[""].published == datetime(2012, 2, 15, 21, 23, 57, tzinfo=UTC)
    assert posts["Page"].published == datetime(2012, 4, 11, 11, 38, 8, tzinfo=UTC)
    assert not batch.failures


@pytest.mark.shared
def test_pelican_categories_and_tags_become_labels(shared_dir: Path) -> None:
    posts = titled(load(shared_dir, "pelican_wordpressexport.xml"))

    # wp2fields categories (domain="category") then tags (domain="post_tag")
    assert posts["With excerpt"].labels == ["Category 1", "tag 1", "Tag2"]
    assert posts["With tags"].labels == ["Category 3", "tag 1", "Tag2", "Tag 3"]
    assert posts["Page"].labels == []
    # fixture: dc:creator "bob" is wp:author_login "Bob"; "john" has no wp:author entry;
    # of four comments one is in the trash
    assert posts["With tags"].author == "Bob"
    assert posts["With comments"].author == "john"
    assert [c.author for c in posts["With comments"].comments] == ["User2", "Bob", "bob"]


@pytest.mark.shared
def test_pelican_captions_become_figures(shared_dir: Path) -> None:
    posts = titled(load(shared_dir, "pelican_wordpressexport.xml"))

    # test_convert_caption_to_figure: no "[caption" left; images and caption texts kept
    body = posts["Caption on image"].body_html
    assert "[caption" not in body
    assert (
        '<figure><img src="/theme/img/xpelican.png.pagespeed.ic.Rjep0025-y.png">'
        "<figcaption>This is a pelican</figcaption></figure>"
    ) in body
    assert (
        '<figure><img src="/theme/img/xpelican-3.png.pagespeed.ic.m-NAIdRCOM.png" width="300"'
        ' height="216"><figcaption>This also a pelican</figcaption></figure>'
    ) in body
    assert (
        '<figure><a href="https://getpelican.com/" rel="noopener noreferrer">'
        '<img src="/theme/img/xpelican.png.pagespeed.ic.Rjep0025-y.png" alt=""></a>'
        "<figcaption>Yet another pelican</figcaption></figure>"
    ) in body
    # fixture: the text around the captions becomes paragraphs, the unclosed link ends
    assert body.startswith("<p>Lorem ipsum") and body.endswith("laborum.</p>")


@pytest.mark.shared
def test_pelican_code_and_raw_html(shared_dir: Path) -> None:
    posts = titled(load(shared_dir, "pelican_wordpressexport.xml"))

    # test_preserve_verbatim_formatting / test_code_in_list: the code keeps its indentation
    # (HTML drops the newline that opens a <pre>)
    assert "<pre><code>\n  a = [1, 2, 3]\n  b = [4, 5, 6]\n" in posts["Code in List"].body_html
    # test_can_toggle_raw_html_code_parsing has the iframe kept by default; Gazette sanitizes
    raw = posts["Post with raw data"]
    assert "<iframe" not in raw.body_html
    # test_dont_use_smart_quotes: quotes come through as written
    assert raw.body_text.endswith("\"That's a 'wonderful' shoe.\"\n\n“That’s a ‘magic’ sock.”")


@pytest.mark.shared
def test_pelican_repeated_guids_stay_separate_posts(shared_dir: Path) -> None:
    batch = load(shared_dir, "pelican_wordpressexport.xml")
    posts = titled(batch)

    # fixture: items 5 and 6, 12 and 13, 4 and 14 share a guid (and a wp:post_id); Pelican
    # imports each of them, so Gazette does too, telling the later one apart by its slug
    assert posts["Page"].uid == "wxr:http://thisisa.test/?page_id=334"
    assert posts["Empty Page"].uid == "wxr:http://thisisa.test/?page_id=334#empty"
    assert posts["Code in List"].uid == "wxr:http://thisisa.test/?p=175#code-in-list-test"
    assert posts["Caption on image"].uid == "wxr:http://thisisa.test/?p=176#caption-on-image"
    assert len({p.uid for p in batch.posts}) == len(batch.posts) == 13
    assert [w.split(": ", 1)[1] for w in batch.warnings] == [
        "item 6 ('Empty Page'): same identity as item 5; imported as "
        "'wxr:http://thisisa.test/?page_id=334#empty'",
        "item 13 ('Code in List'): same identity as item 12; imported as "
        "'wxr:http://thisisa.test/?p=175#code-in-list-test'",
        "item 14 ('Caption on image'): same identity as item 4; imported as "
        "'wxr:http://thisisa.test/?p=176#caption-on-image'",
    ]


@pytest.mark.shared
def test_pelican_attachments_are_recorded_with_their_posts(shared_dir: Path) -> None:
    batch = load(shared_dir, "pelican_wordpressexport.xml")
    posts = titled(batch)

    # TestWordpressXMLAttachements: attachment URLs grouped by the post they belong to
    grouped: dict[str | None, set[str]] = {}
    for attachment in batch.attachments:
        grouped.setdefault(attachment.parent_uid, set()).add(attachment.url)
    assert grouped == {
        None: {
            "https://upload.wikimedia.org/wikipedia/commons/thumb/2/2c/"
            "Pelican_lakes_entrance02.jpg/240px-Pelican_lakes_entrance02.jpg"
        },
        posts["With excerpt"].uid: {
            "http://thisurlisinvalid.notarealdomain/not_an_image.jpg",
            "http://en.wikipedia.org/wiki/File:Pelikan_Walvis_Bay.jpg",
        },
        posts["With tags"].uid: {"http://thisurlisinvalid.notarealdomain"},
    }
    # fixture: titles, and no attachment is a post
    assert batch.attachments[0].title == "Empty post"
    assert "Empty post" not in posts


# -- inline exports --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "namespace", ["http://wordpress.org/export/1.2/", "https://wordpress.org/export/1.2/"]
)
def test_both_namespace_forms(namespace: str) -> None:
    data = export(
        item(extra='<category domain="post_tag"><![CDATA[Taliban]]></category>'),
        namespace=namespace,
    )

    assert wxr.sniff(data)
    (post,) = parse(data).posts
    assert (post.title, post.labels, post.author) == ("Taliban talks", ["Taliban"], "Ayaz Gul")
    assert post.published == datetime(2023, 2, 16, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (export(item()), True),
        (b"\xef\xbb\xbf" + export(item()), True),
        (
            b"<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom'"
            b" xmlns:blogger='http://schemas.google.com/blogger/2008'><entry/></feed>",
            False,
        ),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
            b"<item><title>A</title></item></channel></rss>",
            False,
        ),
        (b"Monday, July 19, 2021\nTitle\n", False),
        (b"", False),
    ],
    ids=["wxr", "bom", "blogger-atom", "plain-rss", "text", "empty"],
)
def test_sniff(data: bytes, expected: bool) -> None:
    assert wxr.sniff(data) is expected


@pytest.mark.parametrize(
    ("version", "problem"),
    [("0.9", "unsupported WXR version '0.9'"), ("abc", "invalid WXR version 'abc'")],
)
def test_bad_versions_are_rejected(version: str, problem: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        parse(export(item(), version=version))

    assert str(caught.value) == f"export.xml: not a WordPress export: {problem}"


def test_a_newer_version_is_read_with_a_warning() -> None:
    batch = parse(export(item(), version="1.3"))

    assert len(batch.posts) == 1
    assert batch.warnings == [
        "export.xml: WXR version '1.3' is newer than 1.2 and may not be fully read"
    ]


def test_other_documents_are_rejected() -> None:
    with pytest.raises(ImportFailure, match=r"root element is <feed>, not <rss>"):
        parse(b"<feed xmlns='http://www.w3.org/2005/Atom'/>")
    with pytest.raises(ImportFailure, match=r"export.xml: not well-formed XML \(Document is empty"):
        parse(b"")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("publish", "published"),
        ("draft", "draft"),
        ("pending", "draft"),
        ("private", "draft"),
        ("future", "draft"),
        ("auto-draft", "draft"),
    ],
)
def test_statuses(status: str, expected: str) -> None:
    (post,) = parse(export(item(status=status))).posts

    assert post.status == expected


def test_trash_and_other_types_are_skipped_saying_why() -> None:
    items = (
        item("Binned", status="trash")
        + item("Menu", post_id=2, post_type="nav_menu_item")
        + item("Old text", post_id=3, post_type="revision", status="inherit")
        + item("About", post_id=4, post_type="page")
    )

    batch = parse(export(items))

    assert [(p.title, p.kind) for p in batch.posts] == [("About", "page")]
    assert batch.skipped == [
        "export.xml: item 1 ('Binned'): in the trash",
        "export.xml: item 2 ('Menu'): post type 'nav_menu_item' is not imported",
        "export.xml: item 3 ('Old text'): post type 'revision' is not imported",
    ]


def test_attachments_are_recorded_not_posted() -> None:
    attachment = item(
        "Peshawar map",
        post_id=7,
        post_type="attachment",
        status="inherit",
        extra="<wp:post_parent>1</wp:post_parent>"
        "<wp:attachment_url>https://clips.example/uploads/map.png</wp:attachment_url>",
    )

    batch = parse(export(attachment + item()))

    (post,) = batch.posts
    (recorded,) = batch.attachments
    assert (recorded.uid, recorded.url, recorded.title, recorded.mime_type) == (
        "wxr:https://clips.example/?p=7",
        "https://clips.example/uploads/map.png",
        "Peshawar map",
        "image/png",
    )
    assert recorded.parent_uid == post.uid == "wxr:https://clips.example/?p=1"


def test_dates_fall_back_from_gmt_to_local_to_pubdate() -> None:
    zero = "<wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>"
    items = (
        item(
            "GMT",
            dates="<wp:post_date_gmt>2023-02-16 09:30:00</wp:post_date_gmt>"
            "<wp:post_date>2023-02-16 14:30:00</wp:post_date>",
        )
        + item("Local", post_id=2, dates=f"{zero}<wp:post_date>2023-02-16 14:30:00</wp:post_date>")
        + item(
            "Feed date",
            post_id=3,
            dates=f"{zero}<pubDate>Thu, 16 Feb 2023 09:30:00 +0000</pubDate>",
        )
    )
    pakistan = timezone(timedelta(hours=5))

    posts = parse(export(items, channel="<pubDate>Fri, 17 Feb 2023 10:00:00 +0500</pubDate>")).posts

    assert [p.published for p in posts] == [
        datetime(2023, 2, 16, 9, 30, tzinfo=UTC),
        datetime(2023, 2, 16, 14, 30, tzinfo=pakistan),
        datetime(2023, 2, 16, 9, 30, tzinfo=UTC),
    ]
    assert len({p.published for p in posts}) == 1  # the same instant, written three ways


def test_a_broken_item_fails_alone() -> None:
    items = (
        item("First")
        + item("Broken", post_id=2, dates="<wp:post_date>yesterday</wp:post_date>")
        + item("Third", post_id=3)
    )

    batch = parse(export(items))

    assert [p.title for p in batch.posts] == ["First", "Third"]
    assert batch.failures == [
        "export.xml: item 2 ('Broken'): no usable date (wp:post_date 'yesterday')"
    ]


def test_a_file_broken_inside_one_item_is_repaired_with_a_warning() -> None:
    batch = parse(export(item("Pakistan & Afghanistan") + item("Second", post_id=2)))

    assert [p.title for p in batch.posts] == ["Pakistan  Afghanistan", "Second"]
    assert batch.warnings == [
        "export.xml: not well-formed XML (xmlParseEntityRef: no name, line 12, column 18); "
        "repaired in lxml's recover mode, so text near the error may be lost"
    ]


def test_a_file_broken_further_on_is_read_on_from_the_break() -> None:
    """Items are read as the XML is parsed: those before a break come from the stream, the
    rest from the file parsed again in recover mode; the result is the repaired file's."""
    items = [item(f"Dispatch {n}", post_id=n) for n in range(1, 6)]
    items[3] = item("Pakistan & Afghanistan", post_id=4)
    data = export("".join(items))

    batch = parse(data)

    assert [p.title for p in batch.posts] == [
        "Dispatch 1", "Dispatch 2", "Dispatch 3", "Pakistan  Afghanistan", "Dispatch 5"
    ]  # fmt: skip
    assert len(batch.warnings) == 1 and "repaired in lxml's recover mode" in batch.warnings[0]
    whole = wxr._whole(data, "export.xml")
    assert batch.posts == list(whole.posts(whole.channel.iterfind("item")))


def test_a_well_formed_export_is_read_as_it_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def whole(data: bytes, source: str) -> None:
        raise AssertionError("parsed as a whole")

    monkeypatch.setattr(wxr, "_whole", whole)
    batch = wxr.iterparse(export(item("First") + item("Second", post_id=2)), "export.xml")
    assert batch.total == 2
    assert [p.title for p in batch.posts] == ["First", "Second"]


def test_channel_elements_after_the_items_are_still_read() -> None:
    """WordPress writes the channel's version and authors before its items; a file that
    writes them after is read whole first, and reads the same."""
    data = (
        export(item("First") + item("Second", post_id=2))
        .replace(b"<wp:wxr_version>1.2</wp:wxr_version>", b"")
        .replace(b"</channel>", b"<wp:wxr_version>1.2</wp:wxr_version></channel>")
    )

    batch = parse(data)

    assert [p.title for p in batch.posts] == ["First", "Second"]
    assert batch.posts[0].author == "Ayaz Gul" and batch.warnings == []


def test_html_is_sanitized() -> None:
    content = (
        '<p>Clip<script>alert(1)</script> <img src="x.png" onerror="alert(2)">'
        ' <a href="javascript:alert(3)">link</a></p>'
    )
    comment = """<wp:comment><wp:comment_id>5</wp:comment_id>
<wp:comment_content><![CDATA[<b onclick="x()">Nice</b><script>bad()</script>]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved></wp:comment>"""

    (post,) = parse(export(item(content=content, extra=comment))).posts

    for html in (post.body_html, post.comments[0].body_html):
        assert "script" not in html and "alert" not in html and "onerror" not in html
        assert "javascript:" not in html and "onclick" not in html
    assert post.body_html == '<p>Clip <img src="x.png"> <a rel="noopener noreferrer">link</a></p>'
    assert post.comments[0].body_html == "<p><b>Nice</b></p>"


def test_comments_by_approval() -> None:
    comments = "".join(
        f"""<wp:comment><wp:comment_id>{n}</wp:comment_id>
<wp:comment_author><![CDATA[Reader {n}]]></wp:comment_author>
<wp:comment_author_url>https://reader{n}.example/</wp:comment_author_url>
<wp:comment_date_gmt>2023-02-17 08:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[Comment {n}]]></wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved></wp:comment>"""
        for n, approved in enumerate(("1", "0", "spam", "trash"), 1)
    )

    (post,) = parse(export(item(extra=comments))).posts

    assert [(c.uid, c.author, c.status, c.body_text) for c in post.comments] == [
        ("wxr:https://clips.example/?p=1#comment-1", "Reader 1", "approved", "Comment 1"),
        ("wxr:https://clips.example/?p=1#comment-2", "Reader 2", "pending", "Comment 2"),
    ]
    assert post.comments[0].author_url == "https://reader1.example/"
    assert post.comments[0].published == datetime(2023, 2, 17, 8, tzinfo=UTC)


def test_paragraphs_only_where_wordpress_left_them_out() -> None:
    plain = "First paragraph\nstill first.\n\n\nSecond <em>paragraph</em>."
    blocks = "<pre>  kept\n\n  as is</pre>\n\nafter"

    first, second = parse(export(item(content=plain) + item(content=blocks, post_id=2))).posts

    assert (
        first.body_html == "<p>First paragraph\nstill first.</p>\n<p>Second <em>paragraph</em>.</p>"
    )
    assert second.body_html == "<pre>  kept\n\n  as is</pre>\n\nafter"


def test_labels_are_deduplicated_in_order_and_other_taxonomies_ignored() -> None:
    categories = """<category domain="post_tag" nicename="tal"><![CDATA[Taliban]]></category>
<category domain="category" nicename="pak"><![CDATA[Pakistan]]></category>
<category domain="tag"><![CDATA[Taliban]]></category>
<category><![CDATA[Uncategorized]]></category>
<category domain="post_format" nicename="post-format-aside"><![CDATA[Aside]]></category>
<category domain="category"><![CDATA[R&amp;D]]></category>"""

    (post,) = parse(export(item(extra=categories))).posts

    assert post.labels == ["Taliban", "Pakistan", "R&D"]


def test_identity_without_guid_is_the_channel_link_and_post_id() -> None:
    data = export(item(post_id=42)).replace(
        b'<guid isPermaLink="false">https://clips.example/?p=42</guid>', b""
    )

    (post,) = parse(data).posts

    assert post.uid == "wxr:https://clips.example/?p=42"


def test_reimport_is_unchanged_and_an_edit_updates(archive: Archive, tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(export(item() + item("Second", post_id=2)))
    first = archive.import_file(path, "wxr")
    again = archive.import_file(path, "wxr")
    path.write_bytes(export(item(content="Edited body.") + item("Second", post_id=2)))
    edited = archive.import_file(path, "wxr")

    assert (first.added, again.unchanged, again.added, again.updated) == (2, 2, 0, 0)
    assert (edited.updated, edited.unchanged, edited.added) == (1, 1, 0)
    assert archive.store.table_counts()["posts"] == 2
    (hit,) = archive.search("edited").hits
    assert hit.title == "Taliban talks"

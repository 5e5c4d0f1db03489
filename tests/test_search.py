"""Searching an archive: the query language end to end, ranking, sorting, paging, snippets."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazette.archive import Archive
from tests.conftest import post

POSTS = [
    post(
        "a",
        "Taliban gains alarm Islamabad",
        "Pakistan fears the Taliban advance near the Durand Line will embolden militants.",
        "2021-08-13",
        ("Pakistan", "Taliban"),
    ),
    post(
        "b",
        "Kabul airport chaos",
        "Crowds gathered at Kabul airport as the Taliban took control of the capital.",
        "2021-08-16",
        ("Afghanistan", "Taliban"),
    ),
    post(
        "c",
        "Border fence divides families",
        "The Durand Line fence splits Pashtun villages; traders in Torkham complain.",
        "2022-03-02",
        ("Pakistan", "North Waziristan"),
    ),
    post(
        "d",
        "Deportations of undocumented Afghans",
        "Islamabad orders undocumented migrants to leave; Kabul protests the decision.",
        "2023-11-03",
        ("Pakistan", "Afghanistan"),
    ),
    post(
        "e",
        "Cricket: Pakistan beat Afghanistan",
        "A thrilling chase in Sharjah; the Taliban's sports ministry congratulated the team.",
        "2023-01-20",
        ("Sport",),
    ),
    post(
        "f",
        "Draft about Kabul",
        "Unpublished notes on Kabul and the Taliban.",
        "2023-05-05",
        ("Taliban",),
        status="draft",
    ),
]


@pytest.fixture
def filled(archive: Archive) -> Archive:
    archive.import_posts(POSTS, source="test", format_name="test")
    return archive


def titles(archive: Archive, query: str, **options) -> list[str]:
    return [hit.title for hit in archive.search(query, **options).hits]


def full_matches(archive: Archive, query: str, **options) -> list[str]:
    return [hit.title for hit in archive.search(query, **options).hits if hit.matches_all]


def test_posts_with_every_word_come_first_then_those_with_some(filled: Archive) -> None:
    result = filled.search("taliban kabul")
    assert (result.matched_all, result.partial) == (1, False)
    assert [hit.title for hit in result.hits if hit.matches_all] == ["Kabul airport chaos"]
    assert result.hits[0].title == "Kabul airport chaos"
    assert all(not hit.matches_all for hit in result.hits[1:]) and len(result.hits) == 4
    assert any("First the posts that match all of taliban, kabul (1)" in n for n in result.notes)
    assert set(full_matches(filled, "pakistan taliban")) == {
        "Taliban gains alarm Islamabad",
        "Cricket: Pakistan beat Afghanistan",
    }


def test_by_date_shows_only_posts_with_every_word(filled: Archive) -> None:
    assert titles(filled, "taliban kabul", sort="date") == ["Kabul airport chaos"]


def test_paging_across_the_full_and_partial_matches(filled: Archive) -> None:
    pages = [filled.search("taliban kabul", page=n, per_page=1) for n in (1, 2, 3, 4)]
    # While the full matches fill the page, the others are not counted, only announced.
    assert [(p.total, p.more, p.pages) for p in pages] == [(1, True, 2)] + [(4, False, 4)] * 3
    assert [p.hits[0].matches_all for p in pages] == [True, False, False, False]
    assert len({p.hits[0].id for p in pages}) == 4


@pytest.mark.parametrize(
    ("query", "matched_all", "more"),
    [
        ("durand line", 2, False),  # the two words are never apart
        ("kabul taliban label:Afghanistan", 1, True),  # Kabul alone, with the label
        ("pakistan taliban label:Sport", 1, False),  # apart only outside the label
        ("taliban -islamabad kabul", 1, True),  # Taliban alone, in the Sharjah post
        ("taliban kabul -pakistan -islamabad", 1, False),  # apart only in posts excluded
    ],
)
def test_more_announces_only_posts_with_some_of_the_words(
    filled: Archive, query: str, matched_all: int, more: bool
) -> None:
    result = filled.search(query, per_page=1)
    assert (result.matched_all, result.more) == (matched_all, more)
    assert result.pages == matched_all + more


def test_more_does_not_count_deleted_posts(filled: Archive) -> None:
    ids = {hit.title: hit.id for hit in filled.search("taliban kabul").hits}
    for title, post_id in ids.items():
        if title != "Kabul airport chaos":
            filled.delete(post_id)
    result = filled.search("taliban kabul", per_page=1)
    assert (result.matched_all, result.more, result.pages) == (1, False, 1)


def test_drafts_are_never_found(filled: Archive) -> None:
    assert "Draft about Kabul" not in titles(filled, "kabul")
    assert "Draft about Kabul" not in titles(filled, "")


def test_title_matches_rank_above_body_matches(filled: Archive) -> None:
    # "Islamabad" is in one title and in another post's body only.
    assert titles(filled, "islamabad") == [
        "Taliban gains alarm Islamabad",
        "Deportations of undocumented Afghans",
    ]


def test_stemming_and_accent_folding(filled: Archive) -> None:
    assert "Border fence divides families" in titles(filled, "family")
    assert "Border fence divides families" in titles(filled, "villagés")
    assert "Cricket: Pakistan beat Afghanistan" in titles(filled, "Taliban’s")


def test_phrase_matches_only_the_exact_phrase(filled: Archive) -> None:
    assert set(titles(filled, '"Durand Line"')) == {
        "Taliban gains alarm Islamabad",
        "Border fence divides families",
    }
    assert titles(filled, '"line durand"') == []


def test_negation_excludes(filled: Archive) -> None:
    assert set(titles(filled, "taliban -kabul")) == {
        "Taliban gains alarm Islamabad",
        "Cricket: Pakistan beat Afghanistan",
    }
    assert "Kabul airport chaos" not in titles(filled, "-taliban")
    assert len(titles(filled, "-taliban")) == 2


def test_or_and_parentheses(filled: Archive) -> None:
    assert set(full_matches(filled, "torkham OR sharjah")) == {
        "Border fence divides families",
        "Cricket: Pakistan beat Afghanistan",
    }
    assert full_matches(filled, "(torkham OR sharjah) cricket") == [
        "Cricket: Pakistan beat Afghanistan"
    ]


def test_label_filter_is_case_insensitive_and_takes_quoted_names(filled: Archive) -> None:
    assert set(titles(filled, "label:sport")) == {"Cricket: Pakistan beat Afghanistan"}
    assert titles(filled, 'label:"north waziristan"') == ["Border fence divides families"]
    assert set(titles(filled, "label:Taliban label:Pakistan")) == {"Taliban gains alarm Islamabad"}
    assert len(titles(filled, "label:Sport|label:Afghanistan")) == 3


def test_title_filter(filled: Archive) -> None:
    assert titles(filled, "title:kabul") == ["Kabul airport chaos"]
    assert titles(filled, "title:torkham") == []


def test_date_filters(filled: Archive) -> None:
    assert set(titles(filled, "after:2023-01-01")) == {
        "Deportations of undocumented Afghans",
        "Cricket: Pakistan beat Afghanistan",
    }
    assert set(titles(filled, "before:2021-08-16")) == {"Taliban gains alarm Islamabad"}
    assert titles(filled, "on:2023-11-03") == ["Deportations of undocumented Afghans"]
    assert len(titles(filled, "on:2021")) == 2
    assert len(titles(filled, "on:2021-08")) == 2
    assert titles(filled, "taliban after:2022 before:2024") == [
        "Cricket: Pakistan beat Afghanistan"
    ]


def test_no_full_match_falls_back_to_partial_matches_and_says_so(filled: Archive) -> None:
    result = filled.search("torkham sharjah")
    assert result.partial
    assert result.total == 2
    assert any("match some" in note for note in result.notes)
    full = filled.search("torkham fence")
    assert not full.partial and full.notes == [] and full.total == 1


def test_best_partial_matches_come_first(filled: Archive) -> None:
    result = filled.search("durand line fence zebra")
    assert result.partial
    assert result.hits[0].title == "Border fence divides families"


def test_sort_by_date_newest_and_oldest_first(filled: Archive) -> None:
    newest = filled.search("", sort="date").hits
    dates = [hit.published for hit in newest]
    assert dates == sorted(dates, reverse=True) and len(dates) == 5
    oldest = [hit.published for hit in filled.search("pakistan", sort="date-asc").hits]
    assert oldest == sorted(oldest)


def test_pagination_and_total(filled: Archive) -> None:
    first = filled.search("", sort="date", page=1, per_page=2)
    second = filled.search("", sort="date", page=2, per_page=2)
    third = filled.search("", sort="date", page=3, per_page=2)
    assert first.total == second.total == 5 and first.pages == 3
    seen = [hit.id for page in (first, second, third) for hit in page.hits]
    assert len(seen) == len(set(seen)) == 5


def test_snippets_highlight_matches_and_escape_the_rest(archive: Archive) -> None:
    archive.import_posts(
        [post("x", "Markup", "Taliban <script>alert(1)</script> & friends", "2024-01-01")],
        source="test",
        format_name="test",
    )
    (hit,) = archive.search("taliban").hits
    assert hit.snippet == "<mark>Taliban</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; friends"


def test_facets_count_labels_and_years_of_the_matches(filled: Archive) -> None:
    result = filled.search("taliban")
    labels = {facet.value: facet.count for facet in result.facets["labels"]}
    assert labels == {"Taliban": 2, "Pakistan": 1, "Afghanistan": 1, "Sport": 1}
    assert [(f.value, f.count) for f in result.facets["years"]] == [("2023", 1), ("2021", 2)]


def test_hits_carry_what_a_results_page_shows(filled: Archive) -> None:
    (hit,) = filled.search("airport").hits
    assert hit.url == "/2021/08/kabul-airport-chaos"
    assert hit.labels == ["Afghanistan", "Taliban"]
    assert hit.published.isoformat() == "2021-08-16T00:00:00+00:00"
    assert "<mark>airport</mark>" in hit.snippet


QUERY_PIECES = st.sampled_from(
    ['"', "(", ")", " OR ", " AND ", "NOT ", "-", "label:", "title:", "after:", "on:2023",
     "before:2021-13-40", "taliban", "kabul", "|", "“", "*", ":", "\x00", "‮", "🙂", " "]
)  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.text(max_size=60), st.lists(QUERY_PIECES, max_size=12).map("".join)))
def test_any_query_gives_results_or_a_note_never_an_error(filled: Archive, query: str) -> None:
    result = filled.search(query)
    assert result.total >= 0
    assert len(result.hits) <= result.total
    for hit in result.hits:
        assert not re.search(r"<(?!/?mark>)", hit.snippet), hit.snippet


def test_ten_kilobyte_query(filled: Archive) -> None:
    result = filled.search("taliban " * 1300)
    assert result.total >= 0

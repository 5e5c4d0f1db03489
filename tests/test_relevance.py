"""Relevance regression: queries over the project's own sample blog whose best results are
stated here, and the ranking choices of ``gazette.search.ranking`` one by one.

The measured quality (SciFact, CACM) is ``bench/relevance.py``; these tests keep the ranking
from drifting silently between benchmark runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.search.query import parse
from gazette.search.ranking import Feedback, RankingOptions
from gazette.search.searcher import Searcher
from tests.conftest import post

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "gazette" / "samples" / "gazette-sample.txt"

# query -> the titles the first results must be, in order
EXPECTED_TOP = {
    "haqqani network": ["The Haqqani Network: kingmakers in the new Kabul"],
    "durand line fence": [
        "Dispute over the Durand Line fence flares again",
        "Afghans blame Pakistan as the Taliban sweep the provinces",
    ],
    "undocumented afghans deadline": [
        "Queues at Torkham as the deadline for undocumented Afghans passes"
    ],
    "peshawar mosque blast": ["Blast tears through mosque in Peshawar police compound"],
    "imran khan united states": ["Imran Khan: the United States mishandled Afghanistan"],
    # A question: its stop words (what, did, the, about) are dropped, the rest must match.
    "What did the think tank say about the TTP?": [
        "US think tank sees no break between Afghan Taliban and TTP"
    ],
    "suicide attack on soldiers in north waziristan": [
        "Soldiers killed in attack on army post in North Waziristan"
    ],
    "air strikes khost kunar": ["Kabul protests after strikes on Afghan border provinces"],
    # Both words in the title beat both words in the body.
    "pakistan taliban": ["Pro-Taliban rallies in Pakistan worry analysts"],
    # Nothing has every word ("falls"): the best partial match leads.
    "kabul falls to the taliban": ["Taliban enter Kabul as the government collapses"],
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    if not SAMPLE.is_file():
        pytest.skip(f"{SAMPLE} not found")
    archive = Archive.open(tmp_path_factory.mktemp("sample"), create=True)
    summary = archive.import_file(SAMPLE)
    assert summary.ok and summary.added >= 10
    return archive


@pytest.mark.parametrize("query", list(EXPECTED_TOP))
def test_sample_queries_rank_the_expected_posts_first(sample: Archive, query: str) -> None:
    expected = EXPECTED_TOP[query]
    titles = [hit.title for hit in sample.search(query).hits]
    assert titles[: len(expected)] == expected, titles


def test_partial_match_is_flagged_on_the_sample(sample: Archive) -> None:
    result = sample.search("kabul falls to the taliban")
    assert result.partial
    assert not sample.search("haqqani network").partial


# --- the ranking choices, each on a few posts ----------------------------------------------

POSTS = [
    post(
        "a", "Aid agencies warn of winter", "NGOs say camps near Torkham lack tents.", "2023-11-02"
    ),
    post("b", "One NGO stays", "A single NGO kept its clinic open in Khost.", "2023-11-03"),
    post("c", "WHO warns of measles", "The World Health Organization reports cases.", "2023-11-04"),
    post(
        "d",
        "Who will pay for the camps?",
        "Donors argue over the bill for the camps.",
        "2023-11-05",
    ),
    post(
        "e",
        "Border talks",
        "Officials discuss the camps and the crossing at Torkham.",
        "2023-11-06",
    ),
    post("f", "Torkham reopens", "Traders return; the camps empty.", "2023-11-07"),
]


@pytest.fixture
def small(archive: Archive) -> Archive:
    archive.import_posts(POSTS, source="test", format_name="test")
    return archive


def titles(archive: Archive, query: str) -> list[str]:
    """The posts that match every word of ``query``, best first."""
    return [hit.title for hit in archive.search(query).hits if hit.matches_all]


def test_acronym_plural_and_singular_find_each_other(small: Archive) -> None:
    assert set(titles(small, "NGO")) == {"Aid agencies warn of winter", "One NGO stays"}
    assert set(titles(small, "NGOs")) == {"Aid agencies warn of winter", "One NGO stays"}


def test_stop_words_are_dropped_among_other_words_but_not_alone(small: Archive) -> None:
    assert titles(small, "the camps at torkham") == titles(small, "camps torkham")
    assert titles(small, "who") != []  # a query of stop words alone still searches them


def test_a_stop_word_in_capitals_is_kept(small: Archive) -> None:
    assert titles(small, "WHO warns") == ["WHO warns of measles"]
    assert titles(small, "WHO camps") == ["Who will pay for the camps?"]


def test_a_word_in_the_title_counts_extra(small: Archive) -> None:
    assert titles(small, "torkham")[0] == "Torkham reopens"


def test_repeated_words_count_more(small: Archive) -> None:
    once = Searcher(small.index).search(parse("camps torkham"), facets=False)
    twice = Searcher(small.index).search(parse("camps camps torkham"), facets=False)
    assert {p.post_id for p in once.posts} == {p.post_id for p in twice.posts}
    assert twice.posts[0].score > once.posts[0].score


def test_complete_ranking_puts_full_matches_first_then_partial(small: Archive) -> None:
    parsed = parse("torkham camps tents")
    ranking = Searcher(small.index).search(parsed, complete=True, facets=False)
    assert ranking.matched_all == 1
    ids = [p.post_id for p in ranking.posts]
    first = small.get(ids[0])
    assert first is not None and first.title == "Aid agencies warn of winter"
    assert len(ids) == ranking.total == 4  # every post with torkham, camps or tents
    strict = Searcher(small.index).search(parsed, facets=False)
    assert [p.post_id for p in strict.posts] == ids[:1]


def test_ranking_options_can_turn_each_choice_off(small: Archive) -> None:
    plain = RankingOptions(title_weight=0.0, stop_words=None, spelling_variants=False)
    found = Searcher(small.index, plain).search(parse("NGOs"), facets=False)
    assert [small.get(p.post_id).title for p in found.posts] == ["Aid agencies warn of winter"]


def test_feedback_expands_the_query_and_says_so(small: Archive) -> None:
    # A six-post archive: let terms in up to half the posts count (RM3's default is 10%).
    feedback = Feedback(docs=1, max_doc_share=0.5)
    ranking = Searcher(small.index).search(parse("tents"), feedback=feedback, facets=False)
    assert ranking.total > 1  # more than the one post with "tents"
    assert any("words from the best matches" in note for note in ranking.notes)

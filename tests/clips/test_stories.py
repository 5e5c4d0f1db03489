"""Grouping clips into stories: signatures, the LSH index, union-find, incremental updates."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash

from gazette.clips import stories
from gazette.clips.stories import StoryIndex, group, shingles, signature, signatures

WIRE = (
    "Pakistan's midnight deadline for undocumented foreigners to leave expired on Thursday, as "
    "more than 140,000 migrants, mostly Afghans, were estimated to have left voluntarily. "
    "Authorities rounded up people to temporary holding centres a day earlier, ahead of "
    "Wednesday's deadline, set a month ago, to leave or face expulsion. Some who have spent "
    "decades in Pakistan crammed into trucks queued on the border. The sudden expulsion threat "
    "came after suicide bombings this year that the government said involved Afghans, though "
    "without providing evidence. Islamabad has also blamed them for smuggling and other "
    "militant attacks as well as petty crimes. Kabul rejects the accusations."
)
OTHER = (
    "The Frankfurt bourse extended official trading hours by half an hour due to heavy "
    "turnover, a spokeswoman for the exchange said on Friday. It was not immediately clear "
    "whether the other seven German bourses were also affected. Yesterday trading hours were "
    "also extended by half an hour as investors rushed to buy shares of chemical and car "
    "makers after strong results. The index of thirty leading shares started higher, rose at "
    "midsession and slipped back in the afternoon as dealers took profits before the weekend."
)


def edited(text: str) -> str:
    """The wire story as another outlet ran it: a word changed, the last sentence cut."""
    return text.replace("temporary holding centres", "temporary camps").rsplit(". ", 1)[0] + "."


def words(prefix: str, count: int) -> str:
    return " ".join(f"{prefix}{n}" for n in range(count))


def test_signature_is_datasketchs_minhash_of_the_shingles() -> None:
    expected = MinHash(num_perm=stories.NUM_PERM, seed=stories.SEED, hashfunc=int)
    expected.update_batch(shingles(WIRE).tolist())
    assert np.array_equal(signature(WIRE), expected.hashvalues)
    texts = [WIRE, OTHER]
    together = signatures(texts)
    assert all(np.array_equal(a, signature(t)) for a, t in zip(together, texts, strict=True))


def test_shingles_ignore_case_and_punctuation() -> None:
    assert np.array_equal(shingles("The Taliban, said: it"), shingles("the taliban said it"))
    assert len(shingles("one two three four")) == 2
    assert len(shingles("two words")) == 0


def test_short_texts_have_no_signature() -> None:
    assert signature("Too short to tell a version from a coincidence.") is None
    assert signatures([]) == []


def test_versions_of_a_story_are_grouped_and_others_are_not() -> None:
    found = group([(10, WIRE), (11, OTHER), (12, edited(WIRE)), (13, WIRE)])
    assert found == {10: 10, 11: 11, 12: 10, 13: 10}


def test_add_reports_whose_story_changed() -> None:
    index = StoryIndex()
    assert index.add(5, edited(WIRE)) == {5}
    assert index.add(3, OTHER) == {3}
    assert index.add(7, WIRE) == {7}
    assert index.story(7) == 5
    assert index.add(2, WIRE) == {2, 5, 7}  # the story's id is now 2
    assert index.members(5) == [2, 5, 7]
    assert (len(index), 3 in index, 4 in index) == (4, True, False)


def test_a_clip_is_added_once() -> None:
    index = StoryIndex()
    index.add(1, WIRE)
    with pytest.raises(KeyError):
        index.add(1, WIRE)


def test_short_clips_are_stories_of_their_own() -> None:
    index = StoryIndex()
    index.add(1, "Kabul rejects the accusations.")
    index.add(2, "Kabul rejects the accusations.")
    assert index.stories() == {1: 1, 2: 2}


def test_stories_chain_through_a_middle_version_and_split_when_it_goes() -> None:
    x, y, z, w = words("x", 10), words("y", 40), words("z", 40), words("w", 10)
    index = StoryIndex(threshold=0.3)
    index.assign([(1, f"{x} {y}"), (2, f"{z} {w}"), (3, f"{y} {z}")])
    assert index.stories() == {1: 1, 2: 1, 3: 1}
    assert index.remove(3) == {2}
    assert index.stories() == {1: 1, 2: 2}
    assert index.remove(1) == set()
    assert index.stories() == {2: 2}


def test_removing_the_first_clip_renames_the_story() -> None:
    index = StoryIndex()
    index.assign([(1, WIRE), (2, edited(WIRE)), (3, WIRE)])
    assert index.remove(1) == {2, 3}
    assert index.stories() == {2: 2, 3: 2}

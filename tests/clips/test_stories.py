"""Grouping clips into stories: signatures, LSH bands, linked groups, folding search results."""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

from gazette.clips import stories
from gazette.clips.stories import fold, group, shingles, signature, signatures

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


def test_words_are_unicode_word_characters_lower_cased() -> None:
    text = "Ünïcödé — “STRASSE” in İstanbul, it’s 𝔘𝔫𝔦 x_y 3,5 %\ud800 café"
    words = " ".join(re.findall(r"\w+", text.casefold()))
    assert words == "ünïcödé strasse in i stanbul it s 𝔘𝔫𝔦 x_y 3 5 café"
    assert np.array_equal(shingles(text), shingles(words))
    assert np.array_equal(shingles("Straße am Fluss"), shingles("STRASSE AM FLUSS"))
    assert not np.array_equal(shingles("one two three"), shingles("one two thre"))


def test_many_texts_are_signed_as_each_alone() -> None:
    texts = [f"{n} {WIRE}" if n % 3 else f"{OTHER} {n}" for n in range(500)] + ["", "short"]
    assert sum(map(len, texts)) > stories._BLOCK  # read in more than one block
    together = signatures(texts)
    assert together[-2:] == [None, None]
    assert all(
        np.array_equal(a, signature(t)) for a, t in zip(together[:-2], texts[:-2], strict=True)
    )


def test_short_texts_have_no_signature() -> None:
    assert signature("Too short to tell a version from a coincidence.") is None
    assert signatures([]) == []


def grouped(*texts: tuple[int, str], threshold: float = stories.THRESHOLD) -> dict[int, int]:
    return group({key: signature(text) for key, text in texts}, threshold)


def test_versions_of_a_story_are_grouped_and_others_are_not() -> None:
    found = grouped((10, WIRE), (11, OTHER), (12, edited(WIRE)), (13, WIRE))
    assert found == {10: 10, 11: 11, 12: 10, 13: 10}


def test_short_clips_are_stories_of_their_own() -> None:
    short = "Kabul rejects the accusations."
    assert grouped((1, short), (2, short)) == {1: 1, 2: 2}


def test_stories_chain_through_a_middle_version() -> None:
    x, y, z, w = words("x", 10), words("y", 40), words("z", 40), words("w", 10)
    texts = ((1, f"{x} {y}"), (2, f"{z} {w}"), (3, f"{y} {z}"))
    assert grouped(*texts, threshold=0.3) == {1: 1, 2: 1, 3: 1}
    assert grouped(*texts[:2], threshold=0.3) == {1: 1, 2: 2}


def test_the_bands_written_down_are_the_ones_datasketch_chooses() -> None:
    lsh = MinHashLSH(
        threshold=stories.THRESHOLD, num_perm=stories.NUM_PERM, weights=stories.WEIGHTS
    )
    assert stories.lsh_bands() == (lsh.b, lsh.r) == (44, 2)


def test_band_keys_are_one_per_band_and_equal_for_equal_bands() -> None:
    bands, _ = stories.lsh_bands()
    mine = signature(WIRE)
    keys = stories.band_keys(mine)
    assert len(keys) == len(set(keys)) == bands
    changed = mine.copy()
    changed[0] += 1  # the first band's values differ, no other band's
    assert [a == b for a, b in zip(keys, stories.band_keys(changed), strict=True)] == [False] + [
        True
    ] * (bands - 1)
    assert all(-(2**63) <= key < 2**63 for key in keys)


def test_folding_puts_a_post_under_the_first_that_has_all_its_stories() -> None:
    entries = fold(
        [1, 2, 3, 4, 5, 6],
        {1: [7, None], 2: [7], 3: [8], 4: [7, 8], 5: [], 6: [8]},
    )
    assert entries == [(1, [2]), (3, [6]), (4, []), (5, [])]

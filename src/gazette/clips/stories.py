"""Versions of one story: near-duplicate clips, across posts and outlets, grouped together.

Each clip's text becomes a set of word shingles (``SHINGLE`` consecutive words), summarised
by a MinHash signature of ``NUM_PERM`` values (datasketch's ``affine32`` scheme). Locality
sensitive hashing finds the clips whose signatures may be similar: each signature is cut
into bands (as datasketch's MinHashLSH chooses them for ``THRESHOLD``), and clips sharing a
band's values are candidates. A candidate is a version when the signatures estimate a
Jaccard similarity of at least ``THRESHOLD``; versions are joined into stories (connected
groups), and a story's id is the smallest key among its clips. Clips with fewer than
``MIN_WORDS`` words are stories of their own: too little text to tell a version from a
coincidence.

Everything here is pure; ``gazette.store.stories`` keeps the stored clips grouped.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache

import numpy as np

SHINGLE = 3
"""Words per shingle."""
NUM_PERM = 128
"""MinHash permutations: the estimate's standard error at Jaccard 0.2 is about 0.035."""
THRESHOLD = 0.2
"""Least estimated Jaccard similarity of two versions of a story (chosen by bench/stories.py:
precision 0.989 and recall 0.948 on its near-copies of Reuters stories)."""
WEIGHTS = (0.3, 0.7)
"""Weights of false positives and false negatives when datasketch chooses the LSH bands: a
missed candidate costs recall, an extra one only a signature comparison (44 bands of 2)."""
MIN_WORDS = 40
"""Clips with fewer words are stories of their own."""
SEED = 1
"""datasketch's seed for the permutations; signatures of different seeds do not compare."""

_WORD = re.compile(r"\w+")
_MASK = np.uint64(0xFFFFFFFF)
_MIX = (np.uint64(0x9E3779B1), np.uint64(0x85EBCA77))
Signature = np.ndarray
"""A clip's MinHash values: ``NUM_PERM`` unsigned 32-bit integers."""


@lru_cache(maxsize=1 << 18)
def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode())


def shingles(text: str, size: int = SHINGLE) -> np.ndarray:
    """The distinct hashed ``size``-word shingles of ``text`` (lower-cased words), as uint32."""
    return _shingles(_WORD.findall(text.casefold()), size)


def _shingles(words: list[str], size: int) -> np.ndarray:
    hashes = np.fromiter(map(_word_hash, words), dtype=np.uint64, count=len(words))
    if len(hashes) < size:
        return np.empty(0, dtype=np.uint32)
    count = len(hashes) - size + 1
    combined = hashes[:count].copy()
    for offset in range(1, size):
        combined = combined * _MIX[offset % 2] + hashes[offset : offset + count]
    return np.unique((combined & _MASK).astype(np.uint32))


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser, as datasketch applies it to hash values (affine32 scheme)."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


@cache
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from datasketch import MinHash  # imported when first needed: it takes 0.4 s (scipy)

    a, b = MinHash(num_perm=num_perm, seed=seed).permutations
    return a, b


_CHUNK = 64
"""Texts per MinHash computation: (permutations x shingles) stays small enough for the cache."""


def signatures(
    texts: Sequence[str], num_perm: int = NUM_PERM, size: int = SHINGLE, min_words: int = MIN_WORDS
) -> list[Signature | None]:
    """The MinHash signature of each text, or None for a text with fewer than ``min_words``.

    The values are those of ``datasketch.MinHash(num_perm, seed=SEED).update_batch(hashes)``
    over the text's shingle hashes, computed for a few dozen texts at a time.
    """
    tokens = (_WORD.findall(text.casefold()) for text in texts)
    sets = [_shingles(words, size) if len(words) >= min_words else None for words in tokens]
    found = [s for s in sets if s is not None and len(s)]
    computed = iter(
        row
        for start in range(0, len(found), _CHUNK)
        for row in _minhash(found[start : start + _CHUNK], num_perm)
    )
    return [next(computed) if s is not None and len(s) else None for s in sets]


def _minhash(sets: list[np.ndarray], num_perm: int) -> np.ndarray:
    """Signatures (one row per set) of non-empty sets of hash values."""
    a, b = _permutations(num_perm, SEED)
    starts = np.cumsum([0] + [len(s) for s in sets[:-1]])
    values = a[:, None] * _fmix32(np.concatenate(sets))[None, :] + b[:, None]
    return np.ascontiguousarray(np.minimum.reduceat(values, starts, axis=1).T)


def signature(text: str, num_perm: int = NUM_PERM) -> Signature | None:
    """The MinHash signature of one text (None if it is too short to compare)."""
    return signatures([text], num_perm)[0]


def similarity(a: Signature, b: Signature) -> float:
    """The Jaccard similarity of two clips' shingles, as their signatures estimate it."""
    return float(np.count_nonzero(a == b)) / len(a)


@cache
def lsh_bands(threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """Bands and values per band of the LSH for ``threshold``, as datasketch chooses them
    with ``WEIGHTS`` (44 bands of 2 values at 0.2): two clips are candidates when their
    signatures agree on every value of at least one band."""
    from datasketch import MinHashLSH  # imported when first needed, as above

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=WEIGHTS)
    return lsh.b, lsh.r


_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)
_VALUE_MIX = np.uint64(0x100000001B3)


def band_keys(found: Signature, threshold: float = THRESHOLD) -> list[int]:
    """One signed 64-bit key per LSH band of a signature: clips that share a key (and
    thereby, but for a rare collision, a band) are candidate versions of each other."""
    return band_key_rows(found[None, :], threshold)[0].tolist()


def band_key_rows(found: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """:func:`band_keys` of each row of a matrix of signatures, as an int64 matrix."""
    bands, rows = lsh_bands(threshold, found.shape[1])
    values = found[:, : bands * rows].astype(np.uint64).reshape(len(found), bands, rows)
    keys = np.zeros((len(found), bands), dtype=np.uint64)
    for column in range(rows):
        keys = keys * _VALUE_MIX + values[:, :, column]
    keys ^= np.arange(1, bands + 1, dtype=np.uint64) * _BAND_MIX
    return keys.view(np.int64)


def group(found: Mapping[int, Signature | None], threshold: float = THRESHOLD) -> dict[int, int]:
    """The story of each clip (key: signature, None for a clip too short to compare): the
    smallest key among its versions. Versions share an LSH band and agree on at least
    ``threshold`` of their signatures' values; stories are the groups they link, so a
    story chains through a middle version (the wire copy between two outlets' edits)."""
    parent = {key: key for key in found}

    def root(key: int) -> int:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    buckets: dict[int, list[int]] = {}
    for key in sorted(found):
        value = found[key]
        if value is None:
            continue
        for band in band_keys(value, threshold):
            bucket = buckets.setdefault(band, [])
            for other in bucket:
                a, b = root(key), root(other)
                if a != b and similarity(value, found[other]) >= threshold:
                    parent[max(a, b)] = min(a, b)
            bucket.append(key)
    return {key: root(key) for key in found}


def fold(
    order: Sequence[int], stories_of: Mapping[int, Sequence[int | None]]
) -> list[tuple[int, list[int]]]:
    """Search results with versions folded together: ``order`` is the posts found, best
    first; ``stories_of`` the story of each clip of each (None: a clip with no version).
    A post all of whose clips are versions of stories that a post above it has too goes
    under the first such post. Returns each remaining post with the posts folded under it."""
    entries: list[tuple[int, list[int]]] = []
    covers: list[set[int | None]] = []
    for post in order:
        mine = set(stories_of.get(post, ()))
        if mine and None not in mine:
            home = next((i for i, theirs in enumerate(covers) if mine <= theirs), None)
            if home is not None:
                entries[home][1].append(post)
                continue
        entries.append((post, []))
        covers.append(mine)
    return entries

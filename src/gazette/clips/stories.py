"""Versions of one story: near-duplicate clips, across posts and outlets, grouped together.

Each clip's text becomes a set of word shingles (``SHINGLE`` consecutive words), summarised
by a MinHash signature of ``NUM_PERM`` values (datasketch's ``affine32`` scheme, computed
here in numpy for many texts at once). Locality
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

_NOT_WORD = re.compile(r"\W")
_MASK = np.uint64(0xFFFFFFFF)
_MIX = (np.uint64(0x9E3779B1), np.uint64(0x85EBCA77))
Signature = np.ndarray
"""A clip's MinHash values: ``NUM_PERM`` unsigned 32-bit integers."""


@cache
def _word_chars() -> np.ndarray:
    """Which code points of the Basic Multilingual Plane are ``\\w`` (word) characters."""
    plane = "".join(map(chr, range(0x10000)))
    return _code_points(_NOT_WORD.sub("\x00", plane)) != 0


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


_BASE = 0x01000193
"""The base of the polynomial word hash (odd, so that its powers can be undone)."""


@lru_cache(maxsize=2)
def _powers(length: int) -> tuple[np.ndarray, np.ndarray]:
    """``_BASE ** i`` and its inverse, modulo 2**32, for i < ``length``."""
    base = np.full(length, _BASE, dtype=np.uint32)
    inverse = np.full(length, pow(_BASE, -1, 1 << 32), dtype=np.uint32)
    base[0] = inverse[0] = 1
    return np.cumprod(base, dtype=np.uint32), np.cumprod(inverse, dtype=np.uint32)


def _words(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The words (``\\w+``) of the lower-cased texts, all at once: a 32-bit hash of each
    word (a polynomial of its code points, mixed), and the index of the text it is in."""
    folded = [text.casefold() for text in texts]
    codes = _code_points("\x00".join(folded))
    if not len(codes):
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    word = _word_chars()[np.minimum(codes, 0xFFFF)]
    astral = np.flatnonzero(codes > 0xFFFF)
    if len(astral):  # beyond the plane (rare): asked one by one
        word[astral] = [chr(c).isalnum() for c in codes[astral].tolist()]
    starts = np.flatnonzero(word[1:] & ~word[:-1]) + 1
    ends = np.flatnonzero(word[:-1] & ~word[1:]) + 1
    if word[0]:
        starts = np.concatenate([[0], starts])
    if word[-1]:
        ends = np.append(ends, len(word))
    powers, inverses = _powers(1 << max(len(codes), 1).bit_length())
    sums = np.zeros(len(codes) + 1, dtype=np.uint32)
    np.cumsum(codes * powers[: len(codes)], dtype=np.uint32, out=sums[1:])
    hashes = (sums[ends] - sums[starts]) * inverses[starts]
    bounds = np.cumsum([len(text) + 1 for text in folded])
    return _fmix32(hashes).astype(np.uint64), np.searchsorted(bounds, starts, side="right")


def _shingle_runs(texts: Sequence[str], size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every ``size``-word shingle of the texts, hashed to 32 bits, in text order (repeats
    kept), the text of each, and each text's number of words."""
    hashes, owner = _words(texts)
    counts = np.bincount(owner, minlength=len(texts))
    count = max(len(hashes) - size + 1, 0)
    combined = hashes[:count].copy()
    for offset in range(1, size):
        combined = combined * _MIX[offset % 2] + hashes[offset : offset + count]
    inside = owner[:count] == owner[size - 1 : size - 1 + count]
    return (combined[inside] & _MASK).astype(np.uint32), owner[:count][inside], counts


def shingles(text: str, size: int = SHINGLE) -> np.ndarray:
    """The distinct hashed ``size``-word shingles of ``text`` (lower-cased words), as uint32."""
    return np.unique(_shingle_runs([text], size)[0])


@cache
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations ``a * h + b`` (mod 2**32) of datasketch's ``MinHash(num_perm,
    seed, scheme="affine32")``, drawn as it draws them (the tests compare)."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser, as datasketch applies it to hash values (affine32 scheme)."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


_BLOCK = 1 << 15
"""Characters of text read at a time: the (permutations x shingles) matrix of a block, about
2.5 MB, stays in the processor's cache (at 256 K characters signing took 1.5x as long)."""


def signatures(
    texts: Sequence[str], num_perm: int = NUM_PERM, size: int = SHINGLE, min_words: int = MIN_WORDS
) -> list[Signature | None]:
    """The MinHash signature of each text, or None for a text with fewer than ``min_words``
    words (or no shingle).

    The values are those of ``datasketch.MinHash(num_perm, seed=SEED).update_batch(hashes)``
    over the text's shingle hashes; the texts are read a block at a time, in numpy.
    """
    found: list[Signature | None] = []
    first = 0
    while first < len(texts):
        last, length = first + 1, len(texts[first])
        while last < len(texts) and length + len(texts[last]) <= _BLOCK:
            length += len(texts[last])
            last += 1
        found += _signed_block(texts[first:last], num_perm, size, min_words)
        first = last
    return found


def _signed_block(
    texts: Sequence[str], num_perm: int, size: int, min_words: int
) -> list[Signature | None]:
    hashes, owner, counts = _shingle_runs(texts, size)
    keep = counts[owner] >= min_words
    signed, starts = np.unique(owner[keep], return_index=True)
    found: list[Signature | None] = [None] * len(texts)
    if len(signed):
        for text, row in zip(
            signed.tolist(), _minhash(hashes[keep], starts, num_perm), strict=True
        ):
            found[text] = row
    return found


def _minhash(hashes: np.ndarray, starts: np.ndarray, num_perm: int) -> np.ndarray:
    """Signatures (one row per run of ``hashes`` beginning at ``starts``)."""
    a, b = _permutations(num_perm, SEED)
    values = a[:, None] * _fmix32(hashes)[None, :] + b[:, None]
    return np.ascontiguousarray(np.minimum.reduceat(values, starts, axis=1).T)


def signature(text: str, num_perm: int = NUM_PERM) -> Signature | None:
    """The MinHash signature of one text (None if it is too short to compare)."""
    return signatures([text], num_perm)[0]


def similarity(a: Signature, b: Signature) -> float:
    """The Jaccard similarity of two clips' shingles, as their signatures estimate it."""
    return float(np.count_nonzero(a == b)) / len(a)


BANDS = (44, 2)
"""Bands, and values per band, of the LSH at ``THRESHOLD`` with ``NUM_PERM`` values: as
datasketch's ``MinHashLSH`` chooses them with ``WEIGHTS`` (written down here, since
importing datasketch takes 0.4 s; a test asks it)."""


@cache
def lsh_bands(threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """Bands and values per band of the LSH for ``threshold``, as datasketch chooses them
    with ``WEIGHTS``: two clips are candidates when their signatures agree on every value
    of at least one band."""
    if (threshold, num_perm) == (THRESHOLD, NUM_PERM):
        return BANDS
    from datasketch import MinHashLSH  # only for other settings (bench/stories.py's sweep)

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

"""Versions of one story: near-duplicate clips, across posts and outlets, grouped together.

Each clip's text becomes a set of word shingles (``SHINGLE`` consecutive words), summarised
by a MinHash signature of ``NUM_PERM`` values (datasketch's ``affine32`` scheme). A MinHash
LSH index (datasketch) finds the clips whose signatures may be similar; a candidate is
accepted when the signatures estimate a Jaccard similarity of at least ``THRESHOLD``, and
accepted pairs are joined (union-find) into stories. A story's id is the smallest key among
its clips, so it can change when two stories turn out to be one: ``add`` and ``remove``
return the keys whose story changed. Clips with fewer than ``MIN_WORDS`` words are stories
of their own: too little text to tell a version from a coincidence.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

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


class StoryIndex:
    """Clips grouped into stories, kept up to date as clips are added and removed.

    Clips are known by integer keys (their ids in the store). The index lives in memory,
    about 9 KB a clip, nearly all of it datasketch's band tables.
    """

    def __init__(
        self,
        threshold: float = THRESHOLD,
        num_perm: int = NUM_PERM,
        weights: tuple[float, float] = WEIGHTS,
    ) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=weights)
        self._rows: dict[int, int] = {}
        """Each signed clip's row in ``_matrix``, which holds the signatures."""
        self._matrix = np.empty((1024, num_perm), dtype=np.uint32)
        self._used = 0
        self._parent: dict[int, int] = {}
        self._members: dict[int, set[int]] = {}
        """The clips of each story, by the story's root in the union-find forest."""
        self._first: dict[int, int] = {}
        """Each story's id (its smallest key), by its root."""

    def __len__(self) -> int:
        return len(self._parent)

    def __contains__(self, key: object) -> bool:
        return key in self._parent

    @property
    def bands(self) -> tuple[int, int]:
        """The LSH's bands and rows per band, as datasketch chose them for the threshold."""
        return self._lsh.b, self._lsh.r

    def add(self, key: int, text: str) -> set[int]:
        """Add a clip by its text; return the keys whose story changed (``key`` among them)."""
        return self.add_signature(key, signature(text, self.num_perm))

    def add_signature(self, key: int, found: Signature | None) -> set[int]:
        """Add a clip by its signature (None: a story of its own); return the changed keys."""
        if key in self._parent:
            raise KeyError(f"clip {key} is already in the index")
        self._parent[key] = key
        self._members[key] = {key}
        self._first[key] = key
        changed = {key}
        if found is None:
            return changed
        minhash = LeanMinHash(seed=SEED, hashvalues=found, scheme="affine32")
        for other in self._versions(found, self._lsh.query(minhash)):
            changed |= self._union(key, other)
        self._lsh.insert(key, minhash, check_duplication=False)
        if self._used == len(self._matrix):
            self._matrix = np.concatenate([self._matrix, np.empty_like(self._matrix)])
        self._matrix[self._used] = found
        self._rows[key] = self._used
        self._used += 1
        return changed

    def assign(self, items: Iterable[tuple[int, str]], batch: int = 2000) -> dict[int, int]:
        """Add many clips (key, text); return the story of every clip in the index."""
        chunk: list[tuple[int, str]] = []
        for item in items:
            chunk.append(item)
            if len(chunk) == batch:
                self._add_batch(chunk)
                chunk = []
        self._add_batch(chunk)
        return self.stories()

    def remove(self, key: int) -> set[int]:
        """Remove a clip and re-form its story without it; return the keys (other than
        ``key``) whose story changed."""
        root = self._find(key)
        before = self._first.pop(root)
        group = self._members.pop(root) - {key}
        if self._rows.pop(key, None) is not None:
            self._lsh.remove(key)
        del self._parent[key]
        for member in group:
            self._parent[member] = member
            self._members[member] = {member}
            self._first[member] = member
        for member in sorted(group & self._rows.keys()):
            mine = self._matrix[self._rows[member]]
            minhash = LeanMinHash(seed=SEED, hashvalues=mine, scheme="affine32")
            candidates = [c for c in self._lsh.query(minhash) if c in group and c != member]
            for other in self._versions(mine, candidates):
                self._union(member, other)
        return {member for member in group if self.story(member) != before}

    def story(self, key: int) -> int:
        """The story of clip ``key``: the smallest key among its versions."""
        return self._first[self._find(key)]

    def members(self, key: int) -> list[int]:
        """All versions of the story of clip ``key``, ``key`` included, in key order."""
        return sorted(self._members[self._find(key)])

    def stories(self) -> dict[int, int]:
        """The story of every clip in the index."""
        return {key: self._first[self._find(key)] for key in self._parent}

    def _add_batch(self, chunk: list[tuple[int, str]]) -> None:
        found = signatures([text for _, text in chunk], self.num_perm)
        for (key, _), value in zip(chunk, found, strict=True):
            self.add_signature(key, value)

    def _versions(self, found: Signature, candidates: list[int]) -> list[int]:
        """The candidates whose signatures estimate a Jaccard similarity >= the threshold."""
        if not candidates:
            return []
        rows = [self._rows[c] for c in candidates]
        similarity = (self._matrix[rows] == found).mean(axis=1)
        return [c for c, s in zip(candidates, similarity, strict=True) if s >= self.threshold]

    def _find(self, key: int) -> int:
        parent = self._parent
        root = key
        while parent[root] != root:
            root = parent[root]
        while parent[key] != root:
            parent[key], key = root, parent[key]
        return root

    def _union(self, key: int, other: int) -> set[int]:
        """Join the stories of two clips; return the keys whose story id changed."""
        a, b = self._find(key), self._find(other)
        if a == b:
            return set()
        changed = set(self._members[b] if self._first[a] < self._first[b] else self._members[a])
        if len(self._members[a]) < len(self._members[b]):
            a, b = b, a
        self._parent[b] = a
        self._members[a] |= self._members.pop(b)
        self._first[a] = min(self._first[a], self._first.pop(b))
        return changed


def group(items: Iterable[tuple[int, str]], threshold: float = THRESHOLD) -> dict[int, int]:
    """The story of each clip (key, text): the smallest key among its versions."""
    return StoryIndex(threshold).assign(items)

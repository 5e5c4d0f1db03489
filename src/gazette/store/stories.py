"""Versions of one story among the stored clips, kept grouped as clips come and go.

Each clip's MinHash signature is stored with it (``clips.signature``: empty for a clip too
short to compare), and the keys of its LSH bands in ``story_bands``, so a new clip's
candidate versions are one indexed lookup, whatever the size of the archive. A clip's
``story_id`` is the smallest clip id among its versions, NULL when it has none. The rules
(bands, threshold, stories as linked groups) are ``gazette.clips.stories``'; the groups kept
here are the ones its ``group`` finds over all clips at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from itertools import combinations

import numpy as np

from gazette.clips import stories
from gazette.clips.stories import Signature
from gazette.store.sql import marks, select_in

GROUP_CHUNK = 1000
"""Clips signed at a time (signatures are computed for many texts at once)."""

_PAIR_BLOCK = 50_000
"""Candidate pairs compared at a time (two signatures of 512 bytes each)."""


def _decode(blob: bytes | None) -> Signature | None:
    return np.frombuffer(blob, dtype=np.uint32) if blob else None


class StoryGroups:
    """The story of every stored clip; call its methods inside the store's transactions."""

    def __init__(self, db: sqlite3.Connection, threshold: float = stories.THRESHOLD) -> None:
        self.db = db
        self.threshold = threshold

    def group_new(self) -> None:
        """Sign the clips written since the last call and join each to its versions."""
        while rows := self.db.execute(
            "SELECT id, body FROM clips WHERE signature IS NULL ORDER BY id LIMIT ?",
            (GROUP_CHUNK,),
        ).fetchall():
            found = stories.signatures([body for _, body in rows])
            short = [(clip_id,) for (clip_id, _), value in zip(rows, found, strict=True)
                     if value is None]  # fmt: skip
            self.db.executemany("UPDATE clips SET signature = x'' WHERE id = ?", short)
            signed = [(clip_id, value) for (clip_id, _), value in zip(rows, found, strict=True)
                      if value is not None]  # fmt: skip
            if signed:
                self._add_chunk(signed)

    def _add_chunk(self, signed: list[tuple[int, Signature]]) -> None:
        """Join new clips to their versions, as if one at a time in id order: each finds
        its candidates among the stored clips and the chunk's clips before it. Candidates
        and their verification are computed in numpy for the whole chunk."""
        ids = np.array([clip_id for clip_id, _ in signed], dtype=np.int64)
        matrix = np.stack([value for _, value in signed])
        keys = stories.band_key_rows(matrix, self.threshold)
        flat = keys.ravel()
        order = np.argsort(flat, kind="stable")
        flat, owner = flat[order], np.repeat(np.arange(len(ids)), keys.shape[1])[order]
        versions: dict[int, set[int]] = {}
        stored_keys, stored = self._band_members(np.unique(flat).tolist())
        if len(stored):
            first = np.searchsorted(flat, stored_keys, "left")
            counts = np.searchsorted(flat, stored_keys, "right") - first
            ends = np.cumsum(counts)
            mine = owner[np.repeat(first - ends + counts, counts) + np.arange(ends[-1])]
            pairs = np.unique(np.stack([mine, np.repeat(stored, counts)], axis=1), axis=0)
            theirs, rows = np.unique(pairs[:, 1], return_inverse=True)
            found = dict(self._signatures(theirs.tolist()))
            known = np.array([other in found for other in theirs.tolist()], dtype=bool)
            if known.any():
                other = np.stack([found.get(o, matrix[0]) for o in theirs.tolist()])
                for i, clip in self._verified(matrix, pairs[:, 0], other, rows, known[rows]):
                    versions.setdefault(i, set()).add(int(theirs[clip]))
        starts = np.flatnonzero(np.concatenate([[True], flat[1:] != flat[:-1]]))
        lengths = np.diff(starts, append=len(flat))
        runs = lengths > 1
        shared = {
            (a, b) if a < b else (b, a)
            for start, length in zip(starts[runs].tolist(), lengths[runs].tolist(), strict=True)
            for a, b in combinations(owner[start : start + length].tolist(), 2)
            if a != b
        }
        if shared:
            earlier, later = np.array(sorted(shared), dtype=np.int64).T
            for j, i in self._verified(matrix, later, matrix, earlier):
                versions.setdefault(j, set()).add(int(ids[i]))
        for i in sorted(versions):
            self._join(int(ids[i]), sorted(versions[i]))
        self.db.executemany(
            "INSERT OR IGNORE INTO story_bands (key, clip_id) VALUES (?, ?)",
            zip(flat.tolist(), ids[owner].tolist(), strict=True),
        )
        self.db.executemany(
            "UPDATE clips SET signature = ? WHERE id = ?",
            [(value.tobytes(), clip_id) for clip_id, value in signed],
        )

    def _verified(
        self,
        mine: np.ndarray,
        rows: np.ndarray,
        theirs: np.ndarray,
        other_rows: np.ndarray,
        keep: np.ndarray | None = None,
    ) -> Iterator[tuple[int, int]]:
        """The pairs (row of ``mine``, row of ``theirs``) whose signatures agree on at
        least the threshold's share of their values, a block of pairs at a time."""
        if keep is not None:
            rows, other_rows = rows[keep], other_rows[keep]
        for start in range(0, len(rows), _PAIR_BLOCK):
            a, b = rows[start : start + _PAIR_BLOCK], other_rows[start : start + _PAIR_BLOCK]
            agree = (mine[a] == theirs[b]).mean(axis=1) >= self.threshold
            yield from zip(a[agree].tolist(), b[agree].tolist(), strict=True)

    def _band_members(self, keys: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """The stored (band key, clip id) rows under these band keys, as two arrays."""
        query = "SELECT key, clip_id FROM story_bands WHERE key IN ({marks})"
        rows = np.array(select_in(self.db, query, keys), dtype=np.int64).reshape(-1, 2)
        return rows[:, 0], rows[:, 1]

    def _signatures(self, clip_ids: Iterable[int]) -> Iterator[tuple[int, Signature]]:
        for clip_id, blob, _ in self._rows(clip_ids):
            value = _decode(blob)
            if value is not None:
                yield clip_id, value

    def _join(self, clip_id: int, versions: list[int]) -> None:
        """Put a new clip in one story with its versions (and their stories' clips)."""
        stories_of = dict(
            self.db.execute(
                f"SELECT id, story_id FROM clips WHERE id IN ({marks(versions)})", versions
            ).fetchall()
        )
        joined = {story for story in stories_of.values() if story is not None}
        members = [clip_id, *(other for other, story in stories_of.items() if story is None)]
        story = min(joined | set(members))
        self.db.execute(
            f"UPDATE clips SET story_id = ? WHERE id IN ({marks(members)})", [story, *members]
        )
        merged = sorted(joined - {story})
        if merged:
            self.db.execute(
                f"UPDATE clips SET story_id = ? WHERE story_id IN ({marks(merged)})",
                [story, *merged],
            )

    def remove(self, clip_ids: list[int]) -> None:
        """Take clips out of their stories (before they are deleted): each story they were
        in is grouped again without them, and may split or change its id."""
        rows = self._rows(clip_ids)
        self.db.executemany(
            "DELETE FROM story_bands WHERE key = ? AND clip_id = ?",
            [
                (key, clip_id)
                for clip_id, blob, _ in rows
                if (value := _decode(blob)) is not None
                for key in stories.band_keys(value, self.threshold)
            ],
        )
        gone = set(clip_ids)
        for story in sorted({story for _, _, story in rows if story is not None}):
            left = {
                clip_id: _decode(blob)
                for clip_id, blob in self.db.execute(
                    "SELECT id, signature FROM clips WHERE story_id = ?", (story,)
                )
                if clip_id not in gone
            }
            groups = stories.group(left, self.threshold)
            sizes: dict[int, int] = {}
            for root in groups.values():
                sizes[root] = sizes.get(root, 0) + 1
            self.db.executemany(
                "UPDATE clips SET story_id = ? WHERE id = ?",
                [(root if sizes[root] > 1 else None, clip_id) for clip_id, root in groups.items()],
            )

    def _rows(self, clip_ids: Iterable[int]) -> list[tuple[int, bytes | None, int | None]]:
        """(id, signature, story_id) of these clips."""
        query = "SELECT id, signature, story_id FROM clips WHERE id IN ({marks})"
        return select_in(self.db, query, clip_ids)

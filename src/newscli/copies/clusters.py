"""Stories from signatures: which articles are copies of each other, by LSH bands and a check.

Locality-sensitive hashing: BANDS bands of ROWS values are cut from a signature's first
BANDS * ROWS bins; two articles whose signatures agree on a whole band become a candidate
pair, and a candidate is a copy when its estimated similarity (over all BINS) reaches the
threshold. Two articles of similarity s agree on some band with probability
1 - (1 - s**ROWS)**BANDS: 0.78 at s = 0.3, 0.94 at 0.4, 0.99 at 0.5, 0.9994 at 0.6.
Banding a selection is a pass over its signatures per band; over the whole archive the index
keeps the pairs banding makes (index/candidates.py); docs/copies.md has the measurements that set
the number of bands. A story is a connected group of copies (single linkage: a copy of a copy
belongs to the story even when it drifted further from the first).

All of it runs on C-level builtins where it is per article (bands are read as 32-bit integers
out of one joined buffer, buckets are a dict built by zip), so a million signatures are
banded in seconds; only candidate pairs are looked at one by one.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from operator import eq

from newscli.copies.signature import SIZE, VALUE_BITS

ROWS = 2  # bins per band: one 32-bit integer
BANDS = 16
BAND_WIDTH = ROWS * VALUE_BITS // 8  # bytes in a band
BAND_BYTES = BANDS * BAND_WIDTH  # the head of a signature that banding reads
_STRIDE = BAND_BYTES // 4  # 32-bit integers per signature's head
HEAD_BINS = BAND_BYTES * 8 // VALUE_BITS
_HEAD = struct.Struct(f"={HEAD_BINS}H")
assert ROWS * VALUE_BITS == 32, "a band is read as one 32-bit integer"
assert BAND_BYTES <= SIZE


def candidates(heads: bytes | bytearray, n: int, min_similarity: float) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of positions whose signatures agree on a whole band and on enough
    of their heads' bins to be worth a look at the whole signatures, each pair once: in each
    bucket of positions sharing a band, every member with the bucket's first (a star).
    `heads`: the first BAND_BYTES bytes of every signature, joined in position order (a
    million of them take 64 MB; whole signatures as bytes objects took 160). The index keeps
    the same pairs for the whole archive, in rowid order (index/candidates.py)."""
    if n < 2:
        return []
    words = memoryview(heads).cast("I")
    assert len(words) == n * _STRIDE, f"every head must be {BAND_BYTES} bytes"
    everyone = range(n)
    found: set[tuple[int, int]] = set()
    for band in range(BANDS):
        keys = words[band::_STRIDE]
        first = dict(zip(keys[::-1], everyone[::-1]))  # each key -> the first position holding it
        if len(first) == n:
            continue
        later = set(everyone)
        later.difference_update(first.values())
        found.update((first[keys[j]], j) for j in later)
        del first, later
    values = memoryview(heads).cast("H")
    floor = agreement_floor(min_similarity)

    def enough(pair: tuple[int, int]) -> bool:
        i, j = pair[0] * HEAD_BINS, pair[1] * HEAD_BINS
        return sum(map(eq, values[i:i + HEAD_BINS], values[j:j + HEAD_BINS])) >= floor

    return list(filter(enough, found))


def agreement_floor(min_similarity: float) -> int:
    """How many of their heads' bins a pair must agree on to be worth a look: half what a pair
    of that similarity agrees on (about s * HEAD_BINS); a pair at 0.4 misses it 1 time in 2,000,
    two unrelated texts that agree on a band by chance agree on little more than the band."""
    return int(min_similarity * HEAD_BINS / 2)


def head_agreement(a: bytes, b: bytes) -> int:
    """On how many of their heads' bins two signatures agree (what `candidates` counts)."""
    return sum(map(eq, _HEAD.unpack_from(a), _HEAD.unpack_from(b)))


def band_keys(signature: bytes) -> list[bytes]:
    """The signature's bands as bytes (band b is bytes BAND_WIDTH * b on), as the index's
    bands table keeps them, for finding its candidates with lookups."""
    return [signature[b * BAND_WIDTH:(b + 1) * BAND_WIDTH] for b in range(BANDS)]


def groups(pairs: Sequence[tuple[int, int, float]]) -> list[list[int]]:
    """The positions the pairs join, in groups (connected components) of two or more, each
    group's positions in ascending order; a position in no pair is in no group."""
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        parent.setdefault(i, i)
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, _ in pairs:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for i in sorted(parent):
        members.setdefault(root(i), []).append(i)
    return list(members.values())

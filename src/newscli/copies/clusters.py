"""Stories from signatures: which articles are copies of each other, by LSH bands and a check.

Locality-sensitive hashing: BANDS bands of ROWS values are cut from a signature's first
BANDS * ROWS bins; two articles whose signatures agree on a whole band become a candidate
pair, and a candidate is a copy when its estimated similarity (over all BINS) reaches the
threshold. Two articles of similarity s agree on some band with probability
1 - (1 - s**ROWS)**BANDS: 0.78 at s = 0.3, 0.94 at 0.4, 0.99 at 0.5, 0.9994 at 0.6.
Every band is a pass over all signatures, so the number of bands is what a whole-archive
question costs; docs/copies.md has the measurements that set it. A story is a connected group of copies (single
linkage: a copy of a copy belongs to the story even when it drifted further from the first).

All of it runs on C-level builtins where it is per article (bands are read as 32-bit integers
out of one joined buffer, buckets are a dict built by zip), so a million signatures are
banded in seconds; only candidate pairs are looked at one by one.
"""

from __future__ import annotations

from collections.abc import Sequence

from newscli.copies.signature import BINS, SIZE, VALUE_BITS, similarity

ROWS = 2  # bins per band: one 32-bit integer
BANDS = 16
_STRIDE = BINS // ROWS  # 32-bit integers per signature
assert ROWS * VALUE_BITS == 32, "a band is read as one 32-bit integer"


def copy_pairs(signatures: Sequence[bytes], min_similarity: float) -> list[tuple[int, int, float]]:
    """(i, j, similarity) for the pairs of positions found to be copies, each pair once."""
    n = len(signatures)
    if n < 2:
        return []
    words = memoryview(b"".join(signatures)).cast("I")
    assert len(words) == n * _STRIDE, f"every signature must be {SIZE} bytes"
    everyone = range(n)
    seen: set[tuple[int, int]] = set()
    pairs = []
    for band in range(BANDS):
        keys = words[band::_STRIDE].tolist()
        last = dict(zip(keys, everyone))  # each key -> the last position holding it
        if len(last) == n:
            continue
        # Every earlier holder of a key pairs with its last holder: each bucket becomes a star.
        for i in set(everyone).difference(last.values()):
            j = last[keys[i]]
            if (i, j) in seen:
                continue
            seen.add((i, j))
            score = similarity(signatures[i], signatures[j])
            if score >= min_similarity:
                pairs.append((i, j, score))
    return pairs


def band_keys(signature: bytes) -> list[bytes]:
    """The signature's bands as bytes (band b is bytes 4b to 4b + 4), for finding its
    candidates with a query instead of a pass over every signature."""
    width = ROWS * VALUE_BITS // 8
    return [signature[b * width:(b + 1) * width] for b in range(BANDS)]


def groups(n: int, pairs: Sequence[tuple[int, int, float]]) -> list[list[int]]:
    """Positions 0..n-1 joined by the pairs into groups (connected components), singletons
    included, each group's positions in ascending order."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, _ in pairs:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(root(i), []).append(i)
    return list(members.values())

"""An article's near-duplicate signature: a one-permutation MinHash over word 3-shingles.

Copies of a story differ the ways syndication makes them differ (a prefix on the title, a
dateline, a boilerplate paragraph, edited words, paragraphs in another order); most of their
runs of three words stay the same, and the share of those they have in common (their Jaccard
similarity) is what a signature estimates. docs/copies.md has the figures that chose it.

One-permutation hashing (Li, Owen and Zhang, 2012): each shingle is hashed once (CRC-32 of
its text: deterministic in every process, and one C call), the hash's top bits pick one of
BINS bins, and each bin keeps its smallest hash, so a signature costs one pass over the
shingles and one sort instead of BINS passes. An empty bin borrows the next filled bin's
value, shifted by the distance (rotation densification, Shrivastava and Li, 2014), so short
texts compare too. A bin keeps VALUE_BITS bits of its hash (b-bit MinHash): unrelated bins
agree by chance 1 time in 65,536, which `similarity` takes out.
"""

from __future__ import annotations

import struct
from bisect import bisect_left
from zlib import crc32

BINS = 64
VALUE_BITS = 16
SHINGLE = 3  # words per shingle
SIZE = BINS * VALUE_BITS // 8  # bytes in a signature

_BIN_BITS = BINS.bit_length() - 1
_BIN_SHIFT = 32 - _BIN_BITS  # the top bits of a CRC-32 pick its bin
_VALUE_SHIFT = _BIN_SHIFT - VALUE_BITS  # the bits right below them are what a bin keeps
_VALUE_MASK = (1 << VALUE_BITS) - 1
_FILL = 0x9E37  # added once per bin of distance when an empty bin borrows a value
_FORMAT = struct.Struct(f">{BINS}H")
_CHANCE = 1 / (1 << VALUE_BITS)


def words(title: str, body: str) -> list[bytes]:
    """The text's words as copies share them: case folded, split at whitespace, as UTF-8.

    Punctuation stays on its word ("kiew:"): copies keep their punctuation, and dropping it
    (a regular expression over the text) cost a third of a signature's time (docs/copies.md)."""
    return f"{title}\n{body}".casefold().encode("utf-8", "surrogatepass").split()


def signature(title: str, body: str) -> bytes | None:
    """SIZE bytes, or None for an article without a single word (no one's copy)."""
    tokens = words(title, body)
    if len(tokens) < SHINGLE:
        if not tokens:
            return None
        shingles = [b" ".join(tokens)]
    else:
        shingles = map(b" ".join, zip(tokens, tokens[1:], tokens[2:]))
    hashes = sorted(map(crc32, shingles))
    values, end = [], len(hashes)
    for b in range(BINS):
        # Sorted, so the first hash at or after the bin's start is the bin's smallest, if it is in it.
        at = bisect_left(hashes, b << _BIN_SHIFT)
        values.append((hashes[at] >> _VALUE_SHIFT) & _VALUE_MASK
                      if at < end and hashes[at] >> _BIN_SHIFT == b else None)
    if None in values:
        values = _densify(values)
    return _FORMAT.pack(*values)


def _densify(values: list[int | None]) -> list[int]:
    out = []
    for b, value in enumerate(values):
        distance = 0
        while value is None:
            distance += 1
            value = values[(b + distance) % BINS]
        out.append((value + distance * _FILL) & _VALUE_MASK)
    return out


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two texts' shingles from their signatures: the share of
    bins that agree, less the agreements expected by chance."""
    same = sum(x == y for x, y in zip(_FORMAT.unpack(a), _FORMAT.unpack(b)))
    return max(0.0, (same / BINS - _CHANCE) / (1 - _CHANCE))

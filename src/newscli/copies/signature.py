"""An article's near-duplicate signature: a one-permutation MinHash over anchored word windows.

Copies of a story differ the ways syndication makes them differ (a prefix on the title, a
dateline, a boilerplate paragraph, edited words, paragraphs in another order); most of their
short runs of words stay the same, and the share of those they have in common (their Jaccard
similarity) is what a signature estimates. docs/copies.md has the figures that chose it.

Features, chosen to cost a few C calls per article instead of several per word (a signature
over every 3-word shingle took as much CPU as parsing the article, and an ingest waits for it):
the text (title and body, case folded, UTF-8) is cut after every word whose last byte falls
in a class (byte value mod 4 == 0, then, separately, == 1: one `translate` and one `split`
each), and each piece's first WINDOW bytes (3-4 words of Latin script, 2-3 of Cyrillic) is a
feature. Where a piece starts depends only on the word before it, so copies cut their shared
text at the same places; the two classes anchor ~25% of words each in every language measured
(the one a language ends few words in, the other ends many in). The marked bytes are hashed as
marked (a class's letters read as one byte): a phrase still hashes apart from almost any other.

One-permutation hashing (Li, Owen and Zhang, 2012): each feature is hashed once (CRC-32, seeded
per class: deterministic in every process, one C call), the hash's top bits pick one of BINS
bins, and each bin keeps its smallest hash, so a signature costs one sort instead of BINS
passes. An empty bin borrows the next filled bin's value, shifted by the distance (rotation
densification, Shrivastava and Li, 2014), so short texts compare too. A bin keeps VALUE_BITS
bits of its hash (b-bit MinHash): unrelated bins agree by chance 1 time in 65,536, which
`similarity` takes out.
"""

from __future__ import annotations

import struct
from bisect import bisect_left
from itertools import compress, repeat
from operator import eq, ge, getitem
from zlib import crc32

BINS = 64
VALUE_BITS = 16
WINDOW = 24  # bytes of a piece that make its feature
SHORTEST = 8  # bytes in the shortest piece that is a feature
SIZE = BINS * VALUE_BITS // 8  # bytes in a signature

_BIN_BITS = BINS.bit_length() - 1
_BIN_SHIFT = 32 - _BIN_BITS  # the top bits of a CRC-32 pick its bin
_VALUE_SHIFT = _BIN_SHIFT - VALUE_BITS  # the bits right below them are what a bin keeps
_VALUE_MASK = (1 << VALUE_BITS) - 1
_FILL = 0x9E37  # added once per bin of distance when an empty bin borrows a value
_FORMAT = struct.Struct(f">{BINS}H")
_CHANCE = 1 / (1 << VALUE_BITS)
_STARTS = [b << _BIN_SHIFT for b in range(BINS)]  # the smallest hash of each bin
_ENDS = _STARTS[1:] + [1 << 32]  # and the smallest of the next one
_WHITESPACE = b" \t\n\r\x0b\x0c"
_FIRST = slice(0, WINDOW)
_SHORT = SHORTEST - 1


def _marking() -> bytes:
    """Whitespace as a space; word bytes of class 0 (value mod 4) as 0x00, of class 1 as 0x01."""
    table = bytearray(range(256))
    for byte in range(33, 256):
        if byte % 4 < 2:
            table[byte] = byte % 4
    for byte in _WHITESPACE:
        table[byte] = 32
    return bytes(table)


_MARKING = _marking()
_ANCHORS = (b"\x00 ", b"\x01 ")  # a word ending in a class-0 (class-1) byte, and its space


def features(title: str, body: str) -> list[int]:
    """The text's feature hashes (unsorted): for each class, the first WINDOW bytes of every
    piece the text is cut into after the words ending in that class, if it has SHORTEST bytes.

    A shorter piece is one or two short words ("und", "in der"): almost every article has
    them, and bins whose smallest hash was one made unrelated articles agree on whole bands
    (5x the candidate pairs of a 3-word-shingle signature, at 22,000 benchmark articles)."""
    marked = f"{title}\n{body}".casefold().encode("utf-8", "surrogatepass").translate(_MARKING)
    hashes: list[int] = []
    for seed, anchor in enumerate(_ANCHORS):
        pieces = marked.split(anchor)
        long_enough = compress(pieces, map(_SHORT.__lt__, map(len, pieces)))
        hashes += map(crc32, map(getitem, long_enough, repeat(_FIRST)), repeat(seed))
    return hashes or [crc32(marked)]  # a text of short words only: itself


def signature(title: str, body: str) -> bytes | None:
    """SIZE bytes, or None for an article without a single word (no one's copy)."""
    if not (title.strip() or body.strip()):
        return None
    hashes = features(title, body)
    hashes.sort()
    hashes.append(1 << 32)  # past every bin: the first hash at or after an empty last bin's start
    # Sorted, so the first hash at or after a bin's start is the bin's smallest, if it is in it.
    firsts = list(map(hashes.__getitem__, map(bisect_left, repeat(hashes), _STARTS)))
    values = [(h >> _VALUE_SHIFT) & _VALUE_MASK for h in firsts]
    empty = list(compress(range(BINS), map(ge, firsts, _ENDS)))  # bins without a hash of their own
    if empty:
        _densify(values, set(empty))
    return _FORMAT.pack(*values)


def _densify(values: list[int], empty: set[int]) -> None:
    for b in empty:
        distance = 1
        while (b + distance) % BINS in empty:
            distance += 1
        values[b] = (values[(b + distance) % BINS] + distance * _FILL) & _VALUE_MASK


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two texts' features from their signatures: the share of
    bins that agree, less the agreements expected by chance."""
    same = sum(map(eq, _FORMAT.unpack(a), _FORMAT.unpack(b)))
    return max(0.0, (same / BINS - _CHANCE) / (1 - _CHANCE))

"""A set of article ids at 8 to 16 bytes each: what an ingest dedupes against.

A Python set of a million 16-hex-digit strings takes ~105 MB, half of issue 6's 200 MB
ceiling. The ids newscli makes are 64 bits of a SHA-256 (model.ID_LENGTH), already spread
evenly, so they serve as their own hash: an open-addressing table in one array('Q'), at
most half full, with linear probing. Ids of any other shape (a record written by hand)
go to a plain set beside it, so the answers are exactly a set's.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable

_PACKED = re.compile(r"[0-9a-f]{16}")  # exactly one spelling per 64-bit value: lowercase hex
_MIN_SLOTS = 1 << 10  # a power of two, so `key & mask` picks a slot


class IdSet:
    """Membership and adding only: an ingest never forgets an id it has stored."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._slots = array("Q", [0]) * _MIN_SLOTS  # 0 marks a free slot
        self._mask = _MIN_SLOTS - 1
        self._used = 0
        self._zero = False  # the id '0000000000000000', which a slot cannot hold
        self._other: set[str] = set()

    def __len__(self) -> int:
        return self._used + self._zero + len(self._other)

    def __contains__(self, id: str) -> bool:
        if not _PACKED.fullmatch(id):
            return id in self._other
        key = int(id, 16)
        if not key:
            return self._zero
        slots, mask = self._slots, self._mask
        i = key & mask
        while True:
            found = slots[i]
            if found == key:
                return True
            if not found:
                return False
            i = (i + 1) & mask

    def add(self, id: str) -> None:
        if not _PACKED.fullmatch(id):
            self._other.add(id)
            return
        key = int(id, 16)
        if not key:
            self._zero = True
        elif self._insert(key):
            self._used += 1
            if self._used * 2 > len(self._slots):
                self._grow()

    def update(self, ids: Iterable[str]) -> None:
        for id in ids:
            self.add(id)

    def _insert(self, key: int) -> bool:
        slots, mask = self._slots, self._mask
        i = key & mask
        while True:
            found = slots[i]
            if not found:
                slots[i] = key
                return True
            if found == key:
                return False
            i = (i + 1) & mask

    def _grow(self) -> None:
        old = self._slots
        self._slots = array("Q", [0]) * (2 * len(old))  # no temporary bytes of that size
        self._mask = len(self._slots) - 1
        for key in old:
            if key:
                self._insert(key)

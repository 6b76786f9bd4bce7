"""A set of article ids at 8 to 16 bytes each: what an ingest dedupes against.

A Python set of a million 16-hex-digit strings takes ~105 MB, half of issue 6's 200 MB
ceiling. The ids newscli makes are 64 bits of a SHA-256 (model.ID_LENGTH), already spread
evenly, so they serve as their own hash: an open-addressing table in one array('Q'), at
most half full, with linear probing (KeyTable, which sametext.py also uses, with values).
Ids of any other shape (a record written by hand) go to a plain set beside it, so the
answers are exactly a set's.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable

_PACKED = re.compile(r"[0-9a-f]{16}")  # exactly one spelling per 64-bit value: lowercase hex
_MIN_SLOTS = 1 << 10  # a power of two, so `key & mask` picks a slot


class KeyTable:
    """Nonzero 64-bit keys, each with a 64-bit value when `with_values`: open addressing in
    array('Q'), at most half full, linear probing. The first value given for a key stays."""

    def __init__(self, with_values: bool = False) -> None:
        self._with_values = with_values
        self.clear()

    def clear(self) -> None:
        self._keys = array("Q", [0]) * _MIN_SLOTS  # 0 marks a free slot
        self._values = array("Q", [0]) * _MIN_SLOTS if self._with_values else None
        self._mask = _MIN_SLOTS - 1
        self.used = 0

    # The probing loop is written out in each method: a call per probe made IdSet.add, which
    # runs for every stored line an ingest catches up on, twice as slow (4.9 -> 9.6 us).

    def has(self, key: int) -> bool:
        keys, mask = self._keys, self._mask
        i = key & mask
        while True:
            found = keys[i]
            if found == key:
                return True
            if not found:
                return False
            i = (i + 1) & mask

    def get(self, key: int) -> int | None:
        keys, mask = self._keys, self._mask
        i = key & mask
        while True:
            found = keys[i]
            if found == key:
                return self._values[i]
            if not found:
                return None
            i = (i + 1) & mask

    def put(self, key: int, value: int = 0) -> bool:
        """Add `key` (with `value`) unless it is there; True when it was added."""
        keys, mask = self._keys, self._mask
        i = key & mask
        while True:
            found = keys[i]
            if found == key:
                return False
            if not found:
                break
            i = (i + 1) & mask
        keys[i] = key
        if self._values is not None:
            self._values[i] = value
        self.used += 1
        if self.used * 2 > len(keys):
            self._grow()
        return True

    def _grow(self) -> None:
        old_keys, old_values = self._keys, self._values
        size = 2 * len(old_keys)
        self._keys = array("Q", [0]) * size  # no temporary bytes of that size
        self._values = array("Q", [0]) * size if old_values is not None else None
        self._mask, self.used = size - 1, 0
        for i, key in enumerate(old_keys):
            if key:
                self.put(key, old_values[i] if old_values is not None else 0)


class IdSet:
    """Membership and adding only: an ingest never forgets an id it has stored."""

    def __init__(self) -> None:
        self._table = KeyTable()
        self.clear()

    def clear(self) -> None:
        self._table.clear()
        self._zero = False  # the id '0000000000000000', which a slot cannot hold
        self._other: set[str] = set()

    def __len__(self) -> int:
        return self._table.used + self._zero + len(self._other)

    def __contains__(self, id: str) -> bool:
        if not _PACKED.fullmatch(id):
            return id in self._other
        key = int(id, 16)
        return self._table.has(key) if key else self._zero

    def add(self, id: str) -> None:
        if not _PACKED.fullmatch(id):
            self._other.add(id)
            return
        key = int(id, 16)
        if key:
            self._table.put(key)
        else:
            self._zero = True

    def update(self, ids: Iterable[str]) -> None:
        for id in ids:
            self.add(id)

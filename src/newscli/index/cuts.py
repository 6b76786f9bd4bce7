"""Where a row's line is after `rm`: offsets stay as they were, and the bytes cut out before
them are kept as a short list.

Shifting the offset of every row after a removed line made `rm` of a few articles rewrite most
of the articles table (a million rows at 1M). Instead each row keeps the offset its line had
when indexed ("virtual"), and the `cuts` table holds, per removed line, its virtual start and
its length. A line's place in the store is its virtual offset minus the bytes of the cuts
before it: a bisection in a list that holds a few entries, or none. Lines indexed later get
virtual offsets past every cut. Once the list grows long (COMPACT_AT), the offsets are
rewritten once and the list emptied (index/prune.py).
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left, bisect_right

COMPACT_AT = 2000  # cuts kept before the offsets are rewritten and the list emptied


class Cuts:
    def __init__(self, cuts: list[tuple[int, int]]) -> None:
        """`cuts`: (virtual start, length) of each removed line, in order."""
        self.starts = [start for start, _ in cuts]
        self.before = [0]  # before[i]: bytes in the first i cuts
        for _, length in cuts:
            self.before.append(self.before[-1] + length)
        self.places = [start - self.before[i] for i, start in enumerate(self.starts)]  # in the store now

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> Cuts:
        try:
            return cls(conn.execute("SELECT start, length FROM cuts ORDER BY start").fetchall())
        except sqlite3.OperationalError:
            return cls([])  # no schema yet (an empty or in-memory index)

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def total(self) -> int:
        """Bytes cut out so far: what a newly indexed line's offset gets added."""
        return self.before[-1]

    def real(self, virtual: int) -> int:
        """The store offset of a row's line (rows never lie inside a cut)."""
        return virtual - self.before[bisect_left(self.starts, virtual)] if self.starts else virtual

    def virtual(self, real: int) -> int:
        """The row offset of the line starting at this store offset."""
        return real + self.before[bisect_right(self.places, real)] if self.starts else real

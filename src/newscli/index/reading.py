"""Reading records back through an open index: the rows say where each line is, and the
store file the index describes (one descriptor, `Index._fd`) is read there.

Offsets in the index are "virtual" after an in-place `rm` (cuts.py): `real` maps them to
where the lines are in the store now. Every reader of a row's line goes through here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from newscli.archive.lines import decode_line
from newscli.index import labels
from newscli.index.cuts import Cuts


class Located(NamedTuple):
    """Where a record's line is in the store (its row's offset: `Reading.real` maps it)."""

    offset: int
    length: int
    id: str


class StaleIndexError(RuntimeError):
    pass


class Reading:
    """Index's reading half (sync.py's Index keeps it in step): records, lines and labels."""

    _fd: int | None
    _cuts: Cuts | None
    has_labels: bool

    @property
    def cuts(self) -> Cuts:
        if self._cuts is None:
            self._cuts = Cuts.load(self.conn)
        return self._cuts

    def real(self, offset: int) -> int:
        """Where the line of a row with this offset is in the store."""
        return self.cuts.real(offset)

    def records(self, located: Iterable[Located]) -> Iterator[dict]:
        """The stored records at these places, read straight from the store file; in an
        archive with labels (newscli tag), each with its `labels` added (never stored)."""
        batch: list[dict] = []
        for place in located:
            line = os.pread(self._fd, place.length, self.real(place.offset))
            record = decode_line(line)
            if record.get("id") != place.id:  # cannot happen unless the store moved under us
                raise StaleIndexError(self.path)
            if not self.has_labels:
                yield record
                continue
            batch.append(record)
            if len(batch) >= 500:
                yield from self._labelled(batch)
                batch = []
        yield from self._labelled(batch)

    def labels_of(self, ids: list[str]) -> dict[str, list[str]]:
        """Each id's labels (an id without any is left out)."""
        return labels.of(self.conn, ids) if ids else {}

    def _labelled(self, records: list[dict]) -> list[dict]:
        found = self.labels_of([r["id"] for r in records])
        for record in records:
            record["labels"] = found.get(record["id"], [])
        return records

    def lines(self, located: Iterable[Located]) -> Iterator[bytes]:
        """The stored lines at these places, undecoded, for a reader that parses in bulk
        (the Parquet export); each is checked to be whole and hold its id, as `records` checks."""
        for place in located:
            line = os.pread(self._fd, place.length, self.real(place.offset))
            if not line.startswith(b'{"id":"' + place.id.encode("ascii") + b'"') or line[-1:] != b"\n":
                if line[-1:] != b"\n" or decode_line(line).get("id") != place.id:  # cut short, or written another way
                    raise StaleIndexError(self.path)
            yield line

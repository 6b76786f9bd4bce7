"""Articles stored under another timestamp only, and `ingest --replace`, which swaps them.

The same title, source and body read again with another date (a dump re-read with --tz, an
update that only moved the time) gets another id, since the id covers the timestamp: the id
set alone would store the article twice. So the store keeps, beside its ids, a table from a
hash of (title, source, body) to the offset of the line holding that text. A hit is read back
and compared in full, so a hash collision never passes for the same article. The table lives
in this process only: Python's own str hash, seeded per process, is enough, and costs no
encoding of the text (16 bytes a slot, at most half full: ~32 MB at a million articles).

With --replace the new reading takes the stored one's place: the new lines wait in a
temporary file, and one rewrite at the end of the run (temp file + rename, under the store
lock) puts each where its old reading was.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from newscli.archive.family import temp_prefix
from newscli.archive.files import READ_CHUNK, line_at, open_file, read_range, replace_with
from newscli.archive.ids import KeyTable
from newscli.archive.lines import decode_line
from newscli.archive.records import BODY, SOURCE, TITLE, Prepared, reading_of, stamped_line
from newscli.errors import StoreError, WriteError

_MASK = (1 << 64) - 1
_TEXT = ("title", "source", "body")


def text_key(title: str, source: str, body: str) -> int:
    """A key for the text: its title, source, and the body's length, start and end. Hashing
    all of a 4 kB body took 11.4 us a line (an ingest catches up on every stored line), this
    3.6 us (20k benchmark articles, a loaded machine); texts that share a key are still
    compared in full, so a shared key only has to be rare."""
    return (hash((title, source, len(body), body[:64], body[-64:])) & _MASK) or 1  # 0: a free slot


def _text(ready: Prepared) -> tuple[str, str, str]:
    return ready.values[TITLE], ready.values[SOURCE], ready.values[BODY]


class Earlier(NamedTuple):
    """A reading with the same text: its record, and where its line is (None: this batch's)."""

    record: dict
    offset: int | None


class SameText:
    """Where each stored text is: text key -> offset of the first line that holds it."""

    def __init__(self) -> None:
        self._offsets = KeyTable(with_values=True)

    def clear(self) -> None:
        self._offsets.clear()

    def stored(self, record: dict, offset: int) -> None:
        self._offsets.put(text_key(record["title"], record["source"], record["body"]), offset)

    def written(self, ready: list[Prepared], lines: list[bytes], start: int) -> None:
        for item, line in zip(ready, lines):
            self._offsets.put(text_key(*_text(item)), start)
            start += len(line)

    def earlier(self, fd: int, ready: Prepared, batch: dict[int, Prepared]) -> Earlier | None:
        """The stored reading, or the one earlier in `batch`, with `ready`'s text; else None,
        and `ready` joins `batch`. Hits are compared in full: a hash is never the answer."""
        text = _text(ready)
        key = text_key(*text)
        twin = batch.get(key)
        if twin is not None and _text(twin) == text:
            return Earlier(reading_of(twin), None)
        offset = self._offsets.get(key)
        if offset is not None:
            record = decode_line(line_at(fd, offset))
            if tuple(record[k] for k in _TEXT) == text:
                return Earlier(record, offset)
        batch.setdefault(key, ready)
        return None


class Swap(NamedTuple):
    old: Earlier  # the stored reading and its line's offset
    inode: int  # of the store file that offset is in
    spot: int  # where the new line's head is in the waiting file
    size: int


class Replacements:
    """New readings (--replace) waiting for the one rewrite that puts them in place."""

    def __init__(self, directory: Path) -> None:
        self._directory, self._file, self.swaps = directory, None, {}

    def take(self, old: Earlier, ready: Prepared, inode: int, run: list) -> dict | None:
        """Queue `ready` to replace `old` (None), or the reading it only repeats: `old`'s, when
        `old` is from this batch or this run (Store._run: the first reading stays), or the one
        already waiting for that line."""
        if old.offset is None or (run and old.offset >= run[0][1]):
            return old.record
        if old.offset in self.swaps:
            return reading_of(Prepared("", self._head(self.swaps[old.offset]), ()))
        if self._file is None:
            import tempfile  # imported late: only --replace waits

            self._file = tempfile.TemporaryFile(dir=self._directory, prefix=".newscli-replace-")
        spot = self._file.seek(0, os.SEEK_END)
        self._file.write(ready.head)
        self.swaps[old.offset] = Swap(old, inode, spot, len(ready.head))
        return None

    def _head(self, swap: Swap) -> bytes:
        self._file.seek(swap.spot)
        return self._file.read(swap.size)

    def apply(self, path: Path, locked: Callable[[], AbstractContextManager]) -> list[Swap]:
        """Every waiting reading where its old one was: one rewrite (temp file + rename)
        under the store lock, so readers see all old lines or all new ones; nothing, and a
        StoreError, if another process replaced the store file meanwhile (`rm`, `check --repair`)."""
        swaps, done = list(self.swaps.values()), []
        if not swaps:
            return done
        try:
            with locked():
                fd = open_file(path, os.O_RDONLY)
                try:
                    info = os.fstat(fd)
                    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
                    lines = {}
                    for swap in swaps:
                        old_line = line_at(fd, swap.old.offset) if swap.inode == info.st_ino else b""
                        if not _holds(old_line, swap.old.record["id"]):
                            raise StoreError(f"{path}: changed by another process during this ingest;"
                                             " nothing replaced (run it again)")
                        lines[swap.old.offset] = (len(old_line), stamped_line(self._head(swap), stamp))
                    replace_with(path, _spliced(fd, lines, info.st_size), info.st_mode & 0o777, temp_prefix(path))
                    done = swaps
                finally:
                    os.close(fd)
        except OSError as exc:
            raise WriteError(path, exc) from None
        finally:
            if self._file is not None:
                self._file.close()
            self._file, self.swaps = None, {}
        return done


def _holds(line: bytes, id: str) -> bool:
    try:
        return line.endswith(b"\n") and decode_line(line)["id"] == id
    except ValueError:
        return False


def _spliced(fd: int, lines: dict[int, tuple[int, bytes]], end: int) -> Iterator[bytes]:
    """The store's bytes up to `end`, with the line at each offset of `lines` (the old line's
    length, the new line) replaced, in blocks."""
    pos = 0
    for offset in sorted(lines):
        yield from _blocks(fd, pos, offset)
        old_length, new_line = lines[offset]
        yield new_line
        pos = offset + old_length
    yield from _blocks(fd, pos, end)


def _blocks(fd: int, start: int, end: int) -> Iterator[bytes]:
    for pos in range(start, end, READ_CHUNK):
        yield read_range(fd, pos, min(pos + READ_CHUNK, end))

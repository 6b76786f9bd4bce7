"""Removing a few lines from the store without reading the rest: copy the bytes around them.

`rm` knows where its articles' lines are (the index says, and each line is read back and
checked before it goes). The new file is the old one's byte ranges between those lines, copied
by the kernel (copy_file_range: no bytes pass through Python), so removing ten articles from a
4 GB store costs about a `cp` of it. Lines nobody can vouch for (past what the caller trusts)
are read and decoded, as a full rewrite would. Like every rewrite, the result replaces the
store by rename: until then the store is untouched, after it the new file is whole.
"""

from __future__ import annotations

import errno
import os
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from newscli.archive.family import temp_prefix
from newscli.archive.files import replace_via_temp, write_failure
from newscli.archive.lines import decode_line, iter_lines
from newscli.errors import StoreError


class Line(NamedTuple):
    """A line of the store: where it starts, its bytes (newline included), its record's id.
    (index/sync.py's Located is one too.)"""

    offset: int
    length: int
    id: str


class Cut(NamedTuple):
    """What `cut_lines` did: the lines it dropped (old file's offsets, in file order), and the
    two files (fstat of the old, still open, and of the new)."""

    dropped: list[Line]
    old: os.stat_result
    new: os.stat_result


def find_lines(fd: int, ids: set[str], places: Iterable[Line], trusted_end: int) -> tuple[list[Line], list[dict]] | None:
    """Every complete line of the store holding a record with one of `ids`.

    `places`: where the caller believes the lines are; below `trusted_end` the caller vouches
    that each id has at most one line there and that it is in `places`. Each place is read and
    decoded; any that is not the record it should be gives None (ask again without trust).
    """
    found: dict[int, tuple[Line, dict]] = {}
    for place in places:
        if place.offset >= trusted_end:
            continue
        line = os.pread(fd, place.length, place.offset)
        try:
            record = decode_line(line) if line.endswith(b"\n") else None
        except ValueError:
            record = None
        if record is None or record["id"] != place.id or place.offset + place.length > trusted_end:
            return None
        found[place.offset] = (place, record)
    keys = [i.encode() for i in ids]  # hex ids: JSON writes them as they are
    for offset, line in _lines_from(fd, trusted_end):
        record = _record_if(line, ids, keys)
        if record is not None:
            found[offset] = (Line(offset, len(line), record["id"]), record)
    ordered = [found[offset] for offset in sorted(found)]
    return [line for line, _ in ordered], [record for _, record in ordered]


def _lines_from(fd: int, start: int) -> Iterator[tuple[int, bytes]]:
    for offset, line in iter_lines(fd, start):
        if line.endswith(b"\n"):  # an unfinished last line is nobody's record yet: it stays
            yield offset, line


def _record_if(line: bytes, ids: set[str], keys: list[bytes]) -> dict | None:
    if not any(key in line for key in keys):
        return None  # most lines: a byte search instead of a JSON decode
    try:
        record = decode_line(line)
    except ValueError:
        return None  # damaged lines stay where they are
    return record if record["id"] in ids else None


def kept_ranges(dropped: Sequence[Line], until: int | None = None) -> list[tuple[int, int | None]]:
    """The (start, end) byte ranges of the old file around the `dropped` lines (in file order),
    up to `until` (None: to the end of the file, even if another tool appended meanwhile)."""
    ranges, start = [], 0
    for line in dropped:
        ranges.append((start, line.offset))
        start = line.offset + line.length
    ranges.append((start, None))
    if until is None:
        return ranges
    return [(a, until if b is None else min(b, until)) for a, b in ranges]


def cut_lines(path: Path, fd: int, dropped: Sequence[Line]) -> Cut:
    """Replace the store at `path` (open as `fd`, its lock held by the caller) with a copy
    without the `dropped` lines (complete lines, in file order)."""
    old = os.fstat(fd)
    try:
        new = replace_by_ranges(path, fd, [(a, b) for a, b in kept_ranges(dropped) if b is None or b > a],
                                old.st_mode & 0o777, temp_prefix(path))
    except OSError as exc:
        raise StoreError(write_failure(path, exc)) from None
    return Cut(list(dropped), old, new)


def replace_by_ranges(path: Path, src: int, ranges: Iterable[tuple[int, int | None]], mode: int,
                      prefix: str) -> os.stat_result:
    """Replace `path` by a temp file holding these (start, end) byte ranges of the open file
    `src` (end None: to its end), copied by the kernel where it can (files.replace_via_temp)."""
    def fill(fd: int) -> None:
        with _flushing(fd):
            for start, end in ranges:
                _copy_range(src, fd, start, end)

    return replace_via_temp(path, mode, prefix, fill)


@contextmanager
def _flushing(fd: int) -> Iterator[None]:
    """While the copy runs, a thread writes what it has copied to the disk (fdatasync again and
    again), so that the fsync before the rename waits for the last part only, not for the
    whole file: the disk works while the kernel copies. Its errors are the final fsync's."""
    done = threading.Event()

    def flush() -> None:
        while not done.is_set():
            started = time.monotonic()
            try:
                os.fdatasync(fd)
            except OSError:
                return
            done.wait(max(0.0, 0.05 - (time.monotonic() - started)))  # never a busy loop

    thread = threading.Thread(target=flush, name="newscli-flush", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


_NO_COPY_RANGE = {errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL}
_COPY_STEP = 1 << 30


def _copy_range(src: int, dst: int, start: int, end: int | None) -> None:
    kernel = hasattr(os, "copy_file_range")  # Linux: no byte passes through Python
    while end is None or start < end:
        want = _COPY_STEP if end is None else min(end - start, _COPY_STEP)
        if kernel:
            try:
                done = os.copy_file_range(src, dst, want, start)
            except OSError as exc:
                if exc.errno not in _NO_COPY_RANGE:
                    raise
                kernel = False
                continue
        else:
            chunk = os.pread(src, min(want, 1 << 20), start)
            view = memoryview(chunk)
            while view:
                view = view[os.write(dst, view):]
            done = len(chunk)
        if done == 0:
            if end is None:
                return
            raise OSError(errno.EIO, "the file got shorter while it was copied")
        start += done

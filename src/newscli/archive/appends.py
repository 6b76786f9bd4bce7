"""The log of newscli's own appends, kept in the store's lock file.

Each append, under the lock, adds one line to the lock file: the store's inode, where the
append started and ended, and the store's modification time before and after it. A reader
that last saw the store at (size, mtime) and now finds it bigger can then tell "only newscli
appended since" (an unbroken chain of entries from what it saw to what it sees) from "something
else wrote" (no such chain: an in-place edit, `cat >>`, a killed write cut back), and verify
the bytes it had read before trusting them again. The log holds the last KEEP appends; a
reader further behind just verifies.
"""

from __future__ import annotations

import os
from typing import NamedTuple

KEEP = 256
_MAGIC = b"newscli appends 1\n"


class Append(NamedTuple):
    ino: int
    start: int
    end: int
    mtime_before: int
    mtime_after: int


def record(lock_fd: int | None, entry: Append) -> None:
    """Add `entry` (we hold the lock on `lock_fd`); a failure only costs readers a verification."""
    if lock_fd is None:
        return
    try:
        entries = _parse(_read(lock_fd))[-(KEEP - 1):] + [entry]
        data = _MAGIC + b"".join(b"%d %d %d %d %d\n" % tuple(e) for e in entries)
        os.pwrite(lock_fd, data, 0)
        os.ftruncate(lock_fd, len(data))
    except OSError:
        pass


def only_appended(lock_path, ino: int, size: int, mtime: int, now_size: int, now_mtime: int) -> bool:
    """True when newscli's appends alone took the store (inode `ino`) from (size, mtime) to
    (now_size, now_mtime)."""
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        entries = _parse(_read(fd))
    except OSError:
        return False
    finally:
        os.close(fd)
    after = {(e.start, e.mtime_before): e for e in entries if e.ino == ino}
    while (size, mtime) != (now_size, now_mtime):
        step = after.get((size, mtime))
        if step is None or step.end <= size:
            return False
        size, mtime = step.end, step.mtime_after
    return True


def _read(fd: int) -> bytes:
    data, offset = b"", 0
    while chunk := os.pread(fd, 1 << 16, offset):
        data += chunk
        offset += len(chunk)
    return data


def _parse(data: bytes) -> list[Append]:
    if not data.startswith(_MAGIC):
        return []
    entries = []
    for line in data[len(_MAGIC):].split(b"\n"):
        try:
            entries.append(Append(*map(int, line.split())))
        except (TypeError, ValueError):
            continue  # an empty or half-written line: not evidence of anything
    return entries

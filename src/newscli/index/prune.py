"""`rm` brings the index along in place, instead of rebuilding it from the whole store (issue 21:
3.1 s at 20k, minutes at 1M).

One write transaction on the index spans the store's cut (jobs/remove.py, archive/cut.py). It
begins before: the index must describe the very file about to be cut (same inode, sampled
bytes, and the same checks any query makes, state.crc included); it says where the doomed
lines are and where its state will end once they are gone. After the rename it deletes the
removed lines' rows, text, tags and signatures, adds each removed line to the `cuts` table
(the other rows keep their offsets: cuts.py says where their lines are now), renumbers the
damaged lines it lists, and saves the new file as what it describes, with the CRC-32 of the
bytes kept, read while the kernel copied them (jobs/remove.py): no second read afterwards.
So the work is per removed article, not per row. A crash before the commit leaves the index
describing the old file, which the next command sees is not the store any more, and
rebuilds: slower, never wrong.
"""

from __future__ import annotations

import os
import sqlite3
from bisect import bisect_left
from collections.abc import Callable, Sequence
from pathlib import Path

from newscli.archive.cut import Cut, Line
from newscli.archive.files import open_file
from newscli.archive.lines import decode_line
from newscli.archive.records import searchable
from newscli.index import candidates, cuts as cuts_module
from newscli.index.rows import complete_lines
from newscli.index.schema import connect
from newscli.index.sync import Index, index_path
from newscli.model import Problem


class InPlace:
    """One `rm`'s update of the index: `begin` before the store is cut, `plan` once the lines
    to drop are known, `prune` after the rename, `close` in any case."""

    def __init__(self, store_path: Path, old_fd: int, on_problem: Callable[[Problem], None]) -> None:
        self.store_path, self.old_fd, self.on_problem = store_path, old_fd, on_problem
        self.index: Index | None = None  # None: nothing to update (the index gets rebuilt)
        self.state: dict = {}
        self.trusted_end = 0  # bytes of the old file where every id has one line, and a row
        self.has_damage = False  # the index lists damaged lines (their numbers will move)
        self.good_end, self.tail_lines = 0, 0

    def begin(self) -> None:
        path = index_path(self.store_path)
        if not path.exists():
            return
        index = Index(self.store_path, None, None, self.on_problem)
        try:
            index.conn = connect(path, self.on_problem)
            index._fd = self.old_fd  # borrowed: close() gives it back
            index.conn.execute("BEGIN IMMEDIATE")  # until the commit, nobody else writes it
            state = index._state()
            if state is not None and index._continues(state, os.fstat(self.old_fd)):
                self.index, self.state = index, state
                self.trusted_end = 0 if state["ignored"] else state["offset"]
                self.has_damage = index.conn.execute("SELECT 1 FROM damage LIMIT 1").fetchone() is not None
                return
        except sqlite3.Error as exc:
            self._warn(exc)
        self._close(index)

    def plan(self, dropped: Sequence[Line]) -> int:
        """Where the index's state will end, in the old file: after the last good line that
        stays (a damaged end is read and reported again by each reader, as after a rebuild)."""
        if self.index is None:
            return 0
        try:
            self.good_end, self.tail_lines = _last_good_end(
                self.index, self.old_fd, {line.offset for line in dropped}, self.state["offset"])
        except sqlite3.Error as exc:
            self._warn(exc)
            self.close()
        return self.good_end

    def close(self) -> None:
        if self.index is not None:
            self._close(self.index)
            self.index = None

    def _close(self, index: Index) -> None:
        if index._fd == self.old_fd:
            index._fd = None  # the caller's
        try:
            index.close()  # uncommitted: rolled back
        except sqlite3.Error:
            pass

    def _warn(self, exc: sqlite3.Error) -> None:
        # Only a cache: the next command sees the index describes another file, and rebuilds.
        self.on_problem(Problem(str(index_path(self.store_path)),
                                f"index not updated ({exc}); the next command rebuilds it", is_error=False))


def prune(update: InPlace, cut: Cut, records: Sequence[dict], summed: tuple[int, list[int]] | None) -> bool:
    """Bring the index from the old store file to the new one, the cut's; False when there was
    nothing to update or the store was replaced again meanwhile (it rebuilds at its next use).
    `summed`: checksum.ranges_crc of the bytes kept before `update.plan`'s end (None: unknown)."""
    index = update.index
    if index is None or summed is None:
        return False
    crc, numbers = summed
    try:
        fd = open_file(update.store_path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    index._fd = fd  # from here on the index describes this file (fingerprint, state)
    info = os.fstat(fd)
    if (info.st_dev, info.st_ino) != (cut.new.st_dev, cut.new.st_ino):
        return False  # close() closes fd with the index
    try:
        state, conn, end = update.state, index.conn, update.state["offset"]
        inside = [(line, record) for line, record in zip(cut.dropped, records) if line.offset < end]
        starts = [index.cuts.virtual(line.offset) for line, _ in inside]  # before any new cut counts
        had_rows = [_delete(conn, start, record) for start, (_, record) in zip(starts, inside)]
        _record_cuts(index, [(start, line.length) for start, (line, _) in zip(starts, inside)])
        kept_before = [line for line, _ in inside if line.offset < update.good_end]
        lines = state["lines"] - update.tail_lines - len(kept_before)
        if update.has_damage:
            _renumber_damage(conn, numbers[:len(kept_before)], lines)
        index._ignored = state["ignored"] - had_rows.count(False)
        index._save_state(info, update.good_end - sum(line.length for line in kept_before), lines,
                          crc, info.st_mtime_ns)
        index._merges.settle(conn)  # a small change: FTS5 must not carry on a bulk load's merge now
        conn.commit()
        return True
    except sqlite3.Error as exc:
        update._warn(exc)
        return False


def _delete(conn: sqlite3.Connection, start: int, record: dict) -> bool:
    """Delete the row of the line at this (virtual) offset, if it has one (a line repeating an
    earlier id has none)."""
    row = conn.execute("SELECT rowid, coalesce(substr(published, 1, 10), '') FROM articles"
                       " WHERE id = ? AND offset = ?", (record["id"], start)).fetchone()
    if row is None:
        return False
    rowid, day = row
    title, body, tags = searchable(record)
    conn.execute("DELETE FROM articles WHERE rowid = ?", (rowid,))
    if conn.execute("UPDATE day_counts SET n = n - 1 WHERE day = ? RETURNING n", (day,)).fetchone()[0] == 0:
        conn.execute("DELETE FROM day_counts WHERE day = ?", (day,))
    signature = conn.execute("DELETE FROM signatures WHERE article = ? RETURNING signature", (rowid,)).fetchone()
    if signature is not None and candidates.built(conn):
        candidates.remove(conn, rowid, signature[0])
    conn.execute("INSERT INTO fts (fts, rowid, title, body) VALUES ('delete', ?, ?, ?)", (rowid, title, body))
    for key in dict(tags):  # a tag repeated in one record was indexed once
        if conn.execute("DELETE FROM tags WHERE key = ? AND article = ? RETURNING name",
                        (key, rowid)).fetchone() is not None:
            _uncount_tag(conn, key)
    return True


def _uncount_tag(conn: sqlite3.Connection, key: str) -> None:
    """tag_counts as count(*), min(name) over the tags left (rows.py keeps it as rows go in)."""
    n, name = conn.execute("SELECT n, name FROM tag_counts WHERE key = ?", (key,)).fetchone()
    if n <= 1:
        conn.execute("DELETE FROM tag_counts WHERE key = ?", (key,))
        return
    still = conn.execute("SELECT 1 FROM tags WHERE key = ? AND name = ? LIMIT 1", (key, name)).fetchone()
    if still is None:  # the smallest spelling went with this article
        name = conn.execute("SELECT min(name) FROM tags WHERE key = ?", (key,)).fetchone()[0]
    conn.execute("UPDATE tag_counts SET n = ?, name = ? WHERE key = ?", (n - 1, name, key))


def _record_cuts(index: Index, cuts: list[tuple[int, int]]) -> None:
    """Add the removed lines (virtual start, length) to the list; many cuts: give every row
    its line's store offset instead and empty the list (one pass over the table)."""
    conn = index.conn
    conn.executemany("INSERT INTO cuts (start, length) VALUES (?, ?)", cuts)
    index._cuts = None
    if len(index.cuts) > cuts_module.COMPACT_AT:
        conn.create_function("newscli_real", 1, index.cuts.real, deterministic=True)
        conn.execute("UPDATE articles SET offset = newscli_real(offset) WHERE offset > ?",
                     (index.cuts.starts[0],))
        conn.execute("DELETE FROM cuts")
        index._cuts = None


def _renumber_damage(conn: sqlite3.Connection, dropped: list[int], lines: int) -> None:
    """The damaged lines listed move up past the dropped lines (their old numbers, in order);
    those with no good line after them any more are the damaged end, no longer listed."""
    rows = conn.execute("SELECT line, reason FROM damage").fetchall()
    conn.execute("DELETE FROM damage")
    moved = [(n - bisect_left(dropped, n), reason) for n, reason in rows]
    conn.executemany("INSERT INTO damage VALUES (?, ?)", [(n, r) for n, r in moved if n < lines])


def _last_good_end(index: Index, old_fd: int, dropped: set[int], end: int) -> tuple[int, int]:
    """In the old file: where the last good line that stays ends (at most `end`), and how many
    lines lie between there and `end` (dropped or damaged ones). Past the last row that stays
    there are only those and lines repeating an earlier id (good, but without a row)."""
    good_end = 0
    for offset, length in index.conn.execute("SELECT offset, length FROM articles ORDER BY rowid DESC"):
        if index.real(offset) not in dropped:
            good_end = index.real(offset) + length
            break
    after = 0
    for start, _, line in complete_lines(old_fd, good_end, 0, until=end):
        after += 1
        if start not in dropped and _is_record(line):
            good_end, after = start + len(line), 0
    return good_end, after


def _is_record(line: bytes) -> bool:
    try:
        decode_line(line)
    except ValueError:
        return False
    return True

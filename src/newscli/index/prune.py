"""After `rm`: take the removed lines' rows out of the index and move the rest to the new file,
in place, instead of rebuilding the index from the whole store (issue 21: 3.1 s at 20k).

The store is replaced first (archive/cut.py); then one transaction here, which applies only
when the index describes the very file that was cut (same inode, same sampled bytes): it
deletes the rows, text and tags of the dropped lines, shifts the offsets of the rows after
each dropped line by the bytes dropped before them, and records the new file as what the
index describes. A crash before its commit leaves the index describing the old file, which
the next command sees is not the store any more, and rebuilds: slower, never wrong.

Rows are in file order by rowid (lines are indexed in file order, each batch numbered after
the last), so the rows between two dropped lines are a rowid range: no index on offset needed.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from newscli.archive.cut import Cut, Line
from newscli.archive.files import open_file
from newscli.archive.lines import decode_line
from newscli.archive.records import index_values
from newscli.index.rows import complete_lines, fingerprint
from newscli.index.schema import connect
from newscli.index.sync import Index, index_path
from newscli.model import Problem


def prune(store_path: Path, cut: Cut, old_fd: int, on_problem) -> bool:
    """Bring the index from the old store file to the new one; False when it did not describe
    the old file (or the store was replaced again meanwhile): it rebuilds at its next use."""
    path = index_path(store_path)
    if not path.exists():
        return False
    try:
        fd = open_file(store_path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    if (os.fstat(fd).st_dev, os.fstat(fd).st_ino) != (cut.new.st_dev, cut.new.st_ino):
        os.close(fd)
        return False
    index = Index(store_path, None, fd, on_problem)
    try:
        index.conn = connect(path, on_problem)
        with index._writing():
            state = index._state()
            if not _describes(state, cut.old, old_fd):
                return False
            end = state["offset"]
            inside = [(line, record) for line, record in zip(cut.dropped, cut.records) if line.offset < end]
            afters = [_delete(index.conn, line, record) for line, record in inside]
            # The state ends after the last good line, so that a damaged end is reported again
            # by each reader: if the last good lines went, it ends after the one before them.
            good_end, tail_lines = _last_good_end(index.conn, old_fd, {line.offset for line, _ in inside}, end)
            kept_before = [line for line, _ in inside if line.offset < good_end]
            _shift(index.conn, [line for line, _ in inside], [after for after, _ in afters])
            index._ignored = state["ignored"] - sum(1 for _, had_row in afters if not had_row)
            index._save_state(os.fstat(fd), good_end - sum(line.length for line in kept_before),
                              state["lines"] - tail_lines - len(kept_before))
        return True
    except sqlite3.Error as exc:
        # Only a cache: the next command sees the index describes another file, and rebuilds.
        on_problem(Problem(str(path), f"index not updated ({exc}); the next command rebuilds it",
                           is_error=False))
        return False
    finally:
        index.close()


def trusted_prefix(store_path: Path, fd: int) -> int:
    """How many bytes of the store open as `fd` the index describes line by line with every id
    once: where it says an article's line is, that is its only line there. 0 when it cannot say."""
    path = index_path(store_path)
    if not path.exists():
        return 0
    try:
        conn = sqlite3.connect(path, timeout=5)  # only reads: WAL lets it past any writer
        try:
            index = Index(store_path, conn, fd, lambda problem: None)
            state = index._state()
        finally:
            conn.close()
    except sqlite3.Error:
        return 0
    if state is None or state["ignored"] or not _describes(state, os.fstat(fd), fd):
        return 0
    return state["offset"]


def _describes(state: dict | None, old: os.stat_result, old_fd: int) -> bool:
    return (state is not None and (state["dev"], state["ino"]) == (old.st_dev, old.st_ino)
            and state["offset"] <= old.st_size
            and fingerprint(old_fd, state["offset"]) == state["fingerprint"])


def _delete(conn: sqlite3.Connection, line: Line, record: dict) -> tuple[int, bool]:
    """Delete the row of this line, if it has one (a line repeating an earlier id has none);
    (the rowid after which rows lie past this line, whether a row was deleted)."""
    row = conn.execute("SELECT rowid FROM articles WHERE id = ? AND offset = ?",
                       (line.id, line.offset)).fetchone()
    if row is None:
        return _rowid_before(conn, line.offset), False
    rowid = row[0]
    values = index_values(record)
    conn.execute("DELETE FROM articles WHERE rowid = ?", (rowid,))
    conn.execute("INSERT INTO fts (fts, rowid, title, body) VALUES ('delete', ?, ?, ?)",
                 (rowid, values[7], values[8]))
    for key in dict(values[9]):  # a tag repeated in one record was indexed once
        if conn.execute("DELETE FROM tags WHERE key = ? AND article = ? RETURNING name",
                        (key, rowid)).fetchone() is not None:
            _uncount_tag(conn, key)
    return rowid, True


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


def _last_good_end(conn: sqlite3.Connection, old_fd: int, dropped: set[int], end: int) -> tuple[int, int]:
    """In the old file: where the last good line that stays ends (at most `end`), and how many
    lines lie between there and `end` (dropped or damaged ones). Past the last row there are only
    those and lines repeating an earlier id (good, but without a row): usually nothing at all."""
    row = conn.execute("SELECT offset + length FROM articles ORDER BY rowid DESC LIMIT 1").fetchone()
    good_end = row[0] if row else 0
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


def _rowid_before(conn: sqlite3.Connection, offset: int) -> int:
    """The last rowid whose line starts before `offset` (0 if none), by bisection on rowid."""
    lo, hi = 0, conn.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]
    while lo < hi:
        mid = (lo + hi + 1) // 2
        row = conn.execute("SELECT offset FROM articles WHERE rowid <= ? ORDER BY rowid DESC LIMIT 1",
                           (mid,)).fetchone()
        if row is None or row[0] < offset:
            lo = mid
        else:
            hi = mid - 1
    row = conn.execute("SELECT rowid FROM articles WHERE rowid <= ? ORDER BY rowid DESC LIMIT 1",
                       (lo,)).fetchone()
    return row[0] if row else 0


def _shift(conn: sqlite3.Connection, lines: list[Line], afters: list[int]) -> None:
    """The rows past the i-th dropped line, up to the next one, move back by the bytes dropped
    so far: one rowid range each, so every row is visited once."""
    dropped, steps = 0, []
    for i, line in enumerate(lines[:-1]):
        dropped += line.length
        steps.append((dropped, afters[i], afters[i + 1]))
    conn.executemany("UPDATE articles SET offset = offset - ? WHERE rowid > ? AND rowid <= ?", steps)
    if lines:
        conn.execute("UPDATE articles SET offset = offset - ? WHERE rowid > ?",
                     (dropped + lines[-1].length, afters[-1]))

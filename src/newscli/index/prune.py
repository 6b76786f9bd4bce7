"""After `rm`: take the removed lines' rows out of the index and record the bytes cut out,
in place, instead of rebuilding the index from the whole store (issue 21: 3.1 s at 20k).

The store is replaced first (jobs/remove.py, archive/cut.py); then one transaction here, which
applies only when the index describes the very file that was cut (same inode, same sampled
bytes): it deletes the rows, text and tags of the dropped lines, adds each dropped line to the
`cuts` table (the other rows keep their offsets: cuts.py says where their lines are now), and
records the new file as what the index describes. So the work is per removed article, not per
row. A crash before the commit leaves the index describing the old file, which the next
command sees is not the store any more, and rebuilds: slower, never wrong.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from newscli.archive.cut import Cut
from newscli.archive.files import open_file
from newscli.archive.lines import decode_line
from newscli.archive.records import BODY, TAGS, TITLE, index_values
from newscli.index import cuts as cuts_module
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
            end, cuts = state["offset"], index.cuts
            inside = [(line, record) for line, record in zip(cut.dropped, cut.records) if line.offset < end]
            starts = [cuts.virtual(line.offset) for line, _ in inside]  # before any new cut counts
            had_rows = [_delete(index.conn, start, record) for start, (_, record) in zip(starts, inside)]
            # The state ends after the last good line, so that a damaged end is reported again
            # by each reader: if the last good lines went, it ends after the one before them.
            good_end, tail_lines = _last_good_end(index, old_fd, {line.offset for line, _ in inside}, end)
            kept_before = [line for line, _ in inside if line.offset < good_end]
            index.conn.executemany("INSERT INTO cuts (start, length) VALUES (?, ?)",
                                   [(start, line.length) for start, (line, _) in zip(starts, inside)])
            index._cuts = None
            if len(index.cuts) > cuts_module.COMPACT_AT:
                _compact(index)
            index._ignored = state["ignored"] - had_rows.count(False)
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


def _delete(conn: sqlite3.Connection, start: int, record: dict) -> bool:
    """Delete the row of the line at this (virtual) offset, if it has one (a line repeating an
    earlier id has none)."""
    row = conn.execute("SELECT rowid FROM articles WHERE id = ? AND offset = ?",
                       (record["id"], start)).fetchone()
    if row is None:
        return False
    rowid = row[0]
    values = index_values(record)
    conn.execute("DELETE FROM articles WHERE rowid = ?", (rowid,))
    conn.execute("INSERT INTO fts (fts, rowid, title, body) VALUES ('delete', ?, ?, ?)",
                 (rowid, values[TITLE], values[BODY]))
    for key in dict(values[TAGS]):  # a tag repeated in one record was indexed once
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


def _last_good_end(index: Index, old_fd: int, dropped: set[int], end: int) -> tuple[int, int]:
    """In the old file: where the last good line that stays ends (at most `end`), and how many
    lines lie between there and `end` (dropped or damaged ones). Past the last row there are only
    those and lines repeating an earlier id (good, but without a row): usually nothing at all."""
    row = index.conn.execute("SELECT offset, length FROM articles ORDER BY rowid DESC LIMIT 1").fetchone()
    good_end = index.real(row[0]) + row[1] if row else 0
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


def _compact(index: Index) -> None:
    """Many cuts: give every row its line's store offset and empty the list (one pass)."""
    conn, cuts = index.conn, index.cuts
    conn.create_function("newscli_real", 1, cuts.real, deterministic=True)
    conn.execute("UPDATE articles SET offset = newscli_real(offset) WHERE offset > ?", (cuts.starts[0],))
    conn.execute("DELETE FROM cuts")
    index._cuts = None

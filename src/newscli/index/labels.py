"""The index's mirror of your labels (archive/labels.py's log): kept in step, rebuilt at will.

Tables are made on first use, so an index from before labels needs no rebuild. The mirror
follows the log the way the index follows the store: new complete lines are applied; a log
replaced, truncated or rewritten in place (same size, new mtime) is read again from the start.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable

from newscli.archive.labels import labels_path, read_changes
from newscli.archive.values import tag_key
from newscli.index.schema import run_script

_TABLES = """
CREATE TABLE IF NOT EXISTS labels (key TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
                                   PRIMARY KEY (key, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS labels_id ON labels (id);
CREATE TABLE IF NOT EXISTS labels_read (dev INTEGER, ino INTEGER, size INTEGER, mtime_ns INTEGER,
                                        offset INTEGER);
"""


def sync(conn: sqlite3.Connection, store_path) -> None:
    """Bring the mirror up to the log; cheap (one stat, one row) when nothing changed."""
    try:
        info = os.stat(labels_path(store_path))
    except OSError:
        info = None
    try:
        state = conn.execute("SELECT dev, ino, size, mtime_ns, offset FROM labels_read").fetchone()
    except sqlite3.OperationalError:
        state = None
        if info is None:
            _create(conn)
            return
    current = None if info is None else (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    if state is not None and tuple(state[:4]) == current:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        run_script(conn, _TABLES)
        state = conn.execute("SELECT dev, ino, size, mtime_ns, offset FROM labels_read").fetchone()
        start = 0
        if (state is not None and current is not None and tuple(state[:2]) == current[:2]
                and current[2] >= state[4] and (current[2] != state[2] or current[3] == state[3])):
            start = state[4]  # the same log, grown (or only a torn end added): apply what is new
        else:
            conn.execute("DELETE FROM labels")
        offset = start
        for offset, change in read_changes(labels_path(store_path), start) if current else ():
            _apply(conn, change.add, change.remove, change.ids)
        conn.execute("DELETE FROM labels_read")
        if current is not None:
            conn.execute("INSERT INTO labels_read VALUES (?, ?, ?, ?, ?)", (*current, offset))
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def _create(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        run_script(conn, _TABLES)
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def _apply(conn: sqlite3.Connection, add: Iterable[str], remove: Iterable[str], ids: list[str]) -> None:
    for name in add:
        key = tag_key(name)
        conn.executemany("INSERT OR IGNORE INTO labels (key, id, name) VALUES (?, ?, ?)",
                         ((key, i, name) for i in ids))
    for name in remove:
        key = tag_key(name)
        conn.executemany("DELETE FROM labels WHERE key = ? AND id = ?", ((key, i) for i in ids))


def of(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, list[str]]:
    """Each id's labels, in name order; ids without any are left out."""
    found: dict[str, list[str]] = {}
    ids = list(ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = conn.execute(f"SELECT id, name FROM labels WHERE id IN ({', '.join('?' * len(chunk))})"
                            " ORDER BY id, key", chunk)
        for article_id, name in rows:
            found.setdefault(article_id, []).append(name)
    return found

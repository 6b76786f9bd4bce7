"""When the index file fails a command: damaged (thrown away, rebuilt) or not writable (a
temporary one in memory), each with one warning; and the reminder, on every command, of the
damaged lines the store still holds."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from newscli.archive.files import side_mode
from newscli.archive.records import Written
from newscli.index import labels
from newscli.index.schema import connect, is_damage, is_memory, memory, remove
from newscli.model import Problem


def sync_or_recover(index, sink: Callable[[Problem], None], rebuild: bool,
                     written: Iterable[Written]) -> None:
    """Sync; a damaged index file (it is only a cache) is thrown away and rebuilt, and one that
    cannot be written (a full disk, an I/O error, a lock held too long) is replaced by a
    temporary one in memory for this command, each with one warning."""
    for attempt in range(3):
        try:
            index.last_sync = index.sync(rebuild=rebuild or attempt > 0, written=written)
            labels.sync(index.conn, index.store_path)
            return
        except sqlite3.DatabaseError as exc:
            if is_memory(index.conn):
                raise
            index.conn.close()
            if is_damage(exc) and attempt == 0:
                remove(index.path)
                sink(Problem(str(index.path), f"index damaged ({exc}); threw it away and rebuilt it",
                             is_error=False))
                index.conn = connect(index.path, sink, side_mode(index.store_path) | 0o200)
            else:
                sink(Problem(str(index.path), f"cannot write the index ({exc}); answering from a "
                             "temporary one in memory", is_error=False))
                index.conn = memory()


def remind_damage(index, sink: Callable[[Problem], None]) -> None:
    """Damaged lines inside the store are warned about one by one when first read; after that,
    every command says how many there still are, in one line, until `check --repair`."""
    if index.conn is None or index._fd is None:  # noqa: SLF001 - no store, no lines
        return
    rows = index.conn.execute("SELECT line, reason FROM damage ORDER BY line").fetchall()
    if not rows or all(line in index.reported for line, _ in rows):
        return
    first, reason = rows[0]
    more = f" and {len(rows) - 1} more" if len(rows) > 1 else ""
    sink(Problem(str(index.store_path), f"{len(rows)} damaged line{'s' if len(rows) != 1 else ''} "
                 f"skipped (line {first}: {reason}{more}); `newscli check` lists them, "
                 "`newscli check --repair` moves them aside", is_error=False))

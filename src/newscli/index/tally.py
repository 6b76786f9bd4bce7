"""Counts for `newscli saved`: each saved search's total, and how many of its articles came in
from a given moment on, for many searches at once.

Nothing is kept between runs: every number is counted from the index as it is now, and all of
them from one state of it (so a concurrent ingest cannot put a search's `new` above its
`total`). `questions.count` is the reference; this module answers the same questions faster:

- Totals of searches made of tags and dates: index/setcount.py. Anything else (a query,
  labels, source, language, file, ingest dates): questions.count.
- New: the articles ingested from the earliest moment any search asks about are found once,
  by one pass over the articles, into a temporary table, and each search's `new` is counted
  over those few rows (past FRESH_CAP of them, over the whole archive). That pass and those
  counts run on a second connection in a thread, beside the totals, when both connections
  read the same state of the index; otherwise after them, on the first.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from newscli.index import questions, setcount
from newscli.index.filters import Filters, with_aliases
from newscli.index.schema import is_memory, reader
from newscli.index.sync import Index

FRESH = "temp.tally_fresh"
FRESH_CAP = 20_000  # new articles counted per search from the temporary table at most

Search = tuple[Filters, str | None]  # aliases applied; new from this ingest key (None: all are new)


def totals_and_new(index: Index, searches: Iterable[tuple[Filters, datetime | None]]) -> list[tuple[int, int]]:
    """(total, new) for each (filters, new_from): `new` counts the matching articles ingested at
    or after `new_from` (what `count` gives with --ingested-since too); all of them when None."""
    wanted = [(with_aliases(filters, index.aliases), None if moment is None else
               Filters(ingested_since=moment).ingested_bounds[0]) for filters, moment in searches]
    with _snapshot(index.conn) as conn:
        beside = _Beside(index, _version(conn), wanted) if any(low for _, low in wanted) else None
        counter = setcount.Counter(conn, [setcount.plan(filters) for filters, _ in wanted])
        totals = [_total(index, counter, filters) for filters, _ in wanted]
        new = beside.result() if beside else None
        if new is None:
            new = _new(conn, wanted)
    return [(total, total if low is None else fresh) for total, fresh, (_, low) in zip(totals, new, wanted)]


def _total(index: Index, counter: setcount.Counter, filters: Filters) -> int:
    counted = counter.total(filters)
    return questions.count(index, filters) if counted is None else counted


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction: every statement sees the index as the first one did."""
    conn.execute("PRAGMA temp_store = MEMORY")  # the temporary tables: a few MB at most
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")  # and the temporary tables go with the connection


def _version(conn: sqlite3.Connection) -> tuple:
    """What changes whenever what a count reads changes: the index's state row (every catch-up,
    rebuild and rm writes it) and the labels mirror's."""
    try:
        labels = conn.execute("SELECT * FROM labels_read").fetchall()
    except sqlite3.OperationalError:  # no labels table yet
        labels = None
    return conn.execute("SELECT * FROM state").fetchall(), labels


class _Beside:
    """`_new` on a second connection, in a thread; `result()` is None when that connection saw
    another state of the index than the first (a write in between), or could not be had."""

    def __init__(self, index: Index, version: tuple, wanted: list[Search]) -> None:
        self._answer: list[int] | None = None
        self._thread = None
        if index.conn is None or is_memory(index.conn):
            return
        self._thread = threading.Thread(target=self._run, args=(index.path, version, wanted), daemon=True)
        self._thread.start()

    def _run(self, path, version: tuple, wanted: list[Search]) -> None:
        try:
            conn = reader(path)
        except sqlite3.Error:
            return
        try:
            with _snapshot(conn):
                if _version(conn) == version:
                    self._answer = _new(conn, wanted)
        except sqlite3.Error:
            pass
        finally:
            conn.close()

    def result(self) -> list[int] | None:
        if self._thread is not None:
            self._thread.join()
        return self._answer


def _new(conn: sqlite3.Connection, wanted: list[Search]) -> list[int]:
    """Each search's matching articles ingested from its moment on (0 where it has none)."""
    lows = [low for _, low in wanted if low is not None]
    if not lows:
        return [0] * len(wanted)
    conn.execute(f"DROP TABLE IF EXISTS {FRESH}")
    conn.execute(f"CREATE TABLE {FRESH} (rowid INTEGER PRIMARY KEY, ingested TEXT NOT NULL)")
    conn.execute(f"INSERT INTO {FRESH} SELECT rowid, ingested FROM articles WHERE ingested >= ? LIMIT ?",
                 (min(lows), FRESH_CAP + 1))
    few = conn.execute(f"SELECT count(*) FROM {FRESH}").fetchone()[0] <= FRESH_CAP
    source = f"{FRESH} f CROSS JOIN articles a ON a.rowid = f.rowid" if few else "articles a"
    column = "f.ingested" if few else "a.ingested"
    found = []
    for filters, low in wanted:
        if low is None:
            found.append(0)
            continue
        # Rows passing `sql` already meet the search's own --ingested-since, if it has one.
        sql, params = questions.where(filters, per_row=few)
        found.append(conn.execute(f"SELECT count(*) FROM {source} WHERE {column} >= ? AND {sql}",
                                  [low] + params).fetchone()[0])
    return found

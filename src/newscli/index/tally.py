"""Counts for `newscli saved`: each saved search's total, and how many of its articles came in
from a given moment on, for many searches at once.

Nothing is kept between runs: every number is counted from the index as it is now, inside one
read transaction (so a concurrent ingest cannot put a search's `new` above its `total`).
`questions.count` is the reference; this module answers the same question faster where the
search allows it:

- Searches made of tags (--tag, --any-tag, --no-tag) and dates (--since, --until) are
  counted as a conjunction of sets: a tag's entries in the `tags` table (no article row
  read), the dates' range of the `articles_published` index. One set drives, the others are
  probed for each of its rows; `--no-tag` is "all minus those with the tag". A set that
  several searches share (the same --no-tag or --since in many of them) is copied once into a
  temporary table of rowids, where a probe costs a fraction of one into the index, and the
  driver is the set that makes the fewest, cheapest probes.
- The articles ingested from the earliest moment any search asks about are found once, by one
  pass over the articles, into a temporary table; each search's `new` is then counted over
  those few rows. Past FRESH_CAP of them, `new` is counted with the total instead.
- Anything else (a query, labels, source, language, file, ingest dates) is counted the
  generic way, total and new in one statement.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from newscli.archive.values import sortable_time, tag_key
from newscli.index import questions
from newscli.index.filters import Filters, with_aliases
from newscli.index.filters import group as names_of
from newscli.index.sync import Index

FRESH = "temp.tally_fresh"
FRESH_CAP = 20_000  # new articles counted per search from the temporary table at most

Keys = tuple[str, ...]  # the tag keys of one name or alias group: an article matches with any


def totals_and_new(index: Index, searches: Iterable[tuple[Filters, datetime | None]]) -> Iterator[tuple[int, int]]:
    """(total, new) for each (filters, new_from): `new` counts the matching articles ingested at
    or after `new_from` (what `count` gives with --ingested-since too); all of them when None."""
    wanted = [(with_aliases(filters, index.aliases), None if moment is None else
               Filters(ingested_since=moment).ingested_bounds[0]) for filters, moment in searches]
    with _snapshot(index.conn) as conn:
        lows = [low for _, low in wanted if low is not None]
        fresh = bool(lows) and _collect_fresh(conn, min(lows))
        plans = [_plan(filters) for filters, _ in wanted]
        sets = _Sets(conn, [s for plan in plans if plan for s in set(plan[0] + plan[1])])
        for (filters, low), plan in zip(wanted, plans):
            if low is not None and not fresh:
                yield _both(conn, filters, low)
                continue
            total = _total(index, sets, plan, filters)
            yield total, total if low is None else _fresh_count(conn, filters, low)


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction: every statement sees the index as the first one did."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("PRAGMA temp_store = MEMORY")  # the temporary tables below: a few MB at most
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")  # and the temporary tables go with the connection


def _collect_fresh(conn: sqlite3.Connection, low: str) -> bool:
    """The articles ingested at or after `low` into FRESH; False when there are more than FRESH_CAP."""
    conn.execute(f"DROP TABLE IF EXISTS {FRESH}")
    conn.execute(f"CREATE TABLE {FRESH} (rowid INTEGER PRIMARY KEY, ingested TEXT NOT NULL)")
    conn.execute(f"INSERT INTO {FRESH} SELECT rowid, ingested FROM articles WHERE ingested >= ? LIMIT ?",
                 (low, FRESH_CAP + 1))
    return conn.execute(f"SELECT count(*) FROM {FRESH}").fetchone()[0] <= FRESH_CAP


def _fresh_count(conn: sqlite3.Connection, filters: Filters, low: str) -> int:
    sql, params = questions.where(filters, per_row=True)
    return conn.execute(
        f"SELECT count(*) FROM {FRESH} f CROSS JOIN articles a ON a.rowid = f.rowid"
        f" WHERE f.ingested >= ? AND {sql}", [low] + params).fetchone()[0]


def _both(conn: sqlite3.Connection, filters: Filters, low: str) -> tuple[int, int]:
    # Rows passing `sql` already meet the search's own --ingested-since, if it has one, so
    # the CASE counts those ingested from the later of the two moments.
    sql, params = questions.where(filters)
    return tuple(conn.execute(
        f"SELECT count(*), count(CASE WHEN a.ingested >= ? THEN 1 END) FROM articles a WHERE {sql}",
        [low] + params).fetchone())


# -- totals of tags and dates -------------------------------------------------------------

# A set of articles: ("tag", keys) has a tag of `keys` (one name, or an alias group);
# ("dates", (since, until)) was published within the bounds (sortable text, None: open).
Set = tuple[str, tuple]
Plan = tuple[tuple[Set, ...], tuple[Set, ...]]  # total = |all of the first| - |all of the second|
_PROBE, _SHARED_PROBE = 5, 2  # relative cost of a probe into the index, into a temporary table


def _plan(filters: Filters) -> Plan | None:
    """The search as sets, when it is made only of tags and dates; else None."""
    only = Filters(tags=filters.tags, any_tags=filters.any_tags, no_tags=filters.no_tags,
                   since=filters.since, until=filters.until)
    if filters != only or filters.is_empty:
        return None
    sets = [("tag", _keys(names_of(tag))) for tag in filters.tags]
    if filters.any_tags:
        sets.append(("tag", _keys(n for tag in filters.any_tags for n in names_of(tag))))
    if filters.since is not None or filters.until is not None:
        sets.append(("dates", (sortable_time(filters.since), sortable_time(filters.until))))
    positive = tuple(dict.fromkeys(sets))
    if not filters.no_tags:
        return positive, ()
    return positive, tuple(dict.fromkeys(positive + (("tag", _keys(n for tag in filters.no_tags for n in names_of(tag))),)))


def _keys(names: Iterable[str]) -> Keys:
    return tuple(dict.fromkeys(tag_key(n) for n in names))


def _total(index: Index, sets: _Sets, plan: Plan | None, filters: Filters) -> int:
    if plan is None:
        return questions.count(index, filters)
    try:
        return sets.count(plan[0]) - (sets.count(plan[1]) if plan[1] else 0)
    except sqlite3.OperationalError:  # no articles_published index (an ingest deferred it)
        return questions.count(index, filters)


class _Sets:
    """Counts of conjunctions of sets; a set that several of them use is copied once into a
    temporary table of rowids (`shared`), to be probed there."""

    def __init__(self, conn: sqlite3.Connection, uses: list[Set]) -> None:
        """`uses`: each search's sets, each once."""
        self.conn = conn
        self.shared = {s for s, n in Counter(uses).items() if n > 1}
        self._tables: dict[Set, str] = {}
        self._sizes: dict[Set, int] = {}

    def count(self, sets: tuple[Set, ...]) -> int:
        if not sets:
            return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        if len(sets) == 1:
            return self._size(sets[0], exact=True)
        def cost(driver: Set) -> int:
            return self._size(driver) * sum(_SHARED_PROBE if s in self.shared else _PROBE for s in sets if s != driver)
        driver = min(sets, key=cost)
        return self._drive(driver, [s for s in sets if s != driver])

    def _size(self, s: Set, exact: bool = False) -> int:
        """How many articles are in `s`: exact, or (for an alias group) at most."""
        kind, value = s
        if kind == "tag" and (len(value) == 1 or not exact):
            if s not in self._sizes:
                self._sizes[s] = self.conn.execute(
                    f"SELECT coalesce(sum(n), 0) FROM tag_counts WHERE key IN ({_marks(value)})", value).fetchone()[0]
            return self._sizes[s]
        if kind == "tag":
            return self._drive(s, [])
        if s not in self._sizes:
            sql, params = _dates("published", value)
            self._sizes[s] = self.conn.execute(
                f"SELECT count(*) FROM articles INDEXED BY articles_published WHERE {sql}", params).fetchone()[0]
        return self._sizes[s]

    def _drive(self, driver: Set, others: list[Set]) -> int:
        """Rows of `driver` that every one of `others` holds."""
        probes, params = [], []
        kind, value = driver
        if kind == "tag":
            # An article holding two names of one alias group has two entries: count it once.
            what, rowid = ("count(*)" if len(value) == 1 else "count(DISTINCT t.article)"), "t.article"
            source, where, params = "tags t", f"t.key IN ({_marks(value)})", list(value)
        else:
            what, rowid, source = "count(*)", "a.rowid", "articles a INDEXED BY articles_published"
            where, params = _dates("a.published", value)
        for other in others:
            sql, more = self._probe(other, rowid)
            probes.append(sql)
            params += more
        return self.conn.execute(
            f"SELECT {what} FROM {source} WHERE {' AND '.join([where] + probes)}", params).fetchone()[0]

    def _probe(self, s: Set, rowid: str) -> tuple[str, list]:
        """SQL true when the article `rowid` is in `s`."""
        if s in self.shared:
            return f"EXISTS (SELECT 1 FROM {self._table(s)} WHERE r = {rowid})", []
        kind, value = s
        if kind == "tag":
            return f"EXISTS (SELECT 1 FROM tags u WHERE u.key IN ({_marks(value)}) AND u.article = {rowid})", list(value)
        sql, params = _dates("x.published", value)
        return f"EXISTS (SELECT 1 FROM articles x WHERE x.rowid = {rowid} AND {sql})", params

    def _table(self, s: Set) -> str:
        if s not in self._tables:
            name = self._tables[s] = f"temp.tally_set{len(self._tables)}"
            self.conn.execute(f"DROP TABLE IF EXISTS {name}")
            self.conn.execute(f"CREATE TABLE {name} (r INTEGER PRIMARY KEY)")
            kind, value = s
            if kind == "tag":
                self.conn.execute(f"INSERT OR IGNORE INTO {name} SELECT article FROM tags WHERE key IN ({_marks(value)})",
                                  value)
            else:
                sql, params = _dates("published", value)
                self.conn.execute(f"INSERT INTO {name} SELECT rowid FROM articles INDEXED BY articles_published"
                                  f" WHERE {sql}", params)
        return self._tables[s]


def _marks(values: tuple) -> str:
    return ", ".join("?" * len(values))


def _dates(column: str, bounds: tuple[str | None, str | None]) -> tuple[str, list]:
    clauses, params = [], []
    for op, bound in ((">=", bounds[0]), ("<=", bounds[1])):
        if bound is not None:
            clauses.append(f"{column} {op} ?")
            params.append(bound)
    return " AND ".join(clauses), params

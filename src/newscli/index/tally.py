"""Counts for `newscli saved`: each saved search's total, and how many of its articles came in
from a given moment on, for many searches at once.

Nothing is kept between runs: every number is counted from the index as it is now, inside one
read transaction (so a concurrent ingest cannot put a search's `new` above its `total`).
`questions.count` is the reference; this module answers the same question faster where the
search allows it:

- Searches made of tags (--tag, --any-tag, --no-tag) and dates (--since, --until) are
  counted from the smallest of their sets, probing the rest: a tag's entries in the `tags`
  table (no article row read), or the dates' range of the `articles_published` index.
  `--no-tag` is counted as "all minus those with the tag", so the smaller side drives that too.
- The articles ingested from the earliest moment any search asks about are found once, by one
  pass over the articles, into a temporary table; each search's `new` is then counted over
  those few rows. Past FRESH_CAP of them, `new` is counted with the total instead.
- Anything else (a query, labels, source, language, file, ingest dates) is counted the
  generic way, total and new in one statement.
"""

from __future__ import annotations

import sqlite3
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
        for filters, low in wanted:
            if low is not None and not fresh:
                yield _both(conn, filters, low)
                continue
            total = _total(index, filters)
            yield total, total if low is None else _fresh_count(conn, filters, low)


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction: every statement sees the index as the first one did."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute(f"DROP TABLE IF EXISTS {FRESH}")
        conn.execute("COMMIT")


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


def _total(index: Index, filters: Filters) -> int:
    only = Filters(tags=filters.tags, any_tags=filters.any_tags, no_tags=filters.no_tags,
                   since=filters.since, until=filters.until)
    if filters != only or filters.is_empty:
        return questions.count(index, filters)
    groups = [_keys(names_of(tag)) for tag in filters.tags]
    if filters.any_tags:
        groups.append(_keys(n for tag in filters.any_tags for n in names_of(tag)))
    dates = (sortable_time(filters.since), sortable_time(filters.until))
    try:
        counted = _Counter(index.conn, dates)
        total = counted.all_of(groups)
        if filters.no_tags:
            total -= counted.all_of(groups + [_keys(n for tag in filters.no_tags for n in names_of(tag))])
        return total
    except sqlite3.OperationalError:  # no articles_published index (an ingest deferred it)
        return questions.count(index, filters)


def _keys(names: Iterable[str]) -> Keys:
    return tuple(dict.fromkeys(tag_key(n) for n in names))


class _Counter:
    """Articles with a tag of every group, published within `dates` (None: open)."""

    def __init__(self, conn: sqlite3.Connection, dates: tuple[str | None, str | None]) -> None:
        self.conn, self.dates = conn, dates
        self.dated = dates != (None, None)
        self._in_dates: int | None = None

    def all_of(self, groups: list[Keys]) -> int:
        if not groups:
            return self._dates_size() if self.dated else self.conn.execute(
                "SELECT count(*) FROM articles").fetchone()[0]
        sizes = [self._group_size(keys) for keys in groups]
        if len(groups) == 1 and len(groups[0]) == 1 and not self.dated:
            return sizes[0]  # one tag: tag_counts keeps its number
        smallest = min(range(len(groups)), key=sizes.__getitem__)
        if self.dated and self._dates_size() <= sizes[smallest]:
            return self._from_dates(groups)
        return self._from_tags(groups[smallest], groups[:smallest] + groups[smallest + 1:])

    def _group_size(self, keys: Keys) -> int:
        marks = ", ".join("?" * len(keys))
        return self.conn.execute(f"SELECT coalesce(sum(n), 0) FROM tag_counts WHERE key IN ({marks})",
                                 keys).fetchone()[0]

    def _date_clause(self, column: str) -> tuple[str, list]:
        clauses, params = [], []
        for op, bound in ((">=", self.dates[0]), ("<=", self.dates[1])):
            if bound is not None:
                clauses.append(f"{column} {op} ?")
                params.append(bound)
        return " AND ".join(clauses), params

    def _dates_size(self) -> int:
        if self._in_dates is None:
            sql, params = self._date_clause("published")
            self._in_dates = self.conn.execute(
                f"SELECT count(*) FROM articles INDEXED BY articles_published WHERE {sql}", params).fetchone()[0]
        return self._in_dates

    @staticmethod
    def _probes(groups: list[Keys], article: str) -> tuple[str, list]:
        clauses, params = [], []
        for keys in groups:
            clauses.append(f"EXISTS (SELECT 1 FROM tags u WHERE u.key IN ({', '.join('?' * len(keys))})"
                           f" AND u.article = {article})")
            params.extend(keys)
        return "".join(f" AND {c}" for c in clauses), params

    def _from_dates(self, groups: list[Keys]) -> int:
        dated, params = self._date_clause("a.published")
        probes, more = self._probes(groups, "a.rowid")
        return self.conn.execute(f"SELECT count(*) FROM articles a INDEXED BY articles_published"
                                 f" WHERE {dated}{probes}", params + more).fetchone()[0]

    def _from_tags(self, keys: Keys, others: list[Keys]) -> int:
        # An article holding two names of one alias group has two entries: count it once.
        counted = "count(*)" if len(keys) == 1 else "count(DISTINCT t.article)"
        source, dated, params = "tags t", "", []
        if self.dated:
            source = "tags t CROSS JOIN articles a ON a.rowid = t.article"
            dated, params = self._date_clause("a.published")
            dated = f" AND {dated}"
        probes, more = self._probes(others, "t.article")
        return self.conn.execute(
            f"SELECT {counted} FROM {source} WHERE t.key IN ({', '.join('?' * len(keys))}){dated}{probes}",
            list(keys) + params + more).fetchone()[0]

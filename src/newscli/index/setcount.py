"""Totals of searches made of tags (--tag, --any-tag, --no-tag) and dates (--since, --until),
counted as conjunctions of sets of articles, many searches at a time (for `newscli saved`).

A set is a tag's entries in the `tags` table (no article row read) or a date range of the
`articles_published` index. One set drives, the others are probed for each of its rows;
`--no-tag` is "all minus those with the tag". A set that several searches share (the same
--no-tag or --since in many of them) is copied once into a temporary table of rowids, where a
probe costs a fraction of one into the index, and the driver is the set that makes the
fewest, cheapest probes. questions.count is the reference for every number.
"""

from __future__ import annotations

import sqlite3
from collections import Counter as Tally
from collections.abc import Iterable

from newscli.archive.values import sortable_time, tag_key
from newscli.index.filters import Filters
from newscli.index.filters import group as names_of

Keys = tuple[str, ...]  # the tag keys of one name or alias group: an article matches with any


# A set of articles: ("tag", keys) has a tag of `keys` (one name, or an alias group);
# ("dates", (since, until)) was published within the bounds (sortable text, None: open).
Set = tuple[str, tuple]
Plan = tuple[tuple[Set, ...], tuple[Set, ...]]  # total = |all of the first| - |all of the second|
_PROBE, _SHARED_PROBE = 5, 2  # relative cost of a probe into the index, into a temporary table


def plan(filters: Filters) -> Plan | None:
    """The search (aliases applied) as sets, when it is made only of tags and dates; else None."""
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


class Counter:
    """Counts of conjunctions of sets; a set that several of the searches use is copied once
    into a temporary table of rowids (`shared`), to be probed there."""

    def __init__(self, conn: sqlite3.Connection, plans: Iterable[Plan | None]) -> None:
        self.conn = conn
        self.shared = {s for s, n in Tally(s for p in plans if p for s in set(p[0] + p[1])).items() if n > 1}
        self._tables: dict[Set, str] = {}
        self._sizes: dict[Set, int] = {}

    def total(self, filters: Filters) -> int | None:
        """How many articles pass `filters` (aliases applied); None when it is not made of tags
        and dates, or the index has no articles_published (an ingest deferred it)."""
        sets = plan(filters)
        if sets is None:
            return None
        try:
            return self.count(sets[0]) - (self.count(sets[1]) if sets[1] else 0)
        except sqlite3.OperationalError:
            return None

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

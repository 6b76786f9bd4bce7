"""Questions answered from the index in SQL: select, search, count, group, resolve an id.

Filters become WHERE clauses over indexed columns, so no query scans the JSON-lines file;
only the records a query returns are read from it, by offset.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from newscli.archive.values import fold, sortable_time, tag_key
from newscli.errors import UsageError
from newscli.index.filters import Filters, Order, check_prefix, one_match, with_aliases
from newscli.index.filters import group as names_of
from newscli.index import labels, periods
from newscli.index.schema import TOKENIZER
from newscli.index.sync import Index, Located
from newscli.index.syntax import HIT_END, HIT_START, plain_snippet, to_fts  # noqa: F401  (re-exported)

COPIED = "temp.copied"  # every story's members but its earliest, while --collapse (index/stories.py)
TITLE_WEIGHT = 10.0  # a hit in the title counts ten body hits in BM25
GROUPINGS = ("month", "day", "week", "year", "source", "tag", "lang")
_RANK = f"bm25(fts, {TITLE_WEIGHT}, 1.0)"
MATCHES = "a.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)"

# ORDER BY for each sort key, in its natural direction; `reverse` flips every term.
_ORDER = {
    "published": [("a.published", "DESC"), ("a.id", "DESC")],
    "ingested": [("a.ingested", "DESC"), ("a.published", "DESC"), ("a.id", "DESC")],
    "title": [("a.title_key", "ASC"), ("a.id", "ASC")],
    "relevance": [(_RANK, "ASC"), ("a.published", "DESC"), ("a.id", "DESC")],
}


def where(filters: Filters, per_row: bool = False) -> tuple[str, list]:
    """SQL conditions on `articles a`. `per_row`: tag conditions as lookups for each row
    visited (for a walk in date order that stops early) instead of sets built up front.
    Aliases must have been applied (filters.with_aliases): a group matches any of its names."""
    clauses, params = ["1"], []

    def tag_clause(keys: list[str], negate: str = "") -> str:
        params.extend(keys)
        marks = ", ".join("?" * len(keys))
        return (f"{negate}EXISTS (SELECT 1 FROM tags WHERE key IN ({marks}) AND article = a.rowid)" if per_row
                else f"a.rowid {negate}IN (SELECT article FROM tags WHERE key IN ({marks}))")

    for tag in filters.tags:
        clauses.append(tag_clause(list(dict.fromkeys(tag_key(n) for n in names_of(tag)))))
    for wanted, negate in ((filters.any_tags, ""), (filters.no_tags, "NOT ")):
        if wanted:
            clauses.append(tag_clause(list(dict.fromkeys(tag_key(n) for t in wanted for n in names_of(t))), negate))
    if filters.source is not None:
        keys = list(dict.fromkeys(fold(n) for n in names_of(filters.source)))
        clauses.append(f"a.source_key IN ({', '.join('?' * len(keys))})")
        params.extend(keys)
    if filters.lang is not None:
        clauses.append("a.lang = ?")
        params.append(filters.lang.lower())
    if filters.since is not None:
        clauses.append("a.published >= ?")
        params.append(sortable_time(filters.since))
    if filters.until is not None:
        clauses.append("a.published <= ?")
        params.append(sortable_time(filters.until))
    if filters.query is not None:
        clauses.append(MATCHES)
        params.append(to_fts(filters.query))
    for label in filters.labels:
        clauses.append("a.id IN (SELECT id FROM labels WHERE key = ?)")
        params.append(tag_key(label))
    if filters.no_labels:
        clauses.append(f"a.id NOT IN (SELECT id FROM labels WHERE key IN ({', '.join('?' * len(filters.no_labels))}))")
        params.extend(tag_key(n) for n in filters.no_labels)
    if filters.file is not None:
        clauses.append("a.file IN (SELECT rowid FROM files WHERE file_matches(?, name))")
        params.append(filters.file)
    for compare, bound in zip((">=", "<="), filters.ingested_bounds):
        if bound is not None:
            clauses.append(f"a.ingested {compare} ?")
            params.append(bound)
    if filters.collapse:
        clauses.append(f"a.rowid NOT IN (SELECT rowid FROM {COPIED})")
    return " AND ".join(clauses), params


def _order_by(order: Order) -> str:
    flip = {"ASC": "DESC", "DESC": "ASC"}
    # NULLs (undated) go last either way, so a page of "newest" never starts with them.
    terms = [f"{expr} {flip[d] if order.reverse else d} NULLS LAST" for expr, d in _ORDER[order.sort]]
    return ", ".join(terms)


def _page(order: Order) -> tuple[str, list]:
    return " LIMIT ? OFFSET ?", [order.limit or -1, order.offset]


def select_ids(index: Index, filters: Filters, ids: list[str] | None = None) -> list[str]:
    """The ids of the matching articles (among `ids` when given), in id order: for changes that
    need no record, only which ones (newscli tag)."""
    if ids is not None:
        return sorted(matching_ids(index, ids, filters))
    sql, params = where(with_aliases(filters, index.aliases))
    return [row[0] for row in index.conn.execute(f"SELECT a.id FROM articles a WHERE {sql} ORDER BY a.id", params)]


def select(index: Index, filters: Filters, order: Order) -> list[Located]:
    return list(each_selected(index, filters, order))


def each_selected(index: Index, filters: Filters, order: Order) -> Iterator[Located]:
    """`select`'s articles one at a time, as SQLite steps to them: memory stays flat however
    many match (export -f parquet of a whole archive). Read it while the index is open."""
    filters = with_aliases(filters, index.aliases)
    if order.sort == "relevance":
        raise UsageError("--sort relevance needs a search query (newscli search)")
    page, more = _page(order)
    walk = _walk_by_date(index, filters, order)
    sql, params = where(filters, per_row=walk)
    rest = f" WHERE {sql} ORDER BY {_order_by(order)}{page}"
    try:
        hint = " INDEXED BY articles_published" if walk else ""
        rows = index.conn.execute(f"SELECT a.offset, a.length, a.id FROM articles a{hint}{rest}", params + more)
    except sqlite3.OperationalError:
        if not walk:
            raise
        # the date index is not there (an ingest deferred it): the same query, planned by SQLite
        rows = index.conn.execute(f"SELECT a.offset, a.length, a.id FROM articles a{rest}", params + more)
    return map(Located._make, rows)


def _walk_by_date(index: Index, filters: Filters, order: Order) -> bool:
    """Newest N with a frequent tag: walk the date index and stop after N, instead of
    collecting and sorting every tagged article (a third of a million-article archive).

    Walking visits about N * total / tagged rows, collecting costs `tagged`; so walk when
    tagged**2 >= N * total.
    """
    if (order.sort != "published" or order.reverse or not order.limit or not filters.tags
            or not isinstance(filters.tags[0], str)
            or filters.query is not None or filters.source is not None or filters.lang is not None
            or filters.since is not None or filters.until is not None or filters.file is not None
            or filters.ingested_since is not None or filters.ingested_until is not None):
        return False
    total = index.conn.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]
    tagged = _tagged(index, filters.tags[0])
    return tagged * tagged >= (order.limit + order.offset) * total


def _tagged(index: Index, tag: str) -> int:
    row = index.conn.execute("SELECT n FROM tag_counts WHERE key = ?", (tag_key(tag),)).fetchone()
    return row[0] if row else 0


def search(index: Index, query: str, filters: Filters, order: Order) -> list[Located]:
    filters = with_aliases(filters, index.aliases)
    match = to_fts(query)
    sql, params = where(filters)
    page, more = _page(order)
    try:
        rows = index.conn.execute(
            f"SELECT a.offset, a.length, a.id FROM fts JOIN articles a ON a.rowid = fts.rowid"
            f" WHERE fts MATCH ? AND {sql} ORDER BY {_order_by(order)}{page}",
            [match] + params + more).fetchall()
    except sqlite3.OperationalError as exc:  # the translation should make this unreachable
        raise UsageError(f"cannot search for {query!r}: {exc}") from None
    return [Located(*row) for row in rows]


def search_count(index: Index, query: str, filters: Filters) -> int:
    """How many articles `search` would find without a limit."""
    sql, params = where(filters)
    return index.conn.execute(
        f"SELECT count(*) FROM fts JOIN articles a ON a.rowid = fts.rowid WHERE fts MATCH ? AND {sql}",
        [to_fts(query)] + params).fetchone()[0]


def snippets(index: Index, query: str, records: list[dict], words: int = 24) -> dict[str, str]:
    """Body excerpts around the hits, hits wrapped in HIT_START/HIT_END, keyed by id.

    The main index stores no text (the store has it), so the few returned records are
    indexed again in a temporary table, where FTS5's own snippet() finds the same hits.
    """
    conn = index.conn
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.snip USING fts5(title, body, tokenize='{TOKENIZER}')")
    conn.execute("DELETE FROM temp.snip")
    clean = lambda text: str(text or "").replace(HIT_START, " ").replace(HIT_END, " ")  # noqa: E731
    conn.executemany("INSERT INTO temp.snip (rowid, title, body) VALUES (?, ?, ?)",
                     [(n, clean(r.get("title")), clean(r.get("body"))) for n, r in enumerate(records)])
    rows = conn.execute(
        "SELECT rowid, snippet(snip, 1, ?, ?, '…', ?) FROM temp.snip WHERE snip MATCH ?",
        (HIT_START, HIT_END, words, to_fts(query)))
    return {records[n]["id"]: " ".join(text.split()) for n, text in rows}


def count(index: Index, filters: Filters) -> int:
    filters = with_aliases(filters, index.aliases)
    if len(filters.tags) == 1 and isinstance(filters.tags[0], str) and filters == Filters(tags=filters.tags):
        return _tagged(index, filters.tags[0])  # one tag and nothing else: kept up, not counted
    if filters == Filters(query=filters.query) and filters.query is not None:  # FTS5 alone: no join
        return index.conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (to_fts(filters.query),)).fetchone()[0]
    sql, params = where(filters)
    return index.conn.execute(f"SELECT count(*) FROM articles a WHERE {sql}", params).fetchone()[0]


def resolve(index: Index, prefix: str) -> dict:
    """The one record whose id starts with `prefix`, found by range on the id index."""
    wanted = check_prefix(prefix)
    rows = index.conn.execute(
        "SELECT offset, length, id FROM articles WHERE id >= ? AND id < ? ORDER BY id",
        (wanted, wanted + "~"))  # '~' sorts after every hex digit
    place = one_match(wanted, {row[2]: Located(*row) for row in rows})
    return next(index.records([place]))


def located_ids(index: Index, ids: list[str]) -> list[Located]:
    """Full ids to places, in the given order; unknown ids are dropped."""
    rows = (index.conn.execute("SELECT offset, length, id FROM articles WHERE id = ?", (i,)).fetchone() for i in ids)
    return [Located(*row) for row in rows if row]


def matching_ids(index: Index, ids: list[str], filters: Filters) -> set[str]:
    """Which of these full ids pass the filters, the query included."""
    sql, params = where(with_aliases(filters, index.aliases))
    found: set[str] = set()
    for start in range(0, len(ids), 500):  # SQLite's limit on host parameters is 32766; stay well below
        chunk = ids[start:start + 500]
        found.update(row[0] for row in index.conn.execute(
            f"SELECT a.id FROM articles a WHERE a.id IN ({', '.join('?' * len(chunk))}) AND {sql}",
            chunk + params))
    return found


def rowids(index: Index, filters: Filters) -> list[int]:
    """The rowids of every article that passes the filters (for drawing a sample)."""
    sql, params = where(with_aliases(filters, index.aliases))
    return [row[0] for row in index.conn.execute(f"SELECT a.rowid FROM articles a WHERE {sql}", params)]


def located_rowids(index: Index, wanted: list[int]) -> list[Located]:
    """These rowids' places, in store order (reads go forward through the file)."""
    found = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        found += index.conn.execute(f"SELECT offset, length, id FROM articles WHERE rowid IN"
                                    f" ({', '.join('?' * len(chunk))})", chunk).fetchall()
    return [Located(*row) for row in sorted(found)]


class Bucket(NamedTuple):
    key: str  # a period ('2025-08', '2025-W33'), a source, a tag or a language; '' = unknown
    count: int


def group(index: Index, by: str, filters: Filters) -> list[Bucket]:
    """Article counts per period (in time order, gaps filled) or per value (most first)."""
    if by not in GROUPINGS:
        raise UsageError(f"cannot group by '{by}': choose one of {', '.join(GROUPINGS)}")
    filters = with_aliases(filters, index.aliases)
    sql, params = where(filters)
    if by == "tag" and filters == Filters():
        query = "SELECT name, n FROM tag_counts ORDER BY 2 DESC, 1"  # the same, without a scan
    elif by == "tag":
        query = (f"SELECT min(t.name), count(*) FROM tags t JOIN articles a ON a.rowid = t.article"
                 f" WHERE {sql} GROUP BY t.key ORDER BY 2 DESC, 1")
    else:
        column = {"source": "min(a.source)", "lang": "a.lang", "day": "substr(a.published, 1, 10)",
                  "month": "substr(a.published, 1, 7)", "year": "substr(a.published, 1, 4)",
                  # the Monday starting the week: ISO weeks, labelled in Python
                  "week": "date(substr(a.published, 1, 10), 'weekday 0', '-6 days')"}[by]
        grouping = "a.source_key" if by == "source" else column
        query = (f"SELECT {column}, count(*) FROM articles a WHERE {sql}"
                 f" GROUP BY {grouping} ORDER BY 2 DESC, 1")
    buckets = [Bucket(key or "", n) for key, n in index.conn.execute(query, params)]
    if by in ("source", "tag") and index.aliases.groups[by]:
        buckets = _aliased(index, by, buckets, sql, params)
    if by == "tag" and index.has_labels:  # your labels count beside the hashtags, marked '+'
        mine = [Bucket("+" + b.key, b.count) for b in label_counts(index, filters)]
        buckets = sorted(buckets + mine, key=lambda b: (-b.count, b.key))
    if by in ("source", "tag", "lang"):
        return buckets
    return _timeline(by, buckets)


def _aliased(index: Index, by: str, buckets: list[Bucket], sql: str, params: list) -> list[Bucket]:
    """One bucket per alias group, under its first name. A source's articles add up; a tag's
    are counted again, since one article may carry two names of the same group."""
    merged: dict[str, int] = {}
    for bucket in buckets:
        names = index.aliases.group(by, bucket.key)
        if names is None:
            merged[bucket.key] = bucket.count
        elif by == "source":
            merged[names[0]] = merged.get(names[0], 0) + bucket.count
        elif names[0] not in merged:
            keys = list(dict.fromkeys(tag_key(n) for n in names))
            merged[names[0]] = index.conn.execute(
                f"SELECT count(DISTINCT t.article) FROM tags t JOIN articles a ON a.rowid = t.article"
                f" WHERE t.key IN ({', '.join('?' * len(keys))}) AND {sql}", keys + params).fetchone()[0]
    return [Bucket(k, n) for k, n in sorted(merged.items(), key=lambda item: (-item[1], item[0]))]


def label_counts(index: Index, filters: Filters) -> list[Bucket]:
    """Your labels with their article counts among the matching articles, most used first."""
    sql, params = where(with_aliases(filters, index.aliases))
    rows = index.conn.execute(
        f"SELECT min(l.name), count(*) FROM labels l JOIN articles a ON a.id = l.id WHERE {sql}"
        f" GROUP BY l.key ORDER BY 2 DESC, 1", params)
    return [Bucket(name, n) for name, n in rows]


def labels_of(index: Index, records: list[dict]) -> list[dict]:
    """The records with their labels added under `labels` (output only: never stored)."""
    found = labels.of(index.conn, [r["id"] for r in records])
    return [{**r, "labels": found.get(r["id"], [])} for r in records]


# Periods with no article are listed with 0 between the first and the last, up to this many
# periods in all (274 years of days); a wider range (one article dated 0001, one 2025) lists only
# the periods that have articles, instead of building millions of empty ones.
MAX_FILLED = 100_000


def _timeline(by: str, buckets: list[Bucket]) -> list[Bucket]:
    counts = {b.key: b.count for b in buckets}
    undated = counts.pop("", 0)
    dated = sorted(counts)
    series: list[Bucket] = []
    if dated:
        first, last = periods.parse_key(by, dated[0]), periods.parse_key(by, dated[-1])
        if periods.how_many(by, first, last) > MAX_FILLED:  # only the periods that have articles
            series = [Bucket(periods.label(by, periods.parse_key(by, key)), counts[key]) for key in dated]
        else:
            for start in periods.starts(by, first, last):
                series.append(Bucket(periods.label(by, start), counts.get(_sql_key(by, start), 0)))
    if undated:
        series.append(Bucket("", undated))
    return series


def _sql_key(by: str, start: date) -> str:
    return {"year": start.isoformat()[:4], "month": start.isoformat()[:7]}.get(by, start.isoformat())


class Summary(NamedTuple):
    articles: int
    first_published: str | None
    last_published: str | None
    last_ingested: str | None
    sources: int
    tags: int
    languages: int


def summary(index: Index, filters: Filters | None = None) -> Summary:
    sql, params = where(with_aliases(filters or Filters(), index.aliases))
    n, first, last, ingested, sources, langs = index.conn.execute(
        f"SELECT count(*), min(a.published), max(a.published), max(a.ingested),"
        f" count(DISTINCT a.source_key), count(DISTINCT nullif(a.lang, '')) FROM articles a WHERE {sql}",
        params).fetchone()
    tags = index.conn.execute(
        "SELECT count(*) FROM tag_counts" if filters in (None, Filters()) else
        f"SELECT count(DISTINCT t.key) FROM tags t JOIN articles a ON a.rowid = t.article WHERE {sql}",
        params).fetchone()[0]
    trim = lambda t: t[:19] if t else None  # noqa: E731  (drop the microseconds sortable_time adds)
    # the index keeps ingest times as UTC without an offset (values.ingested_key): give it back
    return Summary(n, trim(first), trim(last), f"{ingested}+00:00" if ingested else None, sources, tags, langs)


def names(index: Index, kind: str, prefix: str, limit: int = 200) -> Iterator[str]:
    """Tag, label, source or language names starting with `prefix` (folded), most used first: for completion."""
    key = fold(prefix.lstrip("#"))
    if kind == "tag":
        query = "SELECT name FROM tag_counts WHERE key >= ? AND key < ? ORDER BY n DESC, key LIMIT ?"
    elif kind == "label":
        query = ("SELECT min(name) FROM labels WHERE key >= ? AND key < ?"
                 " GROUP BY key ORDER BY count(*) DESC, key LIMIT ?")
    elif kind == "lang":
        query = ("SELECT lang FROM articles WHERE lang >= ? AND lang < ?"
                 " GROUP BY lang ORDER BY count(*) DESC, lang LIMIT ?")
    else:
        query = ("SELECT min(source) FROM articles WHERE source_key >= ? AND source_key < ?"
                 " GROUP BY source_key ORDER BY count(*) DESC, source_key LIMIT ?")
    for (name,) in index.conn.execute(query, (key, key + "\U0010ffff", limit)):
        yield name


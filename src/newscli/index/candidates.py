"""The index's tables for copies: every signature's LSH bands, and the candidate pairs they make.

`bands` holds each signature's BANDS bands by band number and the band's bytes: the articles
sharing a band with one article are a few lookups (`show`). `pairs` holds the pairs banding
the whole archive makes (copies/clusters.py: in each bucket of articles sharing a band, every
member with the bucket's first), with how many of their heads' bins agree, kept when that is
at least STORED_AGREE: `dups` and --collapse over the whole archive read the few thousand pairs
worth a look instead of banding a million signatures (16 passes over a million keys and 1.6
million chance pairs checked one by one in Python: 19 s at 980,037 generated articles).

Both are built after a bulk load, in key order (rows added at random to a 16-million-row B-tree
would make the load crawl), then kept up as rows go in (`add`) and out (`remove`), so that
they always hold what a rebuild would (tests/test_rm_in_place.py compares them).

Appended articles' bands go to a small second table, `bands_new`, merged into `bands` (in key
order) once it holds more than a sixteenth of the articles: 1,000 articles' 16,000 bands put
at random into the big table's 266 MB at 1M touched ~14,000 of its pages (0.33 s to insert,
0.27 s to commit 60 MB of WAL), a query's catch-up of 1,000 hand-appended articles over its
1 s bar. Lookups read both tables; together they hold what a rebuild puts in `bands`.
"""

from __future__ import annotations

import os
import sqlite3

from newscli.copies.clusters import BAND_WIDTH, BANDS, band_keys, head_agreement

STORED_AGREE = 3  # a band (2 bins) and one more; min_similarity from 0.1875 up needs no more
# bands_new is merged into bands when it holds the bands of more than MERGE_MIN_ARTICLES articles
# and of more than 1/MERGE_SHARE of the archive (a merge touches most of bands' pages: at 1M, once every
# ~61,000 appended articles).
MERGE_MIN_ARTICLES = 16_384
MERGE_SHARE = 16
_BAND_NUMBERS = ", ".join(f"({b})" for b in range(BANDS))
_BANDS_TABLE = ("CREATE TABLE {} (band INTEGER NOT NULL, value BLOB NOT NULL, article INTEGER NOT NULL,"
                " PRIMARY KEY (band, value, article)) WITHOUT ROWID")
_TABLES = (
    _BANDS_TABLE.format("bands"),
    _BANDS_TABLE.format("bands_new"),
    "CREATE TABLE pairs (a INTEGER NOT NULL, b INTEGER NOT NULL, agree INTEGER NOT NULL,"
    " PRIMARY KEY (a, b)) WITHOUT ROWID",
    "CREATE INDEX pairs_b ON pairs (b)",
)
TABLES = ("bands", "bands_new", "pairs")
# Every band row, wherever it is kept (a rebuild keeps them all in `bands`).
ALL_BANDS = "(SELECT band, value, article FROM bands UNION ALL SELECT band, value, article FROM bands_new)"
_AGREE = "newscli_head_agreement"


def band_rows(where: str) -> str:
    """The bands table's rows (band, value, article) of the signatures matching `where`
    (over `s`), as a SELECT."""
    return (f"SELECT n.column1 AS band, substr(s.signature, {BAND_WIDTH} * n.column1 + 1, {BAND_WIDTH}) AS value,"
            " s.article AS article"
            f" FROM signatures s, (VALUES {_BAND_NUMBERS}) n WHERE {where}")


def _kept(stars: str) -> str:
    """INSERT of the pairs (a, b) a SELECT gives, with their heads' agreement, if enough."""
    return (f"INSERT OR IGNORE INTO pairs (a, b, agree) SELECT a, b, g FROM (SELECT p.a, p.b,"
            f" {_AGREE}(sa.signature, sb.signature) g FROM ({stars}) p"
            f" JOIN signatures sa ON sa.article = p.a JOIN signatures sb ON sb.article = p.b) WHERE g >= {STORED_AGREE}")


def _functions(conn: sqlite3.Connection) -> None:
    conn.create_function(_AGREE, 2, head_agreement, deterministic=True)


def built(conn: sqlite3.Connection) -> bool:
    marks = ", ".join("?" * len(TABLES))
    return conn.execute(f"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ({marks})",
                        TABLES).fetchone()[0] == len(TABLES)


def build(conn: sqlite3.Connection) -> None:
    """Both tables from every signature, after a bulk load."""
    _functions(conn)
    for table in TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in _TABLES:
        conn.execute(statement)
    conn.execute(f"PRAGMA threads = {min(os.cpu_count() or 1, 8)}")  # sorting on every core: 25 s -> 16 s at 1M
    try:
        conn.execute(f"INSERT INTO bands {band_rows('1')} ORDER BY 1, 2, 3")
    finally:
        conn.execute("PRAGMA threads = 0")
    conn.execute(_kept("SELECT m.first AS a, b.article AS b FROM (SELECT band, value, min(article) AS first"
                       " FROM bands GROUP BY band, value HAVING count(*) > 1) m"
                       " JOIN bands b ON b.band = m.band AND b.value = m.value AND b.article > m.first"))


def _first(band: str, value: str) -> str:
    """SQL: the first (smallest) article holding band `band` with bytes `value`, in either table
    (NULL when none does)."""
    # One subquery, each table sought once (min() over the two ignores the one that has none).
    return (f"(SELECT min(m) FROM (SELECT min(article) AS m FROM bands WHERE band = {band} AND value = {value}"
            f" UNION ALL SELECT min(article) FROM bands_new WHERE band = {band} AND value = {value}))")


def add(conn: sqlite3.Connection, first: int) -> None:
    """The bands and pairs of the signatures from rowid `first` on (rows just added, after
    every older one): each pairs with the first holder of each of its bands."""
    _functions(conn)
    conn.execute(f"INSERT INTO bands_new {band_rows('s.article >= ?')}", (first,))
    conn.execute(_kept(f"SELECT a, b FROM (SELECT {_first('n.band', 'n.value')} AS a, n.article AS b"
                       f" FROM ({band_rows('s.article >= ?')}) n) WHERE a < b"), (first,))
    # Each article has one row of band 0: counting those reads one band's part of the table.
    held = conn.execute("SELECT count(*) FROM bands_new WHERE band = 0").fetchone()[0]
    archive = conn.execute("SELECT max(article) FROM signatures").fetchone()[0] or 0
    if held > max(MERGE_MIN_ARTICLES, archive // MERGE_SHARE):
        merge(conn)


def merge(conn: sqlite3.Connection) -> None:
    """Move bands_new's rows into bands, in key order (a sorted insert touches each page once)."""
    conn.execute("INSERT INTO bands SELECT band, value, article FROM bands_new ORDER BY 1, 2, 3")
    conn.execute("DELETE FROM bands_new")


def remove(conn: sqlite3.Connection, rowid: int, signature: bytes) -> None:
    """Take out an article's bands and pairs; in each bucket it was the first of, the next
    one takes its place and the others pair with that one."""
    _functions(conn)
    conn.execute("DELETE FROM pairs WHERE a = ?", (rowid,))
    conn.execute("DELETE FROM pairs WHERE b = ?", (rowid,))
    for band, value in enumerate(band_keys(signature)):
        for table in ("bands", "bands_new"):
            conn.execute(f"DELETE FROM {table} WHERE band = ? AND value = ? AND article = ?", (band, value, rowid))
        first = conn.execute(f"SELECT {_first('?1', '?2')}", (band, value)).fetchone()[0]
        if first is not None and first > rowid:  # it was this bucket's first
            conn.execute(_kept(f"SELECT ? AS a, article AS b FROM {ALL_BANDS}"
                               " WHERE band = ? AND value = ? AND article > ?"), (first, band, value, first))


def pairs_worth_a_look(conn: sqlite3.Connection, floor: int) -> list[tuple[int, int]]:
    """The whole archive's candidate pairs (rowids) whose heads agree on at least `floor` bins."""
    assert floor >= STORED_AGREE, "pairs agreeing on fewer bins are not kept"
    return conn.execute("SELECT a, b FROM pairs WHERE agree >= ?", (floor,)).fetchall()

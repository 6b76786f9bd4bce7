"""The index's SQLite file: its schema, its settings, connecting to it.

sync.py decides what goes in and when; this module knows how the file is laid out and
opened, so that bookkeeping reads without DDL and pragmas in the way.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from newscli.archive.values import file_matches
from newscli.index import candidates
from newscli.model import Problem

# 2: no tags_article index; 3: no title, lang, ingested index; 4: shorter times; 5: zlib fingerprint;
# 6: tag_counts; 7: state.crc (every indexed byte) and the damage table
# 8: files, ingested as UTC sortable text; 9: signatures (copies); 10: cuts, state.ignored
# 11: signatures over anchored word windows (copies/signature.py); 12: day_counts, bands, pairs (index/candidates.py)
# 13: bands_new (appends' bands, merged into bands in key order)
SCHEMA_VERSION = 13
TOKENIZER = "unicode61 remove_diacritics 2"  # case, accents and Cyrillic folded alike
_CACHE_KIB = 16 << 10  # SQLite page cache (bounded: counts toward the 200 MB peak)
_BUSY_TIMEOUT_S = 120  # another process may be rebuilding a large index

# FTS5 keeps new terms in memory until `hashsize` bytes, then writes them as a segment that
# later merges rewrite; the 1 MiB default makes a million-article index write everything many
# times. 32 MiB and merging 8 segments at a time more than halved the FTS5 load of 100k
# articles (26-28 s to 10-12 s); it costs ~50 MB of memory while indexing (16 MiB: ~13 s,
# ~25 MB). Same index contents, same answers.
AUTOMERGE = 8
FTS_SETTINGS = (("hashsize", 32 << 20), ("automerge", AUTOMERGE))
MERGE_MIN_BYTES = 16 << 20  # below hashsize: a transaction this big has not flushed a segment yet

_TABLES = f"""
CREATE TABLE state (dev INTEGER, ino INTEGER, offset INTEGER, lines INTEGER,
                    mtime_ns INTEGER, fingerprint TEXT, crc INTEGER,
                    ignored INTEGER);  -- lines whose id an earlier line holds (no row)
-- Damaged lines with good ones after them: skipped, and reported by every command (sync.py).
CREATE TABLE damage (line INTEGER PRIMARY KEY, reason TEXT NOT NULL);
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    offset INTEGER NOT NULL,      -- byte offset of the record's line in the store, less cuts.py's
    length INTEGER NOT NULL,      -- bytes in that line, newline included
    published TEXT,               -- values.sortable_time of the wall-clock time, NULL if unreadable
    ingested TEXT,                -- values.ingested_key: UTC, sortable, NULL if unreadable
    file INTEGER,                 -- files.rowid of the record's `file`
    title_key TEXT NOT NULL,      -- values.fold(title), for sorting
    source TEXT NOT NULL,
    source_key TEXT NOT NULL,     -- values.fold(source)
    lang TEXT NOT NULL            -- lowercase, '' when unknown
);
CREATE TABLE tags (key TEXT NOT NULL, article INTEGER NOT NULL, name TEXT NOT NULL,
                   PRIMARY KEY (key, article)) WITHOUT ROWID;
-- Per tag, what `SELECT count(*), min(name) FROM tags GROUP BY key` gives, kept up as rows go in:
-- a million-article archive has 360k entries under its most used tags, too many to count per query.
CREATE TABLE tag_counts (key TEXT PRIMARY KEY, n INTEGER NOT NULL, name TEXT NOT NULL) WITHOUT ROWID;
-- Articles per published day (its first 10 characters, '' when undated), what
-- `SELECT substr(published, 1, 10), count(*) FROM articles GROUP BY 1` gives, kept up as rows go
-- in and out: `trend` of the whole archive reads a few thousand rows instead of a million.
CREATE TABLE day_counts (day TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
-- Lines `rm` cut out of the store: offsets above stay as indexed (index/cuts.py).
CREATE TABLE cuts (start INTEGER PRIMARY KEY, length INTEGER NOT NULL) WITHOUT ROWID;
-- The dumps records came from, each name once: a million rows share a few thousand names.
CREATE TABLE files (rowid INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
-- Each article's near-duplicate signature (copies/signature.py), by articles.rowid (an article
-- without a word has none), read by `dups` and --collapse, which band and compare them.
CREATE TABLE signatures (article INTEGER PRIMARY KEY, signature BLOB NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(title, body, content='', tokenize='{TOKENIZER}');
"""
# Secondary indexes are built after a bulk load: much faster than maintaining them row by row.
# Title and ingest order and --lang have none: they are rare, a scan of the table answers them, and
# the index must stay within 60% of the store's size (issue 6).
_INDEXES = """
CREATE INDEX IF NOT EXISTS articles_published ON articles (published, id);
CREATE INDEX IF NOT EXISTS articles_source ON articles (source_key, published);
"""

INDEX_NAMES = tuple(re.findall(r"EXISTS (\w+) ON", _INDEXES))

def indexes_missing(conn: sqlite3.Connection) -> bool:
    """Whether a bulk load's secondary indexes (or the bands table) are still to be built."""
    marks = ", ".join("?" * len(INDEX_NAMES))
    have = conn.execute(f"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ({marks})",
                        INDEX_NAMES).fetchone()[0]
    return have < len(INDEX_NAMES) or not candidates.built(conn)


def reset(conn: sqlite3.Connection) -> None:
    # An older newscli rebuilding this file leaves tag_counts behind, stale, but sets its own
    # user_version, so the next newer one to open it rebuilds too and starts it afresh here.
    for table in ("state", "articles", "tags", "tag_counts", "day_counts", "files", "signatures", *candidates.TABLES, "cuts", "fts", "damage"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    run_script(conn, _TABLES)
    for name, value in FTS_SETTINGS:
        conn.execute("INSERT INTO fts (fts, rank) VALUES (?, ?)", (name, value))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def create_indexes(conn: sqlite3.Connection) -> None:
    """The secondary indexes, once a bulk load is done; then the pages FTS5's merges freed
    go back to the file system (~7% of the file), to stay within 60% of the store."""
    run_script(conn, _INDEXES)
    if not candidates.built(conn):
        candidates.build(conn)
    # Each step of incremental_vacuum frees one page, and execute() steps a statement once.
    for _ in range(conn.execute("PRAGMA freelist_count").fetchone()[0]):
        conn.execute("PRAGMA incremental_vacuum")


def run_script(conn: sqlite3.Connection, script: str) -> None:
    # Not executescript(): it would commit the transaction we are in the middle of.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)

class MergeShare:
    """Only transactions that index at least MERGE_MIN_BYTES of store lines pay for FTS5's merges.

    FTS5 does some merging after every segment it writes, carrying on with whatever merge
    the last bulk load left half done: at a million articles that made the commit of a
    1,000-line catch-up take 0.3-0.5 s of its 1 s budget (0.12-0.18 s without). A small
    transaction now only adds its segment (FTS5's crisismerge still caps how many pile up);
    a large one turns merging back on before its first segment and merges as it always did.
    """

    def __init__(self) -> None:
        self.added = 0

    def count(self, conn: sqlite3.Connection, nbytes: int) -> None:
        before, self.added = self.added, self.added + nbytes
        if before < MERGE_MIN_BYTES <= self.added:
            _automerge(conn, AUTOMERGE)

    def settle(self, conn: sqlite3.Connection) -> None:
        """Right before COMMIT, which writes the transaction's last segment."""
        if self.added < MERGE_MIN_BYTES:
            _automerge(conn, 0)
        self.added = 0

    def forget(self) -> None:
        """After a rollback, which undid any setting too."""
        self.added = 0


def _automerge(conn: sqlite3.Connection, segments: int) -> None:
    conn.execute("INSERT INTO fts (fts, rank) VALUES ('automerge', ?)", (segments,))


def _own_mode(path: Path, mode: int) -> None:
    """Create the index file with `mode` (SQLite gives its -wal and -shm the same), or take
    away what an existing one allows beyond it: never more readable than the store."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, mode))
        return
    except FileExistsError:
        pass
    except OSError:
        return  # cannot create it here: connecting fails the same way, and says so
    for suffix in ("", "-wal", "-shm"):
        try:
            have = os.stat(f"{path}{suffix}").st_mode & 0o777
            if have & ~mode:
                os.chmod(f"{path}{suffix}", have & mode)
        except OSError:
            continue


def connect(path: Path, sink, mode: int = 0o644) -> sqlite3.Connection:
    """The index file, set up; a damaged one is thrown away first (it is only a cache), and
    one that cannot be opened for writing gives way to a temporary one in memory."""
    for attempt in range(2):
        try:
            return _connect(path, mode)
        except sqlite3.DatabaseError as exc:
            if attempt == 0 and is_damage(exc):
                remove(path)
                sink(Problem(str(path), f"index damaged ({exc}); threw it away and rebuilt it",
                             is_error=False))
                continue
            sink(Problem(str(path), f"cannot write the index ({exc}); answering from a temporary "
                         "one in memory", is_error=False))
            break
    return memory()


def _connect(path: Path, mode: int) -> sqlite3.Connection:
    _own_mode(path, mode)
    conn = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")  # takes effect in a new file only
        # WAL lets readers keep answering from the old state while a writer catches up.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # a lost index write is rebuilt, not lost data
        # Pages are only held as they are used. 16 MiB indexes as fast as 32 MiB once FTS5 keeps
        # 32 MiB of new terms in memory itself (FTS_SETTINGS), and 16 MB less counts
        # toward the 200 MB peak.
        conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
        return _with_functions(conn)
    except BaseException:
        conn.close()
        raise


def reader(path: Path) -> sqlite3.Connection:
    """A second, read-only connection to an index another one has open (and set up)."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S,
                           isolation_level=None)
    conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
    return _with_functions(conn)


def memory() -> sqlite3.Connection:
    return _with_functions(sqlite3.connect(":memory:", isolation_level=None))


def _with_functions(conn: sqlite3.Connection) -> sqlite3.Connection:
    """SQL functions the questions use: `file_matches(glob, name)` is --file's own Python
    test, so SQL and the reference filter cannot disagree on what a glob means."""
    conn.create_function("file_matches", 2, file_matches, deterministic=True)
    return conn


_CORRUPT, _NOTADB = 11, 26  # SQLite's primary result codes for a damaged file


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """The error says the index file is damaged (not locked, full or unwritable)."""
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in (_CORRUPT, _NOTADB)
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def is_memory(conn: sqlite3.Connection) -> bool:
    return conn.execute("PRAGMA database_list").fetchone()[2] == ""


def remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass

"""The search index: a disposable SQLite + FTS5 file derived from the store, kept in step with it.

The JSON-lines store stays the single source of truth. The index holds, per record, the
columns queries filter and sort on, its tags, its full-text entry, and the byte offset and
length of its line, so a query reads only the lines it returns. Deleting the index loses
nothing: the next command rebuilds it.

Staying in step: the index remembers how far into the store it has read (a line boundary),
the store's device/inode and mtime, and a fingerprint of sampled blocks of that prefix.
If the same file only grew, only the new bytes are read; if it was replaced, truncated
or edited, the index is rebuilt from scratch. An in-place edit that keeps the size, is
followed by an append and misses every sampled block goes unnoticed until `reindex`.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from newscli.model import Problem
from newscli.query import fold, published_at, sortable_time, tag_key
from newscli.store import decode_line

SCHEMA_VERSION = 1
INDEX_SUFFIX = ".index.sqlite"
TOKENIZER = "unicode61 remove_diacritics 2"  # case, accents and Cyrillic folded alike
_SAMPLE = 4096
_SAMPLES = 16
_CHUNK = 1 << 20
_BUSY_TIMEOUT_S = 120  # another process may be rebuilding a large index

_TABLES = f"""
CREATE TABLE state (dev INTEGER, ino INTEGER, offset INTEGER, lines INTEGER,
                    mtime_ns INTEGER, fingerprint TEXT);
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    offset INTEGER NOT NULL,      -- byte offset of the record's line in the store
    length INTEGER NOT NULL,      -- bytes in that line, newline included
    published TEXT,               -- query.sortable_time of the wall-clock time, NULL if unreadable
    ingested TEXT,
    title_key TEXT NOT NULL,      -- query.fold(title), for sorting
    source TEXT NOT NULL,
    source_key TEXT NOT NULL,     -- query.fold(source)
    lang TEXT NOT NULL            -- lowercase, '' when unknown
);
CREATE TABLE tags (key TEXT NOT NULL, article INTEGER NOT NULL, name TEXT NOT NULL,
                   PRIMARY KEY (key, article)) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5(title, body, content='', tokenize='{TOKENIZER}');
"""
# Secondary indexes are built after a bulk load: much faster than maintaining them row by row.
_INDEXES = """
CREATE INDEX articles_published ON articles (published, id);
CREATE INDEX articles_ingested ON articles (ingested);
CREATE INDEX articles_title ON articles (title_key);
CREATE INDEX articles_source ON articles (source_key, published);
CREATE INDEX articles_lang ON articles (lang, published);
CREATE INDEX tags_article ON tags (article);
"""


def index_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + INDEX_SUFFIX)


@dataclass(frozen=True)
class Located:
    """Where a record's line is in the store."""

    offset: int
    length: int
    id: str


class Index:
    """An open index plus the store file it describes, read through one descriptor.

    Reading records through the same descriptor the index was synced against means a store
    replaced meanwhile (by `rm`, say) cannot make offsets point into the wrong file.
    """

    def __init__(self, store_path: Path, conn: sqlite3.Connection | None, store_fd: int | None,
                 on_problem: Callable[[Problem], None]) -> None:
        self.store_path, self.conn, self._fd, self._on_problem = store_path, conn, store_fd, on_problem
        self.path = index_path(store_path)
        self.last_sync, self.lines_read = "fresh", 0

    # -- keeping in step ---------------------------------------------------------------

    def sync(self, rebuild: bool = False) -> str:
        """Bring the index up to the store's current content.

        Returns what that took: 'fresh' (nothing), 'append' (only new lines read) or
        'rebuild' (everything read again); `lines_read` says how many lines.
        """
        self.lines_read = 0
        if self._fd is None:
            if self._state() is None:
                with self._writing():
                    _reset(self.conn)
                    _create_indexes(self.conn)
                    self.conn.execute("INSERT INTO state VALUES (0, 0, 0, 0, 0, '')")
            return "fresh"
        info = os.fstat(self._fd)
        if not rebuild and self._fresh(info):
            return "fresh"
        with self._writing():
            if not rebuild and self._fresh(info):  # another process did it while we waited
                return "fresh"
            state = self._state()
            if rebuild or not self._continues(state, info):
                _reset(self.conn)
                self.lines_read = self._read_from(0, 0, info, bulk=True)
                return "rebuild"
            self.lines_read = self._read_from(state["offset"], state["lines"], info, bulk=False)
            return "append"

    def _fresh(self, info: os.stat_result) -> bool:
        state = self._state()
        return (state is not None and self._continues(state, info)
                and info.st_size == state["offset"])

    def _state(self) -> dict | None:
        try:
            row = self.conn.execute(
                "SELECT dev, ino, offset, lines, mtime_ns, fingerprint FROM state").fetchone()
        except sqlite3.OperationalError:
            return None  # no schema yet
        if row is None or self.conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            return None
        return dict(zip(("dev", "ino", "offset", "lines", "mtime_ns", "fingerprint"), row))

    def _continues(self, state: dict | None, info: os.stat_result) -> bool:
        """True when the store is the indexed file, with at most new bytes at its end."""
        if state is None or (state["dev"], state["ino"]) != (info.st_dev, info.st_ino):
            return False
        if info.st_size < state["offset"]:
            return False
        if info.st_size == state["offset"] and info.st_mtime_ns != state["mtime_ns"]:
            return False  # same size but written to: edited in place
        return _fingerprint(self._fd, state["offset"]) == state["fingerprint"]

    def _read_from(self, offset: int, lines: int, info: os.stat_result, bulk: bool) -> int:
        read = 0
        for start, lineno, line in _complete_lines(self._fd, offset, lines):
            offset, lines, read = start + len(line), lineno, read + 1
            try:
                record = decode_line(line)
            except ValueError as exc:
                self._on_problem(Problem(str(self.store_path), f"damaged line not indexed: {exc}",
                                         lineno, is_error=False))
                continue
            _insert(self.conn, record, start, len(line))
        if bulk:
            _create_indexes(self.conn)
        self.conn.execute("DELETE FROM state")
        self.conn.execute("INSERT INTO state VALUES (?, ?, ?, ?, ?, ?)",
                          (info.st_dev, info.st_ino, offset, lines,
                           os.fstat(self._fd).st_mtime_ns, _fingerprint(self._fd, offset)))
        return read

    @contextmanager
    def _writing(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock up front, so two processes never index the same bytes.
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()

    # -- reading records back ----------------------------------------------------------

    def records(self, located: Iterable[Located]) -> Iterator[dict]:
        """The stored records at these places, read straight from the store file."""
        for place in located:
            line = os.pread(self._fd, place.length, place.offset)
            record = decode_line(line)
            if record.get("id") != place.id:  # cannot happen unless the store moved under us
                raise StaleIndexError(self.path)
            yield record

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        if self._fd is not None:
            os.close(self._fd)


class StaleIndexError(RuntimeError):
    pass


def _insert(conn: sqlite3.Connection, record: dict, offset: int, length: int) -> None:
    title, source = str(record.get("title") or ""), str(record.get("source") or "")
    cursor = conn.execute(
        "INSERT OR IGNORE INTO articles (id, offset, length, published, ingested, title_key,"
        " source, source_key, lang) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (record["id"], offset, length, sortable_time(published_at(record)),
         str(record.get("ingested_at") or ""), fold(title), source, fold(source),
         str(record.get("lang") or "").lower()))
    if cursor.rowcount == 0:
        return  # the same id again (appended by hand): the first one stays, as for `show`
    rowid = cursor.lastrowid
    conn.execute("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)",
                 (rowid, title, str(record.get("body") or "")))
    tags = record.get("tags") if isinstance(record.get("tags"), list) else []
    conn.executemany("INSERT OR IGNORE INTO tags (key, article, name) VALUES (?, ?, ?)",
                     [(tag_key(str(t)), rowid, str(t).strip().lstrip("#")) for t in tags])


def _reset(conn: sqlite3.Connection) -> None:
    for table in ("state", "articles", "tags", "fts"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    _run_script(conn, _TABLES)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _create_indexes(conn: sqlite3.Connection) -> None:
    _run_script(conn, _INDEXES)


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # Not executescript(): it would commit the transaction we are in the middle of.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _complete_lines(fd: int, offset: int, lines: int) -> Iterator[tuple[int, int, bytes]]:
    """(start offset, line number, line) for each newline-terminated line from `offset` on."""
    pending = b""
    start = offset
    while True:
        chunk = os.pread(fd, _CHUNK, offset)
        if not chunk:
            return  # a last line without newline is an unfinished write: not ours to read yet
        offset += len(chunk)
        parts = (pending + chunk).split(b"\n")
        pending = parts.pop()
        for part in parts:
            lines += 1
            yield start, lines, part + b"\n"
            start += len(part) + 1


def _fingerprint(fd: int, end: int) -> str:
    """A hash of sampled blocks of the first `end` bytes: spread out, plus the very end."""
    digest = hashlib.sha256(str(end).encode())
    if end > 0:
        step = max(end // _SAMPLES, 1)
        starts = sorted({min(i * step, end - 1) for i in range(_SAMPLES)} | {max(end - _SAMPLE, 0)})
        for start in starts:
            digest.update(os.pread(fd, min(_SAMPLE, end - start), start))
    return digest.hexdigest()


# -- opening -------------------------------------------------------------------------


def open_index(store_path: Path, on_problem: Callable[[Problem], None] | None = None,
               *, rebuild: bool = False) -> Index:
    """The index for `store_path`, brought up to date. Callers close it (or use `session`)."""
    sink = on_problem or (lambda problem: None)
    try:
        fd = os.open(store_path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        fd = None  # a missing store is an empty archive: answer from an empty in-memory index
    index = Index(store_path, _memory() if fd is None else None, fd, sink)
    try:
        try:
            if index.conn is None:
                index.conn = _connect(index.path, sink)
            index.last_sync = index.sync(rebuild=rebuild)
        except sqlite3.DatabaseError as exc:
            if index.conn is not None and _is_memory(index.conn):
                raise
            # A damaged index file is only a cache: throw it away and start again.
            if index.conn is not None:
                index.conn.close()
            _remove(index.path)
            sink(Problem(str(index.path), f"index unreadable ({exc}); rebuilt it", is_error=False))
            index.conn = _connect(index.path, sink)
            index.last_sync = index.sync(rebuild=True)
    except BaseException:
        index.close()
        raise
    return index


@contextmanager
def session(store_path: Path, on_problem=None, *, rebuild: bool = False) -> Iterator[Index]:
    index = open_index(store_path, on_problem, rebuild=rebuild)
    try:
        yield index
    finally:
        index.close()


def _connect(path: Path, sink) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
        # WAL lets readers keep answering from the old state while a writer catches up.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # a lost index write is rebuilt, not lost data
        return conn
    except sqlite3.OperationalError as exc:
        sink(Problem(str(path), f"cannot write the index ({exc}); using a temporary one",
                     is_error=False))
        return _memory()


def _memory() -> sqlite3.Connection:
    return sqlite3.connect(":memory:", isolation_level=None)


def _is_memory(conn: sqlite3.Connection) -> bool:
    return conn.execute("PRAGMA database_list").fetchone()[2] == ""


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass


def refresh(store_path: Path, on_problem: Callable[[Problem], None] | None = None) -> None:
    """Catch the index up after a write, so the next query starts fresh; a failure here only
    costs that query the work, so it is a warning, never a failed write."""
    if not store_path.exists():
        return
    try:
        with session(store_path, on_problem):
            pass
    except (OSError, sqlite3.Error) as exc:
        if on_problem:
            on_problem(Problem(str(index_path(store_path)), f"index not updated ({exc})", is_error=False))

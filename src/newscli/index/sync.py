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

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from newscli.archive.aliases import Aliases, load as load_aliases
from newscli.archive.appends import only_appended
from newscli.archive.family import INDEX_SUFFIX
from newscli.archive.files import open_file, side_mode, writer_active
from newscli.archive.labels import labels_path
from newscli.archive.records import Written, index_values
from newscli.archive.store import damage_problems, decode_line, lock_path
from newscli.index.checksum import crc32, prefix_crc
from newscli.index.cuts import Cuts
from newscli.index.reading import Located, Reading, StaleIndexError  # noqa: F401 - sync.py's names
from newscli.index.recovery import remind_damage, sync_or_recover
from newscli.index.rows import BATCH, Known, complete_lines, fingerprint, insert_many, known_lines
from newscli.index.schema import (
    SCHEMA_VERSION,
    MergeShare,
    connect,
    create_indexes,
    indexes_missing,
    is_damage,
    is_memory,
    memory,
    remove,
    reset,
)
from newscli.errors import IndexDamaged
from newscli.model import Problem



def index_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + INDEX_SUFFIX)


class Index(Reading):
    """An open index plus the store file it describes, read through one descriptor.

    Reading records through the same descriptor the index was synced against means a store
    replaced meanwhile (by `rm`, say) cannot make offsets point into the wrong file.
    """

    def __init__(self, store_path: Path, conn: sqlite3.Connection | None, store_fd: int | None,
                 on_problem: Callable[[Problem], None]) -> None:
        self.store_path, self.conn, self._fd, self._on_problem = store_path, conn, store_fd, on_problem
        self.path = index_path(store_path)
        self.last_sync, self.lines_read = "fresh", 0
        self.defer_indexes = False  # an ingest's bulk load: secondary indexes come at its end
        self._following: tuple[int, int, int] | None = None  # (offset, lines, crc) of an uncommitted `follow`
        self._followed: Written | None = None  # the last append `follow` indexed
        self.reported: set[int] = set()  # damaged lines this process has warned about
        self._merges = MergeShare()
        self.aliases = Aliases()  # the archive's name groups, read when it is opened
        self.has_labels = False  # the archive has a labels log: records come with their labels
        self._ignored = 0  # lines indexed so far whose id an earlier line holds (state.ignored)
        self._cuts: Cuts | None = None  # what rm cut out of the store (cuts.py), read when first needed

    # -- keeping in step ---------------------------------------------------------------

    def sync(self, rebuild: bool = False, written: Iterable[Written] = ()) -> str:
        """Bring the index up to the store's current content.

        Returns what that took: 'fresh' (nothing), 'append' (only new lines read) or
        'rebuild' (everything read again); `lines_read` says how many lines.
        `written`: what this process just appended; a line found byte for byte where it
        was written is indexed from its record instead of being decoded again.
        """
        self.lines_read = 0
        if self._fd is None:
            if self._state() is None:
                with self._writing():
                    reset(self.conn)
                    create_indexes(self.conn)
                    self.conn.execute("INSERT INTO state VALUES (0, 0, 0, 0, 0, '', 0, 0)")
            return "fresh"
        info = os.fstat(self._fd)
        if not rebuild and self._fresh(info) and not self._needs_indexes():
            return "fresh"
        with self._writing():
            if not rebuild and self._fresh(info):  # another process did it while we waited
                if self._needs_indexes():
                    create_indexes(self.conn)  # an ingest deferred them and was stopped
                return "fresh"
            state = self._state()
            known = known_lines(written, info)
            if rebuild or not self._continues(state, info):
                reset(self.conn)
                self._ignored, self._cuts = 0, None
                self.lines_read = self._read_from(0, 0, info, bulk=True, known=known)
                return "rebuild"
            self._ignored = state["ignored"]
            self.lines_read = self._read_from(state["offset"], state["lines"], info, bulk=False,
                                              known=known)
            return "append"

    def _needs_indexes(self) -> bool:
        if self.defer_indexes:
            return False
        return indexes_missing(self.conn)

    def _fresh(self, info: os.stat_result) -> bool:
        state = self._state()
        return (state is not None and info.st_size == state["offset"]
                and self._continues(state, info))

    def _state(self) -> dict | None:
        try:
            row = self.conn.execute(
                "SELECT dev, ino, offset, lines, mtime_ns, fingerprint, crc, ignored FROM state").fetchone()
        except sqlite3.OperationalError:
            return None  # no schema yet
        if row is None or self.conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            return None
        return dict(zip(("dev", "ino", "offset", "lines", "mtime_ns", "fingerprint", "crc", "ignored"), row))

    def _continues(self, state: dict | None, info: os.stat_result) -> bool:
        """True when the store is the indexed file, with at most new bytes at its end.

        Cheap first: the inode, the size, sampled blocks, the modification time. A store
        written to since (its mtime moved) is trusted only if newscli's own appends alone
        moved it (archive/appends.py); anything else (an in-place edit, `cat >>`) has every
        indexed byte checked against the CRC-32 saved with the state.
        """
        if state is None or (state["dev"], state["ino"]) != (info.st_dev, info.st_ino):
            return False
        offset = state["offset"]
        if info.st_size < offset or fingerprint(self._fd, offset) != state["fingerprint"]:
            return False
        if info.st_mtime_ns == state["mtime_ns"]:
            return True  # not written to since
        if info.st_size == offset:
            return False  # same size but written to: edited in place
        if only_appended(lock_path(self.store_path), info.st_ino, offset, state["mtime_ns"],
                         info.st_size, info.st_mtime_ns):
            return True
        return prefix_crc(self._fd, offset) == state["crc"]

    def _read_from(self, offset: int, lines: int, info: os.stat_result, bulk: bool,
                   known: Known) -> int:
        crc = 0 if offset == 0 else self._state()["crc"]
        offset, lines, crc, read = self._index_lines(offset, lines, crc, known, until=info.st_size)
        if bulk and not self.defer_indexes or self._needs_indexes():
            create_indexes(self.conn)  # after a bulk load, or what an ingest deferred
        self._save_state(info, offset, lines, crc, info.st_mtime_ns)  # the time of what was read
        return read

    def _index_lines(self, offset: int, lines: int, crc: int, known: Known,
                     until: int | None = None) -> tuple[int, int, int, int]:
        """Index the complete lines from `offset` on (to the end, or to `until`); (offset, lines,
        CRC-32 of the store up to offset) after the last good one, and how many lines were read."""
        # The saved state stops after the last good line, so a damaged end of file (what a
        # crash leaves) is read and reported again by every query until an ingest moves it
        # aside; damaged lines with good ones after them are reported once, here.
        read, batch, damaged, last_line = 0, [], [], lines
        shift = self.cuts.total  # rows keep offsets as if nothing had been cut (cuts.py)
        rowid = self.conn.execute("SELECT coalesce(max(rowid), 0) + 1 FROM articles").fetchone()[0]
        running = crc
        for start, lineno, line in complete_lines(self._fd, offset, lines, until):
            read, last_line = read + 1, lineno
            running = crc32(line, running)
            hint = known.get(start)
            if hint is not None and hint[0] == line:
                values, ingested = hint[1], hint[2]  # what decoding the line would give
            else:
                try:
                    record = decode_line(line)
                except ValueError as exc:
                    damaged.append((lineno, str(exc)))
                    continue
                values, ingested = index_values(record), record.get("ingested_at")
            offset, lines, crc = start + len(line), lineno, running
            batch.append((values, ingested, start + shift, len(line)))
            if len(batch) >= BATCH:
                rowid = self._insert(batch, rowid)
                batch = []
        self._insert(batch, rowid)
        for problem in damage_problems(self.store_path, damaged, last_line, self._torn()):
            self._on_problem(problem)
        inside = [(n, reason) for n, reason in damaged if n < lines]  # a good line after them
        self.conn.executemany("INSERT OR REPLACE INTO damage VALUES (?, ?)", inside)
        self.reported.update(n for n, _ in damaged)
        return offset, lines, crc, read

    def _insert(self, batch: list, rowid: int) -> int:
        self._merges.count(self.conn, sum(row[3] for row in batch))
        rowid, ignored = insert_many(self.conn, batch, rowid)
        self._ignored += ignored
        return rowid

    def _save_state(self, info: os.stat_result, offset: int, lines: int, crc: int, mtime_ns: int) -> None:
        """`mtime_ns`: the store's modification time when the bytes up to `offset` were all there
        was (appends.py chains from it)."""
        self.conn.execute("DELETE FROM state")
        self.conn.execute("INSERT INTO state VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          (info.st_dev, info.st_ino, offset, lines, mtime_ns,
                           fingerprint(self._fd, offset), crc, self._ignored))

    # -- following an ingest -----------------------------------------------------------

    def follow(self, written: Written) -> None:
        """Index what this process just appended (and anything else new), uncommitted.

        The transaction stays open across calls until `save`: FTS5 writes its segments at
        every commit, and a commit per append made an ingest's indexing ~1.7x slower.
        Until then other writers wait and readers see the last saved state.
        """
        info = os.fstat(self._fd)
        if self._following is None:
            self.conn.execute("BEGIN IMMEDIATE")
            state = self._state()
            if not self._continues(state, info):  # replaced or edited since: start again
                self.conn.rollback()
                self.sync(written=[written])
                return
            self._following = (state["offset"], state["lines"], state["crc"])
            self._ignored = state["ignored"]
        try:
            # Only up to the end of this append: the ingest may have written the next ones by now,
            # and they come with their values too; anything else is read at the next step or sync.
            known = known_lines([written], info)
            until = written.start + written.size if known else None
            self._following = self._index_lines(*self._following, known, until)[:3]
            self._followed = written
        except BaseException:
            self._following = None
            self._rollback()
            raise

    def save(self) -> None:
        """Commit what `follow` indexed, with the state that says how far into the store."""
        if self._following is None:
            return
        (offset, lines, crc), self._following = self._following, None
        info, last = os.fstat(self._fd), self._followed
        mtime = last.mtime_ns if last and offset == last.start + last.size else info.st_mtime_ns
        try:
            self._save_state(info, offset, lines, crc, mtime)
            self._merges.settle(self.conn)
        except BaseException:
            self._rollback()
            raise
        self.conn.commit()

    def _torn(self) -> bool:
        """The store ends without a newline and no ingest is writing: a write was cut off."""
        size = os.fstat(self._fd).st_size
        return (size > 0 and os.pread(self._fd, 1, size - 1) != b"\n"
                and not writer_active(lock_path(self.store_path)))

    @contextmanager
    def _writing(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock up front, so two processes never index the same bytes.
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._merges.settle(self.conn)
        except BaseException:
            self._rollback()
            raise
        self.conn.commit()

    def _rollback(self) -> None:
        self._merges.forget()
        self.conn.rollback()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        if self._fd is not None:
            os.close(self._fd)
        self._fd = None  # closing twice (a damaged index's session) is harmless


# -- opening -------------------------------------------------------------------------


def open_index(store_path: Path, on_problem: Callable[[Problem], None] | None = None,
               *, rebuild: bool = False, defer_indexes: bool = False,
               written: Iterable[Written] = ()) -> Index:
    """The index for `store_path`, brought up to date. Callers close it (or use `session`).

    `defer_indexes`: a rebuild leaves out the secondary indexes (an ingest is about to add
    much more); the next plain open creates them.
    """
    sink = on_problem or (lambda problem: None)
    try:
        fd = open_file(store_path, os.O_RDONLY)  # refuses a symlink, a FIFO, a directory
    except FileNotFoundError:
        fd = None  # a missing store is an empty archive: answer from an empty in-memory index
    index = Index(store_path, memory() if fd is None else None, fd, sink)
    index.defer_indexes = defer_indexes and fd is not None
    try:
        if index.conn is None:
            index.conn = connect(index.path, sink, side_mode(store_path) | 0o200)
        sync_or_recover(index, sink, rebuild, written)
        remind_damage(index, sink)
        index.aliases = load_aliases(store_path)
        index.has_labels = labels_path(store_path).exists()
    except BaseException:
        index.close()
        raise
    return index


@contextmanager
def session(store_path: Path, on_problem=None, *, rebuild: bool = False) -> Iterator[Index]:
    index = open_index(store_path, on_problem, rebuild=rebuild)
    try:
        yield index
    except sqlite3.DatabaseError as exc:
        if index.conn is None or is_memory(index.conn) or not is_damage(exc):
            raise
        index.close()
        remove(index.path)
        (on_problem or (lambda problem: None))(Problem(
            str(index.path), f"index damaged ({exc}); threw it away and rebuilt it", is_error=False))
        raise IndexDamaged(f"{index.path}: the index was damaged and has been thrown away; "
                           "run the command again") from None
    finally:
        index.close()


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

"""The JSON-lines archive: one article per line, appended under a lock, never half-written.

The file is the single source of truth and stays readable by jq, DuckDB or Spark.
Every write either lands whole or leaves the file byte-identical to before. What a crash
can leave behind (a damaged or incomplete end of file) is skipped by readers with one
warning and moved aside, never deleted, by the next write.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

# DIR_MODE and FILE_MODE are re-exported: they were public here before files.py existed.
from newscli.archive.files import (
    DIR_MODE,
    FILE_MODE,
    count_lines,
    refuse_unusable,
    shared_lock,
    side_mode,
    fsync_dir,
    locked,
    open_file,
    read_range,
    signals_deferred,
    unlink_quietly,
    write_all_or_nothing,
    write_failure,
    write_new_file,
    writer_active,
)
from newscli.archive import appends
from newscli.archive.family import LOCK_SUFFIX, TORN_SUFFIX, remove_files, temp_files
from newscli.archive.ids import IdSet
from newscli.archive.lines import damage_problems, decode_line, iter_lines, numbered_lines, schema_problem
from newscli.archive.records import Prepared, Written, encode_record, prepare, stamped_line
from newscli.archive.sametext import Replacements, SameText, Swap
from newscli.errors import StoreError, WriteError
from newscli.model import Article, Problem

__all__ = ["DIR_MODE", "FILE_MODE", "AppendResult", "Store", "Written",
           "damage_problems", "decode_line", "encode_record", "iter_lines", "lock_path", "schema_problem"]

ProblemSink = Callable[[Problem], None]


def lock_path(store_path: Path) -> Path:
    """The side file appends lock; a separate file, so replacing the store keeps the lock."""
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + LOCK_SUFFIX)


@dataclass
class AppendResult:
    added: list[Article | Prepared] = field(default_factory=list)  # as they were given
    duplicates: list[Article | Prepared] = field(default_factory=list)
    # A stored text under another timestamp (sametext.py), with the stored reading's record:
    same_text: list[tuple[Article | Prepared, dict]] = field(default_factory=list)  # kept out
    replacing: list[tuple[Article | Prepared, dict]] = field(default_factory=list)  # --replace
    written: Written | None = None


@dataclass
class _Scan:
    """How far this process has read the store for ids, so each append reads only new bytes."""

    inode: int = -1
    offset: int = 0  # end of the last complete line read
    valid_end: int = 0  # end of the last line that held a valid record


class Store:
    """A JSON-lines archive at `path`; a missing file is an empty archive. `replace`: an
    article stored under another timestamp only is replaced by the new reading."""

    def __init__(self, path: Path, on_problem: ProblemSink | None = None, replace: bool = False) -> None:
        self.path = Path(path)
        self.lock_path = lock_path(self.path)
        self._on_problem = on_problem or (lambda problem: None)
        self._known_ids = IdSet()  # compact: a million ids must fit in a 200 MB ingest
        self._texts, self._waiting = SameText(), Replacements(self.path.parent) if replace else None
        self._scan = _Scan()
        self._holding = self._swept = self._created = False
        self._lock_fd: int | None = None
        self._run: list[tuple[int, int, int, int]] = []  # (inode, start, end, records) per append

    # -- the lock ----------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The store lock, once per process however deep the calls (flock would deadlock on a
        second open of the lock file). A store path that is not a regular file is refused
        before the lock file is made; the first time, the temp files a killed rewrite left
        are removed (nobody else can be writing them while we hold the lock)."""
        if self._holding:
            yield
            return
        refuse_unusable(self.path)
        with locked(self.lock_path, side_mode(self.path) | 0o200) as lock_fd:
            self._holding, self._lock_fd = True, lock_fd
            try:
                if not self._swept:
                    self._swept = True
                    for gone, size in remove_files(temp_files(self.path)):
                        self._on_problem(Problem(str(gone), f"removed a temp file ({size} bytes) that an "
                                                 "interrupted rm or check --repair left behind", is_error=False))
                yield
            finally:
                self._holding, self._lock_fd = False, None

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock across several steps (rm: select, ask, rewrite), once the store is
        known to be writable: what is asked about is what gets removed, and a store that
        cannot be written is refused before any question."""
        with self._locked():
            try:
                os.close(open_file(self.path, os.O_RDWR))
            except FileNotFoundError:
                pass
            yield

    # -- reading -----------------------------------------------------------------------

    def records(self) -> Iterator[dict]:
        """Every valid record in file order; what was skipped is reported once, at the end."""
        try:
            fd = open_file(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return
        damaged: list[tuple[int, str]] = []
        complete, torn = 0, False
        try:
            for _, line in iter_lines(fd):
                if not line.endswith(b"\n"):
                    torn = True
                    break
                complete += 1
                try:
                    yield decode_line(line)
                except ValueError as exc:
                    damaged.append((complete, str(exc)))
        finally:
            os.close(fd)
        if torn and writer_active(self.lock_path):
            torn = False  # not torn: another ingest is writing that line right now
        for problem in damage_problems(self.path, damaged, complete, torn):
            self._on_problem(problem)

    def lines(self) -> Iterator[tuple[int, int, bytes]]:
        """(line number, offset, exact bytes) of every line, damaged or not: for `check`."""
        return numbered_lines(self.path)

    @contextmanager
    def snapshot(self) -> Iterator[tuple[int | None, int]]:
        """An open descriptor on the store and its size, taken while no write is in flight:
        the bytes up to that size stay as they are for as long as the descriptor is open
        (appends only add after them, a rewrite makes a new file). (None, 0): no store."""
        with shared_lock(self.lock_path):
            try:
                fd = open_file(self.path, os.O_RDONLY)
            except FileNotFoundError:
                fd = None
            end = os.fstat(fd).st_size if fd is not None else 0
        try:
            yield fd, end
        finally:
            if fd is not None:
                os.close(fd)

    # -- appending ---------------------------------------------------------------------

    def append(self, articles: Sequence[Article | Prepared], stamp: str | None = None) -> AppendResult:
        """Add the articles not stored yet, as one write under the store lock, each stamped
        (ingested_at) with `stamp`, an ingest run's (batches.py), or the time of this write."""
        result = AppendResult()
        with self._locked():
            fd, created = self._open_for_append()
            try:
                self._catch_up(fd)
                self._set_tail_aside(fd)
                stamp = stamp or datetime.now(timezone.utc).isoformat(timespec="seconds")
                lines, values, new_ids, new_texts, kept = [], [], set(), {}, []
                for article in articles:
                    if article.id in self._known_ids or article.id in new_ids:
                        result.duplicates.append(article)
                        continue
                    ready = article if isinstance(article, Prepared) else prepare(article)
                    if self._same_text(fd, article, ready, new_texts, result):
                        continue
                    new_ids.add(article.id)
                    lines.append(stamped_line(ready.head, stamp))
                    values.append(ready.values)
                    kept.append(ready)
                    result.added.append(article)
                if lines:
                    result.written = self._write(fd, lines, values, stamp, created)
                    self._known_ids.update(new_ids)  # only once written: a failed write adds none
                    self._texts.written(kept, lines, result.written.start)
            finally:
                os.close(fd)
        return result

    def _same_text(self, fd: int, article, ready: Prepared, batch: dict, result: AppendResult) -> bool:
        """Whether `ready`'s text is stored (or in `batch`) under another timestamp: kept out."""
        earlier = self._texts.earlier(fd, ready, batch)
        if earlier is None:
            return False
        repeats = self._waiting.take(earlier, ready, self._scan.inode, self._run) if self._waiting else earlier.record
        if repeats is None:
            self._known_ids.add(ready.id)
            result.replacing.append((article, earlier.record))
        else:
            result.same_text.append((article, repeats))
        return True

    def apply_replacements(self) -> list[Swap]:
        """Put the new readings --replace queued where their old ones are (see sametext.py)."""
        done = self._waiting.apply(self.path, self._locked) if self._waiting is not None else []
        self._scan = _Scan() if done else self._scan  # the file was replaced: read it again
        return done

    def _open_for_append(self) -> tuple[int, bool]:
        flags = os.O_RDWR | os.O_APPEND
        try:
            fd = open_file(self.path, flags | os.O_CREAT | os.O_EXCL, create_parent=True)
            self._created = not self._run
            return fd, True
        except FileExistsError:
            return open_file(self.path, flags), False

    def _write(self, fd: int, lines: list[bytes], values: list, stamp: str, created: bool) -> Written:
        before = os.fstat(fd)
        start = before.st_size
        try:
            write_all_or_nothing(fd, b"".join(lines), start)
            if created:
                fsync_dir(self.path.parent)
        except BaseException as exc:
            if created:
                unlink_quietly(self.path)  # we hold the lock: nobody else has seen it
            if isinstance(exc, OSError):
                raise WriteError(self.path, exc) from None
            raise
        end = os.fstat(fd)
        self._scan = _Scan(end.st_ino, end.st_size, end.st_size)
        self._run.append((end.st_ino, start, end.st_size, len(lines)))
        appends.record(self._lock_fd, appends.Append(end.st_ino, start, end.st_size,
                                                     before.st_mtime_ns, end.st_mtime_ns))
        return Written(end.st_dev, end.st_ino, start, lines, values, stamp, end.st_mtime_ns)

    def take_back(self) -> int | None:
        """Undo every append this Store made (a run that failed half way), if nothing was
        written after them: cut the file back to where the first one started (fsynced;
        a file the run created is removed). How many records went, or None if another
        process wrote after them and they stay."""
        if not self._run:
            return 0
        with self._locked():
            try:
                fd = open_file(self.path, os.O_RDWR)
            except FileNotFoundError:
                return None
            try:
                info = os.fstat(fd)
                ends = [start for _, start, _, _ in self._run[1:]] + [info.st_size]
                if any(ino != info.st_ino or end != ends[i] for i, (ino, _, end, _) in enumerate(self._run)):
                    return None
                start = self._run[0][1]
                with signals_deferred():
                    if start == 0 and self._created:
                        os.unlink(self.path)
                        fsync_dir(self.path.parent)
                    else:
                        os.ftruncate(fd, start)
                        os.fsync(fd)
            finally:
                os.close(fd)
        taken, self._run = sum(n for *_, n in self._run), []
        self._known_ids.clear()
        self._texts.clear()
        self._scan = _Scan()
        return taken

    def _catch_up(self, fd: int) -> None:
        """Learn the ids written since we last looked, by us or by any other process."""
        info = os.fstat(fd)
        scan = self._scan
        if scan.inode != info.st_ino or scan.offset > info.st_size:
            self._known_ids.clear()
            self._texts.clear()
            scan = _Scan(info.st_ino)
        for offset, line in iter_lines(fd, scan.offset):
            if not line.endswith(b"\n"):
                break
            scan.offset = offset + len(line)
            try:
                record = decode_line(line)
            except ValueError:
                continue  # damaged lines are reported by readers, not by every write
            self._known_ids.add(record["id"])
            self._texts.stored(record, offset)
            scan.valid_end = scan.offset
        self._scan = scan

    def _set_tail_aside(self, fd: int) -> None:
        """Bytes after the last valid record (a killed write, power-loss garbage) go to a file
        beside the store, so appending continues from a clean line boundary and nothing is lost."""
        size = os.fstat(fd).st_size
        keep = self._scan.valid_end
        if keep >= size:
            return
        tail = read_range(fd, keep, size)
        if keep == 0 and b"\n" in tail:
            raise StoreError(f"{self.path}: no line in it is a newscli record; refusing to write "
                             "to it (wrong file? `newscli check` says more)")
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}{TORN_SUFFIX}{stamp}-{os.getpid()}")
        with signals_deferred():
            try:
                write_new_file(aside, tail, side_mode(self.path))
                os.ftruncate(fd, keep)
                os.fsync(fd)
            except OSError as exc:
                raise StoreError(write_failure(self.path, exc)) from None
        line = count_lines(fd, keep) + 1
        self._scan.offset = keep
        what = ("a damaged end of file" if b"\n" in tail.rstrip(b"\n") or tail.endswith(b"\n")
                else "an incomplete last line")
        self._on_problem(Problem(
            str(self.path), f"moved {what} ({len(tail)} bytes) aside to {aside.name}", line,
            is_error=False))

    # -- rewriting (rewrite.py) -----------------------------------------------------------

    def rewrite(self, keep: Callable[[dict], bool]) -> list[dict]:
        """Drop the records `keep` refuses, atomically (temp file + rename); damaged lines stay."""
        from newscli.archive.rewrite import rewrite

        with self._locked():
            removed = rewrite(self.path, keep)
        self._scan = _Scan()
        return removed

    def set_aside(self, choose: Callable[[Iterator[tuple[int, int, bytes]]], set[int]]) -> tuple[Path | None, int]:
        """Move the lines `choose` picks (by line number) into a side file, exact bytes, then
        rewrite the store without them; under the lock, so no concurrent append is lost.
        Returns the side file and how many lines went there (None, 0 when nothing did)."""
        from newscli.archive.rewrite import set_aside

        with self._locked():
            found = set_aside(self.path, choose)
        self._scan = _Scan()
        return found


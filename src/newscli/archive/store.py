"""The JSON-lines archive: one article per line, appended under a lock, never half-written.

The file is the single source of truth and stays readable by jq, DuckDB or Spark.
Every write either lands whole or leaves the file byte-identical to before. What a crash
can leave behind (a damaged or incomplete end of file) is skipped by readers with one
warning and moved aside, never deleted, by the next write.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

# DIR_MODE and FILE_MODE are re-exported: they were public here before files.py existed.
from newscli.archive.files import (
    DIR_MODE,
    FILE_MODE,
    count_lines,
    fsync_dir,
    locked,
    open_file,
    read_range,
    replace_with,
    signals_deferred,
    unlink_quietly,
    write_all_or_nothing,
    write_failure,
    write_new_file,
    writer_active,
)
from newscli.archive.ids import IdSet
from newscli.archive.records import Prepared, Written, encode_record, prepare, stamped_line
from newscli.errors import StoreError
from newscli.model import Article, Problem

__all__ = ["DIR_MODE", "FILE_MODE", "AppendResult", "Store", "Written", "append_in_batches",
           "damage_problems", "decode_line", "encode_record", "iter_lines", "lock_path", "schema_problem"]

ProblemSink = Callable[[Problem], None]

_REQUIRED_TEXT = ("id", "title", "source", "published", "body")
_OPTIONAL_TEXT = ("lang", "source_label", "raw", "file", "ingested_at")
_LINE_NUMBERS = ("first_line", "last_line")
TORN_SUFFIX = ".torn-"


def lock_path(store_path: Path) -> Path:
    """The side file appends lock; a separate file, so replacing the store keeps the lock."""
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + ".lock")


def decode_line(line: bytes) -> dict:
    """One stored line to a record, or ValueError naming what is wrong with it.

    Strict UTF-8 first: json.loads(bytes) would guess UTF-16 for lines full of NUL bytes.
    Any bytes at all end in a record or a ValueError, never another exception.
    """
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("not valid UTF-8") from None
    try:
        record = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: '[[[[…' nested too deep
        raise ValueError(f"not valid JSON ({exc.__class__.__name__})") from None
    problem = schema_problem(record)
    if problem:
        raise ValueError(problem)
    return record


def schema_problem(record: object) -> str | None:
    """Why a parsed value is not an article record, or None. Types are checked so no reader
    downstream ever meets a number where it expects text."""
    if not isinstance(record, dict):
        return "not an article record (not a JSON object)"
    for key in _REQUIRED_TEXT:
        if not isinstance(record.get(key), str):
            return f"not an article record (no text '{key}')"
    for key in _OPTIONAL_TEXT:
        if record.get(key) is not None and not isinstance(record[key], str):
            return f"not an article record ('{key}' is not text)"
    for key in _LINE_NUMBERS:
        value = record.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            return f"not an article record ('{key}' is not a number)"
    tags = record.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return "not an article record ('tags' is not a list of text)"
    return None


def iter_lines(fd: int, start: int = 0) -> Iterator[tuple[int, bytes]]:
    """(offset, line) for every line from `start`; the last one may lack its newline."""
    with os.fdopen(os.dup(fd), "rb") as handle:
        handle.seek(start)
        offset = start
        for line in handle:
            yield offset, line
            offset += len(line)


def damage_problems(path: Path | str, damaged: Sequence[tuple[int, str]], complete_lines: int,
                    torn: bool) -> list[Problem]:
    """Warnings for what a reader skipped: one per damaged line inside the file, and one for
    the whole damaged end (damaged lines after the last good record, an incomplete last line),
    because that end is what a crash leaves and what the next write moves aside."""
    tail: list[tuple[int, str]] = []
    inside = list(damaged)
    expected = complete_lines
    while inside and inside[-1][0] == expected:
        tail.insert(0, inside.pop())
        expected -= 1
    problems = [Problem(str(path), f"damaged line skipped: {reason}", line, is_error=False)
                for line, reason in inside]
    if tail:
        extra = " and an incomplete last line" if torn else ""
        count = f"{len(tail)} line{'s' if len(tail) != 1 else ''}{extra}"
        problems.append(Problem(
            str(path), f"damaged end of file ({count}: {tail[0][1]}); skipped, "
            "the next ingest moves it aside", tail[0][0], is_error=False))
    elif torn:
        problems.append(Problem(
            str(path), "incomplete last line (an interrupted write); skipped, "
            "the next ingest moves it aside", complete_lines + 1, is_error=False))
    return problems


@dataclass
class AppendResult:
    added: list[Article | Prepared] = field(default_factory=list)  # as they were given
    duplicates: list[Article | Prepared] = field(default_factory=list)
    written: Written | None = None


@dataclass
class _Scan:
    """How far this process has read the store for ids, so each append reads only new bytes."""

    inode: int = -1
    offset: int = 0  # end of the last complete line read
    valid_end: int = 0  # end of the last line that held a valid record


class Store:
    """A JSON-lines archive at `path`; a missing file is an empty archive."""

    def __init__(self, path: Path, on_problem: ProblemSink | None = None) -> None:
        self.path = Path(path)
        self.lock_path = lock_path(self.path)
        self._on_problem = on_problem or (lambda problem: None)
        self._known_ids = IdSet()  # compact: a million ids must fit in a 200 MB ingest
        self._scan = _Scan()

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
        try:
            fd = open_file(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return
        try:
            for lineno, (offset, line) in enumerate(iter_lines(fd), 1):
                yield lineno, offset, line
        finally:
            os.close(fd)

    # -- appending ---------------------------------------------------------------------

    def append(self, articles: Sequence[Article | Prepared]) -> AppendResult:
        """Add the articles not stored yet, as one write under the store lock, each stamped
        with the time of this write (ingested_at)."""
        result = AppendResult()
        with locked(self.lock_path):
            fd, created = self._open_for_append()
            try:
                self._catch_up(fd)
                self._set_tail_aside(fd)
                stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
                lines, values, new_ids = [], [], set()
                for article in articles:
                    if article.id in self._known_ids or article.id in new_ids:
                        result.duplicates.append(article)
                        continue
                    new_ids.add(article.id)
                    ready = article if isinstance(article, Prepared) else prepare(article)
                    lines.append(stamped_line(ready.head, stamp))
                    values.append(ready.values)
                    result.added.append(article)
                if lines:
                    result.written = self._write(fd, lines, values, stamp, created)
                    self._known_ids.update(new_ids)  # only once written: a failed write adds none
            finally:
                os.close(fd)
        return result

    def _open_for_append(self) -> tuple[int, bool]:
        flags = os.O_RDWR | os.O_APPEND
        try:
            return open_file(self.path, flags | os.O_CREAT | os.O_EXCL, create_parent=True), True
        except FileExistsError:
            return open_file(self.path, flags), False

    def _write(self, fd: int, lines: list[bytes], values: list, stamp: str, created: bool) -> Written:
        start = os.fstat(fd).st_size
        try:
            write_all_or_nothing(fd, b"".join(lines), start)
            if created:
                fsync_dir(self.path.parent)
        except BaseException as exc:
            if created:
                unlink_quietly(self.path)  # we hold the lock: nobody else has seen it
            if isinstance(exc, OSError):
                raise StoreError(write_failure(self.path, exc)) from None
            raise
        end = os.fstat(fd)
        self._scan = _Scan(end.st_ino, end.st_size, end.st_size)
        return Written(end.st_dev, end.st_ino, start, lines, values, stamp)

    def _catch_up(self, fd: int) -> None:
        """Learn the ids written since we last looked, by us or by any other process."""
        info = os.fstat(fd)
        scan = self._scan
        if scan.inode != info.st_ino or scan.offset > info.st_size:
            self._known_ids.clear()
            scan = _Scan(info.st_ino)
        for offset, line in iter_lines(fd, scan.offset):
            if not line.endswith(b"\n"):
                break
            scan.offset = offset + len(line)
            try:
                self._known_ids.add(decode_line(line)["id"])
            except ValueError:
                continue  # damaged lines are reported by readers, not by every write
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
                write_new_file(aside, tail)
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

    # -- rewriting ---------------------------------------------------------------------

    def rewrite(self, keep: Callable[[dict], bool]) -> list[dict]:
        """Drop the records `keep` refuses, atomically (temp file + rename); damaged lines stay."""
        removed: list[dict] = []

        def kept_lines(fd: int) -> Iterator[bytes]:
            for _, line in iter_lines(fd):
                try:
                    record = decode_line(line)
                except ValueError:
                    record = None
                if record is not None and line.endswith(b"\n") and not keep(record):
                    removed.append(record)
                else:
                    yield line

        with locked(self.lock_path):
            self._replace(kept_lines)
        return removed

    def set_aside(self, choose: Callable[[Iterator[tuple[int, int, bytes]]], set[int]]) -> tuple[Path | None, int]:
        """Move the lines `choose` picks (by line number) into a side file, exact bytes, then
        rewrite the store without them; under the lock, so no concurrent append is lost.

        Returns the side file and how many lines went there (None, 0 when nothing did).
        """
        with locked(self.lock_path):
            bad = choose(self.lines())
            if not bad:
                return None, 0
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            aside = self.path.with_name(f"{self.path.name}.bad-{stamp}-{os.getpid()}")
            moved = b"".join(line for n, _, line in self.lines() if n in bad)
            try:
                write_new_file(aside, moved)
            except OSError as exc:
                raise StoreError(write_failure(self.path, exc)) from None

            def good_lines(fd: int) -> Iterator[bytes]:
                for n, (_, line) in enumerate(iter_lines(fd), 1):
                    if n not in bad:
                        yield line

            try:
                self._replace(good_lines)
            except BaseException:
                unlink_quietly(aside)  # the store is unchanged, so the copies are not needed
                raise
        return aside, len(bad)

    def _replace(self, lines: Callable[[int], Iterator[bytes]]) -> None:
        try:
            fd = open_file(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return
        try:
            mode = os.fstat(fd).st_mode & 0o777
            replace_with(self.path, lines(fd), mode)
        except OSError as exc:
            raise StoreError(write_failure(self.path, exc)) from None
        finally:
            os.close(fd)
        self._scan = _Scan()


def append_in_batches(store: Store, articles: Iterable[Article], size: int = 500) -> Iterator[AppendResult]:
    """Keep memory flat on huge inputs: one locked append per batch."""
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield store.append(batch)
            batch = []
    if batch:
        yield store.append(batch)

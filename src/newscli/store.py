"""The JSON-lines archive: one article per line, appended under a lock, never half-written.

The file is the single source of truth and stays readable by jq, DuckDB or Spark.
Every write either lands whole or leaves the file byte-identical to before.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from newscli.errors import StoreError
from newscli.model import Article, Problem

FILE_MODE = 0o644  # passed through the umask, like git: never group- or world-writable
DIR_MODE = 0o755
_READ_CHUNK = 1 << 20

ProblemSink = Callable[[Problem], None]


def encode_record(record: dict) -> bytes:
    # Compact separators keep the file small; ensure_ascii=False keeps it readable in any language.
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def decode_line(line: bytes) -> dict:
    """One stored line to a record, or ValueError naming what is wrong with it."""
    try:
        record = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not valid JSON ({exc.__class__.__name__})") from None
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        raise ValueError("not an article record (no string 'id')")
    return record


@dataclass
class AppendResult:
    added: list[Article] = field(default_factory=list)
    duplicates: list[Article] = field(default_factory=list)


class Store:
    """A JSON-lines archive at `path`; a missing file is an empty archive."""

    def __init__(self, path: Path, on_problem: ProblemSink | None = None) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._on_problem = on_problem or (lambda problem: None)
        self._known_ids: set[str] = set()
        self._scanned: tuple[int, int] = (-1, 0)  # (inode, byte offset) already read for ids

    # -- reading -----------------------------------------------------------------------

    def records(self) -> Iterator[dict]:
        """Every valid record in file order; damaged lines are reported once and skipped."""
        for _, line in self._lines():
            yield line

    def _lines(self) -> Iterator[tuple[int, dict]]:
        try:
            handle = os.fdopen(_open(self.path, os.O_RDONLY), "rb")
        except FileNotFoundError:
            return
        with handle:
            for lineno, line in enumerate(handle, 1):
                if not line.endswith(b"\n"):
                    self._report(lineno, "incomplete last line (an interrupted write); "
                                 "skipped, the next ingest moves it aside")
                    return
                try:
                    yield lineno, decode_line(line)
                except ValueError as exc:
                    self._report(lineno, f"damaged line skipped: {exc}")

    def _report(self, lineno: int, reason: str) -> None:
        self._on_problem(Problem(str(self.path), reason, lineno, is_error=False))

    # -- appending ---------------------------------------------------------------------

    def append(self, articles: Sequence[Article]) -> AppendResult:
        """Add the articles not stored yet, as one write under the store lock."""
        result = AppendResult()
        with self._locked():
            fd = _open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, create_parent=True)
            try:
                self._set_torn_tail_aside(fd)
                self._catch_up_ids(fd)
                stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
                chunks = []
                for article in articles:
                    if article.id in self._known_ids:
                        result.duplicates.append(article)
                        continue
                    self._known_ids.add(article.id)
                    stored = article.with_ingested_at(stamp)
                    chunks.append(encode_record(stored.to_record()))
                    result.added.append(stored)
                if chunks:
                    start = os.fstat(fd).st_size
                    try:
                        _write_all_or_nothing(fd, b"".join(chunks), start)
                    except BaseException as exc:
                        self._known_ids.difference_update(a.id for a in result.added)
                        if isinstance(exc, OSError):
                            raise StoreError(_write_failure(self.path, exc)) from None
                        raise
                    self._scanned = (os.fstat(fd).st_ino, os.fstat(fd).st_size)
            finally:
                os.close(fd)
        return result

    def _catch_up_ids(self, fd: int) -> None:
        """Learn the ids written since we last looked, by us or by any other process."""
        info = os.fstat(fd)
        inode, offset = self._scanned
        if inode != info.st_ino or offset > info.st_size:
            self._known_ids.clear()
            offset = 0
        with os.fdopen(os.dup(fd), "rb") as handle:
            handle.seek(offset)
            for line in handle:
                if not line.endswith(b"\n"):
                    break
                offset += len(line)
                try:
                    self._known_ids.add(decode_line(line)["id"])
                except ValueError:
                    continue  # damaged lines are reported by readers, not by every write
        self._scanned = (info.st_ino, offset)

    def _set_torn_tail_aside(self, fd: int) -> None:
        """A last line without its newline is from a killed write: keep its bytes, out of the way."""
        size = os.fstat(fd).st_size
        if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
            return
        keep = _end_of_last_full_line(fd, size)
        torn = os.pread(fd, size - keep, keep)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.torn-{stamp}-{os.getpid()}")
        side_fd = _open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        try:
            _write_all_or_nothing(side_fd, torn, 0)
        except OSError as exc:
            raise StoreError(_write_failure(aside, exc)) from None
        finally:
            os.close(side_fd)
        os.ftruncate(fd, keep)
        os.fsync(fd)
        self._on_problem(Problem(
            str(self.path),
            f"moved an incomplete last line ({len(torn)} bytes) aside to {aside.name}",
            _count_lines(fd, keep) + 1,
            is_error=False,
        ))

    # -- rewriting ---------------------------------------------------------------------

    def rewrite(self, keep: Callable[[dict], bool]) -> list[dict]:
        """Drop the records `keep` refuses, atomically (temp file + rename); damaged lines stay."""
        removed: list[dict] = []
        with self._locked():
            try:
                source = os.fdopen(_open(self.path, os.O_RDONLY), "rb")
            except FileNotFoundError:
                return removed
            with source:
                mode = os.fstat(source.fileno()).st_mode & 0o777
                fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
                try:
                    with os.fdopen(fd, "wb") as out:
                        os.fchmod(out.fileno(), mode)
                        for line in source:
                            try:
                                record = decode_line(line)
                            except ValueError:
                                record = None
                            if record is not None and line.endswith(b"\n") and not keep(record):
                                removed.append(record)
                            else:
                                out.write(line)
                        out.flush()
                        os.fsync(out.fileno())
                    os.replace(tmp, self.path)
                except BaseException as exc:
                    _unlink_quietly(tmp)
                    if isinstance(exc, OSError):
                        raise StoreError(_write_failure(self.path, exc)) from None
                    raise
            _fsync_dir(self.path.parent)
        self._scanned = (-1, 0)
        return removed

    @contextmanager
    def _locked(self) -> Iterator[None]:
        # flock is released by the kernel when the holder dies, so a lock is never stale.
        fd = _open(self.lock_path, os.O_RDWR | os.O_CREAT, create_parent=True)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


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


def _open(path: Path, flags: int, create_parent: bool = False) -> int:
    if create_parent and flags & os.O_CREAT:
        path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    try:
        return os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StoreError(f"{path}: is a symbolic link; refusing to follow it") from None
        raise StoreError(f"{path}: {exc.strerror.lower()}") from None


def _write_all_or_nothing(fd: int, data: bytes, start: int) -> None:
    """Write and fsync `data`; on any failure cut the file back to `start` bytes."""
    view = memoryview(data)
    try:
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        try:
            os.ftruncate(fd, start)
        except OSError:
            pass  # the original error is the one worth reporting
        raise


def _write_failure(path: Path | str, exc: OSError) -> str:
    reason = (exc.strerror or str(exc)).lower()
    return f"{path}: cannot write ({reason}); the store is unchanged"


def _end_of_last_full_line(fd: int, size: int) -> int:
    pos = size
    while pos > 0:
        step = min(_READ_CHUNK, pos)
        chunk = os.pread(fd, step, pos - step)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            return pos - step + newline + 1
        pos -= step
    return 0


def _count_lines(fd: int, end: int) -> int:
    count, pos = 0, 0
    while pos < end:
        chunk = os.pread(fd, min(_READ_CHUNK, end - pos), pos)
        count += chunk.count(b"\n")
        pos += len(chunk)
    return count


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass

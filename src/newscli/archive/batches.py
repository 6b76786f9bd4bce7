"""Ingest runs ("batches"): each run stamps every article it stores with one time, unique to
the run, and notes the run in a small log beside the store.

The stamp (the records' `ingested_at`) says which articles a run added; it lives in the store,
so it survives any reindex or lost index. The log (`<store>.batches`, JSON lines) says which
runs there were and what they were given, which the stamps alone cannot: a run that added
nothing leaves no stamp, so "the last run" read off the stamps would be an older one, and
`rm --last-ingest` would remove the wrong articles. Each run appends one line when it starts
(its stamp and inputs) and one when it ends (its counts); a run with no end line was
interrupted. Like the labels log: each line appended whole under the store lock and fsynced
(archive/files.append_line), the file in the store's mode; the torn end a kill leaves is cut
off by the next append, and a damaged line (an edit by hand) is skipped by readers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

from newscli.archive.files import append_line, open_file, read_range, side_mode, unlink_quietly, write_failure
from newscli.archive.store import Store
from newscli.errors import StoreError, os_reason
from newscli.model import Problem

SUFFIX = ".batches"


def log_path(store_path: Path) -> Path:
    store_path = Path(store_path)
    return store_path.with_name(store_path.name + SUFFIX)


@dataclass
class Batch:
    """One ingest run as the log tells it."""

    stamp: str  # the ingested_at of every article it stored
    inputs: list[str] = field(default_factory=list)
    added: int | None = None  # None: the run never finished (interrupted or killed)
    duplicates: int | None = None
    refused: int | None = None

    @property
    def finished(self) -> bool:
        return self.added is not None

    def describe(self) -> str:
        """The run in a line: when, what it was given, what came of it."""
        inputs = ", ".join(self.inputs) or "no inputs"
        if not self.finished:
            return f"{self.stamp} from {inputs}: interrupted"
        plural = lambda n, word: f"{n:,} {word}{'s' if n != 1 else ''}"  # noqa: E731
        return (f"{self.stamp} from {inputs}: added {plural(self.added, 'article')}"
                f" ({plural(self.duplicates, 'duplicate')}, {self.refused:,} refused)")


class Started(NamedTuple):
    stamp: str
    log_from: int  # the log's size before the run's first line
    log_to: int  # and after it


def begin(store: Store, inputs: Sequence[str], now: datetime | None = None) -> Started:
    """Log a run's start; its stamp: now, to the second, but always after every earlier run's
    (two runs in one second get two stamps, so each run's articles stay its own). Under the
    store's lock, which refuses a store that is not a writable regular file before any write."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    with store.held():
        runs = read(store.path)
        if runs:
            last = datetime.fromisoformat(runs[-1].stamp)
            moment = max(moment, last + timedelta(seconds=1))
        stamp = moment.isoformat(timespec="seconds")
        try:
            start, end = _append(store.path, {"batch": stamp, "inputs": list(inputs)})
        except OSError as exc:  # nothing stored yet: the run stops here
            raise StoreError(write_failure(log_path(store.path), exc)) from None
    return Started(stamp, start, end)


def take_back(store: Store, run: Started) -> None:
    """A run whose articles were all taken back (a failed write) leaves no trace: its line
    goes (the log too, if the run made it), unless another run logged after it."""
    path = log_path(store.path)
    with store.held():
        try:
            fd = open_file(path, os.O_RDWR)
        except (FileNotFoundError, StoreError):
            return
        try:
            if os.fstat(fd).st_size != run.log_to:
                return
            if run.log_from == 0:
                unlink_quietly(path)
            else:
                os.ftruncate(fd, run.log_from)
                os.fsync(fd)
        except OSError:
            pass  # the line stays: info shows the run as interrupted, which it was
        finally:
            os.close(fd)


def finish(store: Store, stamp: str, added: int, duplicates: int, refused: int) -> Problem | None:
    """Log a run's end; a warning when that failed (its articles are stored all the same)."""
    try:
        with store.held():
            _append(store.path, {"batch": stamp, "added": added, "duplicates": duplicates,
                                 "refused": refused})
    except (OSError, StoreError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        return Problem(str(log_path(store.path)), f"cannot note the end of this ingest ({reason});"
                       " `newscli info` will show it as interrupted", is_error=False)
    return None


class Log(NamedTuple):
    runs: list[Batch]  # every run the log names, oldest first
    damaged: list[int]  # numbers of its complete lines that could not be read


def read(store_path: Path) -> list[Batch]:
    """Every logged run, oldest first; [] when there is no log (an archive from before it)."""
    return read_log(store_path).runs


def read_log(store_path: Path) -> Log:
    """The log, its damaged lines skipped and numbered; a torn last line (a kill in the middle of
    an append) is no damage: its run stored nothing yet, or its end was never noted."""
    path = log_path(store_path)
    try:
        fd = open_file(path, os.O_RDONLY)
    except FileNotFoundError:
        return Log([], [])
    try:
        data = read_range(fd, 0, os.fstat(fd).st_size)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({os_reason(exc)})") from None
    finally:
        os.close(fd)
    runs: dict[str, Batch] = {}
    damaged = []
    lines = data.split(b"\n")
    for number, line in enumerate(lines[:-1], 1):  # the last: empty, or torn
        try:
            entry = json.loads(line)
            stamp = entry["batch"]
            datetime.fromisoformat(stamp)
        except (ValueError, KeyError, TypeError):
            damaged.append(number)
            continue
        run = runs.setdefault(stamp, Batch(stamp))
        if isinstance(entry.get("inputs"), list):
            run.inputs = [str(i) for i in entry["inputs"]]
        for key in ("added", "duplicates", "refused"):
            if isinstance(entry.get(key), int):
                setattr(run, key, entry[key])
    return Log(sorted(runs.values(), key=lambda run: datetime.fromisoformat(run.stamp)), damaged)


def damage_note(store_path: Path, log: Log) -> Problem | None:
    """The warning a reader of the log gives for its damaged lines (None: there are none)."""
    if not log.damaged:
        return None
    more = f" and {len(log.damaged) - 1} more" if len(log.damaged) > 1 else ""
    return Problem(str(log_path(store_path)), f"damaged line skipped{more}; the ingest runs shown may be"
                   " incomplete", log.damaged[0], is_error=False)


def _append(store_path: Path, entry: dict) -> tuple[int, int]:
    """Where the line went: (start, end) in the log."""
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    return append_line(log_path(store_path), line, side_mode(store_path))

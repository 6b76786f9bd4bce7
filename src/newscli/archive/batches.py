"""Ingest runs ("batches"): each run stamps every article it stores with one time, unique to
the run, and notes the run in a small log beside the store.

The stamp (the records' `ingested_at`) says which articles a run added; it lives in the store,
so it survives any reindex or lost index. The log (`<store>.batches`, JSON lines) says which
runs there were and what they were given, which the stamps alone cannot: a run that added
nothing leaves no stamp, so "the last run" read off the stamps would be an older one, and
`rm --last-ingest` would remove the wrong articles. Each run appends one line when it starts
(its stamp and inputs) and one when it ends (its counts); a run with no end line was
interrupted. Lines are appended under the store lock in one write each; a damaged line (a
crash mid-write) is skipped by readers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

from newscli.archive.files import locked, open_file, unlink_quietly, write_all_or_nothing, write_failure
from newscli.archive.store import lock_path
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


def begin(store_path: Path, inputs: Sequence[str], now: datetime | None = None) -> Started:
    """Log a run's start; its stamp: now, to the second, but always after every earlier run's
    (two runs in one second get two stamps, so each run's articles stay its own)."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    with locked(lock_path(store_path)):
        runs = read(store_path)
        if runs:
            last = datetime.fromisoformat(runs[-1].stamp)
            moment = max(moment, last + timedelta(seconds=1))
        stamp = moment.isoformat(timespec="seconds")
        try:
            start, end = _append(store_path, {"batch": stamp, "inputs": list(inputs)})
        except OSError as exc:  # nothing stored yet: the run stops here
            raise StoreError(write_failure(log_path(store_path), exc)) from None
    return Started(stamp, start, end)


def take_back(store_path: Path, run: Started) -> None:
    """A run whose articles were all taken back (a failed write) leaves no trace: its line
    goes (the log too, if the run made it), unless another run logged after it."""
    path = log_path(store_path)
    with locked(lock_path(store_path)):
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


def finish(store_path: Path, stamp: str, added: int, duplicates: int, refused: int) -> Problem | None:
    """Log a run's end; a warning when that failed (its articles are stored all the same)."""
    try:
        with locked(lock_path(store_path)):
            _append(store_path, {"batch": stamp, "added": added, "duplicates": duplicates,
                                 "refused": refused})
    except OSError as exc:
        return Problem(str(log_path(store_path)), f"cannot note the end of this ingest ({os_reason(exc)});"
                       " `newscli info` will show it as interrupted", is_error=False)
    return None


def read(store_path: Path) -> list[Batch]:
    """Every logged run, oldest first; [] when there is no log (an archive from before it)."""
    try:
        with open(log_path(store_path), "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return []
    runs: dict[str, Batch] = {}
    for line in data.splitlines():
        try:
            entry = json.loads(line)
            stamp = entry["batch"]
            datetime.fromisoformat(stamp)
        except (ValueError, KeyError, TypeError):
            continue  # damaged: skipped, as the store's readers do
        run = runs.setdefault(stamp, Batch(stamp))
        if isinstance(entry.get("inputs"), list):
            run.inputs = [str(i) for i in entry["inputs"]]
        for key in ("added", "duplicates", "refused"):
            if isinstance(entry.get(key), int):
                setattr(run, key, entry[key])
    return sorted(runs.values(), key=lambda run: datetime.fromisoformat(run.stamp))


def _append(store_path: Path, entry: dict) -> tuple[int, int]:
    """Where the line went: the log's size before and after."""
    path = log_path(store_path)
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    fd = open_file(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, create_parent=True)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line  # after a torn line (a full disk): ours stays readable
        write_all_or_nothing(fd, line, size)
        return size, size + len(line)
    except OSError:
        if size == 0:
            unlink_quietly(path)  # ours, and empty: no side file left behind
        raise
    finally:
        os.close(fd)

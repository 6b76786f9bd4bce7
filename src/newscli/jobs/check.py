"""Verifying the archive like `git fsck`: every line a valid record, ids unique and true to their
content, the index in step with the store; and the repair that moves bad lines aside.

Readers already skip what is damaged; `check` is where a person sees all of it at once,
with line numbers, and `--repair` is the one way to clean up that never deletes a byte.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newscli.archive.family import temp_files
from newscli.archive.store import Store, decode_line, iter_lines
from newscli.errors import StoreError
from newscli.index.sync import session
from newscli.jobs.check_index import Finding, compare_index, record_digest
from newscli.model import Problem, content_id


@dataclass
class Report:
    lines: int = 0
    records: int = 0
    findings: list[Finding] = field(default_factory=list)
    aside: Path | None = None  # where --repair put the bad lines
    moved: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings


class _LineChecker:
    """Judges lines one by one, in order; remembers only ids and where they are."""

    def __init__(self) -> None:
        self.lines = 0
        self.findings: list[Finding] = []
        self.first_seen: dict[str, int] = {}
        # What the index should hold: the first line holding each id that decodes at all
        # (the index keeps the first of duplicates and does not judge content ids), as
        # (offset, length, digest of every indexed field).
        self.indexable: dict[str, tuple[int, int, int]] = {}
        self.good = 0

    def feed(self, lineno: int, offset: int, line: bytes) -> None:
        self.lines = lineno
        if not line.endswith(b"\n"):
            self._bad(lineno, f"incomplete last line ({len(line)} bytes; an interrupted write)")
            return
        try:
            record = decode_line(line)
        except ValueError as exc:
            self._bad(lineno, f"damaged line: {exc}")
            return
        record_id = record["id"]
        if record_id not in self.indexable:
            self.indexable[record_id] = (offset, len(line), record_digest(record))
        expected = content_id(record["title"], record["source"], record["published"], record["body"])
        if record_id != expected:  # edited by hand or damaged: judged before it can claim the id
            self._bad(lineno, f"id {record_id} does not match the record's content (that is {expected})")
            return
        if record_id in self.first_seen:
            self._bad(lineno, f"duplicate id {record_id} (first on line {self.first_seen[record_id]})")
            return
        self.first_seen[record_id] = lineno
        self.good += 1

    def _bad(self, lineno: int, reason: str) -> None:
        self.findings.append(Finding(reason, lineno))


def _judge(lines: Iterable[tuple[int, int, bytes]]) -> _LineChecker:
    checker = _LineChecker()
    for lineno, offset, line in lines:
        checker.feed(lineno, offset, line)
    return checker


def check(store_path: Path, on_problem: Callable[[Problem], None] | None = None) -> Report:
    """Everything wrong with the store and its index; the store is only read.

    The store is read as it was at one moment (a snapshot taken while no write is in flight),
    and the index is compared with that prefix of it only: what an ingest appends meanwhile
    is neither judged nor missed. A store replaced meanwhile (rm) is checked again."""
    store = Store(store_path, on_problem)
    for _ in range(3):
        with store.snapshot() as (fd, end):
            if fd is None:
                return _with_temps(Report(), store_path)
            checker = _LineChecker()
            for lineno, (offset, line) in enumerate(iter_lines(fd), 1):
                if offset >= end:
                    break
                checker.feed(lineno, offset, line[: end - offset])
            index = compare_index(store_path, fd, end, checker.indexable, on_problem)
        if index is not None:
            report = Report(checker.lines, checker.good, checker.findings + index)
            return _with_temps(report, store_path)
    raise StoreError(f"{store_path}: replaced while being checked, three times; try again")


def _with_temps(report: Report, store_path: Path) -> Report:
    for temp in temp_files(Path(store_path)):
        report.findings.append(Finding(
            f"{temp.name}: a temp file ({_size(temp)} bytes) an interrupted rm or check --repair left "
            "behind; the next write (ingest, rm, check --repair) removes it", movable=False))
    return report


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def repair(store_path: Path, on_problem: Callable[[Problem], None] | None = None) -> Report:
    """Move every bad line into a side file beside the store, rebuild the index, check again."""
    store = Store(store_path, on_problem)
    aside, moved = store.set_aside(lambda lines: {f.line for f in _judge(lines).findings})
    if os.path.exists(store_path):
        with session(store_path, on_problem, rebuild=True):
            pass
    report = check(store_path, on_problem)
    report.aside, report.moved = aside, moved
    return report

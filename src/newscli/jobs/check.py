"""Verifying the archive like `git fsck`: every line a valid record, ids unique and true to their
content, the index in step with the store; and the repair that moves bad lines aside.

Readers already skip what is damaged; `check` is where a person sees all of it at once,
with line numbers, and `--repair` is the one way to clean up that never deletes a byte.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newscli.archive.family import temp_files
from newscli.archive.store import Store, decode_line
from newscli.index.sync import session
from newscli.model import content_id


@dataclass(frozen=True)
class Finding:
    reason: str
    line: int | None = None  # None: about the index as a whole, not one store line
    movable: bool = True  # --repair moves this line aside; index findings are fixed by a rebuild


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
        # Where the index should point: the first line holding each id that decodes at all
        # (the index keeps the first of duplicates and does not judge content ids).
        self.indexable: dict[str, tuple[int, int]] = {}
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
            self.indexable[record_id] = (offset, len(line))
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


def check(store_path: Path) -> Report:
    """Everything wrong with the store and its index; the store is only read."""
    store = Store(store_path)
    checker = _judge(store.lines())
    report = Report(checker.lines, checker.good, list(checker.findings))
    report.findings.extend(_index_findings(store_path, checker.indexable))
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


def repair(store_path: Path) -> Report:
    """Move every bad line into a side file beside the store, rebuild the index, check again."""
    store = Store(store_path)
    aside, moved = store.set_aside(lambda lines: {f.line for f in _judge(lines).findings})
    if os.path.exists(store_path):
        with session(store_path, rebuild=True):
            pass
    report = check(store_path)
    report.aside, report.moved = aside, moved
    return report


def _index_findings(store_path: Path, expected: dict[str, tuple[int, int]]) -> list[Finding]:
    if not os.path.exists(store_path):
        return []
    # The session brings the index up to date first, as any query would; what still
    # disagrees afterwards is an index that missed a change (or was damaged).
    with session(store_path) as index:
        indexed = {row[0]: (row[1], row[2])
                   for row in index.conn.execute("SELECT id, offset, length FROM articles")}
    findings = []
    for record_id in sorted(expected.keys() - indexed.keys()):
        findings.append(Finding(f"index: stored id {record_id} is missing from the index", movable=False))
    for record_id in sorted(indexed.keys() - expected.keys()):
        findings.append(Finding(f"index: id {record_id} is indexed but not in the store", movable=False))
    for record_id in sorted(expected.keys() & indexed.keys()):
        if expected[record_id] != indexed[record_id]:
            findings.append(Finding(f"index: id {record_id} points to the wrong place in the store",
                                    movable=False))
    return findings

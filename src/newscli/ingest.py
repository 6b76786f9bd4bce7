"""Ingest: parsed articles and problems in, a stored archive and an honest count out.

The index follows the store while it grows: every few megabytes appended it reads the new
lines, so indexing overlaps with parsing (done by other processes, see fanout) instead of
waiting for it; a fresh index gets its secondary indexes once, at the end.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newscli.model import Article, Problem
from newscli.store import Store, append_in_batches

FOLLOW_BYTES = 32 << 20  # catch the index up after this much new store text: one transaction


@dataclass
class IngestReport:
    new: int = 0
    duplicates: int = 0
    failed: int = 0  # articles or whole inputs refused; warnings do not count


def ingest(
    store: Store,
    items: Iterable[Article | Problem],
    on_problem: Callable[[Problem], None],
    batch_size: int = 500,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Store every good article; report each problem as it happens, so nothing is silent."""
    report = IngestReport()

    def articles() -> Iterator[Article]:
        for item in items:
            if isinstance(item, Problem):
                on_problem(item)
                report.failed += item.is_error
            else:
                yield item

    for result in append_in_batches(store, articles(), batch_size):
        report.new += len(result.added)
        report.duplicates += len(result.duplicates)
        if on_batch is not None:
            on_batch(report)
    return report


class IndexFollower:
    """Keeps the index in step with a store an ingest is writing, in large steps.

    An index failure is only a warning (the store is what matters) and ends the following;
    `close` makes the index whole either way, as `index.refresh` does after any write.
    """

    def __init__(self, store_path: Path, on_problem: Callable[[Problem], None],
                 every: int = FOLLOW_BYTES) -> None:
        self.store_path, self._on_problem, self._every = store_path, on_problem, every
        self._index, self._synced, self._failed = None, 0, False

    def step(self) -> None:
        if self._failed:
            return
        try:
            size = os.stat(self.store_path).st_size
        except OSError:
            return
        if size - self._synced < self._every:
            return
        from newscli.index import open_index

        try:
            if self._index is None:
                fresh = self._synced == 0 and not _has_index(self.store_path)
                self._index = open_index(self.store_path, self._on_problem, defer_indexes=fresh)
            else:
                self._index.sync()
        except (OSError, sqlite3.Error) as exc:
            self._failed = True
            self._on_problem(Problem(str(self.store_path), f"index not updated ({exc})", is_error=False))
            self.close(finish=False)
        self._synced = size

    def close(self, finish: bool = True) -> None:
        """Let go of the index; `finish` also catches it up and builds deferred indexes."""
        if self._index is not None:
            index, self._index = self._index, None
            index.close()
        if finish:
            from newscli.index import refresh

            refresh(self.store_path, self._on_problem)


def _has_index(store_path: Path) -> bool:
    from newscli.index import index_path

    return index_path(store_path).exists()

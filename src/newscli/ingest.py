"""Ingest: parsed articles and problems in, a stored archive and an honest count out.

The index follows the store while it grows: each append's lines are indexed right after
they are written, from the records just encoded (no JSON is decoded again), so indexing in
this process overlaps with parsing in others (see fanout). Commits come every few megabytes,
since FTS5 pays per commit; a fresh index gets its secondary indexes once, at the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newscli.model import Article, Problem
from newscli.store import AppendResult, Store, Written, append_in_batches

# Commit the index after this much new store text. FTS5 writes its pending terms at every commit,
# so fewer commits index faster (100k articles: 27.7 s at 96 MB, 29.4 s at 32 MB); readers see
# the index grow in these steps, and an interrupted ingest loses at most one step of index work.
FOLLOW_BYTES = 96 << 20


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
    on_batch: Callable[[IngestReport, AppendResult], None] | None = None,
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
            on_batch(report, result)
    return report


class IndexFollower:
    """Keeps the index in step with a store an ingest is writing.

    An index failure is only a warning (the store is what matters) and ends the following;
    `close` makes the index whole either way, as `index.refresh` does after any write.
    """

    def __init__(self, store_path: Path, on_problem: Callable[[Problem], None],
                 every: int = FOLLOW_BYTES) -> None:
        self.store_path, self._on_problem, self._every = store_path, on_problem, every
        self._index, self._unsaved, self._failed = None, 0, False

    def step(self, written: Written | None) -> None:
        """Index what one append wrote; commit once `every` bytes are waiting."""
        if self._failed or written is None:
            return
        from newscli.index import open_index

        try:
            if self._index is None:
                fresh = not _has_index(self.store_path)
                self._index = open_index(self.store_path, self._on_problem, defer_indexes=fresh,
                                         written=[written])
                return
            self._index.follow(written)
            self._unsaved += sum(len(line) for line in written.lines)
            if self._unsaved >= self._every:
                self._index.save()
                self._unsaved = 0
        except (OSError, sqlite3.Error) as exc:
            self._failed = True
            self._warn(exc)
            self.close(finish=False)

    def close(self, finish: bool = True) -> None:
        """Let go of the index; `finish` also saves, catches up and builds deferred indexes."""
        if self._index is not None:
            index, self._index = self._index, None
            try:
                if finish:
                    index.save()
            except (OSError, sqlite3.Error) as exc:  # refresh below still catches up
                self._warn(exc)
            finally:
                index.close()  # unsaved work is rolled back: the index says what it holds
        if finish:
            from newscli.index import refresh

            refresh(self.store_path, self._on_problem)


    def _warn(self, exc: Exception) -> None:
        # Only a warning: the store holds every article, and the next command catches up.
        self._on_problem(Problem(str(self.store_path), f"index not updated ({exc})", is_error=False))


def _has_index(store_path: Path) -> bool:
    from newscli.index import index_path

    return index_path(store_path).exists()

"""Ingest: parsed articles and problems in, a stored archive and an honest count out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from newscli.model import Article, Problem
from newscli.store import Store, append_in_batches


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
    return report

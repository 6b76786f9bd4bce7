"""`rm`: remove articles from the store, then bring the index along in place.

Under the store lock (no ingest appends meanwhile) the lines to drop are found: where the
index says they are, checked line by line, when the index vouches for the store's prefix
(it describes this very file, and no id repeats in it); by reading the lines otherwise. The
store is rewritten without them (archive/cut.py) and renamed over the old one. Then, with
the lock let go, the index drops their rows and shifts the rest (index/prune.py), or, when
it cannot, is rebuilt by the next command, as after any change made behind its back.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from newscli.archive import batches
from newscli.archive.cut import Line, cut_lines
from newscli.archive.files import open_file
from newscli.archive.store import Store
from newscli.errors import NewscliError, UsageError
from newscli.index.filters import Filters
from newscli.index.prune import prune, trusted_prefix
from newscli.model import Problem


def remove(store: Store, places: Sequence[Line], on_problem: Callable[[Problem], None]) -> list[dict]:
    """Remove every line holding one of these articles (`places`: where the index has them);
    the removed records, in store order."""
    store_path = store.path
    with store.held():  # refuses a store it may not write, as ingest does
        try:
            old_fd = open_file(store_path, os.O_RDWR)
        except FileNotFoundError:
            return []
        try:
            cut = cut_lines(store_path, old_fd, places, trusted_prefix(store_path, old_fd))
        except BaseException:
            os.close(old_fd)
            raise
    try:
        if cut.dropped:
            prune(store_path, cut, old_fd, on_problem)
    finally:
        os.close(old_fd)
    return cut.records


def last_ingest(store_path: Path, filters: Filters) -> tuple[Filters, batches.Batch]:
    """`rm --last-ingest`: the filters narrowed to the articles the last ingest run stored (its
    stamp), and that run."""
    runs = batches.read(store_path)
    if not runs:
        raise NewscliError(f"no ingest is recorded for {store_path} ({batches.log_path(store_path).name}"
                           " is missing: ingests by newscli before 0.3 kept no record); "
                           "--ingested-since DATE selects by time")
    if filters.ingested_since is not None or filters.ingested_until is not None:
        raise UsageError("--last-ingest sets the ingest time itself: leave out --ingested-since/--ingested-until")
    run = runs[-1]
    moment = datetime.fromisoformat(run.stamp)
    return filters._replace(ingested_since=moment, ingested_until=moment), run

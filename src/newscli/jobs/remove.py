"""`rm`: remove articles from the store, and bring the index along in place.

Under the store lock (no ingest appends meanwhile) and one write transaction on the index
(index/prune.py), the lines to drop are found: where the index says they are, checked line by
line, when the index vouches for the store's prefix (it describes this very file, and no id
repeats in it); by reading the lines otherwise. The store is rewritten without them
(archive/cut.py), which also gives the new file's CRC, and renamed over the old one; then the
index drops their rows and records the cuts, or, when it cannot, is rebuilt by the next
command, as after any change made behind its back.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from newscli.archive import batches
from newscli.archive.cut import Line, cut_lines, find_lines, kept_ranges
from newscli.archive.files import open_file
from newscli.archive.store import Store
from newscli.errors import NewscliError, UsageError
from newscli.index import questions, stories
from newscli.index.filters import Filters, Order
from newscli.index.checksum import ranges_crc
from newscli.index.prune import InPlace, prune
from newscli.index.sync import Index, refresh
from newscli.model import Problem


def remove(store: Store, places: Sequence[Line], on_problem: Callable[[Problem], None]) -> list[dict]:
    """Remove every line holding one of these articles (`places`: where the index has them);
    the removed records, in store order."""
    with store.held():  # refuses a store it may not write, as ingest does
        try:
            old_fd = open_file(store.path, os.O_RDWR)
        except FileNotFoundError:
            return []
        update, updated = InPlace(store.path, old_fd, on_problem), False
        try:
            update.begin()
            ids = {place.id for place in places}
            dropped, records = (find_lines(old_fd, ids, places, update.trusted_end)
                                or find_lines(old_fd, ids, (), 0))
            if dropped:
                # The index keeps the CRC-32 of the bytes it describes: read while the kernel copies.
                summing = _Alongside(ranges_crc, old_fd, kept_ranges(dropped, update.plan(dropped)),
                                     update.has_damage)
                try:
                    cut = cut_lines(store.path, old_fd, dropped)
                finally:
                    summed = summing.result()
                updated = prune(update, cut, records, summed)
        finally:
            update.close()
            os.close(old_fd)
        if dropped and not updated:
            refresh(store.path, on_problem)  # rebuilt now, not by the next query
    return records


class _Alongside(threading.Thread):
    """`work(*args)` in a thread of its own; `result()` waits for it: None if it failed (the
    index then learns nothing from it and is rebuilt, as after any change behind its back)."""

    def __init__(self, work, *args) -> None:
        super().__init__(name="newscli-rm", daemon=True)
        self.work, self.args, self.value = work, args, None
        self.start()

    def run(self) -> None:
        try:
            self.value = self.work(*self.args)
        except Exception:  # noqa: BLE001 - an OSError reading the store, most likely
            self.value = None

    def result(self):
        self.join()
        return self.value


def last_ingest(store_path: Path, filters: Filters) -> tuple[Filters, batches.Batch]:
    """`rm --last-ingest`: the filters narrowed to the articles the last ingest run stored (its
    stamp), and that run. A log with a damaged line cannot say which run was last: refused."""
    if filters.ingested_since is not None or filters.ingested_until is not None:
        raise UsageError("--last-ingest sets the ingest time itself: leave out --ingested-since/--ingested-until")
    path = batches.log_path(store_path)
    log = batches.read_log(store_path)
    if log.damaged:
        raise NewscliError(f"{path}:{log.damaged[0]}: damaged, so which ingest came last is not known; "
                           "nothing removed (--ingested-since DATE selects by time)")
    if not log.runs:
        raise NewscliError(f"no ingest is recorded for {store_path} ({path.name} is missing: ingests "
                           "before newscli kept one left none); --ingested-since DATE selects by time")
    run = log.runs[-1]
    moment = datetime.fromisoformat(run.stamp)
    return filters._replace(ingested_since=moment, ingested_until=moment), run


def nothing_to_remove(run: batches.Batch | None, copies_of: str | None) -> str:
    """What `rm` says when nothing matched."""
    if copies_of is not None:
        return "The article has no copies; nothing removed."
    if run is None:
        return "No articles match; nothing removed."
    if run.added == 0:
        return "That ingest added no articles; nothing removed (--last-ingest never reaches back to the one before)."
    return ("None of that ingest's articles is in the archive any more (or the filters match none); "
            "nothing removed (--last-ingest never reaches back to the one before).")


def chosen(index: Index, ids: list[str], filters: Filters, copies_of: str | None) -> tuple[list[dict], list[Line]]:
    """What `rm` would remove: by id (those the filters also match), the copies of an article, or
    all the filters match; each record once, and where its line is in the store now."""
    if copies_of is not None:
        ids = [m.place.id for m in stories.copies_of(index, questions.resolve(index, copies_of)["id"])]
        if not ids:
            return [], []
    doomed = ([questions.resolve(index, i) for i in ids] if ids
              else list(index.records(questions.select(index, filters, Order()))))
    if ids:  # the ids that also pass the filters, as the index answers them (the query too)
        keep = questions.matching_ids(index, [r["id"] for r in doomed], filters)
        doomed = [r for r in doomed if r["id"] in keep]
    doomed = list({r["id"]: r for r in doomed}.values())
    places = [p._replace(offset=index.real(p.offset))  # where the lines are in the store now
              for p in questions.located_ids(index, [r["id"] for r in doomed])]
    return doomed, places
